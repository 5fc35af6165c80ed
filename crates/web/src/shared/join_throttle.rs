//! Slows down guessing workshop join codes. Without it one client could try about 1,100
//! codes a second and walk into other people's workshops.
//!
//! Failed look-ups (a well-formed code that no workshop has) are counted per client
//! address, through the trusted-proxy logic in [`crate::shared::client_address`], in the same
//! failure records as sign-ins under the key `join:address:…`. Once an address has failed
//! too often, every code look-up from it is refused for a while, the right ones too, so
//! that the refusals give nothing away.

use std::time::Duration;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cradle_domain::account::{ThrottleRule, minutes_text};
use cradle_domain::workshop::JoinCode;
use cradle_store::StoredWorkshop;
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::error::AppError;
use crate::shared::layout::Layout;

/// Failed join attempts allowed from one address in ten minutes.
///
/// A workshop room usually reaches Cradle through one address (the venue's Wi-Fi), so the
/// limit is for the whole room: 50 lets a room of a hundred people, half of them mistyping
/// the code once, join without noticing (codes of the wrong shape, the commonest typo, are
/// not counted at all). A guesser gets 300 tries an hour instead of millions, against
/// about a billion possible codes.
pub(crate) const JOIN_THROTTLE: ThrottleRule = ThrottleRule {
    max_failures: 50,
    window: Duration::from_secs(10 * 60),
};

fn key(address: &str) -> String {
    format!("join:address:{address}")
}

/// The workshop with this join code, as typed, for someone at `address`: a miss counts
/// against the address, and an address that has missed too often is refused.
pub(crate) async fn workshop_by_code(
    state: &AppState,
    address: &str,
    code: &JoinCode,
) -> Result<Option<StoredWorkshop>, AppError> {
    let key = key(address);
    let now = OffsetDateTime::now_utc();
    if let Some(wait) = wait(state, &key, now).await? {
        return Err(AppError::TooManyAttempts(wait));
    }
    let workshop = state.store.workshop_by_code(code).await?;
    if workshop.is_none() {
        state.store.record_sign_in_failure(&[&key], now).await?;
    }
    Ok(workshop)
}

/// As [`workshop_by_code`], for a code in an address (`/join/{code}`): one that is not a
/// code, or that no workshop has, is not found.
pub(crate) async fn workshop_by_linked_code(
    state: &AppState,
    address: &str,
    code: &str,
) -> Result<StoredWorkshop, AppError> {
    let code: JoinCode = code.parse().map_err(|_| AppError::NotFound)?;
    workshop_by_code(state, address, &code)
        .await?
        .ok_or(AppError::NotFound)
}

/// How long `key` must wait before another attempt, if it must.
async fn wait(
    state: &AppState,
    key: &str,
    now: OffsetDateTime,
) -> Result<Option<Duration>, AppError> {
    let window = time::Duration::try_from(JOIN_THROTTLE.window).unwrap_or(time::Duration::HOUR);
    let failures = state
        .store
        .sign_in_failures_since(key, now - window)
        .await?;
    let ages: Vec<Duration> = failures
        .iter()
        .map(|at| Duration::try_from(now - *at).unwrap_or(Duration::ZERO))
        .collect();
    Ok(JOIN_THROTTLE.wait(&ages))
}

#[derive(Template)]
#[template(path = "shared/too_many_attempts.html")]
struct TooManyAttemptsPage {
    layout: Layout,
    wait: String,
}

/// The 429 page, with `Retry-After` in whole seconds.
pub(crate) fn too_many_attempts_page(wait: Duration) -> Response {
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let page = TooManyAttemptsPage {
        layout: Layout::new("Too many attempts to join a workshop", ""),
        wait: minutes_text(wait),
    };
    let mut response = match page.render() {
        Ok(html) => (StatusCode::TOO_MANY_REQUESTS, axum::response::Html(html)).into_response(),
        Err(_) => (StatusCode::TOO_MANY_REQUESTS, "Too many attempts").into_response(),
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}
