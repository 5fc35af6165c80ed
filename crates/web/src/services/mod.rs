//! Part 5, the whole-system approach: a partnership's service map, added to one service at
//! a time or imported from a CSV or Excel file, with its coverage matrices and gap list.

use askama::Template;
use axum::Extension;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::services::{self as map};
use cradle_store::{StoreError, StoredService};
use serde::Deserialize;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::file_problems::FileProblems;
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::uploads::{self, Received, Refusal, refused};
use cradle_domain::partnership::Partnership;
use cradle_store::Store;

mod coverage;
mod form;

use coverage::{coverage, download, pathway};
use form::{create, delete, edit_form, new_form, update};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Contributor, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/services",
            Partnership(Viewer),
            list,
        )
        .get(
            "/partnerships/{partnership}/services.csv",
            Partnership(Viewer),
            download,
        )
        .get(
            "/partnerships/{partnership}/services/template.csv",
            Partnership(Viewer),
            template_csv,
        )
        .get(
            "/partnerships/{partnership}/services/coverage",
            Partnership(Viewer),
            coverage,
        )
        .get(
            "/partnerships/{partnership}/services/pathway",
            Partnership(Viewer),
            pathway,
        )
        .get(
            "/partnerships/{partnership}/services/new",
            Partnership(Contributor),
            new_form,
        )
        .post(
            "/partnerships/{partnership}/services/new",
            Partnership(Contributor),
            create,
        )
        .upload(
            "/partnerships/{partnership}/services/import",
            Partnership(Contributor),
            import,
        )
        .get(
            "/partnerships/{partnership}/services/{service}/edit",
            Partnership(Contributor),
            edit_form,
        )
        .post(
            "/partnerships/{partnership}/services/{service}/edit",
            Partnership(Contributor),
            update,
        )
        .post(
            "/partnerships/{partnership}/services/{service}/delete",
            Partnership(Contributor),
            delete,
        )
}

fn services_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/services", scope.partnership.id)
}

// ----- The list, with the import form -----

#[derive(Template)]
#[template(path = "services/index.html")]
struct ServicesPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    services: Vec<ServiceLine>,
    errors: FormErrors,
    /// A refused file's problems.
    problems: FileProblems,
    /// After a successful import: how many services were added and updated.
    imported: Option<String>,
}

/// One service as the list shows it.
struct ServiceLine {
    id: String,
    name: String,
    provider: String,
    tier: &'static str,
    age_bands: String,
    funding_end: String,
}

impl ServiceLine {
    fn new(stored: StoredService) -> Self {
        let service = stored.service;
        Self {
            id: stored.id,
            tier: service.tier.label(),
            age_bands: service
                .stages
                .iter()
                .map(|stage| stage.label())
                .collect::<Vec<_>>()
                .join(", "),
            funding_end: service.funding_end.map(map::long_date).unwrap_or_default(),
            name: service.name,
            provider: service.provider,
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct ImportedQuery {
    added: Option<usize>,
    updated: Option<usize>,
}

async fn services_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    refusal: Refusal,
    imported: Option<(usize, usize)>,
) -> Result<Html<String>, AppError> {
    let Refusal { errors, problems } = refusal;
    let imported = imported.map(|(added, updated)| {
        let noun = if added == 1 { "service" } else { "services" };
        format!("File imported: {added} {noun} added, {updated} updated.")
    });
    let services = state
        .store
        .services(&scope.partnership.id)
        .await?
        .into_iter()
        .map(ServiceLine::new)
        .collect();
    render(&ServicesPage {
        layout: Layout::new(
            format!("Service map of {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        scope,
        services,
        errors,
        problems,
        imported,
    })
}

pub(crate) async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<ImportedQuery>,
) -> Result<Html<String>, AppError> {
    let imported = match (query.added, query.updated) {
        (None, None) => None,
        (added, updated) => Some((added.unwrap_or(0), updated.unwrap_or(0))),
    };
    services_page(&state, &auth, scope, Refusal::default(), imported).await
}

/// The file to fill in, with one example row.
pub(crate) async fn template_csv() -> Response {
    // A byte-order mark makes Excel open the file as UTF-8 (the en dash in the example).
    let mut rows = b"\xEF\xBB\xBF".to_vec();
    rows.extend_from_slice(cradle_readers::template_csv().as_bytes());
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"cradle-service-map-template.csv\"".to_owned(),
            ),
        ],
        rows,
    )
        .into_response()
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let services = match uploads::receive(
        form,
        "Select a CSV or Excel (.xlsx) file of services to import",
        |bytes, _name| cradle_readers::read_services(bytes),
    )
    .await?
    {
        Ok(Received { table, .. }) => table,
        Err(refusal) => {
            return Ok(refused(
                services_page(&state, &auth, scope, refusal, None).await,
            ));
        }
    };
    let summary = state
        .store
        .import_services(&actor(&auth)?, &scope.partnership.id, &services)
        .await?;
    Ok(Redirect::to(&format!(
        "{}?added={}&updated={}",
        services_path(&scope),
        summary.created,
        summary.updated
    ))
    .into_response())
}

/// The service map's pages of a partnership, one service's edit page among them; pages
/// that change the map are visited signed in (the demo's readers have no account).
pub(crate) async fn inventory(
    store: &Store,
    partnership: &Partnership,
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
        InventoryPage::new(format!("/partnerships/{id}/services/new"), "Add a service").signed_in(),
    ];
    if let Some(first) = store.services(id).await?.first() {
        pages.push(
            InventoryPage::new(
                format!("/partnerships/{id}/services/{}/edit", first.id),
                "Change a service",
            )
            .signed_in(),
        );
    }
    Ok(pages)
}
