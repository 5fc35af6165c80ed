//! A [`Document`] typeset as an A4 PDF.

use cradle_domain::report::Document;

/// Why a document could not be made into a PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the report would be {pages} pages long; the most Cradle makes is {max}")]
    TooLong { pages: usize, max: usize },
    #[error("the report could not be typeset: {0}")]
    Typeset(String),
}

/// Typesets `document` as a PDF.
pub fn render(document: &Document) -> Result<Vec<u8>, PdfError> {
    let _ = document;
    Err(PdfError::Typeset("not built yet".to_owned()))
}
