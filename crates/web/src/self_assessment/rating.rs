//! Rating in a round: members rating as themselves, and people with a rating link.

use super::{rounds_path, title_of};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf, tokens};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_content::Characteristic;
use cradle_domain::self_assessment::{
    self as sa, RaterScope, ResponseFields, evidence_field, level_field,
};
use cradle_domain::vocabulary::Sector;
use cradle_store::{Rater, Round, StoreError};

pub(super) struct LevelChoice {
    pub(super) id: &'static str,
    pub(super) label: &'static str,
    pub(super) description: String,
    pub(super) checked: bool,
}

pub(super) struct RateItem {
    pub(super) title: String,
    pub(super) summary: String,
    pub(super) level_field: String,
    pub(super) evidence_field: String,
    pub(super) levels: Vec<LevelChoice>,
    pub(super) evidence: String,
    pub(super) prompts: Vec<String>,
}

#[derive(Template)]
#[template(path = "self_assessment/rate.html")]
pub(super) struct RatePage {
    pub(super) layout: Layout,
    pub(super) csrf: String,
    pub(super) errors: FormErrors,
    pub(super) partnership_name: String,
    pub(super) round_title: String,
    pub(super) action: String,
    /// A link rater in a round that is not anonymous is asked for their name.
    pub(super) ask_name: bool,
    pub(super) rater_name: String,
    pub(super) anonymous: bool,
    pub(super) sectors: Vec<(&'static str, &'static str, bool)>,
    pub(super) items: Vec<RateItem>,
    /// The round is closed: no form, a message.
    pub(super) closed: bool,
    /// Answers were just saved (link raters see this instead of the form).
    pub(super) saved: bool,
    pub(super) back: Option<String>,
}

pub(super) fn rate_items(
    state: &AppState,
    round: &Round,
    fields: &ResponseFields,
) -> Vec<RateItem> {
    round
        .settings
        .characteristics
        .iter()
        .filter_map(|id| state.library.content.characteristics.by_id(id))
        .map(|c: &Characteristic| {
            let (chosen, evidence) = fields.answers.get(&c.id).cloned().unwrap_or_default();
            RateItem {
                level_field: level_field(&c.id),
                evidence_field: evidence_field(&c.id),
                levels: c
                    .maturity_levels()
                    .map(|(level, text)| LevelChoice {
                        id: level.id(),
                        label: level.label(),
                        description: text.to_owned(),
                        checked: chosen == level.id(),
                    })
                    .collect(),
                evidence,
                prompts: c.evidence_prompts.iter().take(2).cloned().collect(),
                title: c.title.clone(),
                summary: c.summary.clone(),
            }
        })
        .collect()
}

pub(super) struct RateContext {
    pub(super) action: String,
    pub(super) ask_name: bool,
    pub(super) back: Option<String>,
}

/// What a rater typed: the form's fields and, for a link rater, their name.
pub(super) struct Typed {
    pub(super) fields: ResponseFields,
    pub(super) name: String,
}

impl Typed {
    fn blank() -> Self {
        Self {
            fields: ResponseFields::default(),
            name: String::new(),
        }
    }
}

pub(super) async fn rate_page(
    state: &AppState,
    auth: &Auth,
    round: &Round,
    context: RateContext,
    typed: Typed,
    errors: FormErrors,
    saved: bool,
) -> Result<Html<String>, AppError> {
    let Typed { fields, name } = typed;
    let title = if saved {
        "Thank you: your answers are saved".to_owned()
    } else {
        format!("Rate {}", round.partnership_name)
    };
    render(&RatePage {
        layout: Layout::new(title, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        partnership_name: round.partnership_name.clone(),
        round_title: round.settings.title.clone(),
        action: context.action,
        ask_name: context.ask_name && !round.settings.anonymous,
        rater_name: name,
        anonymous: round.settings.anonymous,
        sectors: Sector::ALL
            .iter()
            .map(|s| (s.id(), s.label(), fields.sector == s.id()))
            .collect(),
        items: rate_items(state, round, &fields),
        closed: !round.is_open(),
        saved,
        back: context.back,
    })
}

/// A submitted rating form: the sector, the rater's name if asked, and each
/// characteristic's level and evidence.
pub(super) fn response_fields(round: &Round, body: &[u8]) -> (ResponseFields, String) {
    let mut fields = ResponseFields::default();
    let mut name = String::new();
    for (key, value) in form_urlencoded::parse(body) {
        if key == "sector" {
            fields.sector = value.into_owned();
        } else if key == "name" {
            name = value.into_owned();
        } else if let Some(id) = key.strip_prefix("level-") {
            if round.settings.characteristics.iter().any(|c| c == id) {
                fields.answers.entry(id.to_owned()).or_default().0 = value.into_owned();
            }
        } else if let Some(id) = key.strip_prefix("evidence-")
            && round.settings.characteristics.iter().any(|c| c == id)
        {
            fields.answers.entry(id.to_owned()).or_default().1 = value.into_owned();
        }
    }
    (fields, name)
}

/// Checks a rating form; on success the response and the rater's trimmed name.
pub(super) fn check_rating(
    state: &AppState,
    round: &Round,
    fields: &ResponseFields,
    name: &str,
) -> Result<(sa::Response, String), FormErrors> {
    let titles: Vec<(String, String)> = round
        .settings
        .characteristics
        .iter()
        .map(|id| (id.clone(), title_of(state, id)))
        .collect();
    let round_items: Vec<(&str, &str)> = titles
        .iter()
        .map(|(id, title)| (id.as_str(), title.as_str()))
        .collect();
    let mut errors = FormErrors::default();
    let name = errors.text(
        "name",
        "Your name",
        name,
        crate::shared::forms::NAME_MAX,
        false,
    );
    match fields.validate(&round_items) {
        Ok(response) if errors.is_empty() => Ok((response, name)),
        Ok(_) => Err(errors),
        Err(issues) => {
            for issue in issues {
                errors.add(issue.field, issue.message);
            }
            Err(errors)
        }
    }
}

/// The key a member answers under: their account, or a hash of it in an anonymous round.
pub(super) fn member_key(round: &Round, user_id: &str) -> String {
    if round.settings.anonymous {
        format!("anon:{}", tokens::hash(&format!("{}:{user_id}", round.id)))
    } else {
        format!("user:{user_id}")
    }
}

pub(super) async fn member_round(
    state: &AppState,
    scope: &InPartnership,
    id: &str,
) -> Result<Round, AppError> {
    state
        .store
        .round(&scope.partnership.id, id)
        .await?
        .filter(|round| round.settings.scope == RaterScope::Members)
        .ok_or(AppError::NotFound)
}

pub(super) fn member_context(scope: &InPartnership, round: &Round) -> RateContext {
    let page = format!("{}/{}", rounds_path(scope), round.id);
    RateContext {
        action: format!("{page}/rate"),
        ask_name: false,
        back: Some(page),
    }
}

pub(super) fn user_id(auth: &Auth) -> Result<String, AppError> {
    Ok(actor(auth)?.user_id)
}

pub(crate) async fn rate_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let round = member_round(&state, &scope, &id).await?;
    let key = member_key(&round, &user_id(&auth)?);
    let fields = match state.store.round_response(&round.id, &key).await? {
        Some(response) => ResponseFields {
            sector: response.sector.id().to_owned(),
            answers: response
                .answers
                .into_iter()
                .map(|a| (a.characteristic, (a.level.id().to_owned(), a.evidence)))
                .collect(),
        },
        None => ResponseFields::default(),
    };
    let status = if round.is_open() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    let context = member_context(&scope, &round);
    Ok(with_status(
        status,
        rate_page(
            &state,
            &auth,
            &round,
            context,
            Typed {
                fields,
                name: String::new(),
            },
            FormErrors::default(),
            false,
        )
        .await,
    ))
}

pub(crate) async fn rate(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let round = member_round(&state, &scope, &id).await?;
    let (fields, name) = response_fields(&round, &body);
    let context = member_context(&scope, &round);
    let response = match check_rating(&state, &round, &fields, &name) {
        Ok((response, _)) => response,
        Err(errors) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                rate_page(
                    &state,
                    &auth,
                    &round,
                    context,
                    Typed { fields, name },
                    errors,
                    false,
                )
                .await,
            ));
        }
    };
    let user = user_id(&auth)?;
    let rater = Rater {
        key: member_key(&round, &user),
        user_id: Some(user),
        name: String::new(),
    };
    match state.store.answer_round(&round.id, &rater, &response).await {
        Ok(()) => Ok(
            Redirect::to(&format!("{}/{}?answered=1", rounds_path(&scope), round.id))
                .into_response(),
        ),
        Err(StoreError::RoundClosed) => Ok(with_status(
            StatusCode::CONFLICT,
            rate_page(
                &state,
                &auth,
                &round,
                context,
                Typed { fields, name },
                FormErrors::default(),
                false,
            )
            .await,
        )),
        Err(error) => Err(error.into()),
    }
}

pub(super) async fn link_round(state: &AppState, token: &str) -> Result<Round, AppError> {
    state
        .store
        .round_by_link(&tokens::hash(token))
        .await?
        .ok_or(AppError::NotFound)
}

pub(super) fn link_context(token: &str) -> RateContext {
    RateContext {
        action: format!("/rate/{token}"),
        ask_name: true,
        back: None,
    }
}

/// `?saved=1`: the page a rating through a link redirects to, which thanks the rater.
#[derive(serde::Deserialize, Default)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

pub(crate) async fn link_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let round = link_round(&state, &token).await?;
    let status = if round.is_open() {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok(with_status(
        status,
        rate_page(
            &state,
            &auth,
            &round,
            link_context(&token),
            Typed::blank(),
            FormErrors::default(),
            query.saved.is_some() && round.is_open(),
        )
        .await,
    ))
}

pub(crate) async fn link_rate(
    State(state): State<AppState>,
    auth: Auth,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let round = link_round(&state, &token).await?;
    let (fields, name) = response_fields(&round, &body);
    let response = match check_rating(&state, &round, &fields, &name) {
        Ok((response, _)) => response,
        Err(errors) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                rate_page(
                    &state,
                    &auth,
                    &round,
                    link_context(&token),
                    Typed { fields, name },
                    errors,
                    false,
                )
                .await,
            ));
        }
    };
    // Each answer through a link is a rater of its own.
    let (key, _) = tokens::new_token()?;
    let rater = Rater {
        key: format!("link:{}", tokens::hash(&key)),
        user_id: None,
        name: name.trim().to_owned(),
    };
    // Every answer through a link is a new rater, so a reload must never send it again.
    match state.store.answer_round(&round.id, &rater, &response).await {
        Ok(()) => Ok(Redirect::to(&format!("/rate/{token}?saved=1")).into_response()),
        Err(StoreError::RoundClosed) => Ok(with_status(
            StatusCode::CONFLICT,
            rate_page(
                &state,
                &auth,
                &round,
                link_context(&token),
                Typed::blank(),
                FormErrors::default(),
                false,
            )
            .await,
        )),
        Err(error) => Err(error.into()),
    }
}
