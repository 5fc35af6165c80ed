//! The report's data as an Excel workbook: an "About" sheet, one sheet for each table that
//! names one (in reading order), and a "Sources" sheet. Each data sheet has its caption in
//! A1, its source under it, then the table with a bold, frozen, filterable header row. Numbers
//! are written as numbers and text always as text, never as a formula.

use cradle_domain::report::{Cell, Document, Reference, Table};
use rust_xlsxwriter::{
    DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::ReportError;

const ABOUT: &str = "About";
const SOURCES: &str = "Sources";
/// Excel's longest sheet name, in characters.
const SHEET_NAME_MAX: usize = 31;
/// The most decimal places a number format shows.
const DECIMALS_MAX: usize = 6;

/// The formats every sheet uses, made once.
struct Formats {
    title: Format,
    bold: Format,
    wrapped: Format,
    header: Format,
    numeric_header: Format,
    /// `#,##0`, `#,##0.0`, … by the number of decimal places shown.
    numbers: Vec<Format>,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Medium)
            .set_text_wrap();
        let numbers = (0..=DECIMALS_MAX)
            .map(|decimals| {
                let places = if decimals == 0 {
                    String::new()
                } else {
                    format!(".{}", "0".repeat(decimals))
                };
                Format::new().set_num_format(format!("#,##0{places}"))
            })
            .collect();
        Self {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            wrapped: Format::new().set_text_wrap(),
            numeric_header: header.clone().set_align(FormatAlign::Right),
            header,
            numbers,
        }
    }
}

/// The workbook as an `.xlsx` file.
pub(crate) fn render(document: &Document) -> Result<Vec<u8>, ReportError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let author = if document.author.trim().is_empty() {
        &document.partnership
    } else {
        &document.author
    };
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&document.title)
            .set_subject(&document.partnership)
            .set_author(author)
            .set_comment(&document.attribution),
    );
    let names = sheet_names(document.sheets().filter_map(|table| table.sheet.as_deref()));
    let tables: Vec<(&Table, &String)> = document.sheets().zip(&names).collect();
    about_sheet(workbook.add_worksheet(), document, &tables, &formats)
        .map_err(|error| failed(ABOUT, &error))?;
    for (table, name) in &tables {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(name.as_str())
            .map_err(|error| failed(name, &error))?;
        data_sheet(sheet, table, &formats).map_err(|error| failed(name, &error))?;
    }
    sources_sheet(workbook.add_worksheet(), &document.references, &formats)
        .map_err(|error| failed(SOURCES, &error))?;
    workbook
        .save_to_buffer()
        .map_err(|error| ReportError::Xlsx(error.to_string()))
}

fn failed(sheet: &str, error: &dyn std::fmt::Display) -> ReportError {
    ReportError::Xlsx(format!("sheet \u{201c}{sheet}\u{201d}: {error}"))
}

/// The title, who and when, the attribution, and what each data sheet holds.
fn about_sheet(
    sheet: &mut Worksheet,
    document: &Document,
    tables: &[(&Table, &String)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(ABOUT)?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 70)?;
    sheet.set_column_width(2, 50)?;
    sheet.write_string_with_format(0, 0, &document.title, &formats.title)?;
    let facts = [
        ("Partnership", &document.partnership),
        ("Author", &document.author),
        ("Date", &document.date),
        ("Attribution", &document.attribution),
    ];
    let mut row = 2;
    for (label, value) in facts {
        sheet.write_string_with_format(row, 0, label, &formats.bold)?;
        sheet.write_string_with_format(row, 1, value.as_str(), &formats.wrapped)?;
        row += 1;
    }
    row += 1;
    for (column, title) in ["Sheet", "What it holds", "Source"].into_iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, title, &formats.header)?;
    }
    for (table, name) in tables {
        row += 1;
        sheet.write_string(row, 0, name.as_str())?;
        sheet.write_string_with_format(row, 1, &table.caption, &formats.wrapped)?;
        sheet.write_string_with_format(
            row,
            2,
            table.source.as_deref().unwrap_or(""),
            &formats.wrapped,
        )?;
    }
    row += 1;
    sheet.write_string(row, 0, SOURCES)?;
    sheet.write_string(row, 1, "Every source cited in the report")?;
    Ok(())
}

/// The caption in A1, the source in A2 (if there is one), then the table.
fn data_sheet(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, &table.caption, &formats.title)?;
    let mut header_row = 1;
    if let Some(source) = table.source.as_deref().filter(|source| !source.is_empty()) {
        sheet.write_string(1, 0, format!("Source: {source}"))?;
        header_row = 2;
    }
    if table.columns.is_empty() {
        return Ok(());
    }
    let last_column = column_number(table.columns.len() - 1)?;
    for (index, column) in table.columns.iter().enumerate() {
        let format = if column.numeric {
            &formats.numeric_header
        } else {
            &formats.header
        };
        let at = column_number(index)?;
        sheet.write_string_with_format(header_row, at, &column.title, format)?;
        sheet.set_column_width(at, column_width(table, index))?;
    }
    let mut row = header_row;
    for cells in &table.rows {
        row += 1;
        for (index, cell) in cells.iter().take(table.columns.len()).enumerate() {
            write_cell(sheet, row, column_number(index)?, cell, formats)
                .map_err(|error| at_row(error, row, &table.columns[index].title))?;
        }
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    sheet.autofilter(header_row, 0, row, last_column)?;
    Ok(())
}

/// Names the row (as Excel numbers it) and column of a cell that could not be written.
fn at_row(error: XlsxError, row: u32, column: &str) -> XlsxError {
    XlsxError::ParameterError(format!(
        "row {}, column \u{201c}{column}\u{201d}: {error}",
        row + 1
    ))
}

fn column_number(index: usize) -> Result<u16, XlsxError> {
    u16::try_from(index)
        .map_err(|_| XlsxError::ParameterError(format!("{} columns are too many", index + 1)))
}

/// A number as a number, formatted with the decimal places its shown form has; text (and a
/// number that is not finite) as a string, so `=SUM(A1)` stays text.
fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text { text } => {
            sheet.write_string(row, column, text)?;
        }
        Cell::Number { value, shown } if value.is_finite() => {
            let format = &formats.numbers[decimals(shown).min(DECIMALS_MAX)];
            sheet.write_number_with_format(row, column, *value, format)?;
        }
        Cell::Number { shown, .. } => {
            sheet.write_string(row, column, shown)?;
        }
        Cell::Empty => {}
    }
    Ok(())
}

/// The number of digits after the decimal point in a number as shown, e.g. 1 for "12.5%".
fn decimals(shown: &str) -> usize {
    shown.split_once('.').map_or(0, |(_, after)| {
        after.chars().take_while(char::is_ascii_digit).count()
    })
}

/// A column wide enough for its header and longest value, within reason.
fn column_width(table: &Table, index: usize) -> f64 {
    let longest_cell = table
        .rows
        .iter()
        .map(|row| {
            row.get(index)
                .map_or(0, |cell| cell.shown().chars().count())
        })
        .max()
        .unwrap_or(0);
    let header = table.columns[index].title.chars().count();
    (longest_cell.max(header) + 2).clamp(8, 60) as f64
}

/// Every reference: its label, the full reference and its address (a link where it is one).
fn sources_sheet(
    sheet: &mut Worksheet,
    references: &[Reference],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(SOURCES)?;
    for (column, (title, width)) in [("Label", 30), ("Reference", 90), ("Address", 50)]
        .into_iter()
        .enumerate()
    {
        sheet.write_string_with_format(0, column as u16, title, &formats.header)?;
        sheet.set_column_width(column as u16, width)?;
    }
    let mut row = 0;
    for reference in references {
        row += 1;
        sheet.write_string(row, 0, &reference.label)?;
        sheet.write_string_with_format(row, 1, &reference.full, &formats.wrapped)?;
        if let Some(url) = reference.url.as_deref().filter(|url| !url.is_empty()) {
            // An address Excel will not take as a link is still given, as text.
            if sheet.write_url_with_text(row, 2, url, url).is_err() {
                sheet.write_string(row, 2, url)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row, 2)?;
    Ok(())
}

/// Excel sheet names for the wanted names, in order: without the characters Excel forbids
/// (`[]:*?/\`), at most 31 characters, not starting or ending with an apostrophe, and unique
/// (ignoring case, as Excel does) among themselves and the About and Sources sheets.
fn sheet_names<'a>(wanted: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = vec![ABOUT.to_lowercase(), SOURCES.to_lowercase()];
    let mut names = Vec::new();
    for wanted in wanted {
        let base = clean_sheet_name(wanted);
        let mut name = truncate(&base, SHEET_NAME_MAX);
        let mut number = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({number})");
            name = format!(
                "{}{suffix}",
                truncate(&base, SHEET_NAME_MAX - suffix.chars().count())
            );
            number += 1;
        }
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}

/// A wanted sheet name with forbidden and control characters made spaces, runs of white
/// space made one, and Excel's reserved name "History" avoided.
fn clean_sheet_name(wanted: &str) -> String {
    let replaced: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let name = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = name.trim_matches('\'').trim();
    if name.is_empty() {
        "Table".to_owned()
    } else if name.eq_ignore_ascii_case("history") {
        format!("{name} table")
    } else {
        name.to_owned()
    }
}

/// At most `max` characters, without a trailing space or apostrophe.
fn truncate(name: &str, max: usize) -> String {
    let cut: String = name.chars().take(max).collect();
    let trimmed = cut.trim_end_matches([' ', '\'']);
    if trimmed.is_empty() {
        "Table".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_follow_excels_rules_and_never_collide() {
        let long = "A very long sheet name that goes on and on";
        let wanted = [
            "Need: by tier [2026]",
            long,
            long,
            "sources",
            "'Quoted'",
            "*?/\\",
            "History",
        ];
        let names = sheet_names(wanted.into_iter());
        assert_eq!(
            names,
            [
                "Need by tier 2026",
                "A very long sheet name that goe",
                "A very long sheet name that (2)",
                "sources (2)",
                "Quoted",
                "Table",
                "History table",
            ]
        );
        for name in &names {
            assert!(
                rust_xlsxwriter::utility::check_sheet_name(name).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn decimals_follow_the_number_as_shown() {
        assert_eq!(decimals("1,234"), 0);
        assert_eq!(decimals("12.5%"), 1);
        assert_eq!(decimals("0.125"), 3);
    }
}
