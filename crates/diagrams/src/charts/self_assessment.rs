//! A self-assessment round's results: for each characteristic, a bar per maturity level as
//! long as the share of raters who chose it, with the count written beside it, and
//! divergent characteristics marked in words.

use cradle_domain::vocabulary::MaturityLevel;

/// One characteristic's results as the chart needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placing<'a> {
    pub title: &'a str,
    /// How many raters chose each maturity level, in [`MaturityLevel::ALL`]'s order.
    pub counts: [usize; 4],
    /// Whether the raters' answers diverge.
    pub divergent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartCell {
    pub x: u32,
    pub width: u32,
    pub text_x: u32,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartRow {
    pub label: String,
    pub label_y: u32,
    pub bar_y: u32,
    pub text_y: u32,
    pub cells: Vec<ChartCell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartView {
    pub title: String,
    pub description: String,
    pub height: u32,
    pub columns: Vec<(u32, &'static str)>,
    pub rows: Vec<ChartRow>,
}

/// Each level's column is this wide; a bar of every rater fills [`CHART_BAR_MAX`] of it.
pub const CHART_COLUMN: u32 = 160;
pub const CHART_BAR_MAX: f64 = 110.0;
const CHART_ROW: u32 = 50;
const CHART_TOP: u32 = 28;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The chart of one round: `rows` in order, bars scaled to `raters` (all of them choosing
/// one level fills its column's bar).
pub fn chart(rows: &[Placing<'_>], raters: usize) -> ChartView {
    let scale = |count: usize| {
        if raters == 0 {
            0
        } else {
            (count as f64 / raters as f64 * CHART_BAR_MAX).round() as u32
        }
    };
    let chart_rows = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let top = CHART_TOP + index as u32 * CHART_ROW;
            ChartRow {
                label: if row.divergent {
                    format!("{} (raters diverge)", row.title)
                } else {
                    row.title.to_owned()
                },
                label_y: top + 14,
                bar_y: top + 22,
                text_y: top + 34,
                cells: row
                    .counts
                    .iter()
                    .enumerate()
                    .map(|(column, count)| {
                        let x = column as u32 * CHART_COLUMN;
                        let width = scale(*count);
                        ChartCell {
                            x,
                            width,
                            text_x: x + width + 6,
                            count: *count,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let description = rows
        .iter()
        .map(|row| {
            let counts: Vec<String> = MaturityLevel::ALL
                .iter()
                .zip(row.counts)
                .map(|(level, count)| format!("{} {count}", level.label().to_lowercase()))
                .collect();
            format!(
                "{}: {}{}",
                row.title,
                counts.join(", "),
                if row.divergent {
                    " (raters diverge)"
                } else {
                    ""
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    ChartView {
        title: format!(
            "How {} placed the partnership on each characteristic",
            plural(raters, "rater", "raters")
        ),
        description,
        height: CHART_TOP + rows.len() as u32 * CHART_ROW,
        columns: MaturityLevel::ALL
            .iter()
            .enumerate()
            .map(|(i, level)| (i as u32 * CHART_COLUMN, level.label()))
            .collect(),
        rows: chart_rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placing(title: &str, counts: [usize; 4], divergent: bool) -> Placing<'_> {
        Placing {
            title,
            counts,
            divergent,
        }
    }

    #[test]
    fn bars_are_shares_of_the_raters_within_their_columns() {
        let drawn = chart(
            &[
                placing("Leadership", [1, 2, 1, 0], false),
                placing("Workforce", [0, 0, 0, 4], true),
            ],
            4,
        );
        assert_eq!(
            drawn.title,
            "How 4 raters placed the partnership on each characteristic"
        );
        assert_eq!(drawn.height, 28 + 2 * 50);
        let widths: Vec<u32> = drawn.rows[0].cells.iter().map(|c| c.width).collect();
        assert_eq!(widths, [28, 55, 28, 0]);
        let xs: Vec<u32> = drawn.rows[0].cells.iter().map(|c| c.x).collect();
        assert_eq!(xs, [0, 160, 320, 480]);
        assert_eq!(drawn.rows[0].cells[1].text_x, 160 + 55 + 6);
        assert_eq!(drawn.rows[1].cells[3].width, 110);
        for row in &drawn.rows {
            for cell in &row.cells {
                assert!(f64::from(cell.width) <= CHART_BAR_MAX);
                assert!(cell.text_x < cell.x + CHART_COLUMN);
            }
        }
        let first = &drawn.rows[0];
        assert_eq!((first.label_y, first.bar_y, first.text_y), (42, 50, 62));
        assert_eq!(drawn.rows[1].label_y, 92);
    }

    #[test]
    fn divergence_is_said_in_words_in_the_label_and_the_description() {
        let drawn = chart(&[placing("Workforce", [1, 0, 0, 1], true)], 2);
        assert_eq!(drawn.rows[0].label, "Workforce (raters diverge)");
        let levels: Vec<String> = MaturityLevel::ALL
            .iter()
            .map(|level| level.label().to_lowercase())
            .collect();
        assert_eq!(
            drawn.description,
            format!(
                "Workforce: {} 1, {} 0, {} 0, {} 1 (raters diverge)",
                levels[0], levels[1], levels[2], levels[3]
            )
        );
        let columns: Vec<(u32, &str)> = drawn.columns.clone();
        assert_eq!(columns.len(), 4);
        assert_eq!(columns[3], (480, MaturityLevel::ALL[3].label()));
    }

    #[test]
    fn one_rater_fills_a_bar_and_is_named_in_the_singular() {
        let drawn = chart(&[placing("Data", [0, 1, 0, 0], false)], 1);
        assert_eq!(
            drawn.title,
            "How 1 rater placed the partnership on each characteristic"
        );
        assert_eq!(drawn.rows[0].label, "Data");
        assert_eq!(drawn.rows[0].cells[1].width, 110);
        assert_eq!(drawn.rows[0].cells[1].count, 1);
    }

    #[test]
    fn no_raters_or_no_rows_draw_empty_bars_without_dividing_by_zero() {
        let drawn = chart(&[placing("Data", [0, 0, 0, 0], false)], 0);
        assert!(drawn.rows[0].cells.iter().all(|cell| cell.width == 0));
        assert!(drawn.title.starts_with("How 0 raters"));
        let empty = chart(&[], 3);
        assert!(empty.rows.is_empty());
        assert_eq!(empty.height, 28);
        assert_eq!(empty.description, "");
        assert_eq!(empty.columns.len(), 4);
    }
}
