//! A problem found in a file, located the way a person finds it in a spreadsheet: one type
//! for every reader, so that every upload page and the command line word problems alike.

use std::fmt;

use crate::limits::{MAX_PROBLEMS_KEPT, with_commas};

/// A column as a person sees it: its spreadsheet letter, its heading, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnRef {
    /// `A`, `B`, … `Z`, `AA`, … as a spreadsheet labels it; `None` where the column is known
    /// by its heading alone (the service map's columns, which may come in any order).
    pub letter: Option<String>,
    /// The column's heading in the file's header row, e.g. `0` or `Code`.
    pub heading: Option<String>,
}

impl ColumnRef {
    /// The column at a 0-based index, with its heading if known.
    pub fn at(index: usize, heading: Option<&str>) -> Self {
        Self {
            letter: Some(column_letter(index)),
            heading: heading.map(str::to_owned),
        }
    }

    /// A column known by its heading alone, e.g. the template's `tier`.
    pub fn named(heading: &str) -> Self {
        Self {
            letter: None,
            heading: Some(heading.to_owned()),
        }
    }
}

/// Something wrong in an imported file: where it is (sheet, row, column) and why.
///
/// Rows are 1-based as a spreadsheet numbers them, so that a person can go straight to the
/// cell; a problem with the file as a whole has no row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Problem {
    /// The worksheet, for spreadsheet files.
    pub sheet: Option<String>,
    /// 1-based row number.
    pub row: Option<usize>,
    pub column: Option<ColumnRef>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Problem {
    /// A problem with the file as a whole.
    pub(crate) fn file(message: impl Into<String>) -> Self {
        Self {
            sheet: None,
            row: None,
            column: None,
            message: message.into(),
        }
    }

    /// Reads as `Sheet "Data", row 14, column C ("0"): “abc” is not a number`, leaving out
    /// whatever is not known.
    fn describe(&self) -> String {
        let mut place = Vec::new();
        if let Some(sheet) = &self.sheet {
            place.push(format!("sheet \"{sheet}\""));
        }
        if let Some(row) = self.row {
            place.push(format!("row {row}"));
        }
        if let Some(column) = &self.column {
            match (&column.letter, &column.heading) {
                (Some(letter), Some(heading)) => {
                    place.push(format!("column {letter} (\"{heading}\")"));
                }
                (Some(letter), None) => place.push(format!("column {letter}")),
                (None, Some(heading)) => place.push(format!("column \"{heading}\"")),
                (None, None) => {}
            }
        }
        if place.is_empty() {
            return self.message.clone();
        }
        let place = capitalise(&place.join(", "));
        format!("{place}: {}", self.message)
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The spreadsheet letter of a 0-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut remaining = index + 1;
    while remaining > 0 {
        let digit = (remaining - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        remaining = (remaining - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Every problem found in a file that could not be read: the first [`MAX_PROBLEMS_KEPT`]
/// listed, the rest only counted, so that a large file of bad values cannot fill the memory
/// with messages while its true number of problems is still known.
///
/// Derefs to the listed problems; [`Problems::total`] counts the unlisted ones too.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{}", report(self))]
pub struct Problems {
    /// The problems kept, in the order a person works through the file.
    pub listed: Vec<Problem>,
    /// How many more were found beyond [`MAX_PROBLEMS_KEPT`].
    pub unlisted: usize,
}

impl Problems {
    /// How many problems the file has, listed or only counted.
    pub fn total(&self) -> usize {
        self.listed.len() + self.unlisted
    }
}

impl std::ops::Deref for Problems {
    type Target = [Problem];

    fn deref(&self) -> &[Problem] {
        &self.listed
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;

    fn into_iter(self) -> Self::IntoIter {
        self.listed.iter()
    }
}

impl From<Vec<Problem>> for Problems {
    fn from(listed: Vec<Problem>) -> Self {
        Self {
            listed,
            unlisted: 0,
        }
    }
}

impl From<Problem> for Problems {
    fn from(problem: Problem) -> Self {
        Self::from(vec![problem])
    }
}

/// The problems found in one file as a reader collects them: up to [`MAX_PROBLEMS_KEPT`]
/// kept, the rest counted.
#[derive(Debug, Default)]
pub(crate) struct ProblemList {
    kept: Vec<Problem>,
    more: usize,
}

impl ProblemList {
    pub(crate) fn push(&mut self, problem: Problem) {
        if self.kept.len() < MAX_PROBLEMS_KEPT {
            self.kept.push(problem);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// How many problems were found, kept or only counted.
    pub(crate) fn len(&self) -> usize {
        self.kept.len() + self.more
    }

    /// The problems kept, in the order found, and the count of the rest.
    pub(crate) fn into_problems(self) -> Problems {
        Problems {
            listed: self.kept,
            unlisted: self.more,
        }
    }
}

impl Extend<Problem> for ProblemList {
    fn extend<T: IntoIterator<Item = Problem>>(&mut self, problems: T) {
        for problem in problems {
            self.push(problem);
        }
    }
}

/// Orders problems as a person works through a file: by row, file-wide ones last. Stable, so
/// problems on one row keep their column order.
pub(crate) fn in_row_order(problems: ProblemList) -> Problems {
    let mut problems = problems.into_problems();
    problems
        .listed
        .sort_by_key(|problem| (problem.row.is_none(), problem.row));
    problems
}

/// Every problem listed, one per line, after the true count (and then how many were not
/// listed), for a terminal or a log.
pub fn report(problems: &Problems) -> String {
    let total = problems.total();
    let noun = if total == 1 { "problem" } else { "problems" };
    let mut text = format!("{} {noun} in the file:", with_commas(total));
    for problem in problems {
        text.push('\n');
        text.push_str(&problem.to_string());
    }
    if problems.unlisted > 0 {
        let noun = if problems.unlisted == 1 {
            "problem"
        } else {
            "problems"
        };
        text.push_str(&format!(
            "\n… and {} more {noun}: only the first {} are listed",
            with_commas(problems.unlisted),
            with_commas(problems.listed.len())
        ));
    }
    text
}

impl fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.letter, &self.heading) {
            (Some(letter), _) => f.write_str(letter),
            (None, Some(heading)) => write!(f, "\"{heading}\""),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 93, 701, 702]
            .into_iter()
            .map(column_letter)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "CP", "ZZ", "AAA"]
        );
    }

    #[test]
    fn a_problem_names_sheet_row_and_column() {
        let problem = Problem {
            sheet: Some("MYE2 - Persons".into()),
            row: Some(14),
            column: Some(ColumnRef::at(2, Some("0"))),
            message: "“abc” is not a number".into(),
        };
        assert_eq!(
            problem.to_string(),
            "Sheet \"MYE2 - Persons\", row 14, column C (\"0\"): “abc” is not a number"
        );
        let csv = Problem {
            sheet: None,
            ..problem
        };
        assert_eq!(
            csv.to_string(),
            "Row 14, column C (\"0\"): “abc” is not a number"
        );
        assert_eq!(
            Problem::file("The file is empty").to_string(),
            "The file is empty"
        );
    }

    #[test]
    fn the_report_counts_problems() {
        let problems = Problems::from(vec![Problem::file("one"), Problem::file("two")]);
        assert_eq!(report(&problems), "2 problems in the file:\none\ntwo");
        let capped = Problems {
            unlisted: 1_234,
            ..problems
        };
        assert_eq!(
            report(&capped),
            "1,236 problems in the file:\none\ntwo\n… and 1,234 more problems: only the first 2 are listed"
        );
    }
}
