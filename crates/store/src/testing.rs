//! A fresh database for each test: a temporary SQLite file, or a new PostgreSQL database
//! created on the server named by `CRADLE_TEST_POSTGRES_URL` and dropped afterwards.

use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Connection};

use std::io::Write as _;

use crate::{DatabaseKind, Store};

/// The environment variable naming the PostgreSQL server tests may create databases on.
pub const POSTGRES_URL_VAR: &str = "CRADLE_TEST_POSTGRES_URL";

/// A database that exists for one test. Call [`TestDb::finish`] at the end of the test to
/// close and remove it (a failing test leaves its PostgreSQL database behind for
/// inspection; `.ci/run` sweeps those before each run).
pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(tempfile::TempDir),
    PostgresDatabase { server_url: String, name: String },
}

impl TestDb {
    /// A new SQLite database in its own temporary directory.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let store = Store::open_sqlite(&dir.path().join("cradle.db"))
            .await
            .expect("open a SQLite test database");
        Self {
            store,
            cleanup: Cleanup::SqliteDir(dir),
        }
    }

    /// A new PostgreSQL database, or `None` when `CRADLE_TEST_POSTGRES_URL` is unset (the
    /// caller reports the test as skipped). Panics if the variable is set but the server
    /// cannot be reached: CI must not pass by skipping.
    pub async fn postgres() -> Option<Self> {
        let server_url = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|url| !url.is_empty())?;
        let name = format!("cradle_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&server_url)
            .await
            .unwrap_or_else(|err| {
                panic!("{POSTGRES_URL_VAR} is set but PostgreSQL is unreachable: {err}")
            });
        // The name is ours (a fixed prefix and a UUID), so it is safe to splice in.
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create a test database");
        admin.close().await.ok();
        let store = Store::open_postgres(&database_url(&server_url, &name))
            .await
            .expect("open the test database");
        Some(Self {
            store,
            cleanup: Cleanup::PostgresDatabase { server_url, name },
        })
    }

    /// On PostgreSQL, another store on the same database, as a second Cradle instance
    /// behind a load balancer would have; `None` on SQLite, which runs as one instance.
    pub async fn second_instance(&self) -> Option<Store> {
        match &self.cleanup {
            Cleanup::SqliteDir(_) => None,
            Cleanup::PostgresDatabase { server_url, name } => Some(
                Store::open_postgres(&database_url(server_url, name))
                    .await
                    .expect("open a second instance on the test database"),
            ),
        }
    }

    /// Closes the store and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match self.cleanup {
            Cleanup::SqliteDir(dir) => drop(dir),
            Cleanup::PostgresDatabase { server_url, name } => {
                if let Ok(mut admin) = PgConnection::connect(&server_url).await {
                    sqlx::query(AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await
                    .ok();
                    admin.close().await.ok();
                }
            }
        }
    }
}

/// The server URL with its database name replaced by `name`.
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = server_url
        .split_once('?')
        .map_or((server_url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

impl TestDb {
    /// A fresh database on `kind`, or `None` (reported as a skipped test on standard
    /// error) when that backend is not configured for tests.
    pub async fn for_backend(kind: DatabaseKind, test_name: &str) -> Option<Self> {
        match kind {
            DatabaseKind::Sqlite => Some(Self::sqlite().await),
            DatabaseKind::Postgres => {
                let db = Self::postgres().await;
                if db.is_none() {
                    // Written straight to stderr (not eprintln!) so the test harness shows it.
                    let _ = writeln!(
                        std::io::stderr(),
                        "SKIPPED {test_name}: {POSTGRES_URL_VAR} is unset"
                    );
                }
                db
            }
        }
    }
}

/// Runs SQL (one or more statements) straight on a test database, past the store's
/// interface: for tests of what the database itself refuses. Returns the rows affected.
pub async fn execute_sql(store: &Store, sql: &'static str) -> Result<u64, crate::StoreError> {
    Ok(crate::backend::on_backend!(store, |pool| {
        sqlx::raw_sql(sql).execute(pool).await?.rows_affected()
    }))
}

/// Runs a store test on `db`, then removes the database.
pub async fn run_store_test(db: TestDb, test: impl AsyncFnOnce(&Store)) {
    test(&db.store).await;
    db.finish().await;
}

/// Defines each listed async test twice, once on SQLite and once on PostgreSQL, so that
/// both backends pass the very same suite. `runner` receives the fresh [`TestDb`] and the
/// test function; by default it is [`run_store_test`] (tests taking `&Store`).
#[macro_export]
macro_rules! backend_suite {
    (runner = $runner:path; $($test:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let kind = $crate::DatabaseKind::Sqlite;
                    let name = stringify!($test);
                    if let Some(db) = $crate::testing::TestDb::for_backend(kind, name).await {
                        $runner(db, super::$test).await;
                    }
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    let kind = $crate::DatabaseKind::Postgres;
                    let name = stringify!($test);
                    if let Some(db) = $crate::testing::TestDb::for_backend(kind, name).await {
                        $runner(db, super::$test).await;
                    }
                }
            )*
        }
    };
    ($($test:ident),* $(,)?) => {
        $crate::backend_suite!(runner = $crate::testing::run_store_test; $($test),*);
    };
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn test_database_urls_keep_server_and_options() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            database_url("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h", "x"), "postgres://h/x");
    }
}
