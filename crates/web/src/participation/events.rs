//! The live event stream of a participant's page.

use axum::extract::{Path, State};
use axum::response::Response;

use crate::AppState;
use crate::shared::auth::Auth;
use crate::shared::error::AppError;
use crate::shared::workshop_live;

/// A participant's stream; only for someone who has joined the workshop.
pub(crate) async fn participant_events(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let workshop = super::joined_workshop(&state, &auth, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    workshop_live::stream(&state, &workshop).await
}
