//! Local indicator files a partnership has imported from OHID's Fingertips tool. An import is
//! stored whole or not at all, with its audit entry in the same transaction.

use cradle_domain::partnership::AreaCode;
use cradle_readers::IndicatorTable;
use serde_json::json;
use sqlx::{Database, Pool, QueryBuilder};
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend, push_in_list};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{DELETED_ACCOUNT_LABEL, Store, StoreError};

/// Figures per multi-row `INSERT`: 22 parameters a row keeps each statement far below both
/// engines' parameter limits.
const VALUES_PER_INSERT: usize = 500;

/// An imported indicator file and where its figures came from, as shown beside them.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorImport {
    pub id: String,
    pub partnership_id: String,
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// The first year of the latest period in the file.
    pub year: Option<u16>,
    pub imported_by: Option<String>,
    /// The importer's display name, or "A deleted account".
    pub imported_by_label: String,
    pub imported_at: OffsetDateTime,
    /// How many figures the file has.
    pub figures: usize,
    /// How many different indicators.
    pub indicators: usize,
}

/// One stored figure.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredIndicatorValue {
    pub indicator_id: i64,
    pub indicator_name: String,
    pub area_code: String,
    pub area_name: String,
    pub area_type: String,
    pub sex: String,
    pub age: String,
    pub category_type: Option<String>,
    pub category: Option<String>,
    pub period: String,
    pub period_order: i64,
    pub value: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
    pub lower_99_8: Option<f64>,
    pub upper_99_8: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    pub value_note: Option<String>,
    pub compared_to_nation: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: String,
    partnership_id: String,
    file_name: String,
    publisher: String,
    edition: String,
    year: Option<i32>,
    imported_by: Option<String>,
    imported_at: OffsetDateTime,
    importer_name: Option<String>,
    figures: i64,
    indicators: i64,
}

/// A query builder for the backend `pool` belongs to, so that one builder text serves both.
fn builder_for<DB: Database>(_pool: &Pool<DB>, sql: &str) -> QueryBuilder<DB> {
    QueryBuilder::new(sql)
}

impl Store {
    /// Stores every figure of a checked indicator file for a partnership, in one transaction
    /// with its audit entry (`indicators.import`): all of it or, on any error, none.
    pub async fn import_indicators(
        &self,
        actor: &Actor,
        partnership_id: &str,
        table: &IndicatorTable,
    ) -> Result<IndicatorImport, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let imported_at = now();
        let year = table.latest_year.map(i32::from);
        let indicators = table.indicators();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO indicator_imports
                     (id, partnership_id, file_name, publisher, edition, year, imported_by,
                     imported_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&table.file_name)
            .bind(&table.publisher)
            .bind(&table.edition)
            .bind(year)
            .bind(&actor.user_id)
            .bind(DbTime::from(imported_at))
            .execute(&mut *tx)
            .await?;
            for chunk in table.values.chunks(VALUES_PER_INSERT) {
                let mut insert = builder_for(
                    pool,
                    "INSERT INTO indicator_values (import_id, row_number, indicator_id,
                         indicator_name,
                         area_code, area_name, area_type, sex, age, category_type, category, period,
                         period_order, value, lower_95, upper_95, lower_99_8, upper_99_8, count,
                         denominator, value_note, compared_to_nation) ",
                );
                insert.push_values(chunk, |mut values, figure| {
                    values
                        .push_bind(id.as_str())
                        .push_bind(i64::try_from(figure.row).unwrap_or(i64::MAX))
                        .push_bind(i64::from(figure.indicator_id))
                        .push_bind(figure.indicator_name.as_str())
                        .push_bind(figure.area.as_str())
                        .push_bind(figure.area_name.as_str())
                        .push_bind(figure.area_type.as_str())
                        .push_bind(figure.sex.as_str())
                        .push_bind(figure.age.as_str())
                        .push_bind(figure.category_type.as_deref())
                        .push_bind(figure.category.as_deref())
                        .push_bind(figure.period.as_str())
                        .push_bind(figure.period_order)
                        .push_bind(figure.value)
                        .push_bind(figure.lower_95)
                        .push_bind(figure.upper_95)
                        .push_bind(figure.lower_99_8)
                        .push_bind(figure.upper_99_8)
                        .push_bind(figure.count)
                        .push_bind(figure.denominator)
                        .push_bind(figure.value_note.as_deref())
                        .push_bind(figure.compared_to_nation.as_deref());
                });
                insert.build().execute(&mut *tx).await?;
            }
            let named: Vec<_> = indicators
                .iter()
                .map(|(id, name)| json!({"id": id, "name": name}))
                .collect();
            let after = json!({
                "file_name": table.file_name,
                "publisher": table.publisher,
                "edition": table.edition,
                "year": table.latest_year,
                "figures": table.values.len(),
                "indicators": named,
            });
            let record =
                AuditRecord::new(partnership_id, "indicators.import", "indicator_import", &id);
            insert_audit(tx.conn(), record.by(actor).after(after)).await?;
            tx.commit().await?;
        });
        let imported_by_label = self.user(&actor.user_id).await?.map_or_else(
            || DELETED_ACCOUNT_LABEL.to_owned(),
            |user| user.display_name,
        );
        Ok(IndicatorImport {
            id,
            partnership_id: partnership_id.to_owned(),
            file_name: table.file_name.clone(),
            publisher: table.publisher.clone(),
            edition: table.edition.clone(),
            year: table.latest_year,
            imported_by: Some(actor.user_id.clone()),
            imported_by_label,
            imported_at,
            figures: table.values.len(),
            indicators: indicators.len(),
        })
    }

    /// A partnership's imported indicator files, newest first.
    pub async fn indicator_imports(
        &self,
        partnership_id: &str,
    ) -> Result<Vec<IndicatorImport>, StoreError> {
        let rows: Vec<ImportRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT i.id, i.partnership_id, i.file_name, i.publisher, i.edition, i.year,
                        i.imported_by, i.imported_at, u.display_name AS importer_name,
                        (SELECT COUNT(*) FROM indicator_values v WHERE v.import_id = i.id) AS
                        figures,
                        (SELECT COUNT(DISTINCT v.indicator_id) FROM indicator_values v WHERE
                        v.import_id = i.id) AS indicators
                 FROM indicator_imports i LEFT JOIN users u ON u.id = i.imported_by
                 WHERE i.partnership_id = $1
                 ORDER BY i.imported_at DESC, i.id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|row| IndicatorImport {
                id: row.id,
                partnership_id: row.partnership_id,
                file_name: row.file_name,
                publisher: row.publisher,
                edition: row.edition,
                year: row.year.and_then(|year| u16::try_from(year).ok()),
                imported_by: row.imported_by,
                imported_by_label: row
                    .importer_name
                    .unwrap_or_else(|| DELETED_ACCOUNT_LABEL.to_owned()),
                imported_at: row.imported_at,
                figures: usize::try_from(row.figures).unwrap_or(0),
                indicators: usize::try_from(row.indicators).unwrap_or(0),
            })
            .collect())
    }

    /// The figures of one import for the areas asked for, ordered by indicator, area and
    /// period. The import must belong to `partnership_id`; otherwise nothing is returned.
    pub async fn indicator_values(
        &self,
        partnership_id: &str,
        import_id: &str,
        areas: &[AreaCode],
    ) -> Result<Vec<StoredIndicatorValue>, StoreError> {
        if areas.is_empty() {
            return Ok(Vec::new());
        }
        let rows = on_backend!(self, |pool| {
            let mut select = builder_for(
                pool,
                "SELECT v.indicator_id, v.indicator_name, v.area_code, v.area_name, v.area_type,
                        v.sex, v.age, v.category_type, v.category, v.period, v.period_order,
                        v.value,
                        v.lower_95, v.upper_95, v.lower_99_8, v.upper_99_8, v.count, v.denominator,
                        v.value_note, v.compared_to_nation
                 FROM indicator_values v JOIN indicator_imports i ON i.id = v.import_id
                 WHERE v.import_id = ",
            );
            select
                .push_bind(import_id)
                .push(" AND i.partnership_id = ")
                .push_bind(partnership_id)
                .push(" AND v.area_code IN (");
            push_in_list(&mut select, areas.iter().map(AreaCode::as_str));
            select.push(" ORDER BY v.indicator_id, v.area_code, v.period_order, v.row_number");
            let rows: Vec<StoredIndicatorValue> = select.build_query_as().fetch_all(pool).await?;
            rows
        });
        Ok(rows)
    }
}
