//! What a workshop leaves behind: participants' answers and votes, the facilitator's
//! note groups (and hidden notes), and the decisions recorded.

use serde_json::json;
use time::OffsetDateTime;

use super::rows::{AnswerRow, answer_from_row, new_id, workshop_in};
use super::{Cluster, Decision, StoredAnswer, StoredVote};
use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, Conn, on_backend, on_conn};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

impl Store {
    /// Every answer in a workshop, hidden ones included, oldest first.
    pub async fn workshop_answers(
        &self,
        workshop_id: &str,
    ) -> Result<Vec<StoredAnswer>, StoreError> {
        let rows: Vec<AnswerRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, item_id, participant_id, kind, value, hidden, cluster_id, created_at
                 FROM workshop_answers WHERE workshop_id = $1 ORDER BY created_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(answer_from_row).collect()
    }

    /// Every vote in a workshop.
    pub async fn workshop_votes(&self, workshop_id: &str) -> Result<Vec<StoredVote>, StoreError> {
        let rows: Vec<(String, String, String)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT item_id, participant_id, target FROM workshop_votes
                 WHERE workshop_id = $1 ORDER BY created_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(item_id, participant_id, target)| StoredVote {
                item_id,
                participant_id,
                target,
            })
            .collect())
    }

    /// Hides a note (or shows it again), audited as `workshop.answer.hide` or `.show`.
    /// A hidden note's votes stop counting toward nothing: they are kept but not shown.
    pub async fn set_answer_hidden(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        answer_id: &str,
        hidden: bool,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let changed = sqlx::query(
                "UPDATE workshop_answers SET hidden = $1 WHERE id = $2 AND workshop_id = $3",
            )
            .bind(hidden)
            .bind(answer_id)
            .bind(workshop_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    if hidden {
                        "workshop.answer.hide"
                    } else {
                        "workshop.answer.show"
                    },
                    "workshop",
                    workshop_id,
                )
                .by(actor)
                .after(json!({ "answer": answer_id })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A workshop's note groups.
    pub async fn workshop_clusters(&self, workshop_id: &str) -> Result<Vec<Cluster>, StoreError> {
        let rows: Vec<(String, String, String)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, item_id, name FROM workshop_clusters
                 WHERE workshop_id = $1 ORDER BY created_at, name",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, item_id, name)| Cluster { id, item_id, name })
            .collect())
    }

    /// Puts a note into the group of that name on its item (made if need be), or takes it
    /// out of any group with `None`. Groups left empty are removed. Audited as
    /// `workshop.answer.group`.
    pub async fn group_answer(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        answer_id: &str,
        cluster: Option<&str>,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let item: Option<(String,)> = sqlx::query_as(
                "SELECT item_id FROM workshop_answers WHERE id = $1 AND workshop_id = $2 AND kind
                     = 'note'",
            )
            .bind(answer_id)
            .bind(workshop_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((item_id,)) = item else {
                return Err(StoreError::NotFound);
            };
            let cluster_id = match cluster {
                Some(name) => {
                    Some(cluster_named(tx.conn(), workshop_id, &item_id, name, at).await?)
                }
                None => None,
            };
            sqlx::query("UPDATE workshop_answers SET cluster_id = $1 WHERE id = $2")
                .bind(&cluster_id)
                .bind(answer_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM workshop_clusters WHERE item_id = $1 AND NOT EXISTS
                     (SELECT 1 FROM workshop_answers WHERE cluster_id = workshop_clusters.id)",
            )
            .bind(&item_id)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "workshop.answer.group",
                    "workshop",
                    workshop_id,
                )
                .by(actor)
                .after(json!({ "answer": answer_id, "group": cluster })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records a decision of a workshop, audited as `workshop.decision`.
    pub async fn add_decision(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        text: &str,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            sqlx::query(
                "INSERT INTO workshop_decisions (id, workshop_id, text, created_at) VALUES ($1,
                     $2, $3, $4)",
            )
            .bind(&id)
            .bind(workshop_id)
            .bind(text)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "workshop.decision", "workshop", workshop_id)
                    .by(actor)
                    .after(json!({ "decision": text })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A workshop's decisions, oldest first.
    pub async fn decisions(&self, workshop_id: &str) -> Result<Vec<Decision>, StoreError> {
        let rows: Vec<(String, String, OffsetDateTime)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, text, created_at FROM workshop_decisions
                 WHERE workshop_id = $1 ORDER BY created_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, text, created_at)| Decision {
                id,
                workshop_id: workshop_id.to_owned(),
                text,
                created_at,
            })
            .collect())
    }
}

/// The id of the note group of that name on an item, made now if there is none, on an
/// open transaction.
async fn cluster_named(
    conn: Conn<'_>,
    workshop_id: &str,
    item_id: &str,
    name: &str,
    at: DbTime,
) -> Result<String, StoreError> {
    on_conn!(conn, |conn| {
        let existing: Option<(String,)> =
            sqlx::query_as("SELECT id FROM workshop_clusters WHERE item_id = $1 AND name = $2")
                .bind(item_id)
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((id,)) = existing {
            return Ok(id);
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO workshop_clusters (id, workshop_id, item_id, name, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(workshop_id)
        .bind(item_id)
        .bind(name)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        Ok(id)
    })
}
