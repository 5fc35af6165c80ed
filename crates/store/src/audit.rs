//! The audit log: who changed what in a partnership, and how it was before and after.
//!
//! Entries are written by [`insert_audit`] inside the transaction that makes the change,
//! so a change and its entry are stored together or not at all. The store offers no way
//! to change or remove an entry, and the database refuses to (a trigger on each backend).

use time::OffsetDateTime;

use crate::backend::{Conn, on_backend, on_conn};
use crate::db_time::DbTime;
use crate::{Store, StoreError};

/// Who made a change, for the audit log.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: String,
}

/// One change as the audit log shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub partnership_id: String,
    pub at: OffsetDateTime,
    pub actor_user_id: Option<String>,
    /// The actor's display name and email, or "A deleted account".
    pub actor_label: String,
    /// What was done, such as `member.role` or `invitation.create`.
    pub action: String,
    /// The kind of record changed: `partnership`, `membership` or `invitation`.
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// How an entry names an actor whose account no longer exists.
pub const DELETED_ACCOUNT_LABEL: &str = "A deleted account";
/// How an entry names a change made by Cradle itself rather than a person.
pub const SYSTEM_ACTOR_LABEL: &str = "Cradle";

/// An entry to write with [`insert_audit`].
pub(crate) struct AuditRecord<'a> {
    partnership_id: &'a str,
    actor_user_id: Option<&'a str>,
    action: &'static str,
    entity: &'static str,
    entity_id: &'a str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

impl<'a> AuditRecord<'a> {
    /// `action` (such as `member.role`) done to the `entity` with id `entity_id` in a
    /// partnership, by Cradle itself until [`AuditRecord::by`] names someone, with no
    /// before or after state until they are given.
    pub(crate) fn new(
        partnership_id: &'a str,
        action: &'static str,
        entity: &'static str,
        entity_id: &'a str,
    ) -> Self {
        Self {
            partnership_id,
            actor_user_id: None,
            action,
            entity,
            entity_id,
            before: None,
            after: None,
        }
    }

    /// Made by this person.
    pub(crate) fn by(self, actor: &'a Actor) -> Self {
        self.by_user(Some(&actor.user_id))
    }

    /// Made by this account, or by no one the log may name (`None`).
    pub(crate) fn by_user(self, actor_user_id: Option<&'a str>) -> Self {
        Self {
            actor_user_id,
            ..self
        }
    }

    /// How the record was before the change (`None`: it did not exist).
    pub(crate) fn before(self, before: impl Into<Option<serde_json::Value>>) -> Self {
        Self {
            before: before.into(),
            ..self
        }
    }

    /// How the record is after the change (`None`: it no longer exists).
    pub(crate) fn after(self, after: impl Into<Option<serde_json::Value>>) -> Self {
        Self {
            after: after.into(),
            ..self
        }
    }
}

/// Appends a record to the audit log on the connection of an open transaction.
pub(crate) async fn insert_audit(
    conn: Conn<'_>,
    record: AuditRecord<'_>,
) -> Result<(), StoreError> {
    let at = DbTime::from(OffsetDateTime::now_utc());
    let before = record.before.as_ref().map(|value| value.to_string());
    let after = record.after.as_ref().map(|value| value.to_string());
    on_conn!(conn, |conn| {
        sqlx::query(
            "INSERT INTO audit_log (partnership_id, at, actor_user_id, action, entity,
                 entity_id, before_json, after_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(record.partnership_id)
        .bind(at)
        .bind(record.actor_user_id)
        .bind(record.action)
        .bind(record.entity)
        .bind(record.entity_id)
        .bind(before.as_deref())
        .bind(after.as_deref())
        .execute(conn)
        .await?;
    });
    Ok(())
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    partnership_id: String,
    at: OffsetDateTime,
    actor_user_id: Option<String>,
    action: String,
    entity: String,
    entity_id: String,
    before_json: Option<String>,
    after_json: Option<String>,
    actor_name: Option<String>,
    actor_email: Option<String>,
}

impl Store {
    /// A partnership's audit log, newest first.
    pub async fn audit_log(&self, partnership_id: &str) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT a.id, a.partnership_id, a.at, a.actor_user_id, a.action, a.entity,
                        a.entity_id, a.before_json, a.after_json,
                        u.display_name AS actor_name, u.email AS actor_email
                 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
                 WHERE a.partnership_id = $1
                 ORDER BY a.id DESC",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(audit_entry_from_row).collect()
    }
}

pub(crate) fn audit_entry_from_row(row: AuditRow) -> Result<AuditEntry, StoreError> {
    let actor_label = match (&row.actor_user_id, row.actor_name, row.actor_email) {
        (_, Some(name), Some(email)) => format!("{name} ({email})"),
        (Some(_), _, _) => DELETED_ACCOUNT_LABEL.to_owned(),
        (None, _, _) => SYSTEM_ACTOR_LABEL.to_owned(),
    };
    Ok(AuditEntry {
        id: row.id,
        partnership_id: row.partnership_id,
        at: row.at,
        actor_user_id: row.actor_user_id,
        actor_label,
        action: row.action,
        entity: row.entity,
        entity_id: row.entity_id,
        before: parse_json(row.before_json)?,
        after: parse_json(row.after_json)?,
    })
}

fn parse_json(text: Option<String>) -> Result<Option<serde_json::Value>, StoreError> {
    text.map(|text| {
        serde_json::from_str(&text).map_err(|err| StoreError::Corrupt {
            what: "audit entry",
            detail: err.to_string(),
        })
    })
    .transpose()
}
