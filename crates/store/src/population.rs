//! Population files a partnership has imported, and its own figures in place of published
//! prevalence rates, for need estimates. Every change is audited in the transaction that
//! makes it, and an import is stored whole or not at all.

use std::collections::BTreeMap;

use cradle_domain::partnership::AreaCode;
use cradle_readers::{Layout, PopulationTable};
use serde_json::json;
use sqlx::{Database, Pool, QueryBuilder};
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend, push_in_list};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{DELETED_ACCOUNT_LABEL, Store, StoreError};

/// Rows per multi-row `INSERT` of counts: a UK file has about 36,000 counts, and one
/// statement per count would take seconds on PostgreSQL. 4 parameters a row keeps each
/// statement far below both engines' parameter limits.
const COUNTS_PER_INSERT: usize = 1000;

/// An imported population file and where its figures came from, as shown beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationImport {
    pub id: String,
    pub partnership_id: String,
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// The reference year (mid-year), when the file said.
    pub year: Option<u16>,
    /// `ons-mye2`, `nomis`, `nisra-flat`, `mapped`, or [`BIRTHS_LAYOUT`] for live births.
    pub layout: String,
    pub imported_by: Option<String>,
    /// The importer's display name, or "A deleted account".
    pub imported_by_label: String,
    pub imported_at: OffsetDateTime,
    /// How many areas the file has.
    pub areas: usize,
}

impl PopulationImport {
    /// Whether the file was live births by area rather than population by age.
    pub fn is_births(&self) -> bool {
        self.layout == BIRTHS_LAYOUT
    }
}

/// One area of an imported file.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAreaPopulation {
    pub area: AreaCode,
    pub name: String,
    /// People of each age, 0 to 90 (90 meaning 90 and over).
    pub ages: BTreeMap<u8, u64>,
    /// Why the figures should be checked before use, when the import found a reason.
    pub suspect: Option<String>,
}

/// A partnership's own rate for one prevalence assumption, to set.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNeedOverride {
    pub assumption_id: String,
    /// One area, or every area of the partnership when `None`.
    pub area: Option<AreaCode>,
    pub low: f64,
    pub central: f64,
    pub high: f64,
    pub per: u32,
    pub reason: String,
}

/// A stored override, with who made it.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedOverride {
    pub id: String,
    pub assumption_id: String,
    pub area: Option<AreaCode>,
    pub low: f64,
    pub central: f64,
    pub high: f64,
    pub per: u32,
    pub reason: String,
    pub made_by: Option<String>,
    /// The author's display name, or "A deleted account".
    pub made_by_label: String,
    pub made_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: String,
    partnership_id: String,
    file_name: String,
    publisher: String,
    edition: String,
    year: Option<i32>,
    layout: String,
    imported_by: Option<String>,
    imported_at: OffsetDateTime,
    importer_name: Option<String>,
    areas: i64,
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    area_code: String,
    name: String,
    suspect: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CountRow {
    area_code: String,
    age: i32,
    people: i64,
}

#[derive(sqlx::FromRow)]
struct OverrideRow {
    id: String,
    assumption_id: String,
    area_scope: String,
    low: f64,
    central: f64,
    high: f64,
    per: i32,
    reason: String,
    made_by: Option<String>,
    made_at: OffsetDateTime,
    author_name: Option<String>,
}

/// The stored layout of a births file. Its counts at age 0 are each area's live births
/// in the year (see `BirthsTable::as_population`).
pub const BIRTHS_LAYOUT: &str = "births";

/// The stable id of a layout, as stored.
fn layout_id(layout: &Layout) -> &'static str {
    match layout {
        Layout::OnsMye2 => "ons-mye2",
        Layout::Nomis => "nomis",
        Layout::NisraFlat => "nisra-flat",
        Layout::Mapped => "mapped",
        Layout::Births => BIRTHS_LAYOUT,
    }
}

/// A query builder for the backend `pool` belongs to, so that one builder text serves both.
fn builder_for<DB: Database>(_pool: &Pool<DB>, sql: &str) -> QueryBuilder<DB> {
    QueryBuilder::new(sql)
}

/// The text an override's area is stored under: the code, or empty for every area (so
/// that the unique constraint covers "every area" too, which a NULL would not).
fn area_scope(area: Option<&AreaCode>) -> &str {
    area.map_or("", AreaCode::as_str)
}

fn override_json(change: &NewNeedOverride) -> serde_json::Value {
    json!({
        "assumption": change.assumption_id,
        "area": change.area.as_ref().map(AreaCode::as_str),
        "low": change.low,
        "central": change.central,
        "high": change.high,
        "per": change.per,
        "reason": change.reason,
    })
}

fn stored_override_json(change: &NeedOverride) -> serde_json::Value {
    json!({
        "assumption": change.assumption_id,
        "area": change.area.as_ref().map(AreaCode::as_str),
        "low": change.low,
        "central": change.central,
        "high": change.high,
        "per": change.per,
        "reason": change.reason,
    })
}

impl Store {
    /// Stores every row of a checked population table for a partnership, in one transaction
    /// with its audit entry (`population.import`): all of it or, on any error, none.
    pub async fn import_population(
        &self,
        actor: &Actor,
        partnership_id: &str,
        table: &PopulationTable,
    ) -> Result<PopulationImport, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let imported_at = now();
        let source = &table.source;
        let year = source.year.map(i32::from);
        let counts: Vec<(&str, u8, i64)> = table
            .rows
            .iter()
            .flat_map(|row| {
                row.ages.iter().map(|(age, people)| {
                    // A count above i64::MAX people cannot be real; clamping keeps the
                    // insert from failing on a value the checked table should never hold.
                    let people = i64::try_from(*people).unwrap_or(i64::MAX);
                    (row.area.as_str(), *age, people)
                })
            })
            .collect();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO population_imports
                     (id, partnership_id, file_name, publisher, edition, year, layout,
                     imported_by, imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&source.file_name)
            .bind(&source.publisher)
            .bind(&source.edition)
            .bind(year)
            .bind(layout_id(&source.layout))
            .bind(&actor.user_id)
            .bind(DbTime::from(imported_at))
            .execute(&mut *tx)
            .await?;
            for rows in table.rows.chunks(COUNTS_PER_INSERT / 4) {
                let mut insert = builder_for(
                    pool,
                    "INSERT INTO population_areas (import_id, area_code, name, suspect) ",
                );
                insert.push_values(rows, |mut values, row| {
                    values
                        .push_bind(id.as_str())
                        .push_bind(row.area.as_str())
                        .push_bind(row.name.as_str())
                        .push_bind(row.suspect.as_deref());
                });
                insert.build().execute(&mut *tx).await?;
            }
            for chunk in counts.chunks(COUNTS_PER_INSERT) {
                let mut insert = builder_for(
                    pool,
                    "INSERT INTO population_counts (import_id, area_code, age, people) ",
                );
                insert.push_values(chunk, |mut values, (area, age, people)| {
                    values
                        .push_bind(id.as_str())
                        .push_bind(*area)
                        .push_bind(i32::from(*age))
                        .push_bind(*people);
                });
                insert.build().execute(&mut *tx).await?;
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "population.import",
                    "population_import",
                    &id,
                )
                .by(actor)
                .after(json!({
                    "file_name": source.file_name,
                    "publisher": source.publisher,
                    "edition": source.edition,
                    "year": source.year,
                    "areas": table.rows.len(),
                })),
            )
            .await?;
            tx.commit().await?;
        });
        let imported_by_label = self.user(&actor.user_id).await?.map_or_else(
            || DELETED_ACCOUNT_LABEL.to_owned(),
            |user| user.display_name,
        );
        Ok(PopulationImport {
            id,
            partnership_id: partnership_id.to_owned(),
            file_name: source.file_name.clone(),
            publisher: source.publisher.clone(),
            edition: source.edition.clone(),
            year: source.year,
            layout: layout_id(&source.layout).to_owned(),
            imported_by: Some(actor.user_id.clone()),
            imported_by_label,
            imported_at,
            areas: table.rows.len(),
        })
    }

    /// A partnership's imported population files, newest first.
    pub async fn population_imports(
        &self,
        partnership_id: &str,
    ) -> Result<Vec<PopulationImport>, StoreError> {
        let rows: Vec<ImportRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT i.id, i.partnership_id, i.file_name, i.publisher, i.edition, i.year,
                     i.layout,
                        i.imported_by, i.imported_at, u.display_name AS importer_name,
                        (SELECT COUNT(*) FROM population_areas a WHERE a.import_id = i.id) AS areas
                 FROM population_imports i LEFT JOIN users u ON u.id = i.imported_by
                 WHERE i.partnership_id = $1
                 ORDER BY i.imported_at DESC, i.id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(import_from_row).collect())
    }

    /// The rows of one import for the areas asked for (those the file has), in code order.
    /// The import must belong to `partnership_id`; otherwise nothing is returned.
    pub async fn population_rows(
        &self,
        partnership_id: &str,
        import_id: &str,
        areas: &[AreaCode],
    ) -> Result<Vec<StoredAreaPopulation>, StoreError> {
        if areas.is_empty() {
            return Ok(Vec::new());
        }
        let (area_rows, count_rows) = on_backend!(self, |pool| {
            let owned: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM population_imports WHERE id = $1 AND partnership_id = $2",
            )
            .bind(import_id)
            .bind(partnership_id)
            .fetch_optional(pool)
            .await?;
            if owned.is_none() {
                return Ok(Vec::new());
            }
            let mut select = builder_for(
                pool,
                "SELECT area_code, name, suspect FROM population_areas WHERE import_id = ",
            );
            select.push_bind(import_id).push(" AND area_code IN (");
            push_in_list(&mut select, areas.iter().map(AreaCode::as_str));
            select.push(" ORDER BY area_code");
            let area_rows: Vec<AreaRow> = select.build_query_as().fetch_all(pool).await?;
            let mut select = builder_for(
                pool,
                "SELECT area_code, age, people FROM population_counts WHERE import_id = ",
            );
            select.push_bind(import_id).push(" AND area_code IN (");
            push_in_list(&mut select, areas.iter().map(AreaCode::as_str));
            let count_rows: Vec<CountRow> = select.build_query_as().fetch_all(pool).await?;
            (area_rows, count_rows)
        });
        let mut ages: BTreeMap<String, BTreeMap<u8, u64>> = BTreeMap::new();
        for row in count_rows {
            let (Ok(age), Ok(people)) = (u8::try_from(row.age), u64::try_from(row.people)) else {
                return Err(StoreError::Corrupt {
                    what: "population count",
                    detail: format!("{} aged {}: {}", row.area_code, row.age, row.people),
                });
            };
            ages.entry(row.area_code).or_default().insert(age, people);
        }
        area_rows
            .into_iter()
            .map(|row| {
                let area = row.area_code.parse().map_err(|_| StoreError::Corrupt {
                    what: "population area code",
                    detail: row.area_code.clone(),
                })?;
                Ok(StoredAreaPopulation {
                    area,
                    ages: ages.remove(&row.area_code).unwrap_or_default(),
                    name: row.name,
                    suspect: row.suspect,
                })
            })
            .collect()
    }

    /// Sets a partnership's own rate for an assumption (replacing any for the same
    /// assumption and area), auditing before and after (`need.override.set`).
    pub async fn set_need_override(
        &self,
        actor: &Actor,
        partnership_id: &str,
        change: &NewNeedOverride,
    ) -> Result<(), StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let scope = area_scope(change.area.as_ref());
        let per = i32::try_from(change.per).map_err(|_| StoreError::Corrupt {
            what: "override denominator",
            detail: change.per.to_string(),
        })?;
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let previous: Option<OverrideRow> = sqlx::query_as(
                "SELECT o.id, o.assumption_id, o.area_scope, o.low, o.central, o.high, o.per,
                     o.reason,
                        o.made_by, o.made_at, NULL AS author_name
                 FROM need_overrides o
                 WHERE o.partnership_id = $1 AND o.assumption_id = $2 AND o.area_scope = $3",
            )
            .bind(partnership_id)
            .bind(&change.assumption_id)
            .bind(scope)
            .fetch_optional(&mut *tx)
            .await?;
            let before = match previous {
                Some(row) => {
                    sqlx::query("DELETE FROM need_overrides WHERE id = $1")
                        .bind(&row.id)
                        .execute(&mut *tx)
                        .await?;
                    Some(stored_override_json(&override_from_row(row)?))
                }
                None => None,
            };
            sqlx::query(
                "INSERT INTO need_overrides
                     (id, partnership_id, assumption_id, area_scope, low, central, high, per,
                     reason, made_by, made_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&change.assumption_id)
            .bind(scope)
            .bind(change.low)
            .bind(change.central)
            .bind(change.high)
            .bind(per)
            .bind(&change.reason)
            .bind(&actor.user_id)
            .bind(DbTime::from(now()))
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "need.override.set", "need_override", &id)
                    .by(actor)
                    .before(before)
                    .after(override_json(change)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes one of a partnership's overrides, auditing what it was
    /// (`need.override.remove`). [`StoreError::NotFound`] if the partnership has no such
    /// override.
    pub async fn remove_need_override(
        &self,
        actor: &Actor,
        partnership_id: &str,
        override_id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let existing: Option<OverrideRow> = sqlx::query_as(
                "SELECT o.id, o.assumption_id, o.area_scope, o.low, o.central, o.high, o.per,
                     o.reason,
                        o.made_by, o.made_at, NULL AS author_name
                 FROM need_overrides o WHERE o.id = $1 AND o.partnership_id = $2",
            )
            .bind(override_id)
            .bind(partnership_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(existing) = existing else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("DELETE FROM need_overrides WHERE id = $1")
                .bind(override_id)
                .execute(&mut *tx)
                .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "need.override.remove",
                    "need_override",
                    override_id,
                )
                .by(actor)
                .before(stored_override_json(&override_from_row(existing)?)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A partnership's overrides, by assumption then area ("every area" first).
    pub async fn need_overrides(
        &self,
        partnership_id: &str,
    ) -> Result<Vec<NeedOverride>, StoreError> {
        let rows: Vec<OverrideRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT o.id, o.assumption_id, o.area_scope, o.low, o.central, o.high, o.per,
                     o.reason,
                        o.made_by, o.made_at, u.display_name AS author_name
                 FROM need_overrides o LEFT JOIN users u ON u.id = o.made_by
                 WHERE o.partnership_id = $1
                 ORDER BY o.assumption_id, o.area_scope",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(override_from_row).collect()
    }
}

fn import_from_row(row: ImportRow) -> PopulationImport {
    PopulationImport {
        id: row.id,
        partnership_id: row.partnership_id,
        file_name: row.file_name,
        publisher: row.publisher,
        edition: row.edition,
        year: row.year.and_then(|year| u16::try_from(year).ok()),
        layout: row.layout,
        imported_by: row.imported_by,
        imported_by_label: row
            .importer_name
            .unwrap_or_else(|| DELETED_ACCOUNT_LABEL.to_owned()),
        imported_at: row.imported_at,
        areas: usize::try_from(row.areas).unwrap_or(0),
    }
}

fn override_from_row(row: OverrideRow) -> Result<NeedOverride, StoreError> {
    let area = if row.area_scope.is_empty() {
        None
    } else {
        Some(
            row.area_scope
                .parse::<AreaCode>()
                .map_err(|_| StoreError::Corrupt {
                    what: "override area code",
                    detail: row.area_scope.clone(),
                })?,
        )
    };
    let per = u32::try_from(row.per).map_err(|_| StoreError::Corrupt {
        what: "override denominator",
        detail: row.per.to_string(),
    })?;
    Ok(NeedOverride {
        id: row.id,
        assumption_id: row.assumption_id,
        area,
        low: row.low,
        central: row.central,
        high: row.high,
        per,
        reason: row.reason,
        made_by: row.made_by,
        made_by_label: row
            .author_name
            .unwrap_or_else(|| DELETED_ACCOUNT_LABEL.to_owned()),
        made_at: row.made_at,
    })
}
