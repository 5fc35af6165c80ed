//! Diagrams drawn from the content: a page for each (the picture, its text alternative and
//! downloads), the SVG itself, and a PNG at slide resolution for presentations.

use std::sync::{Arc, OnceLock};

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use cradle_diagrams::Diagram;

use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;

/// Every diagram, drawn once at start-up; each PNG is rendered on first request and kept.
pub struct Diagrams {
    drawn: Vec<(Diagram, OnceLock<Arc<[u8]>>)>,
}

impl Diagrams {
    pub fn new(content: &cradle_content::Content) -> Self {
        Self {
            drawn: cradle_diagrams::all(content)
                .into_iter()
                .map(|d| (d, OnceLock::new()))
                .collect(),
        }
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.drawn.iter().position(|(diagram, _)| diagram.id == id)
    }
}

#[derive(Template)]
#[template(path = "library/diagram.html")]
struct DiagramPage<'a> {
    layout: Layout,
    diagram: &'a Diagram,
    png_width: u32,
}

/// `GET /toolkit/diagrams/{file}`: `framework` (the page), `framework.svg`, `framework.png`.
pub(crate) async fn diagram(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let (id, extension) = file
        .rsplit_once('.')
        .map_or((file.as_str(), None), |(id, ext)| (id, Some(ext)));
    let diagrams = &state.library.diagrams;
    let index = diagrams.position(id).ok_or(AppError::NotFound)?;
    let diagram = &diagrams.drawn[index].0;
    match extension {
        None => Ok(render(&DiagramPage {
            layout: Layout::new(diagram.title.clone(), "/toolkit"),
            diagram,
            png_width: cradle_diagrams::SLIDE_WIDTH,
        })?
        .into_response()),
        Some("svg") => Ok(download(
            diagram.svg.clone().into_bytes().into(),
            "image/svg+xml",
            &file,
        )),
        Some("png") => {
            let library = state.library.clone();
            let png = tokio::task::spawn_blocking(move || png(&library.diagrams, index))
                .await
                .map_err(|error| AppError::Internal(format!("PNG rendering stopped: {error}")))??;
            Ok(download(png, "image/png", &file))
        }
        Some(_) => Err(AppError::NotFound),
    }
}

/// The diagram's PNG at slide width, rendered once.
fn png(diagrams: &Diagrams, index: usize) -> Result<Arc<[u8]>, AppError> {
    let (diagram, cache) = &diagrams.drawn[index];
    if let Some(png) = cache.get() {
        return Ok(png.clone());
    }
    let png: Arc<[u8]> = cradle_diagrams::to_png(diagram, cradle_diagrams::SLIDE_WIDTH)
        .map_err(|error| {
            AppError::Internal(format!("could not draw the {} PNG: {error}", diagram.id))
        })?
        .into();
    Ok(cache.get_or_init(|| png).clone())
}

/// A file to view or save, cached for a day (diagrams change only with a new release).
fn download(body: Arc<[u8]>, content_type: &'static str, file_name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("inline; filename=\"cradle-{file_name}\""))
        .unwrap_or(HeaderValue::from_static("inline"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body.to_vec(),
    )
        .into_response()
}
