use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};

use crate::StoreError;
use crate::live::LiveHub;
use crate::workshops::AnswerQueue;

pub(crate) static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of whichever backend the store
/// uses, so that one query text serves both engines while each is type-checked. Written
/// `on_backend!(store, |pool| { ... })`: the body is not a closure (`return` and `?`
/// leave the enclosing function), but the closure-like syntax lets rustfmt format it.
macro_rules! on_backend {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::backend::Backend::Sqlite($pool) => $body,
            $crate::backend::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_backend;

/// A connection of either backend with a transaction open on it, for the steps that
/// several of the store's transactions share (such as writing an audit entry). Each step
/// is a function taking a `Conn`, which dispatches with [`on_conn!`]; callers pass
/// `tx.conn()` from inside [`on_backend!`].
pub(crate) enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// Lends a backend's connection as a [`Conn`].
pub(crate) trait AsConn {
    fn conn(&mut self) -> Conn<'_>;
}

impl AsConn for SqliteConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for PgConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}

/// As [`on_backend!`] for a [`Conn`]: runs `$body` with `$conn` bound to the concrete
/// connection (`&mut SqliteConnection` or `&mut PgConnection`).
macro_rules! on_conn {
    ($conn:expr, |$name:ident| $body:expr) => {
        match $conn {
            $crate::backend::Conn::Sqlite($name) => $body,
            $crate::backend::Conn::Postgres($name) => $body,
        }
    };
}
pub(crate) use on_conn;

/// Appends `values` as bound parameters and the closing bracket of an `IN (` list that
/// `query` has just opened.
pub(crate) fn push_in_list<'v, DB>(
    query: &mut sqlx::QueryBuilder<DB>,
    values: impl IntoIterator<Item = &'v str>,
) where
    DB: sqlx::Database,
    &'v str: sqlx::Encode<'v, DB> + sqlx::Type<DB>,
{
    let mut list = query.separated(", ");
    for value in values {
        list.push_bind(value);
    }
    query.push(")");
}

/// The handle to Cradle's database. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
    pub(crate) live: LiveHub,
    pub(crate) answers: AnswerQueue,
}

impl Store {
    /// Opens the database named by a URL: `postgres://…` (or `postgresql://…`) for
    /// PostgreSQL, `sqlite://path` or a plain file path for SQLite. Runs migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::open_postgres(url).await
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Self::open_sqlite(Path::new(path)).await
        }
    }

    /// Opens (creating if need be) a SQLite file with write-ahead logging, foreign keys
    /// and full synchronous commits, so that an acknowledged write survives a crash.
    pub async fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect {
                location: path.display().to_string(),
                source,
            })?;
        SQLITE_MIGRATIONS.run(&pool).await?;
        Ok(Self {
            backend: Backend::Sqlite(pool),
            live: LiveHub::new(),
            answers: AnswerQueue::default(),
        })
    }

    /// Connects to PostgreSQL and runs migrations (sqlx takes an advisory lock, so
    /// several instances starting together migrate once).
    pub async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let location = redact_password(url);
        let options = PgConnectOptions::from_str(url).map_err(|source| StoreError::Connect {
            location: location.clone(),
            source,
        })?;
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect { location, source })?;
        POSTGRES_MIGRATIONS.run(&pool).await?;
        Ok(Self {
            backend: Backend::Postgres(pool),
            live: LiveHub::new(),
            answers: AnswerQueue::default(),
        })
    }

    pub fn kind(&self) -> DatabaseKind {
        match self.backend {
            Backend::Sqlite(_) => DatabaseKind::Sqlite,
            Backend::Postgres(_) => DatabaseKind::Postgres,
        }
    }

    /// Waits for connections in use to be returned, then closes them all (on SQLite this
    /// also checkpoints the write-ahead log).
    pub async fn close(&self) {
        on_backend!(self, |pool| pool.close().await)
    }
}

/// A database URL fit for logs and error messages: the password replaced by `***`.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest
        .split_once('/')
        .map_or((rest, None), |(a, t)| (a, Some(t)));
    let Some((credentials, host)) = authority.rsplit_once('@') else {
        return url.to_owned();
    };
    let user = credentials
        .split_once(':')
        .map_or(credentials, |(user, _)| user);
    let masked = if credentials.contains(':') {
        format!("{user}:***")
    } else {
        user.to_owned()
    };
    match tail {
        Some(tail) => format!("{scheme}://{masked}@{host}/{tail}"),
        None => format!("{scheme}://{masked}@{host}"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_password("postgres://cradle:s3cret@db.internal:5432/cradle"),
            "postgres://cradle:***@db.internal:5432/cradle"
        );
        assert_eq!(
            redact_password("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_password("/var/lib/cradle/cradle.db"),
            "/var/lib/cradle/cradle.db"
        );
    }
}
