//! Running a workshop: the facilitator's page with its controls, moving through the
//! agenda, locking items, and the presenter view for the big screen with its live events.

use askama::Template;
use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::workshop::Move;
use cradle_store::{MoveRefused, StoredWorkshop};
use serde::Deserialize;

use super::{back_to, date_label, join_link, load, workshop_path};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::workshop_live;
use crate::shared::workshop_view::{ItemView, Results, WorkshopData};

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::Facilitator;
    routes
        .get(
            "/partnerships/{partnership}/workshops/{workshop}",
            Partnership(Facilitator),
            manage,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/move",
            Partnership(Facilitator),
            change_phase,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/lock",
            Partnership(Facilitator),
            lock_item,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/present",
            Partnership(Facilitator),
            present,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/present/events",
            Partnership(Facilitator),
            presenter_events,
        )
}

#[derive(Template)]
#[template(path = "workshops/manage.html")]
pub(super) struct ManagePage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    workshop: StoredWorkshop,
    date: String,
    items: Vec<ItemView>,
    join_link: String,
    base: String,
    errors: FormErrors,
    participants: usize,
}

pub(super) async fn manage_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    id: &str,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let workshop = load(state, &scope, id).await?;
    let items = state
        .store
        .workshop_items(id)
        .await?
        .iter()
        .map(|item| ItemView::new(state, item, workshop.phase))
        .collect();
    let participants = state.store.participants(id).await?.len();
    render(&ManagePage {
        layout: Layout::new(workshop.details.title.clone(), "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        date: date_label(workshop.details.date),
        join_link: join_link(state, &workshop.join_code),
        base: workshop_path(&scope, id),
        scope,
        workshop,
        items,
        errors,
        participants,
    })
}

pub(crate) async fn manage(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    manage_page(&state, &auth, scope, &id, FormErrors::default()).await
}

#[derive(Deserialize)]
pub(crate) struct MoveForm {
    #[serde(default)]
    to: String,
    /// Where to go back to: the presenter view or the facilitator's page.
    #[serde(default)]
    back: String,
}

pub(crate) async fn change_phase(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    let change = match form.to.as_str() {
        "start" => Some(Move::Start),
        "next" => Some(Move::Next),
        "previous" => Some(Move::Previous),
        "close" => Some(Move::Close),
        other => other
            .strip_prefix("item-")
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1))
            .map(Move::To),
    };
    let Some(change) = change else {
        let mut errors = FormErrors::default();
        errors.add("to", "Choose where to move the workshop");
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            manage_page(&state, &auth, scope, &id, errors).await,
        ));
    };
    match state
        .store
        .move_workshop(&actor(&auth)?, &scope.partnership.id, &id, change)
        .await
    {
        Ok(_) => {
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&back_to(&scope, &id, &form.back)).into_response())
        }
        Err(MoveRefused::Rule(rule)) => {
            let mut errors = FormErrors::default();
            errors.add("to", rule.to_string());
            Ok(with_status(
                StatusCode::CONFLICT,
                manage_page(&state, &auth, scope, &id, errors).await,
            ))
        }
        Err(MoveRefused::Store(error)) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct LockForm {
    #[serde(default)]
    locked: String,
    #[serde(default)]
    back: String,
}

pub(crate) async fn lock_item(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, item_id)): Path<(String, String, String)>,
    Form(form): Form<LockForm>,
) -> Result<Response, AppError> {
    let locked = form.locked != "false";
    match state
        .store
        .set_item_locked(&actor(&auth)?, &scope.partnership.id, &id, &item_id, locked)
        .await
    {
        Ok(()) => {
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&back_to(&scope, &id, &form.back)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "workshops/present.html")]
pub(super) struct PresentPage {
    layout: Layout,
    csrf: String,
    workshop: StoredWorkshop,
    base: String,
    item: Option<ItemView>,
    results: Option<Results>,
    item_count: usize,
    participants: usize,
    join_link: String,
    errors: FormErrors,
}

/// What the facilitator's view and the projector screen both show: the workshop, its
/// current item and that item's results.
pub(super) struct Presenting {
    pub(super) workshop: StoredWorkshop,
    pub(super) base: String,
    pub(super) item: Option<ItemView>,
    pub(super) results: Option<Results>,
    pub(super) item_count: usize,
    pub(super) participants: usize,
    pub(super) join_link: String,
}

pub(super) async fn presenting(
    state: &AppState,
    scope: &InPartnership,
    id: &str,
) -> Result<Presenting, AppError> {
    let workshop = load(state, scope, id).await?;
    let data = WorkshopData::load(state, id).await?;
    let current = workshop
        .phase
        .current()
        .and_then(|position| data.items.get(position));
    Ok(Presenting {
        base: workshop_path(scope, id),
        item: current.map(|item| ItemView::new(state, item, workshop.phase)),
        results: current.map(|item| data.results(item)),
        item_count: data.items.len(),
        participants: data.participants.len(),
        join_link: join_link(state, &workshop.join_code),
        workshop,
    })
}

pub(super) async fn present_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    id: &str,
    errors: FormErrors,
) -> Result<Html<String>, AppError> {
    let Presenting {
        workshop,
        base,
        item,
        results,
        item_count,
        participants,
        join_link,
    } = presenting(state, &scope, id).await?;
    render(&PresentPage {
        layout: Layout::new(
            format!("Presenting: {}", workshop.details.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        base,
        item,
        results,
        item_count,
        participants,
        join_link,
        workshop,
        errors,
    })
}

pub(crate) async fn present(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    present_page(&state, &auth, scope, &id, FormErrors::default()).await
}

/// The presenter view's stream.
pub(crate) async fn presenter_events(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let workshop = state
        .store
        .workshop(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    workshop_live::stream(&state, &workshop.id).await
}
