//! Errors a handler can return, each shown to the user as a page in Cradle's design.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use cradle_store::StoreError;

use crate::shared::layout::Layout;
use crate::shared::request_id::RequestId;

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("page not found")]
    NotFound,
    /// Signed in, but their role does not allow this.
    #[error("not allowed")]
    Forbidden,
    /// Too many failed attempts from this client; they may try again after the wait.
    #[error("too many attempts")]
    TooManyAttempts(std::time::Duration),
    /// A store failure other than a missing record (see the `From` impl).
    #[error(transparent)]
    Store(StoreError),
    #[error("could not render a page: {0}")]
    Render(#[from] askama::Error),
    /// Something that should not fail did; the message is for the log, never the user.
    #[error("{0}")]
    Internal(String),
}

/// A record the store cannot find is a missing page (404); every other store failure is
/// the server's (500). Store errors that are the user's doing (a taken key, a closed round,
/// a spent link) are matched by their handlers before `?` would turn them into a 500.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            error => Self::Store(error),
        }
    }
}

#[derive(Template)]
#[template(path = "shared/error.html")]
struct ErrorPage {
    layout: Layout,
    paragraphs: Vec<&'static str>,
    request_id: Option<String>,
}

pub(crate) fn not_found_page() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        vec![
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
        None,
    )
}

pub(crate) fn server_error_page(request_id: Option<&RequestId>) -> Response {
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with Cradle",
        vec!["Try again later. Nothing you entered has been saved unless Cradle confirmed it."],
        request_id.map(|id| id.to_string()),
    )
}

/// A 403: the person may not do this. `reason` says why and what to do instead.
pub(crate) fn forbidden_page(reason: &'static str) -> Response {
    error_page(
        StatusCode::FORBIDDEN,
        "You cannot do this",
        vec![reason],
        None,
    )
}

/// Why most refusals happen: the person's role in the partnership.
pub(crate) const ROLE_TOO_LOW: &str =
    "Your role in this partnership does not allow this. Ask one of its owners if you need to.";

fn error_page(
    status: StatusCode,
    title: &str,
    paragraphs: Vec<&'static str>,
    request_id: Option<String>,
) -> Response {
    let page = ErrorPage {
        layout: Layout::new(title, ""),
        paragraphs,
        request_id,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        // The error template has no fallible parts; if it ever fails, say so plainly.
        Err(_) => (status, title.to_owned()).into_response(),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound => not_found_page(),
            Self::Forbidden => forbidden_page(ROLE_TOO_LOW),
            Self::TooManyAttempts(wait) => {
                crate::shared::join_throttle::too_many_attempts_page(wait)
            }
            error => {
                // The request-id middleware logs the id beside this, and adds it to the page.
                tracing::error!(%error, "request failed");
                pending_server_error()
            }
        }
    }
}

/// Marks a 500 response whose page the request-id middleware still has to render, since
/// only it knows the request id.
#[derive(Clone, Copy)]
pub(crate) struct ServerErrorMarker;

/// A bare 500 marked for the request-id middleware to turn into the error page.
fn pending_server_error() -> Response {
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(ServerErrorMarker);
    response
}

/// A panic in a handler becomes the same 500 page as any other failure.
pub(crate) fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    pending_server_error()
}

/// A rendered page with a status other than 200 (a form returned with its problems), or
/// the error page.
pub(crate) fn with_status(status: StatusCode, page: Result<Html<String>, AppError>) -> Response {
    match page {
        Ok(html) => (status, html).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Renders a page template, or the error page.
pub(crate) fn render(page: &impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(page.render()?))
}
