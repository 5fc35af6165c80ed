//! Everything Cradle holds about a person, for "download my data".

use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::audit::{AuditRow, audit_entry_from_row};
use crate::backend::on_backend;
use crate::{Store, StoreError};

#[derive(sqlx::FromRow)]
struct MembershipRow {
    partnership_id: String,
    partnership_name: String,
    role: String,
    joined_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    partnership_name: String,
    email: String,
    role: String,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    accepted_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

fn text(time: OffsetDateTime) -> String {
    time.format(&Rfc3339).unwrap_or_default()
}

impl Store {
    /// Everything Cradle holds about a person, as JSON: their account (without the
    /// password hash), their memberships, invitations sent to their address, and the
    /// audit entries they made. [`StoreError::NotFound`] if there is no such account.
    pub async fn personal_data(&self, user_id: &str) -> Result<serde_json::Value, StoreError> {
        let Some(user) = self.user(user_id).await? else {
            return Err(StoreError::NotFound);
        };
        let (memberships, invitations, audit) = on_backend!(self, |pool| {
            let memberships: Vec<MembershipRow> = sqlx::query_as(
                "SELECT m.partnership_id, p.name AS partnership_name, m.role, m.created_at AS
                     joined_at
                 FROM memberships m JOIN partnerships p ON p.id = m.partnership_id
                 WHERE m.user_id = $1 ORDER BY p.name, p.id",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            let invitations: Vec<InvitationRow> = sqlx::query_as(
                "SELECT p.name AS partnership_name, i.email, i.role, i.created_at, i.expires_at,
                        i.accepted_at, i.revoked_at
                 FROM invitations i JOIN partnerships p ON p.id = i.partnership_id
                 WHERE i.email = $1 OR i.accepted_by = $2
                 ORDER BY i.created_at",
            )
            .bind(user.email.as_str())
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            let audit: Vec<AuditRow> = sqlx::query_as(
                "SELECT a.id, a.partnership_id, a.at, a.actor_user_id, a.action, a.entity,
                        a.entity_id, a.before_json, a.after_json,
                        u.display_name AS actor_name, u.email AS actor_email
                 FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
                 WHERE a.actor_user_id = $1
                 ORDER BY a.id",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            (memberships, invitations, audit)
        });
        let audit = audit
            .into_iter()
            .map(audit_entry_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(json!({
            "account": {
                "id": user.id,
                "email": user.email.as_str(),
                "display_name": user.display_name,
                "is_site_admin": user.is_site_admin,
                "has_password": user.password_hash.is_some(),
                "created_at": text(user.created_at),
            },
            "memberships": memberships.iter().map(|m| json!({
                "partnership_id": m.partnership_id,
                "partnership_name": m.partnership_name,
                "role": m.role,
                "joined_at": text(m.joined_at),
            })).collect::<Vec<_>>(),
            "invitations": invitations.iter().map(|i| json!({
                "partnership_name": i.partnership_name,
                "email": i.email,
                "role": i.role,
                "created_at": text(i.created_at),
                "expires_at": text(i.expires_at),
                "accepted_at": i.accepted_at.map(text),
                "revoked_at": i.revoked_at.map(text),
            })).collect::<Vec<_>>(),
            "audit_entries": audit.iter().map(|entry| json!({
                "partnership_id": entry.partnership_id,
                "at": text(entry.at),
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "before": entry.before,
                "after": entry.after,
            })).collect::<Vec<_>>(),
        }))
    }
}
