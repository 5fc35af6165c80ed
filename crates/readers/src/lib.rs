//! Reads official population and geography files into checked tables for Cradle's need
//! estimates: ONS mid-year estimates (table MYE2) and Nomis extracts by single year of age,
//! in CSV or XLSX; any other population file through a [`ColumnMapping`]; ONS or mySociety
//! area lookups; live births by area; and local indicators as OHID's Fingertips tool
//! downloads them.
//!
//! Parsing only: callers hand over the file's bytes, and this crate opens no files itself.
//! A file with any problem yields every problem found (sheet, row, column and a plain message)
//! and no table, so that nothing partial is ever imported.
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
mod numbers;
mod population;
mod problem;

pub use births::{AreaBirths, BirthsTable, read_births};
pub use cradle_domain::need::with_separators;
pub use geography::{GeographyLayout, GeographyLink, GeographyTable, read_geography};
pub use indicators::{
    FINGERTIPS_EDITION, FINGERTIPS_PUBLISHER, IndicatorTable, IndicatorValue, read_indicators,
};
pub use population::{
    AreaPopulation, ColumnMapping, CountColumns, Layout, OLDEST_AGE, PopulationTable, SourceInfo,
    read_population, read_population_mapped,
};
pub use problem::{ColumnRef, Problem, column_letter, report};
