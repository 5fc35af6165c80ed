//! Local indicators as the indicators page groups them: each indicator for each group of
//! people (sex and age), for the whole area only, from the newest file that has it, with a
//! series for each of the partnership's areas and then for its nations.

use std::collections::{BTreeMap, BTreeSet};

use cradle_domain::partnership::{AreaCode, Partnership, nation_code};
use cradle_store::{IndicatorImport, Store, StoreError, StoredIndicatorValue};

use super::{FileSource, IndicatorReading, IndicatorSeries, LocalIndicator};

/// Every indicator of the partnership's files, and how many files there are.
pub(super) async fn read(
    store: &Store,
    partnership: &Partnership,
) -> Result<(Vec<LocalIndicator>, usize), StoreError> {
    let imports = store.indicator_imports(&partnership.id).await?;
    let nations = nation_areas(&partnership.areas);
    let mut wanted = partnership.areas.clone();
    wanted.extend(nations.iter().cloned());
    let mut shown = BTreeSet::new();
    let mut indicators = Vec::new();
    // Newest file first: an indicator in more than one file is taken from the newest.
    for import in &imports {
        let values = store
            .indicator_values(&partnership.id, &import.id, &wanted)
            .await?;
        let places = Places {
            areas: &partnership.areas,
            nations: &nations,
        };
        indicators.extend(group(import, &values, places, &mut shown));
    }
    Ok((indicators, imports.len()))
}

/// The partnership's areas and its nations' rows, in the order their series are drawn.
#[derive(Clone, Copy)]
struct Places<'a> {
    areas: &'a [AreaCode],
    nations: &'a [AreaCode],
}

/// The rows Fingertips gives for the nations of `areas`.
fn nation_areas(areas: &[AreaCode]) -> Vec<AreaCode> {
    let mut nations: Vec<_> = areas.iter().filter_map(AreaCode::nation).collect();
    nations.sort();
    nations.dedup();
    nations
        .into_iter()
        .filter_map(|nation| nation_code(nation).parse().ok())
        .collect()
}

type GroupKey = (i64, String, String);

/// One file's figures for the whole area (not by deprivation and the like), grouped by
/// indicator, sex and age in the file's order, leaving out indicators already `shown`.
fn group(
    import: &IndicatorImport,
    values: &[StoredIndicatorValue],
    places: Places<'_>,
    shown: &mut BTreeSet<i64>,
) -> Vec<LocalIndicator> {
    let mut groups: BTreeMap<GroupKey, Vec<&StoredIndicatorValue>> = BTreeMap::new();
    let mut order: Vec<GroupKey> = Vec::new();
    for value in values.iter().filter(|value| value.category.is_none()) {
        if shown.contains(&value.indicator_id) {
            continue;
        }
        let key = (value.indicator_id, value.sex.clone(), value.age.clone());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push(value);
    }
    shown.extend(order.iter().map(|(id, _, _)| *id));
    let source = FileSource {
        file_name: import.file_name.clone(),
        publisher: import.publisher.clone(),
        edition: import.edition.clone(),
        year: import.year,
        imported_on: import.imported_at.date(),
    };
    order
        .into_iter()
        .filter_map(|key| {
            let figures = groups.remove(&key)?;
            indicator(key, &figures, &source, places)
        })
        .collect()
}

/// One indicator for one group of people, with a series per place that has figures.
fn indicator(
    (id, sex, age): GroupKey,
    figures: &[&StoredIndicatorValue],
    source: &FileSource,
    places: Places<'_>,
) -> Option<LocalIndicator> {
    let name = figures.first()?.indicator_name.clone();
    let mut periods: Vec<(i64, String)> = figures
        .iter()
        .map(|value| (value.period_order, value.period.clone()))
        .collect();
    periods.sort();
    periods.dedup();
    let periods: Vec<String> = periods.into_iter().map(|(_, period)| period).collect();
    let series: Vec<IndicatorSeries> = places
        .areas
        .iter()
        .map(|code| (code, false))
        .chain(places.nations.iter().map(|code| (code, true)))
        .filter_map(|(code, is_nation)| {
            let own: Vec<&StoredIndicatorValue> = figures
                .iter()
                .copied()
                .filter(|value| value.area_code == code.as_str())
                .collect();
            Some(IndicatorSeries {
                name: own.first()?.area_name.clone(),
                is_nation,
                by_period: periods
                    .iter()
                    .map(|period| own.iter().find(|v| &v.period == period).map(reading))
                    .collect(),
            })
        })
        .collect();
    (!series.is_empty()).then(|| LocalIndicator {
        id,
        name,
        group: format!("{sex}, {age}"),
        source: source.clone(),
        periods,
        series,
    })
}

fn reading(value: &&StoredIndicatorValue) -> IndicatorReading {
    IndicatorReading {
        value: value.value,
        lower_95: value.lower_95,
        upper_95: value.upper_95,
        note: value.value_note.clone(),
        compared: value.compared_to_nation.clone(),
    }
}
