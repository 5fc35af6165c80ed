//! Live updates of running workshops. After each change is committed, a short message (the
//! workshop's id, never content) goes out on the workshop's topic; presenter and
//! participant pages hold an event stream open and fetch the page again when one arrives.
//! Across several instances on PostgreSQL the store carries it by LISTEN/NOTIFY.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::response::sse::Event;
use cradle_store::LiveMessage;

use crate::AppState;
use crate::auth::Auth;
use crate::error::AppError;
use crate::routes::InPartnership;

fn topic(workshop_id: &str) -> String {
    format!("workshop:{workshop_id}")
}

/// Tells screens showing workshop `workshop_id` that it changed. The change is already
/// committed; a lost message only delays a screen until its next poll, so a failure is
/// logged rather than reported to the person who made the change.
pub(crate) async fn changed(state: &AppState, workshop_id: &str) {
    if let Err(error) = state.store.publish(&topic(workshop_id), workshop_id).await {
        tracing::warn!(%error, workshop = workshop_id, "could not publish a workshop change");
    }
}

/// A stream of `changed` events for one workshop: one per message, and one whenever some
/// may have been missed (the page re-reads everything either way).
async fn stream(state: &AppState, workshop_id: &str) -> Result<Response, AppError> {
    let subscription = state.store.subscribe(&topic(workshop_id)).await?;
    let id = workshop_id.to_owned();
    Ok(crate::live::sse(state, subscription, move |message| {
        let id = id.clone();
        async move {
            match message {
                LiveMessage::Message(_) | LiveMessage::Missed => {
                    Some(Event::default().event("changed").data(id))
                }
            }
        }
    }))
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
    stream(&state, &workshop.id).await
}

/// A participant's stream; only for someone who has joined the workshop.
pub(crate) async fn participant_events(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let workshop = crate::participate::joined_workshop(&state, &auth, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    stream(&state, &workshop).await
}
