//! Population data and need estimates for a partnership: importing official population
//! files (every problem shown by sheet, row and column, nothing imported unless all is
//! well), the estimate of need from published prevalence with its ranges, working and
//! sources, and the partnership's own figures in place of published ones.

mod estimate;
mod overrides;
mod population;

pub(crate) mod column_mapping;

use cradle_store::PopulationImport;

use crate::shared::inventory::InventoryPage;
use crate::shared::routes::Routes;
use cradle_domain::partnership::Partnership;
use estimate::need;
use overrides::{change_override, overrides};
use population::{import, population};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Contributor, Facilitator, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/population",
            Partnership(Viewer),
            population,
        )
        .upload(
            "/partnerships/{partnership}/population",
            Partnership(Contributor),
            import,
        )
        .get(
            "/partnerships/{partnership}/need",
            Partnership(Viewer),
            need,
        )
        .get(
            "/partnerships/{partnership}/need/overrides",
            Partnership(Facilitator),
            overrides,
        )
        .post(
            "/partnerships/{partnership}/need/overrides",
            Partnership(Facilitator),
            change_override,
        )
}

/// The longest reason for an override, in characters.
const REASON_MAX: usize = 500;

/// Where figures came from, shown wherever they appear.
pub(crate) struct SourceLine {
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// `mid-2023`, or "year not stated".
    pub year: String,
}

impl SourceLine {
    fn of(import: &PopulationImport) -> Self {
        Self {
            file_name: import.file_name.clone(),
            publisher: import.publisher.clone(),
            edition: import.edition.clone(),
            year: import.year.map_or_else(
                || "year not stated".to_owned(),
                // Births are counted over a calendar year, population at mid-year.
                |year| {
                    if import.is_births() {
                        year.to_string()
                    } else {
                        format!("mid-{year}")
                    }
                },
            ),
        }
    }
}

// ----- Importing population files -----

// ----- The need estimate -----

// ----- The partnership's own figures -----

/// The need, population and local figures pages of a partnership (the last visited signed
/// in: it changes the estimate).
pub(crate) fn inventory(partnership: &Partnership) -> Vec<InventoryPage> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/need"),
            format!("Estimated need in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/population"),
            format!("Population data for {name}"),
        ),
    ];
    pages.push(
        InventoryPage::new(
            format!("/partnerships/{id}/need/overrides"),
            format!("Local figures for {name}"),
        )
        .signed_in(),
    );
    pages
}
