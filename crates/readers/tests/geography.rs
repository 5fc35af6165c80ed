//! Reads the committed lookup fixtures (ONS Open Geography and mySociety layouts) and checks
//! the links and the exact messages for a broken file.

use std::path::PathBuf;

use cradle_readers::{GeographyLayout, GeographyTable, read_geography};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Each link as `child child_name -> parent parent_name`, for compact assertions.
fn summary(table: &GeographyTable) -> Vec<String> {
    table
        .links
        .iter()
        .map(|link| match &link.parent {
            Some(parent) => format!(
                "{} {} -> {parent} {}",
                link.child,
                link.child_name,
                link.parent_name.as_deref().unwrap_or("")
            ),
            None => format!("{} {}", link.child, link.child_name),
        })
        .collect()
}

#[test]
fn ons_lookup_with_a_byte_order_mark() {
    let table = read_geography(&fixture("lad21-to-cty21.csv")).unwrap();
    assert_eq!(table.layout, GeographyLayout::OnsLookup);
    assert_eq!(
        summary(&table),
        [
            "E07000008 Cambridge -> E10000003 Cambridgeshire",
            "E07000009 East Cambridgeshire -> E10000003 Cambridgeshire",
            "E07000134 North West Leicestershire -> E10000018 Leicestershire",
        ]
    );
    let first = &table.links[0];
    assert_eq!(
        first.child_kind.as_deref(),
        Some("local authority district (LAD21)")
    );
    assert_eq!(first.parent_kind.as_deref(), Some("county (CTY21)"));
    assert_eq!(first.row, 2);
}

#[test]
fn ons_lookups_of_other_years_and_levels() {
    let countries = read_geography(&fixture("lad19-to-ctry19.csv")).unwrap();
    assert_eq!(countries.links.len(), 4);
    assert_eq!(
        countries.links[3].parent_name.as_deref(),
        Some("Northern Ireland")
    );
    assert_eq!(
        countries.links[3].parent_kind.as_deref(),
        Some("country (CTRY19)")
    );

    let boards = read_geography(&fixture("ua19-to-lhb19.csv")).unwrap();
    assert_eq!(
        summary(&boards),
        [
            "W06000001 Isle of Anglesey -> W11000023 Betsi Cadwaladr University Health Board",
            "W06000015 Cardiff -> W11000029 Cardiff and Vale University Health Board",
        ]
    );
    assert_eq!(
        boards.links[0].parent_kind.as_deref(),
        Some("local health board (LHB19)")
    );
}

#[test]
fn a_plain_code_list_has_no_parents() {
    let table = read_geography(&fixture("ltla23-codes.csv")).unwrap();
    assert_eq!(
        summary(&table),
        [
            "E06000001 Hartlepool",
            "E06000002 Middlesbrough",
            "W06000015 Cardiff"
        ]
    );
    assert!(table.links.iter().all(|link| link.parent_kind.is_none()));
}

#[test]
fn mysociety_list_links_each_council_to_its_nation() {
    let table = read_geography(&fixture("mysociety-local-authorities.csv")).unwrap();
    assert_eq!(table.layout, GeographyLayout::MySociety);
    assert_eq!(
        summary(&table),
        [
            "E06000001 Hartlepool -> E92000001 England",
            "W06000015 Cardiff -> W92000004 Wales",
            "S12000036 Edinburgh -> S92000003 Scotland",
            "N09000003 Belfast -> N92000002 Northern Ireland",
        ],
        "Derry, abolished in 2015 before it had a GSS code, is left out"
    );
    assert_eq!(
        table.links[1].child_kind.as_deref(),
        Some("Welsh unitary authority")
    );
    assert_eq!(table.links[0].ended, None);
}

#[test]
fn a_broken_lookup_reports_every_problem() {
    let problems: Vec<String> = read_geography(&fixture("ltla19-to-utla19-broken.csv"))
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "Row 3, column D (\"UTLA19CD\"): “E1000003” is not an area code: a GSS code is one \
             letter (E, W, S, N or K) followed by 8 digits, like E06000001",
            "Row 4, column B (\"LTLA19CD\"): E06000001 appears more than once; it is first on row 2",
            "Row 5, column B (\"LTLA19CD\"): the area code is blank",
        ]
    );
}

#[test]
fn an_unknown_header_is_named() {
    let problems = read_geography(b"local authority,parent\nHartlepool,England\n").unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "Row 1: the header (local authority, parent) is not a lookup Cradle knows: expected ONS \
         columns such as LAD21CD, LAD21NM, CTY21CD, CTY21NM (or areacd, areanm), or mySociety's \
         gss-code, nice-name, nation"
    );
}

#[test]
fn real_lookups_when_present() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/geography");
    let files = [
        ("lad19-to-ctry19-uk.csv", GeographyLayout::OnsLookup),
        ("lad21-to-cty21-england.csv", GeographyLayout::OnsLookup),
        ("ltla19-to-utla19-ew.csv", GeographyLayout::OnsLookup),
        ("ltla23-codes.csv", GeographyLayout::OnsLookup),
        ("ltla25-codes.csv", GeographyLayout::OnsLookup),
        ("ua19-to-lhb19-wales.csv", GeographyLayout::OnsLookup),
        ("uk-local-authorities.csv", GeographyLayout::MySociety),
        (
            "uk-local-authorities-future.csv",
            GeographyLayout::MySociety,
        ),
    ];
    for (name, layout) in files {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            println!("skipped: {name} is not in {}", dir.display());
            continue;
        };
        match read_geography(&bytes) {
            Ok(table) => {
                assert_eq!(table.layout, layout, "{name}");
                assert!(!table.links.is_empty(), "{name}");
            }
            Err(problems) => panic!("{name}: {}", cradle_readers::report(&problems)),
        }
    }
}
