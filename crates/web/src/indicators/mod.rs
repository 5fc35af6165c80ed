//! Local indicators for a partnership: importing the CSV files that OHID's Fingertips tool
//! downloads (every problem listed by row and column, nothing imported unless all is well),
//! and each indicator over time for the partnership's areas against the nation, with
//! confidence intervals, as a chart and a table, its source beside it.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::Extension;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_domain::partnership::AreaCode;
use cradle_domain::vocabulary::Nation;
use cradle_population::{read_indicators, with_separators};
use cradle_store::{IndicatorImport, StoredIndicatorValue};
use serde::Deserialize;

use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render, with_status};
use crate::shared::forms::FormErrors;
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::uploads::read_upload;
use cradle_domain::partnership::Partnership;

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

pub(crate) struct ImportRow {
    pub source: IndicatorSource,
    pub indicators: usize,
    pub figures: usize,
    pub imported_by: String,
    pub imported_on: String,
}

#[derive(Template)]
#[template(path = "indicators/files.html")]
struct FilesPage {
    layout: Layout,
    scope: InPartnership,
    csrf: String,
    imports: Vec<ImportRow>,
    errors: FormErrors,
    problems: Vec<String>,
    more_problems: usize,
    rejected_file: String,
}

async fn files_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    errors: FormErrors,
    problems: Vec<String>,
    rejected_file: String,
) -> Result<Html<String>, AppError> {
    let imports = state
        .store
        .indicator_imports(&scope.partnership.id)
        .await?
        .iter()
        .map(|import| ImportRow {
            source: IndicatorSource::of(import),
            indicators: import.indicators,
            figures: import.figures,
            imported_by: import.imported_by_label.clone(),
            imported_on: import.imported_at.date().to_string(),
        })
        .collect();
    let (problems, more_problems) = crate::shared::uploads::problems_shown(problems);
    render(&FilesPage {
        layout: Layout::new(
            format!("Indicator data for {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        scope,
        imports,
        errors,
        problems,
        more_problems,
        rejected_file,
    })
}

pub(crate) async fn files(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    files_page(
        &state,
        &auth,
        scope,
        FormErrors::default(),
        Vec::new(),
        String::new(),
    )
    .await
}

pub(crate) async fn import(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let (file_name, bytes) = match read_upload(
        upload,
        "Choose an indicator file (CSV downloaded from Fingertips) to upload",
    )
    .await
    {
        Ok(file) => (file.name, file.bytes),
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.add("file", message);
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                files_page(&state, &auth, scope, errors, Vec::new(), String::new()).await,
            ));
        }
    };
    let name = file_name.clone();
    let table = tokio::task::spawn_blocking(move || read_indicators(&bytes, &name))
        .await
        .map_err(|error| AppError::Internal(format!("reading an indicator file: {error}")))?;
    match table {
        Ok(table) => {
            let id = &scope.partnership.id;
            state
                .store
                .import_indicators(&actor(&auth)?, id, &table)
                .await?;
            let to = match table.practice_rows_left_out {
                0 => format!("/partnerships/{id}/indicators"),
                left_out => format!("/partnerships/{id}/indicators?left_out={left_out}"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(problems) => {
            let mut errors = FormErrors::default();
            let noun = if problems.len() == 1 {
                "problem"
            } else {
                "problems"
            };
            errors.add(
                "file",
                format!(
                    "{file_name} has {} {noun}, so nothing was imported. Correct the file and upload it again",
                    problems.len()
                ),
            );
            let problems = problems.iter().map(ToString::to_string).collect();
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                files_page(&state, &auth, scope, errors, problems, file_name).await,
            ))
        }
    }
}

// ----- Indicators over time -----

/// Chart geometry, in SVG user units.
const CHART_WIDTH: f64 = 640.0;
const PLOT_LEFT: f64 = 56.0;
const PLOT_RIGHT: f64 = 620.0;
const PLOT_TOP: f64 = 16.0;
const PLOT_BOTTOM: f64 = 250.0;
/// The legend's first line, below the plot and the period labels, and its line spacing.
const LEGEND_TOP: f64 = 48.0;
const LEGEND_LINE: f64 = 22.0;
/// How far apart each series' points sit at one period, so that their intervals do not
/// hide each other.
const SERIES_NUDGE: f64 = 6.0;

/// How each series is drawn: colour, and a marker and line pattern so that colour is never
/// the only difference. The nation always takes the last, a black dashed line with squares.
struct Style {
    colour: &'static str,
    marker: Marker,
    dash: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Triangle,
    Diamond,
    Cross,
    Square,
}

impl Marker {
    /// How the template draws it: a `circle`, a `cross` (a path of two strokes), or a
    /// filled `polygon`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Circle => "circle",
            Self::Cross => "cross",
            Self::Triangle | Self::Diamond | Self::Square => "polygon",
        }
    }

    /// The shape's name, for the legend's words.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Circle => "circles",
            Self::Cross => "crosses",
            Self::Triangle => "triangles",
            Self::Diamond => "diamonds",
            Self::Square => "squares",
        }
    }
}

const AREA_STYLES: [Style; 4] = [
    Style {
        colour: "#1d70b8",
        marker: Marker::Circle,
        dash: "",
    },
    Style {
        colour: "#d4351c",
        marker: Marker::Triangle,
        dash: "8 3",
    },
    Style {
        colour: "#00703c",
        marker: Marker::Diamond,
        dash: "2 3",
    },
    Style {
        colour: "#4c2c92",
        marker: Marker::Cross,
        dash: "10 3 2 3",
    },
];
const NATION_STYLE: Style = Style {
    colour: "#0b0c0c",
    marker: Marker::Square,
    dash: "5 5",
};

/// One point of a series, in SVG units, with its interval when the file gives one.
pub(crate) struct Point {
    pub x: String,
    pub y: String,
    /// The 95% confidence interval's ends, as y coordinates.
    pub interval: Option<(String, String)>,
    /// The marker's outline (triangles, diamonds, squares) or strokes (crosses).
    pub shape: String,
}

pub(crate) struct Series {
    pub name: String,
    pub colour: &'static str,
    pub marker: Marker,
    pub dash: &'static str,
    /// The line through the points, broken where a period has no value.
    pub path: String,
    pub points: Vec<Point>,
    /// A sample of the line and marker for the legend.
    pub legend_y: String,
    pub legend_x: String,
    /// The legend marker's outline or strokes, as for a point.
    pub legend_marker: String,
    /// How the line is drawn, in words: `solid line`, `dashed line`.
    pub line_label: &'static str,
}

pub(crate) struct Tick {
    pub label: String,
    pub position: String,
}

pub(crate) struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: f64,
    pub height: f64,
    pub plot_left: f64,
    pub plot_right: f64,
    pub plot_bottom: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub series: Vec<Series>,
}

/// One cell of the table: the value with its interval, or why there is none.
pub(crate) struct Cell {
    pub value: String,
    pub interval: String,
    pub compared: String,
}

pub(crate) struct IndicatorView {
    pub id: String,
    pub name: String,
    /// `Persons, All ages`.
    pub group: String,
    pub source: IndicatorSource,
    pub chart: Option<Chart>,
    /// The column headings (each area, then the nation).
    pub columns: Vec<String>,
    /// Each period and its cells, in order of time.
    pub rows: Vec<(String, Vec<Cell>)>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "indicators/page.html")]
struct IndicatorsPage {
    layout: Layout,
    scope: InPartnership,
    indicators: Vec<IndicatorView>,
    missing_areas: Vec<String>,
    has_files: bool,
    /// Rows for GP practices and networks left out of the file just imported.
    practice_rows_left_out: Option<usize>,
}

/// What the import passes on to the page it leads to.
#[derive(Deserialize, Default)]
pub(crate) struct IndicatorsQuery {
    left_out: Option<String>,
}

/// The code of the row Fingertips gives for a nation as a whole.
fn nation_code(nation: Nation) -> &'static str {
    match nation {
        Nation::England => "E92000001",
        Nation::Wales => "W92000004",
        Nation::Scotland => "S92000003",
        Nation::NorthernIreland => "N92000002",
    }
}

/// A figure as Fingertips shows it: one decimal place, with thousands separators.
fn figure(value: f64) -> String {
    let text = format!("{:.1}", value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "0"));
    let whole = whole
        .parse::<u64>()
        .map_or_else(|_| whole.to_owned(), with_separators);
    let sign = if value < 0.0 && text != "0.0" {
        "−"
    } else {
        ""
    };
    format!("{sign}{whole}.{fraction}")
}

/// A tidy step for about five axis ticks across `span`.
fn tick_step(span: f64) -> f64 {
    let rough = span / 5.0;
    let magnitude = 10_f64.powf(rough.log10().floor());
    let normalised = rough / magnitude;
    let step = if normalised <= 1.0 {
        1.0
    } else if normalised <= 2.0 {
        2.0
    } else if normalised <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * magnitude
}

fn marker_shape(marker: Marker, x: f64, y: f64) -> String {
    let r = 5.0;
    match marker {
        Marker::Circle => String::new(),
        Marker::Cross => format!(
            "M{:.1} {:.1} L{:.1} {:.1} M{:.1} {:.1} L{:.1} {:.1}",
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
        Marker::Triangle => format!(
            "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            x,
            y - r - 1.0,
            x - r,
            y + r - 1.0,
            x + r,
            y + r - 1.0
        ),
        Marker::Diamond => format!(
            "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            x,
            y - r - 1.0,
            x + r + 1.0,
            y,
            x,
            y + r + 1.0,
            x - r - 1.0,
            y
        ),
        Marker::Square => format!(
            "{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            x - r,
            y - r,
            x + r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r
        ),
    }
}

/// A series of figures to draw: its name, style and the figure at each period (by index).
struct SeriesData<'v> {
    name: String,
    style: &'static Style,
    by_period: Vec<Option<&'v StoredIndicatorValue>>,
}

/// A line chart of each area and the nation over time, each point with its 95% interval.
fn chart(id: &str, title: String, periods: &[String], series: &[SeriesData<'_>]) -> Option<Chart> {
    let mut low = f64::INFINITY;
    let mut high = f64::NEG_INFINITY;
    for data in series {
        for value in data.by_period.iter().flatten() {
            for number in [value.value, value.lower_95, value.upper_95]
                .into_iter()
                .flatten()
            {
                low = low.min(number);
                high = high.max(number);
            }
        }
    }
    if !low.is_finite() || !high.is_finite() || periods.is_empty() {
        return None;
    }
    // Start the axis at zero unless the figures sit far above it (life expectancy, say).
    if low > 0.0 && low < high * 0.5 {
        low = 0.0;
    }
    if (high - low).abs() < f64::EPSILON {
        high = low + 1.0;
    }
    let step = tick_step(high - low);
    let axis_low = (low / step).floor() * step;
    let axis_high = (high / step).ceil() * step;
    let y = |value: f64| {
        PLOT_BOTTOM - (value - axis_low) / (axis_high - axis_low) * (PLOT_BOTTOM - PLOT_TOP)
    };
    let slot = (PLOT_RIGHT - PLOT_LEFT) / periods.len() as f64;
    let x = |index: usize| PLOT_LEFT + slot * (index as f64 + 0.5);
    let mut y_ticks = Vec::new();
    let mut tick = axis_low;
    while tick <= axis_high + step / 2.0 {
        y_ticks.push(Tick {
            label: figure(tick)
                .trim_end_matches(".0")
                .to_owned()
                .replace("−0", "0"),
            position: format!("{:.1}", y(tick)),
        });
        tick += step;
    }
    // Label every period when they fit, otherwise every second or third.
    let every = periods.len().div_ceil(10).max(1);
    let x_ticks = periods
        .iter()
        .enumerate()
        .filter(|(index, _)| index % every == 0 || *index == periods.len() - 1)
        .map(|(index, label)| Tick {
            label: label.clone(),
            position: format!("{:.1}", x(index)),
        })
        .collect();
    let count = series.len() as f64;
    let drawn = series
        .iter()
        .enumerate()
        .map(|(number, data)| {
            let nudge = (number as f64 - (count - 1.0) / 2.0) * SERIES_NUDGE;
            let mut path = String::new();
            let mut pen_down = false;
            let mut points = Vec::new();
            for (index, value) in data.by_period.iter().enumerate() {
                let Some(number) = value.and_then(|value| value.value) else {
                    pen_down = false;
                    continue;
                };
                let (px, py) = (x(index) + nudge, y(number));
                path.push_str(&format!(
                    "{}{px:.1} {py:.1} ",
                    if pen_down { "L" } else { "M" }
                ));
                pen_down = true;
                let interval = value
                    .and_then(|value| Some((value.lower_95?, value.upper_95?)))
                    .map(|(lower, upper)| (format!("{:.1}", y(lower)), format!("{:.1}", y(upper))));
                points.push(Point {
                    x: format!("{px:.1}"),
                    y: format!("{py:.1}"),
                    interval,
                    shape: marker_shape(data.style.marker, px, py),
                });
            }
            // The legend lists each series on its own line below the axis.
            let legend_y = PLOT_BOTTOM + LEGEND_TOP + LEGEND_LINE * number as f64;
            Series {
                name: data.name.clone(),
                colour: data.style.colour,
                marker: data.style.marker,
                dash: data.style.dash,
                path: path.trim_end().to_owned(),
                points,
                legend_y: format!("{legend_y:.1}"),
                legend_x: format!("{:.1}", PLOT_LEFT + 14.0),
                legend_marker: marker_shape(data.style.marker, PLOT_LEFT + 14.0, legend_y),
                line_label: if data.style.dash.is_empty() {
                    "solid line"
                } else {
                    "broken line"
                },
            }
        })
        .collect::<Vec<_>>();
    let description = series
        .iter()
        .map(|data| {
            let figures = data
                .by_period
                .iter()
                .zip(periods)
                .filter_map(|(value, period)| {
                    let value = (*value)?;
                    Some(match value.value {
                        Some(number) => match (value.lower_95, value.upper_95) {
                            (Some(lower), Some(upper)) => format!(
                                "{period} {} (95% interval {} to {})",
                                figure(number),
                                figure(lower),
                                figure(upper)
                            ),
                            _ => format!("{period} {}", figure(number)),
                        },
                        None => format!("{period} no value"),
                    })
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{}: {figures}", data.name)
        })
        .collect::<Vec<_>>()
        .join(". ");
    Some(Chart {
        id: format!("chart-{id}"),
        title,
        description,
        width: CHART_WIDTH,
        height: PLOT_BOTTOM + LEGEND_TOP + LEGEND_LINE * count,
        plot_left: PLOT_LEFT,
        plot_right: PLOT_RIGHT,
        plot_bottom: PLOT_BOTTOM,
        y_ticks,
        x_ticks,
        series: drawn,
    })
}

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

pub(crate) async fn indicators(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<IndicatorsQuery>,
) -> Result<Html<String>, AppError> {
    let partnership = &scope.partnership;
    let imports = state.store.indicator_imports(&partnership.id).await?;
    let mut nation_list: Vec<Nation> = partnership
        .areas
        .iter()
        .filter_map(AreaCode::nation)
        .collect();
    nation_list.sort();
    nation_list.dedup();
    let nations: Vec<AreaCode> = nation_list
        .iter()
        .filter_map(|nation| nation_code(*nation).parse().ok())
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_fingertips_shows_them() {
        assert_eq!(figure(3.4), "3.4");
        assert_eq!(figure(16_200.0), "16,200.0");
        assert_eq!(figure(2.849), "2.8");
        assert_eq!(figure(-1.25), "−1.2");
        assert_eq!(figure(0.0), "0.0");
    }

    #[test]
    fn ticks_are_tidy() {
        assert_eq!(tick_step(5.0), 1.0);
        assert_eq!(tick_step(18.0), 5.0);
        assert_eq!(tick_step(0.9), 0.2);
    }
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
