//! Cradle's web application: server-rendered pages built on GOV.UK Frontend, and JSON
//! endpoints, on axum. Handlers stay thin: parse, call the store and the domain, render.

mod accounts;
mod admin;
mod assets;
mod auth;
mod client_address;
mod column_mapping;
mod csv_out;
mod diagrams;
mod error;
mod forms;
mod gap_actions;
mod geography;
mod glossary_links;
mod health;
mod indicators;
mod join_throttle;
mod layout;
mod library;
pub mod live;
mod manage;
mod need;
mod no_store;
mod pages;
mod participate;
mod public_url;
mod request_id;
mod routes;
mod safe_redirect;
mod search;
mod security;
mod self_assessment;
mod services;
mod uploads;
mod walkthroughs;
mod workshop_live;
mod workshops;

use std::future::Future;
use std::sync::Arc;

use std::net::SocketAddr;

use axum::extract::DefaultBodyLimit;
use axum::{Extension, Router};
use cradle_content::Content;
use cradle_domain::access::Access;
use cradle_domain::vocabulary::Role;
use cradle_store::{Store, StoreError};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

pub use admin::password_link;
pub use auth::passwords::hash as hash_password;
pub use client_address::TrustedProxies;
pub use error::AppError;
pub use library::Library;
pub use public_url::{PublicUrl, PublicUrlError};
pub use request_id::RequestId;
pub use routes::{RouteSpec, route_table};
pub use workshops::{DEMO_JOIN_CODE, load_demo_workshop};

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

/// Every route, each with the access policy it declares (see `routes`).
pub(crate) fn define_routes(routes: routes::Routes) -> routes::Routes {
    use Access::{Partnership, Public, SignedIn, SiteAdmin};
    use Role::{Contributor, Facilitator, Owner, Viewer};
    routes
        .get("/", Public, pages::home)
        .get("/partnerships", Public, pages::partnerships)
        .get("/partnerships/new", SignedIn, manage::new_form)
        .post("/partnerships/new", SignedIn, manage::create)
        .get(
            "/partnerships/{partnership}",
            Partnership(Viewer),
            pages::partnership,
        )
        .get(
            "/partnerships/{partnership}/edit",
            Partnership(Owner),
            manage::edit_form,
        )
        .post(
            "/partnerships/{partnership}/edit",
            Partnership(Owner),
            manage::update,
        )
        .get(
            "/partnerships/{partnership}/members",
            Partnership(Viewer),
            manage::members,
        )
        .post(
            "/partnerships/{partnership}/members/{user}/role",
            Partnership(Owner),
            manage::set_role,
        )
        .post(
            "/partnerships/{partnership}/members/{user}/remove",
            Partnership(Owner),
            manage::remove_member,
        )
        .get(
            "/partnerships/{partnership}/invitations",
            Partnership(Facilitator),
            manage::invitations,
        )
        .post(
            "/partnerships/{partnership}/invitations",
            Partnership(Facilitator),
            manage::invite,
        )
        .post(
            "/partnerships/{partnership}/invitations/{invitation}/revoke",
            Partnership(Facilitator),
            manage::revoke,
        )
        .get(
            "/partnerships/{partnership}/audit",
            Partnership(Owner),
            manage::audit,
        )
        .get(
            "/partnerships/{partnership}/audit.csv",
            Partnership(Owner),
            manage::audit_csv,
        )
        .get(
            "/partnerships/{partnership}/services",
            Partnership(Viewer),
            services::list,
        )
        .get(
            "/partnerships/{partnership}/services.csv",
            Partnership(Viewer),
            services::download,
        )
        .get(
            "/partnerships/{partnership}/services/template.csv",
            Partnership(Viewer),
            services::template_csv,
        )
        .get(
            "/partnerships/{partnership}/services/coverage",
            Partnership(Viewer),
            services::coverage,
        )
        .get(
            "/partnerships/{partnership}/services/pathway",
            Partnership(Viewer),
            services::pathway,
        )
        .get(
            "/partnerships/{partnership}/services/new",
            Partnership(Contributor),
            services::new_form,
        )
        .post(
            "/partnerships/{partnership}/services/new",
            Partnership(Contributor),
            services::create,
        )
        .upload(
            "/partnerships/{partnership}/services/import",
            Partnership(Contributor),
            services::import,
        )
        .get(
            "/partnerships/{partnership}/services/{service}/edit",
            Partnership(Contributor),
            services::edit_form,
        )
        .post(
            "/partnerships/{partnership}/services/{service}/edit",
            Partnership(Contributor),
            services::update,
        )
        .post(
            "/partnerships/{partnership}/services/{service}/delete",
            Partnership(Contributor),
            services::delete,
        )
        .get(
            "/partnerships/{partnership}/scenarios",
            Partnership(Viewer),
            walkthroughs::list,
        )
        .get(
            "/partnerships/{partnership}/scenarios/new",
            Partnership(Contributor),
            walkthroughs::new_scenario_form,
        )
        .post(
            "/partnerships/{partnership}/scenarios/new",
            Partnership(Contributor),
            walkthroughs::create_scenario,
        )
        .get(
            "/partnerships/{partnership}/scenarios/national/{scenario}/walk-through",
            Partnership(Contributor),
            walkthroughs::national_form,
        )
        .post(
            "/partnerships/{partnership}/scenarios/national/{scenario}/walk-through",
            Partnership(Contributor),
            walkthroughs::save_national,
        )
        .get(
            "/partnerships/{partnership}/scenarios/local/{scenario}/walk-through",
            Partnership(Contributor),
            walkthroughs::local_form,
        )
        .post(
            "/partnerships/{partnership}/scenarios/local/{scenario}/walk-through",
            Partnership(Contributor),
            walkthroughs::save_local,
        )
        .get(
            "/partnerships/{partnership}/walk-throughs/{walkthrough}",
            Partnership(Viewer),
            walkthroughs::view,
        )
        .get(
            "/partnerships/{partnership}/gaps",
            Partnership(Viewer),
            walkthroughs::register,
        )
        .get(
            "/partnerships/{partnership}/gaps/action",
            Partnership(Contributor),
            gap_actions::new_form,
        )
        .post(
            "/partnerships/{partnership}/gaps/action",
            Partnership(Contributor),
            gap_actions::create,
        )
        .get(
            "/partnerships/{partnership}/self-assessment",
            Partnership(Viewer),
            self_assessment::list,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/new",
            Partnership(Facilitator),
            self_assessment::new_form,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/new",
            Partnership(Facilitator),
            self_assessment::create,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}",
            Partnership(Viewer),
            self_assessment::round,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}/rate",
            Partnership(Viewer),
            self_assessment::rate_form,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/rate",
            Partnership(Viewer),
            self_assessment::rate,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/close",
            Partnership(Facilitator),
            self_assessment::close,
        )
        .get(
            "/partnerships/{partnership}/population",
            Partnership(Viewer),
            need::population,
        )
        .upload(
            "/partnerships/{partnership}/population",
            Partnership(Contributor),
            need::import,
        )
        .get(
            "/partnerships/{partnership}/need",
            Partnership(Viewer),
            need::need,
        )
        .get(
            "/partnerships/{partnership}/need/overrides",
            Partnership(Facilitator),
            need::overrides,
        )
        .post(
            "/partnerships/{partnership}/need/overrides",
            Partnership(Facilitator),
            need::change_override,
        )
        .get(
            "/partnerships/{partnership}/indicators",
            Partnership(Viewer),
            indicators::indicators,
        )
        .get(
            "/partnerships/{partnership}/indicators/files",
            Partnership(Viewer),
            indicators::files,
        )
        .upload(
            "/partnerships/{partnership}/indicators/files",
            Partnership(Contributor),
            indicators::import,
        )
        .get(
            "/partnerships/{partnership}/workshops",
            Partnership(Viewer),
            workshops::list,
        )
        .get(
            "/partnerships/{partnership}/workshops/new",
            Partnership(Facilitator),
            workshops::new_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/new",
            Partnership(Facilitator),
            workshops::create,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}",
            Partnership(Facilitator),
            workshops::manage,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/qr.svg",
            Partnership(Facilitator),
            workshops::qr,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/edit",
            Partnership(Facilitator),
            workshops::edit_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/edit",
            Partnership(Facilitator),
            workshops::update,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/delete",
            Partnership(Facilitator),
            workshops::delete,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/move",
            Partnership(Facilitator),
            workshops::change_phase,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/items/new",
            Partnership(Facilitator),
            workshops::new_item_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/new",
            Partnership(Facilitator),
            workshops::create_item,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/edit",
            Partnership(Facilitator),
            workshops::edit_item_form,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/edit",
            Partnership(Facilitator),
            workshops::update_item,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/move",
            Partnership(Facilitator),
            workshops::move_item,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/remove",
            Partnership(Facilitator),
            workshops::remove_item,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/items/{item}/lock",
            Partnership(Facilitator),
            workshops::lock_item,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/present",
            Partnership(Facilitator),
            workshops::present,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/present/events",
            Partnership(Facilitator),
            workshop_live::presenter_events,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/answers/{answer}/hide",
            Partnership(Facilitator),
            workshops::hide_answer,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/answers/{answer}/group",
            Partnership(Facilitator),
            workshops::group_answer,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/record",
            Partnership(Viewer),
            workshops::record,
        )
        .get(
            "/partnerships/{partnership}/workshops/{workshop}/record.csv",
            Partnership(Viewer),
            workshops::record_csv,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/decisions",
            Partnership(Facilitator),
            workshops::add_decision,
        )
        .post(
            "/partnerships/{partnership}/workshops/{workshop}/actions",
            Partnership(Contributor),
            workshops::add_workshop_action,
        )
        .get(
            "/partnerships/{partnership}/actions",
            Partnership(Viewer),
            workshops::actions,
        )
        .post(
            "/partnerships/{partnership}/actions",
            Partnership(Contributor),
            workshops::add_action,
        )
        .get(
            "/partnerships/{partnership}/actions/{action}/edit",
            Partnership(Facilitator),
            workshops::edit_action_form,
        )
        .post(
            "/partnerships/{partnership}/actions/{action}/edit",
            Partnership(Facilitator),
            workshops::update_action,
        )
        .get("/join", Public, participate::join_form)
        .get("/join/{code}", Public, participate::join_details)
        .post("/join/{code}", Public, participate::join)
        .get("/w/{code}", Public, participate::participate)
        .post("/w/{code}/answer", Public, participate::answer)
        .get(
            "/w/{code}/events",
            Public,
            workshop_live::participant_events,
        )
        .get("/sign-in", Public, accounts::sign_in_form)
        .post("/sign-in", Public, accounts::sign_in)
        .post("/sign-out", SignedIn, accounts::sign_out)
        .get("/password-reset", Public, accounts::forgotten)
        .get("/password-reset/{token}", Public, accounts::reset_form)
        .post("/password-reset/{token}", Public, accounts::reset)
        .get("/rate/{token}", Public, self_assessment::link_form)
        .post("/rate/{token}", Public, self_assessment::link_rate)
        .get("/invitations/{token}", Public, accounts::invitation)
        .post("/invitations/{token}", Public, accounts::accept)
        .get("/account", SignedIn, accounts::account)
        .get("/account/data.json", SignedIn, accounts::download)
        .post(
            "/account/sign-out-everywhere",
            SignedIn,
            accounts::sign_out_everywhere,
        )
        .get("/account/delete", SignedIn, accounts::delete_form)
        .post("/account/delete", SignedIn, accounts::delete)
        .get("/admin/users", SiteAdmin, admin::users)
        .post("/admin/users", SiteAdmin, admin::add_user)
        .post(
            "/admin/users/{user}/password-link",
            SiteAdmin,
            admin::reset_link,
        )
        .get("/admin/geography", SiteAdmin, geography::lookups)
        .upload("/admin/geography", SiteAdmin, geography::import)
        .get("/toolkit", Public, library::toolkit)
        .get("/toolkit/why-it-matters", Public, library::why)
        .get("/toolkit/shared-understanding", Public, library::shared)
        .get("/toolkit/framework", Public, library::framework)
        .get("/toolkit/framework/stages/{stage}", Public, library::stage)
        .get("/toolkit/framework/{id}", Public, library::element)
        .get("/toolkit/socio-ecological-model", Public, library::ecology)
        .get("/toolkit/factors/{id}", Public, library::factor)
        .get("/toolkit/scenarios/{id}", Public, library::scenario)
        .get("/toolkit/case-studies/{id}", Public, library::case_study)
        .get("/toolkit/whole-system", Public, library::whole_system)
        .get(
            "/toolkit/whole-system/{id}",
            Public,
            library::characteristic,
        )
        .get("/toolkit/workforce", Public, library::workforce)
        .get("/toolkit/workforce/{id}", Public, library::competency)
        .get("/toolkit/measures", Public, library::measures)
        .get(
            "/toolkit/measures/compare",
            Public,
            library::measures_compare,
        )
        .get("/toolkit/measures/{id}", Public, library::measure)
        .get("/toolkit/indicators/{id}", Public, library::indicator)
        .get("/toolkit/sources", Public, library::sources)
        .get("/toolkit/diagrams/{file}", Public, diagrams::diagram)
        .get("/search", Public, search::search)
        .get("/glossary", Public, library::glossary)
        .get("/glossary/{id}", Public, library::term)
        .get("/cookies", Public, pages::cookies)
        .get("/privacy", Public, pages::privacy)
        .get("/accessibility", Public, pages::accessibility)
        .get("/healthz", Public, health::healthz)
        .get("/readyz", Public, health::readyz)
        .get("/assets/{file}", Public, assets::serve)
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let https = state.config.https;
    let (routes, _) = define_routes(routes::Routes::new()).into_parts();
    routes
        .fallback(|| async { error::not_found_page() })
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(auth::csrf::protect))
        .layer(axum::middleware::from_fn(layout::with_viewer))
        .layer(axum::middleware::from_fn(no_store::private_responses))
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
    let state = public_url::default_to_listening_address(state, &listener);
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

/// A page the browser check visits.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InventoryPage {
    pub path: String,
    pub title: String,
    /// The status the page answers with (404 for the not-found and spent-link pages).
    pub status: u16,
    /// Visited signed in as a site administrator (who may see every page) when true.
    pub signed_in: bool,
}

impl InventoryPage {
    fn new(path: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            title: title.into(),
            status: 200,
            signed_in: false,
        }
    }

    fn status(self, status: u16) -> Self {
        Self { status, ..self }
    }

    fn signed_in(self) -> Self {
        Self {
            signed_in: true,
            ..self
        }
    }
}

/// Every page a person can reach, for the browser check (accessibility and screenshots).
/// Add each new page here; pages with ids list one example of each kind. Pages of
/// partnerships that are not demos are visited signed in, as are account pages.
pub async fn page_inventory(
    store: &Store,
    content: &Content,
) -> Result<Vec<InventoryPage>, StoreError> {
    let mut pages = vec![
        InventoryPage::new("/", "Home"),
        InventoryPage::new("/partnerships", "Partnerships"),
        InventoryPage::new("/cookies", "Cookies"),
        InventoryPage::new("/privacy", "Privacy notice"),
        InventoryPage::new("/accessibility", "Accessibility statement"),
        InventoryPage::new("/search", "Search the toolkit"),
        InventoryPage::new("/search?q=attachment", "Search results for ‘attachment’"),
        InventoryPage::new("/search?q=zzyzx", "Search results for ‘zzyzx’"),
        InventoryPage::new("/this-page-does-not-exist", "Page not found").status(404),
        InventoryPage::new("/sign-in", "Sign in"),
        InventoryPage::new("/password-reset", "If you have forgotten your password"),
        InventoryPage::new(
            "/password-reset/not-a-real-link",
            "This link cannot be used",
        )
        .status(404),
        InventoryPage::new("/invitations/not-a-real-link", "This link cannot be used").status(404),
        InventoryPage::new("/account", "Your account").signed_in(),
        InventoryPage::new("/account/delete", "Delete your account").signed_in(),
        InventoryPage::new("/partnerships/new", "Create a partnership").signed_in(),
        InventoryPage::new("/join", "Join a workshop"),
        InventoryPage::new("/join?code=K0QM3R", "Error: Join a workshop").status(400),
        InventoryPage::new("/admin/users", "People with accounts").signed_in(),
        InventoryPage::new("/admin/geography", "Geography lookups").signed_in(),
        InventoryPage::new(
            "/toolkit/measures?age=9&purpose=screening&completer=parent",
            "Measures and indicators",
        ),
        InventoryPage::new(
            "/toolkit/measures?age=nine",
            "Error: Measures and indicators",
        )
        .status(400),
    ];
    pages.extend(
        library::inventory(content)
            .into_iter()
            .map(|(path, title)| InventoryPage::new(path, title)),
    );
    let (compare_path, compare_title) = library::compare_example(content);
    pages.push(InventoryPage::new(compare_path, compare_title));
    for partnership in store.partnerships().await? {
        let id = &partnership.id;
        if partnership.is_demo {
            pages.push(InventoryPage::new(
                format!("/partnerships/{id}"),
                &partnership.name,
            ));
            pages.push(InventoryPage::new(
                format!("/partnerships/{id}/need"),
                format!("Estimated need in {}", partnership.name),
            ));
            pages.push(InventoryPage::new(
                format!("/partnerships/{id}/population"),
                format!("Population data for {}", partnership.name),
            ));
            pages.push(InventoryPage::new(
                format!("/partnerships/{id}/indicators"),
                format!("Local indicators for {}", partnership.name),
            ));
            pages.push(InventoryPage::new(
                format!("/partnerships/{id}/indicators/files"),
                format!("Indicator data for {}", partnership.name),
            ));
            pages.extend(workshops_inventory(store, &partnership).await?);
            continue;
        }
        pages.extend(services_inventory(store, &partnership).await?);
        let first_scenario = content
            .scenarios
            .iter()
            .next()
            .map(|s| (s.id.as_str(), s.title.as_str()));
        pages.extend(local_system_inventory(store, &partnership, first_scenario).await?);
        pages.extend(
            workshops_inventory(store, &partnership)
                .await?
                .into_iter()
                .map(InventoryPage::signed_in),
        );
        let name = &partnership.name;
        pages.extend(
            [
                InventoryPage::new(format!("/partnerships/{id}"), name),
                InventoryPage::new(
                    format!("/partnerships/{id}/edit"),
                    "Change the partnership's details",
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/members"),
                    format!("Members of {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/invitations"),
                    format!("Invite people to {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/audit"),
                    format!("Audit log of {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/population"),
                    format!("Population data for {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/need"),
                    format!("Estimated need in {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/need/overrides"),
                    format!("Local figures for {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/indicators"),
                    format!("Local indicators for {name}"),
                ),
                InventoryPage::new(
                    format!("/partnerships/{id}/indicators/files"),
                    format!("Indicator data for {name}"),
                ),
            ]
            .map(InventoryPage::signed_in),
        );
    }
    Ok(pages)
}

/// The scenario, gap register and self-assessment pages of one partnership, with pages of
/// the newest scenario, walk-through and round where there are any (the browser check's
/// journey makes them).
async fn local_system_inventory(
    store: &Store,
    partnership: &cradle_domain::partnership::Partnership,
    content_scenario: Option<(&str, &str)>,
) -> Result<Vec<InventoryPage>, StoreError> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/self-assessment"),
            format!("Whole-system self-assessment in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/self-assessment/new"),
            "Open a self-assessment round",
        ),
    ];
    pages.extend([
        InventoryPage::new(
            format!("/partnerships/{id}/scenarios"),
            format!("Scenario walk-throughs in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/scenarios/new"),
            "Write a scenario",
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/gaps"),
            format!("Gap register of {name}"),
        ),
    ]);
    if let Some(scenario) = content_scenario {
        pages.push(InventoryPage::new(
            format!(
                "/partnerships/{id}/scenarios/national/{}/walk-through",
                scenario.0
            ),
            format!("Walk through: {}", scenario.1),
        ));
    }
    if let Some(local) = store.scenarios(id).await?.first() {
        pages.push(InventoryPage::new(
            format!(
                "/partnerships/{id}/scenarios/local/{}/walk-through",
                local.id
            ),
            format!("Walk through: {}", local.scenario.title),
        ));
    }
    if let Some(walkthrough) = store.walkthroughs(id).await?.first() {
        pages.push(InventoryPage::new(
            format!("/partnerships/{id}/walk-throughs/{}", walkthrough.id),
            format!("Walk-through: {}", walkthrough.scenario.title),
        ));
    }
    if let Some(round) = store.rounds(id).await?.first() {
        let base = format!("/partnerships/{id}/self-assessment/{}", round.id);
        pages.push(InventoryPage::new(&base, &round.settings.title));
        if round.settings.scope == cradle_domain::self_assessment::RaterScope::Members {
            let status = if round.is_open() { 200 } else { 409 };
            pages.push(
                InventoryPage::new(format!("{base}/rate"), format!("Rate {name}")).status(status),
            );
        }
    }
    Ok(pages.into_iter().map(InventoryPage::signed_in).collect())
}

/// The service map's pages of one partnership, one service's edit page among them.
async fn services_inventory(
    store: &Store,
    partnership: &cradle_domain::partnership::Partnership,
) -> Result<Vec<InventoryPage>, StoreError> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/services"),
            format!("Service map of {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/services/coverage"),
            format!("Coverage and gaps in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/services/pathway"),
            format!("Referral pathway of {name}"),
        ),
        InventoryPage::new(format!("/partnerships/{id}/services/new"), "Add a service"),
    ];
    if let Some(first) = store.services(id).await?.first() {
        pages.push(InventoryPage::new(
            format!("/partnerships/{id}/services/{}/edit", first.id),
            "Change a service",
        ));
    }
    Ok(pages.into_iter().map(InventoryPage::signed_in).collect())
}

/// The workshop pages of one partnership: the list, the action log, and for its first
/// workshop the pages of planning, presenting and the record (signed in: facilitators
/// only), with the join page participants see.
async fn workshops_inventory(
    store: &Store,
    partnership: &cradle_domain::partnership::Partnership,
) -> Result<Vec<InventoryPage>, StoreError> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/workshops"),
            format!("Workshops of {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/actions"),
            format!("Action log of {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/actions?status=open&owner=x"),
            format!("Action log of {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/workshops/new"),
            "Plan a workshop",
        )
        .signed_in(),
    ];
    if let Some(workshop) = store.workshops(id).await?.first() {
        let base = format!("/partnerships/{id}/workshops/{}", workshop.id);
        let title = &workshop.details.title;
        pages.push(InventoryPage::new(
            format!("{base}/record"),
            format!("Record of {title}"),
        ));
        pages.push(InventoryPage::new(
            format!("/join/{}", workshop.join_code),
            format!("Join {title}"),
        ));
        pages.extend(
            [
                InventoryPage::new(base.clone(), title),
                InventoryPage::new(format!("{base}/present"), format!("Presenting: {title}")),
                InventoryPage::new(format!("{base}/edit"), "Change the workshop’s details"),
                InventoryPage::new(format!("{base}/items/new"), "Add an agenda item"),
            ]
            .map(InventoryPage::signed_in),
        );
        if let Some(item) = store.workshop_items(&workshop.id).await?.first() {
            pages.push(
                InventoryPage::new(
                    format!("{base}/items/{}/edit", item.id),
                    "Change an agenda item",
                )
                .signed_in(),
            );
        }
    }
    if let Some(action) = store
        .list_actions(id, &cradle_domain::workshop::ActionFilter::default())
        .await?
        .first()
    {
        pages.push(
            InventoryPage::new(
                format!("/partnerships/{id}/actions/{}/edit", action.id),
                "Change an action",
            )
            .signed_in(),
        );
    }
    Ok(pages)
}
