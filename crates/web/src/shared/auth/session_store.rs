//! Keeps tower-sessions' sessions in Cradle's own database (SQLite or PostgreSQL), so that
//! several instances share them and "sign out everywhere" can find a person's sessions.
//! Only a hash of each session id is stored.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use cradle_store::Store;

use super::tokens;

/// The key under which axum-login keeps the signed-in user in a session's data.
pub(crate) const AUTH_DATA_KEY: &str = "axum-login.data";

#[derive(Clone, Debug)]
pub(crate) struct DatabaseSessions {
    store: Store,
}

impl DatabaseSessions {
    pub(crate) fn new(store: Store) -> Self {
        Self { store }
    }
}

fn key(id: &Id) -> String {
    tokens::hash(&id.to_string())
}

fn encode(record: &Record) -> Result<String> {
    serde_json::to_string(&record.data).map_err(|error| Error::Encode(error.to_string()))
}

/// The signed-in user's id, if any, kept beside the session so that all of a person's
/// sessions can be ended at once.
fn user_id(record: &Record) -> Option<String> {
    record
        .data
        .get(AUTH_DATA_KEY)?
        .get("user_id")?
        .as_str()
        .map(str::to_owned)
}

fn backend(error: cradle_store::StoreError) -> Error {
    Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DatabaseSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = encode(record)?;
        // A fresh 128-bit id colliding is all but impossible; if it happens, draw again.
        loop {
            let inserted = self
                .store
                .insert_session(
                    &key(&record.id),
                    &data,
                    record.expiry_date,
                    user_id(record).as_deref(),
                )
                .await
                .map_err(backend)?;
            if inserted {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.store
            .save_session(
                &key(&record.id),
                &encode(record)?,
                record.expiry_date,
                user_id(record).as_deref(),
            )
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let Some(stored) = self
            .store
            .load_session(&key(id), OffsetDateTime::now_utc())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&stored.data).map_err(|error| Error::Decode(error.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: stored.expires_at,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.store.delete_session(&key(id)).await.map_err(backend)
    }
}
