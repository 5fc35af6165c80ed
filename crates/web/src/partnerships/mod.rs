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

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::{Partnership, Public, SignedIn};
    use cradle_domain::vocabulary::Role::{Facilitator, Owner, Viewer};
    routes
        .get("/partnerships", Public, partnerships)
        .get("/partnerships/new", SignedIn, manage::new_form)
        .post("/partnerships/new", SignedIn, manage::create)
        .get(
            "/partnerships/{partnership}",
            Partnership(Viewer),
            partnership,
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
