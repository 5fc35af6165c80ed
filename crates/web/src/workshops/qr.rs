//! The QR code of a workshop's join link.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{join_link, load};
use crate::AppState;
use crate::shared::error::AppError;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::Facilitator;
    routes.get(
        "/partnerships/{partnership}/workshops/{workshop}/qr.svg",
        Partnership(Facilitator),
        qr,
    )
}

/// The QR code of the join link, as SVG.
pub(crate) async fn qr(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let workshop = load(&state, &scope, &id).await?;
    let link = join_link(&state, &workshop.join_code);
    let code = qrcode::QrCode::new(link.as_bytes())
        .map_err(|error| AppError::Internal(format!("could not make a QR code: {error}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        svg,
    )
        .into_response())
}
