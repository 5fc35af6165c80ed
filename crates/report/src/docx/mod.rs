//! The report as a Word document a commissioner can edit: a title page, real heading styles
//! (so the navigation pane shows the outline), bulleted lists, tables whose header row repeats
//! on every page, figures as pictures with alternative text, and the references.
//!
//! The WordprocessingML is written directly (see this crate's Cargo.toml for why not
//! docx-rs); [`body`] writes the document's text and [`parts`] the package's fixed parts.

mod body;
mod parts;

use std::io::{Cursor, Write};

use cradle_domain::report::Document;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::ReportError;

/// The document as a `.docx` file.
pub(crate) fn render(document: &Document) -> Result<Vec<u8>, ReportError> {
    let body = body::body(document)?;
    let language = language(&document.language);
    let author = if document.author.trim().is_empty() {
        &document.partnership
    } else {
        &document.author
    };
    let xml_parts = [
        ("[Content_Types].xml", parts::content_types()),
        ("_rels/.rels", parts::package_relationships()),
        (
            "docProps/core.xml",
            parts::core_properties(&document.title, &document.partnership, author, language),
        ),
        ("docProps/app.xml", parts::app_properties()),
        ("word/document.xml", parts::document(&body.xml)),
        (
            "word/_rels/document.xml.rels",
            parts::document_relationships(&body),
        ),
        ("word/styles.xml", parts::styles(language)),
        ("word/numbering.xml", parts::numbering()),
        ("word/settings.xml", parts::settings(language)),
        ("word/footer1.xml", parts::footer(&document.attribution)),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    // PNGs are compressed already.
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, xml) in &xml_parts {
        add(&mut zip, name, xml.as_bytes(), deflated)?;
    }
    for image in &body.images {
        add(
            &mut zip,
            &format!("word/media/{}", image.file),
            &image.png,
            stored,
        )?;
    }
    let cursor = zip.finish().map_err(packaging)?;
    Ok(cursor.into_inner())
}

fn add(
    zip: &mut ZipWriter<Cursor<Vec<u8>>>,
    name: &str,
    bytes: &[u8],
    options: SimpleFileOptions,
) -> Result<(), ReportError> {
    zip.start_file(name, options).map_err(packaging)?;
    zip.write_all(bytes)
        .map_err(|error| ReportError::Docx(format!("{name}: {error}")))
}

fn packaging(error: zip::result::ZipError) -> ReportError {
    ReportError::Docx(format!("the file could not be packed: {error}"))
}

/// The document's language tag if it looks like one (letters, digits and hyphens, starting
/// with a letter), else British English: it is written into XML attributes unescaped.
fn language(tag: &str) -> &str {
    let plausible = tag.len() <= 35
        && tag.starts_with(|c: char| c.is_ascii_alphabetic())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if plausible { tag } else { "en-GB" }
}
