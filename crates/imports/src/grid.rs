//! CSV and XLSX files as rows of text cells, numbered as a spreadsheet numbers them, so
//! that each importer reads both kinds of file the same way.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// The first bytes of a ZIP archive, which every XLSX file is.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// The first bytes of an old binary Excel (`.xls`) workbook.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0";
/// The byte-order mark Excel writes at the start of "CSV UTF-8" files.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// One row: its 1-based number and its cells as trimmed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) number: usize,
    pub(crate) cells: Vec<String>,
}

impl Row {
    pub(crate) fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }

    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|cell| cell.is_empty())
    }
}

/// Reads a CSV or XLSX file (told apart by their first bytes, not by a file name that may
/// be wrong) into rows; the error is a message about the file as a whole.
pub(crate) fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, String> {
    if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes)
    } else if bytes.starts_with(OLE_MAGIC) {
        Err(
            "The file is an old Excel workbook (.xls): save it as .xlsx or CSV and try again"
                .into(),
        )
    } else {
        read_csv(bytes)
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (index, record) in reader.byte_records().enumerate() {
        let record = record.map_err(|error| {
            format!("Row {}: the file cannot be read as CSV: {error}", index + 1)
        })?;
        let cells = record
            .iter()
            .map(|field| match std::str::from_utf8(field) {
                Ok(text) => text.trim().to_owned(),
                // Excel's plain "CSV" is Windows-1252; its Latin-1 part keeps "Môn" intact.
                Err(_) => field
                    .iter()
                    .map(|&byte| char::from(byte))
                    .collect::<String>()
                    .trim()
                    .to_owned(),
            })
            .collect();
        rows.push(Row {
            number: index + 1,
            cells,
        });
    }
    Ok(rows)
}

/// Reads the workbook's first worksheet.
fn read_xlsx(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|error| format!("The file cannot be opened as an Excel workbook: {error}"))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or("The workbook has no worksheets")?
        .map_err(|error| format!("The first worksheet cannot be read: {error}"))?;
    // A range starts at its first used cell; offset by it so that numbers match Excel's.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let (first_row, first_column) = (first_row as usize, first_column as usize);
    Ok(range
        .rows()
        .enumerate()
        .map(|(index, cells)| Row {
            number: first_row + index + 1,
            cells: std::iter::repeat_n(String::new(), first_column)
                .chain(cells.iter().map(cell_text))
                .collect(),
        })
        .collect())
}

/// A cell as the text a person would have typed: `120` rather than `120.0`, a date as
/// `2027-03-31`, TRUE as `yes`.
fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            text.trim().to_owned()
        }
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{number:.0}")
        }
        Data::Float(number) => number.to_string(),
        Data::Int(number) => number.to_string(),
        Data::Bool(true) => "yes".to_owned(),
        Data::Bool(false) => "no".to_owned(),
        Data::DateTime(date) => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        Data::Error(error) => format!("the error {error}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn csv_rows_are_numbered_from_the_header_and_cells_trimmed() {
        let rows = read_csv(b"\xEF\xBB\xBFkey,name\n a ,\"Two,\nlines\"\n,\n").unwrap();
        assert_eq!(rows[0].cells, ["key", "name"]);
        assert_eq!(rows[1].number, 2);
        assert_eq!(rows[1].cells, ["a", "Two,\nlines"]);
        assert!(rows[2].is_blank());
    }

    #[test]
    fn old_excel_files_are_refused_with_advice() {
        let message = read_rows(b"\xD0\xCF\x11\xE0rest").unwrap_err();
        assert!(message.contains("save it as .xlsx or CSV"), "{message}");
    }
}
