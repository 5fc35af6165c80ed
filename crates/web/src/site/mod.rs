//! The general pages: home, partnerships, and the service's own information pages.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use cradle_domain::partnership::Partnership;

use crate::AppState;
use crate::auth::Auth;
use crate::error::{AppError, render};
use crate::layout::Layout;
use crate::routes::InPartnership;

/// The partnerships a person may see: their own and the demo ones; every one for a site
/// administrator. Never the names of partnerships they do not belong to.
async fn visible_partnerships(state: &AppState, auth: &Auth) -> Result<Vec<Partnership>, AppError> {
    let all = state.store.partnerships().await?;
    let Some(user) = &auth.user else {
        return Ok(all.into_iter().filter(|p| p.is_demo).collect());
    };
    if user.is_site_admin {
        return Ok(all);
    }
    let own: Vec<String> = state
        .store
        .partnerships_of(&user.id)
        .await?
        .into_iter()
        .map(|(partnership, _)| partnership.id)
        .collect();
    Ok(all
        .into_iter()
        .filter(|p| p.is_demo || own.contains(&p.id))
        .collect())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    partnerships: Vec<Partnership>,
}

pub(crate) async fn home(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    let partnerships = visible_partnerships(&state, &auth).await?;
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
    signed_in: bool,
}

pub(crate) async fn partnerships(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    let partnerships = visible_partnerships(&state, &auth).await?;
    render(&PartnershipsPage {
        layout: Layout::new("Partnerships", "/partnerships"),
        partnerships,
        signed_in: auth.user.is_some(),
    })
}

#[derive(Template)]
#[template(path = "partnership.html")]
struct PartnershipPage {
    layout: Layout,
    partnership: Partnership,
    scope: InPartnership,
}

pub(crate) async fn partnership(
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    render(&PartnershipPage {
        layout: Layout::new(scope.partnership.name.clone(), "/partnerships"),
        partnership: scope.partnership.clone(),
        scope,
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
