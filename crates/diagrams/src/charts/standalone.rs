//! Each chart as a standalone SVG document, for reports and slides: the same marks the
//! partnership's pages draw inline, inside an `<svg>` with its own size, accessible name and
//! description, a white background and the diagrams' font (so that a PNG made from it looks
//! the same everywhere). Every piece of text goes through [`escape`].

use std::fmt::Write as _;

use super::{indicators, need, self_assessment};
use crate::svg::{TEAL, TEXT, document, escape};

/// The blue of the need chart's bars, as on the need page.
const BAR_BLUE: &str = "#1d70b8";
/// The light grey of the indicator chart's grid lines, as on the indicators page.
const GRID: &str = "#b1b4b6";
/// Space round a chart whose own geometry starts at the edge.
const MARGIN: u32 = 16;

impl need::Chart {
    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let mut body = format!(r#"<g transform="translate({MARGIN} {MARGIN})">"#);
        body.push('\n');
        for bar in &self.bars {
            let bottom = bar.bar_y + 14;
            let _ = writeln!(
                body,
                r#"<text x="0" y="{}" font-size="14" fill="{TEXT}">{}</text>"#,
                bar.label_y,
                escape(&bar.label)
            );
            let _ = writeln!(
                body,
                r#"<rect x="0" y="{}" width="{}" height="14" fill="{BAR_BLUE}"/>"#,
                bar.bar_y, bar.central_width
            );
            for (x1, x2, y1, y2) in [
                (bar.low_x, bar.high_x, bar.whisker_y, bar.whisker_y),
                (bar.low_x, bar.low_x, bar.bar_y, bottom),
                (bar.high_x, bar.high_x, bar.bar_y, bottom),
            ] {
                let _ = writeln!(
                    body,
                    r#"<line x1="{x1}" x2="{x2}" y1="{y1}" y2="{y2}" stroke="{TEXT}" stroke-width="2"/>"#
                );
            }
            let _ = writeln!(
                body,
                r#"<text x="{}" y="{}" font-size="13" fill="{TEXT}">{}</text>"#,
                bar.value_x,
                bar.value_y,
                escape(&bar.value)
            );
        }
        body.push_str("</g>\n");
        document(
            &self.id,
            self.width + 2 * MARGIN,
            self.height + 2 * MARGIN,
            &self.title,
            &self.description,
            &body,
        )
    }
}

impl indicators::Chart {
    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let mut body = String::new();
        for tick in &self.y_ticks {
            let _ = writeln!(
                body,
                r#"<line x1="{}" x2="{}" y1="{p}" y2="{p}" stroke="{GRID}" stroke-width="1"/>"#,
                self.plot_left,
                self.plot_right,
                p = tick.position
            );
            let _ = writeln!(
                body,
                r#"<text x="{}" y="{}" dy="4" text-anchor="end" font-size="13" fill="{TEXT}">{}</text>"#,
                self.plot_left - 6.0,
                tick.position,
                escape(&tick.label)
            );
        }
        let _ = writeln!(
            body,
            r#"<line x1="{}" x2="{}" y1="{b}" y2="{b}" stroke="{TEXT}" stroke-width="1"/>"#,
            self.plot_left,
            self.plot_right,
            b = self.plot_bottom
        );
        for tick in &self.x_ticks {
            let _ = writeln!(
                body,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="{TEXT}">{}</text>"#,
                tick.position,
                self.plot_bottom + 20.0,
                escape(&tick.label)
            );
        }
        for series in &self.series {
            self.draw_series(&mut body, series);
        }
        document(
            &self.id,
            self.width.ceil() as u32,
            self.height.ceil() as u32,
            &self.title,
            &self.description,
            &body,
        )
    }

    /// One series: its line, each point with its interval and marker, and its legend entry.
    fn draw_series(&self, body: &mut String, series: &indicators::Series) {
        let colour = series.colour;
        let dash = if series.dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{}""#, series.dash)
        };
        let _ = writeln!(
            body,
            r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            series.path
        );
        for point in &series.points {
            if let Some((lower, upper)) = &point.interval {
                let _ = writeln!(
                    body,
                    r#"<line x1="{x}" x2="{x}" y1="{lower}" y2="{upper}" stroke="{colour}" stroke-width="1.5"/>"#,
                    x = point.x
                );
            }
            marker(
                body,
                series.marker,
                colour,
                (&point.x, &point.y),
                &point.shape,
            );
        }
        let legend_y = &series.legend_y;
        let _ = writeln!(
            body,
            r#"<line x1="{}" x2="{}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" stroke-width="2"{dash}/>"#,
            self.plot_left,
            self.plot_left + 28.0
        );
        marker(
            body,
            series.marker,
            colour,
            (&series.legend_x, legend_y),
            &series.legend_marker,
        );
        let _ = writeln!(
            body,
            r#"<text x="{}" y="{legend_y}" dy="4" font-size="14" fill="{TEXT}">{} ({}, {})</text>"#,
            self.plot_left + 38.0,
            escape(&series.name),
            series.marker.label(),
            series.line_label
        );
    }
}

/// A point's marker: a circle at its centre, a cross's strokes, or a filled outline.
fn marker(
    body: &mut String,
    shape: indicators::Marker,
    colour: &str,
    (x, y): (&str, &str),
    outline: &str,
) {
    let _ = match shape.kind() {
        "circle" => writeln!(body, r#"<circle cx="{x}" cy="{y}" r="5" fill="{colour}"/>"#),
        "cross" => writeln!(
            body,
            r#"<path d="{outline}" stroke="{colour}" stroke-width="2.5" fill="none"/>"#
        ),
        _ => writeln!(body, r#"<polygon points="{outline}" fill="{colour}"/>"#),
    };
}

impl self_assessment::ChartView {
    /// The chart as a standalone SVG document, named `id` (unique in the document it joins).
    pub fn to_svg(&self, id: &str) -> String {
        let mut body = format!(r#"<g transform="translate({MARGIN} {MARGIN})">"#);
        body.push('\n');
        for (x, label) in &self.columns {
            let _ = writeln!(
                body,
                r#"<text x="{x}" y="16" font-size="14" font-weight="700" fill="{TEXT}">{}</text>"#,
                escape(label)
            );
        }
        for row in &self.rows {
            let _ = writeln!(
                body,
                r#"<text x="0" y="{}" font-size="14" fill="{TEXT}">{}</text>"#,
                row.label_y,
                escape(&row.label)
            );
            for cell in &row.cells {
                if cell.width > 0 {
                    let _ = writeln!(
                        body,
                        r#"<rect x="{}" y="{}" width="{}" height="14" fill="{TEAL}"/>"#,
                        cell.x, row.bar_y, cell.width
                    );
                }
                let _ = writeln!(
                    body,
                    r#"<text x="{}" y="{}" font-size="13" fill="{TEXT}">{}</text>"#,
                    cell.text_x, row.text_y, cell.count
                );
            }
        }
        body.push_str("</g>\n");
        let width = 4 * self_assessment::CHART_COLUMN + 2 * MARGIN;
        document(
            id,
            width,
            self.height + 2 * MARGIN,
            &self.title,
            &self.description,
            &body,
        )
    }
}

#[cfg(test)]
mod tests {
    use cradle_domain::need::Figures;
    use resvg::usvg;

    use super::*;
    use crate::charts::indicators::{AREA_STYLES, NATION_STYLE, Reading, SeriesData};
    use crate::charts::self_assessment::Placing;
    use crate::tests::svg_text;

    /// Parses as usvg would for a PNG, and returns the document's size and words.
    fn parse(svg: &str) -> (f32, f32, String) {
        let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).expect("usvg parses it");
        (tree.size().width(), tree.size().height(), svg_text(svg))
    }

    #[test]
    fn the_need_chart_stands_alone_with_its_figures_and_escaped_labels() {
        let figures = Figures {
            low: 92.0,
            central: 137.0,
            high: 183.0,
        };
        let chart = need::chart(
            "targeted",
            "Targeted need <in> Tees & Wear".into(),
            &[("=SUM(A1) #1 <b>".to_owned(), figures)],
        )
        .expect("a chart");
        let svg = chart.to_svg();
        let (width, height, words) = parse(&svg);
        assert_eq!(width, (need::CHART_WIDTH + 32) as f32);
        assert_eq!(height, (chart.height + 32) as f32);
        assert!(words.contains("=SUM(A1) #1 <b>"), "{words}");
        assert!(words.contains("92–183 (central 137)"), "{words}");
        assert!(svg.contains("<title id=\"cradle-diagram-chart-targeted-title\">Targeted need &lt;in&gt; Tees &amp; Wear</title>"));
    }

    #[test]
    fn the_indicator_chart_stands_alone_with_its_key() {
        let reading = |value| {
            Some(Reading {
                value: Some(value),
                lower_95: Some(value - 1.0),
                upper_95: Some(value + 1.0),
            })
        };
        let series = [
            SeriesData {
                name: "Hartlepool".into(),
                style: &AREA_STYLES[0],
                by_period: vec![reading(5.0), reading(6.0)],
            },
            SeriesData {
                name: "England".into(),
                style: &NATION_STYLE,
                by_period: vec![reading(3.0), None],
            },
        ];
        let periods = ["2021".to_owned(), "2022".to_owned()];
        let chart = indicators::chart("20101-0", "Low birth weight".into(), &periods, &series)
            .expect("a chart");
        let svg = chart.to_svg();
        let (width, _, words) = parse(&svg);
        assert_eq!(width, indicators::CHART_WIDTH as f32);
        assert!(
            words.contains("Hartlepool (circles, solid line)"),
            "{words}"
        );
        assert!(words.contains("England (squares, broken line)"), "{words}");
        assert!(words.contains("2021") && words.contains("2022"));
        assert_eq!(
            svg.matches("<polygon").count(),
            2,
            "a square per point and key"
        );
    }

    #[test]
    fn the_self_assessment_chart_stands_alone_with_each_count() {
        let chart = self_assessment::chart(
            &[Placing {
                title: "Leadership & <vision>",
                counts: [1, 2, 0, 0],
                divergent: true,
            }],
            3,
        );
        let svg = chart.to_svg("round-1");
        let (width, _, words) = parse(&svg);
        assert_eq!(width, (4 * self_assessment::CHART_COLUMN + 32) as f32);
        assert!(
            words.contains("Leadership & <vision> (raters diverge)"),
            "{words}"
        );
        assert_eq!(
            svg.matches("<rect x=").count(),
            2,
            "no bar for a level nobody chose"
        );
        assert!(svg.contains("cradle-diagram-round-1-title"));
    }
}
