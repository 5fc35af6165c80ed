//! The record of a workshop afterwards: what each item gathered, its decisions and the
//! actions committed to in it.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::actions::{ActionFields, ActionFilter, ActionStatus};
use cradle_domain::workshop as rules;
use cradle_store::StoredWorkshop;
use serde::Deserialize;

use super::{date_label, load, workshop_path};
use crate::AppState;
use crate::shared::action_view::{ActionForm, ActionLine};
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::workshop_view::{ItemView, Results, WorkshopData, form_errors};

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Contributor, Facilitator, Viewer};
    routes
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/actions",
            Partnership(Contributor),
            add_workshop_action,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/record",
            Partnership(Viewer),
            record,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/decisions",
            Partnership(Facilitator),
            add_decision,
        )
}

pub(super) struct RecordItem {
    item: ItemView,
    results: Results,
}

#[derive(Template)]
#[template(path = "workshops/record.html")]
pub(super) struct RecordPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    workshop: StoredWorkshop,
    date: String,
    base: String,
    items: Vec<RecordItem>,
    participants: usize,
    decisions: Vec<cradle_store::Decision>,
    actions: Vec<ActionLine>,
    errors: FormErrors,
    action_fields: ActionFields,
    decision: String,
    statuses: Vec<(&'static str, &'static str)>,
    reminder: &'static str,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn record_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    id: &str,
    errors: FormErrors,
    action_fields: ActionFields,
    decision: String,
) -> Result<Html<String>, AppError> {
    let workshop = load(state, &scope, id).await?;
    let data = WorkshopData::load(state, id).await?;
    let items = data
        .items
        .iter()
        .map(|item| RecordItem {
            item: ItemView::new(state, item, workshop.phase),
            results: data.results(item),
        })
        .collect();
    let filter = ActionFilter {
        workshop: Some(id.to_owned()),
        ..ActionFilter::default()
    };
    let actions = state
        .store
        .list_actions(&scope.partnership.id, &filter)
        .await?
        .into_iter()
        .map(ActionLine::new)
        .collect();
    render(&RecordPage {
        layout: Layout::new(
            format!("Record of {}", workshop.details.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        date: date_label(workshop.details.date),
        base: workshop_path(&scope, id),
        items,
        participants: data.participants.len(),
        decisions: state.store.decisions(id).await?,
        actions,
        errors,
        action_fields,
        decision,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
        reminder: rules::IDENTITY_REMINDER,
        scope,
        workshop,
    })
}

pub(crate) async fn record(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    record_page(
        &state,
        &auth,
        scope,
        &id,
        FormErrors::default(),
        ActionFields::default(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    decision: String,
}

pub(crate) async fn add_decision(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let text = match rules::decision_text(&form.decision) {
        Ok(text) => text,
        Err(problem) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                record_page(
                    &state,
                    &auth,
                    scope,
                    &id,
                    form_errors(&[problem]),
                    ActionFields::default(),
                    form.decision,
                )
                .await,
            ));
        }
    };
    match state
        .store
        .add_decision(&actor(&auth)?, &scope.partnership.id, &id, &text)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("{}/record#decisions", workshop_path(&scope, &id)))
                .into_response(),
        ),
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn add_workshop_action(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let fields = form.fields();
    let action = match fields.validate() {
        Ok(action) => action,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                record_page(
                    &state,
                    &auth,
                    scope,
                    &id,
                    form_errors(&problems),
                    fields,
                    String::new(),
                )
                .await,
            ));
        }
    };
    match state
        .store
        .create_action(&actor(&auth)?, &scope.partnership.id, Some(&id), &action)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("{}/record#actions", workshop_path(&scope, &id))).into_response(),
        ),
        Err(error) => Err(error.into()),
    }
}
