//! Front-end assets embedded at build time, served under content-hashed names so that
//! browsers may cache them for a year.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::shared::assets::ASSETS;
use crate::shared::routes::Routes;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Public;
    routes.get("/assets/{file}", Public, serve)
}

const YEAR_IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// `GET /assets/{file}`: the asset, gzipped when the browser accepts it.
pub(crate) async fn serve(Path(file): Path<String>, request_headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.hashed_name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let accepts_gzip = request_headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| {
            value
                .split(',')
                .any(|coding| coding.trim().starts_with("gzip"))
        });
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, YEAR_IMMUTABLE);
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if accepts_gzip {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        (headers, asset.gzip).into_response()
    } else {
        (headers, asset.body).into_response()
    }
}
