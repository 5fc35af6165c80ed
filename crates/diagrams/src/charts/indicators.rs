//! Local indicators over time: a line chart of each area and the nation, each point with its
//! 95% confidence interval, and a legend that names each series' marker and line pattern so
//! that colour is never the only difference.

use cradle_domain::need::with_separators;

/// Chart geometry, in SVG user units.
pub const CHART_WIDTH: f64 = 640.0;
pub const PLOT_LEFT: f64 = 56.0;
pub const PLOT_RIGHT: f64 = 620.0;
pub const PLOT_TOP: f64 = 16.0;
pub const PLOT_BOTTOM: f64 = 250.0;
/// The legend's first line, below the plot and the period labels, and its line spacing.
const LEGEND_TOP: f64 = 48.0;
const LEGEND_LINE: f64 = 22.0;
/// How far apart each series' points sit at one period, so that their intervals do not
/// hide each other.
const SERIES_NUDGE: f64 = 6.0;

/// How each series is drawn: colour, and a marker and line pattern so that colour is never
/// the only difference. The nation always takes the last, a black dashed line with squares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub colour: &'static str,
    pub marker: Marker,
    pub dash: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
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

pub const AREA_STYLES: [Style; 4] = [
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
pub const NATION_STYLE: Style = Style {
    colour: "#0b0c0c",
    marker: Marker::Square,
    dash: "5 5",
};

/// One point of a series, in SVG units, with its interval when the file gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: String,
    pub y: String,
    /// The 95% confidence interval's ends, as y coordinates.
    pub interval: Option<(String, String)>,
    /// The marker's outline (triangles, diamonds, squares) or strokes (crosses).
    pub shape: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
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

#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub label: String,
    pub position: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
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

/// A figure as Fingertips shows it: one decimal place, with thousands separators.
pub fn figure(value: f64) -> String {
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
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesData {
    pub name: String,
    pub style: &'static Style,
    pub by_period: Vec<Option<Reading>>,
}

/// One period's figure for one area: the value, when there is one, and its 95% confidence
/// interval, when the file gives it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Reading {
    pub value: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
}

/// A line chart of each area and the nation over time, each point with its 95% interval.
pub fn chart(id: &str, title: String, periods: &[String], series: &[SeriesData]) -> Option<Chart> {
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

    fn reading(value: f64) -> Option<Reading> {
        Some(Reading {
            value: Some(value),
            lower_95: None,
            upper_95: None,
        })
    }

    fn with_interval(value: f64, lower: f64, upper: f64) -> Option<Reading> {
        Some(Reading {
            value: Some(value),
            lower_95: Some(lower),
            upper_95: Some(upper),
        })
    }

    fn series(name: &str, style: &'static Style, by_period: Vec<Option<Reading>>) -> SeriesData {
        SeriesData {
            name: name.to_owned(),
            style,
            by_period,
        }
    }

    fn periods(n: usize) -> Vec<String> {
        (0..n).map(|year| format!("{}", 2010 + year)).collect()
    }

    fn number(text: &str) -> f64 {
        text.parse().unwrap()
    }

    /// Every point and interval end lies within the plot.
    fn assert_within_plot(drawn: &Chart) {
        for series in &drawn.series {
            for point in &series.points {
                let (x, y) = (number(&point.x), number(&point.y));
                assert!((PLOT_LEFT..=PLOT_RIGHT).contains(&x), "x {x}");
                assert!((PLOT_TOP..=PLOT_BOTTOM).contains(&y), "y {y}");
                if let Some((lower, upper)) = &point.interval {
                    assert!((PLOT_TOP..=PLOT_BOTTOM).contains(&number(lower)));
                    assert!((PLOT_TOP..=PLOT_BOTTOM).contains(&number(upper)));
                }
            }
        }
        for tick in &drawn.y_ticks {
            assert!((PLOT_TOP - 0.05..=PLOT_BOTTOM).contains(&number(&tick.position)));
        }
    }

    #[test]
    fn figures_read_as_fingertips_writes_them() {
        assert_eq!(figure(1234.56), "1,234.6");
        assert_eq!(figure(0.0), "0.0");
        assert_eq!(figure(-2.5), "−2.5");
        assert_eq!(figure(-0.04), "0.0");
    }

    #[test]
    fn tick_steps_are_tidy() {
        assert_eq!(tick_step(100.0), 20.0);
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(20.0), 5.0);
        assert_eq!(tick_step(40.0), 10.0);
    }

    #[test]
    fn nothing_to_draw_is_no_chart() {
        assert_eq!(chart("1-0", "T".into(), &periods(3), &[]), None);
        let empty = series("Leeds", &AREA_STYLES[0], vec![None, None, None]);
        assert_eq!(chart("1-0", "T".into(), &periods(3), &[empty]), None);
        let no_value = series("Leeds", &AREA_STYLES[0], vec![Some(Reading::default())]);
        assert_eq!(chart("1-0", "T".into(), &periods(1), &[no_value]), None);
        let values = series("Leeds", &AREA_STYLES[0], vec![reading(3.0)]);
        assert_eq!(chart("1-0", "T".into(), &[], &[values]), None);
    }

    #[test]
    fn an_area_and_the_nation_are_scaled_from_zero_with_intervals() {
        let drawn = chart(
            "93-0",
            "Smoking".into(),
            &periods(3),
            &[
                series(
                    "Leeds",
                    &AREA_STYLES[0],
                    vec![with_interval(10.0, 8.0, 12.0), reading(40.0), None],
                ),
                series(
                    "England",
                    &NATION_STYLE,
                    vec![reading(20.0), reading(30.0), reading(100.0)],
                ),
            ],
        )
        .unwrap();
        assert_eq!(drawn.id, "chart-93-0");
        assert_eq!(drawn.height, PLOT_BOTTOM + LEGEND_TOP + LEGEND_LINE * 2.0);
        let labels: Vec<&str> = drawn.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "20", "40", "60", "80", "100"]);
        assert_eq!(drawn.y_ticks[0].position, "250.0");
        assert_eq!(drawn.y_ticks[5].position, "16.0");
        assert_within_plot(&drawn);
        // Series sit either side of each period's centre, so their intervals do not overlap.
        assert_eq!(drawn.series[0].points[0].x, "147.0");
        assert_eq!(drawn.series[1].points[0].x, "153.0");
        assert_eq!(drawn.series[0].path, "M147.0 226.6 L335.0 156.4");
        assert_eq!(
            drawn.series[0].points[0].interval,
            Some(("231.3".to_owned(), "221.9".to_owned()))
        );
        assert_eq!(drawn.series[0].line_label, "solid line");
        assert_eq!(drawn.series[1].line_label, "broken line");
        assert_eq!(drawn.series[1].marker, Marker::Square);
        assert_eq!(drawn.series[1].legend_y, "320.0");
        assert_eq!(
            drawn.description,
            "Leeds: 2010 10.0 (95% interval 8.0 to 12.0), 2011 40.0. \
             England: 2010 20.0, 2011 30.0, 2012 100.0"
        );
    }

    #[test]
    fn a_gap_in_the_figures_breaks_the_line() {
        let drawn = chart(
            "1-0",
            "T".into(),
            &periods(3),
            &[series(
                "Leeds",
                &AREA_STYLES[1],
                vec![reading(1.0), Some(Reading::default()), reading(3.0)],
            )],
        )
        .unwrap();
        assert_eq!(drawn.series[0].path.matches('M').count(), 2);
        assert!(!drawn.series[0].path.contains('L'));
        assert!(drawn.description.contains("2011 no value"));
        assert_eq!(drawn.series[0].marker.kind(), "polygon");
    }

    #[test]
    fn a_single_value_gets_an_axis_around_it() {
        let drawn = chart(
            "1-0",
            "T".into(),
            &periods(1),
            &[series("Leeds", &AREA_STYLES[0], vec![reading(5.0)])],
        )
        .unwrap();
        assert_eq!(drawn.x_ticks.len(), 1);
        assert_eq!(drawn.x_ticks[0].position, "338.0");
        assert_eq!(drawn.series[0].points[0].y, "250.0");
        assert_eq!(drawn.y_ticks.first().unwrap().label, "5");
        assert_eq!(drawn.y_ticks.last().unwrap().label, "6");
        assert_within_plot(&drawn);
    }

    #[test]
    fn zero_and_negative_values_label_the_axis_without_a_minus_zero() {
        let drawn = chart(
            "1-0",
            "T".into(),
            &periods(2),
            &[series(
                "Leeds",
                &AREA_STYLES[0],
                vec![reading(-3.0), reading(2.0)],
            )],
        )
        .unwrap();
        let labels: Vec<&str> = drawn.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["−3", "−2", "−1", "0", "1", "2"]);
        assert_within_plot(&drawn);
        let zeros = chart(
            "1-0",
            "T".into(),
            &periods(2),
            &[series(
                "Leeds",
                &AREA_STYLES[0],
                vec![reading(0.0), reading(0.0)],
            )],
        )
        .unwrap();
        assert_eq!(zeros.y_ticks[0].label, "0");
        assert_within_plot(&zeros);
    }

    #[test]
    fn long_runs_of_periods_label_every_few_and_the_last() {
        let values = (0..25).map(|n| reading(f64::from(n))).collect();
        let drawn = chart(
            "1-0",
            "T".into(),
            &periods(25),
            &[series("Leeds", &AREA_STYLES[0], values)],
        )
        .unwrap();
        let labels: Vec<&str> = drawn.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels.first(), Some(&"2010"));
        assert_eq!(labels.last(), Some(&"2034"));
        assert_eq!(labels.len(), 9);
        assert_within_plot(&drawn);
    }

    // Moved from the web crate's copy of this chart, assertions unchanged.
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
