//! The service map as a file: one service a row under a header row naming the columns of
//! [`template_csv`]. Multi-value cells separate their values with `;`.

use std::collections::HashMap;
use std::fmt;

use cradle_domain::services::{Service, ServiceField, ServiceFields};

use crate::grid::{Row, read_rows};

/// One problem in an imported file, located by row and column where it has them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based, as a spreadsheet numbers rows (the header is row 1).
    pub row: Option<usize>,
    /// The column's heading, as the template names it.
    pub column: Option<&'static str>,
    pub message: String,
}

impl ImportProblem {
    fn file(message: impl Into<String>) -> Self {
        Self {
            row: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportProblem {
    /// `Row 4, column "tier": “tier 9” is not a tier of need; expected one of: …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column) {
            (Some(row), Some(column)) => write!(f, "Row {row}, column \"{column}\": ")?,
            (Some(row), None) => write!(f, "Row {row}: ")?,
            (None, Some(column)) => write!(f, "Column \"{column}\": ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
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
pub fn read_services(bytes: &[u8]) -> Result<Vec<Service>, Vec<ImportProblem>> {
    let rows = read_rows(bytes).map_err(|message| vec![ImportProblem::file(message)])?;
    let mut rows = rows.into_iter().skip_while(Row::is_blank);
    let Some(header) = rows.next() else {
        return Err(vec![ImportProblem::file(
            "The file is empty: it needs a header row naming the columns, then one service a row",
        )]);
    };
    let columns = read_header(&header)?;

    let mut services = Vec::new();
    let mut problems = Vec::new();
    let mut first_row_of_key: HashMap<String, usize> = HashMap::new();
    for row in rows.filter(|row| !row.is_blank()) {
        let mut fields = ServiceFields::default();
        for (index, field) in &columns {
            fields.set(*field, row.cell(*index).to_owned());
        }
        match fields.validate() {
            Ok(service) => {
                // Keys compare without regard to case, as people retype them.
                let folded = service.key.to_lowercase();
                if let Some(first) = first_row_of_key.get(&folded) {
                    problems.push(ImportProblem {
                        row: Some(row.number),
                        column: Some(ServiceField::Key.column()),
                        message: format!(
                            "“{}” is also the key on row {first}; each service needs its own key",
                            service.key
                        ),
                    });
                } else {
                    first_row_of_key.insert(folded, row.number);
                    services.push(service);
                }
            }
            Err(errors) => problems.extend(errors.into_iter().map(|error| ImportProblem {
                row: Some(row.number),
                column: Some(error.field.column()),
                message: error.problem.to_string(),
            })),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if services.is_empty() {
        return Err(vec![ImportProblem::file(
            "The file has a header row but no services below it",
        )]);
    }
    Ok(services)
}

/// Which column holds which field; every unknown, repeated or missing column is a problem.
fn read_header(header: &Row) -> Result<Vec<(usize, ServiceField)>, Vec<ImportProblem>> {
    let mut columns: Vec<(usize, ServiceField)> = Vec::new();
    let mut problems = Vec::new();
    for (index, heading) in header.cells.iter().enumerate() {
        if heading.is_empty() {
            continue;
        }
        match heading.parse::<ServiceField>() {
            Ok(field) if columns.iter().any(|(_, known)| *known == field) => {
                problems.push(ImportProblem {
                    row: Some(header.number),
                    column: Some(field.column()),
                    message: "this column appears twice".to_owned(),
                });
            }
            Ok(field) => columns.push((index, field)),
            Err(()) => problems.push(ImportProblem {
                row: Some(header.number),
                column: None,
                message: format!(
                    "“{heading}” is not one of the template's columns: {}",
                    ServiceField::ALL.map(ServiceField::column).join(", ")
                ),
            }),
        }
    }
    for field in REQUIRED {
        if !columns.iter().any(|(_, known)| *known == field) {
            problems.push(ImportProblem {
                row: Some(header.number),
                column: None,
                message: format!("the column \"{}\" is missing", field.column()),
            });
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
        let problem = ImportProblem {
            row: Some(4),
            column: Some("tier"),
            message: "“tier 9” is not a tier of need".into(),
        };
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
    fn an_empty_file_says_so() {
        let problems = read_services(b"").unwrap_err();
        assert!(problems[0].message.starts_with("The file is empty"));
    }
}
