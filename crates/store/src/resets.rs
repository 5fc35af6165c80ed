//! Password reset and first sign-in links: single use, short-lived, kept as hashes.

use time::OffsetDateTime;

use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, now};
use crate::users::{User, UserRow, set_password_on, user_from_row};
use crate::{Store, StoreError};

impl Store {
    /// Records a reset link for an account. [`StoreError::NotFound`] if there is no such
    /// account.
    pub async fn create_password_reset(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let inserted = on_backend!(self, |pool| {
            sqlx::query(
                "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(DbTime::from(now()))
            .bind(DbTime::from(expires_at))
            .execute(pool)
            .await
            .map(|_| ())
        });
        match inserted {
            Ok(()) => Ok(()),
            Err(sqlx::Error::Database(err)) if err.is_foreign_key_violation() => {
                Err(StoreError::NotFound)
            }
            Err(err) => Err(err.into()),
        }
    }

    /// The user a usable (unused, unexpired at `now`) reset token belongs to.
    pub async fn password_reset_user(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT u.id, u.email, u.display_name, u.password_hash, u.is_site_admin,
                        u.session_epoch, u.created_at
                 FROM password_resets r JOIN users u ON u.id = r.user_id
                 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
            )
            .bind(token_hash)
            .bind(DbTime::from(now))
            .fetch_optional(pool)
            .await?
        });
        row.map(user_from_row).transpose()
    }

    /// Single use: marks the token used (a conditional UPDATE, so two racing uses cannot
    /// both succeed) and sets the password as [`Store::set_password`] does, in one
    /// transaction. Returns the account as it now is; [`StoreError::ResetUnusable`] if
    /// the token is unknown, used or expired at `now`.
    pub async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let row: UserRow = on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let claimed: Option<(String,)> = sqlx::query_as(
                "UPDATE password_resets SET used_at = $1
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
                 RETURNING user_id",
            )
            .bind(DbTime::from(now))
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((user_id,)) = claimed else {
                return Err(StoreError::ResetUnusable);
            };
            set_password_on(tx.conn(), &user_id, password_hash, now).await?;
            let row = sqlx::query_as(
                "SELECT id, email, display_name, password_hash, is_site_admin, session_epoch,
                     created_at
                 FROM users WHERE id = $1",
            )
            .bind(&user_id)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            row
        });
        user_from_row(row)
    }
}
