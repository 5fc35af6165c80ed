//! Local indicators for a partnership: importing the CSV files that OHID's Fingertips tool
//! downloads (every problem listed by row and column, nothing imported unless all is well),
//! and each indicator over time for the partnership's areas against the nation, with
//! confidence intervals, as a chart and a table, its source beside it.

mod files;
mod view;

use std::collections::{BTreeMap, BTreeSet};

use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Html;
use cradle_domain::partnership::AreaCode;
use cradle_domain::vocabulary::Nation;
use cradle_store::{IndicatorImport, StoredIndicatorValue};

use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use cradle_diagrams::charts::indicators::{AREA_STYLES, NATION_STYLE, figure};
use cradle_domain::partnership::Partnership;
use cradle_domain::partnership::nation_code;
use files::{files, import};
use view::{Cell, IndicatorView, IndicatorsPage, IndicatorsQuery, SeriesData, chart};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Contributor, Viewer};
    routes
        .get(
            "/partnerships/{partnership}/indicators",
            Partnership(Viewer),
            indicators,
        )
        .get(
            "/partnerships/{partnership}/indicators/files",
            Partnership(Viewer),
            files,
        )
        .upload(
            "/partnerships/{partnership}/indicators/files",
            Partnership(Contributor),
            import,
        )
}

/// Where an indicator's figures came from, shown beside them.
pub(crate) struct IndicatorSource {
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// `figures to 2021`, or "years not stated".
    pub years: String,
}

impl IndicatorSource {
    fn of(import: &IndicatorImport) -> Self {
        Self {
            file_name: import.file_name.clone(),
            publisher: import.publisher.clone(),
            edition: import.edition.clone(),
            years: import.year.map_or_else(
                || "years not stated".to_owned(),
                |year| format!("latest figures from {year}"),
            ),
        }
    }
}

// ----- Importing indicator files -----

// ----- Indicators over time -----

/// Groups one import's figures into indicators with their sex and age, the whole area
/// only (breakdowns by deprivation and the like are kept but not drawn).
fn indicator_views(
    import: &IndicatorImport,
    values: &[StoredIndicatorValue],
    areas: &[AreaCode],
    nations: &[AreaCode],
    shown: &mut BTreeSet<i64>,
) -> Vec<IndicatorView> {
    type GroupKey = (i64, String, String);
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
    order
        .into_iter()
        .enumerate()
        .filter_map(|(index, key)| {
            let figures = groups.remove(&key)?;
            let (indicator_id, sex, age) = key;
            let name = figures.first()?.indicator_name.clone();
            let mut periods: Vec<(i64, String)> = figures
                .iter()
                .map(|value| (value.period_order, value.period.clone()))
                .collect();
            periods.sort();
            periods.dedup();
            let periods: Vec<String> = periods.into_iter().map(|(_, period)| period).collect();
            let mut series: Vec<SeriesData<'_>> = Vec::new();
            let mut area_styles = AREA_STYLES.iter().cycle();
            for code in areas.iter().chain(nations) {
                let own: Vec<&StoredIndicatorValue> = figures
                    .iter()
                    .copied()
                    .filter(|value| value.area_code == code.as_str())
                    .collect();
                let Some(first) = own.first() else {
                    continue;
                };
                let style = if nations.contains(code) {
                    &NATION_STYLE
                } else {
                    area_styles.next().unwrap_or(&NATION_STYLE)
                };
                series.push(SeriesData {
                    name: first.area_name.clone(),
                    style,
                    by_period: periods
                        .iter()
                        .map(|period| own.iter().copied().find(|value| &value.period == period))
                        .collect(),
                });
            }
            if series.is_empty() {
                return None;
            }
            let id = format!("{indicator_id}-{index}");
            let group = format!("{sex}, {age}");
            let names: Vec<&str> = series.iter().map(|data| data.name.as_str()).collect();
            let title = format!(
                "{name} ({group}): {} from {} to {}, with 95% confidence intervals",
                names.join(", "),
                periods.first().map_or("", String::as_str),
                periods.last().map_or("", String::as_str)
            );
            let drawn = chart(&id, title, &periods, &series);
            let mut notes = BTreeSet::new();
            let rows = periods
                .iter()
                .enumerate()
                .map(|(index, period)| {
                    let cells = series
                        .iter()
                        .map(|data| match data.by_period.get(index).copied().flatten() {
                            None => Cell {
                                value: "–".to_owned(),
                                interval: String::new(),
                                compared: String::new(),
                            },
                            Some(value) => {
                                if let Some(note) = &value.value_note {
                                    notes.insert(format!("{}, {period}: {note}", data.name));
                                }
                                Cell {
                                    value: value
                                        .value
                                        .map_or_else(|| "No value".to_owned(), figure),
                                    interval: match (value.lower_95, value.upper_95) {
                                        (Some(lower), Some(upper)) => {
                                            format!("{} to {}", figure(lower), figure(upper))
                                        }
                                        _ => String::new(),
                                    },
                                    compared: value.compared_to_nation.clone().unwrap_or_default(),
                                }
                            }
                        })
                        .collect();
                    (period.clone(), cells)
                })
                .collect();
            Some(IndicatorView {
                id,
                name,
                group,
                source: IndicatorSource::of(import),
                chart: drawn,
                columns: series.iter().map(|data| data.name.clone()).collect(),
                rows,
                notes: notes.into_iter().collect(),
            })
        })
        .collect()
}
/// The nations the partnership's areas are in, as area codes, for the national lines.
fn nation_areas(areas: &[AreaCode]) -> Vec<AreaCode> {
    let mut nations: Vec<Nation> = areas.iter().filter_map(AreaCode::nation).collect();
    nations.sort();
    nations.dedup();
    nations
        .iter()
        .filter_map(|nation| nation_code(*nation).parse().ok())
        .collect()
}

pub(crate) async fn indicators(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<IndicatorsQuery>,
) -> Result<Html<String>, AppError> {
    let partnership = &scope.partnership;
    let imports = state.store.indicator_imports(&partnership.id).await?;
    let nations = nation_areas(&partnership.areas);
    let mut wanted = partnership.areas.clone();
    wanted.extend(nations.iter().cloned());
    let mut shown = BTreeSet::new();
    let mut views = Vec::new();
    let mut present: BTreeSet<String> = BTreeSet::new();
    // Newest file first: an indicator in more than one file is shown from the newest.
    for import in &imports {
        let values = state
            .store
            .indicator_values(&partnership.id, &import.id, &wanted)
            .await?;
        present.extend(values.iter().map(|value| value.area_code.clone()));
        views.extend(indicator_views(
            import,
            &values,
            &partnership.areas,
            &nations,
            &mut shown,
        ));
    }
    let missing_areas = if imports.is_empty() {
        Vec::new()
    } else {
        partnership
            .areas
            .iter()
            .filter(|code| !present.contains(code.as_str()))
            .map(|code| code.as_str().to_owned())
            .collect()
    };
    render(&IndicatorsPage {
        layout: Layout::new(
            format!("Local indicators for {}", partnership.name),
            "/partnerships",
        ),
        has_files: !imports.is_empty(),
        scope: scope.clone(),
        indicators: views,
        missing_areas,
        // Only a count from the address: anything else is ignored.
        practice_rows_left_out: query
            .left_out
            .and_then(|count| count.parse().ok())
            .filter(|count| *count > 0),
    })
}

/// The indicator pages of a partnership.
pub(crate) fn inventory(partnership: &Partnership) -> Vec<InventoryPage> {
    let id = &partnership.id;
    let name = &partnership.name;
    vec![
        InventoryPage::new(
            format!("/partnerships/{id}/indicators"),
            format!("Local indicators for {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/indicators/files"),
            format!("Indicator data for {name}"),
        ),
    ]
}
