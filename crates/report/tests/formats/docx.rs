use cradle_report::{Format, render};
use roxmltree::{Document as Xml, Node};

use super::sample::{self, AWKWARD, FIGURE_ALTS};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn docx() -> Vec<u8> {
    render(&sample::document(), Format::Docx).expect("a Word document")
}

/// A paragraph's style id, if it has one.
fn style<'a>(paragraph: Node<'a, '_>) -> Option<&'a str> {
    paragraph
        .descendants()
        .find(|node| node.has_tag_name((W, "pStyle")))
        .and_then(|node| node.attribute((W, "val")))
}

/// A paragraph's text as Word shows it (XML-unescaped), with line breaks as new lines.
fn text(paragraph: Node) -> String {
    let mut text = String::new();
    for node in paragraph.descendants() {
        if node.has_tag_name((W, "t")) {
            text.push_str(node.text().unwrap_or(""));
        } else if node.has_tag_name((W, "br")) {
            text.push('\n');
        }
    }
    text
}

fn paragraphs_in(xml: &Xml, wanted: &str) -> Vec<String> {
    xml.descendants()
        .filter(|node| node.has_tag_name((W, "p")) && style(*node) == Some(wanted))
        .map(text)
        .collect()
}

#[test]
fn headings_use_real_heading_styles_that_word_sees_as_the_outline() {
    let bytes = docx();
    let document = sample::zip_part(&bytes, "word/document.xml");
    let xml = Xml::parse(&document).expect("well-formed document.xml");
    assert_eq!(
        paragraphs_in(&xml, "Heading1"),
        [
            "Introduction",
            "Estimated need",
            "Service map, coverage and gaps",
            "References"
        ]
    );
    assert_eq!(paragraphs_in(&xml, "Heading2"), ["Need by tier"]);
    let styles = sample::zip_part(&bytes, "word/styles.xml");
    let styles = Xml::parse(&styles).expect("well-formed styles.xml");
    for (id, name, level) in [
        ("Heading1", "heading 1", "0"),
        ("Heading2", "heading 2", "1"),
    ] {
        let style = styles
            .descendants()
            .find(|node| node.attribute((W, "styleId")) == Some(id))
            .unwrap_or_else(|| panic!("no {id} style"));
        let value = |tag: &str| {
            style
                .descendants()
                .find(|node| node.has_tag_name((W, tag)))
                .and_then(|node| node.attribute((W, "val")))
        };
        assert_eq!(value("name"), Some(name));
        assert_eq!(value("outlineLvl"), Some(level));
    }
    assert!(
        styles
            .descendants()
            .any(|node| node.has_tag_name((W, "lang"))
                && node.attribute((W, "val")) == Some("en-GB"))
    );
}

#[test]
fn awkward_text_title_page_lists_facts_and_missing_notes_read_as_written() {
    let bytes = docx();
    let document = sample::zip_part(&bytes, "word/document.xml");
    let xml = Xml::parse(&document).expect("well-formed");
    assert_eq!(paragraphs_in(&xml, "Title"), [sample::TITLE]);
    assert_eq!(paragraphs_in(&xml, "Subtitle"), [sample::PARTNERSHIP]);
    assert_eq!(paragraphs_in(&xml, "Attribution"), [sample::ATTRIBUTION]);
    let all: Vec<String> = xml
        .descendants()
        .filter(|node| node.has_tag_name((W, "p")))
        .map(text)
        .collect();
    assert!(
        all.iter().any(|text| text == AWKWARD),
        "the paragraph is changed"
    );
    assert!(
        all.iter()
            .any(|text| text == &format!("It says {AWKWARD}."))
    );
    assert_eq!(
        paragraphs_in(&xml, "ListBullet"),
        ["Tier one: universal", AWKWARD]
    );
    let facts = paragraphs_in(&xml, "Fact");
    assert_eq!(
        facts,
        [
            "Up to 1 in 5 mothers has a mental health problem in pregnancy or after birth.\nSource: Bauer and others (2014)"
        ]
    );
    let bold: Vec<String> = xml
        .descendants()
        .filter(|node| {
            node.has_tag_name((W, "r")) && node.descendants().any(|n| n.has_tag_name((W, "b")))
        })
        .map(text)
        .collect();
    assert!(bold.contains(&"1 in 5".to_owned()), "{bold:?}");
    assert_eq!(
        paragraphs_in(&xml, "MissingNote"),
        [
            "Not yet available: Import the births file to see need by area.",
            "Not yet available: walk-through findings."
        ]
    );
    let references = paragraphs_in(&xml, "Reference");
    assert_eq!(references.len(), 2);
    assert!(references[0].ends_with("https://www.lse.ac.uk/perinatal?a=1&b=2"));
    assert_eq!(references[1], format!("Local survey (2025)\n{AWKWARD}"));
    let relationships = sample::zip_part(&bytes, "word/_rels/document.xml.rels");
    assert!(relationships.contains(
        "Target=\"https://www.lse.ac.uk/perinatal?a=1&amp;b=2\" TargetMode=\"External\""
    ));
}

#[test]
fn tables_have_a_repeating_header_right_aligned_numbers_caption_and_source() {
    let bytes = docx();
    let document = sample::zip_part(&bytes, "word/document.xml");
    let xml = Xml::parse(&document).expect("well-formed");
    let tables: Vec<Node> = xml
        .descendants()
        .filter(|node| node.has_tag_name((W, "tbl")))
        .collect();
    assert_eq!(tables.len(), 3);
    let rows: Vec<Node> = tables[0]
        .children()
        .filter(|node| node.has_tag_name((W, "tr")))
        .collect();
    assert_eq!(rows.len(), 151, "the header and 150 rows");
    let repeats = |row: &Node| {
        row.descendants()
            .any(|node| node.has_tag_name((W, "tblHeader")))
    };
    assert!(repeats(&rows[0]));
    assert!(!rows[1..].iter().any(repeats));
    let cells = |row: &Node| -> Vec<(String, bool)> {
        row.children()
            .filter(|node| node.has_tag_name((W, "tc")))
            .map(|cell| {
                let right = cell.descendants().any(|node| {
                    node.has_tag_name((W, "jc")) && node.attribute((W, "val")) == Some("right")
                });
                (text(cell), right)
            })
            .collect()
    };
    assert_eq!(
        cells(&rows[0]),
        [
            ("Area".to_owned(), false),
            ("Births".to_owned(), true),
            ("Rate per 1,000".to_owned(), true)
        ]
    );
    assert_eq!(
        cells(&rows[1]),
        [
            (AWKWARD.to_owned(), false),
            ("1,234".to_owned(), true),
            (String::new(), true)
        ]
    );
    assert_eq!(cells(&rows[2])[1], ("1,007".to_owned(), true));
    let caption = tables[0].prev_sibling_element().map(text);
    assert_eq!(caption.as_deref(), Some("Estimated need by area"));
    let source = tables[0].next_sibling_element().map(text);
    assert_eq!(
        source.as_deref(),
        Some("Source: ONS births 2024, imported 3 March 2026")
    );
}

#[test]
fn table_columns_fill_the_text_width_by_what_they_hold() {
    let mut document = sample::document();
    let mut wide = sample::need_table(1);
    wide.columns = (1..=8)
        .map(|n| cradle_report::Column::text(format!("Column {n}")))
        .collect();
    wide.rows = vec![
        (1..=8)
            .map(|n| cradle_report::Cell::text("word ".repeat(n + 1)))
            .collect(),
    ];
    document.sections.truncate(1);
    document.sections[0].blocks = vec![cradle_report::Block::Table(wide)];
    let bytes = render(&document, Format::Docx).expect("a Word document");
    let xml = sample::zip_part(&bytes, "word/document.xml");
    let xml = Xml::parse(&xml).expect("well-formed");
    let widths: Vec<u64> = xml
        .descendants()
        .filter(|node| node.has_tag_name((W, "gridCol")))
        .filter_map(|node| node.attribute((W, "w"))?.parse().ok())
        .collect();
    assert_eq!(widths.len(), 8);
    // A4 less 2.54 cm margins is 9,026 twips; rounding down may lose a twip a column.
    let total: u64 = widths.iter().sum();
    assert!((9_018..=9_026).contains(&total), "{widths:?}");
    assert!(
        widths.windows(2).all(|pair| pair[0] < pair[1]),
        "longer text, wider column: {widths:?}"
    );
}

#[test]
fn figures_are_pngs_with_their_alternative_text_and_caption_below() {
    let bytes = docx();
    let document = sample::zip_part(&bytes, "word/document.xml");
    let xml = Xml::parse(&document).expect("well-formed");
    let described: Vec<&str> = xml
        .descendants()
        .filter(|node| node.tag_name().name() == "docPr")
        .filter_map(|node| node.attribute("descr"))
        .collect();
    assert_eq!(described, FIGURE_ALTS);
    let ids: Vec<&str> = xml
        .descendants()
        .filter(|node| node.tag_name().name() == "docPr")
        .filter_map(|node| node.attribute("id"))
        .collect();
    assert_eq!(ids, ["1", "2"], "drawing ids are unique");
    let pictures: Vec<Node> = xml
        .descendants()
        .filter(|node| {
            node.has_tag_name((W, "p"))
                && node.descendants().any(|n| n.has_tag_name((W, "drawing")))
        })
        .collect();
    let captions: Vec<String> = pictures
        .iter()
        .filter_map(|p| p.next_sibling_element())
        .map(text)
        .collect();
    assert_eq!(captions, ["Need by tier", "Service coverage by area"]);
    for name in ["word/media/figure-1.png", "word/media/figure-2.png"] {
        // 600 × 300 CSS pixels (15.9 cm, inside the text width) at 200 pixels per inch.
        assert_eq!(
            sample::png_size(&sample::zip_file(&bytes, name)),
            (1250, 625)
        );
    }
}

#[test]
fn core_properties_name_the_title_author_and_language() {
    let core = sample::zip_part(&docx(), "docProps/core.xml");
    let xml = Xml::parse(&core).expect("well-formed");
    let value = |name: &str| {
        xml.descendants()
            .find(|node| node.tag_name().name() == name)
            .and_then(|node| node.text())
            .map(str::to_owned)
    };
    assert_eq!(value("title").as_deref(), Some(sample::TITLE));
    assert_eq!(value("creator").as_deref(), Some(sample::AUTHOR));
    assert_eq!(value("language").as_deref(), Some("en-GB"));
}

#[test]
fn libreoffice_opens_it_and_prints_the_headings_and_text() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let pdf = sample::soffice_pdf(dir.path(), &docx(), "docx");
    let text = sample::pdf_text(&pdf);
    for expected in [
        sample::TITLE,
        sample::PARTNERSHIP,
        "Introduction",
        "Estimated need",
        "Need by tier",
        "Service map, coverage and gaps",
        "References",
        AWKWARD,
        "Not yet available: Import the births file",
        "Estimated need by area",
        "Area 150",
        "Source: ONS births 2024",
        "Service coverage by area",
        "Page 2",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the PDF:\n{text}"
        );
    }
}
