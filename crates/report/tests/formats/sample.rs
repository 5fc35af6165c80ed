//! A document with every kind of block, awkward text, numbers, a long table, two figures,
//! missing-data notes and references; and helpers that open files with real readers.

use std::path::{Path, PathBuf};
use std::process::Command;

use cradle_report::{
    Block, Cell, Column, Document, Figure, Reference, Section, SectionKind, Table,
};

/// Text that means something in Markdown, HTML, Typst, LaTeX, CSV and spreadsheets.
pub const AWKWARD: &str = r#"Café #1 <b>$5</b> *x* \ "q" =SUM(A1)"#;
pub const FORMULA: &str = "=SUM(A1)";
pub const TITLE: &str = "Babies' mental health in Northshire";
pub const PARTNERSHIP: &str = "Northshire Start for Life Partnership";
pub const AUTHOR: &str = "Jo Bloggs";
pub const ATTRIBUTION: &str = "Made with Cradle, from the UNICEF UK Baby Friendly / PEDAL toolkit";
pub const FIGURE_ALTS: [&str; 2] = [
    "Bar chart: tier 1 need is 1,234 babies, tier 2 is 456.",
    "Map of services by area: Café & Co covers the north.",
];

/// A small standalone SVG with a word of text in it.
pub fn svg(word: &str, width: u32, height: u32) -> String {
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"><title>{word}</title><rect x="10" y="10" width="{}" height="{}" fill="#0b5c5a"/><text x="20" y="{}" font-size="32" fill="#000000">{word}</text></svg>"##,
        width - 20,
        height / 2,
        height - 20
    )
}

pub fn need_table(rows: usize) -> Table {
    let mut body: Vec<Vec<Cell>> = (0..rows)
        .map(|index| {
            vec![
                Cell::text(format!("Area {}", index + 1)),
                Cell::count(1_000 + index as u64 * 7),
                Cell::number(
                    12.5 + index as f64 / 10.0,
                    format!("{:.1}", 12.5 + index as f64 / 10.0),
                ),
            ]
        })
        .collect();
    body[0] = vec![Cell::text(AWKWARD), Cell::count(1_234), Cell::Empty];
    Table {
        caption: "Estimated need by area".to_owned(),
        sheet: Some("Need: by tier".to_owned()),
        columns: vec![
            Column::text("Area"),
            Column::number("Births"),
            Column::number("Rate per 1,000"),
        ],
        rows: body,
        source: Some("ONS births 2024, imported 3 March 2026".to_owned()),
    }
}

fn figure(index: usize, slug: &str, caption: &str, word: &str) -> Block {
    Block::Figure(Figure {
        caption: caption.to_owned(),
        alt: FIGURE_ALTS[index].to_owned(),
        svg: svg(word, 600, 300),
        slug: slug.to_owned(),
    })
}

fn need_section() -> Section {
    Section {
        kind: SectionKind::Need,
        title: "Estimated need".to_owned(),
        blocks: vec![
            Block::Heading {
                text: "Need by tier".to_owned(),
            },
            Block::Paragraph {
                text: AWKWARD.to_owned(),
            },
            Block::Bullets {
                items: vec!["Tier one: universal".to_owned(), AWKWARD.to_owned()],
            },
            Block::Fact {
                statement:
                    "Up to 1 in 5 mothers has a mental health problem in pregnancy or after birth."
                        .to_owned(),
                figure: Some("1 in 5".to_owned()),
                cited: vec!["Bauer and others (2014)".to_owned()],
            },
            Block::Missing {
                text: "Import the births file to see need by area.".to_owned(),
            },
            Block::Table(need_table(150)),
            figure(0, "need-by-tier", "Need by tier", "Tiers"),
        ],
    }
}

fn services_section() -> Section {
    Section {
        kind: SectionKind::Services,
        title: "Service map, coverage and gaps".to_owned(),
        blocks: vec![
            Block::Table(Table {
                caption: "Services".to_owned(),
                sheet: Some("Services".to_owned()),
                columns: vec![Column::text("Service"), Column::number("Places")],
                rows: vec![
                    vec![Cell::text(FORMULA), Cell::count(12)],
                    vec![Cell::text("Parent-infant team"), Cell::number(3.25, "3.25")],
                ],
                source: None,
            }),
            Block::Table(Table {
                caption: "Gaps, for print only".to_owned(),
                sheet: None,
                columns: vec![Column::text("Gap")],
                rows: vec![vec![Cell::text("No perinatal peer support")]],
                source: None,
            }),
            Block::Missing {
                text: "Not yet available: walk-through findings.".to_owned(),
            },
            figure(
                1,
                "Service coverage!",
                "Service coverage by area",
                "Coverage",
            ),
        ],
    }
}

pub fn document() -> Document {
    Document {
        title: TITLE.to_owned(),
        partnership: PARTNERSHIP.to_owned(),
        author: AUTHOR.to_owned(),
        date: "7 December 2026".to_owned(),
        language: "en-GB".to_owned(),
        introduction: format!("Why this pack.\n\nIt says {AWKWARD}."),
        attribution: ATTRIBUTION.to_owned(),
        sections: vec![need_section(), services_section()],
        references: vec![
            Reference {
                id: "bauer-2014".to_owned(),
                label: "Bauer and others (2014)".to_owned(),
                full: "Bauer A, Parsonage M, Knapp M and others. The costs of perinatal mental health problems. 2014.".to_owned(),
                url: Some("https://www.lse.ac.uk/perinatal?a=1&b=2".to_owned()),
            },
            Reference {
                id: "local".to_owned(),
                label: "Local survey (2025)".to_owned(),
                full: AWKWARD.to_owned(),
                url: None,
            },
        ],
    }
}

/// A file from a zip file (or a part from a package).
pub fn zip_file(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut part = archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the file"));
    let mut contents = Vec::new();
    std::io::Read::read_to_end(&mut part, &mut contents).expect("readable");
    contents
}

/// A part of a package, as text.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    String::from_utf8(zip_file(bytes, name)).expect("UTF-8")
}

/// A PNG's width and height, as the png crate decodes them.
pub fn png_size(png: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .expect("a PNG");
    (reader.info().width, reader.info().height)
}

fn tool(name: &str) -> &str {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|output| output.status.success());
    assert!(
        found,
        "{name} is not installed: scripts/setup installs LibreOffice and poppler-utils \
         (or: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils)"
    );
    name
}

/// Converts the file to PDF with LibreOffice (its own profile, so runs do not clash) and
/// returns the PDF's path; a file LibreOffice cannot open fails the test.
pub fn soffice_pdf(dir: &Path, bytes: &[u8], extension: &str) -> PathBuf {
    let input = dir.join(format!("report.{extension}"));
    std::fs::write(&input, bytes).expect("write");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let output = Command::new(tool("soffice"))
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .output()
        .expect("soffice runs");
    let pdf = dir.join("report.pdf");
    assert!(
        output.status.success() && pdf.exists(),
        "LibreOffice could not convert the {extension}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    pdf
}

/// The PDF's text, by pdftotext, with runs of white space made single spaces.
pub fn pdf_text(pdf: &Path) -> String {
    let output = Command::new(tool("pdftotext"))
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
