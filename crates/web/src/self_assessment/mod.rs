//! Part 5, the whole-system self-assessment: an owner or facilitator opens a round, raters
//! (partnership members, or anyone with the round's link) place the partnership on each
//! characteristic's maturity levels, and the results show where they agree and diverge.

mod link;
mod rating;
mod results;
mod rounds;

use cradle_store::StoreError;

use crate::AppState;
use crate::shared::inventory::InventoryPage;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use cradle_domain::partnership::Partnership;
use cradle_store::Store;
use link::{link_page, new_link};
use rating::{link_form, link_rate, rate, rate_form};
use results::{close, round};
use rounds::{create, list, new_form};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::{Partnership, Public};
    use cradle_domain::vocabulary::Role::{Facilitator, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/self-assessment",
            Partnership(Viewer),
            list,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/new",
            Partnership(Facilitator),
            new_form,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/new",
            Partnership(Facilitator),
            create,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}",
            Partnership(Viewer),
            round,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}/rate",
            Partnership(Viewer),
            rate_form,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/rate",
            Partnership(Viewer),
            rate,
        )
        .get(
            "/partnerships/{partnership}/self-assessment/{round}/link",
            Partnership(Facilitator),
            link_page,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/link",
            Partnership(Facilitator),
            new_link,
        )
        .post(
            "/partnerships/{partnership}/self-assessment/{round}/close",
            Partnership(Facilitator),
            close,
        )
        .get("/rate/{token}", Public, link_form)
        .post("/rate/{token}", Public, link_rate)
}

fn rounds_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/self-assessment", scope.partnership.id)
}

/// The content's characteristic with this id, or a stand-in naming the id (a round keeps
/// the ids it was opened with, even if the content changes later).
fn title_of(state: &AppState, id: &str) -> String {
    state
        .library
        .content
        .characteristics
        .by_id(id)
        .map_or_else(|| id.to_owned(), |c| c.title.clone())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ----- The list of rounds -----
// ----- Rating -----
// ----- Results -----

/// The self-assessment pages of a partnership that is not a demo, with the newest round's
/// pages where there is one (the browser check's journey makes it).
pub(crate) async fn inventory(
    store: &Store,
    partnership: &Partnership,
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
        )
        .signed_in(),
    ];
    if let Some(round) = store.rounds(id).await?.first() {
        let base = format!("/partnerships/{id}/self-assessment/{}", round.id);
        pages.push(InventoryPage::new(&base, &round.settings.title));
        if round.settings.scope == cradle_domain::self_assessment::RaterScope::Link {
            pages.push(
                InventoryPage::new(format!("{base}/link"), "The link for raters").signed_in(),
            );
        }
        if round.settings.scope == cradle_domain::self_assessment::RaterScope::Members {
            let status = if round.is_open() { 200 } else { 409 };
            pages.push(
                InventoryPage::new(format!("{base}/rate"), format!("Rate {name}"))
                    .status(status)
                    .signed_in(),
            );
        }
    }
    Ok(pages)
}
