//! Reading a partnership's picture from the store, choosing and computing exactly what its
//! pages show: the population and births files the need page takes, results withheld below a
//! round's minimum raters, each action with where it came from.

use std::collections::HashMap;

use cradle_domain::actions::ActionFilter;
use cradle_domain::need::{AreaPopulationView, Override, Rate};
use cradle_domain::partnership::{AreaCode, Partnership, UNITED_KINGDOM_CODE, nation_code};
use cradle_domain::self_assessment as sa;
use cradle_store::{
    NeedOverride, PopulationImport, Store, StoreError, StoredAction, StoredAreaPopulation,
    StoredService,
};
use time::Date;

use super::{
    ActionOrigin, ActionRecord, FileSource, Finding, LevelRecord, Picture, Population, RoundRecord,
    WalkthroughRecord, WorkshopRecord,
};

/// Reads the partnership's picture from the store, as of `today`.
pub async fn picture(
    store: &Store,
    partnership: &Partnership,
    today: Date,
) -> Result<Picture, StoreError> {
    let id = &partnership.id;
    let mut picture = Picture::empty(partnership.clone(), today);
    picture.population = population(store, partnership).await?;
    picture.overrides = overrides_for_estimate(&store.need_overrides(id).await?);
    (picture.indicators, picture.indicator_files) =
        super::indicators::read(store, partnership).await?;
    let services = store.services(id).await?;
    let actions = store.list_actions(id, &ActionFilter::default()).await?;
    let gap_links = store.gap_actions(id).await?;
    let findings = store.walkthrough_findings(id).await?;
    picture.findings = findings
        .iter()
        .map(|finding| Finding {
            kind: finding.kind,
            description: finding.description.clone(),
            walkthrough: finding.scenario_title.clone(),
            action: finding
                .action_id
                .as_deref()
                .and_then(|action| action_text(&actions, action)),
        })
        .collect();
    picture.coverage_actions = gap_links
        .iter()
        .filter_map(|(key, action)| {
            let wording = key.strip_prefix("coverage:")?;
            Some((wording.to_owned(), action_text(&actions, action)?))
        })
        .collect();
    let gap_wording: HashMap<String, String> = findings
        .iter()
        .map(|finding| {
            (
                format!("finding:{}", finding.id),
                finding.description.clone(),
            )
        })
        .collect();
    picture.actions = action_records(actions, &gap_links, &gap_wording);
    picture.walkthroughs = walkthroughs(store, id, &services).await?;
    picture.services = services.into_iter().map(|stored| stored.service).collect();
    picture.rounds = rounds(store, id).await?;
    picture.workshops = workshops(store, id).await?;
    Ok(picture)
}

fn source_of(import: &PopulationImport) -> FileSource {
    FileSource {
        file_name: import.file_name.clone(),
        publisher: import.publisher.clone(),
        edition: import.edition.clone(),
        year: import.year,
        imported_on: import.imported_at.date(),
    }
}

/// The latest population file and, as the need page chooses it, the births file of the
/// same year if one is imported, otherwise the latest births file.
async fn population(
    store: &Store,
    partnership: &Partnership,
) -> Result<Option<Population>, StoreError> {
    let (births_files, imports): (Vec<PopulationImport>, Vec<PopulationImport>) = store
        .population_imports(&partnership.id)
        .await?
        .into_iter()
        .partition(PopulationImport::is_births);
    let Some(chosen) = imports.first() else {
        return Ok(None);
    };
    let births = births_files
        .iter()
        .find(|births| births.year.is_some() && births.year == chosen.year)
        .or_else(|| births_files.first());
    let nation_codes = nation_rows(&partnership.areas);
    let mut wanted = partnership.areas.clone();
    wanted.extend(nation_codes.iter().cloned());
    let rows = store
        .population_rows(&partnership.id, &chosen.id, &wanted)
        .await?;
    let births_rows = match births {
        Some(births) => {
            store
                .population_rows(&partnership.id, &births.id, &wanted)
                .await?
        }
        None => Vec::new(),
    };
    let views = |codes: &[AreaCode]| -> Vec<AreaPopulationView> {
        codes
            .iter()
            .filter_map(|code| rows.iter().find(|row| &row.area == code))
            .map(|row| view_of(row, &births_rows))
            .collect()
    };
    let areas = views(&partnership.areas);
    Ok(Some(Population {
        source: source_of(chosen),
        births_source: births.map(source_of),
        missing_areas: partnership
            .areas
            .iter()
            .filter(|code| !areas.iter().any(|view| &view.area == *code))
            .cloned()
            .collect(),
        nations: views(&nation_codes),
        areas,
    }))
}

/// The rows a population file gives for the nations of `areas` and for the United Kingdom.
fn nation_rows(areas: &[AreaCode]) -> Vec<AreaCode> {
    let mut nations: Vec<_> = areas.iter().filter_map(AreaCode::nation).collect();
    nations.sort();
    nations.dedup();
    nations
        .into_iter()
        .map(nation_code)
        .chain([UNITED_KINGDOM_CODE])
        .filter_map(|code| code.parse().ok())
        .collect()
}

/// An area's population as the estimate takes it, with its live births when the births
/// file has the area (a births file holds each area's births as its count at age 0).
fn view_of(row: &StoredAreaPopulation, births: &[StoredAreaPopulation]) -> AreaPopulationView {
    AreaPopulationView {
        area: row.area.clone(),
        name: row.name.clone(),
        ages: row.ages.clone(),
        caution: row.suspect.clone(),
        births: births
            .iter()
            .find(|births| births.area == row.area)
            .map(|births| births.ages.get(&0).copied().unwrap_or(0)),
    }
}

/// The stored overrides as the estimate takes them; one that no longer makes a rate (a
/// hand-edited row) is left out, as the need page leaves it out.
fn overrides_for_estimate(stored: &[NeedOverride]) -> Vec<Override> {
    stored
        .iter()
        .filter_map(|change| {
            let rate = Rate::new(change.low, change.central, change.high, change.per).ok()?;
            Override::new(
                &change.assumption_id,
                change.area.clone(),
                rate,
                &change.reason,
                &change.made_by_label,
            )
            .ok()
        })
        .collect()
}

/// An action in words, as the gap register shows it: `In progress: Fund a helpline`.
fn action_text(actions: &[StoredAction], id: &str) -> Option<String> {
    let stored = actions.iter().find(|stored| stored.id == id)?;
    Some(format!(
        "{}: {}",
        stored.action.status.label(),
        stored.action.what
    ))
}

/// Each action with where it came from: its workshop, the gap it answers, or the log.
fn action_records(
    actions: Vec<StoredAction>,
    gap_links: &HashMap<String, String>,
    finding_wording: &HashMap<String, String>,
) -> Vec<ActionRecord> {
    let gap_of: HashMap<&str, &str> = gap_links
        .iter()
        .map(|(key, action)| (action.as_str(), key.as_str()))
        .collect();
    actions
        .into_iter()
        .map(|stored| {
            let gap = gap_of.get(stored.id.as_str()).map(|key| {
                key.strip_prefix("coverage:")
                    .map(str::to_owned)
                    .or_else(|| finding_wording.get(*key).cloned())
                    .unwrap_or_else(|| "A gap since removed from the register".to_owned())
            });
            let origin = match (stored.workshop_title, gap) {
                (Some(title), _) => ActionOrigin::Workshop(title),
                (None, Some(gap)) => ActionOrigin::Gap(gap),
                (None, None) => ActionOrigin::Log,
            };
            ActionRecord {
                action: stored.action,
                origin,
            }
        })
        .collect()
}

/// The walk-throughs, newest first, with the services at each level by name.
async fn walkthroughs(
    store: &Store,
    partnership_id: &str,
    services: &[StoredService],
) -> Result<Vec<WalkthroughRecord>, StoreError> {
    let name_of = |id: &String| {
        services.iter().find(|s| &s.id == id).map_or_else(
            || "A service since removed from the map".to_owned(),
            |s| s.service.name.clone(),
        )
    };
    Ok(store
        .walkthroughs(partnership_id)
        .await?
        .into_iter()
        .map(|stored| WalkthroughRecord {
            title: stored.scenario.title,
            national: stored.scenario.national,
            date: stored.updated_at.date(),
            levels: stored
                .walkthrough
                .responses
                .iter()
                .map(|response| LevelRecord {
                    level: response.level,
                    services: response.services.iter().map(name_of).collect(),
                    timing: response.timing.clone(),
                })
                .collect(),
            who_would_notice: stored.walkthrough.who_would_notice,
            family_experience: stored.walkthrough.family_experience,
            gaps: stored.walkthrough.gaps,
            risks: stored.walkthrough.risks,
        })
        .collect())
}

/// Every round with its results, computed as the results page computes them: withheld
/// until the round's minimum number of raters have answered.
async fn rounds(store: &Store, partnership_id: &str) -> Result<Vec<RoundRecord>, StoreError> {
    let mut records = Vec::new();
    for round in store.rounds(partnership_id).await? {
        let responses = store.round_responses(&round.id).await?;
        let characteristics: Vec<&str> = round
            .settings
            .characteristics
            .iter()
            .map(String::as_str)
            .collect();
        let results = sa::results(&characteristics, round.settings.min_raters, &responses);
        records.push(RoundRecord {
            title: round.settings.title.clone(),
            opened: round.opened_at.date(),
            closed: round.closed_at.map(|at| at.date()),
            min_raters: round.settings.min_raters.max(sa::MIN_RATERS_FLOOR),
            answered: responses.len(),
            results,
        });
    }
    Ok(records)
}

/// Every workshop, newest first, with its decisions.
async fn workshops(store: &Store, partnership_id: &str) -> Result<Vec<WorkshopRecord>, StoreError> {
    let mut records = Vec::new();
    for workshop in store.workshops(partnership_id).await? {
        let decisions = store.decisions(&workshop.id).await?;
        records.push(WorkshopRecord {
            title: workshop.details.title,
            date: workshop.details.date,
            purpose: workshop.details.purpose,
            decisions: decisions.into_iter().map(|d| d.text).collect(),
        });
    }
    Ok(records)
}
