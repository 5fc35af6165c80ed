//! Is the database reachable and its schema current? Answers `/readyz`.

use std::collections::BTreeSet;

use crate::backend::{Backend, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, on_backend};
use crate::{Store, StoreError};

/// The database's state as an instance sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    /// Migration versions this build of Cradle expects.
    pub expected_migrations: usize,
    /// Expected versions that the database has applied successfully.
    pub applied_migrations: usize,
}

impl Readiness {
    pub fn migrations_current(&self) -> bool {
        self.applied_migrations == self.expected_migrations
    }
}

impl Store {
    /// Queries the database (so an unreachable one fails) and compares its applied
    /// migrations with those built into this binary.
    pub async fn readiness(&self) -> Result<Readiness, StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite(_) => &SQLITE_MIGRATIONS,
            Backend::Postgres(_) => &POSTGRES_MIGRATIONS,
        };
        let expected: BTreeSet<i64> = migrator.iter().map(|m| m.version).collect();
        let applied: Vec<(i64,)> = on_backend!(self, |pool| {
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(pool)
                .await?
        });
        let applied_migrations = applied
            .iter()
            .filter(|(version,)| expected.contains(version))
            .count();
        Ok(Readiness {
            expected_migrations: expected.len(),
            applied_migrations,
        })
    }
}
