//! Taking action on a gap: a gap in the register (from a walk-through or from the coverage
//! rules) gets one action in the partnership's action log, linked both ways.

use std::collections::HashMap;

use axum::Extension;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cradle_domain::services as map;
use cradle_domain::workshop::ActionFields;
use cradle_store::StoreError;
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::auth::{Auth, actor};
use crate::error::{AppError, with_status};
use crate::forms::FormErrors;
use crate::routes::InPartnership;
use crate::workshops::{ActionForm, action_edit_page, form_errors};

/// What the register shows beside a gap: its action, or a link to add one.
pub(crate) struct GapActionCell {
    /// "In progress: Fund an evening helpline", linking to the action log.
    pub(crate) action: Option<(String, String)>,
    /// Where to add an action, for those who may.
    pub(crate) add_link: Option<String>,
}

/// For each gap key of the partnership's register that has an action, the action's
/// status and wording.
pub(crate) async fn linked_actions(
    state: &AppState,
    scope: &InPartnership,
) -> Result<HashMap<String, String>, AppError> {
    let partnership = &scope.partnership.id;
    let links = state.store.gap_actions(partnership).await?;
    let actions = state
        .store
        .list_actions(partnership, &Default::default())
        .await?;
    Ok(links
        .into_iter()
        .filter_map(|(key, id)| {
            let stored = actions.iter().find(|stored| stored.id == id)?;
            let text = format!("{}: {}", stored.action.status.label(), stored.action.what);
            Some((key, text))
        })
        .collect())
}

/// The register's cell for the gap with `key`.
pub(crate) fn cell(
    scope: &InPartnership,
    linked: &HashMap<String, String>,
    key: &str,
) -> GapActionCell {
    match linked.get(key) {
        Some(text) => GapActionCell {
            action: Some((
                text.clone(),
                format!("/partnerships/{}/actions", scope.partnership.id),
            )),
            add_link: None,
        },
        None => GapActionCell {
            action: None,
            add_link: scope
                .can(cradle_domain::Role::Contributor)
                .then(|| add_action_path(scope, key)),
        },
    }
}

/// The key of a gap a walk-through recorded.
pub(crate) fn finding_key(finding_id: &str) -> String {
    format!("finding:{finding_id}")
}

/// The key of a gap the coverage rules find: its wording, which is all that stays the
/// same while the service map changes.
pub(crate) fn coverage_key(message: &str) -> String {
    format!("coverage:{message}")
}

/// The address of the form that adds an action for the gap with `key`.
pub(crate) fn add_action_path(scope: &InPartnership, key: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("gap", key)
        .finish();
    format!("/partnerships/{}/gaps/action?{query}", scope.partnership.id)
}

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
