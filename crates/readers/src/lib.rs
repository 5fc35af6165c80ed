//! Reads every file Cradle takes in into checked tables: official population files for the
//! need estimates (ONS mid-year estimates, table MYE2, and Nomis extracts by single year of
//! age, in CSV or XLSX; any other population file through a [`ColumnMapping`]); ONS or
//! mySociety area lookups; live births by area; local indicators as OHID's Fingertips tool
//! downloads them; and a partnership's own service map ([`read_services`]), CSV or XLSX.
//!
//! Parsing only: callers hand over the file's bytes, and this crate opens no files itself.
//! A file with any problem yields every problem found (sheet, row, column and a plain message,
//! one [`Problem`] type for every reader) and no table, so that nothing partial is ever
//! imported. Every reader reads within the limits of [`limits`], so that no upload can
//! exhaust the server: a file beyond them is refused with a problem naming the limit.
//!
//! A new kind of upload is one reader function here (reading rows through the shared grid,
//! which reads CSV and XLSX alike), one store method to keep what it read, and one route to
//! take the file.
//!
//! Layouts recognised from the header are those published by ONS and Nomis, and tables in the
//! same shape with a `Sex` column of Persons, Females and Males rows (as National Records of
//! Scotland publishes them), of which the Persons rows are kept, and NISRA's flat files (one
//! row per area, year, sex and age; the All persons rows are kept). Other long downloads with
//! one row per area and age (or area, sex and age) are read through a [`ColumnMapping`].

mod births;
mod geography;
mod grid;
mod indicators;
pub mod limits;
mod mapped;
mod numbers;
mod population;
mod problem;
pub mod services;

pub use births::{AreaBirths, BirthsTable, read_births};
pub use cradle_domain::need::with_separators;
pub use geography::{GeographyLayout, GeographyLink, GeographyTable, read_geography};
pub use indicators::{
    FINGERTIPS_EDITION, FINGERTIPS_PUBLISHER, IndicatorTable, IndicatorValue, read_indicators,
};
pub use mapped::{ColumnMapping, CountColumns, read_population_mapped};
pub use population::{
    AreaPopulation, Layout, OLDEST_AGE, PopulationTable, SourceInfo, read_population,
};
pub use problem::{ColumnRef, Problem, Problems, column_letter, report};
pub use services::{read_services, template_csv};
