//! The list of self-assessment rounds, and opening one.

use super::{plural, rounds_path};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf, tokens};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::self_assessment::{DEFAULT_MIN_RATERS, RaterScope, RoundFields};
use cradle_domain::services::long_date;

pub(super) struct RoundLine {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) opened: String,
    pub(super) status: &'static str,
    pub(super) responses: String,
}

#[derive(Template)]
#[template(path = "self_assessment/index.html")]
pub(super) struct RoundsPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) rounds: Vec<RoundLine>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let rounds = state
        .store
        .rounds(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|round| RoundLine {
            opened: long_date(round.opened_at.date()),
            status: if round.is_open() { "Open" } else { "Closed" },
            responses: plural(round.responses, "rater", "raters"),
            title: round.settings.title,
            id: round.id,
        })
        .collect();
    render(&RoundsPage {
        layout: Layout::new(
            format!("Whole-system self-assessment in {}", scope.partnership.name),
            "/partnerships",
        ),
        scope,
        rounds,
    })
}

// ----- Opening a round -----

pub(super) struct CharacteristicChoice {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) checked: bool,
}

#[derive(Template)]
#[template(path = "self_assessment/new.html")]
pub(super) struct NewRoundPage {
    pub(super) layout: Layout,
    pub(super) csrf: String,
    pub(super) scope: InPartnership,
    pub(super) errors: FormErrors,
    pub(super) title: String,
    pub(super) min_raters: String,
    pub(super) rater_scope: String,
    pub(super) anonymous: bool,
    pub(super) characteristics: Vec<CharacteristicChoice>,
}

pub(super) async fn new_round_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    fields: RoundFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let fresh = fields.title.is_empty() && fields.characteristics.is_empty() && errors.is_empty();
    let characteristics = state
        .library
        .content
        .characteristics
        .iter()
        .map(|c| CharacteristicChoice {
            checked: fresh || fields.characteristics.contains(&c.id),
            id: c.id.clone(),
            title: c.title.clone(),
        })
        .collect();
    render(&NewRoundPage {
        layout: Layout::new("Open a self-assessment round", "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        scope,
        errors,
        title: fields.title,
        min_raters: if fields.min_raters.is_empty() && fresh {
            DEFAULT_MIN_RATERS.to_string()
        } else {
            fields.min_raters
        },
        rater_scope: if fresh {
            "members".to_owned()
        } else {
            fields.scope
        },
        anonymous: fields.anonymous,
        characteristics,
    })
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    new_round_page(
        &state,
        &auth,
        scope,
        RoundFields::default(),
        FormErrors::default(),
    )
    .await
}

pub(super) fn round_fields(body: &[u8]) -> RoundFields {
    let mut fields = RoundFields::default();
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "title" => fields.title = value.into_owned(),
            "characteristics" => fields.characteristics.push(value.into_owned()),
            "min_raters" => fields.min_raters = value.into_owned(),
            "scope" => fields.scope = value.into_owned(),
            "anonymous" => fields.anonymous = value == "yes",
            _ => {}
        }
    }
    fields
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = round_fields(&body);
    let known: Vec<&str> = state
        .library
        .content
        .characteristics
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let settings = match fields.validate(&known) {
        Ok(settings) => settings,
        Err(issues) => {
            let mut errors = FormErrors::default();
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                new_round_page(&state, &auth, scope, fields, errors).await,
            ));
        }
    };
    let token = match settings.scope {
        RaterScope::Link => Some(tokens::new_token()?),
        RaterScope::Members => None,
    };
    let id = state
        .store
        .open_round(
            &actor(&auth)?,
            &scope.partnership.id,
            &settings,
            token.as_ref().map(|(_, hash)| hash.as_str()),
        )
        .await?;
    match token {
        None => Ok(Redirect::to(&format!("{}/{id}", rounds_path(&scope))).into_response()),
        Some((token, _)) => super::link::show_new_link(&state, &auth, &scope, &id, &token).await,
    }
}
