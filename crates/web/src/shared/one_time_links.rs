//! One-time links (a rater's link, an invitation, a password link) are shown on the page a
//! form redirects to, never in the form's own response, so that reloading never repeats the
//! action: the handler keeps the link in its maker's session under a name, and the page
//! reads it from there. Cradle's tables hold only a hash of each link.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tower_sessions::Session;

use crate::shared::error::AppError;

fn key(name: &str) -> String {
    format!("one-time-link:{name}")
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::Internal(format!("session failed: {error}"))
}

/// Keeps `link` (with whatever the page shows beside it) for its maker.
pub(crate) async fn keep<T: Serialize>(
    session: &Session,
    name: &str,
    link: T,
) -> Result<(), AppError> {
    session
        .insert(&key(name), link)
        .await
        .map_err(session_error)
}

/// The link kept under `name` in this session; it stays for as long as the session does.
pub(crate) async fn kept<T: DeserializeOwned>(
    session: &Session,
    name: &str,
) -> Result<Option<T>, AppError> {
    session.get(&key(name)).await.map_err(session_error)
}

/// The link kept under `name`, shown this once: it is removed from the session.
pub(crate) async fn take<T: DeserializeOwned>(
    session: &Session,
    name: &str,
) -> Result<Option<T>, AppError> {
    session.remove(&key(name)).await.map_err(session_error)
}
