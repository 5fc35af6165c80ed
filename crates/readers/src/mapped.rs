//! Population files in layouts Cradle does not recognise from the header, read through a
//! [`ColumnMapping`] naming their columns: one row per area with a column per age, or one
//! row per area and age (NISRA's flat files, StatsWales downloads).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cradle_domain::partnership::AreaCode;

use crate::grid::{Cell, Grid};
use crate::numbers;
use crate::population::{
    ALL_AGES_HEADINGS, AreaPopulation, HEADER_SEARCH_ROWS, Layout, PopulationTable, SEX_HEADINGS,
    SourceInfo, WidePlan, age, counts_everyone, finish, fractional_reason, grids, header_row,
    is_one_of, quoted_list, read_area_code, read_count, read_wide_rows, year_from_titles,
};
use crate::problem::{ColumnRef, Problem, ProblemList, Problems};

/// The columns of a file whose layout Cradle does not recognise, named by their headings
/// (compared ignoring case and surrounding spaces). Covers, for example, National Records of
/// Scotland, StatsWales and NISRA downloads once their columns are named here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The column of GSS area codes.
    pub area_code: String,
    pub area_name: Option<String>,
    pub counts: CountColumns,
    /// A column holding the reference year; every row must give the same year.
    pub year: Option<String>,
    /// Who published the file, for the table's [`SourceInfo`].
    pub publisher: String,
    /// Which publication it is.
    pub edition: String,
}

/// Where the counts are in a mapped file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountColumns {
    /// One column per age, headed `0`, `1`, … and `90+` (one row per area, like MYE2). Ages
    /// older than 90 are added into 90+.
    OnePerAge,
    /// One row per area and age: a column of ages (`0` … `90+`; rows whose age is `All ages`
    /// or `Total` are skipped) and a column of counts.
    AgeAndCount { age: String, count: String },
}

/// Whether a sheet has NISRA's flat-file header (`area_code`, `age` and `MYE` columns).
pub(crate) fn is_nisra_flat(grid: &Grid) -> bool {
    header_row(grid, |row| {
        ["area_code", "age", "mye"]
            .iter()
            .all(|heading| row.cells.iter().any(|cell| is_one_of(cell, &[heading])))
    })
    .is_some()
}

/// The columns of NISRA's flat files of mid-year estimates.
pub(crate) fn nisra_flat_mapping() -> ColumnMapping {
    ColumnMapping {
        area_code: "area_code".into(),
        area_name: Some("area_name".into()),
        counts: CountColumns::AgeAndCount {
            age: "age".into(),
            count: "MYE".into(),
        },
        year: Some("year".into()),
        publisher: "Northern Ireland Statistics and Research Agency".into(),
        edition: "Mid-year population estimates (flat file, persons)".into(),
    }
}

/// Reads a population file, CSV or XLSX, through a column mapping.
pub fn read_population_mapped(
    bytes: &[u8],
    file_name: &str,
    mapping: &ColumnMapping,
) -> Result<PopulationTable, Problems> {
    let grids = grids(bytes)?;
    let code_heading = mapping.area_code.trim().to_lowercase();
    let found = grids.iter().find_map(|grid| {
        header_row(grid, |row| {
            row.cells
                .iter()
                .any(|cell| cell.text().to_lowercase() == code_heading)
        })
        .map(|index| (grid, index))
    });
    let Some((grid, header_index)) = found else {
        let sheets: Vec<String> = grids.iter().filter_map(|grid| grid.sheet.clone()).collect();
        let place = if sheets.is_empty() {
            String::new()
        } else {
            format!(" in sheets {}", quoted_list(&sheets))
        };
        return Err(vec![Problem::file(format!(
            "No column headed “{}” found in the first {HEADER_SEARCH_ROWS} rows{place}",
            mapping.area_code.trim()
        ))]
        .into());
    };
    let header = &grid.rows[header_index];
    let mut problems = ProblemList::default();
    let mut column = |heading: &str| -> Option<usize> {
        let wanted = heading.trim().to_lowercase();
        let found = header
            .cells
            .iter()
            .position(|cell| cell.text().to_lowercase() == wanted);
        if found.is_none() {
            let headings: Vec<String> = header.cells.iter().map(Cell::text).collect();
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(header.number),
                column: None,
                message: format!(
                    "no column headed “{}”; the columns are: {}",
                    heading.trim(),
                    headings.join(", ")
                ),
            });
        }
        found
    };
    let code = column(&mapping.area_code);
    let name = mapping.area_name.as_deref().and_then(&mut column);
    let year = mapping.year.as_deref().and_then(&mut column);
    let (rows, years) = match &mapping.counts {
        CountColumns::OnePerAge => {
            let plan = WidePlan::from_header(grid, header_index, code, name);
            if plan.ages.is_empty() {
                problems.push(Problem {
                    sheet: grid.sheet.clone(),
                    row: Some(header.number),
                    column: None,
                    message: "no age columns: expected headings such as 0, 1, 2 … 90+".into(),
                });
            }
            match code {
                Some(_) if problems.is_empty() => {
                    let rows = read_wide_rows(grid, &plan, &mut problems);
                    let years = read_years(grid, header_index, year, &mut problems);
                    (rows, years)
                }
                _ => (Vec::new(), BTreeSet::new()),
            }
        }
        CountColumns::AgeAndCount { age, count } => {
            let age = column(age);
            let count = column(count);
            match (code, age, count) {
                (Some(code), Some(age), Some(count)) if problems.is_empty() => {
                    let columns = LongColumns {
                        code,
                        name,
                        age,
                        count,
                        sex: header
                            .cells
                            .iter()
                            .position(|cell| is_one_of(cell, SEX_HEADINGS)),
                    };
                    let rows = read_long_rows(grid, header_index, &columns, &mut problems);
                    let years = read_years(grid, header_index, year, &mut problems);
                    (rows, years)
                }
                _ => (Vec::new(), BTreeSet::new()),
            }
        }
    };
    if years.len() > 1 {
        let list: Vec<String> = years.iter().map(u16::to_string).collect();
        problems.push(Problem::file(format!(
            "The file holds more than one year ({}); import one year at a time",
            list.join(", ")
        )));
    }
    let year = years
        .first()
        .copied()
        .or_else(|| year_from_titles(grid, header_index))
        .or_else(|| numbers::mid_year(file_name));
    finish(problems, rows, || SourceInfo {
        file_name: file_name.to_owned(),
        publisher: mapping.publisher.clone(),
        edition: mapping.edition.clone(),
        year,
        layout: Layout::Mapped,
        sheet: grid.sheet.clone(),
    })
}

struct LongColumns {
    code: usize,
    name: Option<usize>,
    age: usize,
    count: usize,
    /// A column of Persons / Females / Males, found by its heading (`Sex`, `Gender`).
    sex: Option<usize>,
}

fn read_long_rows(
    grid: &Grid,
    header_index: usize,
    columns: &LongColumns,
    problems: &mut ProblemList,
) -> Vec<AreaPopulation> {
    let header = &grid.rows[header_index];
    let column = |index: usize| {
        let heading = header.cell(index).text();
        ColumnRef::at(
            index,
            Some(heading.as_str()).filter(|text| !text.is_empty()),
        )
    };
    // Areas in the order first seen, each with the rows of each age, to report repeats.
    let mut order: Vec<AreaCode> = Vec::new();
    let mut areas: HashMap<AreaCode, (AreaPopulation, HashMap<String, usize>, bool)> =
        HashMap::new();
    for row in &grid.rows[header_index + 1..] {
        if row.is_blank() {
            continue;
        }
        let age_text = row.cell(columns.age).text();
        if is_one_of(row.cell(columns.age), ALL_AGES_HEADINGS) {
            continue;
        }
        if let Some(sex) = columns.sex
            && !counts_everyone(grid, row, sex, column(sex), problems)
        {
            continue;
        }
        let code = read_area_code(
            grid,
            row,
            column(columns.code),
            row.cell(columns.code),
            problems,
        );
        let age_value = age(&age_text);
        if age_value.is_none() {
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(column(columns.age)),
                message: format!(
                    "“{age_text}” is not an age: write whole years, such as 0, 4 or 90+"
                ),
            });
        }
        let counted = read_count(
            grid,
            row,
            column(columns.count),
            row.cell(columns.count),
            problems,
        );
        let (Some(code), Some(age_value)) = (code, age_value) else {
            continue;
        };
        let (area, seen, _) = areas.entry(code.clone()).or_insert_with(|| {
            order.push(code.clone());
            let name = columns
                .name
                .map(|index| row.cell(index).text())
                .unwrap_or_default();
            (
                AreaPopulation {
                    area: code.clone(),
                    name,
                    geography: None,
                    ages: BTreeMap::new(),
                    all_ages: None,
                    suspect: None,
                    row: row.number,
                },
                HashMap::new(),
                true,
            )
        });
        let label = age_text.to_lowercase();
        if let Some(first) = seen.get(&label) {
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(column(columns.age)),
                message: format!(
                    "{code} age {age_text} appears more than once; it is first on row {first}"
                ),
            });
            continue;
        }
        seen.insert(label, row.number);
        if let Some(counted) = counted {
            *area.ages.entry(age_value).or_insert(0) += counted.value;
            if area.suspect.is_none() {
                area.suspect = counted
                    .fractional
                    .map(|value| fractional_reason(age_value, value));
            }
        }
    }
    // Every area must give the same ages, or sums over an age range would mislead. Worth
    // reporting only once the rows themselves are sound.
    let rows_were_sound = problems.is_empty();
    let all_ages: BTreeSet<u8> = areas
        .values()
        .flat_map(|(area, _, _)| area.ages.keys().copied())
        .collect();
    let mut rows = Vec::new();
    for code in order {
        let Some((area, _, _)) = areas.remove(&code) else {
            continue;
        };
        let missing: Vec<String> = all_ages
            .iter()
            .filter(|age| !area.ages.contains_key(age))
            .map(u8::to_string)
            .collect();
        if !missing.is_empty() && rows_were_sound {
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(area.row),
                column: Some(column(columns.code)),
                message: format!(
                    "{code} has no count for age {}, which other areas have",
                    missing.join(", ")
                ),
            });
        }
        rows.push(area);
    }
    rows
}

/// The distinct years in a mapped year column.
fn read_years(
    grid: &Grid,
    header_index: usize,
    column: Option<usize>,
    problems: &mut ProblemList,
) -> BTreeSet<u16> {
    let mut years = BTreeSet::new();
    let Some(column) = column else {
        return years;
    };
    let heading = grid.rows[header_index].cell(column).text();
    for row in &grid.rows[header_index + 1..] {
        if row.is_blank() {
            continue;
        }
        let text = row.cell(column).text();
        match text
            .parse::<u16>()
            .ok()
            .filter(|year| (1900..=2100).contains(year))
        {
            Some(year) => {
                years.insert(year);
            }
            None => problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(ColumnRef::at(column, Some(heading.as_str()))),
                message: format!("“{text}” is not a year between 1900 and 2100"),
            }),
        }
    }
    years
}
