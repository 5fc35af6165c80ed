//! A partnership's report: its picture gathered from the store ([`picture`]), the sections a
//! pack asks for built from that picture as plain data ([`document`], pure), and the document
//! made into each format ([`render`], [`slides`]).

mod docx;
mod gather;
mod sections;
mod slides;
mod xlsx;
mod xml;

pub use cradle_domain::report::*;
pub use gather::{
    ActionOrigin, ActionRecord, FileSource, Finding, IndicatorReading, IndicatorSeries,
    LevelRecord, LocalIndicator, Picture, Population, RoundRecord, WalkthroughRecord,
    WorkshopRecord, picture,
};
pub use sections::{document, section};

/// The formats a pack is made in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Docx, Format::Xlsx];

    /// The file extension and the id used in addresses and on the command line.
    pub const fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
        }
    }

    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// How people name it, e.g. "PDF".
    pub const fn label(self) -> &'static str {
        match self {
            Format::Pdf => "PDF",
            Format::Docx => "Word (DOCX)",
            Format::Xlsx => "Excel (XLSX)",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.extension() == text)
            .ok_or_else(|| {
                format!("no format called \u{201c}{text}\u{201d}: use pdf, docx or xlsx")
            })
    }
}

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Pdf(#[from] cradle_pdf::PdfError),
    #[error("the Word document could not be made: {0}")]
    Docx(String),
    #[error("the spreadsheet could not be made: {0}")]
    Xlsx(String),
    #[error("a slide image could not be made: {0}")]
    Slide(String),
}

/// The document in `format`.
pub fn render(document: &Document, format: Format) -> Result<Vec<u8>, ReportError> {
    match format {
        Format::Pdf => Ok(cradle_pdf::render(document)?),
        Format::Docx => docx::render(document),
        Format::Xlsx => xlsx::render(document),
    }
}

/// One slide: a figure on a 1920×1080 canvas with the attribution, as PNG and SVG.
#[derive(Debug, Clone)]
pub struct Slide {
    /// File-name stem, e.g. `03-need-by-tier`.
    pub name: String,
    pub png: Vec<u8>,
    pub svg: String,
}

/// Every figure in the document as a slide.
pub fn slides(document: &Document) -> Result<Vec<Slide>, ReportError> {
    slides::slides(document)
}

/// Every slide, as PNG and SVG, in one zip file.
pub fn slides_zip(document: &Document) -> Result<Vec<u8>, ReportError> {
    slides::slides_zip(document)
}

mod snapshot;
pub use snapshot::{DEMO_PACK, DemoPackError, SLIDES, load_demo_pack, snapshot_files};
