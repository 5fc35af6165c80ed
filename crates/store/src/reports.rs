//! Report packs: the definitions a partnership saves, and each pack it makes kept as a dated
//! snapshot (the document's data and its files) that is never changed afterwards.

use cradle_domain::report::{Document, PackDefinition, SectionKind};
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, DELETED_ACCOUNT_LABEL, SYSTEM_ACTOR_LABEL, insert_audit};
use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::workshops::{corrupt, new_id};
use crate::{Store, StoreError};

/// A saved pack definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPack {
    pub id: String,
    pub partnership_id: String,
    pub definition: PackDefinition,
    pub updated_at: OffsetDateTime,
}

/// A snapshot as the Reports page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub id: String,
    pub pack_name: String,
    pub title: String,
    /// Who made it, or "A deleted account".
    pub made_by_label: String,
    pub made_at: OffsetDateTime,
    /// Each file's format and size in bytes, in the order they were saved.
    pub files: Vec<(String, u64)>,
}

/// One file of a snapshot to save: its format (`pdf`, `docx`, `xlsx`, `slides`) and bytes.
#[derive(Debug, Clone)]
pub struct SnapshotFile {
    pub format: String,
    pub content: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct PackRow {
    id: String,
    partnership_id: String,
    name: String,
    title: String,
    author: String,
    introduction: String,
    sections: String,
    updated_at: OffsetDateTime,
}

fn pack_from_row(row: PackRow) -> Result<StoredPack, StoreError> {
    let sections = row
        .sections
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| id.parse::<SectionKind>())
        .collect::<Result<_, _>>()
        .map_err(|e| corrupt("report pack", e))?;
    Ok(StoredPack {
        id: row.id,
        partnership_id: row.partnership_id,
        definition: PackDefinition {
            name: row.name,
            title: row.title,
            author: row.author,
            introduction: row.introduction,
            sections,
        },
        updated_at: row.updated_at,
    })
}

fn section_ids(pack: &PackDefinition) -> String {
    let ids: Vec<&str> = pack.sections.iter().map(|kind| kind.id()).collect();
    ids.join(",")
}

fn pack_json(pack: &PackDefinition) -> serde_json::Value {
    json!({
        "name": pack.name,
        "title": pack.title,
        "author": pack.author,
        "introduction": pack.introduction,
        "sections": section_ids(pack),
    })
}

impl Store {
    /// The partnership's pack definitions, by name.
    pub async fn packs(&self, partnership_id: &str) -> Result<Vec<StoredPack>, StoreError> {
        let rows: Vec<PackRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, partnership_id, name, title, author, introduction, sections,
                     updated_at
                 FROM report_packs WHERE partnership_id = $1 ORDER BY name_folded",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(pack_from_row).collect()
    }

    /// One pack definition of the partnership.
    pub async fn pack(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredPack>, StoreError> {
        let row: Option<PackRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, partnership_id, name, title, author, introduction, sections,
                     updated_at
                 FROM report_packs WHERE partnership_id = $1 AND id = $2",
            )
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(pack_from_row).transpose()
    }

    /// Saves a new pack definition, audited as `pack.create` by `actor` (`None`: Cradle
    /// itself, for the demo). [`StoreError::PackNameTaken`] if another pack of the
    /// partnership has the name (in any case).
    pub async fn create_pack(
        &self,
        actor: Option<&Actor>,
        partnership_id: &str,
        pack: &PackDefinition,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let inserted = sqlx::query(
                "INSERT INTO report_packs (id, partnership_id, name, name_folded, title, author,
                     introduction, sections, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
                 ON CONFLICT DO NOTHING",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&pack.name)
            .bind(pack.name.to_lowercase())
            .bind(&pack.title)
            .bind(&pack.author)
            .bind(&pack.introduction)
            .bind(section_ids(pack))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                return Err(StoreError::PackNameTaken);
            }
            let record = AuditRecord::new(partnership_id, "pack.create", "report_pack", &id)
                .by_user(actor.map(|actor| actor.user_id.as_str()))
                .after(pack_json(pack));
            insert_audit(tx.conn(), record).await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes a pack definition, audited as `pack.update` with the before and after.
    pub async fn update_pack(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        pack: &PackDefinition,
    ) -> Result<(), StoreError> {
        let Some(before) = self.pack(partnership_id, id).await? else {
            return Err(StoreError::NotFound);
        };
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let taken: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM report_packs
                 WHERE partnership_id = $1 AND name_folded = $2 AND id <> $3",
            )
            .bind(partnership_id)
            .bind(pack.name.to_lowercase())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some() {
                return Err(StoreError::PackNameTaken);
            }
            let changed = sqlx::query(
                "UPDATE report_packs SET name = $1, name_folded = $2, title = $3, author = $4,
                     introduction = $5, sections = $6, updated_at = $7
                 WHERE partnership_id = $8 AND id = $9",
            )
            .bind(&pack.name)
            .bind(pack.name.to_lowercase())
            .bind(&pack.title)
            .bind(&pack.author)
            .bind(&pack.introduction)
            .bind(section_ids(pack))
            .bind(at)
            .bind(partnership_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let record = AuditRecord::new(partnership_id, "pack.update", "report_pack", id)
                .by(actor)
                .before(pack_json(&before.definition))
                .after(pack_json(pack));
            insert_audit(tx.conn(), record).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes a pack definition (its snapshots stay), audited as `pack.delete`.
    pub async fn delete_pack(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        let Some(before) = self.pack(partnership_id, id).await? else {
            return Err(StoreError::NotFound);
        };
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM report_packs WHERE partnership_id = $1 AND id = $2")
                .bind(partnership_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let record = AuditRecord::new(partnership_id, "pack.delete", "report_pack", id)
                .by(actor)
                .before(pack_json(&before.definition));
            insert_audit(tx.conn(), record).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Keeps a pack as made now: the document and its files, in one transaction, audited as
    /// `report.make` by `actor` (`None`: Cradle itself). Returns the snapshot's id.
    pub async fn save_snapshot(
        &self,
        actor: Option<&Actor>,
        partnership_id: &str,
        pack_name: &str,
        document: &Document,
        files: &[SnapshotFile],
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        let data = serde_json::to_string(document).map_err(|e| corrupt("report", e))?;
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO report_snapshots (id, partnership_id, pack_name, title, document,
                     made_by, made_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(pack_name)
            .bind(&document.title)
            .bind(&data)
            .bind(actor.map(|actor| actor.user_id.as_str()))
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for file in files {
                sqlx::query(
                    "INSERT INTO report_snapshot_files (snapshot_id, format, content)
                     VALUES ($1, $2, $3)",
                )
                .bind(&id)
                .bind(&file.format)
                .bind(&file.content)
                .execute(&mut *tx)
                .await?;
            }
            let formats: Vec<&str> = files.iter().map(|file| file.format.as_str()).collect();
            let record = AuditRecord::new(partnership_id, "report.make", "report_snapshot", &id)
                .by_user(actor.map(|actor| actor.user_id.as_str()))
                .after(json!({ "pack": pack_name, "title": document.title, "formats": formats }));
            insert_audit(tx.conn(), record).await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// The partnership's snapshots, newest first.
    pub async fn snapshots(
        &self,
        partnership_id: &str,
    ) -> Result<Vec<SnapshotSummary>, StoreError> {
        type Row = (
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            OffsetDateTime,
        );
        let rows: Vec<Row> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT s.id, s.pack_name, s.title, s.made_by, u.display_name, s.made_at
                 FROM report_snapshots s LEFT JOIN users u ON u.id = s.made_by
                 WHERE s.partnership_id = $1
                 ORDER BY s.made_at DESC, s.id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        let files: Vec<(String, String, i64)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT f.snapshot_id, f.format, CAST(LENGTH(f.content) AS BIGINT)
                 FROM report_snapshot_files f
                 JOIN report_snapshots s ON s.id = f.snapshot_id
                 WHERE s.partnership_id = $1
                 ORDER BY f.snapshot_id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(id, pack_name, title, made_by, maker, made_at)| SnapshotSummary {
                    files: files
                        .iter()
                        .filter(|(snapshot, _, _)| *snapshot == id)
                        .map(|(_, format, size)| {
                            (format.clone(), u64::try_from(*size).unwrap_or(0))
                        })
                        .collect(),
                    id,
                    pack_name,
                    title,
                    made_by_label: match (made_by, maker) {
                        (None, _) => SYSTEM_ACTOR_LABEL.to_owned(),
                        (Some(_), Some(name)) => name,
                        (Some(_), None) => DELETED_ACCOUNT_LABEL.to_owned(),
                    },
                    made_at,
                },
            )
            .collect())
    }

    /// One snapshot's summary and the document it was made from.
    pub async fn snapshot(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<(SnapshotSummary, Document)>, StoreError> {
        let summary = self
            .snapshots(partnership_id)
            .await?
            .into_iter()
            .find(|summary| summary.id == id);
        let Some(summary) = summary else {
            return Ok(None);
        };
        let data: (String,) = on_backend!(self, |pool| {
            sqlx::query_as("SELECT document FROM report_snapshots WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await?
        });
        let document = serde_json::from_str(&data.0).map_err(|e| corrupt("report", e))?;
        Ok(Some((summary, document)))
    }

    /// One file of a snapshot of the partnership, if it was made in that format.
    pub async fn snapshot_file(
        &self,
        partnership_id: &str,
        id: &str,
        format: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let row: Option<(Vec<u8>,)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT f.content FROM report_snapshot_files f
                 JOIN report_snapshots s ON s.id = f.snapshot_id
                 WHERE s.partnership_id = $1 AND f.snapshot_id = $2 AND f.format = $3",
            )
            .bind(partnership_id)
            .bind(id)
            .bind(format)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(content,)| content))
    }
}
