//! What an upload form shows when it refuses an upload: the message beside the file field
//! (or the form's other fields), and the refused file's problems, so that every upload form
//! words a refusal alike (the template side is `shared/upload_problems.html`).

use cradle_readers::{Problems, with_separators};

use crate::shared::forms::FormErrors;
use crate::shared::uploads::FILE_FIELD;

/// How many of a refused file's problems an upload page lists; the rest are counted (a
/// badly damaged file can have thousands, and the first few show what went wrong).
pub(crate) const PROBLEMS_SHOWN: usize = 50;

/// A refused file's problems as an upload page lists them.
#[derive(Debug, Default)]
pub(crate) struct FileProblems {
    /// The refused file's name, to head the list.
    pub file_name: String,
    /// The first [`PROBLEMS_SHOWN`], as `Problem` words them.
    pub listed: Vec<String>,
    /// How many more the file has than are listed: its true total less those listed.
    pub more: usize,
}

impl FileProblems {
    fn of(file_name: &str, problems: &Problems) -> Self {
        let listed: Vec<String> = problems
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(ToString::to_string)
            .collect();
        Self {
            file_name: file_name.to_owned(),
            more: problems.total().saturating_sub(listed.len()),
            listed,
        }
    }

    /// [`Self::more`] with thousands separators, as the page writes it.
    pub fn more_label(&self) -> String {
        with_separators(self.more as u64)
    }
}

/// A refused upload, to show with its form again: the errors beside the fields and in the
/// summary, and the file's problems when it was read and found wanting.
#[derive(Debug, Default)]
pub(crate) struct Refusal {
    pub errors: FormErrors,
    pub problems: FileProblems,
}

impl Refusal {
    /// The file could not be taken (none chosen, too large, not received): `message` is
    /// shown beside the file field.
    pub(crate) fn file(message: impl Into<String>) -> Self {
        let mut errors = FormErrors::default();
        errors.add(FILE_FIELD, message);
        Self {
            errors,
            problems: FileProblems::default(),
        }
    }

    /// The file was read and has `problems`: their true total beside the file field, the
    /// first few listed.
    pub(crate) fn problems(file_name: &str, problems: &Problems) -> Self {
        Self {
            errors: problems_error(file_name, problems.total()),
            problems: FileProblems::of(file_name, problems),
        }
    }
}

/// The file field's error when the file has `count` problems (each listed below the form).
fn problems_error(file_name: &str, count: usize) -> FormErrors {
    let mut errors = FormErrors::default();
    let noun = if count == 1 { "problem" } else { "problems" };
    let count = with_separators(count as u64);
    errors.add(
        FILE_FIELD,
        format!(
            "{file_name} has {count} {noun}, so nothing was imported. Correct the file and upload it again"
        ),
    );
    errors
}

#[cfg(test)]
mod tests {
    use cradle_readers::{Problem, Problems};

    use super::*;

    fn problems(listed: usize, unlisted: usize) -> Problems {
        Problems {
            listed: (1..=listed)
                .map(|row| Problem {
                    sheet: None,
                    row: Some(row),
                    column: None,
                    message: "wrong".to_owned(),
                })
                .collect(),
            unlisted,
        }
    }

    #[test]
    fn a_refusal_counts_every_problem_and_lists_the_first() {
        let refusal = Refusal::problems("big.csv", &problems(1_000, 1_234));
        assert_eq!(
            refusal.errors.get(FILE_FIELD),
            Some(
                "big.csv has 2,234 problems, so nothing was imported. Correct the file and upload it again"
            )
        );
        assert_eq!(refusal.problems.listed.len(), PROBLEMS_SHOWN);
        assert_eq!(refusal.problems.listed[0], "Row 1: wrong");
        assert_eq!(refusal.problems.more, 2_184);
        assert_eq!(refusal.problems.more_label(), "2,184");
    }

    #[test]
    fn a_short_list_is_shown_whole() {
        let refusal = Refusal::problems("small.csv", &problems(1, 0));
        assert_eq!(
            refusal.errors.get(FILE_FIELD),
            Some(
                "small.csv has 1 problem, so nothing was imported. Correct the file and upload it again"
            )
        );
        assert_eq!(refusal.problems.listed, ["Row 1: wrong"]);
        assert_eq!(refusal.problems.more, 0);
    }
}
