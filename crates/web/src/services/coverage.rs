//! The coverage matrices with their gaps, and the referral pathway.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::{Html, Response};
use cradle_domain::services::{self as map, Matrix, ServiceField, ServiceFields};
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::csv_out;
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;

/// A coverage matrix ready to show as a table: every cell has its count and a shade.
struct MatrixTable {
    id: &'static str,
    caption: String,
    corner: &'static str,
    columns: Vec<String>,
    /// Each row's heading and its cells as (count, shade 0–4).
    rows: Vec<(String, Vec<(usize, usize)>)>,
}

impl MatrixTable {
    fn new<R, C>(
        id: &'static str,
        caption: &str,
        corner: &'static str,
        matrix: &Matrix<R, C>,
        row_label: impl Fn(&R) -> String,
        column_label: impl Fn(&C) -> String,
    ) -> Self
    where
        R: PartialEq,
        C: PartialEq,
    {
        Self {
            id,
            caption: caption.to_owned(),
            corner,
            columns: matrix.columns.iter().map(column_label).collect(),
            rows: matrix
                .rows
                .iter()
                .zip(&matrix.counts)
                .map(|(row, counts)| {
                    (
                        row_label(row),
                        counts
                            .iter()
                            .map(|count| (*count, matrix.shade(*count)))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "services/coverage.html")]
struct CoveragePage {
    layout: Layout,
    scope: InPartnership,
    service_count: usize,
    matrices: Vec<MatrixTable>,
    gap_count: usize,
    /// The gaps in sections by the rule that found them.
    coverage: Vec<crate::shared::gap_sections::RuleSection>,
    today: String,
}

pub(super) async fn coverage(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let services: Vec<_> = state
        .store
        .services(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|stored| stored.service)
        .collect();
    let today = OffsetDateTime::now_utc().date();
    let by_age = map::coverage_tier_by_age(&services);
    let by_element = map::coverage_level_by_element(&services);
    let gaps = map::gaps(&services, today);
    render(&CoveragePage {
        layout: Layout::new(
            format!("Coverage and gaps in {}", scope.partnership.name),
            "/partnerships",
        ),
        matrices: vec![
            MatrixTable::new(
                "tier-by-age",
                "Number of services at each tier of need, by age band",
                "Tier of need",
                &by_age,
                |tier| tier.label().to_owned(),
                |stage| stage.label().to_owned(),
            ),
            MatrixTable::new(
                "level-by-element",
                "Number of services at each ecological level, by framework element supported",
                "Ecological level",
                &by_element,
                |level| level.label().to_owned(),
                |element| element.label(),
            ),
        ],
        gap_count: gaps.len(),
        coverage: crate::shared::gap_sections::rule_sections(gaps),
        service_count: services.len(),
        today: map::long_date(today),
        scope,
    })
}

/// A CSV of the partnership's services in the template's columns, so a map can be
/// downloaded, corrected and imported again.
pub(super) async fn download(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Response, AppError> {
    let services = state.store.services(&scope.partnership.id).await?;
    let header = ServiceField::ALL.map(ServiceField::column);
    let rows = services.iter().map(|stored| {
        let fields = ServiceFields::from_service(&stored.service);
        ServiceField::ALL
            .iter()
            .map(|field| fields.get(*field).to_owned())
            .collect()
    });
    csv_out::download("cradle-service-map.csv", &header, rows)
}

// ----- The referral pathway -----

#[derive(Template)]
#[template(path = "services/pathway.html")]
struct PathwayPage {
    layout: Layout,
    scope: InPartnership,
    diagram: cradle_diagrams::Diagram,
    /// (from, to, in a loop) for each route.
    routes: Vec<(String, String, bool)>,
    loops: Vec<String>,
    unconnected: Vec<String>,
}

/// The referral pathway diagram, with the same routes as a table beside it.
pub(super) async fn pathway(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let services: Vec<_> = state
        .store
        .services(&scope.partnership.id)
        .await?
        .into_iter()
        .map(|stored| stored.service)
        .collect();
    let pathways = map::referral_pathways(&services);
    let name = |referrer: &map::Referrer| match referrer {
        map::Referrer::Service(index) => services[*index].name.clone(),
        map::Referrer::Outside(source) => format!("{source} (not on the map)"),
    };
    let routes = pathways
        .routes
        .iter()
        .map(|route| {
            (
                name(&route.from),
                services[route.to].name.clone(),
                pathways.in_loop(route),
            )
        })
        .collect();
    let names = |indexes: &[usize]| -> Vec<String> {
        indexes.iter().map(|i| services[*i].name.clone()).collect()
    };
    render(&PathwayPage {
        layout: Layout::new(
            format!("Referral pathway of {}", scope.partnership.name),
            "/partnerships",
        ),
        diagram: cradle_diagrams::referral_pathway(&scope.partnership.name, &services),
        loops: pathways
            .loops
            .iter()
            .map(|group| names(group).join(", "))
            .collect(),
        unconnected: names(&pathways.unconnected),
        routes,
        scope,
    })
}
