//! Local indicators with invented values, in the layout Fingertips downloads, imported as
//! the Local indicators page does and labelled as invented wherever they are shown.

use cradle_domain::partnership::Partnership;
use cradle_readers::{read_indicators, report};
use cradle_store::{Actor, Store};

use crate::{DemoError, INVENTED};

const FILE: &str = "indicators-invented-examples.csv";
const INDICATORS: &[u8] = include_bytes!("../data/indicators-invented-examples.csv");

/// The publication the figures are shown as coming from.
pub(crate) const EDITION: &str =
    "not published figures: made up to show how Cradle draws indicators";

pub(crate) async fn load(
    store: &Store,
    actor: &Actor,
    demo: &Partnership,
) -> Result<(), DemoError> {
    let mut table = read_indicators(INDICATORS, FILE).map_err(|problems| DemoError::Read {
        file: FILE,
        problems: report(&problems),
    })?;
    INVENTED.clone_into(&mut table.publisher);
    EDITION.clone_into(&mut table.edition);
    store.import_indicators(actor, &demo.id, &table).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_invented_indicators_cover_every_area_and_england() {
        let table = read_indicators(INDICATORS, FILE).unwrap();
        assert_eq!(table.indicators().len(), 3);
        for area in [
            "E06000001",
            "E06000002",
            "E06000003",
            "E06000004",
            "E06000005",
            "E92000001",
        ] {
            let periods = table
                .values
                .iter()
                .filter(|value| value.area.as_str() == area)
                .count();
            assert_eq!(periods, 9, "{area}");
        }
    }
}
