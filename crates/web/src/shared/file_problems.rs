//! The error an upload form shows when the file it was sent has problems.

use crate::shared::forms::FormErrors;

/// The file field's error when the file has `count` problems (each listed below the form).
pub(crate) fn problems_error(file_name: &str, count: usize) -> FormErrors {
    let mut errors = FormErrors::default();
    let noun = if count == 1 { "problem" } else { "problems" };
    errors.add(
        "file",
        format!(
            "{file_name} has {count} {noun}, so nothing was imported. Correct the file and upload it again"
        ),
    );
    errors
}
