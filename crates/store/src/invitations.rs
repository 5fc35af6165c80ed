//! Invitations to join a partnership. The web layer makes the random token and emails
//! it; the store keeps only its hash, and an invitation can be accepted once.

use cradle_domain::account::Email;
use cradle_domain::vocabulary::Role;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, db_time, now};
use crate::memberships::{membership_json, parse_role};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

/// An invitation as the people managing a partnership, and the invitee, see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub partnership_id: String,
    pub partnership_name: String,
    pub email: Email,
    pub role: Role,
    /// Who sent it (their account may since have been deleted).
    pub invited_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub accepted_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    partnership_id: String,
    partnership_name: String,
    email: String,
    role: String,
    invited_by: Option<String>,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    accepted_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

/// An invitation's state as the audit log records it (never the token or its hash).
fn invitation_json(
    email: &str,
    role: &str,
    expires_at: OffsetDateTime,
    status: &str,
) -> serde_json::Value {
    json!({
        "email": email,
        "role": role,
        "expires_at": expires_at.format(&Rfc3339).unwrap_or_default(),
        "status": status,
    })
}

impl Store {
    /// Records an invitation (`invitation.create` in the audit log).
    /// [`StoreError::NotFound`] if there is no such partnership.
    pub async fn create_invitation(
        &self,
        actor: &Actor,
        partnership_id: &str,
        email: &Email,
        role: Role,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> Result<Invitation, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let created_at = now();
        let expires_at = db_time(expires_at);
        let partnership_name = on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let (name,): (String,) = sqlx::query_as("SELECT name FROM partnerships WHERE id = $1")
                .bind(partnership_id)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO invitations (id, partnership_id, email, role, token_hash, invited_by,
                     created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(email.as_str())
            .bind(role.id())
            .bind(token_hash)
            .bind(&actor.user_id)
            .bind(DbTime::from(created_at))
            .bind(DbTime::from(expires_at))
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "invitation.create", "invitation", &id)
                    .by(actor)
                    .after(invitation_json(
                        email.as_str(),
                        role.id(),
                        expires_at,
                        "pending",
                    )),
            )
            .await?;
            tx.commit().await?;
            name
        });
        Ok(Invitation {
            id,
            partnership_id: partnership_id.to_owned(),
            partnership_name,
            email: email.clone(),
            role,
            invited_by: Some(actor.user_id.clone()),
            created_at,
            expires_at,
            accepted_at: None,
            revoked_at: None,
        })
    }

    /// The invitation a token's hash belongs to, whatever its state (so that the web
    /// layer can say it has expired rather than that it never existed, if it wishes).
    pub async fn invitation_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        let row: Option<InvitationRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT i.id, i.partnership_id, p.name AS partnership_name, i.email, i.role,
                        i.invited_by, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
                 FROM invitations i JOIN partnerships p ON p.id = i.partnership_id
                 WHERE i.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        row.map(invitation_from_row).transpose()
    }

    /// A partnership's invitations that can still be accepted at `now`, newest first.
    pub async fn pending_invitations(
        &self,
        partnership_id: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<Invitation>, StoreError> {
        let rows: Vec<InvitationRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT i.id, i.partnership_id, p.name AS partnership_name, i.email, i.role,
                        i.invited_by, i.created_at, i.expires_at, i.accepted_at, i.revoked_at
                 FROM invitations i JOIN partnerships p ON p.id = i.partnership_id
                 WHERE i.partnership_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                   AND i.expires_at > $2
                 ORDER BY i.created_at DESC, i.email",
            )
            .bind(partnership_id)
            .bind(DbTime::from(now))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(invitation_from_row).collect()
    }

    /// Single use: marks the invitation accepted only if it is not accepted, not revoked
    /// and not expired at `now` (one conditional UPDATE, so two racing accepts cannot both
    /// succeed), then adds the membership, or raises the role of someone already a lower
    /// member (never lowers it). Audited as `invitation.accept` with the accepting user as
    /// actor. Returns the partnership id and the resulting role;
    /// [`StoreError::InvitationUnusable`] if the invitation cannot be used, and
    /// [`StoreError::NotFound`] if there is no such account.
    ///
    /// Whether the accepting account's email must match the invited one is the web
    /// layer's decision; the store does not check it.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        now: OffsetDateTime,
    ) -> Result<(String, Role), StoreError> {
        let now = DbTime::from(now);
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed: Option<(String, String, String)> = sqlx::query_as(
                "UPDATE invitations SET accepted_at = $1, accepted_by = $2
                 WHERE token_hash = $3 AND accepted_at IS NULL AND revoked_at IS NULL
                   AND expires_at > $1
                 RETURNING id, partnership_id, role",
            )
            .bind(now)
            .bind(user_id)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((invitation_id, partnership_id, offered)) = claimed else {
                return Err(StoreError::InvitationUnusable);
            };
            let offered = parse_role(&offered)?;
            let email: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((email,)) = email else {
                return Err(StoreError::NotFound);
            };
            let before: Option<(String,)> = sqlx::query_as(
                "SELECT role FROM memberships WHERE partnership_id = $1 AND user_id = $2",
            )
            .bind(&partnership_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let before = before.map(|(role,)| parse_role(&role)).transpose()?;
            // Insert, or raise an existing lower role; an equal or higher one is kept.
            sqlx::query(
                "INSERT INTO memberships (partnership_id, user_id, role, created_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (partnership_id, user_id) DO UPDATE SET role = excluded.role
                 WHERE (CASE memberships.role WHEN 'viewer' THEN 0 WHEN 'contributor' THEN 1
                                              WHEN 'facilitator' THEN 2 ELSE 3 END)
                     < (CASE excluded.role WHEN 'viewer' THEN 0 WHEN 'contributor' THEN 1
                                           WHEN 'facilitator' THEN 2 ELSE 3 END)",
            )
            .bind(&partnership_id)
            .bind(user_id)
            .bind(offered.id())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let (role,): (String,) = sqlx::query_as(
                "SELECT role FROM memberships WHERE partnership_id = $1 AND user_id = $2",
            )
            .bind(&partnership_id)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
            let role = parse_role(&role)?;
            let mut after = membership_json(user_id, &email, role);
            after["invitation_id"] = json!(invitation_id);
            insert_audit(
                tx.conn(),
                AuditRecord::new(&partnership_id, "invitation.accept", "membership", user_id)
                    .by_user(Some(user_id))
                    .before(before.map(|before| membership_json(user_id, &email, before)))
                    .after(after),
            )
            .await?;
            tx.commit().await?;
            Ok((partnership_id, role))
        })
    }

    /// Withdraws a pending invitation (`invitation.revoke` in the audit log). Revoking
    /// one already accepted or revoked changes nothing. [`StoreError::NotFound`] if the
    /// partnership has no such invitation.
    pub async fn revoke_invitation(
        &self,
        actor: &Actor,
        partnership_id: &str,
        invitation_id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let revoked: Option<(String, String, OffsetDateTime)> = sqlx::query_as(
                "UPDATE invitations SET revoked_at = $1
                 WHERE id = $2 AND partnership_id = $3 AND accepted_at IS NULL AND revoked_at IS
                 NULL
                 RETURNING email, role, expires_at",
            )
            .bind(DbTime::from(now()))
            .bind(invitation_id)
            .bind(partnership_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((email, role, expires_at)) = revoked else {
                let exists: Option<(String,)> = sqlx::query_as(
                    "SELECT id FROM invitations WHERE id = $1 AND partnership_id = $2",
                )
                .bind(invitation_id)
                .bind(partnership_id)
                .fetch_optional(&mut *tx)
                .await?;
                return if exists.is_some() {
                    Ok(())
                } else {
                    Err(StoreError::NotFound)
                };
            };
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "invitation.revoke",
                    "invitation",
                    invitation_id,
                )
                .by(actor)
                .before(invitation_json(&email, &role, expires_at, "pending"))
                .after(invitation_json(&email, &role, expires_at, "revoked")),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

fn invitation_from_row(row: InvitationRow) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        email: row.email.parse().map_err(|_| StoreError::Corrupt {
            what: "invitation email",
            detail: row.email.clone(),
        })?,
        role: parse_role(&row.role)?,
        id: row.id,
        partnership_id: row.partnership_id,
        partnership_name: row.partnership_name,
        invited_by: row.invited_by,
        created_at: row.created_at,
        expires_at: row.expires_at,
        accepted_at: row.accepted_at,
        revoked_at: row.revoked_at,
    })
}
