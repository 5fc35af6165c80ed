//! The raters' link of a round open to anyone with it: shown to the facilitator who made it
//! for as long as their session lasts, and made anew (the old one stops working) by a
//! facilitator who has lost it.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::self_assessment::RaterScope;
use cradle_store::Round;

use super::rounds_path;
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf, tokens};
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;
use crate::shared::one_time_links;
use crate::shared::public_url::site_address;
use crate::shared::routes::InPartnership;

#[derive(Template)]
#[template(path = "self_assessment/link.html")]
struct LinkPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    round: Round,
    /// The link, when this session made it.
    link: Option<String>,
}

fn kept_name(round: &str) -> String {
    format!("round:{round}")
}

/// The round, if it is the partnership's and is rated by link.
async fn link_round(state: &AppState, scope: &InPartnership, id: &str) -> Result<Round, AppError> {
    match state.store.round(&scope.partnership.id, id).await? {
        Some(round) if round.settings.scope == RaterScope::Link => Ok(round),
        _ => Err(AppError::NotFound),
    }
}

/// Keeps a round's new link for its maker and sends them to the page that shows it.
pub(super) async fn show_new_link(
    state: &AppState,
    auth: &Auth,
    scope: &InPartnership,
    round: &str,
    token: &str,
) -> Result<Response, AppError> {
    let link = format!("{}/rate/{token}", site_address(state));
    one_time_links::keep(&auth.session, &kept_name(round), &link).await?;
    Ok(Redirect::to(&format!("{}/{round}/link", rounds_path(scope))).into_response())
}

pub(crate) async fn link_page(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let round = link_round(&state, &scope, &id).await?;
    render(&LinkPage {
        layout: Layout::new(
            format!("The raters' link for {}", round.settings.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        link: one_time_links::kept::<String>(&auth.session, &kept_name(&id)).await?,
        scope,
        round,
    })
}

pub(crate) async fn new_link(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    link_round(&state, &scope, &id).await?;
    let (token, hash) = tokens::new_token()?;
    state
        .store
        .replace_round_link(&actor(&auth)?, &scope.partnership.id, &id, &hash)
        .await?;
    show_new_link(&state, &auth, &scope, &id, &token).await
}
