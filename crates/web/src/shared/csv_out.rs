//! CSV downloads: written with the `csv` crate, with cells that a spreadsheet would run as
//! a formula made inert (OWASP's advice on CSV injection).

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::shared::error::AppError;

/// A cell as written: text starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
/// leading apostrophe, so a spreadsheet shows it rather than evaluating it.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV file download named `file_name`, with a header row and the given rows.
pub(crate) fn download(
    file_name: &str,
    header_row: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Response, AppError> {
    let failed = |error: csv::Error| AppError::Internal(format!("could not write CSV: {error}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header_row).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| inert(cell).into_owned()))
            .map_err(failed)?;
    }
    let body = writer
        .into_inner()
        .map_err(|error| AppError::Internal(format!("could not write CSV: {error}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_made_inert_and_ordinary_text_is_untouched() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("-2+3"), "'-2+3");
        assert_eq!(inert("Sam Jones"), "Sam Jones");
    }
}
