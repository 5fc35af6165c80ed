//! Cradle's web application: server-rendered pages built on GOV.UK Frontend, on axum, one
//! folder per feature. Handlers stay thin: parse, call the store and the domain, render.

mod accounts;
mod actions;
mod admin;
mod assets;
mod geography;
mod health;
mod indicators;
mod library;
mod need;
mod participation;
mod partnerships;
mod reports;
mod search;
mod self_assessment;
mod services;
mod shared;
mod site;
mod walkthroughs;
mod workshops;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::{Extension, Router};
use cradle_content::Content;
use cradle_store::{Store, StoreError};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

use shared::routes::Routes;
use shared::{auth, error, layout, request_id, security, uploads};

pub use admin::password_link;
/// The running demo workshop's join code; the demo partnership is loaded by `cradle-demo`.
pub use cradle_demo::DEMO_JOIN_CODE;
pub use library::Library;
pub use shared::auth::passwords::hash as hash_password;
pub use shared::client_address::TrustedProxies;
pub use shared::error::AppError;
pub use shared::inventory::InventoryPage;
pub use shared::live;
pub use shared::public_url::{PublicUrl, PublicUrlError};
pub use shared::request_id::RequestId;
pub use shared::routes::{RouteSpec, route_table};

/// How this deployment is reached, which decides the security headers it sends.
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// True when users reach Cradle over HTTPS (directly or through a proxy), so that
    /// browsers may be told to insist on HTTPS and cookies may be marked Secure.
    pub https: bool,
    /// Load balancers and proxies in front of Cradle, whose `X-Forwarded-For` entries are
    /// believed when working out a client's address.
    pub trusted_proxies: TrustedProxies,
    /// The address people use to reach Cradle, for links it hands out; when `None`,
    /// [`serve`] uses the address it listens on (never a request's `Host` header).
    pub public_url: Option<PublicUrl>,
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The national baseline content and what is derived from it at start-up.
    pub library: Arc<Library>,
    pub config: WebConfig,
    /// Ended by [`serve`] at shutdown, so that open event streams let it finish.
    pub live_streams: live::LiveStreams,
}

impl AppState {
    pub fn new(store: Store, content: Arc<Content>, config: WebConfig) -> Self {
        Self {
            store,
            library: Arc::new(Library::new(content)),
            config,
            live_streams: live::LiveStreams::default(),
        }
    }
}

/// The largest form body Cradle reads (forms are far smaller). Upload routes (added with
/// `Routes::upload`) read files up to [`uploads::UPLOAD_LIMIT_BYTES`] instead, and answer a
/// larger file with their form and a message beside the file field.
const BODY_LIMIT_BYTES: usize = 1024 * 1024;

/// Every route, each with the access policy it declares beside its handler in its feature.
/// The order does not matter: no two routes share a method and path.
pub(crate) fn define_routes(routes: Routes) -> Routes {
    let routes = site::routes(routes);
    let routes = partnerships::routes(routes);
    let routes = services::routes(routes);
    let routes = walkthroughs::routes(routes);
    let routes = actions::routes(routes);
    let routes = reports::routes(routes);
    let routes = self_assessment::routes(routes);
    let routes = need::routes(routes);
    let routes = indicators::routes(routes);
    let routes = workshops::routes(routes);
    let routes = participation::routes(routes);
    let routes = accounts::routes(routes);
    let routes = admin::routes(routes);
    let routes = geography::routes(routes);
    let routes = library::routes(routes);
    let routes = search::routes(routes);
    let routes = health::routes(routes);
    assets::routes(routes)
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let https = state.config.https;
    let (routes, _) = define_routes(Routes::new()).into_parts();
    routes
        .fallback(|| async { error::not_found_page() })
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(auth::csrf::protect))
        .layer(axum::middleware::from_fn(layout::with_viewer))
        .layer(axum::middleware::from_fn(
            shared::no_store::private_responses,
        ))
        .layer(axum::middleware::from_fn(auth::enforce_lifetime))
        .layer(auth::layer(state.store.clone(), https))
        .layer(Extension(state))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(RequestBodyLimitLayer::new(uploads::HARD_BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(request_id::track))
        .layer(axum::middleware::from_fn_with_state(
            https,
            security::add_headers,
        ))
}

/// Serves Cradle over `state` on `listener` until `shutdown` completes, then ends open
/// event streams and lets other requests in flight finish before returning.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = shared::public_url::default_to_listening_address(state, &listener);
    let live_streams = state.live_streams.clone();
    // The peer address is kept for throttling failed sign-ins per address.
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        live_streams.end();
    })
    .await
}

/// Every page a person can reach, for the browser check (accessibility and screenshots).
/// Each feature lists its own pages; pages with ids list one example of each kind. Pages of
/// partnerships that are not demos are visited signed in, as are account pages.
pub async fn page_inventory(
    store: &Store,
    content: &Content,
) -> Result<Vec<InventoryPage>, StoreError> {
    let mut pages = site::inventory();
    pages.extend(partnerships::inventory());
    pages.extend(search::inventory());
    pages.extend(accounts::inventory());
    pages.extend(participation::inventory());
    pages.extend(admin::inventory());
    pages.extend(geography::inventory());
    pages.extend(library::inventory(content));
    for partnership in store.partnerships().await? {
        let mut own = partnerships::partnership_inventory(&partnership);
        own.extend(services::inventory(store, &partnership).await?);
        own.extend(self_assessment::inventory(store, &partnership).await?);
        own.extend(walkthroughs::inventory(store, content, &partnership).await?);
        own.extend(workshops::inventory(store, &partnership).await?);
        own.extend(actions::inventory(store, &partnership).await?);
        own.extend(reports::inventory(store, &partnership).await?);
        own.extend(need::inventory(&partnership));
        own.extend(indicators::inventory(&partnership));
        if partnership.is_demo {
            pages.extend(own);
        } else {
            pages.extend(own.into_iter().map(InventoryPage::signed_in));
        }
    }
    Ok(pages)
}
