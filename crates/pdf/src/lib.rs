//! A [`Document`] typeset as an A4 PDF by Typst.
//!
//! The document travels to the template (`report.typ`) as JSON and each figure as an SVG file,
//! both in memory: user text is data the template places, never markup it parses.

mod world;

use cradle_domain::report::{Block, Document, MAX_PAGES};
use typst::diag::{SourceDiagnostic, Warned};
use typst::ecow::EcoVec;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use world::ReportWorld;

/// Why a document could not be made into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the report would be {pages} pages long; the most Cradle makes is {max}")]
    TooLong { pages: usize, max: usize },
    #[error("the report could not be typeset: {0}")]
    Typeset(String),
}

/// Typesets `document` as a PDF of at most [`MAX_PAGES`] pages.
pub fn render(document: &Document) -> Result<Vec<u8>, PdfError> {
    render_within(document, MAX_PAGES)
}

/// How many renders a memoised piece of Typst's work may go unused before it is dropped.
/// Typst caches layout across compilations in one global cache; without eviction a server
/// would keep every report it ever made in memory. A few renders' worth keeps the template's
/// and the fonts' work warm.
const CACHE_RENDERS: usize = 3;

/// Typesets `document`, refusing it if it runs to more than `max_pages` pages.
fn render_within(document: &Document, max_pages: usize) -> Result<Vec<u8>, PdfError> {
    let result = typeset(document, max_pages);
    typst::comemo::evict(CACHE_RENDERS);
    result
}

fn typeset(document: &Document, max_pages: usize) -> Result<Vec<u8>, PdfError> {
    let world = ReportWorld::new(input_files(document)?)
        .map_err(|error| PdfError::Typeset(error.to_string()))?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let paged = output.map_err(|errors| PdfError::Typeset(describe(&errors)))?;
    let pages = paged.pages().len();
    if pages > max_pages {
        return Err(PdfError::TooLong {
            pages,
            max: max_pages,
        });
    }
    typst_pdf::pdf(&paged, &accessible()?).or_else(|refusal| {
        // A rule of PDF/UA that some text breaks in a way the template does not foresee must
        // not cost the partnership its report: it still gets a tagged PDF.
        let problems = describe(&refusal);
        tracing::warn!(%problems, "the report is not PDF/UA-1, so it is made as tagged PDF");
        typst_pdf::pdf(&paged, &PdfOptions::default())
            .map_err(|errors| PdfError::Typeset(describe(&errors)))
    })
}

/// The files the template reads: `document.json`, and `figure-S-B.svg` for the figure that is
/// block B of section S. Names follow the document's shape, not a running count, so that the
/// same few names serve every report (Typst interns file names for the life of the process).
fn input_files(document: &Document) -> Result<Vec<(String, Vec<u8>)>, PdfError> {
    let json = serde_json::to_vec(&with_headings(document))
        .map_err(|error| PdfError::Typeset(format!("the report could not be read: {error}")))?;
    let mut files = vec![("/document.json".to_owned(), json)];
    for (s, section) in document.sections.iter().enumerate() {
        for (b, block) in section.blocks.iter().enumerate() {
            if let Block::Figure(figure) = block {
                files.push((
                    format!("/figure-{s}-{b}.svg"),
                    figure.svg.clone().into_bytes(),
                ));
            }
        }
    }
    Ok(files)
}

/// The document with a name for every heading: PDF/UA refuses an empty heading or title, and
/// a reader of the contents needs one. A section without a title takes its kind's name.
fn with_headings(document: &Document) -> Document {
    let mut document = document.clone();
    if document.title.trim().is_empty() {
        document.title = "Report".to_owned();
    }
    for section in &mut document.sections {
        if section.title.trim().is_empty() {
            section.title = section.kind.label().to_owned();
        }
    }
    document
}

/// Tagged PDF/UA-1: headings, tables, lists and figures with their alternative text are
/// marked up for assistive technology, and Typst refuses a document that breaks the rules.
/// (The default options make a tagged PDF that claims no standard.)
fn accessible() -> Result<PdfOptions, PdfError> {
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|error| PdfError::Typeset(error.message().to_string()))?;
    Ok(PdfOptions {
        standards,
        ..PdfOptions::default()
    })
}

/// Typst's errors as one line each, with its hints.
fn describe(errors: &EcoVec<SourceDiagnostic>) -> String {
    errors
        .iter()
        .map(|error| {
            let hints = error
                .hints
                .iter()
                .map(|hint| format!(" (hint: {})", hint.v));
            std::iter::once(error.message.to_string())
                .chain(hints)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The documents the integration tests render, shared with the unit tests here.
#[cfg(test)]
#[path = "../tests/sample/mod.rs"]
mod sample;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample;

    #[test]
    fn a_document_longer_than_the_limit_is_refused_with_both_counts() {
        let document = sample::every_block(10);
        let Err(PdfError::TooLong { pages, max: 1 }) = render_within(&document, 1) else {
            panic!("a one-page limit is exceeded");
        };
        assert!(pages > 2, "cover, contents and sections: {pages} pages");
        assert!(
            render_within(&document, pages).is_ok(),
            "{pages} pages fit a limit of {pages}"
        );
        let refused = render_within(&document, pages - 1).expect_err("one page too many");
        assert_eq!(
            refused.to_string(),
            format!(
                "the report would be {pages} pages long; the most Cradle makes is {}",
                pages - 1
            )
        );
    }

    #[test]
    fn a_broken_figure_is_an_error_not_a_panic() {
        let mut document = sample::every_block(3);
        for section in &mut document.sections {
            for block in &mut section.blocks {
                if let Block::Figure(figure) = block {
                    figure.svg = "<svg this is not".to_owned();
                }
            }
        }
        let error = render(&document).expect_err("the SVG cannot be read");
        assert!(matches!(error, PdfError::Typeset(_)), "{error:?}");
        assert!(error.to_string().contains("SVG"), "{error}");
    }
}
