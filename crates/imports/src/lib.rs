//! Imports of a partnership's own files into checked domain records.
//!
//! Each importer is all or nothing: it reads the whole file and returns either every
//! record or every problem, each located by row and column as a person finds it in a
//! spreadsheet, so that nothing is stored from a file with a mistake in it.

mod grid;
pub mod services;

pub use services::{ImportProblem, read_services, template_csv};
