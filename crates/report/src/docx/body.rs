//! The Word document's body (`word/document.xml`): the title page, the introduction, every
//! section's blocks and the references, as WordprocessingML, with the pictures and links it
//! refers to collected for the package.

use std::fmt::Write;

use cradle_domain::report::{Block, Cell, Column, Document, Figure, Reference, Table};

use super::parts::TEXT_WIDTH_TWIPS;
use crate::ReportError;
use crate::xml::escape;

/// English Metric Units per twip (1/1440 inch; 914,400 EMU to the inch).
const EMU_PER_TWIP: u64 = 635;
/// English Metric Units per CSS pixel (1/96 inch).
const EMU_PER_PIXEL: f64 = 9525.0;
/// The tallest a figure may be drawn, so that it and its caption fit on an A4 page: 20 cm.
const MAX_FIGURE_HEIGHT_EMU: f64 = 7_200_000.0;
/// The width of an average character of 9 pt table text, in twips (measured in LibreOffice).
const CHARACTER_TWIPS: u64 = 90;
/// A table cell's left and right margins (108 twips each), with a little room to spare.
const CELL_PADDING_TWIPS: u64 = 236;
/// Pixels rasterised per inch of a figure's printed width: sharp in print, small on disk.
const FIGURE_DPI: f64 = 200.0;

/// A picture in the package: its relationship id, its file under `word/media/` and its bytes.
pub(super) struct Image {
    pub rid: String,
    pub file: String,
    pub png: Vec<u8>,
}

/// The body's XML, and what it refers to.
#[derive(Default)]
pub(super) struct Body {
    pub xml: String,
    pub images: Vec<Image>,
    /// External link targets; the n-th (from 1) has the relationship id `rIdLink{n}`.
    pub links: Vec<String>,
}

/// Paragraph styles, by the ids `parts::STYLES` defines.
mod style {
    pub const TITLE: &str = "Title";
    pub const SUBTITLE: &str = "Subtitle";
    pub const HEADING_1: &str = "Heading1";
    pub const HEADING_2: &str = "Heading2";
    pub const LIST_BULLET: &str = "ListBullet";
    pub const CAPTION: &str = "Caption";
    pub const SOURCE: &str = "Source";
    pub const FACT: &str = "Fact";
    pub const MISSING: &str = "MissingNote";
    pub const FIGURE: &str = "Figure";
    pub const TABLE_TEXT: &str = "TableText";
    pub const REFERENCE: &str = "Reference";
    pub const ATTRIBUTION: &str = "Attribution";
}

/// Builds the body of `document`.
pub(super) fn body(document: &Document) -> Result<Body, ReportError> {
    let mut body = Body::default();
    body.title_page(document);
    if !document.introduction.trim().is_empty() {
        body.paragraph(style::HEADING_1, &[], &run("Introduction", false));
        body.paragraphs(&document.introduction);
    }
    for section in &document.sections {
        body.paragraph(style::HEADING_1, &[], &run(&section.title, false));
        for block in &section.blocks {
            body.block(block)?;
        }
    }
    if !document.references.is_empty() {
        body.paragraph(style::HEADING_1, &[], &run("References", false));
        for reference in &document.references {
            body.reference(reference);
        }
    }
    Ok(body)
}

impl Body {
    /// Appends a paragraph in `style`, with extra paragraph properties (in schema order, after
    /// the style) and its runs.
    fn paragraph(&mut self, style: &str, properties: &[&str], runs: &str) {
        let _ = write!(self.xml, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/>");
        for property in properties {
            self.xml.push_str(property);
        }
        let _ = write!(self.xml, "</w:pPr>{runs}</w:p>");
    }

    /// Plain text with blank lines between paragraphs, as paragraphs.
    fn paragraphs(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n");
        for part in text.split("\n\n") {
            let part = part.trim();
            if !part.is_empty() {
                self.xml.push_str("<w:p>");
                self.xml.push_str(&run(part, false));
                self.xml.push_str("</w:p>");
            }
        }
    }

    fn title_page(&mut self, document: &Document) {
        self.paragraph(style::TITLE, &[], &run(&document.title, false));
        self.paragraph(style::SUBTITLE, &[], &run(&document.partnership, false));
        if !document.author.trim().is_empty() {
            self.paragraph("Normal", &[], &run(&document.author, false));
        }
        self.paragraph("Normal", &[], &run(&document.date, false));
        self.paragraph(style::ATTRIBUTION, &[], &run(&document.attribution, false));
    }

    fn block(&mut self, block: &Block) -> Result<(), ReportError> {
        match block {
            Block::Heading { text } => self.paragraph(style::HEADING_2, &[], &run(text, false)),
            Block::Paragraph { text } => self.paragraphs(text),
            Block::Bullets { items } => {
                for item in items {
                    self.paragraph(style::LIST_BULLET, &[], &run(item, false));
                }
            }
            Block::Fact {
                statement,
                figure,
                cited,
            } => self.fact(statement, figure.as_deref(), cited),
            Block::Missing { text } => self.missing(text),
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => self.figure(figure)?,
        }
        Ok(())
    }

    /// The statement with its headline figure in bold (where the statement contains it, in
    /// place; otherwise before it), then the sources it cites.
    fn fact(&mut self, statement: &str, figure: Option<&str>, cited: &[String]) {
        let mut runs = String::new();
        match figure.filter(|figure| !figure.trim().is_empty()) {
            Some(figure) => match statement.split_once(figure) {
                Some((before, after)) => {
                    runs.push_str(&run(before, false));
                    runs.push_str(&run(figure, true));
                    runs.push_str(&run(after, false));
                }
                None => {
                    runs.push_str(&run(figure, true));
                    runs.push_str(&run(&format!(": {statement}"), false));
                }
            },
            None => runs.push_str(&run(statement, false)),
        }
        if !cited.is_empty() {
            let label = if cited.len() == 1 {
                "Source"
            } else {
                "Sources"
            };
            runs.push_str("<w:r><w:br/></w:r>");
            runs.push_str(&run(&format!("{label}: {}", cited.join("; ")), false));
        }
        self.paragraph(style::FACT, &[], &runs);
    }

    /// A shaded, bordered note that always begins "Not yet available", so that missing data
    /// is never read as a zero.
    fn missing(&mut self, text: &str) {
        const LEAD: &str = "Not yet available";
        let text = text.trim();
        let starts_with_lead = text
            .get(..LEAD.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(LEAD));
        let runs = if starts_with_lead {
            format!(
                "{}{}",
                run(&text[..LEAD.len()], true),
                run(&text[LEAD.len()..], false)
            )
        } else {
            format!("{}{}", run(&format!("{LEAD}: "), true), run(text, false))
        };
        self.paragraph(style::MISSING, &[], &runs);
    }

    fn reference(&mut self, reference: &Reference) {
        let mut runs = run(&reference.label, true);
        runs.push_str("<w:r><w:br/></w:r>");
        runs.push_str(&run(&reference.full, false));
        if let Some(url) = reference
            .url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
        {
            runs.push_str("<w:r><w:br/></w:r>");
            if linkable(url) {
                self.links.push(url.to_owned());
                let _ = write!(
                    runs,
                    "<w:hyperlink r:id=\"rIdLink{}\" w:history=\"1\">{}</w:hyperlink>",
                    self.links.len(),
                    styled_run(url, "<w:rStyle w:val=\"Hyperlink\"/>")
                );
            } else {
                runs.push_str(&run(url, false));
            }
        }
        self.paragraph(style::REFERENCE, &[], &runs);
    }

    /// The caption above (tables are read caption first), the table with its header row
    /// repeated on every page and numbers right-aligned, then the source below.
    fn table(&mut self, table: &Table) {
        self.paragraph(
            style::CAPTION,
            &["<w:keepNext/>"],
            &run(&table.caption, false),
        );
        if table.columns.is_empty() {
            return;
        }
        let widths = column_widths(table);
        let _ = write!(
            self.xml,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>\
             <w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" \
             w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/><w:tblCaption w:val=\"{}\"/>\
             </w:tblPr><w:tblGrid>",
            escape(&table.caption)
        );
        for width in &widths {
            let _ = write!(self.xml, "<w:gridCol w:w=\"{width}\"/>");
        }
        self.xml.push_str("</w:tblGrid>");
        self.header_row(&table.columns, &widths);
        for row in &table.rows {
            self.xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for (index, (column, width)) in table.columns.iter().zip(&widths).enumerate() {
                let text = row.get(index).map_or("", Cell::shown);
                self.cell(text, column.numeric, false, *width);
            }
            self.xml.push_str("</w:tr>");
        }
        self.xml.push_str("</w:tbl>");
        if let Some(source) = table.source.as_deref().filter(|source| !source.is_empty()) {
            self.paragraph(
                style::SOURCE,
                &[],
                &run(&format!("Source: {source}"), false),
            );
        }
    }

    fn header_row(&mut self, columns: &[Column], widths: &[u64]) {
        self.xml
            .push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (column, width) in columns.iter().zip(widths) {
            self.cell(&column.title, column.numeric, true, *width);
        }
        self.xml.push_str("</w:tr>");
    }

    fn cell(&mut self, text: &str, numeric: bool, header: bool, width: u64) {
        let shading = if header {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DCECEA\"/>"
        } else {
            ""
        };
        let _ = write!(
            self.xml,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{shading}</w:tcPr>"
        );
        let alignment = if numeric {
            "<w:jc w:val=\"right\"/>"
        } else {
            ""
        };
        let keep = if header { "<w:keepNext/>" } else { "" };
        let content = if text.is_empty() {
            String::new()
        } else {
            run(text, header)
        };
        self.paragraph(style::TABLE_TEXT, &[keep, alignment], &content);
        self.xml.push_str("</w:tc>");
    }

    /// The figure as a PNG across the text width (or its own width, if narrower), with its
    /// alternative text as the picture's description, and its caption below.
    fn figure(&mut self, figure: &Figure) -> Result<(), ReportError> {
        let (width, height) = crate::slides::svg_size(&figure.svg).map_err(|problem| {
            ReportError::Docx(format!(
                "figure \u{201c}{}\u{201d}: {problem}",
                figure.caption
            ))
        })?;
        let (cx, cy) = extent(width, height);
        let pixels = ((cx as f64 / 914_400.0) * FIGURE_DPI).round().max(1.0) as u32;
        let png = cradle_diagrams::svg_to_png(&figure.svg, pixels).map_err(|error| {
            ReportError::Docx(format!(
                "figure \u{201c}{}\u{201d}: {error}",
                figure.caption
            ))
        })?;
        let number = self.images.len() + 1;
        let rid = format!("rIdImage{number}");
        let drawing = drawing(number, &rid, &figure.alt, (cx, cy));
        self.images.push(Image {
            rid,
            file: format!("figure-{number}.png"),
            png,
        });
        self.paragraph(style::FIGURE, &["<w:keepNext/>"], &drawing);
        self.paragraph(style::CAPTION, &[], &run(&figure.caption, false));
        Ok(())
    }
}

/// A figure's size on the page, in EMU: its natural size (CSS pixels at 96 per inch), shrunk
/// to fit the text width and [`MAX_FIGURE_HEIGHT_EMU`].
fn extent(width_px: f64, height_px: f64) -> (u64, u64) {
    let natural_width = width_px * EMU_PER_PIXEL;
    let natural_height = height_px * EMU_PER_PIXEL;
    let text_width = (TEXT_WIDTH_TWIPS * EMU_PER_TWIP) as f64;
    let scale = (text_width / natural_width)
        .min(MAX_FIGURE_HEIGHT_EMU / natural_height)
        .min(1.0);
    (
        (natural_width * scale).round().max(1.0) as u64,
        (natural_height * scale).round().max(1.0) as u64,
    )
}

/// An inline picture, numbered `number` (unique in the document), with its description.
fn drawing(number: usize, rid: &str, alt: &str, (cx, cy): (u64, u64)) -> String {
    let alt = escape(alt);
    format!(
        "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
         <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
         <wp:docPr id=\"{number}\" name=\"Figure {number}\" descr=\"{alt}\"/>\
         <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
         <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
         <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{number}\" name=\"figure-{number}.png\" descr=\"{alt}\"/>\
         <pic:cNvPicPr><a:picLocks noChangeAspect=\"1\"/></pic:cNvPicPr></pic:nvPicPr>\
         <pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
         <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
         <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
         </a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
}

/// Each column's width in twips: at least its longest word (so that words are not broken
/// across lines), then the text width shared by how much more each column's longest text
/// would like.
fn column_widths(table: &Table) -> Vec<u64> {
    let (minimums, wanted): (Vec<u64>, Vec<u64>) = (0..table.columns.len())
        .map(|index| {
            let texts = std::iter::once(table.columns[index].title.as_str()).chain(
                table
                    .rows
                    .iter()
                    .map(|row| row.get(index).map_or("", Cell::shown)),
            );
            let (mut longest_word, mut longest_text) = (0, 0);
            for text in texts {
                longest_text = longest_text.max(text.chars().count());
                let words = text.split_whitespace().map(|word| word.chars().count());
                longest_word = longest_word.max(words.max().unwrap_or(0));
            }
            let twips =
                |characters: usize| characters as u64 * CHARACTER_TWIPS + CELL_PADDING_TWIPS;
            let minimum = twips(longest_word.min(15));
            (minimum, twips(longest_text.min(60)).max(minimum))
        })
        .unzip();
    share(&minimums, &wanted, TEXT_WIDTH_TWIPS)
}

/// Shares `total` among columns: in proportion to what each wants if all fit; else each
/// its minimum and the rest in proportion to what each wants beyond it; else (if even the
/// minimums do not fit) in proportion to the minimums.
fn share(minimums: &[u64], wanted: &[u64], total: u64) -> Vec<u64> {
    let minimum: u64 = minimums.iter().sum();
    let all_wanted: u64 = wanted.iter().sum();
    if all_wanted <= total {
        wanted
            .iter()
            .map(|width| width * total / all_wanted.max(1))
            .collect()
    } else if minimum >= total {
        minimums
            .iter()
            .map(|width| width * total / minimum.max(1))
            .collect()
    } else {
        let spare = total - minimum;
        let beyond = all_wanted - minimum;
        minimums
            .iter()
            .zip(wanted)
            .map(|(least, want)| least + (want - least) * spare / beyond.max(1))
            .collect()
    }
}

/// Whether a reference's address can be a link: a web address with nothing that would make
/// the relationship's target an invalid URI.
fn linkable(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2_000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"')
}

/// A run of plain text, bold or not.
pub(super) fn run(text: &str, bold: bool) -> String {
    styled_run(text, if bold { "<w:b/><w:bCs/>" } else { "" })
}

/// A run with the given run properties. Line breaks and tabs in the text become Word's own,
/// and spaces are kept as typed.
fn styled_run(text: &str, properties: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut xml = String::with_capacity(text.len() + 64);
    xml.push_str("<w:r>");
    if !properties.is_empty() {
        let _ = write!(xml, "<w:rPr>{properties}</w:rPr>");
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            xml.push_str("<w:br/>");
        }
        for (index, piece) in line.split('\t').enumerate() {
            if index > 0 {
                xml.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                let _ = write!(xml, "<w:t xml:space=\"preserve\">{}</w:t>", escape(piece));
            }
        }
    }
    xml.push_str("</w:r>");
    xml
}
