//! The PDF as readers see it: poppler's pdftotext, pdfinfo, pdffonts and pdftoppm open what
//! `render` makes and the tests check what they show.

mod sample;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use cradle_domain::need::with_separators;
use cradle_domain::report::{Block, Cell, Column, Document, Reference, Table};
use sample::{AWKWARD, BIRTHS_TITLE, FIGURE_ALT, TABLE_CAPTION, TABLE_SOURCE};

/// Rows in the long table: enough to fill more than two pages.
const ROWS: u64 = 150;

/// Runs a poppler tool on `pdf` and returns what it printed, failing (never skipping) when it
/// is absent. pdftotext is told to print rather than write a file.
fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let to_stdout: &[&str] = if tool == "pdftotext" { &["-"] } else { &[] };
    let output = match Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(to_stdout)
        .output()
    {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
            "{tool} was not found: scripts/setup installs poppler-utils \
             (or run `apt-get install -y poppler-utils`)"
        ),
        Err(error) => panic!("{tool} could not be run: {error}"),
    };
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // pdfinfo prints some PDF strings as raw bytes (e.g. a UTF-16 byte-order mark).
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `document` as a PDF under the test folder cargo provides and returns the path.
fn write_pdf(document: &Document, name: &str) -> PathBuf {
    let pdf = cradle_pdf::render(document).expect("the document typesets");
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, pdf).expect("the PDF is written");
    path
}

/// The document with every kind of block, rendered once for all the tests here.
fn every_block_pdf() -> &'static Path {
    static PDF: OnceLock<PathBuf> = OnceLock::new();
    PDF.get_or_init(|| write_pdf(&sample::every_block(ROWS), "every-block.pdf"))
}

/// The text of each page, laid out as on paper, with runs of spaces inside a line made one.
fn pages_of_text(pdf: &Path) -> Vec<String> {
    poppler("pdftotext", &["-layout"], pdf)
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|page| !page.trim().is_empty())
        .collect()
}

fn page_count(pdf: &Path) -> usize {
    info_field(&poppler("pdfinfo", &[], pdf), "Pages")
        .parse()
        .expect("a page count")
}

fn info_field<'a>(info: &'a str, field: &str) -> &'a str {
    info.lines()
        .find_map(|line| line.strip_prefix(&format!("{field}:")))
        .unwrap_or_else(|| panic!("pdfinfo shows no {field}:\n{info}"))
        .trim()
}

#[test]
fn user_text_prints_exactly_as_typed_in_every_kind_of_block() {
    let text = pages_of_text(every_block_pdf()).join("\n");
    for expected in [
        format!("{AWKWARD} was typed into the introduction."),
        format!("What the data says {AWKWARD}"),
        format!("{AWKWARD} is a service name."),
        format!("• {AWKWARD}"),
        format!("Not yet available: {AWKWARD}: import the workforce"),
        format!("Antenatal and postnatal mental health. {AWKWARD}"),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    let in_table = text.lines().filter(|line| line.trim() == AWKWARD).count();
    assert_eq!(in_table, 1, "the table cell holding user text:\n{text}");
}

#[test]
fn the_cover_contents_and_sections_read_in_order() {
    let text = pages_of_text(every_block_pdf()).join("\n");
    let document = sample::every_block(ROWS);
    let sections: Vec<String> = document.sections.iter().map(|s| s.title.clone()).collect();
    // The cover, then the contents listing every heading, then the headings themselves.
    let mut expected = vec![
        document.partnership.clone(),
        document.title.clone(),
        document.author.clone(),
        document.date.clone(),
        "Contents".to_owned(),
    ];
    for _ in 0..2 {
        expected.push("Introduction".to_owned());
        expected.extend(sections.iter().cloned());
        expected.push("References".to_owned());
    }
    let mut from = 0;
    for heading in &expected {
        let at = text[from..]
            .find(heading.as_str())
            .unwrap_or_else(|| panic!("{heading:?} is missing or out of order:\n{text}"));
        from += at + heading.len();
    }
}

#[test]
fn facts_show_their_figure_and_citations() {
    let text = pages_of_text(every_block_pdf()).join("\n");
    assert!(
        text.contains("Around 1 in 5 mothers have a mental health problem"),
        "{text}"
    );
    assert!(
        text.contains("Sources: Bauer and others (2014); NICE (2020)"),
        "{text}"
    );
}

#[test]
fn the_long_table_runs_over_pages_repeating_its_header() {
    let pages = pages_of_text(every_block_pdf());
    let table_pages: Vec<&String> = pages
        .iter()
        .filter(|page| page.lines().any(is_ward_row))
        .collect();
    assert!(
        table_pages.len() >= 2,
        "the table fits one page: {table_pages:?}"
    );
    let header_line = format!("Ward {BIRTHS_TITLE} Mothers needing support");
    for page in &table_pages {
        let header = page.lines().position(|line| line.contains(&header_line));
        let first_row = page.lines().position(is_ward_row);
        assert!(
            header < first_row && header.is_some(),
            "no header above the rows:\n{page}"
        );
    }
    let first = table_pages[0];
    let caption = first.find(TABLE_CAPTION).expect("the caption");
    assert!(
        caption < first.find(&header_line).expect("the header"),
        "caption above:\n{first}"
    );
    let last = table_pages[table_pages.len() - 1];
    let last_row = last.find(&format!("Ward {ROWS:03}")).expect("the last row");
    assert!(
        last_row < last.find(TABLE_SOURCE).expect("the source line"),
        "source below:\n{last}"
    );
    let text = pages.join("\n");
    for index in 1..=ROWS {
        let row = format!("Ward {index:03} {}", with_separators(sample::births(index)));
        assert_eq!(text.matches(&row).count(), 1, "row {row:?} once:\n{text}");
    }
}

fn is_ward_row(line: &str) -> bool {
    let mut words = line.split(' ');
    words.next() == Some("Ward")
        && words
            .next()
            .is_some_and(|n| n.len() == 3 && n.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn numeric_columns_are_right_aligned() {
    // Right-aligned numbers of one to five digits all end at the same point on the page.
    let mut births_ends = Vec::new();
    let mut mothers_ends = Vec::new();
    for line in lines_of_words(every_block_pdf()) {
        if let [(ward, _), (number, _), (_, births_end), (_, mothers_end)] = line.as_slice()
            && ward == "Ward"
            && number.len() == 3
        {
            births_ends.push(*births_end);
            mothers_ends.push(*mothers_end);
        }
    }
    assert_eq!(births_ends.len() as u64, ROWS);
    for ends in [&births_ends, &mothers_ends] {
        let rightmost = ends.iter().copied().fold(f64::MIN, f64::max);
        let leftmost = ends.iter().copied().fold(f64::MAX, f64::min);
        assert!(rightmost - leftmost < 0.5, "numbers end at {ends:?}");
    }
}

/// A word as pdftotext places it: its page, top, left and right edges (in points).
struct PlacedWord {
    page: usize,
    top: f64,
    left: f64,
    right: f64,
    text: String,
}

/// The words pdftotext finds, as lines (words sharing a page and a top edge) read left to
/// right, each word with the x coordinate of its right edge.
fn lines_of_words(pdf: &Path) -> Vec<Vec<(String, f64)>> {
    let mut words = placed_words(pdf);
    words.sort_by(|a, b| {
        (a.page, a.top, a.left)
            .partial_cmp(&(b.page, b.top, b.left))
            .expect("numbers")
    });
    words
        .chunk_by(|a, b| (a.page, a.top) == (b.page, b.top))
        .map(|line| {
            line.iter()
                .map(|word| (word.text.clone(), word.right))
                .collect()
        })
        .collect()
}

fn placed_words(pdf: &Path) -> Vec<PlacedWord> {
    let mut words = Vec::new();
    let mut page = 0;
    for line in poppler("pdftotext", &["-bbox"], pdf).lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        }
        let Some((attributes, text)) = line
            .strip_prefix("<word ")
            .and_then(|line| line.strip_suffix("</word>"))
            .and_then(|line| line.split_once('>'))
        else {
            continue;
        };
        let attribute = |name: &str| -> f64 {
            let value = attributes
                .split_once(&format!("{name}=\""))
                .map(|(_, rest)| rest);
            let value = value
                .and_then(|rest| rest.split_once('"'))
                .map(|(value, _)| value);
            value
                .and_then(|value| value.parse().ok())
                .unwrap_or_else(|| panic!("no {name} in {line}"))
        };
        words.push(PlacedWord {
            page,
            top: attribute("yMin"),
            left: attribute("xMin"),
            right: attribute("xMax"),
            text: text.to_owned(),
        });
    }
    words
}

#[test]
fn every_page_after_the_cover_is_numbered_beside_the_attribution() {
    let pdf = every_block_pdf();
    let pages = pages_of_text(pdf);
    let count = page_count(pdf);
    assert_eq!(pages.len(), count);
    let attribution = sample::every_block(ROWS).attribution;
    assert!(
        !pages[0].contains("Page 1"),
        "the cover has no number:\n{}",
        pages[0]
    );
    for (index, page) in pages.iter().enumerate().skip(1) {
        let footer = format!("{attribution} Page {} of {count}", index + 1);
        assert!(page.contains(&footer), "no {footer:?} on:\n{page}");
    }
}

#[test]
fn references_list_labels_full_text_and_links() {
    let pages = pages_of_text(every_block_pdf());
    let last = pages.last().expect("pages");
    assert!(last.contains("References"), "{last}");
    for reference in sample::every_block(ROWS).references {
        assert!(
            last.contains(&reference.label),
            "{} missing:\n{last}",
            reference.label
        );
        if let Some(url) = reference.url {
            assert!(last.contains(&url), "{url} missing:\n{last}");
        }
    }
    assert!(
        last.contains("The costs of perinatal mental health"),
        "{last}"
    );
}

#[test]
fn pdfinfo_shows_the_title_a4_pages_and_tagging() {
    let pdf = every_block_pdf();
    let info = poppler("pdfinfo", &[], pdf);
    let document = sample::every_block(ROWS);
    assert_eq!(info_field(&info, "Title"), document.title);
    assert_eq!(info_field(&info, "Author"), document.author);
    assert_eq!(info_field(&info, "Tagged"), "yes");
    assert!(info_field(&info, "Page size").ends_with("(A4)"), "{info}");
    assert!(page_count(pdf) >= 6, "{info}");
    let metadata = poppler("pdfinfo", &["-meta"], pdf);
    assert!(
        metadata.contains("<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>"),
        "{metadata}"
    );
    assert!(
        metadata.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "claims PDF/UA-1: {metadata}"
    );
}

#[test]
fn the_structure_marks_headings_lists_tables_and_figures() {
    let pdf = every_block_pdf();
    let structure = poppler("pdfinfo", &["-struct-text"], pdf);
    for tag in [
        r#"H1 "Estimated need""#,
        "H2 ",
        "L (block)",
        "Table (block)",
        "TH ",
        "Figure",
        "TOC",
    ] {
        assert!(
            structure.contains(tag),
            "no {tag} in the structure:\n{structure}"
        );
    }
    // poppler shows the Figure element but not its alternative text, so that is read from the
    // element's /Alt entry in the file.
    let bytes = std::fs::read(pdf).expect("the PDF");
    let alt = format!("/Alt({FIGURE_ALT})");
    assert!(
        bytes.windows(alt.len()).any(|w| w == alt.as_bytes()),
        "no {alt} in the PDF"
    );
}

#[test]
fn the_fonts_are_embedded() {
    let fonts = poppler("pdffonts", &[], every_block_pdf());
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let columns: Vec<&str> = row.split_whitespace().collect();
        let embedded = columns.iter().rev().nth(4);
        assert_eq!(embedded, Some(&"yes"), "not embedded: {row}");
    }
}

#[test]
fn every_page_renders_as_an_image() {
    let pdf = every_block_pdf();
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join("every-block-pages");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("a folder for the pages");
    let output = Command::new("pdftoppm")
        .args(["-r", "30", "-png"])
        .arg(pdf)
        .arg(folder.join("page"))
        .output()
        .expect("pdftoppm runs (scripts/setup installs poppler-utils)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let images: Vec<u64> = std::fs::read_dir(&folder)
        .expect("the pages")
        .map(|entry| entry.expect("a page").metadata().expect("its size").len())
        .collect();
    assert_eq!(images.len(), page_count(pdf));
    assert!(
        images.iter().all(|&size| size > 0),
        "an empty page image: {images:?}"
    );
}

#[test]
fn a_bare_document_still_has_a_cover_and_contents() {
    let mut document = sample::every_block(3);
    document.author.clear();
    document.introduction.clear();
    document.sections.clear();
    document.references.clear();
    let pdf = write_pdf(&document, "bare.pdf");
    let text = pages_of_text(&pdf).join("\n");
    assert!(
        text.contains(&document.title) && text.contains("Contents"),
        "{text}"
    );
    for absent in ["Introduction", "References", "Public health team"] {
        assert!(!text.contains(absent), "{absent} shown in:\n{text}");
    }
    assert_eq!(page_count(&pdf), 2);
}

/// Every name and caption left empty, an unusable language tag, a table without columns and
/// rows too short and too long.
fn empty_and_ragged() -> Document {
    let mut document = sample::every_block(3);
    document.title.clear();
    document.partnership.clear();
    document.attribution.clear();
    document.language = "not a language".to_owned();
    for section in &mut document.sections {
        section.title.clear();
        for block in &mut section.blocks {
            match block {
                Block::Figure(figure) => {
                    figure.alt.clear();
                    figure.caption.clear();
                }
                Block::Heading { text } => text.clear(),
                Block::Bullets { items } => items.clear(),
                _ => {}
            }
        }
        section.blocks.push(Block::Table(Table {
            caption: String::new(),
            sheet: None,
            columns: Vec::new(),
            rows: vec![vec![Cell::text("orphan")]],
            source: Some(String::new()),
        }));
        section.blocks.push(Block::Table(Table {
            caption: "Ragged".to_owned(),
            sheet: None,
            columns: vec![Column::text("Place"), Column::number("Count")],
            rows: vec![
                Vec::new(),
                vec![
                    Cell::text("Northtown"),
                    Cell::count(2_500),
                    Cell::text("extra"),
                ],
            ],
            source: None,
        }));
        section.blocks.push(Block::Fact {
            statement: String::new(),
            figure: Some(String::new()),
            cited: Vec::new(),
        });
    }
    document.references.push(Reference {
        id: "blank".to_owned(),
        label: String::new(),
        full: String::new(),
        url: Some(String::new()),
    });
    document
}

#[test]
fn empty_and_ragged_values_still_make_an_accessible_pdf() {
    let pdf = write_pdf(&empty_and_ragged(), "empty-and-ragged.pdf");
    let info = poppler("pdfinfo", &[], &pdf);
    assert_eq!(info_field(&info, "Title"), "Report");
    let metadata = poppler("pdfinfo", &["-meta"], &pdf);
    assert!(
        metadata.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "{metadata}"
    );
    let text = pages_of_text(&pdf).join("\n");
    // Untitled sections are named after their kind, in the contents and as headings.
    for kind in ["Cover and summary", "Estimated need", "Referral pathway"] {
        assert_eq!(text.matches(kind).count(), 2, "{kind} in:\n{text}");
    }
    assert!(text.contains("Northtown 2,500"), "{text}");
}
