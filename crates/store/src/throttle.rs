//! Failed sign-ins, recorded by key (such as `account:sam@example.org` or
//! `address:203.0.113.4`) so that the web layer can slow down repeated guessing. The rule
//! itself is the domain's `ThrottleRule`.

use time::OffsetDateTime;

use crate::backend::on_backend;
use crate::db_time::DbTime;
use crate::{Store, StoreError};

impl Store {
    /// Records one failed sign-in at `at` under each key, together.
    pub async fn record_sign_in_failure(
        &self,
        keys: &[&str],
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(at);
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query("INSERT INTO sign_in_failures (key, failed_at) VALUES ($1, $2)")
                    .bind(*key)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The times of a key's failures at or after `since`, oldest first.
    pub async fn sign_in_failures_since(
        &self,
        key: &str,
        since: OffsetDateTime,
    ) -> Result<Vec<OffsetDateTime>, StoreError> {
        let rows: Vec<(OffsetDateTime,)> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT failed_at FROM sign_in_failures WHERE key = $1 AND failed_at >= $2
                 ORDER BY failed_at",
            )
            .bind(key)
            .bind(DbTime::from(since))
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(at,)| at).collect())
    }

    /// Forgets a key's failures (after a successful sign-in).
    pub async fn clear_sign_in_failures(&self, key: &str) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Housekeeping: forgets every failure before `before`; returns how many.
    pub async fn forget_sign_in_failures_before(
        &self,
        before: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let deleted = on_backend!(self, |pool| {
            sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
                .bind(DbTime::from(before))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }
}
