//! Partnerships and the area codes they cover.

use std::collections::HashMap;

use cradle_domain::partnership::{AreaCode, NewPartnership, Partnership};
use cradle_domain::vocabulary::Nation;
use time::OffsetDateTime;

use crate::backend::on_backend;
use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct PartnershipRow {
    id: String,
    name: String,
    nation: String,
    description: String,
    is_demo: bool,
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    partnership_id: String,
    area_code: String,
}

/// Inserts a partnership row and its area rows on an open transaction.
macro_rules! insert_partnership {
    ($conn:expr, $id:expr, $new:expr) => {{
        sqlx::query(
            "INSERT INTO partnerships (id, name, nation, description, is_demo, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($id)
        .bind(&$new.name)
        .bind($new.nation.id())
        .bind(&$new.description)
        .bind($new.is_demo)
        .bind(OffsetDateTime::now_utc())
        .execute($conn)
        .await?;
        for area in &$new.areas {
            sqlx::query(
                "INSERT INTO partnership_areas (partnership_id, area_code) VALUES ($1, $2)",
            )
            .bind($id)
            .bind(area.as_str())
            .execute($conn)
            .await?;
        }
    }};
}

impl Store {
    /// Stores a new partnership and its areas in one transaction; returns it with its new id.
    pub async fn create_partnership(
        &self,
        new: &NewPartnership,
    ) -> Result<Partnership, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            insert_partnership!(&mut *tx, &id, new);
            tx.commit().await?;
        });
        Ok(partnership_from(id, new))
    }

    /// Loads `demo` the first time this database is started, and never again (even if a
    /// user later deletes it). Safe when several instances start at once: only the one
    /// whose marker insert succeeds loads it. Returns the partnership if it was loaded now.
    pub async fn load_demo_once(
        &self,
        demo: &NewPartnership,
    ) -> Result<Option<Partnership>, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp().to_string();
        let loaded = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query(
                "INSERT INTO deployment_settings (key, value) VALUES ('demo_loaded', $1)
                 ON CONFLICT (key) DO NOTHING",
            )
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if claimed {
                insert_partnership!(&mut *tx, &id, demo);
            }
            tx.commit().await?;
            claimed
        });
        Ok(loaded.then(|| partnership_from(id, demo)))
    }

    /// Every partnership, demo ones last, then by name.
    pub async fn partnerships(&self) -> Result<Vec<Partnership>, StoreError> {
        let (rows, areas) = on_backend!(self, pool => {
            let rows: Vec<PartnershipRow> =
                sqlx::query_as("SELECT id, name, nation, description, is_demo FROM partnerships ORDER BY is_demo, name, id")
                    .fetch_all(pool)
                    .await?;
            let areas: Vec<AreaRow> =
                sqlx::query_as("SELECT partnership_id, area_code FROM partnership_areas ORDER BY area_code")
                    .fetch_all(pool)
                    .await?;
            (rows, areas)
        });
        let mut areas_by_partnership: HashMap<String, Vec<String>> = HashMap::new();
        for area in areas {
            areas_by_partnership
                .entry(area.partnership_id)
                .or_default()
                .push(area.area_code);
        }
        rows.into_iter()
            .map(|row| {
                let areas = areas_by_partnership.remove(&row.id).unwrap_or_default();
                partnership_from_row(row, areas)
            })
            .collect()
    }

    /// One partnership by id, or `None` if there is no such partnership.
    pub async fn partnership(&self, id: &str) -> Result<Option<Partnership>, StoreError> {
        let found = on_backend!(self, pool => {
            let row: Option<PartnershipRow> = sqlx::query_as("SELECT id, name, nation, description, is_demo FROM partnerships WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            match row {
                None => None,
                Some(row) => {
                    let areas: Vec<(String,)> = sqlx::query_as(
                        "SELECT area_code FROM partnership_areas WHERE partnership_id = $1 ORDER BY area_code",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await?;
                    Some((row, areas))
                }
            }
        });
        found
            .map(|(row, areas)| {
                partnership_from_row(row, areas.into_iter().map(|(code,)| code).collect())
            })
            .transpose()
    }
}

fn partnership_from(id: String, new: &NewPartnership) -> Partnership {
    Partnership {
        id,
        name: new.name.clone(),
        nation: new.nation,
        description: new.description.clone(),
        areas: new.areas.clone(),
        is_demo: new.is_demo,
    }
}

fn partnership_from_row(
    row: PartnershipRow,
    areas: Vec<String>,
) -> Result<Partnership, StoreError> {
    let nation: Nation = row.nation.parse().map_err(|_| StoreError::Corrupt {
        what: "partnership nation",
        detail: row.nation.clone(),
    })?;
    let areas = areas
        .iter()
        .map(|code| code.parse::<AreaCode>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| StoreError::Corrupt {
            what: "partnership area code",
            detail: err.to_string(),
        })?;
    Ok(Partnership {
        id: row.id,
        name: row.name,
        nation,
        description: row.description,
        areas,
        is_demo: row.is_demo,
    })
}
