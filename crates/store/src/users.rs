//! People's accounts: creating them, finding them, passwords and signing out everywhere,
//! and deleting them.

use cradle_domain::account::Email;
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{AuditRecord, insert_audit};
use crate::backend::{AsConn, Conn, on_backend, on_conn};
use crate::db_time::{DbTime, now};
use crate::{Store, StoreError};

/// A person with an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub email: Email,
    pub display_name: String,
    /// `None` until they first set a password (through their first sign-in link).
    pub password_hash: Option<String>,
    pub is_site_admin: bool,
    /// Raised whenever all their sessions must end; a session made under an older epoch
    /// is no longer valid.
    pub session_epoch: i64,
    pub created_at: OffsetDateTime,
}

/// What is needed to create an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub is_site_admin: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: String,
    email: String,
    display_name: String,
    password_hash: Option<String>,
    is_site_admin: bool,
    session_epoch: i64,
    created_at: OffsetDateTime,
}

/// Sets a password hash on an open transaction: raises the session epoch, deletes the
/// user's sessions and spends their outstanding reset links, since each was issued for
/// the old password. Returns whether the user exists.
pub(crate) async fn set_password_on(
    conn: Conn<'_>,
    user_id: &str,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StoreError> {
    let found = on_conn!(conn, |conn| {
        let found = sqlx::query(
            "UPDATE users SET password_hash = $1, session_epoch = session_epoch + 1
             WHERE id = $2",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        )
        .bind(DbTime::from(now))
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
        found
    });
    Ok(found == 1)
}

impl Store {
    /// Creates an account. Fails with [`StoreError::EmailTaken`] if one has this email.
    pub async fn create_user(&self, new: &NewUser) -> Result<User, StoreError> {
        let user = User {
            id: uuid::Uuid::new_v4().simple().to_string(),
            email: new.email.clone(),
            display_name: new.display_name.clone(),
            password_hash: new.password_hash.clone(),
            is_site_admin: new.is_site_admin,
            session_epoch: 0,
            created_at: now(),
        };
        let inserted = on_backend!(self, |pool| {
            sqlx::query(
                "INSERT INTO users (id, email, display_name, password_hash, is_site_admin,
                     session_epoch, created_at)
                 VALUES ($1, $2, $3, $4, $5, 0, $6)",
            )
            .bind(&user.id)
            .bind(user.email.as_str())
            .bind(&user.display_name)
            .bind(&user.password_hash)
            .bind(user.is_site_admin)
            .bind(DbTime::from(user.created_at))
            .execute(pool)
            .await
            .map(|_| ())
        });
        match inserted {
            Ok(()) => Ok(user),
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                Err(StoreError::EmailTaken)
            }
            Err(err) => Err(err.into()),
        }
    }

    /// One account by id.
    pub async fn user(&self, id: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, display_name, password_hash, is_site_admin, session_epoch,
                     created_at
                 FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(user_from_row).transpose()
    }

    /// One account by email address.
    pub async fn user_by_email(&self, email: &Email) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, display_name, password_hash, is_site_admin, session_epoch,
                     created_at
                 FROM users WHERE email = $1",
            )
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?
        });
        row.map(user_from_row).transpose()
    }

    /// Every account, by email address.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, display_name, password_hash, is_site_admin, session_epoch,
                     created_at
                 FROM users ORDER BY email",
            )
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(user_from_row).collect()
    }

    /// How many site administrators this deployment has.
    pub async fn count_site_admins(&self) -> Result<i64, StoreError> {
        let (count,): (i64,) = on_backend!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE is_site_admin")
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// Sets the password hash and bumps `session_epoch` (ending other sessions), deletes
    /// the user's session rows and spends their outstanding password reset links.
    /// [`StoreError::NotFound`] if there is no such account.
    pub async fn set_password(&self, user_id: &str, password_hash: &str) -> Result<(), StoreError> {
        let found = on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found = set_password_on(tx.conn(), user_id, password_hash, now()).await?;
            tx.commit().await?;
            found
        });
        if found {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Sign out everywhere: bump `session_epoch` and delete all the user's session rows.
    /// [`StoreError::NotFound`] if there is no such account.
    pub async fn end_sessions(&self, user_id: &str) -> Result<(), StoreError> {
        let found = on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found =
                sqlx::query("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            found
        });
        if found {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Deletes the account with its memberships, sessions and reset links. Refuses with
    /// [`StoreError::LastOwner`] if they are the only owner of any partnership. Each
    /// partnership they belonged to gets an `account.delete` audit entry (without their
    /// email or name); audit entries they made keep their id and read "A deleted account".
    pub async fn delete_user(&self, user_id: &str) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            // Lock the partnerships they own, so that no other owner leaves meanwhile.
            // (Also the first statement a write, so SQLite takes its write lock now.)
            sqlx::query(
                "UPDATE partnerships SET name = name WHERE id IN
                     (SELECT partnership_id FROM memberships WHERE user_id = $1 AND role =
                     'owner')",
            )
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            let (sole_owned,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM memberships m
                 WHERE m.user_id = $1 AND m.role = 'owner'
                   AND NOT EXISTS (SELECT 1 FROM memberships o
                                   WHERE o.partnership_id = m.partnership_id
                                     AND o.role = 'owner' AND o.user_id <> $1)",
            )
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
            if sole_owned > 0 {
                return Err(StoreError::LastOwner);
            }
            let memberships: Vec<(String, String)> = sqlx::query_as(
                "SELECT partnership_id, role FROM memberships WHERE user_id = $1 ORDER BY
                     partnership_id",
            )
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
            for (partnership_id, role) in &memberships {
                insert_audit(
                    tx.conn(),
                    AuditRecord::new(partnership_id, "account.delete", "membership", user_id)
                        .by_user(Some(user_id))
                        .before(json!({ "role": role })),
                )
                .await?;
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted != 1 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

pub(crate) fn user_from_row(row: UserRow) -> Result<User, StoreError> {
    let email = row.email.parse().map_err(|_| StoreError::Corrupt {
        what: "account email",
        detail: row.email.clone(),
    })?;
    Ok(User {
        id: row.id,
        email,
        display_name: row.display_name,
        password_hash: row.password_hash,
        is_site_admin: row.is_site_admin,
        session_epoch: row.session_epoch,
        created_at: row.created_at,
    })
}
