//! Importing indicator files, and the list of files imported.

use super::IndicatorSource;
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::file_problems::problems_error;
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::uploads::read_upload;
use askama::Template;
use axum::Extension;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_readers::read_indicators;

pub(crate) struct ImportRow {
    pub source: IndicatorSource,
    pub indicators: usize,
    pub figures: usize,
    pub imported_by: String,
    pub imported_on: String,
}

#[derive(Template)]
#[template(path = "indicators/files.html")]
pub(super) struct FilesPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) csrf: String,
    pub(super) imports: Vec<ImportRow>,
    pub(super) errors: FormErrors,
    pub(super) problems: Vec<String>,
    pub(super) more_problems: usize,
    pub(super) rejected_file: String,
}

pub(super) async fn files_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    errors: FormErrors,
    problems: Vec<String>,
    rejected_file: String,
) -> Result<Html<String>, AppError> {
    let imports = state
        .store
        .indicator_imports(&scope.partnership.id)
        .await?
        .iter()
        .map(|import| ImportRow {
            source: IndicatorSource::of(import),
            indicators: import.indicators,
            figures: import.figures,
            imported_by: import.imported_by_label.clone(),
            imported_on: import.imported_at.date().to_string(),
        })
        .collect();
    let (problems, more_problems) = crate::shared::uploads::problems_shown(problems);
    render(&FilesPage {
        layout: Layout::new(
            format!("Indicator data for {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        scope,
        imports,
        errors,
        problems,
        more_problems,
        rejected_file,
    })
}

pub(crate) async fn files(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    files_page(
        &state,
        &auth,
        scope,
        FormErrors::default(),
        Vec::new(),
        String::new(),
    )
    .await
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let (file_name, bytes) = match read_upload(
        upload,
        "Choose an indicator file (CSV downloaded from Fingertips) to upload",
    )
    .await
    {
        Ok(file) => (file.name, file.bytes),
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.add("file", message);
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                files_page(&state, &auth, scope, errors, Vec::new(), String::new()).await,
            ));
        }
    };
    let name = file_name.clone();
    let table = tokio::task::spawn_blocking(move || read_indicators(&bytes, &name))
        .await
        .map_err(|error| AppError::Internal(format!("reading an indicator file: {error}")))?;
    match table {
        Ok(table) => {
            let id = &scope.partnership.id;
            state
                .store
                .import_indicators(&actor(&auth)?, id, &table)
                .await?;
            let to = match table.practice_rows_left_out {
                0 => format!("/partnerships/{id}/indicators"),
                left_out => format!("/partnerships/{id}/indicators?left_out={left_out}"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(problems) => {
            let errors = problems_error(&file_name, problems.len());
            let problems = problems.iter().map(ToString::to_string).collect();
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                files_page(&state, &auth, scope, errors, problems, file_name).await,
            ))
        }
    }
}
