//! Importing official population files: every problem shown by sheet, row and column,
//! nothing imported unless all is well.

use super::SourceLine;
use super::column_mapping::{self, MappingForm};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::file_problems::FileProblems;
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::uploads::{Received, Refusal, read_upload_form, read_with, refused};
use askama::Template;
use axum::Extension;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_readers::{read_population, read_population_mapped};

/// An imported file as the list shows it.
pub(crate) struct ImportRow {
    pub source: SourceLine,
    pub areas: usize,
    pub imported_by: String,
    pub imported_on: String,
}

#[derive(Template)]
#[template(path = "need/population.html")]
pub(super) struct PopulationPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) csrf: String,
    pub(super) imports: Vec<ImportRow>,
    pub(super) errors: FormErrors,
    /// A refused file's problems.
    pub(super) problems: FileProblems,
    /// The column mapping as last sent (empty at first).
    pub(super) mapping: MappingForm,
    pub(super) per_age: &'static str,
    pub(super) age_and_count: &'static str,
}

pub(super) async fn population_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    refusal: Refusal,
    mapping: MappingForm,
) -> Result<Html<String>, AppError> {
    let Refusal { errors, problems } = refusal;
    let imports = state
        .store
        .population_imports(&scope.partnership.id)
        .await?
        .iter()
        .map(|import| ImportRow {
            source: SourceLine::of(import),
            areas: import.areas,
            imported_by: import.imported_by_label.clone(),
            imported_on: import.imported_at.date().to_string(),
        })
        .collect();
    render(&PopulationPage {
        layout: Layout::new(
            format!("Population data for {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        scope,
        imports,
        errors,
        problems,
        mapping,
        per_age: column_mapping::PER_AGE,
        age_and_count: column_mapping::AGE_AND_COUNT,
    })
}

pub(crate) async fn population(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    population_page(
        &state,
        &auth,
        scope,
        Refusal::default(),
        MappingForm::default(),
    )
    .await
}
/// Every field's problem at once: the file's and the column mapping's.
fn upload_errors(file: Option<String>, mapping: Option<&FormErrors>) -> FormErrors {
    let mut errors = FormErrors::default();
    if let Some(message) = file {
        errors.add("file", message);
    }
    if let Some(mapping_errors) = mapping {
        for error in mapping_errors.all() {
            errors.add(error.field.clone(), error.message.clone());
        }
    }
    errors
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let form = read_upload_form(
        upload,
        "Choose a population or births file (CSV or XLSX) to upload",
    )
    .await;
    let mapping_form = MappingForm::from_upload(&form);
    let (file, mapping) = match (form.file, mapping_form.mapping()) {
        (Ok(file), Ok(mapping)) => (file, mapping),
        (file, mapping) => {
            let refusal = Refusal {
                errors: upload_errors(file.err(), mapping.err().as_ref()),
                ..Refusal::default()
            };
            let page = population_page(&state, &auth, scope, refusal, mapping_form).await;
            return Ok(refused(page));
        }
    };
    // By the mapping when the form gave one.
    let read = read_with(file, move |bytes, name| match mapping {
        Some(mapping) => read_population_mapped(bytes, name, &mapping),
        None => read_population(bytes, name),
    })
    .await?;
    let table = match read {
        Ok(Received { table, .. }) => table,
        Err(refusal) => {
            let page = population_page(&state, &auth, scope, refusal, mapping_form).await;
            return Ok(refused(page));
        }
    };
    let id = &scope.partnership.id;
    state
        .store
        .import_population(&actor(&auth)?, id, &table)
        .await?;
    Ok(Redirect::to(&format!("/partnerships/{id}/need")).into_response())
}
