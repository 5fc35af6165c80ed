//! Importing indicator files, and the list of files imported.

use super::IndicatorSource;
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::file_problems::FileProblems;
use crate::shared::forms::FormErrors;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::uploads::{self, Received, Refusal, refused};
use askama::Template;
use axum::Extension;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
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
    pub(super) problems: FileProblems,
}

pub(super) async fn files_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    refusal: Refusal,
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
    let Refusal { errors, problems } = refusal;
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
    })
}

pub(crate) async fn files(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    files_page(&state, &auth, scope, Refusal::default()).await
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let table = match uploads::receive(
        upload,
        "Choose an indicator file (CSV downloaded from Fingertips) to upload",
        read_indicators,
    )
    .await?
    {
        Ok(Received { table, .. }) => table,
        Err(refusal) => return Ok(refused(files_page(&state, &auth, scope, refusal).await)),
    };
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
