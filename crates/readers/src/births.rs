//! Live births by area, as ONS publishes them in "Births by area of usual residence of
//! mother" (and any table in the same shape), CSV or XLSX, with title rows above the table. The table needs a column of GSS area codes and one of live births; a name
//! column is read when there is one. Other columns (fertility rates, births by sex or age
//! of mother) are ignored.

use std::collections::HashSet;

use cradle_domain::partnership::AreaCode;

use crate::grid::{Cell, Grid, Row};
use crate::population::{
    AreaPopulation, CODE_HEADINGS, Layout, NAME_HEADINGS, PopulationTable, SourceInfo, grids,
    header_row, is_one_of, quoted_list, read_area_code, read_count,
};
use crate::problem::{self, ColumnRef, Problem, ProblemList, Problems};

/// Headings of the area code and name columns that births tables use beyond those of
/// population files, compared in lower case.
const MORE_CODE_HEADINGS: &[&str] = &[
    "area of usual residence code",
    "area of residence code",
    "council area code",
];
const MORE_NAME_HEADINGS: &[&str] = &[
    "area of usual residence name",
    "area of residence name",
    "council area name",
    "council area",
];
/// Headings of the live births column: the total, not births by sex.
const BIRTHS_HEADINGS: &[&str] = &[
    "live births",
    "number of live births",
    "all live births",
    "total live births",
    "live births: total",
    "number of live births: total",
    "live births (total)",
    "births",
    "all births",
];

/// One area's live births in the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaBirths {
    pub area: AreaCode,
    pub name: String,
    pub births: u64,
    /// The row it was read from (1-based).
    pub row: usize,
}

/// A checked births table: every code valid, every count a whole number, no area twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthsTable {
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// The calendar year of the births, from the titles above the table or the file name.
    pub year: Option<u16>,
    /// The worksheet the table was read from, for XLSX files.
    pub sheet: Option<String>,
    pub rows: Vec<AreaBirths>,
}

impl BirthsTable {
    /// The table as population counts, each area's births in the year counted at age 0
    /// (they are that year's babies), so that they are kept and read like population
    /// files; [`Layout::Births`] says which they are.
    pub fn as_population(&self) -> PopulationTable {
        PopulationTable {
            source: SourceInfo {
                file_name: self.file_name.clone(),
                publisher: self.publisher.clone(),
                edition: self.edition.clone(),
                year: self.year,
                layout: Layout::Births,
                sheet: self.sheet.clone(),
            },
            rows: self
                .rows
                .iter()
                .map(|row| AreaPopulation {
                    area: row.area.clone(),
                    name: row.name.clone(),
                    geography: None,
                    ages: [(0, row.births)].into(),
                    all_ages: None,
                    suspect: None,
                    row: row.row,
                })
                .collect(),
        }
    }
}

/// The births table on `grid`, read, if the sheet has a births header (an area code and a
/// live births column); `None` if it does not. [`crate::read_population`] uses this too,
/// so that one upload takes either kind of file.
pub(crate) fn births_in(grid: &Grid, file_name: &str) -> Option<Result<BirthsTable, Problems>> {
    find_header(grid).map(|plan| read_table(grid, &plan, file_name))
}

/// Reads a live births file. Any problem means no table: every problem found is returned.
pub fn read_births(bytes: &[u8], file_name: &str) -> Result<BirthsTable, Problems> {
    let grids = grids(bytes)?;
    let mut searched = Vec::new();
    for grid in &grids {
        if let Some(table) = births_in(grid, file_name) {
            return table;
        }
        searched.extend(grid.sheet.clone());
    }
    let expected = "a header row with a column of area codes (Code, Area code) and one of live births (Live births, Number of live births)";
    let message = if searched.is_empty() {
        format!("No births table found: expected {expected}")
    } else {
        format!(
            "No sheet has a births table (looked in {}): expected {expected}",
            quoted_list(&searched)
        )
    };
    Err(vec![Problem::file(message)].into())
}

struct Plan {
    header_index: usize,
    code: usize,
    name: Option<usize>,
    births: usize,
}

fn find_header(grid: &Grid) -> Option<Plan> {
    let code = |row: &Row| position(row, &[CODE_HEADINGS, MORE_CODE_HEADINGS]);
    let births = |row: &Row| position(row, &[BIRTHS_HEADINGS]);
    let header_index = header_row(grid, |row| code(row).is_some() && births(row).is_some())?;
    let header = &grid.rows[header_index];
    Some(Plan {
        header_index,
        code: code(header)?,
        name: position(header, &[NAME_HEADINGS, MORE_NAME_HEADINGS]),
        births: births(header)?,
    })
}

/// The first column whose heading is in any of `headings`.
fn position(row: &Row, headings: &[&[&str]]) -> Option<usize> {
    row.cells
        .iter()
        .position(|cell| headings.iter().any(|list| is_one_of(cell, list)))
}

fn read_table(grid: &Grid, plan: &Plan, file_name: &str) -> Result<BirthsTable, Problems> {
    let header = &grid.rows[plan.header_index];
    let column =
        |index: usize| ColumnRef::at(index, header.cells.get(index).map(Cell::text).as_deref());
    let mut problems = ProblemList::default();
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for row in &grid.rows[plan.header_index + 1..] {
        if row.is_blank() {
            continue;
        }
        // A note below the table: one cell of text and no births.
        let filled = row.cells.iter().filter(|cell| !cell.is_blank()).count();
        if filled <= 1 && row.cell(plan.births).is_blank() {
            continue;
        }
        let area = read_area_code(
            grid,
            row,
            column(plan.code),
            row.cell(plan.code),
            &mut problems,
        );
        let births = read_count(
            grid,
            row,
            column(plan.births),
            row.cell(plan.births),
            &mut problems,
        );
        let (Some(area), Some(births)) = (area, births) else {
            continue;
        };
        let problem = |at: usize, message: String| Problem {
            sheet: grid.sheet.clone(),
            row: Some(row.number),
            column: Some(column(at)),
            message,
        };
        if births.fractional.is_some() {
            let text = row.cell(plan.births).text();
            problems.push(problem(
                plan.births,
                format!("“{text}” is not a whole number of births"),
            ));
            continue;
        }
        if !seen.insert(area.clone()) {
            problems.push(problem(plan.code, format!("{area} appears more than once")));
            continue;
        }
        rows.push(AreaBirths {
            name: plan
                .name
                .map(|name| row.cell(name).text().trim().to_owned())
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| area.to_string()),
            area,
            births: births.value,
            row: row.number,
        });
    }
    if !problems.is_empty() {
        return Err(problem::in_row_order(problems));
    }
    if rows.is_empty() {
        return Err(vec![Problem::file(
            "The table has a header row but no areas below it",
        )]
        .into());
    }
    let publisher = match rows.first().map(|row| row.area.as_str().as_bytes()[0]) {
        Some(b'S') => "National Records of Scotland",
        Some(b'N') => "Northern Ireland Statistics and Research Agency",
        _ => "Office for National Statistics",
    };
    Ok(BirthsTable {
        file_name: file_name.to_owned(),
        publisher: publisher.to_owned(),
        edition: "Live births by area of usual residence of mother".to_owned(),
        year: year_of(grid, plan.header_index).or_else(|| calendar_year(file_name)),
        sheet: grid.sheet.clone(),
        rows,
    })
}

/// The year in the titles above the table (`Births in England and Wales, 2022`).
fn year_of(grid: &Grid, header_index: usize) -> Option<u16> {
    grid.rows[..header_index]
        .iter()
        .flat_map(|row| &row.cells)
        .find_map(|cell| calendar_year(&cell.text()))
}

/// The first four-digit year from 1900 to 2100 standing alone in `text`.
fn calendar_year(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|digits| digits.len() == 4)
        .filter_map(|digits| digits.parse::<u16>().ok())
        .find(|year| (1900..=2100).contains(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_titles_and_file_names() {
        assert_eq!(
            calendar_year("Births in England and Wales, 2022"),
            Some(2022)
        );
        assert_eq!(calendar_year("births-by-area-2021.xlsx"), Some(2021));
        assert_eq!(calendar_year("Table 1: 12345 births"), None);
        assert_eq!(calendar_year("births.csv"), None);
    }
}
