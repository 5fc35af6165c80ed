//! Population by area and single year of age, from ONS mid-year estimate files (table MYE2),
//! Nomis extracts, or any CSV/XLSX with a column mapping.

use std::collections::{BTreeMap, HashMap};

use cradle_domain::Nation;
use cradle_domain::need::{AreaPopulationView, with_separators};
use cradle_domain::partnership::AreaCode;

use crate::births::births_in;
use crate::grid::{self, Cell, Grid, Row};
use crate::mapped::{is_nisra_flat, nisra_flat_mapping, read_population_mapped};
use crate::numbers;
use crate::problem::{self, ColumnRef, Problem, ProblemList, Problems};

/// The oldest single year of age kept; the count at this age is everyone this age or older
/// (`90+`), as ONS publishes it.
pub const OLDEST_AGE: u8 = 90;

/// How far down a sheet to look for the header row: ONS workbooks put a title, notes and
/// a contents link above the table.
pub(crate) const HEADER_SEARCH_ROWS: usize = 50;

/// Headings that name the area code column, compared in lower case.
pub(crate) const CODE_HEADINGS: &[&str] = &[
    "code",
    "area code",
    "areacd",
    "area_code",
    "geography code",
    "la code",
    "lad code",
];
/// Headings that name the area name column.
pub(crate) const NAME_HEADINGS: &[&str] = &[
    "name",
    "area name",
    "areanm",
    "area_name",
    "geography name",
    "la name",
    "lad name",
];
/// The MYE2 column giving the kind of area (country, region, unitary authority, …).
const GEOGRAPHY_HEADINGS: &[&str] = &["geography"];
/// Headings of a column saying which sex a row counts (National Records of Scotland tables
/// give Persons, Females and Males rows for each area).
pub(crate) const SEX_HEADINGS: &[&str] = &["sex", "gender"];
/// The values of that column meaning everyone; rows for one sex are left out.
const PERSONS: &[&str] = &["persons", "all persons", "all", "people", "total"];
const ONE_SEX: &[&str] = &["females", "female", "males", "male", "f", "m"];
/// Headings of a total across all ages.
pub(crate) const ALL_AGES_HEADINGS: &[&str] = &["all ages", "all", "total", "all persons"];

/// The layout a population file was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// ONS mid-year estimates, table MYE2: `Code, Name, Geography, All ages, 0 … 89, 90+`.
    OnsMye2,
    /// A Nomis extract of the same estimates: `code, name, all, 0 … 89, 90+`.
    Nomis,
    /// NISRA's flat file: `area, area_code, area_name, year, gender, age, MYE`, one row
    /// per area, year, sex and age (the All persons rows are kept).
    NisraFlat,
    /// Read through a [`ColumnMapping`] given by the person importing it.
    Mapped,
    /// Live births by area ([`crate::read_births`]): a table of them holds each area's
    /// births in the year as its count at age 0.
    Births,
}

/// Where a table came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// The file's name as uploaded, e.g. `ons-mye2-persons-mid2019-uk.csv`.
    pub file_name: String,
    pub publisher: String,
    /// Which publication or table, e.g. `Mid-year population estimates, table MYE2 (persons)`.
    pub edition: String,
    /// The reference year (mid-year), when the file or its name says.
    pub year: Option<u16>,
    pub layout: Layout,
    /// The worksheet the table was read from, for XLSX files.
    pub sheet: Option<String>,
}

/// One area's population by single year of age.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaPopulation {
    pub area: AreaCode,
    pub name: String,
    /// The kind of area as the file names it (MYE2's `Geography` column), e.g. `Unitary Authority`.
    pub geography: Option<String>,
    /// People of each age, 0 to [`OLDEST_AGE`] (`90` meaning 90 and over).
    pub ages: BTreeMap<u8, u64>,
    /// The file's own total across all ages, when it has one.
    pub all_ages: Option<u64>,
    /// Why these figures should be checked before use, e.g. fractional counts that look
    /// imputed rather than published. `None` when nothing looks wrong.
    pub suspect: Option<String>,
    /// The row it was read from (1-based; for a mapped long file, its first row).
    pub row: usize,
}

impl AreaPopulation {
    /// People of exactly this age (for [`OLDEST_AGE`], that age and over); 0 if not in the file.
    pub fn at_age(&self, age: u8) -> u64 {
        self.ages.get(&age).copied().unwrap_or(0)
    }

    /// People aged `from` to `to` years inclusive.
    pub fn aged(&self, from: u8, to: u8) -> u64 {
        self.ages.range(from..=to).map(|(_, count)| count).sum()
    }

    /// The row as the need estimate takes it, carrying any reason for suspicion as a caution.
    pub fn need_view(&self) -> AreaPopulationView {
        AreaPopulationView {
            area: self.area.clone(),
            name: self.name.clone(),
            ages: self.ages.clone(),
            caution: self.suspect.clone(),
            births: None,
        }
    }
}

/// A checked population table: every code valid, every count a number, no area twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationTable {
    pub source: SourceInfo,
    pub rows: Vec<AreaPopulation>,
}

impl PopulationTable {
    /// The row for one area.
    pub fn area(&self, code: &AreaCode) -> Option<&AreaPopulation> {
        self.rows.iter().find(|row| &row.area == code)
    }

    /// The rows flagged as suspect, to show before they are used.
    pub fn suspect_rows(&self) -> impl Iterator<Item = &AreaPopulation> {
        self.rows.iter().filter(|row| row.suspect.is_some())
    }
}

/// Reads an ONS MYE2 or Nomis population file, an NRS table by sex, a NISRA flat file, or a
/// live births table (as [`Layout::Births`]), CSV or XLSX, recognising the layout from its
/// header row. Any problem means no table: every problem found is returned.
pub fn read_population(bytes: &[u8], file_name: &str) -> Result<PopulationTable, Problems> {
    let grids = grids(bytes)?;
    let mut searched = Vec::new();
    for grid in &grids {
        if let Some(plan) = detect_wide_header(grid) {
            let layout = if plan.geography.is_some() {
                Layout::OnsMye2
            } else {
                Layout::Nomis
            };
            let (publisher, edition) = match layout {
                Layout::OnsMye2 => (
                    "Office for National Statistics",
                    "Mid-year population estimates, table MYE2 (persons)",
                ),
                _ => (
                    "Office for National Statistics (via Nomis)",
                    "Population estimates by single year of age",
                ),
            };
            let mut problems = ProblemList::default();
            problems.extend(plan.missing_ages(grid));
            let rows = read_wide_rows(grid, &plan, &mut problems);
            // Tables with Persons / Females / Males rows come from the nations' own
            // statistics offices; say which, from the areas in the table.
            let (publisher, edition) = match (plan.sex, national_publisher(&rows)) {
                (Some(_), Some(publisher)) => (
                    publisher,
                    "Mid-year population estimates by sex and single year of age (persons)",
                ),
                _ => (publisher, edition),
            };
            return finish(problems, rows, || SourceInfo {
                file_name: file_name.to_owned(),
                publisher: publisher.to_owned(),
                edition: edition.to_owned(),
                year: year_from_titles(grid, plan.header_row)
                    .or_else(|| numbers::mid_year(file_name)),
                layout,
                sheet: grid.sheet.clone(),
            });
        }
        if let Some(births) = births_in(grid, file_name) {
            return births.map(|table| table.as_population());
        }
        searched.extend(grid.sheet.clone());
    }
    if grids.iter().any(is_nisra_flat) {
        return read_population_mapped(bytes, file_name, &nisra_flat_mapping()).map(|mut table| {
            table.source.layout = Layout::NisraFlat;
            table
        });
    }
    let expected = "a column headed Code (or code, areacd) and columns for ages 0 to 89 and 90+";
    let message = if searched.is_empty() {
        format!(
            "No header row found in the first {HEADER_SEARCH_ROWS} rows: expected {expected}. \
             For another layout, import it with a column mapping"
        )
    } else {
        format!(
            "No sheet has a population table (looked in {}): expected a header row with {expected}. \
             For another layout, import it with a column mapping",
            quoted_list(&searched)
        )
    };
    Err(vec![Problem::file(message)].into())
}

pub(crate) fn grids(bytes: &[u8]) -> Result<Vec<Grid>, Problems> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(vec![Problem::file("The file is empty")].into());
    }
    if grid::is_old_excel(bytes) {
        return Err(vec![Problem::file(
            "This is an old Excel workbook (.xls); save it as .xlsx or CSV and import that",
        )]
        .into());
    }
    if grid::is_xlsx(bytes) {
        grid::read_xlsx(bytes).map_err(Problems::from)
    } else {
        grid::read_csv(bytes)
            .map(|grid| vec![grid])
            .map_err(Problems::from)
    }
}

pub(crate) fn finish(
    problems: ProblemList,
    rows: Vec<AreaPopulation>,
    source: impl FnOnce() -> SourceInfo,
) -> Result<PopulationTable, Problems> {
    if !problems.is_empty() {
        return Err(problem::in_row_order(problems));
    }
    if rows.is_empty() {
        return Err(vec![Problem::file(
            "The table has a header row but no areas below it",
        )]
        .into());
    }
    Ok(PopulationTable {
        source: source(),
        rows,
    })
}

pub(crate) fn quoted_list(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("“{name}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The index (into `grid.rows`) of the first row, within the search depth, that `is_header`.
pub(crate) fn header_row(grid: &Grid, is_header: impl Fn(&Row) -> bool) -> Option<usize> {
    grid.rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(is_header)
}

/// A year given in the title rows above a table (`Mid-2019`).
pub(crate) fn year_from_titles(grid: &Grid, header_index: usize) -> Option<u16> {
    grid.rows[..header_index]
        .iter()
        .flat_map(|row| &row.cells)
        .find_map(|cell| numbers::mid_year(&cell.text()))
}

/// The age a heading or cell names: `0` … `89`, `90+`, `90 and over`; ages above 90 count as 90+.
pub(crate) fn age(text: &str) -> Option<u8> {
    let text = text.trim().to_lowercase();
    let number = text
        .strip_suffix('+')
        .or_else(|| text.strip_suffix(" and over"))
        .or_else(|| text.strip_suffix(" or over"))
        .unwrap_or(&text)
        .trim();
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let years: u32 = number.parse().ok()?;
    u8::try_from(years.min(u32::from(OLDEST_AGE))).ok()
}

pub(crate) fn is_one_of(cell: &Cell, headings: &[&str]) -> bool {
    let text = cell.text().to_lowercase();
    headings.contains(&text.as_str())
}

/// Where the columns of a one-row-per-area table are.
pub(crate) struct WidePlan {
    header_row: usize,
    code: Option<usize>,
    name: Option<usize>,
    geography: Option<usize>,
    /// A column of Persons / Females / Males, when the table has one.
    sex: Option<usize>,
    all_ages: Option<usize>,
    /// Each age's columns; more than one when ages over 90 are folded into 90+.
    pub(crate) ages: BTreeMap<u8, Vec<usize>>,
}

impl WidePlan {
    pub(crate) fn from_header(
        grid: &Grid,
        header_index: usize,
        code: Option<usize>,
        name: Option<usize>,
    ) -> Self {
        let header = &grid.rows[header_index];
        let mut plan = Self {
            header_row: header_index,
            code,
            name,
            geography: None,
            sex: None,
            all_ages: None,
            ages: BTreeMap::new(),
        };
        for (index, cell) in header.cells.iter().enumerate() {
            if Some(index) == code || Some(index) == name {
                continue;
            }
            if let Some(age) = age(&cell.text()) {
                plan.ages.entry(age).or_default().push(index);
            } else if is_one_of(cell, GEOGRAPHY_HEADINGS) {
                plan.geography = Some(index);
            } else if is_one_of(cell, SEX_HEADINGS) {
                plan.sex = Some(index);
            } else if is_one_of(cell, ALL_AGES_HEADINGS) {
                plan.all_ages = Some(index);
            }
        }
        plan
    }

    fn heading(&self, grid: &Grid, column: usize) -> Option<String> {
        Some(grid.rows[self.header_row].cell(column).text()).filter(|text| !text.is_empty())
    }

    fn column(&self, grid: &Grid, column: usize) -> ColumnRef {
        ColumnRef::at(column, self.heading(grid, column).as_deref())
    }

    /// A problem naming every age 0 to 90+ that has no column, for layouts that promise them all.
    fn missing_ages(&self, grid: &Grid) -> Vec<Problem> {
        let missing: Vec<String> = (0..=OLDEST_AGE)
            .filter(|age| !self.ages.contains_key(age))
            .map(|age| {
                if age == OLDEST_AGE {
                    "90+".to_owned()
                } else {
                    age.to_string()
                }
            })
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        let noun = if missing.len() == 1 { "age" } else { "ages" };
        vec![Problem {
            sheet: grid.sheet.clone(),
            row: Some(grid.rows[self.header_row].number),
            column: None,
            message: format!(
                "no column for {noun} {}; a population table needs a column for each age from 0 to 89 and one for 90+",
                missing.join(", ")
            ),
        }]
    }
}

/// Finds a recognised header: an area code column and a column for age 0.
fn detect_wide_header(grid: &Grid) -> Option<WidePlan> {
    let header_index = header_row(grid, |row| {
        row.cells.iter().any(|cell| is_one_of(cell, CODE_HEADINGS))
            && row.cells.iter().any(|cell| cell.text() == "0")
    })?;
    let header = &grid.rows[header_index];
    let code = header
        .cells
        .iter()
        .position(|cell| is_one_of(cell, CODE_HEADINGS));
    let name = header
        .cells
        .iter()
        .position(|cell| is_one_of(cell, NAME_HEADINGS));
    Some(WidePlan::from_header(grid, header_index, code, name))
}

/// Whether a row with a sex column counts everyone (Persons), to keep; rows for one sex are
/// left out, and anything else is a problem (and the row left out too).
pub(crate) fn counts_everyone(
    grid: &Grid,
    row: &Row,
    column: usize,
    at: ColumnRef,
    problems: &mut ProblemList,
) -> bool {
    let sex = row.cell(column).text().to_lowercase();
    if PERSONS.contains(&sex.as_str()) {
        return true;
    }
    if !ONE_SEX.contains(&sex.as_str()) {
        problems.push(Problem {
            sheet: grid.sheet.clone(),
            row: Some(row.number),
            column: Some(at),
            message: format!(
                "“{}” is not a sex Cradle reads: expected Persons (kept), Females or Males (left out)",
                row.cell(column).text()
            ),
        });
    }
    false
}

/// The statistics office of the one nation every area of a table is in, when there is one.
fn national_publisher(rows: &[AreaPopulation]) -> Option<&'static str> {
    let first = rows.first()?.area.nation()?;
    if rows.iter().any(|row| row.area.nation() != Some(first)) {
        return None;
    }
    match first {
        Nation::Scotland => Some("National Records of Scotland"),
        Nation::Wales => Some("Welsh Government (StatsWales)"),
        Nation::NorthernIreland => Some("Northern Ireland Statistics and Research Agency"),
        Nation::England => None,
    }
}

/// Counts read from one row, before rounding, to tell published whole numbers from imputed
/// fractions.
pub(crate) struct Counted {
    pub(crate) value: u64,
    pub(crate) fractional: Option<f64>,
}

pub(crate) fn read_count(
    grid: &Grid,
    row: &Row,
    column: ColumnRef,
    cell: &Cell,
    problems: &mut ProblemList,
) -> Option<Counted> {
    match numbers::count(cell) {
        Ok(number) => Some(Counted {
            value: number.round() as u64,
            fractional: (number.fract() != 0.0).then_some(number),
        }),
        Err(message) => {
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(column),
                message,
            });
            None
        }
    }
}

pub(crate) fn read_area_code(
    grid: &Grid,
    row: &Row,
    column: ColumnRef,
    cell: &Cell,
    problems: &mut ProblemList,
) -> Option<AreaCode> {
    match cell.text().parse::<AreaCode>() {
        Ok(code) => Some(code),
        Err(error) => {
            let message = if cell.is_blank() {
                "the area code is blank".to_owned()
            } else {
                error.to_string()
            };
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(column),
                message,
            });
            None
        }
    }
}

pub(crate) fn fractional_reason(age: u8, value: f64) -> String {
    format!(
        "counts are not whole numbers (age {age} is {value:.2}), so these figures look modelled or \
         imputed rather than published; check them against the publisher's own table before use"
    )
}

pub(crate) fn read_wide_rows(
    grid: &Grid,
    plan: &WidePlan,
    problems: &mut ProblemList,
) -> Vec<AreaPopulation> {
    let Some(code_column) = plan.code else {
        return Vec::new();
    };
    let mut first_seen: HashMap<AreaCode, usize> = HashMap::new();
    let mut areas = Vec::new();
    for row in &grid.rows[plan.header_row + 1..] {
        if row.is_blank() {
            continue;
        }
        let code_cell = row.cell(code_column);
        let no_counts = plan
            .ages
            .values()
            .flatten()
            .all(|&column| row.cell(column).is_blank());
        // Notes and sources below a table ("Source: Office for National Statistics") have
        // text in the first column and no counts: they are not areas.
        if no_counts && code_cell.text().parse::<AreaCode>().is_err() {
            continue;
        }
        if let Some(column) = plan.sex
            && !counts_everyone(grid, row, column, plan.column(grid, column), problems)
        {
            continue;
        }
        let code = read_area_code(
            grid,
            row,
            plan.column(grid, code_column),
            code_cell,
            problems,
        );
        let mut ages = BTreeMap::new();
        let mut fractional = None;
        let mut complete = true;
        for (&age, columns) in &plan.ages {
            for &column in columns {
                match read_count(
                    grid,
                    row,
                    plan.column(grid, column),
                    row.cell(column),
                    problems,
                ) {
                    Some(counted) => {
                        *ages.entry(age).or_insert(0) += counted.value;
                        if fractional.is_none() {
                            fractional = counted.fractional.map(|value| (age, value));
                        }
                    }
                    None => complete = false,
                }
            }
        }
        let all_ages = match plan.all_ages {
            Some(column) => {
                let counted = read_count(
                    grid,
                    row,
                    plan.column(grid, column),
                    row.cell(column),
                    problems,
                );
                complete &= counted.is_some();
                counted.map(|counted| counted.value)
            }
            None => None,
        };
        let Some(code) = code else { continue };
        if let Some(&first) = first_seen.get(&code) {
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(plan.column(grid, code_column)),
                message: format!("{code} appears more than once; it is first on row {first}"),
            });
            continue;
        }
        first_seen.insert(code.clone(), row.number);
        if !complete {
            continue;
        }
        let suspect = match fractional {
            Some((age, value)) => Some(fractional_reason(age, value)),
            None => total_mismatch(&ages, all_ages),
        };
        areas.push(AreaPopulation {
            area: code,
            name: plan
                .name
                .map(|column| row.cell(column).text())
                .unwrap_or_default(),
            geography: plan
                .geography
                .map(|column| row.cell(column).text())
                .filter(|text| !text.is_empty()),
            ages,
            all_ages,
            suspect,
            row: row.number,
        });
    }
    areas
}

/// A note when the ages do not add up to the file's own total, which a published table always
/// does; the difference suggests an edited or damaged file.
fn total_mismatch(ages: &BTreeMap<u8, u64>, all_ages: Option<u64>) -> Option<String> {
    let all_ages = all_ages?;
    let sum: u64 = ages.values().sum();
    (sum != all_ages).then(|| {
        format!(
            "the ages add up to {} but the file's total for all ages is {}",
            with_separators(sum),
            with_separators(all_ages)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_excel_files_are_named_not_misread() {
        let problems =
            read_population(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "mye2.xls").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "This is an old Excel workbook (.xls); save it as .xlsx or CSV and import that"
        );
    }

    #[test]
    fn ages_as_headings_write_them() {
        assert_eq!(age("0"), Some(0));
        assert_eq!(age(" 89 "), Some(89));
        assert_eq!(age("90+"), Some(90));
        assert_eq!(age("90 and over"), Some(90));
        assert_eq!(age("95"), Some(90));
        assert_eq!(age("All ages"), None);
        assert_eq!(age("-1"), None);
        assert_eq!(age(""), None);
    }
}
