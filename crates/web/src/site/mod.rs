//! The site's general pages: home, and the service's own information pages (cookies,
//! privacy, accessibility).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use cradle_domain::partnership::Partnership;
use cradle_domain::workshop::Phase;

use crate::AppState;
use crate::shared::auth::Auth;
use crate::shared::error::{AppError, render};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;
use crate::shared::visible::visible_partnerships;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Public;
    routes
        .get("/", Public, home)
        .get("/cookies", Public, cookies)
        .get("/privacy", Public, privacy)
        .get("/accessibility", Public, accessibility)
}

#[derive(Template)]
#[template(path = "site/home.html")]
struct HomePage {
    layout: Layout,
    partnerships: Vec<Partnership>,
    demo: Option<DemoTour>,
    signed_in: bool,
}

/// What a newcomer can try in the demo partnership.
struct DemoTour {
    id: String,
    /// The join code of the demo's running workshop, if it has one.
    join_code: Option<String>,
}

/// The demo partnership and its running workshop, for the home page's "what to try".
async fn demo_tour(
    state: &AppState,
    partnerships: &[Partnership],
) -> Result<Option<DemoTour>, AppError> {
    let Some(demo) = partnerships.iter().find(|p| p.is_demo) else {
        return Ok(None);
    };
    let join_code = state
        .store
        .workshops(&demo.id)
        .await?
        .into_iter()
        .find(|workshop| matches!(workshop.phase, Phase::Running { .. }))
        .map(|workshop| workshop.join_code);
    Ok(Some(DemoTour {
        id: demo.id.clone(),
        join_code,
    }))
}

pub(crate) async fn home(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    let partnerships = visible_partnerships(&state, &auth).await?;
    render(&HomePage {
        layout: Layout::new("Cradle", "/"),
        demo: demo_tour(&state, &partnerships).await?,
        signed_in: auth.user.is_some(),
        partnerships,
    })
}

#[derive(Template)]
#[template(path = "site/cookies.html")]
struct CookiesPage {
    layout: Layout,
}

pub(crate) async fn cookies() -> Result<Html<String>, AppError> {
    render(&CookiesPage {
        layout: Layout::new("Cookies", ""),
    })
}

#[derive(Template)]
#[template(path = "site/privacy.html")]
struct PrivacyPage {
    layout: Layout,
}

pub(crate) async fn privacy() -> Result<Html<String>, AppError> {
    render(&PrivacyPage {
        layout: Layout::new("Privacy notice", ""),
    })
}

#[derive(Template)]
#[template(path = "site/accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
}

pub(crate) async fn accessibility() -> Result<Html<String>, AppError> {
    render(&AccessibilityPage {
        layout: Layout::new("Accessibility statement", ""),
    })
}

/// The site's general pages, and the page a wrong address gets.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![
        InventoryPage::new("/", "Home"),
        InventoryPage::new("/cookies", "Cookies"),
        InventoryPage::new("/privacy", "Privacy notice"),
        InventoryPage::new("/accessibility", "Accessibility statement"),
        InventoryPage::new("/this-page-does-not-exist", "Page not found").status(404),
    ]
}
