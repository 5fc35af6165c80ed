//! The whole-system self-assessment: each round's results per characteristic (median, range,
//! spread and agreement), withheld until enough raters have answered, with its chart and the
//! change since the round before.

use cradle_content::Content;
use cradle_diagrams::charts::self_assessment::{Placing, chart};
use cradle_domain::report::{Cell, Column, Figure, Table};
use cradle_domain::self_assessment::{CharacteristicResult, Results, compare};
use cradle_domain::services::long_date;

use super::{Writer, count_of, notes, table};
use crate::gather::{Picture, RoundRecord};

/// The content's title of a characteristic, or its id (a round keeps the ids it was opened
/// with, even if the content changes later).
fn title_of(content: &Content, id: &str) -> String {
    content
        .characteristics
        .by_id(id)
        .map_or_else(|| id.to_owned(), |c| c.title.clone())
}

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    if picture.rounds.is_empty() {
        writer.missing(notes::ROUNDS);
        return;
    }
    writer.paragraph("Partners rated the local system on each characteristic of a whole-system approach, from emerging to embedded. Agreement runs from 0 (raters split between the extremes) to 1 (all agree); where raters diverge the conversation matters more than the median. Results are shown only once enough raters have answered that no one can be identified.");
    let mut every = Vec::new();
    for (index, round) in picture.rounds.iter().enumerate() {
        writer.heading(&round.title);
        writer.paragraph(describe(round));
        let Results::Shown {
            raters,
            characteristics,
            ..
        } = &round.results
        else {
            writer.missing(withheld(round));
            continue;
        };
        if characteristics.is_empty() {
            writer.paragraph("The raters rated none of the round's characteristics.");
            continue;
        }
        let slug = format!("self-assessment-{}", index + 1);
        writer.figure(figure(writer.content, characteristics, *raters, &slug));
        writer.table(results_table(writer.content, round, characteristics));
        divergent(writer, characteristics);
        if let Some(earlier) = earlier_shown(&picture.rounds[index + 1..]) {
            change(writer, round, characteristics, earlier);
        }
        every.push((round, characteristics));
    }
    if !every.is_empty() {
        writer.heading("Every round's results");
        writer.table(sheet(writer.content, &every));
    }
}

fn describe(round: &RoundRecord) -> String {
    let closed = round.closed.map_or_else(
        || "still open".to_owned(),
        |date| format!("closed on {}", long_date(date)),
    );
    format!(
        "Opened on {}, {closed}. {} answered.",
        long_date(round.opened),
        count_of(round.answered, "rater", "raters")
    )
}

fn withheld(round: &RoundRecord) -> String {
    let (answered, needed) = match round.results {
        Results::Withheld { answered, needed } => (answered, needed),
        Results::Shown { raters, .. } => (raters, round.min_raters),
    };
    format!(
        "Results withheld: {answered} of the {needed} raters needed have answered. They show once {needed} have, so that no one's answers can be identified; ask more partners to rate on the Whole-system self-assessment page."
    )
}

fn figure(
    content: &Content,
    results: &[CharacteristicResult],
    raters: usize,
    slug: &str,
) -> Figure {
    let titles: Vec<String> = results
        .iter()
        .map(|r| title_of(content, &r.characteristic))
        .collect();
    let placings: Vec<Placing<'_>> = results
        .iter()
        .zip(&titles)
        .map(|(result, title)| Placing {
            title,
            counts: result.counts,
            divergent: result.divergent,
        })
        .collect();
    let drawn = chart(&placings, raters);
    Figure {
        caption: format!(
            "{}: each bar is the share of raters who chose that level, with how many did",
            drawn.title
        ),
        alt: drawn.description.clone(),
        svg: drawn.to_svg(slug),
        slug: slug.to_owned(),
    }
}

fn range_text(result: &CharacteristicResult) -> String {
    let (low, high) = result.range;
    if low == high {
        low.label().to_owned()
    } else {
        format!("{} to {}", low.label(), high.label().to_lowercase())
    }
}

/// One characteristic's row: counts at each level, median, range, spread and agreement.
fn result_cells(content: &Content, result: &CharacteristicResult) -> Vec<Cell> {
    let mut cells = vec![Cell::text(title_of(content, &result.characteristic))];
    cells.extend(result.counts.iter().map(|n| Cell::count(*n as u64)));
    cells.extend([
        Cell::text(result.median.label()),
        Cell::text(range_text(result)),
        Cell::count(result.interquartile_range as u64),
        Cell::number(result.agreement, format!("{:.2}", result.agreement)),
        Cell::text(if result.divergent { "Yes" } else { "No" }),
    ]);
    cells
}

fn result_columns() -> Vec<Column> {
    vec![
        Column::text("Characteristic"),
        Column::number("Emerging"),
        Column::number("Developing"),
        Column::number("Established"),
        Column::number("Embedded"),
        Column::text("Median"),
        Column::text("Range"),
        Column::number("Interquartile range (levels)"),
        Column::number("Agreement"),
        Column::text("Raters diverge"),
    ]
}

fn results_table(
    content: &Content,
    round: &RoundRecord,
    results: &[CharacteristicResult],
) -> Table {
    let mut drawn = table(
        format!(
            "{}: ratings by characteristic, most divergent first",
            round.title
        ),
        result_columns(),
        results.iter().map(|r| result_cells(content, r)).collect(),
    );
    drawn.source = Some(format!(
        "Raters' answers to the round in Cradle ({})",
        count_of(round.answered, "rater", "raters")
    ));
    drawn
}

fn divergent(writer: &mut Writer<'_>, results: &[CharacteristicResult]) {
    let names: Vec<String> = results
        .iter()
        .filter(|r| r.divergent)
        .map(|r| title_of(writer.content, &r.characteristic))
        .collect();
    if !names.is_empty() {
        writer.paragraph(format!(
            "Raters diverge on {}: worth discussing why they see it differently.",
            super::and_list(&names)
        ));
    }
}

/// The newest of `earlier` rounds whose results are shown.
fn earlier_shown(earlier: &[RoundRecord]) -> Option<(&RoundRecord, &[CharacteristicResult])> {
    earlier.iter().find_map(|round| match &round.results {
        Results::Shown {
            characteristics, ..
        } => Some((round, characteristics.as_slice())),
        Results::Withheld { .. } => None,
    })
}

/// How each characteristic both rounds rated moved since the earlier round.
fn change(
    writer: &mut Writer<'_>,
    round: &RoundRecord,
    now: &[CharacteristicResult],
    (earlier, before): (&RoundRecord, &[CharacteristicResult]),
) {
    let changes = compare(before, now);
    if changes.is_empty() {
        return;
    }
    let rows = changes
        .iter()
        .map(|change| {
            vec![
                Cell::text(title_of(writer.content, &change.characteristic)),
                Cell::text(change.before.label()),
                Cell::text(change.after.label()),
                Cell::text(change.median_change_text()),
                Cell::number(
                    change.agreement_before,
                    format!("{:.2}", change.agreement_before),
                ),
                Cell::number(
                    change.agreement_after,
                    format!("{:.2}", change.agreement_after),
                ),
            ]
        })
        .collect();
    let mut drawn = table(
        format!("{} compared with {}", round.title, earlier.title),
        vec![
            Column::text("Characteristic"),
            Column::text(format!("Median in {}", earlier.title)),
            Column::text(format!("Median in {}", round.title)),
            Column::text("Change"),
            Column::number("Agreement before"),
            Column::number("Agreement now"),
        ],
        rows,
    );
    drawn.source = Some("Raters' answers to both rounds in Cradle".to_owned());
    writer.table(drawn);
}

/// Every shown round's results, one row per round and characteristic.
fn sheet(content: &Content, rounds: &[(&RoundRecord, &Vec<CharacteristicResult>)]) -> Table {
    let mut columns = vec![Column::text("Round"), Column::text("Opened")];
    columns.extend(result_columns());
    let rows = rounds
        .iter()
        .flat_map(|(round, results)| {
            results.iter().map(move |result| {
                let mut row = vec![
                    Cell::text(&round.title),
                    Cell::text(long_date(round.opened)),
                ];
                row.extend(result_cells(content, result));
                row
            })
        })
        .collect();
    let mut drawn = table("Every round's results, by characteristic", columns, rows);
    drawn.sheet = Some("Self-assessment".to_owned());
    drawn.source = Some("Raters' answers to each round in Cradle".to_owned());
    drawn
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    const TITLE: &str = "Shared vision and leadership";

    #[test]
    fn shown_rounds_have_a_chart_results_and_the_change_since_the_last() {
        let section = built(&full(), SectionKind::SelfAssessment).section;
        assert_eq!(figures(&section).len(), 2, "two rounds with results");
        let spring = table_captioned(
            &section,
            "Spring round: ratings by characteristic, most divergent first",
        );
        let row = row_starting(spring, TITLE);
        assert_eq!(shown(&row[1..5]), ["0", "1", "2", "0"]);
        assert_eq!(row[5].shown(), "Established");
        assert_eq!(row[6].shown(), "Developing to established");
        let change = table_captioned(&section, "Spring round compared with Autumn round");
        assert_eq!(
            shown(row_starting(change, TITLE))[1..4],
            ["Emerging", "Established", "Up 2.0 levels"]
        );
        let sheet = sheet(&section, "Self-assessment");
        assert_eq!(sheet.rows.len(), 2);
    }

    #[test]
    fn a_round_below_the_minimum_is_withheld() {
        let section = built(&full(), SectionKind::SelfAssessment).section;
        let missing = missing(&section);
        assert_eq!(missing.len(), 1);
        assert!(
            missing[0].starts_with("Results withheld: 2 of the 3 raters needed have answered.")
        );
        let text = text_of(&section);
        assert!(
            !text.contains("Small round: ratings"),
            "no results for the small round"
        );
    }

    #[test]
    fn no_round_says_where_to_open_one() {
        let section = built(&empty(), SectionKind::SelfAssessment).section;
        assert!(missing(&section)[0].contains("Whole-system self-assessment page"));
    }
}
