//! Pages shown to a signed-in person, and data downloads, are not to be kept by the browser
//! or any cache on the way. On a shared computer the browser's cache (or Back after signing
//! out) would otherwise show the next person a partnership's members, its audit trail or
//! someone's account data.
//!
//! Responses that set their own `Cache-Control` keep it: the content-hashed assets are
//! cached for a year whoever asks for them, and public diagrams for a day.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::shared::auth::Auth;

const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// Middleware: `Cache-Control: no-store` on every response to a signed-in person and on
/// every download (`Content-Disposition: attachment`), unless the handler chose a policy.
pub(crate) async fn private_responses(auth: Auth, request: Request, next: Next) -> Response {
    let signed_in = auth.user.is_some();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let download = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().starts_with("attachment"));
    if signed_in || download {
        headers.entry(header::CACHE_CONTROL).or_insert(NO_STORE);
    }
    response
}
