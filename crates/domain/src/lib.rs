//! Cradle's domain: the toolkit's concepts as plain Rust types, free of I/O so that the
//! content loader, the web app and the CLI can all share them.

pub mod access;
pub mod account;
pub mod actions;
pub mod demo;
pub mod need;
pub mod partnership;
pub mod places;
pub mod report;
pub mod self_assessment;
pub mod services;
pub mod vocabulary;
pub mod walkthrough;
pub mod workshop;

pub use vocabulary::{
    Completer, Dimension, Domain, EcoLevel, FactTheme, FactorKind, Licence, MaturityLevel,
    MeasureFocus, MeasureFormat, MeasurePurpose, Nation, Role, Sector, Stage, Tier, TrainingLevel,
    UnknownTerm, WorkforceLevel,
};
