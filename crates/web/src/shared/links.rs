//! Addresses of Cradle for links sent or shown outside it (invitations, password links,
//! workshop join links).

use axum::http::{HeaderMap, header};

use crate::AppState;

/// The address people use to reach this Cradle, from the request, for links to send.
pub(crate) fn site_address(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.https { "https" } else { "http" };
    format!("{scheme}://{host}")
}
