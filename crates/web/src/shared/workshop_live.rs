//! Live updates of running workshops. After each change is committed, a short message (the
//! workshop's id, or a new answer's id, never content) goes out on the workshop's topic;
//! presenter and participant pages hold an event stream open and fetch the page again when
//! one arrives.
//! Across several instances on PostgreSQL the store carries it by LISTEN/NOTIFY.

use axum::response::Response;
use axum::response::sse::Event;
use cradle_store::LiveMessage;

use crate::AppState;
use crate::shared::error::AppError;

/// The live topic of one workshop. A new answer is announced on it by the store as it is
/// stored, with the answer's id as the message (the benchmark tells answers apart by it).
pub(crate) fn topic(workshop_id: &str) -> String {
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

/// A stream of `changed` events for one workshop: one per message (its data the id the
/// message carries), and one with data `missed` whenever some may have been missed. The
/// page re-reads everything either way.
pub(crate) async fn stream(state: &AppState, workshop_id: &str) -> Result<Response, AppError> {
    let subscription = state.store.subscribe(&topic(workshop_id)).await?;
    Ok(crate::shared::live::sse(
        state,
        subscription,
        |message| async move {
            let data = match message {
                LiveMessage::Message(id) => id,
                LiveMessage::Missed => "missed".to_owned(),
            };
            Some(Event::default().event("changed").data(data))
        },
    ))
}
