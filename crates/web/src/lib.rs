//! Cradle's web application: server-rendered pages built on GOV.UK Frontend, and JSON
//! endpoints, on axum. Handlers stay thin: parse, call the store and the domain, render.

mod assets;
mod error;
mod health;
mod layout;
mod pages;
mod request_id;
mod security;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use cradle_content::Content;
use cradle_store::{Store, StoreError};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use error::AppError;
pub use request_id::RequestId;

/// How this deployment is reached, which decides the security headers it sends.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// True when users reach Cradle over HTTPS (directly or through a proxy), so that
    /// browsers may be told to insist on HTTPS and cookies may be marked Secure.
    pub https: bool,
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The national baseline content, validated at start-up.
    pub content: Arc<Content>,
    pub config: WebConfig,
}

/// The largest request body Cradle accepts by default (forms are far smaller).
const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let https = state.config.https;
    Router::new()
        .route("/", get(pages::home))
        .route("/partnerships", get(pages::partnerships))
        .route("/partnerships/{id}", get(pages::partnership))
        .route("/cookies", get(pages::cookies))
        .route("/privacy", get(pages::privacy))
        .route("/accessibility", get(pages::accessibility))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/assets/{file}", get(assets::serve))
        .fallback(|| async { error::not_found_page() })
        .with_state(state)
        .layer(CatchPanicLayer::custom(security::panic_response))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(request_id::track))
        .layer(axum::middleware::from_fn_with_state(
            https,
            security::add_headers,
        ))
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight
/// finish before returning.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// A page the browser check visits.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InventoryPage {
    pub path: String,
    pub title: String,
}

/// Every page a person can reach, for the browser check (accessibility and screenshots).
/// Add each new page here; pages with ids list one example of each kind.
pub async fn page_inventory(
    store: &Store,
    _content: &Content,
) -> Result<Vec<InventoryPage>, StoreError> {
    let mut pages: Vec<InventoryPage> = [
        ("/", "Home"),
        ("/partnerships", "Partnerships"),
        ("/cookies", "Cookies"),
        ("/privacy", "Privacy notice"),
        ("/accessibility", "Accessibility statement"),
        ("/this-page-does-not-exist", "Page not found"),
    ]
    .into_iter()
    .map(|(path, title)| InventoryPage {
        path: path.into(),
        title: title.into(),
    })
    .collect();
    for partnership in store.partnerships().await? {
        pages.push(InventoryPage {
            path: format!("/partnerships/{}", partnership.id),
            title: partnership.name,
        });
    }
    Ok(pages)
}
