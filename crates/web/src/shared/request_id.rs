//! Gives every request an id, logs one line per request, and turns handler failures and
//! panics into the "problem with Cradle" page carrying that id.

use std::fmt;
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::shared::error::{ServerErrorMarker, server_error_page};

/// A random id for one request, echoed in the `x-request-id` header and the logs so that
/// a user's report can be matched to a log line.
#[derive(Clone, Debug)]
pub struct RequestId(String);

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Middleware: request id, one log line (method, path without query string, status,
/// duration, id), and the 500 page. The query string is left out of logs because search
/// terms and form values could carry personal data.
pub(crate) async fn track(mut request: Request, next: Next) -> Response {
    let id = RequestId(uuid::Uuid::new_v4().simple().to_string()[..16].to_owned());
    request.extensions_mut().insert(id.clone());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();

    let mut response = next.run(request).await;
    if response.extensions().get::<ServerErrorMarker>().is_some() {
        response = server_error_page(Some(&id));
    }
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        response.headers_mut().insert("x-request-id", value);
    }
    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "cradle::request", %method, path, status, duration_ms, request_id = %id, "request");
    response
}
