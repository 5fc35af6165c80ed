//! The service map importer against files written by hand (CSV) and by a spreadsheet
//! library (XLSX).

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use cradle_domain::Tier;
use cradle_readers::read_services;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use time::macros::date;

const GOOD: &[u8] = include_bytes!("fixtures/services_good.csv");
const BAD: &[u8] = include_bytes!("fixtures/services_bad.csv");

#[test]
fn a_good_file_reads_every_service() {
    let services = read_services(GOOD).unwrap();
    let keys: Vec<&str> = services.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["HV-01", "MW-01", "FH-01", "PNMH-01", "EY-01"]);
    let pnmh = &services[3];
    assert_eq!(pnmh.tier, Tier::Specialist);
    assert_eq!(pnmh.referral_from, ["HV-01", "MW-01"]);
    assert_eq!(pnmh.funding_end, Some(date!(2026 - 12 - 31)));
    assert_eq!(services[4].capacity_families_per_year, None);
}

#[test]
fn a_bad_file_lists_every_problem_by_row_and_column() {
    let problems: Vec<String> = read_services(BAD)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "Row 3, column \"tier\": “tier 9” is not a tier of need; expected one of: universal, universal-plus, targeted, specialist, acute",
            "Row 4, column \"age_bands\": “toddlers” is not an age band; expected one of: pregnancy, 0-6m, 6-12m, 1-2y, 2-3y, 3-5y",
            "Row 4, column \"works_with_relationship\": “maybe” is not yes or no",
            "Row 4, column \"capacity_families_per_year\": “lots” is not a whole number of families (0 to 1000000)",
            "Row 4, column \"funding_end\": “31/02/2027” is not a date: write it as YYYY-MM-DD (for example 2027-03-31) or DD/MM/YYYY",
            "Row 5, column \"key\": “hv-01” is also the key on row 2; each service needs its own key",
        ]
    );
}

#[test]
fn an_excel_workbook_reads_like_the_same_csv_with_real_dates_and_numbers() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "Key",
        "Name",
        "Provider",
        "Sector",
        "Tier",
        "Age bands",
        "Levels",
        "Elements",
        "Works with relationship",
        "Capacity families per year",
        "Funding end",
    ];
    for (column, heading) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *heading).unwrap();
    }
    let row = [
        "PIT-01",
        "Parent–infant team",
        "Tees NHS",
        "health",
        "Specialist",
        "0-6m;6-12m",
        "caregiving",
        "being-emotional",
    ];
    for (column, value) in row.iter().enumerate() {
        sheet.write_string(1, column as u16, *value).unwrap();
    }
    sheet.write_boolean(1, 8, true).unwrap();
    sheet.write_number(1, 9, 120.0).unwrap();
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_datetime_with_format(
            1,
            10,
            ExcelDateTime::from_ymd(2027, 3, 31).unwrap(),
            &date_format,
        )
        .unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let services = read_services(&bytes).unwrap();
    assert_eq!(services.len(), 1);
    let service = &services[0];
    assert_eq!(service.tier, Tier::Specialist);
    assert!(service.works_with_relationship);
    assert_eq!(service.capacity_families_per_year, Some(120));
    assert_eq!(service.funding_end, Some(date!(2027 - 03 - 31)));
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_refused_whole() {
    let problems = read_services(b"PK\x03\x04 not really a zip").unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]
            .message
            .starts_with("The file cannot be opened as an Excel workbook"),
        "{}",
        problems[0]
    );
}
