//! Files as grids of cells, with the row numbers a person sees in a spreadsheet, so that
//! every reader reads CSV and XLSX the same way, within the limits of [`crate::limits`].

use std::io::{self, Cursor, Read};
use std::panic::{AssertUnwindSafe, UnwindSafe};

use calamine::{Data, DataRef, Reader, Xlsx, open_workbook_from_rs};

use crate::limits::{MAX_COLUMNS, MAX_ROWS, MAX_UNZIPPED_BYTES, MAX_UNZIPPED_LABEL, with_commas};
use crate::problem::{Problem, column_letter};

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
    /// Something that is neither text nor a number (an Excel error such as `#REF!`, a date, a
    /// true/false value): described for a message, and as a person would have typed it
    /// (`2027-03-31`, `yes`) for readers that take dates and yes/no answers.
    Other {
        description: String,
        as_typed: String,
    },
}

impl Cell {
    /// The cell as a header or code reads it: trimmed text, or a whole number written plainly
    /// (spreadsheets store an age heading `0` as the number 0).
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(text) => text.trim().to_owned(),
            Self::Number(number) => format_number(*number),
            Self::Other { description, .. } => description.clone(),
        }
    }

    /// The cell as a person would have typed it: trimmed text, `120` rather than `120.0`, a
    /// date as `2027-03-31`, TRUE as `yes`.
    pub(crate) fn as_typed(&self) -> String {
        match self {
            Self::Other { as_typed, .. } => as_typed.clone(),
            _ => self.text(),
        }
    }

    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(text) => text.trim().is_empty(),
            Self::Number(_) | Self::Other { .. } => false,
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

/// Reads CSV bytes into a grid. Rows may differ in length, as exported files often do. A file
/// beyond [`MAX_ROWS`] or [`MAX_COLUMNS`] is refused as it is read.
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
        check_position("file", number - 1, 0).map_err(Problem::file)?;
        let mut cells = Vec::new();
        for (column, field) in record.iter().enumerate() {
            let text = match std::str::from_utf8(field) {
                Ok(text) => text.to_owned(),
                Err(_) => field.iter().map(|&byte| char::from(byte)).collect(),
            };
            if text.trim().is_empty() {
                // Empty cells past the last column read are not kept: a line of commas
                // would otherwise cost a cell each.
                if column < MAX_COLUMNS {
                    cells.push(Cell::Empty);
                }
            } else {
                check_position("file", number - 1, column).map_err(Problem::file)?;
                cells.push(Cell::Text(text));
            }
        }
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

/// Why a worksheet could not be read.
#[derive(Debug)]
pub(crate) enum SheetError {
    /// The XLSX reader's own words, for the caller to put in its message.
    Unreadable(String),
    /// Beyond Cradle's limits: a whole message naming the limit.
    TooLarge(String),
}

/// Runs part of the XLSX reader, turning a panic in it into a damaged-file error. calamine
/// 0.32 overflows on a cell reference with very many digits or letters (`B99999999999`),
/// which panics wherever overflow checks are on; such a workbook is damaged, and is refused
/// as one rather than taking the request down.
fn guarded<T>(read: impl FnOnce() -> Result<T, SheetError> + UnwindSafe) -> Result<T, SheetError> {
    std::panic::catch_unwind(read).unwrap_or_else(|_| {
        Err(SheetError::Unreadable(
            "part of it is damaged (a cell reference is out of range)".to_owned(),
        ))
    })
}

/// An XLSX workbook, opened once its size has been checked.
pub(crate) struct Workbook<'a> {
    workbook: Xlsx<Cursor<&'a [u8]>>,
}

impl<'a> Workbook<'a> {
    /// Opens a workbook after checking what it unzips to, so that a small file cannot
    /// unzip to gigabytes. The error is the XLSX reader's own words
    /// ([`SheetError::Unreadable`]) or a message naming the limit.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Self, SheetError> {
        check_unzipped_size(bytes, MAX_UNZIPPED_BYTES).map_err(SheetError::TooLarge)?;
        let workbook = guarded(|| {
            open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|error: calamine::XlsxError| SheetError::Unreadable(error.to_string()))
        })?;
        Ok(Self { workbook })
    }

    /// The worksheets' names, in the workbook's order.
    pub(crate) fn sheet_names(&self) -> Vec<String> {
        self.workbook.sheet_names()
    }

    /// Reads one worksheet cell by cell, refusing it as soon as it declares or holds a cell
    /// beyond [`MAX_ROWS`] or [`MAX_COLUMNS`], rather than allocating the range it declares.
    /// Rows are numbered from the first used row as Excel numbers them; a row's cells run to
    /// its last used cell.
    pub(crate) fn read_sheet(&mut self, name: &str) -> Result<Vec<Row>, SheetError> {
        guarded(AssertUnwindSafe(|| self.read_sheet_unguarded(name)))
    }

    fn read_sheet_unguarded(&mut self, name: &str) -> Result<Vec<Row>, SheetError> {
        let unreadable = |error: calamine::XlsxError| SheetError::Unreadable(error.to_string());
        let mut reader = match self.workbook.worksheet_cells_reader(name) {
            Ok(reader) => reader,
            // A chart sheet has no cells: read it as empty, as a range would.
            Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
            Err(error) => return Err(unreadable(error)),
        };
        let declared = reader.dimensions();
        check_position("sheet", declared.end.0 as usize, declared.end.1 as usize)
            .map_err(SheetError::TooLarge)?;
        let mut cells: Vec<(usize, usize, Cell)> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let (row, column) = cell.get_position();
            let (row, column) = (row as usize, column as usize);
            check_position("sheet", row, column).map_err(SheetError::TooLarge)?;
            cells.push((
                row,
                column,
                cell_from_xlsx(&Data::from(cell.get_value().clone())),
            ));
        }
        Ok(rows_from_cells(cells))
    }
}

/// Reads every worksheet of an XLSX workbook, in the workbook's order.
pub(crate) fn read_xlsx(bytes: &[u8]) -> Result<Vec<Grid>, Problem> {
    let mut workbook = Workbook::open(bytes).map_err(|error| match error {
        SheetError::Unreadable(error) => Problem::file(format!(
            "the file cannot be opened as an Excel workbook: {error}"
        )),
        SheetError::TooLarge(message) => Problem::file(message),
    })?;
    let mut grids = Vec::new();
    for name in workbook.sheet_names() {
        let rows = workbook.read_sheet(&name).map_err(|error| Problem {
            sheet: Some(name.clone()),
            ..Problem::file(match error {
                SheetError::Unreadable(error) => format!("the worksheet cannot be read: {error}"),
                SheetError::TooLarge(message) => message,
            })
        })?;
        grids.push(Grid {
            sheet: Some(name),
            rows,
        });
    }
    Ok(grids)
}

/// Rows from a sheet's used cells, from the first used row to the last, with the empty rows
/// between them, as a spreadsheet shows them.
fn rows_from_cells(mut cells: Vec<(usize, usize, Cell)>) -> Vec<Row> {
    cells.sort_by_key(|(row, column, _)| (*row, *column));
    let Some(first_row) = cells.first().map(|(row, ..)| *row) else {
        return Vec::new();
    };
    let mut rows: Vec<Row> = Vec::new();
    for (row, column, cell) in cells {
        while rows.len() <= row - first_row {
            rows.push(Row {
                number: first_row + rows.len() + 1,
                cells: Vec::new(),
            });
        }
        if let Some(last) = rows.last_mut() {
            if last.cells.len() <= column {
                last.cells.resize(column + 1, Cell::Empty);
            }
            last.cells[column] = cell;
        }
    }
    rows
}

/// Refuses a cell (0-based) beyond the rows and columns Cradle reads.
fn check_position(what: &str, row: usize, column: usize) -> Result<(), String> {
    if row >= MAX_ROWS {
        return Err(format!(
            "The {what} has more than {} rows, more than Cradle reads: import a smaller table",
            with_commas(MAX_ROWS)
        ));
    }
    if column >= MAX_COLUMNS {
        return Err(format!(
            "The {what} has cells beyond column {} ({MAX_COLUMNS} columns), more than Cradle \
             reads: import a table with fewer columns",
            column_letter(MAX_COLUMNS - 1)
        ));
    }
    Ok(())
}

/// Measures what every part of the workbook unzips to, by unzipping it (a ZIP's declared
/// sizes may lie), and refuses a workbook beyond `limit` bytes in all ([`MAX_UNZIPPED_BYTES`]
/// but in tests). A file that is not a readable ZIP passes, for the XLSX reader to describe.
fn check_unzipped_size(bytes: &[u8], limit: u64) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let label = if limit == MAX_UNZIPPED_BYTES {
        MAX_UNZIPPED_LABEL.to_owned()
    } else {
        format!(
            "{} bytes",
            with_commas(usize::try_from(limit).unwrap_or(usize::MAX))
        )
    };
    let too_large = |part: &str| {
        format!(
            "The workbook unzips to more than {label} (at its part “{part}”), more \
             than Cradle reads: save the table alone as CSV or in a smaller workbook"
        )
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let Ok(mut part) = archive.by_index(index) else {
            return Ok(());
        };
        let allowance = limit - total;
        if part.size() > allowance {
            return Err(too_large(part.name()));
        }
        let name = part.name().to_owned();
        // One byte more than allowed is enough to know the part is too large.
        let Ok(unzipped) = io::copy(&mut (&mut part).take(allowance + 1), &mut io::sink()) else {
            return Ok(());
        };
        if unzipped > allowance {
            return Err(too_large(&name));
        }
        total += unzipped;
    }
    Ok(())
}

fn cell_from_xlsx(data: &Data) -> Cell {
    let other = |description: String, as_typed: String| Cell::Other {
        description,
        as_typed,
    };
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) if text.trim().is_empty() => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Float(number) => Cell::Number(*number),
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Bool(value) => other(
            value.to_string().to_uppercase(),
            if *value { "yes" } else { "no" }.to_owned(),
        ),
        Data::Error(error) => other(format!("the error {error}"), format!("the error {error}")),
        Data::DateTime(date) => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            other(
                format!("a date or time ({data})"),
                format!("{year:04}-{month:02}-{day:02}"),
            )
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => {
            other(format!("a date or time ({data})"), text.trim().to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::*;

    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// A one-sheet workbook built part by part, so that a test can put anything in a part.
    /// `parts` are extra (name, content) pairs: a shared-strings table, or anything else.
    fn workbook(sheet: &[u8], parts: &[(&str, &[u8])]) -> Vec<u8> {
        let workbook = format!(
            "<workbook xmlns=\"{MAIN}\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
             <sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        );
        let relationships = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
             </Relationships>";
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let mut add = |name: &str, content: &[u8]| {
            zip.start_file(name, options).unwrap();
            zip.write_all(content).unwrap();
        };
        add("xl/workbook.xml", workbook.as_bytes());
        add("xl/_rels/workbook.xml.rels", relationships.as_bytes());
        add("xl/worksheets/sheet1.xml", sheet);
        for (name, content) in parts {
            add(name, content);
        }
        zip.finish().unwrap().into_inner()
    }

    fn sheet_xml(dimension: Option<&str>, cells: &str) -> Vec<u8> {
        let dimension = dimension.map_or(String::new(), |range| {
            format!("<dimension ref=\"{range}\"/>")
        });
        format!("<worksheet xmlns=\"{MAIN}\">{dimension}<sheetData>{cells}</sheetData></worksheet>")
            .into_bytes()
    }

    fn refusal(bytes: &[u8]) -> String {
        read_xlsx(bytes).unwrap_err().to_string()
    }

    #[test]
    fn a_small_workbook_reads_cell_by_cell_with_rows_numbered_as_excel_does() {
        let bytes = workbook(
            &sheet_xml(
                Some("B2:C4"),
                "<row r=\"2\"><c r=\"C2\"><v>915</v></c></row>\
                 <row r=\"4\"><c r=\"B4\" t=\"inlineStr\"><is><t>Hartlepool</t></is></c></row>",
            ),
            &[],
        );
        let grids = read_xlsx(&bytes).unwrap();
        let rows: Vec<(usize, Vec<String>)> = grids[0]
            .rows
            .iter()
            .map(|row| (row.number, row.cells.iter().map(Cell::text).collect()))
            .collect();
        assert_eq!(
            rows,
            [
                (2, vec![String::new(), String::new(), "915".to_owned()]),
                (3, vec![]),
                (4, vec![String::new(), "Hartlepool".to_owned()]),
            ]
        );
    }

    /// 1.5 KB that a dense reader would turn into 17 billion cells.
    #[test]
    fn a_sheet_declaring_the_whole_grid_is_refused_before_it_is_read() {
        let cells = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
                     <row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>";
        let declared = workbook(&sheet_xml(Some("A1:XFD1048576"), cells), &[]);
        assert!(declared.len() < 2_000, "{} bytes", declared.len());
        let message = refusal(&declared);
        assert!(
            message.starts_with("Sheet \"Data\": The sheet has more than 1,000,000 rows"),
            "{message}"
        );
        // Without a dimension, the far cell is caught as it is read.
        let message = refusal(&workbook(&sheet_xml(None, cells), &[]));
        assert!(message.contains("more than 1,000,000 rows"), "{message}");
        let wide = "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\"><v>1</v></c></row>";
        let message = refusal(&workbook(&sheet_xml(None, wide), &[]));
        assert!(
            message.contains("cells beyond column GR (200 columns)"),
            "{message}"
        );
    }

    /// Bombs are built against a lower limit than [`MAX_UNZIPPED_BYTES`]: compressing 200 MB
    /// in an unoptimised test build takes most of a minute. The check is the same.
    const BOMB_LIMIT: u64 = 4 * 1024 * 1024;

    /// One shared string of 5 MB, a few kilobytes zipped.
    #[test]
    fn a_shared_string_bomb_is_refused_before_it_is_unzipped() {
        let mut strings = format!("<sst xmlns=\"{MAIN}\"><si><t>").into_bytes();
        strings.resize(strings.len() + 5 * 1024 * 1024, b'a');
        strings.extend_from_slice(b"</t></si></sst>");
        let cells = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>";
        let bytes = workbook(
            &sheet_xml(None, cells),
            &[("xl/sharedStrings.xml", &strings)],
        );
        assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
        let message = check_unzipped_size(&bytes, BOMB_LIMIT).unwrap_err();
        assert!(
            message.starts_with(
                "The workbook unzips to more than 4,194,304 bytes (at its part “xl/sharedStrings.xml”)"
            ),
            "{message}"
        );
        // Within the limit, the same workbook reads.
        assert!(check_unzipped_size(&bytes, 2 * BOMB_LIMIT).is_ok());
        assert_eq!(
            read_xlsx(&bytes).unwrap()[0].rows[0].cell(0).text().len(),
            5 * 1024 * 1024
        );
    }

    /// A sheet of 5 MB of empty rows.
    #[test]
    fn a_sheet_xml_bomb_is_refused_before_it_is_unzipped() {
        let row = b"<row/>";
        let mut sheet = format!("<worksheet xmlns=\"{MAIN}\"><sheetData>").into_bytes();
        while sheet.len() < 5 * 1024 * 1024 {
            sheet.extend_from_slice(row);
        }
        sheet.extend_from_slice(b"</sheetData></worksheet>");
        let bytes = workbook(&sheet, &[]);
        assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
        let message = check_unzipped_size(&bytes, BOMB_LIMIT).unwrap_err();
        assert!(
            message.contains("(at its part “xl/worksheets/sheet1.xml”)"),
            "{message}"
        );
    }

    #[test]
    fn a_csv_beyond_the_columns_read_is_refused_and_empty_cells_past_them_dropped() {
        let mut line = ",".repeat(5_000);
        line.push('\n');
        let grid = read_csv(format!("a,b\n{line}").as_bytes()).unwrap();
        assert_eq!(grid.rows[1].cells.len(), MAX_COLUMNS);
        let wide = format!("{}x\n", ",".repeat(MAX_COLUMNS));
        let problem = read_csv(wide.as_bytes()).unwrap_err();
        assert!(
            problem
                .message
                .starts_with("The file has cells beyond column GR"),
            "{problem}"
        );
    }

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
