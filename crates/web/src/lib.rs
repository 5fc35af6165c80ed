//! Cradle's web application: server-rendered pages built on GOV.UK Frontend, and JSON
//! endpoints, on axum. Handlers stay thin: parse, call the store and the domain, render.

mod assets;
mod diagrams;
mod error;
mod glossary_links;
mod health;
mod layout;
mod library;
mod pages;
mod request_id;
mod search;
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
pub use library::Library;
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
    /// The national baseline content and what is derived from it at start-up.
    pub library: Arc<Library>,
    pub config: WebConfig,
}

impl AppState {
    pub fn new(store: Store, content: Arc<Content>, config: WebConfig) -> Self {
        Self {
            store,
            library: Arc::new(Library::new(content)),
            config,
        }
    }
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
        .route("/toolkit", get(library::toolkit))
        .route("/toolkit/why-it-matters", get(library::why))
        .route("/toolkit/shared-understanding", get(library::shared))
        .route("/toolkit/framework", get(library::framework))
        .route("/toolkit/framework/stages/{stage}", get(library::stage))
        .route("/toolkit/framework/{id}", get(library::element))
        .route("/toolkit/socio-ecological-model", get(library::ecology))
        .route("/toolkit/factors/{id}", get(library::factor))
        .route("/toolkit/scenarios/{id}", get(library::scenario))
        .route("/toolkit/case-studies/{id}", get(library::case_study))
        .route("/toolkit/whole-system", get(library::whole_system))
        .route("/toolkit/whole-system/{id}", get(library::characteristic))
        .route("/toolkit/workforce", get(library::workforce))
        .route("/toolkit/workforce/{id}", get(library::competency))
        .route("/toolkit/measures", get(library::measures))
        .route("/toolkit/measures/{id}", get(library::measure))
        .route("/toolkit/indicators/{id}", get(library::indicator))
        .route("/toolkit/sources", get(library::sources))
        .route("/toolkit/diagrams/{file}", get(diagrams::diagram))
        .route("/search", get(search::search))
        .route("/glossary", get(library::glossary))
        .route("/glossary/{id}", get(library::term))
        .route("/cookies", get(pages::cookies))
        .route("/privacy", get(pages::privacy))
        .route("/accessibility", get(pages::accessibility))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/assets/{file}", get(assets::serve))
        .fallback(|| async { error::not_found_page() })
        .with_state(state)
        .layer(CatchPanicLayer::custom(error::panic_response))
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
    content: &Content,
) -> Result<Vec<InventoryPage>, StoreError> {
    let mut pages: Vec<InventoryPage> = [
        ("/", "Home"),
        ("/partnerships", "Partnerships"),
        ("/cookies", "Cookies"),
        ("/privacy", "Privacy notice"),
        ("/accessibility", "Accessibility statement"),
        ("/search", "Search the toolkit"),
        ("/search?q=attachment", "Search results for ‘attachment’"),
        ("/search?q=zzyzx", "Search results for ‘zzyzx’"),
        ("/this-page-does-not-exist", "Page not found"),
    ]
    .into_iter()
    .map(|(path, title)| InventoryPage {
        path: path.into(),
        title: title.into(),
    })
    .collect();
    pages.extend(
        library::inventory(content)
            .into_iter()
            .map(|(path, title)| InventoryPage { path, title }),
    );
    for partnership in store.partnerships().await? {
        pages.push(InventoryPage {
            path: format!("/partnerships/{}", partnership.id),
            title: partnership.name,
        });
    }
    Ok(pages)
}
