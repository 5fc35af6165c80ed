//! The partnership's action log: actions added by hand, from a workshop's record or from a
//! gap in the gap register, and changing them.
//!
//! Any member reads the log; a contributor may add an action (anyone in the room may
//! commit to doing something); a facilitator changes actions.

pub(crate) mod from_gap;

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::actions::{ActionFields, ActionFilter, ActionStatus};
use cradle_domain::workshop as rules;
use cradle_store::StoreError;
use serde::Deserialize;

use crate::AppState;
use crate::shared::action_view::{ActionForm, ActionLine};
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::workshop_view::form_errors;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Contributor, Facilitator, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/gaps/action",
            Partnership(Contributor),
            from_gap::new_form,
        )
        .post(
            "/partnerships/{partnership}/gaps/action",
            Partnership(Contributor),
            from_gap::create,
        )
        .get(
            "/partnerships/{partnership}/actions",
            Partnership(Viewer),
            actions,
        )
        .post(
            "/partnerships/{partnership}/actions",
            Partnership(Contributor),
            add_action,
        )
        .get(
            "/partnerships/{partnership}/actions/{action}/edit",
            Partnership(Facilitator),
            edit_action_form,
        )
        .post(
            "/partnerships/{partnership}/actions/{action}/edit",
            Partnership(Facilitator),
            update_action,
        )
}

fn actions_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/actions", scope.partnership.id)
}

#[derive(Deserialize, Default)]
pub(crate) struct ActionQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    workshop: String,
}

#[derive(Template)]
#[template(path = "actions/actions.html")]
struct ActionsPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    actions: Vec<ActionLine>,
    query: ActionQuery,
    workshops: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    errors: FormErrors,
    fields: ActionForm,
    reminder: &'static str,
    filtered: bool,
}

async fn actions_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    query: ActionQuery,
    errors: FormErrors,
    fields: ActionForm,
) -> Result<Html<String>, AppError> {
    let filter = ActionFilter {
        status: query.status.parse().ok(),
        owner: Some(query.owner.trim().to_owned()).filter(|o| !o.is_empty()),
        workshop: Some(query.workshop.clone()).filter(|w| !w.is_empty()),
    };
    let actions = state
        .store
        .list_actions(&scope.partnership.id, &filter)
        .await?
        .into_iter()
        .map(ActionLine::new)
        .collect();
    let workshops = state
        .store
        .workshops(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|w| (w.id, w.details.title))
        .collect();
    render(&ActionsPage {
        layout: Layout::new(
            format!("Action log of {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        filtered: filter != ActionFilter::default(),
        actions,
        query,
        workshops,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
        errors,
        fields,
        reminder: rules::IDENTITY_REMINDER,
        scope,
    })
}

pub(crate) async fn actions(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<ActionQuery>,
) -> Result<Html<String>, AppError> {
    actions_page(
        &state,
        &auth,
        scope,
        query,
        FormErrors::default(),
        ActionForm::default(),
    )
    .await
}

pub(crate) async fn add_action(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let action = match form.fields().validate() {
        Ok(action) => action,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                actions_page(
                    &state,
                    &auth,
                    scope,
                    ActionQuery::default(),
                    form_errors(&problems),
                    form,
                )
                .await,
            ));
        }
    };
    let workshop = Some(form.workshop.as_str()).filter(|w| !w.is_empty());
    match state
        .store
        .create_action(&actor(&auth)?, &scope.partnership.id, workshop, &action)
        .await
    {
        Ok(_) => Ok(Redirect::to(&actions_path(&scope)).into_response()),
        Err(StoreError::NotFound) => {
            let mut errors = FormErrors::default();
            errors.add(
                "workshop",
                "Select one of this partnership’s workshops, or none",
            );
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                actions_page(&state, &auth, scope, ActionQuery::default(), errors, form).await,
            ))
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "actions/action_form.html")]
struct ActionEditPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    action: String,
    /// For a new action that answers a gap in the gap register: its key and wording.
    gap: Option<(String, String)>,
    fields: ActionFields,
    statuses: Vec<(&'static str, &'static str)>,
    reminder: &'static str,
}

/// The form for one action: changing an existing one (`gap` is `None`), or adding one that
/// answers a gap in the gap register.
pub(crate) async fn action_edit_page(
    auth: &Auth,
    scope: InPartnership,
    title: &str,
    post_to: String,
    gap: Option<(String, String)>,
    fields: ActionFields,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    render(&ActionEditPage {
        layout: Layout::new(title, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        action: post_to,
        gap,
        fields,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.id(), s.label()))
            .collect(),
        reminder: rules::IDENTITY_REMINDER,
        scope,
    })
}

pub(crate) async fn edit_action_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let stored = state
        .store
        .action(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = ActionFields::from_action(&stored.action);
    let post_to = format!("{}/{id}/edit", actions_path(&scope));
    action_edit_page(
        &auth,
        scope,
        "Change an action",
        post_to,
        None,
        fields,
        FormErrors::default(),
    )
    .await
}

pub(crate) async fn update_action(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let fields = form.fields();
    let post_to = format!("{}/{id}/edit", actions_path(&scope));
    let action = match fields.validate() {
        Ok(action) => action,
        Err(problems) => {
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                action_edit_page(
                    &auth,
                    scope,
                    "Change an action",
                    post_to,
                    None,
                    fields,
                    form_errors(&problems),
                )
                .await,
            ));
        }
    };
    state
        .store
        .update_action(&actor(&auth)?, &scope.partnership.id, &id, &action)
        .await?;
    Ok(Redirect::to(&actions_path(&scope)).into_response())
}

/// The action log of a partnership, filtered and not, and one action's edit page.
pub(crate) async fn inventory(
    store: &cradle_store::Store,
    partnership: &cradle_domain::partnership::Partnership,
) -> Result<Vec<InventoryPage>, StoreError> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/actions"),
            format!("Action log of {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/actions?status=open&owner=x"),
            format!("Action log of {name}"),
        ),
    ];
    if let Some(action) = store
        .list_actions(id, &ActionFilter::default())
        .await?
        .first()
    {
        pages.push(
            InventoryPage::new(
                format!("/partnerships/{id}/actions/{}/edit", action.id),
                "Change an action",
            )
            .signed_in(),
        );
    }
    Ok(pages)
}
