//! The site's geography lookups: a site administrator imports the official lookup files
//! (ONS Open Geography Portal, mySociety), so that every partnership's figures roll up from
//! local authority to region, integrated care board, health board and nation.

use askama::Template;
use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_readers::read_geography;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::Routes;
use crate::shared::uploads::read_upload;

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::SiteAdmin;
    routes
        .get("/admin/geography", SiteAdmin, lookups)
        .upload("/admin/geography", SiteAdmin, import)
}

pub(crate) struct LookupRow {
    pub file_name: String,
    pub layout: &'static str,
    pub links: usize,
    pub imported_by: String,
    pub imported_on: String,
}

#[derive(Template)]
#[template(path = "geography/geography.html")]
struct GeographyPage {
    layout: Layout,
    csrf: String,
    lookups: Vec<LookupRow>,
    errors: FormErrors,
    problems: Vec<String>,
    more_problems: usize,
    rejected_file: String,
}

async fn geography_page(
    state: &AppState,
    auth: &Auth,
    errors: FormErrors,
    problems: Vec<String>,
    rejected_file: String,
) -> Result<Html<String>, AppError> {
    let lookups = state
        .store
        .geography_lookups()
        .await?
        .into_iter()
        .map(|lookup| LookupRow {
            file_name: lookup.file_name,
            layout: if lookup.layout == "mysociety" {
                "mySociety list of local authorities"
            } else {
                "ONS Open Geography lookup"
            },
            links: lookup.links,
            imported_by: lookup.imported_by_label,
            imported_on: lookup.imported_at.date().to_string(),
        })
        .collect();
    let (problems, more_problems) = crate::shared::uploads::problems_shown(problems);
    render(&GeographyPage {
        layout: Layout::new("Geography lookups", "/admin"),
        csrf: csrf::token(&auth.session).await?,
        lookups,
        errors,
        problems,
        more_problems,
        rejected_file,
    })
}

pub(crate) async fn lookups(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Html<String>, AppError> {
    geography_page(
        &state,
        &auth,
        FormErrors::default(),
        Vec::new(),
        String::new(),
    )
    .await
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let file = match read_upload(upload, "Choose a lookup file (CSV) to upload").await {
        Ok(file) => file,
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.add("file", message);
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                geography_page(&state, &auth, errors, Vec::new(), String::new()).await,
            ));
        }
    };
    let bytes = file.bytes;
    let table = tokio::task::spawn_blocking(move || read_geography(&bytes))
        .await
        .map_err(|error| AppError::Internal(format!("reading a lookup file: {error}")))?;
    match table {
        Ok(table) => {
            state
                .store
                .import_geography(&actor(&auth)?, &file.name, &table)
                .await?;
            Ok(Redirect::to("/admin/geography").into_response())
        }
        Err(problems) => {
            let mut errors = FormErrors::default();
            let noun = if problems.len() == 1 {
                "problem"
            } else {
                "problems"
            };
            errors.add(
                "file",
                format!(
                    "{} has {} {noun}, so nothing was imported. Correct the file and upload it again",
                    file.name,
                    problems.len()
                ),
            );
            let problems = problems.iter().map(ToString::to_string).collect();
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                geography_page(&state, &auth, errors, problems, file.name).await,
            ))
        }
    }
}

/// The geography lookups page.
pub(crate) fn inventory() -> Vec<InventoryPage> {
    vec![InventoryPage::new("/admin/geography", "Geography lookups").signed_in()]
}
