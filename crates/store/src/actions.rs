//! The partnership's action log: actions from its workshops or from none, the gaps in its
//! gap register that they answer, and changes to them, each audited in its transaction.

use std::collections::HashMap;

use cradle_domain::actions::{Action, ActionFilter, ActionStatus};
use serde_json::json;
use time::{Date, OffsetDateTime};

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::workshops::{corrupt, new_id, workshop_in};
use crate::{Store, StoreError};

/// An action in the partnership's action log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAction {
    /// Stable: other records (such as a gap in the gap register) may link to it.
    pub id: String,
    pub partnership_id: String,
    pub workshop_id: Option<String>,
    /// The workshop's title, when the action came from one.
    pub workshop_title: Option<String>,
    pub action: Action,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: String,
    partnership_id: String,
    workshop_id: Option<String>,
    workshop_title: Option<String>,
    what: String,
    owner: String,
    due: Option<Date>,
    status: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn action_from_row(row: ActionRow) -> Result<StoredAction, StoreError> {
    let status: ActionStatus = row.status.parse().map_err(|e| corrupt("action", e))?;
    Ok(StoredAction {
        id: row.id,
        partnership_id: row.partnership_id,
        workshop_id: row.workshop_id,
        workshop_title: row.workshop_title,
        action: Action {
            what: row.what,
            owner: row.owner,
            due: row.due,
            status,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn action_json(action: &Action) -> serde_json::Value {
    json!({
        "what": action.what,
        "owner": action.owner,
        "due": action.due.map(|date| date.to_string()),
        "status": action.status.id(),
    })
}

impl Store {
    /// Adds an action to the partnership's log, from a workshop of the partnership or
    /// none, audited as `action.create`. Returns its stable id.
    pub async fn create_action(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: Option<&str>,
        action: &Action,
    ) -> Result<String, StoreError> {
        self.insert_action(actor, partnership_id, workshop_id, None, action)
            .await
    }

    /// Adds an action to the partnership's log that answers a gap in its gap register
    /// (`finding:<id>` or `coverage:<wording>`; see migration 0008), in one transaction,
    /// audited as `action.create` with the gap. A gap has at most one action: linking a
    /// second is refused with [`StoreError::GapHasAction`].
    pub async fn create_action_for_gap(
        &self,
        actor: &Actor,
        partnership_id: &str,
        gap_key: &str,
        action: &Action,
    ) -> Result<String, StoreError> {
        self.insert_action(actor, partnership_id, None, Some(gap_key), action)
            .await
    }

    /// The gaps of a partnership's register that have an action: gap key → action id.
    pub async fn gap_actions(
        &self,
        partnership_id: &str,
    ) -> Result<HashMap<String, String>, StoreError> {
        let rows: Vec<(String, String)> = on_backend!(self, |pool| {
            sqlx::query_as("SELECT gap_key, action_id FROM gap_actions WHERE partnership_id = $1")
                .bind(partnership_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().collect())
    }

    async fn insert_action(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: Option<&str>,
        gap_key: Option<&str>,
        action: &Action,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            if let Some(workshop_id) = workshop_id {
                let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            }
            sqlx::query(
                "INSERT INTO actions (id, partnership_id, workshop_id, what, owner, due, status,
                     created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(workshop_id)
            .bind(&action.what)
            .bind(&action.owner)
            .bind(action.due)
            .bind(action.status.id())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if let Some(gap_key) = gap_key {
                let linked = sqlx::query(
                    "INSERT INTO gap_actions (partnership_id, gap_key, action_id) VALUES ($1, $2,
                         $3)
                     ON CONFLICT DO NOTHING",
                )
                .bind(partnership_id)
                .bind(gap_key)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                if linked.rows_affected() == 0 {
                    return Err(StoreError::GapHasAction);
                }
            }
            let mut after = action_json(action);
            after["workshop"] = json!(workshop_id);
            if let Some(gap_key) = gap_key {
                after["gap"] = json!(gap_key);
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "action.create", "action", &id)
                    .by(actor)
                    .after(after),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes an action, audited as `action.update` with the before and after.
    pub async fn update_action(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        action: &Action,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let row: Option<ActionRow> = sqlx::query_as(
                "SELECT a.id, a.partnership_id, a.workshop_id, w.title AS workshop_title, a.what,
                     a.owner, a.due, a.status, a.created_at, a.updated_at
                 FROM actions a LEFT JOIN workshops w ON w.id = a.workshop_id
                 WHERE a.partnership_id = $1 AND a.id = $2",
            )
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Err(StoreError::NotFound);
            };
            let before = action_from_row(row)?;
            sqlx::query(
                "UPDATE actions SET what = $1, owner = $2, due = $3, status = $4, updated_at = $5
                 WHERE id = $6",
            )
            .bind(&action.what)
            .bind(&action.owner)
            .bind(action.due)
            .bind(action.status.id())
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "action.update", "action", id)
                    .by(actor)
                    .before(action_json(&before.action))
                    .after(action_json(action)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// One action of a partnership.
    pub async fn action(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredAction>, StoreError> {
        let filter = ActionFilter::default();
        Ok(self
            .list_actions(partnership_id, &filter)
            .await?
            .into_iter()
            .find(|action| action.id == id))
    }

    /// The partnership's action log passing `filter`: open and in-progress first by due
    /// date (undated last), then done ones.
    pub async fn list_actions(
        &self,
        partnership_id: &str,
        filter: &ActionFilter,
    ) -> Result<Vec<StoredAction>, StoreError> {
        let rows: Vec<ActionRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT a.id, a.partnership_id, a.workshop_id, w.title AS workshop_title, a.what,
                     a.owner, a.due, a.status, a.created_at, a.updated_at
                 FROM actions a LEFT JOIN workshops w ON w.id = a.workshop_id
                 WHERE a.partnership_id = $1
                 ORDER BY a.created_at, a.id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        let mut actions: Vec<StoredAction> = rows
            .into_iter()
            .map(action_from_row)
            .collect::<Result<_, _>>()?;
        actions.retain(|stored| {
            filter.matches(
                stored.action.status,
                &stored.action.owner,
                stored.workshop_id.as_deref(),
            )
        });
        actions.sort_by_key(|stored| {
            (
                stored.action.status == ActionStatus::Done,
                stored.action.due.is_none(),
                stored.action.due,
            )
        });
        Ok(actions)
    }
}
