//! The need page's bar charts, drawn as SVG on the server.

use cradle_domain::need::Figures;

/// One bar of a chart: central estimate with a line from low to high, in SVG units.
pub(crate) struct Bar {
    pub label: String,
    pub label_y: u32,
    pub bar_y: u32,
    pub central_width: u32,
    pub low_x: u32,
    pub high_x: u32,
    pub whisker_y: u32,
    pub value: String,
    pub value_x: u32,
    pub value_y: u32,
}

pub(crate) struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
}

/// Chart geometry (SVG user units): the plot is as wide as the chart less room for the
/// figures written after the longest bar.
pub(super) const CHART_WIDTH: u32 = 640;
pub(super) const PLOT_WIDTH: f64 = 420.0;
pub(super) const ROW_HEIGHT: u32 = 44;
pub(super) const BAR_HEIGHT: u32 = 14;

/// A chart's line: its label and the figures drawn.
pub(super) type ChartLine = (String, Figures);

/// A chart of one tier's lines: each bar the central estimate, with a line from low to high.
pub(super) fn chart(id: &str, title: String, lines: &[ChartLine]) -> Option<Chart> {
    let largest = lines
        .iter()
        .map(|(_, figures)| figures.high)
        .fold(0.0_f64, f64::max);
    if lines.is_empty() || largest <= 0.0 {
        return None;
    }
    let scale = |value: f64| (value / largest * PLOT_WIDTH).round() as u32;
    let bars = lines
        .iter()
        .enumerate()
        .map(|(index, (label, figures))| {
            let top = index as u32 * ROW_HEIGHT;
            let high_x = scale(figures.high);
            Bar {
                label: label.clone(),
                label_y: top + 14,
                bar_y: top + 20,
                central_width: scale(figures.central).max(1),
                low_x: scale(figures.low),
                high_x,
                whisker_y: top + 20 + BAR_HEIGHT / 2,
                value: format!("{}", figures),
                value_x: high_x + 8,
                value_y: top + 31,
            }
        })
        .collect::<Vec<_>>();
    let description = lines
        .iter()
        .map(|(label, figures)| format!("{label}: {figures}"))
        .collect::<Vec<_>>()
        .join("; ");
    Some(Chart {
        id: format!("chart-{id}"),
        title,
        description,
        width: CHART_WIDTH,
        height: bars.len() as u32 * ROW_HEIGHT + 8,
        bars,
    })
}
