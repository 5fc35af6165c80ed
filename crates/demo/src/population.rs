//! The real ONS mid-2023 population of the demo's five areas and England, and the
//! age-0 population standing in for births, imported as the Population data page does;
//! and one invented local figure in place of a published prevalence rate.

use cradle_content::Content;
use cradle_domain::need::Rate;
use cradle_domain::partnership::Partnership;
use cradle_readers::{read_births, read_population, report};
use cradle_store::{Actor, NewNeedOverride, Store};

use crate::DemoError;

const POPULATION_FILE: &str = "ons-mye-mid2023-tees-valley.csv";
const POPULATION: &[u8] = include_bytes!("../data/ons-mye-mid2023-tees-valley.csv");
const BIRTHS_FILE: &str = "births-stand-in-age-0-population-mid2023.csv";
const BIRTHS: &[u8] = include_bytes!("../data/births-stand-in-age-0-population-mid2023.csv");

/// How the births stand-in is described wherever it is shown.
pub(crate) const BIRTHS_EDITION: &str =
    "births stand-in: age 0 population mid-2023 (not live births; no births file is bundled)";

pub(crate) async fn load(
    store: &Store,
    actor: &Actor,
    demo: &Partnership,
) -> Result<(), DemoError> {
    let population =
        read_population(POPULATION, POPULATION_FILE).map_err(|problems| DemoError::Read {
            file: POPULATION_FILE,
            problems: report(&problems),
        })?;
    store
        .import_population(actor, &demo.id, &population)
        .await?;
    let mut births = read_births(BIRTHS, BIRTHS_FILE).map_err(|problems| DemoError::Read {
        file: BIRTHS_FILE,
        problems: report(&problems),
    })?;
    BIRTHS_EDITION.clone_into(&mut births.edition);
    store
        .import_population(actor, &demo.id, &births.as_population())
        .await?;
    Ok(())
}

/// The published figure the demo replaces with a local one, in Hartlepool.
const LOCAL_FIGURE: &str = "paternal-perinatal-depression";

/// An invented local survey's rate of depression in fathers, in place of the published one
/// for Hartlepool, as the Local figures page sets it.
pub(crate) async fn local_figure(
    store: &Store,
    actor: &Actor,
    content: &Content,
    demo: &Partnership,
) -> Result<(), DemoError> {
    if content.prevalence.by_id(LOCAL_FIGURE).is_none() {
        return Err(DemoError::invalid("local figure", LOCAL_FIGURE));
    }
    let (low, central, high, per) = (9.0, 12.0, 15.5, 100);
    Rate::new(low, central, high, per)
        .map_err(|error| DemoError::invalid("local figure", error))?;
    let area = demo
        .areas
        .iter()
        .find(|area| area.as_str() == "E06000001")
        .cloned();
    let change = NewNeedOverride {
        assumption_id: LOCAL_FIGURE.to_owned(),
        area,
        low,
        central,
        high,
        per,
        reason: "Invented example: a local survey of fathers at the six to eight week review found more depression than the published rate.".to_owned(),
    };
    store.set_need_override(actor, &demo.id, &change).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_bundled_population_is_the_published_mid_2023_estimate() {
        let table = read_population(POPULATION, POPULATION_FILE).unwrap();
        assert_eq!(table.source.year, Some(2023));
        let hartlepool = table.area(&"E06000001".parse().unwrap()).unwrap();
        assert_eq!(
            (0..=4)
                .map(|age| hartlepool.at_age(age))
                .collect::<Vec<_>>(),
            [915, 960, 981, 1066, 1081]
        );
        assert!(table.rows.iter().all(|row| row.suspect.is_none()));
        let codes: Vec<&str> = table.rows.iter().map(|row| row.area.as_str()).collect();
        assert_eq!(
            codes,
            [
                "E06000001",
                "E06000002",
                "E06000003",
                "E06000004",
                "E06000005",
                "E92000001"
            ]
        );
    }

    #[test]
    fn the_births_stand_in_is_each_area_s_age_0_population() {
        let population = read_population(POPULATION, POPULATION_FILE).unwrap();
        let births = read_births(BIRTHS, BIRTHS_FILE).unwrap();
        assert_eq!(births.year, Some(2023));
        for row in &births.rows {
            assert_eq!(row.births, population.area(&row.area).unwrap().at_age(0));
        }
        assert_eq!(births.rows.len(), population.rows.len());
    }
}
