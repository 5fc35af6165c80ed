//! About thirty invented local services, imported from a file in the service map's own
//! layout as the Service map page imports one, so each is checked by `ServiceFields::validate`.

use std::collections::HashMap;

use cradle_domain::partnership::Partnership;
use cradle_readers::{read_services, report};
use cradle_store::{Actor, Store};
use time::{Date, Duration, Month};

use crate::DemoError;

const FILE: &str = "services.csv";
const SERVICES: &str = include_str!("../data/services.csv");

/// The services file with its funding dates filled in from `today`: three services' funding
/// ends within the year (so the gap register shows funding ending), two more's later.
pub(crate) fn services_file(today: Date) -> String {
    let later = Date::from_calendar_date(today.year() + 3, Month::March, 31).unwrap_or(today);
    SERVICES
        .replace("FUNDING_SOONER", &iso(today + Duration::days(120)))
        .replace("FUNDING_SOON", &iso(today + Duration::days(270)))
        .replace("FUNDING_LATER", &iso(later))
}

pub(crate) fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Imports the services; returns each one's stored id by its key.
pub(crate) async fn load(
    store: &Store,
    actor: &Actor,
    demo: &Partnership,
    today: Date,
) -> Result<HashMap<String, String>, DemoError> {
    let services =
        read_services(services_file(today).as_bytes()).map_err(|problems| DemoError::Read {
            file: FILE,
            problems: report(&problems),
        })?;
    store.import_services(actor, &demo.id, &services).await?;
    Ok(store
        .services(&demo.id)
        .await?
        .into_iter()
        .map(|stored| (stored.service.key, stored.id))
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use cradle_domain::services::{GapKind, gaps, referral_pathways};
    use time::macros::date;

    use super::*;

    #[test]
    fn the_map_shows_strengths_and_a_few_clear_gaps() {
        let today = date!(2026 - 01 - 15);
        let services = read_services(services_file(today).as_bytes()).unwrap();
        assert!((28..=35).contains(&services.len()), "{}", services.len());
        let found = gaps(&services, today);
        let kinds: Vec<&GapKind> = found.iter().map(|gap| &gap.kind).collect();
        assert!(
            !kinds
                .iter()
                .any(|kind| matches!(kind, GapKind::AgeBandUncovered(_))),
            "every age band has a service: {found:#?}"
        );
        assert!(
            kinds
                .iter()
                .any(|kind| matches!(kind, GapKind::NoSpecialistRelationshipService(_)))
        );
        let funding = found
            .iter()
            .find(|gap| gap.kind == GapKind::FundingEnding)
            .unwrap();
        assert_eq!(funding.services.len(), 3, "{funding:?}");
        let elements = kinds
            .iter()
            .filter(|kind| matches!(kind, GapKind::ElementUncovered(..)))
            .count();
        assert!((2..=8).contains(&elements), "{found:#?}");
    }

    #[test]
    fn every_referral_names_a_service_on_the_map() {
        let services = read_services(services_file(date!(2026 - 01 - 15)).as_bytes()).unwrap();
        let pathways = referral_pathways(&services);
        assert!(pathways.outside.is_empty(), "{:?}", pathways.outside);
        assert!(pathways.loops.is_empty(), "{:?}", pathways.loops);
        assert!(pathways.routes.len() > 20);
    }
}
