//! Workshops, for the partnership's members: planning an agenda from a template or from
//! scratch, running it (start, move through, lock, hide, close), the presenter view for
//! the big screen, and the record afterwards with its CSV. The partnership's action log is
//! in `actions`.
//!
//! Who may do what: any member reads the list, the record and the action log; a
//! contributor may add an action (anyone in the room may commit to doing something); a
//! facilitator plans and runs workshops, records decisions and changes actions.

mod agenda;
mod moderation;
mod planning;
mod qr;
mod record;
mod record_csv;
mod running;
mod screen;

use cradle_domain::workshop::{self as rules, JoinCode};
use cradle_store::{StoreError, StoredWorkshop};

use crate::AppState;
use crate::shared::error::AppError;
use crate::shared::inventory::InventoryPage;
use crate::shared::public_url::site_address;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;

/// This feature's routes, each with its access policy beside its handler.
pub(crate) fn routes(routes: Routes) -> Routes {
    let routes = planning::routes(routes);
    let routes = agenda::routes(routes);
    let routes = running::routes(routes);
    let routes = moderation::routes(routes);
    let routes = qr::routes(routes);
    let routes = screen::routes(routes);
    let routes = record::routes(routes);
    record_csv::routes(routes)
}

pub(crate) fn workshops_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/workshops", scope.partnership.id)
}

fn workshop_path(scope: &InPartnership, id: &str) -> String {
    format!("{}/{id}", workshops_path(scope))
}

async fn load(
    state: &AppState,
    scope: &InPartnership,
    id: &str,
) -> Result<StoredWorkshop, AppError> {
    state
        .store
        .workshop(&scope.partnership.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A date as people read it, or "No date set".
fn date_label(date: Option<time::Date>) -> String {
    date.map_or_else(
        || "No date set".to_owned(),
        cradle_domain::services::long_date,
    )
}

fn date_field(date: Option<time::Date>) -> String {
    date.map(|date| {
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        )
    })
    .unwrap_or_default()
}

/// A new random join code.
fn new_join_code() -> Result<JoinCode, AppError> {
    let mut bytes = [0u8; rules::JOIN_CODE_LENGTH];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness available: {error}")))?;
    Ok(JoinCode::from_random(bytes))
}

/// The join link people type or scan.
pub(crate) fn join_link(state: &AppState, code: &str) -> String {
    format!("{}/join/{code}", site_address(state))
}

fn back_to(scope: &InPartnership, id: &str, back: &str) -> String {
    match back {
        "present" => format!("{}/present", workshop_path(scope, id)),
        "screen" => format!("{}/screen", workshop_path(scope, id)),
        "record" => format!("{}/record", workshop_path(scope, id)),
        _ => workshop_path(scope, id),
    }
}

/// The workshop pages of a partnership: the list, and for its first workshop the pages of
/// planning, presenting and the record (signed in: facilitators only), with the join page
/// participants see.
pub(crate) async fn inventory(
    store: &cradle_store::Store,
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
            format!("/partnerships/{id}/workshops/new"),
            "Plan a workshop",
        )
        .signed_in(),
    ];
    let Some(workshop) = store.workshops(id).await?.into_iter().next() else {
        return Ok(pages);
    };
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
            InventoryPage::new(format!("{base}/screen"), format!("Screen: {title}")).bare(),
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
    Ok(pages)
}
