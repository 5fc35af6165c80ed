use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use cradle_report::{Format, render};

use super::sample::{self, AWKWARD, FORMULA};

type Workbook = Xlsx<std::io::Cursor<Vec<u8>>>;

fn xlsx() -> Vec<u8> {
    render(&sample::document(), Format::Xlsx).expect("a workbook")
}

fn open(bytes: Vec<u8>) -> Workbook {
    open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("calamine opens the workbook")
}

fn string(text: &str) -> Data {
    Data::String(text.to_owned())
}

#[test]
fn one_sheet_per_named_table_between_about_and_sources() {
    let mut workbook = open(xlsx());
    assert_eq!(
        workbook.sheet_names(),
        ["About", "Need by tier", "Services", "Sources"]
    );
    let about = workbook.worksheet_range("About").expect("About");
    assert_eq!(about.get((0, 0)), Some(&string(sample::TITLE)));
    let rows: Vec<Vec<Data>> = about.rows().map(<[Data]>::to_vec).collect();
    for (label, value) in [
        ("Partnership", sample::PARTNERSHIP),
        ("Date", "7 December 2026"),
        ("Attribution", sample::ATTRIBUTION),
    ] {
        assert!(
            rows.iter()
                .any(|row| row[..2] == [string(label), string(value)]),
            "{label}"
        );
    }
    assert!(
        rows.iter()
            .any(|row| row[..2] == [string("Need by tier"), string("Estimated need by area")])
    );
}

#[test]
fn data_sheets_hold_numbers_as_numbers_and_text_as_text() {
    let mut workbook = open(xlsx());
    let need = workbook.worksheet_range("Need by tier").expect("sheet");
    assert_eq!(need.get((0, 0)), Some(&string("Estimated need by area")));
    assert_eq!(
        need.get((1, 0)),
        Some(&string("Source: ONS births 2024, imported 3 March 2026"))
    );
    let header: Vec<&Data> = (0..3).filter_map(|column| need.get((2, column))).collect();
    assert_eq!(
        header,
        [
            &string("Area"),
            &string("Births"),
            &string("Rate per 1,000")
        ]
    );
    assert_eq!(need.get((3, 0)), Some(&string(AWKWARD)));
    assert_eq!(need.get((3, 1)), Some(&Data::Float(1234.0)));
    assert_eq!(need.get((3, 2)), Some(&Data::Empty));
    assert_eq!(need.get((4, 2)), Some(&Data::Float(12.6)));
    assert_eq!(
        need.height(),
        3 + 150,
        "caption, source, header and 150 rows"
    );
    let services = workbook.worksheet_range("Services").expect("sheet");
    assert_eq!(
        services.get((1, 0)),
        Some(&string("Service")),
        "no source row when none"
    );
    assert_eq!(services.get((2, 0)), Some(&string(FORMULA)));
    assert_eq!(services.get((3, 1)), Some(&Data::Float(3.25)));
    let formulas = workbook.worksheet_formula("Services").expect("formulas");
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, formula)| formula.is_empty()),
        "a formula was written"
    );
}

#[test]
fn the_header_row_is_bold_frozen_and_filterable() {
    let bytes = xlsx();
    // Sheets are stored in order: About is sheet1, "Need by tier" sheet2.
    let sheet = sample::zip_part(&bytes, "xl/worksheets/sheet2.xml");
    let xml = roxmltree::Document::parse(&sheet).expect("well-formed");
    let find = |name: &str| {
        xml.descendants()
            .find(|node| node.tag_name().name() == name)
    };
    assert_eq!(
        find("autoFilter").and_then(|node| node.attribute("ref")),
        Some("A3:C153")
    );
    let pane = find("pane").expect("a frozen pane");
    assert_eq!(
        (pane.attribute("ySplit"), pane.attribute("state")),
        (Some("3"), Some("frozen"))
    );
    let widths: Vec<f64> = xml
        .descendants()
        .filter(|node| node.tag_name().name() == "col")
        .filter_map(|node| node.attribute("width")?.parse().ok())
        .collect();
    assert_eq!(widths.len(), 3);
    assert!(
        widths[0] > widths[1],
        "the awkward text's column is wider: {widths:?}"
    );
    let styles = sample::zip_part(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "a bold font exists for the header");
}

#[test]
fn the_sources_sheet_lists_every_reference() {
    let mut workbook = open(xlsx());
    let sources = workbook.worksheet_range("Sources").expect("sheet");
    let rows: Vec<Vec<String>> = sources
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect();
    assert_eq!(rows[0], ["Label", "Reference", "Address"]);
    assert_eq!(rows[1][0], "Bauer and others (2014)");
    assert!(rows[1][1].starts_with("Bauer A, Parsonage M"));
    assert_eq!(rows[1][2], "https://www.lse.ac.uk/perinatal?a=1&b=2");
    assert_eq!(rows[2], ["Local survey (2025)", AWKWARD, ""]);
}

#[test]
fn workbook_properties_name_the_title_and_author() {
    let core = sample::zip_part(&xlsx(), "docProps/core.xml");
    let xml = roxmltree::Document::parse(&core).expect("well-formed");
    let value = |name: &str| {
        xml.descendants()
            .find(|node| node.tag_name().name() == name)
            .and_then(|node| node.text())
            .map(str::to_owned)
    };
    assert_eq!(value("title").as_deref(), Some(sample::TITLE));
    assert_eq!(value("creator").as_deref(), Some(sample::AUTHOR));
}

#[test]
fn a_document_without_tables_or_references_still_makes_a_workbook() {
    let mut document = sample::document();
    document.sections.clear();
    document.references.clear();
    let workbook = open(render(&document, Format::Xlsx).expect("a workbook"));
    assert_eq!(workbook.sheet_names(), ["About", "Sources"]);
}

#[test]
fn libreoffice_opens_it() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let pdf = sample::soffice_pdf(dir.path(), &xlsx(), "xlsx");
    let text = sample::pdf_text(&pdf);
    for expected in [
        sample::TITLE,
        "Estimated need by area",
        AWKWARD,
        FORMULA,
        "Area 150",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} is not in the PDF:\n{text}"
        );
    }
}
