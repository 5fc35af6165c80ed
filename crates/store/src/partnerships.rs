//! Partnerships and the area codes they cover.

use std::collections::HashMap;

use cradle_domain::partnership::{AreaCode, NewPartnership, Partnership};
use cradle_domain::vocabulary::{Nation, Role};
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, Conn, on_backend, on_conn};
use crate::db_time::{DbTime, now};
use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
pub(crate) struct PartnershipRow {
    pub(crate) id: String,
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
async fn insert_partnership(
    conn: Conn<'_>,
    id: &str,
    new: &NewPartnership,
) -> Result<(), StoreError> {
    on_conn!(conn, |conn| {
        sqlx::query(
            "INSERT INTO partnerships (id, name, nation, description, is_demo, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&new.name)
        .bind(new.nation.id())
        .bind(&new.description)
        .bind(new.is_demo)
        .bind(OffsetDateTime::now_utc())
        .execute(&mut *conn)
        .await?;
        for area in &new.areas {
            sqlx::query(
                "INSERT INTO partnership_areas (partnership_id, area_code) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(area.as_str())
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Locks a partnership's row until the transaction ends, so that changes to its
/// memberships are made one at a time (two owners demoting each other at once must not
/// leave it with none). Also a write, so SQLite takes its write lock here rather than
/// failing to upgrade a read later. Returns whether the partnership exists.
pub(crate) async fn lock_partnership(conn: Conn<'_>, id: &str) -> Result<bool, StoreError> {
    let locked = on_conn!(conn, |conn| {
        sqlx::query("UPDATE partnerships SET name = name WHERE id = $1")
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    Ok(locked == 1)
}

/// Replaces a partnership's details and areas on an open transaction.
async fn update_partnership_row(
    conn: Conn<'_>,
    id: &str,
    changed: &NewPartnership,
) -> Result<(), StoreError> {
    on_conn!(conn, |conn| {
        sqlx::query(
            "UPDATE partnerships SET name = $1, nation = $2, description = $3 WHERE id = $4",
        )
        .bind(&changed.name)
        .bind(changed.nation.id())
        .bind(&changed.description)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM partnership_areas WHERE partnership_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for area in &changed.areas {
            sqlx::query(
                "INSERT INTO partnership_areas (partnership_id, area_code) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(area.as_str())
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

impl Store {
    /// Stores a new partnership and its areas in one transaction; returns it with its new id.
    pub async fn create_partnership(
        &self,
        new: &NewPartnership,
    ) -> Result<Partnership, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_partnership(tx.conn(), &id, new).await?;
            tx.commit().await?;
        });
        Ok(partnership_from(id, new))
    }

    /// Stores a new partnership with `owner` as its first owner, and audits it
    /// (`partnership.create`), all in one transaction.
    pub async fn create_partnership_with_owner(
        &self,
        new: &NewPartnership,
        owner: &Actor,
    ) -> Result<Partnership, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_partnership(tx.conn(), &id, new).await?;
            sqlx::query(
                "INSERT INTO memberships (partnership_id, user_id, role, created_at) VALUES ($1,
                     $2, $3, $4)",
            )
            .bind(&id)
            .bind(&owner.user_id)
            .bind(Role::Owner.id())
            .bind(DbTime::from(now()))
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(&id, "partnership.create", "partnership", &id)
                    .by(owner)
                    .after(partnership_json(
                        new.name.as_str(),
                        new.nation,
                        &new.description,
                        &new.areas,
                    )),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(partnership_from(id, new))
    }

    /// Changes a partnership's name, nation, description and areas (not whether it is a
    /// demo), auditing the before and after (`partnership.update`) in the same
    /// transaction. [`StoreError::NotFound`] if there is no such partnership.
    pub async fn update_partnership(
        &self,
        actor: &Actor,
        id: &str,
        changed: &NewPartnership,
    ) -> Result<Partnership, StoreError> {
        let (row, areas) = on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), id).await? {
                return Err(StoreError::NotFound);
            }
            let row: PartnershipRow = sqlx::query_as(
                "SELECT id, name, nation, description, is_demo FROM partnerships WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let areas: Vec<(String,)> = sqlx::query_as(
                "SELECT area_code FROM partnership_areas WHERE partnership_id = $1 ORDER BY
                     area_code",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            update_partnership_row(tx.conn(), id, changed).await?;
            let before =
                partnership_from_row(row, areas.into_iter().map(|(code,)| code).collect())?;
            let mut sorted_areas = changed.areas.clone();
            sorted_areas.sort();
            insert_audit(
                tx.conn(),
                AuditRecord::new(id, "partnership.update", "partnership", id)
                    .by(actor)
                    .before(partnership_json(
                        &before.name,
                        before.nation,
                        &before.description,
                        &before.areas,
                    ))
                    .after(partnership_json(
                        &changed.name,
                        changed.nation,
                        &changed.description,
                        &sorted_areas,
                    )),
            )
            .await?;
            tx.commit().await?;
            (before, sorted_areas)
        });
        Ok(Partnership {
            id: row.id,
            name: changed.name.clone(),
            nation: changed.nation,
            description: changed.description.clone(),
            areas,
            is_demo: row.is_demo,
        })
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
        let loaded = on_backend!(self, |pool| {
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
                insert_partnership(tx.conn(), &id, demo).await?;
            }
            tx.commit().await?;
            claimed
        });
        Ok(loaded.then(|| partnership_from(id, demo)))
    }

    /// Deletes every demo partnership, with everything in it (the database's cascades),
    /// and stores `demo` in their place, marked as loaded, in one transaction audited as
    /// made by Cradle (`demo.reset`). Other partnerships are untouched. Two resets at once
    /// wait for each other on the marker's row, so the later one deletes the earlier one's
    /// demo and one demo remains.
    pub async fn replace_demo(&self, demo: &NewPartnership) -> Result<Partnership, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = OffsetDateTime::now_utc().unix_timestamp().to_string();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO deployment_settings (key, value) VALUES ('demo_loaded', $1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(&now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM partnerships WHERE is_demo = $1")
                .bind(true)
                .execute(&mut *tx)
                .await?;
            insert_partnership(tx.conn(), &id, demo).await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(&id, "demo.reset", "partnership", &id).after(partnership_json(
                    &demo.name,
                    demo.nation,
                    &demo.description,
                    &demo.areas,
                )),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(partnership_from(id, demo))
    }

    /// Every partnership, demo ones last, then by name.
    pub async fn partnerships(&self) -> Result<Vec<Partnership>, StoreError> {
        let (rows, areas) = on_backend!(self, |pool| {
            let rows: Vec<PartnershipRow> = sqlx::query_as(
                "SELECT id, name, nation, description, is_demo FROM partnerships
                                    ORDER BY is_demo, name, id",
            )
            .fetch_all(pool)
            .await?;
            let areas: Vec<AreaRow> = sqlx::query_as(
                "SELECT partnership_id, area_code FROM partnership_areas ORDER BY area_code",
            )
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
        let found = on_backend!(self, |pool| {
            let row: Option<PartnershipRow> = sqlx::query_as(
                "SELECT id, name, nation, description, is_demo FROM partnerships WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?;
            match row {
                None => None,
                Some(row) => {
                    let areas: Vec<(String,)> = sqlx::query_as(
                        "SELECT area_code FROM partnership_areas WHERE partnership_id = $1 ORDER
                             BY area_code",
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

/// A partnership's details as the audit log records them.
pub(crate) fn partnership_json(
    name: &str,
    nation: Nation,
    description: &str,
    areas: &[AreaCode],
) -> serde_json::Value {
    json!({
        "name": name,
        "nation": nation.id(),
        "description": description,
        "areas": areas.iter().map(AreaCode::as_str).collect::<Vec<_>>(),
    })
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

pub(crate) fn partnership_from_row(
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
