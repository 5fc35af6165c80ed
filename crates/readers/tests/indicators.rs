//! Reads the committed Fingertips fixtures (written for these tests in the layout that OHID's
//! Fingertips tool downloads; the figures are made up) and checks the exact messages for
//! broken files.

use std::path::PathBuf;

use cradle_readers::{FINGERTIPS_PUBLISHER, read_indicators, report};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn problems(bytes: &[u8]) -> Vec<String> {
    match read_indicators(bytes, "broken.csv") {
        Ok(table) => panic!("read {} figures from a broken file", table.values.len()),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_fingertips_download_is_read_whole() {
    let table = read_indicators(&fixture("fingertips-tees.csv"), "fingertips-tees.csv").unwrap();
    assert_eq!(table.file_name, "fingertips-tees.csv");
    assert_eq!(table.publisher, FINGERTIPS_PUBLISHER);
    assert_eq!(table.latest_year, Some(2021));
    assert_eq!(table.values.len(), 19);
    assert_eq!(
        table.indicators(),
        [
            (20101, "Low birth weight of term babies".to_owned()),
            (93085, "Smoking status at time of delivery".to_owned()),
        ]
    );
    let hartlepool_2019 = table
        .values
        .iter()
        .find(|value| value.area.as_str() == "E06000001" && value.period == "2019")
        .unwrap();
    assert_eq!(hartlepool_2019.value, Some(3.4));
    assert_eq!(hartlepool_2019.lower_95, Some(2.6));
    assert_eq!(hartlepool_2019.upper_95, Some(4.4));
    assert_eq!(hartlepool_2019.lower_99_8, Some(2.2));
    assert_eq!(hartlepool_2019.count, Some(29.0));
    assert_eq!(hartlepool_2019.denominator, Some(850.0));
    assert_eq!(hartlepool_2019.area_name, "Hartlepool");
    assert_eq!(
        hartlepool_2019.compared_to_nation.as_deref(),
        Some("Similar")
    );
    assert_eq!(hartlepool_2019.period_order, 20_190_000);
    assert_eq!(hartlepool_2019.row, 5);

    // A suppressed figure is kept, with no value and its note.
    let suppressed = table
        .values
        .iter()
        .find(|value| value.area.as_str() == "E06000001" && value.period == "2020/21")
        .unwrap();
    assert_eq!(suppressed.value, None);
    assert_eq!(suppressed.lower_95, None);
    assert_eq!(
        suppressed.value_note.as_deref(),
        Some("Value suppressed for disclosure control due to small count")
    );

    // A breakdown within the nation keeps its category.
    let decile = table.values.last().unwrap();
    assert_eq!(
        decile.category.as_deref(),
        Some("Most deprived decile (IMD2019)")
    );
    assert!(
        table.values[..18]
            .iter()
            .all(|value| value.category.is_none())
    );
}

#[test]
fn columns_in_another_order_without_the_optional_ones_are_read() {
    let table = read_indicators(&fixture("fingertips-reordered.csv"), "wales.csv").unwrap();
    assert_eq!(table.values.len(), 3);
    let first = &table.values[0];
    assert_eq!(first.area.as_str(), "W92000004");
    assert_eq!(first.indicator_id, 90630);
    assert_eq!(first.value, Some(6.1));
    assert_eq!(first.lower_95, None);
    assert_eq!(first.compared_to_nation, None);
    // Without `Time period Sortable` the period is ordered by its first year.
    assert_eq!(first.period_order, 20_210_000);
    assert_eq!(table.values[2].period_order, 20_200_000);
    assert_eq!(table.latest_year, Some(2021));
}

#[test]
fn a_file_without_required_columns_is_refused_naming_them() {
    assert_eq!(
        problems(&fixture("fingertips-no-value.csv")),
        [
            "Row 1: the header has no “Time period”, “Value” columns: this does not look like a file downloaded from Fingertips, which has Indicator ID, Indicator Name, Area Code, Area Name, Area Type, Sex, Age, Time period and Value"
        ]
    );
}

#[test]
fn every_problem_in_a_broken_file_is_reported_by_row_and_column() {
    assert_eq!(
        problems(&fixture("fingertips-broken.csv")),
        [
            "Row 3, column E (\"Area Code\"): “E6000001” is not an area code: a GSS code is one letter (E, W, S, N or K) followed by 8 digits, like E06000001",
            "Row 4, column M (\"Value\"): the value “3.9%” is not a number",
            "Row 5, column N (\"Lower CI 95.0 limit\"): the lower 95% confidence limit (5) is above the upper one (3.3)",
            "Row 6, column A (\"Indicator ID\"): “x20101” is not an indicator ID, which is a whole number",
            "Row 7, column L (\"Time period\"): the time period is blank",
            "Row 8, column E (\"Area Code\"): indicator 20101 for E92000001 (Persons, All ages) in 2021 appears more than once; it is first on row 2",
        ]
    );
}

#[test]
fn empty_files_workbooks_and_duplicate_columns_are_refused() {
    assert_eq!(problems(b"  \n"), ["The file is empty"]);
    assert_eq!(
        problems(b"PK\x03\x04rest of a workbook"),
        [
            "The file is a spreadsheet workbook; Fingertips data is read as the CSV file that Fingertips downloads (\"Export table to CSV file\")"
        ]
    );
    assert_eq!(
        problems(
            b"Indicator ID,Indicator Name,Area Code,Area Name,Area Type,Sex,Age,Time period,Value\n"
        ),
        ["The file has a header row but no figures below it"]
    );
    assert_eq!(
        problems(
            b"Indicator ID,Indicator Name,Area Code,Area Name,Area Type,Sex,Age,Time period,Value,Value\n\
              1,A,E06000001,Hartlepool,UA,Persons,All ages,2021,1,2\n"
        ),
        ["Row 1, column J (\"Value\"): the column “Value” appears twice; it is first in column I"]
    );
}

#[test]
fn the_report_counts_every_problem() {
    let Err(found) = read_indicators(&fixture("fingertips-broken.csv"), "broken.csv") else {
        panic!("the broken file was read");
    };
    assert!(report(&found).starts_with("6 problems in the file:\nRow 3, column E"));
}

#[test]
fn rows_for_gp_practices_and_networks_are_left_out_and_counted() {
    // Their codes (A81001, U12345) are not GSS codes; the area rows around them are read.
    let table = read_indicators(
        &fixture("fingertips-with-practices.csv"),
        "fingertips-with-practices.csv",
    )
    .unwrap();
    let areas: Vec<&str> = table
        .values
        .iter()
        .map(|value| value.area.as_str())
        .collect();
    assert_eq!(areas, ["E92000001", "E06000001"]);
    assert_eq!(table.practice_rows_left_out, 2);
    assert_eq!(
        problems(&fixture("fingertips-practices-only.csv")),
        [
            "The file has figures for GP practices or primary care networks only; Cradle holds figures for areas (local authorities, health boards, regions and nations), so download the indicators for one of those area types"
        ]
    );
}
