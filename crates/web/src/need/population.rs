//! Importing official population files: every problem shown by sheet, row and column,
//! nothing imported unless all is well.

use super::SourceLine;
use super::column_mapping::{self, MappingForm};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::file_problems::problems_error;
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::uploads::read_upload_form;
use askama::Template;
use axum::Extension;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_readers::{ColumnMapping, PopulationTable, Problem};
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
    /// Every problem in a rejected file, as `Problem` words it, up to [`crate::shared::uploads::PROBLEMS_SHOWN`].
    pub(super) problems: Vec<String>,
    /// How many more problems were found than are listed.
    pub(super) more_problems: usize,
    pub(super) rejected_file: String,
    /// The column mapping as last sent (empty at first).
    pub(super) mapping: MappingForm,
    pub(super) per_age: &'static str,
    pub(super) age_and_count: &'static str,
}

/// A refused upload, to show with the form again.
#[derive(Default)]
pub(super) struct Refusal {
    pub(super) errors: FormErrors,
    /// Every problem in the file, as `Problem` words it.
    pub(super) problems: Vec<String>,
    pub(super) file_name: String,
    pub(super) mapping: MappingForm,
}

pub(super) async fn population_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    refusal: Refusal,
) -> Result<Html<String>, AppError> {
    let Refusal {
        errors,
        problems,
        file_name: rejected_file,
        mapping,
    } = refusal;
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
    let (problems, more_problems) = crate::shared::uploads::problems_shown(problems);
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
        more_problems,
        rejected_file,
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
    population_page(&state, &auth, scope, Refusal::default()).await
}
/// Reads a population file, by `mapping` when the form gave one. Reading a large workbook
/// is CPU work, so it runs off the request threads.
async fn read_table(
    bytes: axum::body::Bytes,
    name: String,
    mapping: Option<ColumnMapping>,
) -> Result<Result<PopulationTable, Vec<Problem>>, AppError> {
    tokio::task::spawn_blocking(move || match mapping {
        Some(mapping) => read_population_mapped(&bytes, &name, &mapping),
        None => read_population(&bytes, &name),
    })
    .await
    .map_err(|error| AppError::Internal(format!("reading a population file: {error}")))
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
    let refuse = |errors: FormErrors, problems: Vec<String>, file_name: String| Refusal {
        errors,
        problems,
        file_name,
        mapping: mapping_form.clone(),
    };
    let mapping = mapping_form.mapping();
    let (file_name, bytes) = match (form.file, mapping.as_ref()) {
        (Ok(file), Ok(_)) => (file.name, file.bytes),
        (file, mapping) => {
            let errors = upload_errors(file.err(), mapping.err());
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                population_page(
                    &state,
                    &auth,
                    scope,
                    refuse(errors, Vec::new(), String::new()),
                )
                .await,
            ));
        }
    };
    let mapping = mapping.ok().flatten();
    let table = read_table(bytes, file_name.clone(), mapping).await?;
    match table {
        Ok(table) => {
            let id = &scope.partnership.id;
            state
                .store
                .import_population(&actor(&auth)?, id, &table)
                .await?;
            Ok(Redirect::to(&format!("/partnerships/{id}/need")).into_response())
        }
        Err(problems) => {
            let errors = problems_error(&file_name, problems.len());
            let problems = problems.iter().map(ToString::to_string).collect();
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                population_page(&state, &auth, scope, refuse(errors, problems, file_name)).await,
            ))
        }
    }
}
