//! Local indicators as OHID's Fingertips tool downloads them (public health profiles, "Export
//! table to CSV file" or the API's `all_data/csv` answers): one row per indicator, area, sex,
//! age, category and time period, with the value, its confidence limits, count, denominator
//! and how it compares with the nation.
//!
//! The header is found by name, in any order. The columns Cradle needs to place and draw a
//! figure are required; the rest (confidence limits, counts, comparisons, trend, notes) are
//! read when present. Any problem means no table.

use std::collections::HashMap;

use cradle_domain::partnership::AreaCode;

use crate::grid::{self, Cell, Grid, Row};
use crate::numbers;
use crate::problem::{self, ColumnRef, Problem, ProblemList, Problems};

/// Who publishes Fingertips data, shown beside every figure read from it.
pub const FINGERTIPS_PUBLISHER: &str = "Office for Health Improvement and Disparities (OHID)";
/// The publication, shown beside every figure read from it.
pub const FINGERTIPS_EDITION: &str = "Public health profiles (Fingertips), data download";

/// One figure: an indicator's value for one area, group of people and time period.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    /// Fingertips' own number for the indicator, e.g. `92196`.
    pub indicator_id: u32,
    pub indicator_name: String,
    pub area: AreaCode,
    pub area_name: String,
    /// e.g. `Counties & UAs (from Apr 2023)`, or `England` for the nation's row.
    pub area_type: String,
    /// `Persons`, `Female`, `Male`.
    pub sex: String,
    /// e.g. `All ages`, `<1 yr`, `5 yrs`.
    pub age: String,
    /// A breakdown within the area (e.g. `LSOA11 deprivation deciles in England (IMD2019)`);
    /// `None` for the whole area.
    pub category_type: Option<String>,
    pub category: Option<String>,
    /// As Fingertips writes it: `2021`, `2019/20`, `2017 - 19`, `2022/23 Q2`.
    pub period: String,
    /// A number that orders periods (Fingertips' `Time period Sortable`, e.g. `20190000`),
    /// or, when the file has none, the first year in the period times 10,000.
    pub period_order: i64,
    /// `None` when the file gives no value (suppressed or not published); see `value_note`.
    pub value: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
    pub lower_99_8: Option<f64>,
    pub upper_99_8: Option<f64>,
    pub count: Option<f64>,
    pub denominator: Option<f64>,
    /// e.g. `Value suppressed for disclosure control`.
    pub value_note: Option<String>,
    /// Fingertips' comparison with the nation (its `Compared to England value or
    /// percentiles` column, or the same for another nation), e.g. `Worse`, `Similar`.
    pub compared_to_nation: Option<String>,
    /// The row it was read from, 1-based.
    pub row: usize,
}

/// A checked indicator file: every code a GSS code, every number a number, no figure twice.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTable {
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// The first year of the latest period in the file, e.g. 2022 for `2022/23`.
    pub latest_year: Option<u16>,
    pub values: Vec<IndicatorValue>,
    /// Rows for GP practices and primary care networks, left out: their codes are NHS
    /// organisation codes, not GSS codes, and Cradle holds figures for areas only.
    pub practice_rows_left_out: usize,
}

impl IndicatorTable {
    /// The indicators in the file, as (id, name), in the file's order.
    pub fn indicators(&self) -> Vec<(u32, String)> {
        let mut seen: Vec<(u32, String)> = Vec::new();
        for value in &self.values {
            if !seen.iter().any(|(id, _)| *id == value.indicator_id) {
                seen.push((value.indicator_id, value.indicator_name.clone()));
            }
        }
        seen
    }
}

/// A column Cradle reads, the headings Fingertips gives it (compared ignoring case and
/// surrounding spaces), and whether a file must have it.
struct Wanted {
    key: Key,
    headings: &'static [&'static str],
    required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    IndicatorId,
    IndicatorName,
    AreaCode,
    AreaName,
    AreaType,
    Sex,
    Age,
    CategoryType,
    Category,
    Period,
    Value,
    Lower95,
    Upper95,
    Lower998,
    Upper998,
    Count,
    Denominator,
    ValueNote,
    PeriodSortable,
}

const WANTED: &[Wanted] = &[
    Wanted {
        key: Key::IndicatorId,
        headings: &["Indicator ID", "IndicatorID"],
        required: true,
    },
    Wanted {
        key: Key::IndicatorName,
        headings: &["Indicator Name", "IndicatorName"],
        required: true,
    },
    Wanted {
        key: Key::AreaCode,
        headings: &["Area Code", "AreaCode"],
        required: true,
    },
    Wanted {
        key: Key::AreaName,
        headings: &["Area Name", "AreaName"],
        required: true,
    },
    Wanted {
        key: Key::AreaType,
        headings: &["Area Type", "AreaType"],
        required: true,
    },
    Wanted {
        key: Key::Sex,
        headings: &["Sex"],
        required: true,
    },
    Wanted {
        key: Key::Age,
        headings: &["Age"],
        required: true,
    },
    Wanted {
        key: Key::CategoryType,
        headings: &["Category Type", "CategoryType"],
        required: false,
    },
    Wanted {
        key: Key::Category,
        headings: &["Category"],
        required: false,
    },
    Wanted {
        key: Key::Period,
        headings: &["Time period", "Timeperiod"],
        required: true,
    },
    Wanted {
        key: Key::Value,
        headings: &["Value"],
        required: true,
    },
    Wanted {
        key: Key::Lower95,
        headings: &["Lower CI 95.0 limit", "LowerCI95.0limit"],
        required: false,
    },
    Wanted {
        key: Key::Upper95,
        headings: &["Upper CI 95.0 limit", "UpperCI95.0limit"],
        required: false,
    },
    Wanted {
        key: Key::Lower998,
        headings: &["Lower CI 99.8 limit", "LowerCI99.8limit"],
        required: false,
    },
    Wanted {
        key: Key::Upper998,
        headings: &["Upper CI 99.8 limit", "UpperCI99.8limit"],
        required: false,
    },
    Wanted {
        key: Key::Count,
        headings: &["Count"],
        required: false,
    },
    Wanted {
        key: Key::Denominator,
        headings: &["Denominator"],
        required: false,
    },
    Wanted {
        key: Key::ValueNote,
        headings: &["Value note", "Valuenote"],
        required: false,
    },
    Wanted {
        key: Key::PeriodSortable,
        headings: &["Time period Sortable", "TimeperiodSortable"],
        required: false,
    },
];

/// Where each column is; `compared` is the comparison with a nation, when present.
struct Columns {
    at: HashMap<Key, usize>,
    compared: Option<usize>,
}

impl Columns {
    fn get(&self, key: Key) -> Option<usize> {
        self.at.get(&key).copied()
    }
}

/// Whether a heading names a comparison with a nation: `Compared to England value or
/// percentiles` (or Scotland, Wales, Northern Ireland, or a file's `Compared to
/// England value` without the percentiles).
fn is_nation_comparison(heading: &str) -> bool {
    let lower = heading.trim().to_lowercase();
    let Some(rest) = lower.strip_prefix("compared to ") else {
        return false;
    };
    ["england", "scotland", "wales", "northern ireland", "uk"]
        .iter()
        .any(|nation| rest.starts_with(&format!("{nation} value")))
}

/// Reads a CSV file as Fingertips downloads it. `file_name` is kept as the figures' source.
pub fn read_indicators(bytes: &[u8], file_name: &str) -> Result<IndicatorTable, Problems> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(vec![Problem::file("The file is empty")].into());
    }
    if grid::is_xlsx(bytes) || grid::is_old_excel(bytes) {
        return Err(vec![Problem::file(
            "The file is a spreadsheet workbook; Fingertips data is read as the CSV file that Fingertips downloads (\"Export table to CSV file\")",
        )].into());
    }
    let grid = grid::read_csv(bytes).map_err(|problem| vec![problem])?;
    let Some(header) = grid.rows.iter().find(|row| !row.is_blank()) else {
        return Err(vec![Problem::file("The file is empty")].into());
    };
    let headings: Vec<String> = header.cells.iter().map(Cell::text).collect();
    let columns = find_columns(header.number, &headings)?;
    let mut problems = ProblemList::default();
    let mut values = Vec::new();
    let mut practice_rows_left_out = 0;
    for row in grid.rows.iter().filter(|row| row.number > header.number) {
        if row.is_blank() {
            continue;
        }
        if columns
            .get(Key::AreaType)
            .is_some_and(|column| is_practice_area_type(&row.cell(column).text()))
        {
            practice_rows_left_out += 1;
            continue;
        }
        if let Some(value) = read_row(&grid, row, &headings, &columns, &mut problems) {
            values.push(value);
        }
    }
    check_duplicates(&headings, &columns, &values, &mut problems);
    if !problems.is_empty() {
        return Err(problem::in_row_order(problems));
    }
    if values.is_empty() && practice_rows_left_out > 0 {
        return Err(vec![Problem::file(
            "The file has figures for GP practices or primary care networks only; Cradle holds figures for areas (local authorities, health boards, regions and nations), so download the indicators for one of those area types",
        )].into());
    }
    if values.is_empty() {
        return Err(vec![Problem::file(
            "The file has a header row but no figures below it",
        )]
        .into());
    }
    let latest_year = values
        .iter()
        .map(|value| value.period_order)
        .max()
        .and_then(|order| u16::try_from(order / 10_000).ok())
        .filter(|year| (1900..=2100).contains(year));
    Ok(IndicatorTable {
        file_name: file_name.to_owned(),
        publisher: FINGERTIPS_PUBLISHER.to_owned(),
        edition: FINGERTIPS_EDITION.to_owned(),
        latest_year,
        values,
        practice_rows_left_out,
    })
}

/// Whether Fingertips' area type names GP practices or primary care networks (`GPs`,
/// `PCNs (v. 25/04/2024)`), whose rows carry organisation codes rather than GSS codes.
fn is_practice_area_type(area_type: &str) -> bool {
    let area_type = area_type.trim().to_lowercase();
    area_type.starts_with("gp")
        || area_type.starts_with("pcn")
        || area_type.contains("primary care network")
}

fn find_columns(header_row: usize, headings: &[String]) -> Result<Columns, Problems> {
    let mut at = HashMap::new();
    let mut missing = Vec::new();
    let mut problems = Vec::new();
    for wanted in WANTED {
        let found: Vec<usize> = headings
            .iter()
            .enumerate()
            .filter(|(_, heading)| {
                wanted
                    .headings
                    .iter()
                    .any(|name| heading.trim().eq_ignore_ascii_case(name))
            })
            .map(|(index, _)| index)
            .collect();
        match found.as_slice() {
            [] if wanted.required => missing.push(wanted.headings[0]),
            [] => {}
            [index] => {
                at.insert(wanted.key, *index);
            }
            [first, .., later] => problems.push(Problem {
                row: Some(header_row),
                column: Some(ColumnRef::at(*later, Some(&headings[*later]))),
                ..Problem::file(format!(
                    "the column “{}” appears twice; it is first in column {}",
                    wanted.headings[0],
                    problem::column_letter(*first)
                ))
            }),
        }
    }
    if !missing.is_empty() {
        let list = missing
            .iter()
            .map(|name| format!("“{name}”"))
            .collect::<Vec<_>>()
            .join(", ");
        let noun = if missing.len() == 1 {
            "column"
        } else {
            "columns"
        };
        problems.insert(
            0,
            Problem {
                row: Some(header_row),
                ..Problem::file(format!(
                    "the header has no {list} {noun}: this does not look like a file downloaded from Fingertips, which has Indicator ID, Indicator Name, Area Code, Area Name, Area Type, Sex, Age, Time period and Value"
                ))
            },
        );
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }
    let compared = headings
        .iter()
        .position(|heading| is_nation_comparison(heading));
    Ok(Columns { at, compared })
}

/// Reads one row, adding a problem for every cell that is wrong.
fn read_row(
    grid: &Grid,
    row: &Row,
    headings: &[String],
    columns: &Columns,
    problems: &mut ProblemList,
) -> Option<IndicatorValue> {
    let before = problems.len();
    let mut complain = |column: usize, message: String| {
        problems.push(Problem {
            sheet: grid.sheet.clone(),
            row: Some(row.number),
            column: Some(ColumnRef::at(
                column,
                headings.get(column).map(String::as_str),
            )),
            message,
        });
    };
    let text = |key: Key| -> String {
        columns
            .get(key)
            .map(|column| row.cell(column).text())
            .unwrap_or_default()
    };
    let optional_text = |key: Key| Some(text(key)).filter(|text| !text.is_empty());
    let required_text = |key: Key, what: &str, complain: &mut dyn FnMut(usize, String)| -> String {
        let value = text(key);
        if value.is_empty()
            && let Some(column) = columns.get(key)
        {
            complain(column, format!("the {what} is blank"));
        }
        value
    };

    let id_column = columns.get(Key::IndicatorId).unwrap_or_default();
    let id_text = text(Key::IndicatorId);
    let indicator_id = match id_text.parse::<u32>() {
        Ok(id) => Some(id),
        Err(_) if id_text.is_empty() => {
            complain(id_column, "the indicator ID is blank".to_owned());
            None
        }
        Err(_) => {
            complain(
                id_column,
                format!("“{id_text}” is not an indicator ID, which is a whole number"),
            );
            None
        }
    };
    let indicator_name = required_text(Key::IndicatorName, "indicator name", &mut complain);
    let code_column = columns.get(Key::AreaCode).unwrap_or_default();
    let code_text = text(Key::AreaCode);
    let area = match code_text.parse::<AreaCode>() {
        Ok(code) => Some(code),
        Err(_) if code_text.is_empty() => {
            complain(code_column, "the area code is blank".to_owned());
            None
        }
        Err(error) => {
            complain(code_column, error.to_string());
            None
        }
    };
    let area_name = required_text(Key::AreaName, "area name", &mut complain);
    let area_type = required_text(Key::AreaType, "area type", &mut complain);
    let sex = required_text(Key::Sex, "sex", &mut complain);
    let age = required_text(Key::Age, "age", &mut complain);
    let period = required_text(Key::Period, "time period", &mut complain);

    let mut number = |key: Key, what: &str| -> Option<f64> {
        let column = columns.get(key)?;
        match row.cell(column) {
            Cell::Empty => None,
            Cell::Number(number) => Some(*number),
            Cell::Other { description, .. } => {
                complain(
                    column,
                    format!("the {what} cell holds {description}, not a number"),
                );
                None
            }
            Cell::Text(raw) => {
                let shown = raw.trim();
                match numbers::number(shown).filter(|number| number.is_finite()) {
                    Some(number) => Some(number),
                    None => {
                        complain(column, format!("the {what} “{shown}” is not a number"));
                        None
                    }
                }
            }
        }
    };
    let value = number(Key::Value, "value");
    let lower_95 = number(Key::Lower95, "lower 95% confidence limit");
    let upper_95 = number(Key::Upper95, "upper 95% confidence limit");
    let lower_99_8 = number(Key::Lower998, "lower 99.8% confidence limit");
    let upper_99_8 = number(Key::Upper998, "upper 99.8% confidence limit");
    let count = number(Key::Count, "count");
    let denominator = number(Key::Denominator, "denominator");
    let sortable = number(Key::PeriodSortable, "sortable time period");
    for (lower, upper, key, level) in [
        (lower_95, upper_95, Key::Lower95, "95%"),
        (lower_99_8, upper_99_8, Key::Lower998, "99.8%"),
    ] {
        if let (Some(lower), Some(upper), Some(column)) = (lower, upper, columns.get(key))
            && lower > upper
        {
            complain(
                column,
                format!(
                    "the lower {level} confidence limit ({}) is above the upper one ({})",
                    grid::format_number(lower),
                    grid::format_number(upper)
                ),
            );
        }
    }
    if let Some(count) = count
        && count < 0.0
        && let Some(column) = columns.get(Key::Count)
    {
        complain(
            column,
            format!(
                "the count {} is below zero; a count cannot be negative",
                grid::format_number(count)
            ),
        );
    }
    let period_order = match sortable {
        Some(order) if order.fract() == 0.0 => order as i64,
        _ => match first_year(&period) {
            Some(year) => i64::from(year) * 10_000,
            None => {
                if !period.is_empty()
                    && let Some(column) = columns.get(Key::Period)
                {
                    complain(
                        column,
                        format!("the time period “{period}” has no year in it"),
                    );
                }
                0
            }
        },
    };
    if problems.len() > before {
        return None;
    }
    Some(IndicatorValue {
        indicator_id: indicator_id?,
        indicator_name,
        area: area?,
        area_name,
        area_type,
        sex,
        age,
        category_type: optional_text(Key::CategoryType),
        category: optional_text(Key::Category),
        period,
        period_order,
        value,
        lower_95,
        upper_95,
        lower_99_8,
        upper_99_8,
        count,
        denominator,
        value_note: optional_text(Key::ValueNote),
        compared_to_nation: columns
            .compared
            .map(|column| row.cell(column).text())
            .filter(|text| !text.is_empty()),
        row: row.number,
    })
}

/// The first four-digit year in a period as Fingertips writes it: `2019/20` → 2019,
/// `2017 - 19` → 2017, `2022/23 Q2` → 2022.
fn first_year(period: &str) -> Option<u16> {
    let bytes = period.as_bytes();
    (0..bytes.len().saturating_sub(3)).find_map(|start| {
        let digits = bytes.get(start..start + 4)?;
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_digit();
        let after_ok = bytes.get(start + 4).is_none_or(|b| !b.is_ascii_digit());
        if before_ok && after_ok && digits.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(digits)
                .ok()?
                .parse()
                .ok()
                .filter(|year| (1900..=2100).contains(year))
        } else {
            None
        }
    })
}

/// The same figure given twice would be drawn twice; the second is a mistake.
fn check_duplicates(
    headings: &[String],
    columns: &Columns,
    values: &[IndicatorValue],
    problems: &mut ProblemList,
) {
    type FigureKey<'v> = (
        u32,
        &'v AreaCode,
        &'v str,
        &'v str,
        Option<&'v str>,
        Option<&'v str>,
        &'v str,
    );
    let mut first_seen: HashMap<FigureKey<'_>, usize> = HashMap::new();
    let column = columns.get(Key::AreaCode).unwrap_or_default();
    for value in values {
        let key = (
            value.indicator_id,
            &value.area,
            value.sex.as_str(),
            value.age.as_str(),
            value.category_type.as_deref(),
            value.category.as_deref(),
            value.period.as_str(),
        );
        match first_seen.get(&key) {
            Some(first) => problems.push(Problem {
                sheet: None,
                row: Some(value.row),
                column: Some(ColumnRef::at(
                    column,
                    headings.get(column).map(String::as_str),
                )),
                message: format!(
                    "indicator {} for {} ({}, {}) in {} appears more than once; it is first on row {first}",
                    value.indicator_id, value.area, value.sex, value.age, value.period
                ),
            }),
            None => {
                first_seen.insert(key, value.row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_years_of_fingertips_periods() {
        assert_eq!(first_year("2021"), Some(2021));
        assert_eq!(first_year("2019/20"), Some(2019));
        assert_eq!(first_year("2017 - 19"), Some(2017));
        assert_eq!(first_year("2022/23 Q2"), Some(2022));
        assert_eq!(first_year("Q2"), None);
        assert_eq!(first_year("20190"), None);
    }

    #[test]
    fn nation_comparisons_are_recognised() {
        assert!(is_nation_comparison(
            "Compared to England value or percentiles"
        ));
        assert!(is_nation_comparison("Compared to Wales value"));
        assert!(!is_nation_comparison(
            "Compared to Region value or percentiles"
        ));
        assert!(!is_nation_comparison("Compared to goal"));
    }
}
