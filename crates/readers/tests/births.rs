//! Reads the committed births fixtures (written for these tests in the layout of ONS's
//! "Births by area of usual residence of mother" tables; the figures are made up) and checks
//! the exact messages for a broken file.

use std::path::PathBuf;

use cradle_readers::{Layout, Problem, read_births, read_population};

fn messages(problems: &[Problem]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[test]
fn an_ons_births_table_below_its_titles_is_read() {
    let bytes = fixture("ons-births-2022.csv");
    // The population upload takes it too, as births.
    let population = read_population(&bytes, "ons-births-2022.csv").unwrap();
    assert_eq!(population.source.layout, Layout::Births);
    assert_eq!(population.rows[2].at_age(0), 901);
    let table = read_births(&bytes, "ons-births-2022.csv").unwrap();
    assert_eq!(table.year, Some(2022));
    assert_eq!(table.publisher, "Office for National Statistics");
    let rows: Vec<(&str, &str, u64)> = table
        .rows
        .iter()
        .map(|row| (row.area.as_str(), row.name.as_str(), row.births))
        .collect();
    assert_eq!(
        rows,
        [
            ("K04000001", "England and Wales", 605_479),
            ("E92000001", "England", 577_046),
            ("E06000001", "Hartlepool", 901),
            ("E06000002", "Middlesbrough", 1702),
            ("W06000015", "Cardiff", 3650),
        ]
    );
    // The total column is read, not births by sex.
    assert_eq!(table.rows[2].row, 7);
}

#[test]
fn population_files_are_not_taken_for_births() {
    for name in [
        "nomis-mid2023.csv",
        "mye2-persons-mid2019.csv",
        "nisra-mye-2022-long.csv",
    ] {
        let table = read_population(&fixture(name), name).unwrap();
        assert_ne!(table.source.layout, Layout::Births, "{name}");
    }
}

#[test]
fn every_problem_in_a_broken_births_file_is_named_and_nothing_is_read() {
    let problems = read_births(&fixture("births-broken.csv"), "births-broken.csv").unwrap_err();
    assert_eq!(
        messages(&problems),
        [
            "Row 3, column A (\"Area code\"): “E0600002” is not an area code: a GSS code is one letter (E, W, S, N or K) followed by 8 digits, like E06000001",
            "Row 4, column C (\"Live births\"): “n/a” is not a number",
            "Row 5, column C (\"Live births\"): “1900.5” is not a whole number of births",
            "Row 6, column A (\"Area code\"): E06000001 appears more than once",
        ]
    );
    let problems = read_births(&fixture("nomis-mid2023.csv"), "nomis-mid2023.csv").unwrap_err();
    assert_eq!(
        messages(&problems),
        [
            "No births table found: expected a header row with a column of area codes (Code, Area code) and one of live births (Live births, Number of live births)"
        ]
    );
}
