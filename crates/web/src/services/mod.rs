//! Part 5, the whole-system approach: a partnership's service map, added to one service at
//! a time or imported from a CSV or Excel file, with its coverage matrices and gap list.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::services::{
    self as map, Element, Matrix, ServiceField, ServiceFields, split_values,
};
use cradle_domain::vocabulary::{EcoLevel, Sector, Stage, Tier};
use cradle_store::{StoreError, StoredService};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::csv_out;
use crate::shared::error::{AppError, render, with_status};
use crate::shared::file_problems::FileProblems;
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::uploads::{self, Received, Refusal, refused};
use cradle_domain::partnership::Partnership;
use cradle_store::Store;

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

// ----- Adding, changing and removing one service -----

/// One checkbox or radio in a group.
struct Choice {
    id: &'static str,
    label: String,
    checked: bool,
}

/// A group of checkboxes (or radios) for one field.
struct ChoiceGroup {
    field: &'static str,
    legend: &'static str,
    hint: &'static str,
    multiple: bool,
    choices: Vec<Choice>,
}

impl ChoiceGroup {
    fn new(
        field: ServiceField,
        hint: &'static str,
        multiple: bool,
        options: impl IntoIterator<Item = (&'static str, String)>,
        value: &str,
    ) -> Self {
        let chosen: Vec<String> = split_values(value).map(str::to_lowercase).collect();
        Self {
            field: field.column(),
            legend: field.label(),
            hint,
            multiple,
            choices: options
                .into_iter()
                .map(|(id, label)| Choice {
                    checked: chosen.iter().any(|value| value == id),
                    id,
                    label,
                })
                .collect(),
        }
    }
}

fn terms<T: Copy>(
    all: &[T],
    id: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|term| (id(*term), label(*term).to_owned()))
        .collect()
}

#[derive(Template)]
#[template(path = "services/form.html")]
struct ServiceForm {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    errors: FormErrors,
    action: String,
    heading: &'static str,
    button: &'static str,
    fields: ServiceFields,
    sectors: Vec<(&'static str, &'static str)>,
    tier: ChoiceGroup,
    age_bands: ChoiceGroup,
    levels: ChoiceGroup,
    elements: ChoiceGroup,
    relationship: ChoiceGroup,
    /// The service's id when editing, for the delete button.
    editing: Option<String>,
}

async fn service_form(
    auth: &Auth,
    scope: InPartnership,
    fields: ServiceFields,
    errors: FormErrors,
    editing: Option<String>,
) -> Result<Html<String>, AppError> {
    let base = services_path(&scope);
    let (heading, action, button) = match &editing {
        Some(id) => (
            "Change a service",
            format!("{base}/{id}/edit"),
            "Save changes",
        ),
        None => ("Add a service", format!("{base}/new"), "Add service"),
    };
    render(&ServiceForm {
        layout: Layout::new(heading, "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        errors,
        action,
        heading,
        button,
        sectors: Sector::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        tier: ChoiceGroup::new(
            ServiceField::Tier,
            "The level of need the service meets.",
            false,
            terms(Tier::ALL, Tier::id, Tier::label),
            &fields.tier,
        ),
        age_bands: ChoiceGroup::new(
            ServiceField::AgeBands,
            "Select every age band the service works with.",
            true,
            terms(Stage::ALL, Stage::id, Stage::label),
            &fields.age_bands,
        ),
        levels: ChoiceGroup::new(
            ServiceField::Levels,
            "Select every level of the socio-ecological model the service works at.",
            true,
            terms(EcoLevel::ALL, EcoLevel::id, EcoLevel::label),
            &fields.levels,
        ),
        elements: ChoiceGroup::new(
            ServiceField::Elements,
            "Select the parts of the being and becoming framework the service supports, if any.",
            true,
            Element::ALL.map(|element| (element.id(), element.label())),
            &fields.elements,
        ),
        relationship: ChoiceGroup::new(
            ServiceField::WorksWithRelationship,
            "Does it work with the relationship between a baby and their parent or carer?",
            false,
            [("yes", "Yes".to_owned()), ("no", "No".to_owned())],
            if fields.works_with_relationship.is_empty() {
                "no"
            } else {
                &fields.works_with_relationship
            },
        ),
        fields,
        scope,
        editing,
    })
}

/// A submitted service form. Checkbox groups send one value per box ticked, so the body is
/// read pair by pair and repeated values joined with `;`, as a file's cell holds them.
fn fields_from_form(body: &[u8]) -> ServiceFields {
    let mut fields = ServiceFields::default();
    for (name, value) in form_urlencoded::parse(body) {
        let Ok(field) = name.parse::<ServiceField>() else {
            continue;
        };
        let current = fields.get(field);
        let joined = if current.is_empty() {
            value.into_owned()
        } else {
            format!("{current};{value}")
        };
        fields.set(field, joined);
    }
    fields
}

/// The form's problems, each attached to its field.
fn form_errors(errors: &[map::ServiceError]) -> FormErrors {
    let mut form = FormErrors::default();
    for error in errors {
        form.add(error.field.column(), error.to_string());
    }
    form
}

pub(crate) async fn new_form(
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    service_form(
        &auth,
        scope,
        ServiceFields::default(),
        FormErrors::default(),
        None,
    )
    .await
}

/// The form's one problem when its key is another service's.
fn key_taken() -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add(
        ServiceField::Key.column(),
        "Another service in this partnership already has this key: choose a different key",
    );
    errors
}

/// The form again, with what was typed and its problems.
async fn refuse_form(
    auth: &Auth,
    scope: InPartnership,
    fields: ServiceFields,
    errors: FormErrors,
    editing: Option<String>,
) -> Result<Response, AppError> {
    Ok(with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        service_form(auth, scope, fields, errors, editing).await,
    ))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = fields_from_form(&body);
    let service = match fields.validate() {
        Ok(service) => service,
        Err(errors) => return refuse_form(&auth, scope, fields, form_errors(&errors), None).await,
    };
    match state
        .store
        .create_service(&actor(&auth)?, &scope.partnership.id, &service)
        .await
    {
        Ok(_) => Ok(Redirect::to(&services_path(&scope)).into_response()),
        Err(StoreError::KeyTaken) => refuse_form(&auth, scope, fields, key_taken(), None).await,
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let stored = state
        .store
        .service(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let fields = ServiceFields::from_service(&stored.service);
    service_form(&auth, scope, fields, FormErrors::default(), Some(id)).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    let fields = fields_from_form(&body);
    let service = match fields.validate() {
        Ok(service) => service,
        Err(errors) => {
            return refuse_form(&auth, scope, fields, form_errors(&errors), Some(id)).await;
        }
    };
    match state
        .store
        .update_service(&actor(&auth)?, &scope.partnership.id, &id, &service)
        .await
    {
        Ok(()) => Ok(Redirect::to(&services_path(&scope)).into_response()),
        Err(StoreError::KeyTaken) => refuse_form(&auth, scope, fields, key_taken(), Some(id)).await,
        Err(error) => Err(error.into()),
    }
}

pub(crate) async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    state
        .store
        .delete_service(&actor(&auth)?, &scope.partnership.id, &id)
        .await?;
    Ok(Redirect::to(&services_path(&scope)).into_response())
}

// ----- Coverage and gaps -----

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

pub(crate) async fn coverage(
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
pub(crate) async fn download(
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
pub(crate) async fn pathway(
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
