//! `/search?q=…`: full-text search across the toolkit content, ranked, with the matching
//! words highlighted in a snippet.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use cradle_content::search::{DocKind, Hit};
use serde::Deserialize;

use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::glossary_links::escape_into;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Public;
    routes.get("/search", Public, search)
}

/// How many results a page shows.
const RESULTS_SHOWN: usize = 50;
/// Longer queries are cut (a query is a few words, never a document).
const QUERY_MAX_CHARS: usize = 200;

#[derive(Deserialize)]
pub(crate) struct SearchParams {
    #[serde(default)]
    q: String,
}

/// A result ready to show.
struct Result {
    kind: &'static str,
    title: String,
    href: String,
    /// The snippet as HTML: escaped text with `<mark>` around matched words.
    snippet_html: String,
}

#[derive(Template)]
#[template(path = "search/search.html")]
struct SearchPage {
    layout: Layout,
    query: String,
    total: usize,
    results: Vec<Result>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> std::result::Result<Html<String>, AppError> {
    let query: String = params.q.trim().chars().take(QUERY_MAX_CHARS).collect();
    let found = state.library.search.search(&query, RESULTS_SHOWN);
    let title = if query.is_empty() {
        "Search the toolkit".to_owned()
    } else {
        format!("Search results for ‘{query}’")
    };
    render(&SearchPage {
        layout: Layout::new(title, "/search"),
        total: found.total,
        results: found.hits.iter().map(to_result).collect(),
        query,
    })
}

fn to_result(hit: &Hit) -> Result {
    let mut snippet_html = String::new();
    for segment in &hit.snippet {
        if segment.highlighted {
            snippet_html.push_str("<mark>");
            escape_into(&mut snippet_html, &segment.text);
            snippet_html.push_str("</mark>");
        } else {
            escape_into(&mut snippet_html, &segment.text);
        }
    }
    Result {
        kind: hit.kind.label(),
        title: hit.title.clone(),
        href: href(hit.kind, &hit.id),
        snippet_html,
    }
}

/// Where an item of each kind is shown in the library.
pub(crate) fn href(kind: DocKind, id: &str) -> String {
    match kind {
        DocKind::Fact => format!("/toolkit/why-it-matters#{id}"),
        DocKind::Prompt | DocKind::Word | DocKind::SystemPart => {
            format!("/toolkit/shared-understanding#{id}")
        }
        DocKind::Element => format!("/toolkit/framework/{id}"),
        DocKind::Level => format!("/toolkit/socio-ecological-model#level-{id}"),
        DocKind::Factor => format!("/toolkit/factors/{id}"),
        DocKind::Scenario => format!("/toolkit/scenarios/{id}"),
        DocKind::CaseStudy => format!("/toolkit/case-studies/{id}"),
        DocKind::Characteristic => format!("/toolkit/whole-system/{id}"),
        DocKind::Competency => format!("/toolkit/workforce/{id}"),
        DocKind::Measure => format!("/toolkit/measures/{id}"),
        DocKind::Indicator => format!("/toolkit/indicators/{id}"),
        DocKind::GlossaryTerm => format!("/glossary/{id}"),
    }
}

/// The search page, with results and without.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![
        InventoryPage::new("/search", "Search the toolkit"),
        InventoryPage::new("/search?q=attachment", "Search results for ‘attachment’"),
        InventoryPage::new("/search?q=zzyzx", "Search results for ‘zzyzx’"),
    ]
}
