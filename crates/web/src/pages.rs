//! The general pages: home, partnerships, and the service's own information pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use cradle_domain::partnership::Partnership;

use crate::AppState;
use crate::error::{AppError, render};
use crate::layout::Layout;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    partnerships: Vec<Partnership>,
}

pub(crate) async fn home(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let partnerships = state.store.partnerships().await?;
    render(&HomePage {
        layout: Layout::new("Cradle", "/"),
        partnerships,
    })
}

#[derive(Template)]
#[template(path = "partnerships.html")]
struct PartnershipsPage {
    layout: Layout,
    partnerships: Vec<Partnership>,
}

pub(crate) async fn partnerships(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let partnerships = state.store.partnerships().await?;
    render(&PartnershipsPage {
        layout: Layout::new("Partnerships", "/partnerships"),
        partnerships,
    })
}

#[derive(Template)]
#[template(path = "partnership.html")]
struct PartnershipPage {
    layout: Layout,
    partnership: Partnership,
}

pub(crate) async fn partnership(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let partnership = state
        .store
        .partnership(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&PartnershipPage {
        layout: Layout::new(partnership.name.clone(), "/partnerships"),
        partnership,
    })
}

#[derive(Template)]
#[template(path = "cookies.html")]
struct CookiesPage {
    layout: Layout,
}

pub(crate) async fn cookies() -> Result<Html<String>, AppError> {
    render(&CookiesPage {
        layout: Layout::new("Cookies", ""),
    })
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

pub(crate) async fn privacy() -> Result<Html<String>, AppError> {
    render(&PrivacyPage {
        layout: Layout::new("Privacy notice", ""),
    })
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

pub(crate) async fn accessibility() -> Result<Html<String>, AppError> {
    render(&AccessibilityPage {
        layout: Layout::new("Accessibility statement", ""),
    })
}
