//! Moderating answers during a workshop: hiding a note, grouping notes.

use axum::Extension;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cradle_domain::workshop::{self as rules};
use serde::Deserialize;

use super::running::present_page;
use super::{back_to, workshop_path};
use crate::AppState;
use crate::shared::auth::{Auth, actor};
use crate::shared::error::{AppError, with_status};
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::workshop_view::form_errors;

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::Facilitator;
    routes
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/answers/{answer}/hide",
            Partnership(Facilitator),
            hide_answer,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/answers/{answer}/group",
            Partnership(Facilitator),
            group_answer,
        )
}

#[derive(Deserialize)]
pub(crate) struct HideForm {
    #[serde(default)]
    hidden: String,
    #[serde(default)]
    back: String,
}

pub(crate) async fn hide_answer(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, answer)): Path<(String, String, String)>,
    Form(form): Form<HideForm>,
) -> Result<Response, AppError> {
    let hidden = form.hidden != "false";
    match state
        .store
        .set_answer_hidden(&actor(&auth)?, &scope.partnership.id, &id, &answer, hidden)
        .await
    {
        Ok(()) => {
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&back_to(&scope, &id, &form.back)).into_response())
        }
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct GroupForm {
    #[serde(default)]
    cluster: String,
}

pub(crate) async fn group_answer(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, answer)): Path<(String, String, String)>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let cluster = if form.cluster.trim().is_empty() {
        None
    } else {
        match rules::cluster_name(&form.cluster) {
            Ok(name) => Some(name),
            Err(problem) => {
                return Ok(with_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    present_page(&state, &auth, scope, &id, form_errors(&[problem])).await,
                ));
            }
        }
    };
    match state
        .store
        .group_answer(
            &actor(&auth)?,
            &scope.partnership.id,
            &id,
            &answer,
            cluster.as_deref(),
        )
        .await
    {
        Ok(()) => {
            crate::shared::workshop_live::changed(&state, &id).await;
            Ok(Redirect::to(&format!("{}/present", workshop_path(&scope, &id))).into_response())
        }
        Err(error) => Err(error.into()),
    }
}
