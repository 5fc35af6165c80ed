//! How much of a file Cradle reads, so that no upload can exhaust the server's memory: each
//! reader checks these before it builds anything, and refuses a file beyond them with a
//! problem on the file that names the limit.

/// The most an XLSX workbook may unzip to, all its parts together. A workbook is a ZIP of
/// XML; a few megabytes of repeated XML can unzip to gigabytes. The largest official tables
/// Cradle reads unzip to tens of megabytes.
pub const MAX_UNZIPPED_BYTES: u64 = 200 * 1024 * 1024;
/// [`MAX_UNZIPPED_BYTES`] as messages write it.
pub(crate) const MAX_UNZIPPED_LABEL: &str = "200 MB";

/// The most rows a sheet or CSV file may have (counted as a spreadsheet numbers them).
/// Every local authority, ward or small area of the UK fits many times over.
pub const MAX_ROWS: usize = 1_000_000;
/// The most columns a sheet or CSV file may have: a population table by single year of age
/// has under a hundred.
pub const MAX_COLUMNS: usize = 200;

/// The most problems kept for one file; the rest are only counted
/// ([`crate::Problems::unlisted`]). The pages list the first fifty.
pub const MAX_PROBLEMS_KEPT: usize = 1_000;

/// A count with thousands separators, as the messages write their limits.
pub(crate) fn with_commas(number: usize) -> String {
    cradle_domain::need::with_separators(number as u64)
}
