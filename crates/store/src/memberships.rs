//! Who belongs to which partnership, in which role. Every change is audited in the
//! transaction that makes it, and no change may leave a partnership without an owner.

use std::collections::HashMap;

use cradle_domain::account::Email;
use cradle_domain::partnership::Partnership;
use cradle_domain::vocabulary::Role;
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, Conn, on_backend, on_conn};
use crate::partnerships::{PartnershipRow, lock_partnership, partnership_from_row};
use crate::{Store, StoreError};

/// A person in a partnership, as its member list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: String,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub joined_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    email: String,
    display_name: String,
    role: String,
    joined_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct MembershipRow {
    #[sqlx(flatten)]
    partnership: PartnershipRow,
    role: String,
}

/// A membership's state as the audit log records it.
pub(crate) fn membership_json(user_id: &str, email: &str, role: Role) -> serde_json::Value {
    json!({ "user_id": user_id, "email": email, "role": role.id() })
}

/// Counts a partnership's owners on an open transaction.
async fn count_owners(conn: Conn<'_>, partnership_id: &str) -> Result<i64, StoreError> {
    let (owners,): (i64,) = on_conn!(conn, |conn| {
        sqlx::query_as(
            "SELECT COUNT(*) FROM memberships WHERE partnership_id = $1 AND role = 'owner'",
        )
        .bind(partnership_id)
        .fetch_one(conn)
        .await?
    });
    Ok(owners)
}

impl Store {
    /// Someone's role in a partnership, or `None` if they are not a member.
    pub async fn role_in(
        &self,
        partnership_id: &str,
        user_id: &str,
    ) -> Result<Option<Role>, StoreError> {
        let role: Option<(String,)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT role FROM memberships WHERE partnership_id = $1 AND user_id = $2",
            )
            .bind(partnership_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
        });
        role.map(|(role,)| parse_role(&role)).transpose()
    }

    /// The partnerships someone belongs to, with their role in each, by name.
    pub async fn partnerships_of(
        &self,
        user_id: &str,
    ) -> Result<Vec<(Partnership, Role)>, StoreError> {
        let (rows, areas) = on_backend!(self, |pool| {
            let rows: Vec<MembershipRow> = sqlx::query_as(
                "SELECT p.id, p.name, p.nation, p.description, p.is_demo, m.role
                 FROM memberships m JOIN partnerships p ON p.id = m.partnership_id
                 WHERE m.user_id = $1
                 ORDER BY p.name, p.id",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            let areas: Vec<(String, String)> = sqlx::query_as(
                "SELECT a.partnership_id, a.area_code
                 FROM partnership_areas a JOIN memberships m ON m.partnership_id = a.partnership_id
                 WHERE m.user_id = $1
                 ORDER BY a.area_code",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?;
            (rows, areas)
        });
        let mut areas_by_partnership: HashMap<String, Vec<String>> = HashMap::new();
        for (partnership_id, code) in areas {
            areas_by_partnership
                .entry(partnership_id)
                .or_default()
                .push(code);
        }
        rows.into_iter()
            .map(|row| {
                let role = parse_role(&row.role)?;
                let areas = areas_by_partnership
                    .remove(&row.partnership.id)
                    .unwrap_or_default();
                Ok((partnership_from_row(row.partnership, areas)?, role))
            })
            .collect()
    }

    /// A partnership's members: owners first, then everyone by name.
    pub async fn members(&self, partnership_id: &str) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<MemberRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT m.user_id, u.email, u.display_name, m.role, m.created_at AS joined_at
                 FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.partnership_id = $1
                 ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, u.display_name, u.email",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(Member {
                    email: row.email.parse().map_err(|_| StoreError::Corrupt {
                        what: "account email",
                        detail: row.email.clone(),
                    })?,
                    role: parse_role(&row.role)?,
                    user_id: row.user_id,
                    display_name: row.display_name,
                    joined_at: row.joined_at,
                })
            })
            .collect()
    }

    /// Changes a member's role (`member.role` in the audit log; nothing is written if the
    /// role is unchanged). [`StoreError::LastOwner`] if it would leave the partnership
    /// without an owner; [`StoreError::NotFound`] if they are not a member.
    pub async fn set_role(
        &self,
        actor: &Actor,
        partnership_id: &str,
        user_id: &str,
        role: Role,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let current: Option<(String, String)> = sqlx::query_as(
                "SELECT m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.partnership_id = $1 AND m.user_id = $2",
            )
            .bind(partnership_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((current, email)) = current else {
                return Err(StoreError::NotFound);
            };
            let current = parse_role(&current)?;
            if current == role {
                return Ok(());
            }
            if current == Role::Owner && count_owners(tx.conn(), partnership_id).await? <= 1 {
                return Err(StoreError::LastOwner);
            }
            sqlx::query(
                "UPDATE memberships SET role = $1 WHERE partnership_id = $2 AND user_id = $3",
            )
            .bind(role.id())
            .bind(partnership_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "member.role", "membership", user_id)
                    .by(actor)
                    .before(membership_json(user_id, &email, current))
                    .after(membership_json(user_id, &email, role)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes someone from a partnership (`member.remove` in the audit log).
    /// [`StoreError::LastOwner`] if they are its only owner; [`StoreError::NotFound`] if
    /// they are not a member.
    pub async fn remove_member(
        &self,
        actor: &Actor,
        partnership_id: &str,
        user_id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let current: Option<(String, String)> = sqlx::query_as(
                "SELECT m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.partnership_id = $1 AND m.user_id = $2",
            )
            .bind(partnership_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((current, email)) = current else {
                return Err(StoreError::NotFound);
            };
            let current = parse_role(&current)?;
            if current == Role::Owner && count_owners(tx.conn(), partnership_id).await? <= 1 {
                return Err(StoreError::LastOwner);
            }
            sqlx::query("DELETE FROM memberships WHERE partnership_id = $1 AND user_id = $2")
                .bind(partnership_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "member.remove", "membership", user_id)
                    .by(actor)
                    .before(membership_json(user_id, &email, current)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

pub(crate) fn parse_role(text: &str) -> Result<Role, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt {
        what: "membership role",
        detail: text.to_owned(),
    })
}
