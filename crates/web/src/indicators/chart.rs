//! The indicator page's line charts, drawn as SVG on the server.

use super::IndicatorSource;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use cradle_domain::vocabulary::Nation;
use cradle_readers::with_separators;
use cradle_store::StoredIndicatorValue;
use serde::Deserialize;

/// Chart geometry, in SVG user units.
pub(super) const CHART_WIDTH: f64 = 640.0;
pub(super) const PLOT_LEFT: f64 = 56.0;
pub(super) const PLOT_RIGHT: f64 = 620.0;
pub(super) const PLOT_TOP: f64 = 16.0;
pub(super) const PLOT_BOTTOM: f64 = 250.0;
/// The legend's first line, below the plot and the period labels, and its line spacing.
pub(super) const LEGEND_TOP: f64 = 48.0;
pub(super) const LEGEND_LINE: f64 = 22.0;
/// How far apart each series' points sit at one period, so that their intervals do not
/// hide each other.
pub(super) const SERIES_NUDGE: f64 = 6.0;

/// How each series is drawn: colour, and a marker and line pattern so that colour is never
/// the only difference. The nation always takes the last, a black dashed line with squares.
pub(super) struct Style {
    pub(super) colour: &'static str,
    pub(super) marker: Marker,
    pub(super) dash: &'static str,
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

pub(super) const AREA_STYLES: [Style; 4] = [
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
pub(super) const NATION_STYLE: Style = Style {
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
pub(super) struct IndicatorsPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) indicators: Vec<IndicatorView>,
    pub(super) missing_areas: Vec<String>,
    pub(super) has_files: bool,
    /// Rows for GP practices and networks left out of the file just imported.
    pub(super) practice_rows_left_out: Option<usize>,
}

/// What the import passes on to the page it leads to.
#[derive(Deserialize, Default)]
pub(crate) struct IndicatorsQuery {
    pub(super) left_out: Option<String>,
}

/// The code of the row Fingertips gives for a nation as a whole.
pub(super) fn nation_code(nation: Nation) -> &'static str {
    match nation {
        Nation::England => "E92000001",
        Nation::Wales => "W92000004",
        Nation::Scotland => "S92000003",
        Nation::NorthernIreland => "N92000002",
    }
}

/// A figure as Fingertips shows it: one decimal place, with thousands separators.
pub(super) fn figure(value: f64) -> String {
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
pub(super) fn tick_step(span: f64) -> f64 {
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

pub(super) fn marker_shape(marker: Marker, x: f64, y: f64) -> String {
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
pub(super) struct SeriesData<'v> {
    pub(super) name: String,
    pub(super) style: &'static Style,
    pub(super) by_period: Vec<Option<&'v StoredIndicatorValue>>,
}

/// A line chart of each area and the nation over time, each point with its 95% interval.
pub(super) fn chart(
    id: &str,
    title: String,
    periods: &[String],
    series: &[SeriesData<'_>],
) -> Option<Chart> {
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
