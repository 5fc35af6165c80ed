//! Taking action on a gap: a gap in the register (from a walk-through or from the coverage
//! rules) gets one action in the partnership's action log, linked both ways.

use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cradle_domain::actions::ActionFields;
use cradle_domain::services as map;
use cradle_store::StoreError;
use serde::Deserialize;
use time::OffsetDateTime;

use super::action_edit_page;
use crate::AppState;
use crate::shared::action_view::ActionForm;
use crate::shared::auth::{Auth, actor};
use crate::shared::error::{AppError, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::routes::InPartnership;
use crate::shared::workshop_view::form_errors;

/// The wording of the gap with `key`, if the partnership's register has it now.
async fn gap_wording(
    state: &AppState,
    scope: &InPartnership,
    key: &str,
) -> Result<Option<String>, AppError> {
    let partnership = &scope.partnership.id;
    if let Some(id) = key.strip_prefix("finding:") {
        let findings = state.store.walkthrough_findings(partnership).await?;
        return Ok(findings
            .into_iter()
            .find(|finding| finding.id == id)
            .map(|finding| finding.description));
    }
    if let Some(message) = key.strip_prefix("coverage:") {
        let services: Vec<_> = state
            .store
            .services(partnership)
            .await?
            .into_iter()
            .map(|stored| stored.service)
            .collect();
        let gaps = map::gaps(&services, OffsetDateTime::now_utc().date());
        return Ok(gaps
            .into_iter()
            .find(|gap| gap.message == message)
            .map(|gap| gap.message));
    }
    Ok(None)
}

#[derive(Deserialize)]
pub(crate) struct GapQuery {
    #[serde(default)]
    gap: String,
}

pub(crate) async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<GapQuery>,
) -> Result<Response, AppError> {
    let wording = gap_wording(&state, &scope, &query.gap)
        .await?
        .ok_or(AppError::NotFound)?;
    if state
        .store
        .gap_actions(&scope.partnership.id)
        .await?
        .contains_key(&query.gap)
    {
        return Ok(Redirect::to(&gaps_path(&scope)).into_response());
    }
    let fields = ActionFields {
        what: format!("Close the gap: {wording}"),
        ..ActionFields::default()
    };
    let post_to = format!("/partnerships/{}/gaps/action", scope.partnership.id);
    let page = action_edit_page(
        &auth,
        scope,
        "Add an action for a gap",
        post_to,
        Some((query.gap, wording)),
        fields,
        FormErrors::default(),
    )
    .await?;
    Ok(page.into_response())
}

fn gaps_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/gaps", scope.partnership.id)
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let wording = gap_wording(&state, &scope, &form.gap)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = form.fields();
    let post_to = format!("/partnerships/{}/gaps/action", scope.partnership.id);
    let (status, errors) = match fields.validate() {
        Err(problems) => (StatusCode::UNPROCESSABLE_ENTITY, form_errors(&problems)),
        Ok(action) => {
            let created = state
                .store
                .create_action_for_gap(&actor(&auth)?, &scope.partnership.id, &form.gap, &action)
                .await;
            match created {
                Ok(_) => return Ok(Redirect::to(&gaps_path(&scope)).into_response()),
                Err(StoreError::GapHasAction) => {
                    let mut errors = FormErrors::default();
                    errors.add(
                        "what",
                        "This gap already has an action: see it in the gap register",
                    );
                    (StatusCode::CONFLICT, errors)
                }
                Err(error) => return Err(error.into()),
            }
        }
    };
    let page = action_edit_page(
        &auth,
        scope,
        "Add an action for a gap",
        post_to,
        Some((form.gap.clone(), wording)),
        fields,
        errors,
    )
    .await;
    Ok(with_status(status, page))
}
