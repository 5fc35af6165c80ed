//! Reads the committed fixtures (small files written in the published layouts) and checks the
//! figures and the exact messages a person importing them would see.

use std::path::PathBuf;

use cradle_domain::partnership::AreaCode;
use cradle_readers::{
    ColumnMapping, CountColumns, Layout, PopulationTable, Problems, read_population,
    read_population_mapped,
};
use rust_xlsxwriter::{Workbook, XlsxError};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn code(text: &str) -> AreaCode {
    text.parse()
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

#[track_caller]
fn messages(result: Result<PopulationTable, Problems>) -> Vec<String> {
    match result {
        Ok(table) => panic!("expected problems, read {} rows", table.rows.len()),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn nomis_extract_reads_real_hartlepool_figures() {
    let table = read_population(&fixture("nomis-mid2023.csv"), "nomis-mid2023.csv").unwrap();
    assert_eq!(table.source.layout, Layout::Nomis);
    assert_eq!(table.source.year, Some(2023));
    assert_eq!(table.source.sheet, None);
    assert_eq!(table.rows.len(), 6);
    let hartlepool = table.area(&code("E06000001")).unwrap();
    assert_eq!(hartlepool.name, "Hartlepool");
    assert_eq!(
        (0..=4)
            .map(|age| hartlepool.at_age(age))
            .collect::<Vec<_>>(),
        [915, 960, 981, 1066, 1081]
    );
    assert_eq!(hartlepool.aged(2, 4), 3128);
    assert_eq!(hartlepool.ages.len(), 91);
    assert_eq!(hartlepool.all_ages, Some(95366));
    assert_eq!(hartlepool.suspect, None);
    assert_eq!(hartlepool.row, 2);
    let cardiff = table.area(&code("W06000015")).unwrap();
    assert_eq!(cardiff.at_age(0), 3555);
}

#[test]
fn fractional_rows_are_accepted_but_flagged_as_suspect() {
    let table = read_population(&fixture("nomis-mid2023.csv"), "nomis-mid2023.csv").unwrap();
    let suspect: Vec<&str> = table.suspect_rows().map(|row| row.area.as_str()).collect();
    assert_eq!(suspect, ["S12000036"]);
    let edinburgh = table.area(&code("S12000036")).unwrap();
    assert_eq!(edinburgh.at_age(0), 5080, "rounded to whole people");
    assert_eq!(
        edinburgh.suspect.as_deref(),
        Some(
            "counts are not whole numbers (age 0 is 5079.93), so these figures look modelled or \
             imputed rather than published; check them against the publisher's own table before use"
        )
    );
}

#[test]
fn mye2_reads_quoted_thousands_and_the_geography_column() {
    let table = read_population(
        &fixture("mye2-persons-mid2019.csv"),
        "mye2-persons-mid2019.csv",
    )
    .unwrap();
    assert_eq!(table.source.layout, Layout::OnsMye2);
    assert_eq!(table.source.publisher, "Office for National Statistics");
    assert_eq!(table.source.year, Some(2019));
    let uk = table.area(&code("K02000001")).unwrap();
    assert_eq!(uk.at_age(0), 722_881);
    assert_eq!(uk.geography.as_deref(), Some("Country"));
    assert_eq!(uk.all_ages, Some(66_796_807));
    let hartlepool = table.area(&code("E06000001")).unwrap();
    assert_eq!(hartlepool.at_age(0), 1006);
    assert_eq!(hartlepool.geography.as_deref(), Some("Unitary Authority"));
    assert_eq!(
        table.suspect_rows().count(),
        0,
        "published ages add up to All ages"
    );
    let belfast = table.area(&code("N09000003")).unwrap();
    assert_eq!(belfast.name, "Belfast");
}

#[test]
fn a_bad_area_code_is_named_with_row_and_column() {
    assert_eq!(
        messages(read_population(
            &fixture("nomis-bad-code.csv"),
            "nomis-bad-code.csv"
        )),
        [
            "Row 3, column A (\"code\"): “E0600002” is not an area code: a GSS code is one letter \
             (E, W, S, N or K) followed by 8 digits, like E06000001"
        ]
    );
}

#[test]
fn every_bad_count_is_reported_not_just_the_first() {
    assert_eq!(
        messages(read_population(&fixture("nomis-not-a-number.csv"), "x.csv")),
        [
            "Row 4, column D (\"0\"): “abc” is not a number",
            "Row 5, column F (\"2\"): “-4” is below zero; a count of people cannot be negative",
        ]
    );
}

#[test]
fn a_repeated_area_is_rejected() {
    assert_eq!(
        messages(read_population(&fixture("nomis-duplicate.csv"), "x.csv")),
        ["Row 8, column A (\"code\"): E06000001 appears more than once; it is first on row 2"]
    );
}

#[test]
fn a_missing_age_column_is_named() {
    assert_eq!(
        messages(read_population(&fixture("nomis-missing-age.csv"), "x.csv")),
        [
            "Row 1: no column for age 4; a population table needs a column for each age from 0 \
             to 89 and one for 90+"
        ]
    );
}

#[test]
fn an_unknown_layout_points_to_the_column_mapping() {
    assert_eq!(
        messages(read_population(&fixture("population-long.csv"), "x.csv")),
        [
            "No header row found in the first 50 rows: expected a column headed Code (or code, \
             areacd) and columns for ages 0 to 89 and 90+. For another layout, import it with a \
             column mapping"
        ]
    );
    assert_eq!(
        messages(read_population(b" \n", "x.csv")),
        ["The file is empty"]
    );
}

fn long_mapping() -> ColumnMapping {
    ColumnMapping {
        area_code: "LA code".into(),
        area_name: Some("LA name".into()),
        counts: CountColumns::AgeAndCount {
            age: "Age".into(),
            count: "Persons".into(),
        },
        year: Some("year".into()),
        publisher: "Example statistics office".into(),
        edition: "Population by age".into(),
    }
}

#[test]
fn a_mapped_long_file_reads_one_row_per_area_and_age() {
    let table = read_population_mapped(
        &fixture("population-long.csv"),
        "population.csv",
        &long_mapping(),
    )
    .unwrap();
    assert_eq!(table.source.layout, Layout::Mapped);
    assert_eq!(table.source.year, Some(2023));
    assert_eq!(table.source.publisher, "Example statistics office");
    let names: Vec<&str> = table.rows.iter().map(|row| row.name.as_str()).collect();
    assert_eq!(names, ["Hartlepool", "Cardiff"]);
    assert_eq!(table.rows[0].aged(0, 4), 915 + 960 + 981 + 1066 + 1081);
    assert_eq!(table.rows[0].row, 3, "the All ages row is skipped");
    assert_eq!(table.rows[1].at_age(1), 3908);
}

#[test]
fn a_mapped_long_file_reports_repeats_bad_ages_and_mixed_years() {
    assert_eq!(
        messages(read_population_mapped(
            &fixture("population-long-broken.csv"),
            "x.csv",
            &long_mapping()
        )),
        [
            "Row 4, column D (\"Age\"): E06000001 age 1 appears more than once; it is first on row 3",
            "Row 5, column D (\"Age\"): “two” is not an age: write whole years, such as 0, 4 or 90+",
            "The file holds more than one year (2022, 2023); import one year at a time",
        ]
    );
}

#[test]
fn a_mapping_naming_a_missing_column_lists_the_columns() {
    let mapping = ColumnMapping {
        counts: CountColumns::AgeAndCount {
            age: "Age".into(),
            count: "Count".into(),
        },
        ..long_mapping()
    };
    assert_eq!(
        messages(read_population_mapped(
            &fixture("population-long.csv"),
            "x.csv",
            &mapping
        )),
        ["Row 1: no column headed “Count”; the columns are: LA code, LA name, Year, Age, Persons"]
    );
}

#[test]
fn a_mapped_wide_file_reads_age_columns() {
    let mapping = ColumnMapping {
        area_code: "code".into(),
        area_name: Some("name".into()),
        counts: CountColumns::OnePerAge,
        year: None,
        publisher: "ONS".into(),
        edition: "Nomis".into(),
    };
    let table =
        read_population_mapped(&fixture("nomis-mid2023.csv"), "nomis-mid2023.csv", &mapping)
            .unwrap();
    assert_eq!(table.rows.len(), 6);
    assert_eq!(table.rows[0].aged(0, 0), 915);
}

/// Writes an ONS-style workbook: a contents sheet first, then the table below title rows,
/// with ages as numeric headings (as Excel stores them) and a source note under the table.
fn workbook(hartlepool_age_0: Result<f64, &str>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let contents = book.add_worksheet();
    contents.set_name("Contents")?;
    contents.write_string(0, 0, "Population estimates for the UK")?;
    let sheet = book.add_worksheet();
    sheet.set_name("MYE2 - Persons")?;
    sheet.write_string(0, 0, "Mid-2023 population estimates by single year of age")?;
    sheet.write_string(1, 0, "Figures may not add due to rounding")?;
    let header_row = 5;
    for (column, heading) in ["Code", "Name", "Geography", "All ages"].iter().enumerate() {
        sheet.write_string(header_row, column as u16, *heading)?;
    }
    for age in 0..=89u16 {
        sheet.write_number(header_row, 4 + age, f64::from(age))?;
    }
    sheet.write_string(header_row, 94, "90+")?;
    let areas = [
        ("E06000001", "Hartlepool", 915.0),
        ("W06000015", "Cardiff", 3555.0),
    ];
    for (offset, (code, name, age_0)) in areas.iter().enumerate() {
        let row = header_row + 1 + offset as u32;
        sheet.write_string(row, 0, *code)?;
        sheet.write_string(row, 1, *name)?;
        sheet.write_string(row, 2, "Unitary Authority")?;
        match (offset, hartlepool_age_0) {
            (0, Err(text)) => sheet.write_string(row, 4, text).map(|_| ())?,
            (0, Ok(number)) => sheet.write_number(row, 4, number).map(|_| ())?,
            _ => sheet.write_number(row, 4, *age_0).map(|_| ())?,
        }
        for column in 5..=94u16 {
            sheet.write_number(row, column, 100.0)?;
        }
        let total = match (offset, hartlepool_age_0) {
            (0, Ok(number)) => number + 9000.0,
            _ => age_0 + 9000.0,
        };
        sheet.write_number(row, 3, total)?;
    }
    sheet.write_string(header_row + 4, 0, "Source: Office for National Statistics")?;
    book.save_to_buffer()
}

#[test]
fn an_xlsx_table_below_title_rows_is_found_on_its_sheet() {
    let table = read_population(&workbook(Ok(915.0)).unwrap(), "mye2.xlsx").unwrap();
    assert_eq!(table.source.sheet.as_deref(), Some("MYE2 - Persons"));
    assert_eq!(table.source.layout, Layout::OnsMye2);
    assert_eq!(table.source.year, Some(2023), "read from the title row");
    assert_eq!(table.rows.len(), 2, "the source note is not an area");
    let hartlepool = &table.rows[0];
    assert_eq!(hartlepool.row, 7, "row numbers match Excel's");
    assert_eq!(hartlepool.at_age(0), 915);
    assert_eq!(hartlepool.at_age(90), 100);
    assert_eq!(hartlepool.suspect, None);
}

#[test]
fn xlsx_problems_name_the_sheet() {
    assert_eq!(
        messages(read_population(&workbook(Err("abc")).unwrap(), "mye2.xlsx")),
        ["Sheet \"MYE2 - Persons\", row 7, column E (\"0\"): “abc” is not a number"]
    );
}

#[test]
fn a_workbook_without_a_table_lists_the_sheets_searched() {
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Contents").unwrap();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "Notes")
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(
        messages(read_population(&bytes, "empty.xlsx")),
        [
            "No sheet has a population table (looked in “Contents”, “Notes”): expected a header \
             row with a column headed Code (or code, areacd) and columns for ages 0 to 89 and \
             90+. For another layout, import it with a column mapping"
        ]
    );
}

/// The real ONS files beside the project, when present; CI does not depend on them.
fn shared_data(name: &str) -> Option<Vec<u8>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(_) => {
            println!("skipped: {} is not here", path.display());
            None
        }
    }
}

#[test]
fn real_nomis_mid2023_file_when_present() {
    let Some(bytes) = shared_data("population/ons-mye-lad23-mid2023-ew.csv") else {
        return;
    };
    let table = read_population(&bytes, "ons-mye-lad23-mid2023-ew.csv").unwrap();
    assert_eq!(table.source.year, Some(2023));
    let real: u64 = table
        .rows
        .iter()
        .filter(|row| matches!(row.area.as_str().as_bytes().first(), Some(b'E' | b'W')))
        .map(|row| row.all_ages.unwrap_or(0))
        .sum();
    assert_eq!(
        real, 60_854_727,
        "England and Wales total, as the data README gives it"
    );
    assert!(
        table
            .rows
            .iter()
            .filter(|row| row.suspect.is_some())
            .all(|row| matches!(row.area.as_str().as_bytes().first(), Some(b'S' | b'N'))),
        "only the imputed Scottish and Northern Irish rows are suspect"
    );
    assert!(table.suspect_rows().count() > 0);
    assert_eq!(table.area(&code("E06000001")).unwrap().aged(0, 4), 5003);
}

#[test]
fn real_mye2_mid2019_file_when_present() {
    let Some(bytes) = shared_data("population/ons-mye2-persons-mid2019-uk.csv") else {
        return;
    };
    let table = read_population(&bytes, "ons-mye2-persons-mid2019-uk.csv").unwrap();
    assert_eq!(table.rows.len(), 426);
    assert_eq!(table.suspect_rows().count(), 0);
    let uk = table.area(&code("K02000001")).unwrap();
    // Local-authority rows (the lowest tier in each nation) sum to the UK for ages 0–4.
    let lowest_tier = [
        "Non-metropolitan District",
        "Unitary Authority",
        "Metropolitan District",
        "London Borough",
        "Council Area",
        "Local Government District",
    ];
    let sum: u64 = table
        .rows
        .iter()
        .filter(|row| {
            row.geography
                .as_deref()
                .is_some_and(|kind| lowest_tier.contains(&kind))
        })
        .map(|row| row.aged(0, 4))
        .sum();
    assert_eq!(sum, uk.aged(0, 4));
}

mod properties {
    use cradle_readers::read_population;
    use proptest::prelude::*;

    /// Writes a Nomis-style CSV, with counts written with or without a `.0`.
    fn nomis_csv(areas: &[(u32, Vec<u32>)], decimals: bool) -> String {
        let mut text = String::from("code,name,all");
        for age in 0..90 {
            text.push_str(&format!(",{age}"));
        }
        text.push_str(",90+\n");
        for (index, (_, counts)) in areas.iter().enumerate() {
            let total: u64 = counts.iter().map(|&count| u64::from(count)).sum();
            text.push_str(&format!("E06{index:06},Area {index},{total}"));
            for count in counts {
                if decimals {
                    text.push_str(&format!(",{count}.0"));
                } else {
                    text.push_str(&format!(",{count}"));
                }
            }
            text.push('\n');
        }
        text
    }

    proptest! {
        #[test]
        fn whole_counts_read_back_exactly(
            areas in prop::collection::vec((any::<u32>(), prop::collection::vec(0u32..200_000, 91)), 1..8),
            decimals in any::<bool>(),
        ) {
            let text = nomis_csv(&areas, decimals);
            let table = read_population(text.as_bytes(), "p.csv").unwrap();
            prop_assert_eq!(table.rows.len(), areas.len());
            for (row, (_, counts)) in table.rows.iter().zip(&areas) {
                let read: Vec<u64> = row.ages.values().copied().collect();
                let written: Vec<u64> = counts.iter().map(|&count| u64::from(count)).collect();
                prop_assert_eq!(read, written);
                prop_assert!(row.suspect.is_none());
            }
        }
    }
}

#[test]
fn an_imported_table_feeds_the_need_estimate_with_the_content_figures() {
    let table = read_population(&fixture("nomis-mid2023.csv"), "nomis-mid2023.csv").unwrap();
    let views: Vec<_> = table.rows.iter().map(|row| row.need_view()).collect();
    let content = cradle_content::embedded().unwrap();
    let assumptions: Vec<_> = content
        .prevalence
        .iter()
        .map(|prevalence| prevalence.assumption().unwrap())
        .collect();
    let result = cradle_domain::need::estimate(&views, &assumptions, &[]);
    let hartlepool = &result.areas[0];
    let working = |id: &str| {
        hartlepool
            .lines
            .iter()
            .find(|line| line.assumption == id)
            .map(|line| line.working.as_str())
            .unwrap()
    };
    assert_eq!(
        working("postpartum-psychosis"),
        "915 babies under 1 × 0.89–2.6 per 1,000 (central 2) = 1–2 (central 2)"
    );
    assert_eq!(
        working("mental-disorder-2-to-4"),
        "3,128 children aged 2–4 × 4.2–6.8 per 100 (central 5.5) = 131–213 (central 172)"
    );
    let edinburgh = result
        .areas
        .iter()
        .find(|area| area.name == "City of Edinburgh")
        .unwrap();
    assert!(
        edinburgh
            .caution
            .as_deref()
            .is_some_and(|caution| caution.starts_with("counts are not whole numbers"))
    );
}

#[test]
fn a_national_records_of_scotland_table_by_sex_keeps_the_persons_rows() {
    let table =
        read_population(&fixture("nrs-mid2022-by-sex.csv"), "nrs-mid2022-by-sex.csv").unwrap();
    assert_eq!(table.source.publisher, "National Records of Scotland");
    assert_eq!(
        table.source.edition,
        "Mid-year population estimates by sex and single year of age (persons)"
    );
    assert_eq!(table.source.year, Some(2022));
    let codes: Vec<&str> = table.rows.iter().map(|row| row.area.as_str()).collect();
    assert_eq!(codes, ["S92000003", "S12000033", "S12000036"]);
    let edinburgh = &table.rows[2];
    assert_eq!(edinburgh.name, "City of Edinburgh");
    // Persons, the sum of the Females and Males rows below it.
    assert_eq!(edinburgh.at_age(0), 4500);
    assert_eq!(edinburgh.row, 11);
    assert!(table.rows.iter().all(|row| row.suspect.is_none()));
}

#[test]
fn a_sex_that_is_not_persons_females_or_males_is_a_problem() {
    let problems: Vec<String> = read_population(&fixture("nrs-unknown-sex.csv"), "nrs.csv")
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "Row 6, column C (\"Sex\"): “Female persons” is not a sex Cradle reads: expected Persons (kept), Females or Males (left out)"
        ]
    );
}

#[test]
fn a_long_file_by_sex_in_the_nisra_layout_keeps_the_all_persons_rows() {
    // NISRA's flat files give one row per area, year, sex and age.
    let mapping = ColumnMapping {
        area_code: "area_code".into(),
        area_name: Some("area_name".into()),
        counts: CountColumns::AgeAndCount {
            age: "age".into(),
            count: "MYE".into(),
        },
        year: Some("year".into()),
        publisher: "Northern Ireland Statistics and Research Agency".into(),
        edition: "Mid-year population estimates".into(),
    };
    let table = read_population_mapped(
        &fixture("nisra-mye-2022-long.csv"),
        "nisra-mye-2022-long.csv",
        &mapping,
    )
    .unwrap();
    assert_eq!(table.source.year, Some(2022));
    let codes: Vec<&str> = table.rows.iter().map(|row| row.area.as_str()).collect();
    assert_eq!(codes, ["N92000002", "N09000003"]);
    let belfast = &table.rows[1];
    assert_eq!(belfast.name, "Belfast");
    assert_eq!(belfast.ages.len(), 91);
    // The All persons figure, not the sum of three rows.
    assert_eq!(belfast.at_age(0), 4300);
    assert_eq!(belfast.at_age(1), 5590);
}

#[test]
fn nisra_flat_files_are_recognised_without_a_mapping() {
    let table = read_population(
        &fixture("nisra-mye-2022-long.csv"),
        "nisra-mye-2022-long.csv",
    )
    .unwrap();
    assert_eq!(table.source.layout, Layout::NisraFlat);
    assert_eq!(
        table.source.publisher,
        "Northern Ireland Statistics and Research Agency"
    );
    assert_eq!(table.source.year, Some(2022));
    let belfast = &table.rows[1];
    assert_eq!(
        (belfast.area.as_str(), belfast.at_age(0)),
        ("N09000003", 4300)
    );
}
