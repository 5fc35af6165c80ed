//! The estimate of need: for one tier, a horizontal bar per line as long as its central
//! estimate, with a line from the low to the high figure and the figures written after it.

use cradle_domain::need::Figures;

/// One bar of a chart: central estimate with a line from low to high, in SVG units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
}

/// A chart's line: its label and the figures drawn.
pub type ChartLine = (String, Figures);

/// Chart geometry (SVG user units): the plot is as wide as the chart less room for the
/// figures written after the longest bar.
pub const CHART_WIDTH: u32 = 640;
pub const PLOT_WIDTH: f64 = 420.0;
const ROW_HEIGHT: u32 = 44;
const BAR_HEIGHT: u32 = 14;

/// A chart of one tier's lines: each bar the central estimate, with a line from low to high.
/// `None` when there is nothing to draw: no lines, or no line with a high figure above zero.
pub fn chart(id: &str, title: String, lines: &[ChartLine]) -> Option<Chart> {
    let largest = lines
        .iter()
        .map(|(_, figures)| figures.high)
        .fold(0.0_f64, f64::max);
    if lines.is_empty() || largest <= 0.0 {
        return None;
    }
    // Negative figures (which an estimate never gives) saturate to zero rather than wrap.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(label: &str, low: f64, central: f64, high: f64) -> ChartLine {
        (label.to_owned(), Figures { low, central, high })
    }

    #[test]
    fn nothing_to_draw_is_no_chart() {
        assert_eq!(chart("targeted", "T".into(), &[]), None);
        assert_eq!(
            chart("targeted", "T".into(), &[line("Zero", 0.0, 0.0, 0.0)]),
            None
        );
        assert_eq!(
            chart("targeted", "T".into(), &[line("Below", -5.0, -3.0, -1.0)]),
            None
        );
    }

    #[test]
    fn the_largest_high_figure_spans_the_plot_and_the_rest_scale_to_it() {
        let drawn = chart(
            "targeted",
            "Targeted need".into(),
            &[
                line("Anxiety", 50.0, 100.0, 200.0),
                line("Depression", 10.0, 20.0, 40.0),
            ],
        )
        .unwrap();
        assert_eq!(drawn.id, "chart-targeted");
        assert_eq!(drawn.title, "Targeted need");
        assert_eq!(drawn.width, CHART_WIDTH);
        assert_eq!(drawn.height, 2 * 44 + 8);
        let first = &drawn.bars[0];
        assert_eq!(
            (first.low_x, first.central_width, first.high_x),
            (105, 210, 420)
        );
        assert_eq!((first.label_y, first.bar_y, first.whisker_y), (14, 20, 27));
        assert_eq!((first.value_x, first.value_y), (428, 31));
        assert_eq!(first.value, "50–200 (central 100)");
        let second = &drawn.bars[1];
        assert_eq!(
            (second.low_x, second.central_width, second.high_x),
            (21, 42, 84)
        );
        assert_eq!((second.label_y, second.bar_y, second.value_y), (58, 64, 75));
        assert_eq!(
            drawn.description,
            "Anxiety: 50–200 (central 100); Depression: 10–40 (central 20)"
        );
    }

    #[test]
    fn every_bar_stays_within_the_plot_and_the_chart() {
        let lines: Vec<ChartLine> = (0..7)
            .map(|n| {
                line(
                    &format!("Line {n}"),
                    f64::from(n),
                    f64::from(n) * 3.0,
                    f64::from(n) * 7.0,
                )
            })
            .collect();
        let drawn = chart("universal", "U".into(), &lines).unwrap();
        for bar in &drawn.bars {
            assert!(bar.low_x <= bar.high_x);
            assert!(bar.central_width <= bar.high_x.max(1));
            assert!(f64::from(bar.high_x) <= PLOT_WIDTH);
            assert!(bar.value_y < drawn.height);
        }
    }

    #[test]
    fn a_single_value_or_a_zero_central_still_shows_a_sliver() {
        let drawn = chart("specialist", "S".into(), &[line("Rare", 0.0, 0.0, 3.0)]).unwrap();
        assert_eq!(drawn.bars.len(), 1);
        assert_eq!(drawn.bars[0].central_width, 1);
        assert_eq!(drawn.bars[0].high_x, 420);
        let exact = chart("specialist", "S".into(), &[line("Exact", 3.0, 3.0, 3.0)]).unwrap();
        assert_eq!(exact.bars[0].value, "3");
        assert_eq!(exact.bars[0].low_x, exact.bars[0].high_x);
    }

    #[test]
    fn negative_figures_saturate_at_the_axis() {
        let drawn = chart("targeted", "T".into(), &[line("Odd", -10.0, -5.0, 10.0)]).unwrap();
        assert_eq!(drawn.bars[0].low_x, 0);
        assert_eq!(drawn.bars[0].central_width, 1);
        assert_eq!(drawn.bars[0].high_x, 420);
    }
}
