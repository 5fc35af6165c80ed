//! The service map as a file: one service a row under a header row naming the columns of
//! [`template_csv`]. Multi-value cells separate their values with `;`.

use std::collections::HashMap;

use cradle_domain::services::{Service, ServiceField, ServiceFields};

use crate::grid::{self, Row, SheetError, Workbook};
use crate::problem::{ColumnRef, Problem, ProblemList, Problems};

/// A problem on a row, in the template's column for `field`.
fn in_column(row: usize, field: ServiceField, message: String) -> Problem {
    Problem {
        row: Some(row),
        column: Some(ColumnRef::named(field.column())),
        ..Problem::file(message)
    }
}

/// A problem on a row as a whole.
fn on_row(row: usize, message: String) -> Problem {
    Problem {
        row: Some(row),
        ..Problem::file(message)
    }
}

/// Reads a CSV or XLSX file (told apart by their first bytes, not by a file name that may
/// be wrong) into rows: the first worksheet of a workbook.
fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, Problem> {
    if grid::is_old_excel(bytes) {
        return Err(Problem::file(
            "The file is an old Excel workbook (.xls): save it as .xlsx or CSV and try again",
        ));
    }
    if !grid::is_xlsx(bytes) {
        return grid::read_csv(bytes).map(|grid| grid.rows);
    }
    let mut workbook = Workbook::open(bytes).map_err(|error| match error {
        SheetError::Unreadable(error) => Problem::file(format!(
            "The file cannot be opened as an Excel workbook: {error}"
        )),
        SheetError::TooLarge(message) => Problem::file(message),
    })?;
    let first = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| Problem::file("The workbook has no worksheets"))?;
    workbook.read_sheet(&first).map_err(|error| match error {
        SheetError::Unreadable(error) => {
            Problem::file(format!("The first worksheet cannot be read: {error}"))
        }
        SheetError::TooLarge(message) => Problem::file(message),
    })
}

/// The columns a file must have; the others may be left out.
const REQUIRED: [ServiceField; 7] = [
    ServiceField::Key,
    ServiceField::Name,
    ServiceField::Provider,
    ServiceField::Sector,
    ServiceField::Tier,
    ServiceField::AgeBands,
    ServiceField::Levels,
];

/// Reads every service in a CSV or XLSX file, or returns every problem (in row order), so
/// that a file with any mistake imports nothing.
pub fn read_services(bytes: &[u8]) -> Result<Vec<Service>, Problems> {
    let rows = read_rows(bytes).map_err(|problem| vec![problem])?;
    let mut rows = rows.into_iter().skip_while(Row::is_blank);
    let Some(header) = rows.next() else {
        return Err(vec![Problem::file(
            "The file is empty: it needs a header row naming the columns, then one service a row",
        )]
        .into());
    };
    let columns = read_header(&header)?;

    let mut services = Vec::new();
    let mut problems = ProblemList::default();
    let mut first_row_of_key: HashMap<String, usize> = HashMap::new();
    for row in rows.filter(|row| !row.is_blank()) {
        let mut fields = ServiceFields::default();
        for (index, field) in &columns {
            fields.set(*field, row.cell(*index).as_typed());
        }
        match fields.validate() {
            Ok(service) => {
                // Keys compare without regard to case, as people retype them.
                let folded = service.key.to_lowercase();
                if let Some(first) = first_row_of_key.get(&folded) {
                    problems.push(in_column(
                        row.number,
                        ServiceField::Key,
                        format!(
                            "“{}” is also the key on row {first}; each service needs its own key",
                            service.key
                        ),
                    ));
                } else {
                    first_row_of_key.insert(folded, row.number);
                    services.push(service);
                }
            }
            Err(errors) => problems.extend(
                errors
                    .into_iter()
                    .map(|error| in_column(row.number, error.field, error.problem.to_string())),
            ),
        }
    }
    if !problems.is_empty() {
        return Err(problems.into_problems());
    }
    if services.is_empty() {
        return Err(vec![Problem::file(
            "The file has a header row but no services below it",
        )]
        .into());
    }
    Ok(services)
}

/// Which column holds which field; every unknown, repeated or missing column is a problem.
fn read_header(header: &Row) -> Result<Vec<(usize, ServiceField)>, Vec<Problem>> {
    let mut columns: Vec<(usize, ServiceField)> = Vec::new();
    let mut problems = Vec::new();
    for (index, heading) in header.cells.iter().map(grid::Cell::as_typed).enumerate() {
        if heading.is_empty() {
            continue;
        }
        match heading.parse::<ServiceField>() {
            Ok(field) if columns.iter().any(|(_, known)| *known == field) => {
                problems.push(in_column(
                    header.number,
                    field,
                    "this column appears twice".to_owned(),
                ));
            }
            Ok(field) => columns.push((index, field)),
            Err(()) => problems.push(on_row(
                header.number,
                format!(
                    "“{heading}” is not one of the template's columns: {}",
                    ServiceField::ALL.map(ServiceField::column).join(", ")
                ),
            )),
        }
    }
    for field in REQUIRED {
        if !columns.iter().any(|(_, known)| *known == field) {
            problems.push(on_row(
                header.number,
                format!("the column \"{}\" is missing", field.column()),
            ));
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

/// The template to fill in: the header row, then one example service. The example reads
/// as an example and can be overwritten; the notes for each column are in
/// [`ServiceField::guidance`].
pub fn template_csv() -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = ServiceField::ALL.map(ServiceField::column);
    let example = [
        "PIT-01",
        "Parent–infant relationship team",
        "Example NHS Foundation Trust",
        "health",
        "specialist",
        "pregnancy; 0-6m; 6-12m; 1-2y",
        "child; caregiving",
        "being-emotional; being-social; becoming-emotional",
        "yes",
        "E06000001",
        "Families with a baby under two where there are worries about the relationship",
        "HV-01; PNMH-01",
        "120",
        "2027-03-31",
    ];
    // Writing to memory cannot fail, and every record has the header's length.
    let written = writer
        .write_record(header)
        .and_then(|()| writer.write_record(example));
    let bytes = writer.into_inner().unwrap_or_default();
    debug_assert!(written.is_ok());
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_template_imports_as_its_example_service() {
        let services = read_services(template_csv().as_bytes()).unwrap();
        assert_eq!(services.len(), 1);
        assert_eq!(services[0].key, "PIT-01");
        assert_eq!(services[0].stages.len(), 4);
    }

    #[test]
    fn problems_read_with_row_and_column() {
        let problem = in_column(
            4,
            ServiceField::Tier,
            "“tier 9” is not a tier of need".into(),
        );
        assert_eq!(
            problem.to_string(),
            "Row 4, column \"tier\": “tier 9” is not a tier of need"
        );
    }

    #[test]
    fn a_header_missing_columns_names_each_and_unknown_headings() {
        let problems = read_services(b"key,name,colour\nA,B,red\n").unwrap_err();
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(messages[0].starts_with("Row 1: “colour” is not one of the template's columns"));
        assert!(messages.contains(&"Row 1: the column \"tier\" is missing".to_owned()));
        assert_eq!(problems.len(), 6);
    }

    #[test]
    fn csv_rows_are_numbered_from_the_header_and_cells_trimmed() {
        let rows = read_rows(b"\xEF\xBB\xBFkey,name\n a ,\"Two,\nlines\"\n,\n").unwrap();
        let texts =
            |row: &Row| -> Vec<String> { row.cells.iter().map(grid::Cell::as_typed).collect() };
        assert_eq!(texts(&rows[0]), ["key", "name"]);
        assert_eq!(rows[1].number, 2);
        assert_eq!(texts(&rows[1]), ["a", "Two,\nlines"]);
        assert!(rows[2].is_blank());
    }

    #[test]
    fn old_excel_files_are_refused_with_advice() {
        let message = read_rows(b"\xD0\xCF\x11\xE0rest").unwrap_err().message;
        assert!(message.contains("save it as .xlsx or CSV"), "{message}");
    }

    /// A file with more bad rows than are kept: the first are kept, the rest counted.
    #[test]
    fn problems_beyond_the_cap_are_counted_not_kept() {
        let template = template_csv();
        let (header, example) = template.split_once('\n').unwrap();
        let mut file = format!("{header}\n");
        let bad_rows = crate::limits::MAX_PROBLEMS_KEPT + 1_234;
        for _ in 0..bad_rows {
            file.push_str(&example.replacen(",specialist,", ",tier 9,", 1));
        }
        let problems = read_services(file.as_bytes()).unwrap_err();
        assert_eq!(problems.listed.len(), crate::limits::MAX_PROBLEMS_KEPT);
        assert_eq!(problems.unlisted, 1_234);
        assert_eq!(problems.total(), bad_rows);
        assert!(
            problems[0]
                .to_string()
                .starts_with("Row 2, column \"tier\": ")
        );
        assert!(
            crate::report(&problems)
                .ends_with("\n… and 1,234 more problems: only the first 1,000 are listed")
        );
    }

    #[test]
    fn an_empty_file_says_so() {
        let problems = read_services(b"").unwrap_err();
        assert!(problems[0].message.starts_with("The file is empty"));
    }
}
