//! Browser sessions, for the web crate's session store. The web layer chooses the id (an
//! opaque key) and the data (JSON); the store keeps them until they expire.

use time::OffsetDateTime;

use crate::backend::on_backend;
use crate::db_time::DbTime;
use crate::{Store, StoreError};

/// A session's data as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    pub data: String,
    pub expires_at: OffsetDateTime,
}

impl Store {
    /// Stores a new session; `false` (and nothing changed) if the id is already in use.
    pub async fn insert_session(
        &self,
        id: &str,
        data: &str,
        expires_at: OffsetDateTime,
        user_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        let inserted = on_backend!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(data)
            .bind(DbTime::from(expires_at))
            .bind(user_id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }

    /// Stores a session, replacing any with the same id.
    pub async fn save_session(
        &self,
        id: &str,
        data: &str,
        expires_at: OffsetDateTime,
        user_id: Option<&str>,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, data, expires_at, user_id) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE
                 SET data = excluded.data, expires_at = excluded.expires_at, user_id =
                 excluded.user_id",
            )
            .bind(id)
            .bind(data)
            .bind(DbTime::from(expires_at))
            .bind(user_id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// A session that has not expired at `now`.
    pub async fn load_session(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<StoredSession>, StoreError> {
        let row: Option<(String, OffsetDateTime)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
            )
            .bind(id)
            .bind(DbTime::from(now))
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(data, expires_at)| StoredSession { data, expires_at }))
    }

    pub async fn delete_session(&self, id: &str) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes sessions expired at `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: OffsetDateTime) -> Result<u64, StoreError> {
        let deleted = on_backend!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(DbTime::from(now))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }

    /// How many unexpired sessions a user has.
    pub async fn count_sessions(
        &self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let (count,): (i64,) = on_backend!(self, |pool| {
            sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2")
                .bind(user_id)
                .bind(DbTime::from(now))
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }
}
