//! Files as grids of cells, with the row numbers a person sees in a spreadsheet, so that the
//! importers read CSV and XLSX the same way.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::problem::Problem;

/// The first bytes of a ZIP archive, which every XLSX file is.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The first bytes of an OLE compound file: an old Excel `.xls` workbook.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";
/// The UTF-8 byte-order mark that Excel and the ONS Open Geography Portal put at the start.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One cell's content, before any meaning is given to it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// Something that is neither text nor a number, described for a message (an Excel error
    /// such as `#REF!`, a date, a true/false value).
    Other(String),
}

impl Cell {
    /// The cell as a header or code reads it: trimmed text, or a whole number written plainly
    /// (spreadsheets store an age heading `0` as the number 0).
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.trim().to_owned(),
            Self::Number(number) => format_number(*number),
            Self::Other(description) => description.clone(),
        }
    }

    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(text) => text.trim().is_empty(),
            Self::Number(_) | Self::Other(_) => false,
        }
    }
}

/// Writes a number as a person would type it: `915`, not `915.0`.
pub(crate) fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

/// A row of cells, indexed by 0-based column.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// 1-based, as a spreadsheet numbers it.
    pub(crate) number: usize,
    pub(crate) cells: Vec<Cell>,
}

impl Row {
    pub(crate) fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// A table of rows: a CSV file, or one worksheet.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// The worksheet's name; `None` for CSV.
    pub(crate) sheet: Option<String>,
    pub(crate) rows: Vec<Row>,
}

/// Whether the bytes are a ZIP archive, and so (for our purposes) an XLSX workbook.
pub(crate) fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// Whether the bytes are an old binary Excel workbook, which Cradle does not read.
pub(crate) fn is_old_excel(bytes: &[u8]) -> bool {
    bytes.starts_with(OLE_MAGIC)
}

/// Reads CSV bytes into a grid. Rows may differ in length, as exported files often do.
///
/// Text that is not UTF-8 is read as Windows-1252's Latin-1 subset, which is what Excel on
/// Windows writes when asked for plain "CSV", so that `Ynys Môn` survives either way.
pub(crate) fn read_csv(bytes: &[u8]) -> Result<Grid, Problem> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    // The CSV reader passes over empty lines, which a spreadsheet shows as empty rows: a
    // record's position is where its empty lines began, so count them back in.
    let mut number = 0;
    for record in reader.byte_records() {
        let record = record.map_err(|error| Problem {
            row: Some(number + 1),
            ..Problem::file(format!("the file cannot be read as CSV: {error}"))
        })?;
        let start = record
            .position()
            .and_then(|position| usize::try_from(position.byte()).ok())
            .unwrap_or(0);
        number += empty_lines_at(bytes, start) + 1;
        let cells = record
            .iter()
            .map(|field| {
                let text = match std::str::from_utf8(field) {
                    Ok(text) => text.to_owned(),
                    Err(_) => field.iter().map(|&byte| char::from(byte)).collect(),
                };
                if text.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(text)
                }
            })
            .collect();
        rows.push(Row { number, cells });
    }
    Ok(Grid { sheet: None, rows })
}

/// How many empty lines begin at `start`, counting `\r\n`, `\n` and `\r` each as one line
/// ending, and not counting the `\n` of a `\r\n` that ended the line before.
fn empty_lines_at(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    if at > 0 && bytes.get(at - 1) == Some(&b'\r') && bytes.get(at) == Some(&b'\n') {
        at += 1;
    }
    let mut lines = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => at += 2,
            b'\r' | b'\n' => at += 1,
            _ => break,
        }
        lines += 1;
    }
    lines
}

/// Reads every worksheet of an XLSX workbook, in the workbook's order.
pub(crate) fn read_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, Problem> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|error| {
        Problem::file(format!(
            "the file cannot be opened as an Excel workbook: {error}"
        ))
    })?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|error| Problem {
            sheet: Some(name.clone()),
            ..Problem::file(format!("the worksheet cannot be read: {error}"))
        })?;
        // A range starts at its first used cell; offset by it so that numbers match Excel's.
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let (first_row, first_column) = (first_row as usize, first_column as usize);
        let rows = range
            .rows()
            .enumerate()
            .map(|(index, cells)| Row {
                number: first_row + index + 1,
                cells: std::iter::repeat_n(Cell::Empty, first_column)
                    .chain(cells.iter().map(cell_from_xlsx))
                    .collect(),
            })
            .collect();
        grids.push(Grid {
            sheet: Some(name),
            rows,
        });
    }
    Ok(grids)
}

fn cell_from_xlsx(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) if text.trim().is_empty() => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Float(number) => Cell::Number(*number),
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Bool(value) => Cell::Other(value.to_string().to_uppercase()),
        Data::Error(error) => Cell::Other(format!("the error {error}")),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => {
            Cell::Other(format!("a date or time ({data})"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let grid = read_csv(
            b"\xEF\xBB\xBFcode,name\nE06000001,\"Hart,\npool\"\n,\nW06000001,Ynys M\xF4n\n\nW06000002,Gwynedd\n",
        )
        .unwrap();
        let texts: Vec<(usize, Vec<String>)> = grid
            .rows
            .iter()
            .map(|row| (row.number, row.cells.iter().map(Cell::text).collect()))
            .collect();
        assert_eq!(
            texts,
            [
                (1, vec!["code".to_owned(), "name".to_owned()]),
                (2, vec!["E06000001".to_owned(), "Hart,\npool".to_owned()]),
                (3, vec![String::new(), String::new()]),
                (4, vec!["W06000001".to_owned(), "Ynys Môn".to_owned()]),
                // After an empty line, which a spreadsheet shows as row 5.
                (6, vec!["W06000002".to_owned(), "Gwynedd".to_owned()]),
            ]
        );
        assert!(grid.rows[2].is_blank());
    }

    #[test]
    fn windows_line_endings_and_empty_lines_number_rows_as_a_spreadsheet_does() {
        let grid = read_csv(b"a\r\nb\r\n\r\n\r\nc\r\n\nd\n").unwrap();
        let numbers: Vec<(usize, String)> = grid
            .rows
            .iter()
            .map(|row| (row.number, row.cell(0).text()))
            .collect();
        assert_eq!(
            numbers,
            [
                (1, "a".to_owned()),
                (2, "b".to_owned()),
                (5, "c".to_owned()),
                (7, "d".to_owned()),
            ]
        );
    }

    #[test]
    fn numbers_read_as_people_type_them() {
        assert_eq!(Cell::Number(0.0).text(), "0");
        assert_eq!(Cell::Number(915.0).text(), "915");
        assert_eq!(Cell::Number(2262.5).text(), "2262.5");
    }
}
