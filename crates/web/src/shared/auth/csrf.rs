//! Protection against cross-site request forgery on every state-changing request: the
//! browser's own word on where the request came from (`Sec-Fetch-Site`, else `Origin`),
//! and a secret token kept in the session that every form (hidden field `csrf_token`) and
//! API call (`X-CSRF-Token` header) must send back. Works without JavaScript.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use crate::shared::error::{AppError, forbidden_page};

const SESSION_KEY: &str = "csrf_token";
/// The hidden form field that carries the token.
pub(crate) const FIELD: &str = "csrf_token";
/// The header that carries the token on API calls.
pub(crate) const HEADER: &str = "x-csrf-token";
/// Form bodies are read in full to find the token; nothing Cradle accepts is larger.
const FORM_LIMIT_BYTES: usize = 1024 * 1024;

/// This session's token, made on first use.
pub(crate) async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session
        .get::<String>(SESSION_KEY)
        .await
        .map_err(session_error)?
    {
        return Ok(token);
    }
    rotate(session).await
}

/// Replaces the session's token (at sign-in, so a token seen before cannot be replayed).
pub(crate) async fn rotate(session: &Session) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness available: {error}")))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    session
        .insert(SESSION_KEY, &token)
        .await
        .map_err(session_error)?;
    Ok(token)
}

fn session_error(error: tower_sessions::session::Error) -> AppError {
    AppError::Internal(format!("session error: {error}"))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the browser says the request came from another site. Browsers send
/// `Sec-Fetch-Site` on every request; older ones send `Origin` on cross-origin posts.
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let (Some(origin), Some(host)) = (headers.get(header::ORIGIN), headers.get(header::HOST))
    else {
        return false;
    };
    let origin = origin.to_str().unwrap_or("");
    let host = host.to_str().unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    origin_host != host
}

/// The token a form sent, if its body is a form.
fn form_token(headers: &HeaderMap, body: &[u8]) -> Option<String> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return None;
    }
    form_urlencoded::parse(body)
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
}

/// The token sent in the address's query string, for `multipart/form-data` bodies only: a
/// file upload cannot be read in full here to find a hidden field (it may be large, and the
/// handler streams it), so its form sends the token in its `action` address instead. Other
/// bodies must carry the token in the body or header, so that it is not put in addresses
/// (and logs) needlessly.
fn query_token(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    if !is_multipart {
        return None;
    }
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == FIELD)
        .map(|(_, value)| value.into_owned())
}

/// Middleware: refuses a state-changing request that comes from another site or lacks
/// this session's token, with a page that says what to do.
pub(crate) async fn protect(session: Session, request: Request, next: Next) -> Response {
    if is_safe(request.method()) {
        return next.run(request).await;
    }
    if is_cross_site(request.headers()) {
        return forbidden_page(FORGED);
    }
    let expected = match session.get::<String>(SESSION_KEY).await {
        Ok(Some(token)) => token,
        Ok(None) => return forbidden_page(EXPIRED),
        Err(error) => return session_error(error).into_response(),
    };
    let (parts, body) = request.into_parts();
    let header_token = parts
        .headers
        .get(HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let header_token = header_token.or_else(|| query_token(&parts.headers, parts.uri.query()));
    let (sent, body) = match header_token {
        Some(token) => (Some(token), body),
        None => {
            let Ok(bytes) = to_bytes(body, FORM_LIMIT_BYTES).await else {
                return (
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "Request too large",
                )
                    .into_response();
            };
            (form_token(&parts.headers, &bytes), Body::from(bytes))
        }
    };
    let matches = sent.is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(expected.as_bytes())));
    if !matches {
        return forbidden_page(EXPIRED);
    }
    next.run(Request::from_parts(parts, body)).await
}

const FORGED: &str = "This request came from another website, so Cradle did not act on it. If you meant to do this, go to Cradle directly and try again.";
const EXPIRED: &str = "This form has expired or was not sent from Cradle, so nothing was saved. Go back, reload the page and try again.";

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_type(content_type: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers
    }

    #[test]
    fn the_query_string_carries_the_token_for_uploads_only() {
        let upload = with_type("multipart/form-data; boundary=x");
        assert_eq!(
            query_token(&upload, Some("csrf_token=abc&x=1")).as_deref(),
            Some("abc")
        );
        assert_eq!(query_token(&upload, None), None);
        let form = with_type("application/x-www-form-urlencoded");
        assert_eq!(query_token(&form, Some("csrf_token=abc")), None);
        assert_eq!(query_token(&HeaderMap::new(), Some("csrf_token=abc")), None);
    }
}
