//! Partnerships: the list, a partnership's page, and managing one (its details, members,
//! invitations and audit log).

pub(crate) mod manage;

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use cradle_domain::partnership::Partnership;

use crate::AppState;
use crate::shared::auth::Auth;
use crate::shared::error::{AppError, render};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::{InPartnership, Routes};
use crate::shared::visible::visible_partnerships;

/// This feature's routes, each with its access policy beside its handler.
pub(crate) fn routes(routes: Routes) -> Routes {
    own_routes(manage::routes(routes))
}

/// The routes of the pages in this file.
fn own_routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::{Partnership, Public};
    use cradle_domain::vocabulary::Role::Viewer;
    routes.get("/partnerships", Public, partnerships).get(
        "/partnerships/{partnership}",
        Partnership(Viewer),
        partnership,
    )
}

#[derive(Template)]
#[template(path = "partnerships/partnerships.html")]
struct PartnershipsPage {
    layout: Layout,
    partnerships: Vec<Partnership>,
    signed_in: bool,
}

pub(crate) async fn partnerships(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    let partnerships = visible_partnerships(&state, &auth).await?;
    render(&PartnershipsPage {
        layout: Layout::new("Partnerships", "/partnerships"),
        partnerships,
        signed_in: auth.user.is_some(),
    })
}

#[derive(Template)]
#[template(path = "partnerships/partnership.html")]
struct PartnershipPage {
    layout: Layout,
    partnership: Partnership,
    scope: InPartnership,
}

pub(crate) async fn partnership(
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    render(&PartnershipPage {
        layout: Layout::new(scope.partnership.name.clone(), "/partnerships"),
        partnership: scope.partnership.clone(),
        scope,
    })
}

/// The list of partnerships and the form that creates one.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![
        InventoryPage::new("/partnerships", "Partnerships"),
        InventoryPage::new("/partnerships/new", "Create a partnership").signed_in(),
    ]
}

/// A partnership's own page and, unless it is a demo, the pages that manage it.
pub(crate) fn partnership_inventory(partnership: &Partnership) -> Vec<InventoryPage> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![InventoryPage::new(format!("/partnerships/{id}"), name)];
    if !partnership.is_demo {
        pages.extend([
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
        ]);
    }
    pages
}
