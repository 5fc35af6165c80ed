//! A partnership's map of local services: adding, changing and removing one service, and
//! importing a whole file in one transaction. Every change is audited in the transaction
//! that makes it.

use std::collections::HashMap;

use cradle_domain::services::{Service, ServiceFields};
use serde_json::json;
use time::{Date, OffsetDateTime};

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, Conn, on_backend, on_conn};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

/// A service as stored: its id (for addresses) and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredService {
    pub id: String,
    pub service: Service,
    pub updated_at: OffsetDateTime,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    service_key: String,
    name: String,
    provider: String,
    sector: String,
    tier: String,
    age_bands: String,
    levels: String,
    elements: String,
    works_with_relationship: bool,
    areas: String,
    eligibility: String,
    referral_from: String,
    capacity_families_per_year: Option<i64>,
    funding_end: Option<Date>,
    updated_at: OffsetDateTime,
}

/// A query of services with the columns [`ServiceRow`] reads, as one static string (sqlx
/// takes only static SQL without an explicit assertion).
macro_rules! select_services {
    ($rest:literal) => {
        concat!(
            "SELECT id, service_key, name, provider, sector, tier, age_bands, levels, elements,
                 works_with_relationship, areas, eligibility, referral_from,
                 capacity_families_per_year, funding_end, updated_at
             FROM services ",
            $rest
        )
    };
}

/// Multi-value fields are kept as their ids joined by `;`, the separator files use.
fn joined<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// Keys match without regard to case, as people retype them.
fn folded(key: &str) -> String {
    key.to_lowercase()
}

/// A service as the audit log records it.
fn service_json(service: &Service) -> serde_json::Value {
    let fields = ServiceFields::from_service(service);
    json!({
        "key": fields.key,
        "name": fields.name,
        "provider": fields.provider,
        "sector": fields.sector,
        "tier": fields.tier,
        "age_bands": fields.age_bands,
        "levels": fields.levels,
        "elements": fields.elements,
        "works_with_relationship": service.works_with_relationship,
        "areas": fields.areas,
        "eligibility": fields.eligibility,
        "referral_from": fields.referral_from,
        "capacity_families_per_year": service.capacity_families_per_year,
        "funding_end": fields.funding_end,
    })
}

/// A stored row back as a checked service; a row that no longer passes the rules is
/// reported as corrupt rather than shown half-read.
fn service_from_row(row: ServiceRow) -> Result<StoredService, StoreError> {
    let fields = ServiceFields {
        key: row.service_key,
        name: row.name,
        provider: row.provider,
        sector: row.sector,
        tier: row.tier,
        age_bands: row.age_bands,
        levels: row.levels,
        elements: row.elements,
        works_with_relationship: if row.works_with_relationship {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
        areas: row.areas,
        eligibility: row.eligibility,
        referral_from: row.referral_from,
        capacity: row
            .capacity_families_per_year
            .map(|n| n.to_string())
            .unwrap_or_default(),
        funding_end: row
            .funding_end
            .map(|date| {
                format!(
                    "{:04}-{:02}-{:02}",
                    date.year(),
                    u8::from(date.month()),
                    date.day()
                )
            })
            .unwrap_or_default(),
    };
    let service = fields.validate().map_err(|errors| StoreError::Corrupt {
        what: "service",
        detail: errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    })?;
    Ok(StoredService {
        id: row.id,
        service,
        updated_at: row.updated_at,
    })
}

/// Inserts a service row on an open transaction.
async fn insert_service(
    conn: Conn<'_>,
    id: &str,
    partnership_id: &str,
    service: &Service,
    at: DbTime,
) -> Result<(), StoreError> {
    on_conn!(conn, |conn| {
        sqlx::query(
            "INSERT INTO services (id, partnership_id, service_key, key_folded, name, provider,
                 sector, tier, age_bands, levels, elements, works_with_relationship, areas,
                 eligibility, referral_from, capacity_families_per_year, funding_end,
                 created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                 $17, $18, $18)",
        )
        .bind(id)
        .bind(partnership_id)
        .bind(&service.key)
        .bind(folded(&service.key))
        .bind(&service.name)
        .bind(&service.provider)
        .bind(service.sector.id())
        .bind(service.tier.id())
        .bind(joined(&service.stages))
        .bind(joined(&service.levels))
        .bind(joined(&service.elements))
        .bind(service.works_with_relationship)
        .bind(joined(&service.areas))
        .bind(&service.eligibility)
        .bind(service.referral_from.join(";"))
        .bind(service.capacity_families_per_year.map(i64::from))
        .bind(service.funding_end)
        .bind(at)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// Replaces a service row's details on an open transaction.
async fn update_service_row(
    conn: Conn<'_>,
    id: &str,
    service: &Service,
    at: DbTime,
) -> Result<(), StoreError> {
    on_conn!(conn, |conn| {
        sqlx::query(
            "UPDATE services SET service_key = $1, key_folded = $2, name = $3, provider = $4,
                 sector = $5, tier = $6, age_bands = $7, levels = $8, elements = $9,
                 works_with_relationship = $10, areas = $11, eligibility = $12,
                 referral_from = $13, capacity_families_per_year = $14, funding_end = $15,
                 updated_at = $16
             WHERE id = $17",
        )
        .bind(&service.key)
        .bind(folded(&service.key))
        .bind(&service.name)
        .bind(&service.provider)
        .bind(service.sector.id())
        .bind(service.tier.id())
        .bind(joined(&service.stages))
        .bind(joined(&service.levels))
        .bind(joined(&service.elements))
        .bind(service.works_with_relationship)
        .bind(joined(&service.areas))
        .bind(&service.eligibility)
        .bind(service.referral_from.join(";"))
        .bind(service.capacity_families_per_year.map(i64::from))
        .bind(service.funding_end)
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    });
    Ok(())
}

impl Store {
    /// A partnership's services, by name.
    pub async fn services(&self, partnership_id: &str) -> Result<Vec<StoredService>, StoreError> {
        let rows: Vec<ServiceRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_services!(
                "WHERE partnership_id = $1 ORDER BY name, service_key"
            ))
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(service_from_row).collect()
    }

    /// One service of a partnership, or `None` (also for another partnership's service).
    pub async fn service(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredService>, StoreError> {
        let row: Option<ServiceRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_services!("WHERE partnership_id = $1 AND id = $2"))
                .bind(partnership_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(service_from_row).transpose()
    }

    /// Adds a service, audited as `service.create`. [`StoreError::KeyTaken`] if another
    /// service of the partnership has its key; [`StoreError::NotFound`] if there is no
    /// such partnership.
    pub async fn create_service(
        &self,
        actor: &Actor,
        partnership_id: &str,
        service: &Service,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let taken: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM services WHERE partnership_id = $1 AND key_folded = $2",
            )
            .bind(partnership_id)
            .bind(folded(&service.key))
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Err(StoreError::KeyTaken);
            }
            insert_service(tx.conn(), &id, partnership_id, service, at).await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "service.create", "service", &id)
                    .by(actor)
                    .after(service_json(service)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes a service (its key too), audited as `service.update` with the before and
    /// after. [`StoreError::NotFound`] if the partnership has no such service;
    /// [`StoreError::KeyTaken`] if the new key is another service's.
    pub async fn update_service(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        service: &Service,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let row: Option<ServiceRow> =
                sqlx::query_as(select_services!("WHERE partnership_id = $1 AND id = $2"))
                    .bind(partnership_id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(row) = row else {
                return Err(StoreError::NotFound);
            };
            let before = service_from_row(row)?;
            let taken: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM services WHERE partnership_id = $1 AND key_folded = $2 AND id <>
                     $3",
            )
            .bind(partnership_id)
            .bind(folded(&service.key))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Err(StoreError::KeyTaken);
            }
            update_service_row(tx.conn(), id, service, at).await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "service.update", "service", id)
                    .by(actor)
                    .before(service_json(&before.service))
                    .after(service_json(service)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes a service, audited as `service.delete` with what it was.
    /// [`StoreError::NotFound`] if the partnership has no such service.
    pub async fn delete_service(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let row: Option<ServiceRow> =
                sqlx::query_as(select_services!("WHERE partnership_id = $1 AND id = $2"))
                    .bind(partnership_id)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(row) = row else {
                return Err(StoreError::NotFound);
            };
            let before = service_from_row(row)?;
            let deleted = sqlx::query("DELETE FROM services WHERE partnership_id = $1 AND id = $2")
                .bind(partnership_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "service.delete", "service", id)
                    .by(actor)
                    .before(service_json(&before.service)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Stores a whole imported file in one transaction: a service whose key the
    /// partnership already has is updated in place, any other is added; services not in
    /// the file are kept. Audited once as `service.import` with the counts and keys.
    /// The caller has already checked the file (keys are unique within it).
    pub async fn import_services(
        &self,
        actor: &Actor,
        partnership_id: &str,
        services: &[Service],
    ) -> Result<ImportSummary, StoreError> {
        let at = DbTime::from(now());
        let mut summary = ImportSummary::default();
        let mut created_keys = Vec::new();
        let mut updated_keys = Vec::new();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Taking the partnership's lock first makes imports and edits of one
            // partnership run one at a time, so two imports cannot both add a key.
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let existing: Vec<(String, String)> =
                sqlx::query_as("SELECT key_folded, id FROM services WHERE partnership_id = $1")
                    .bind(partnership_id)
                    .fetch_all(&mut *tx)
                    .await?;
            let existing: HashMap<String, String> = existing.into_iter().collect();
            for service in services {
                match existing.get(&folded(&service.key)) {
                    Some(id) => {
                        update_service_row(tx.conn(), id, service, at).await?;
                        summary.updated += 1;
                        updated_keys.push(service.key.as_str());
                    }
                    None => {
                        let id = uuid::Uuid::new_v4().simple().to_string();
                        insert_service(tx.conn(), &id, partnership_id, service, at).await?;
                        summary.created += 1;
                        created_keys.push(service.key.as_str());
                    }
                }
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "service.import",
                    "partnership",
                    partnership_id,
                )
                .by(actor)
                .after(json!({
                    "created": summary.created,
                    "updated": summary.updated,
                    "created_keys": created_keys,
                    "updated_keys": updated_keys,
                })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(summary)
    }
}
