//! Estimated need: published prevalence applied to the partnership's own population, by
//! tier with ranges, each area, the assumptions and local figures behind it, and the
//! comparison per 1,000 residents with the nation.

use std::collections::BTreeMap;

use cradle_content::Content;
use cradle_diagrams::charts::need::chart;
use cradle_domain::need::{Assumption, NeedEstimate, RollUp, estimate, per_thousand};
use cradle_domain::report::{Cell, Column, Figure};
use cradle_domain::vocabulary::Tier;

use super::{Writer, notes, people, table};
use crate::gather::{Picture, Population};

/// The estimate of need over the partnership's areas, as the need page makes it.
pub(crate) struct Estimated<'p> {
    pub population: &'p Population,
    pub assumptions: Vec<Assumption>,
    pub result: NeedEstimate,
}

/// The estimate, or `None` when there is no population file with any of the areas.
pub(crate) fn estimated<'p>(picture: &'p Picture, content: &Content) -> Option<Estimated<'p>> {
    let population = picture.population.as_ref()?;
    if population.areas.is_empty() {
        return None;
    }
    // Validated content always converts; a figure that did not would be left out.
    let assumptions: Vec<Assumption> = content
        .prevalence
        .iter()
        .filter_map(|prevalence| prevalence.assumption().ok())
        .collect();
    let result = estimate(&population.areas, &assumptions, &picture.overrides);
    Some(Estimated {
        population,
        assumptions,
        result,
    })
}

impl Estimated<'_> {
    /// The partnership-wide lines of each tier, universal first, each with its assumption.
    pub fn by_tier(&self) -> BTreeMap<Tier, Vec<(&Assumption, &RollUp)>> {
        let mut tiers: BTreeMap<Tier, Vec<(&Assumption, &RollUp)>> = BTreeMap::new();
        for (assumption, roll_up) in self.assumptions.iter().zip(&self.result.partnership) {
            tiers
                .entry(roll_up.tier)
                .or_default()
                .push((assumption, roll_up));
        }
        tiers
    }

    /// Where the population figures come from, for a table's `source`.
    pub fn source(&self) -> String {
        let mut source = format!("Population: {}", self.population.source.describe());
        match &self.population.births_source {
            Some(births) => source.push_str(&format!(". Births: {}", births.describe())),
            None => source.push_str(". No births file: babies under 1 stand in for births"),
        }
        source
    }
}

/// Each line of the estimate across the partnership, central with its range.
pub(crate) fn need_table(estimated: &Estimated<'_>, writer: &mut Writer<'_>) {
    let rows = estimated
        .by_tier()
        .into_iter()
        .flat_map(|(tier, lines)| lines.into_iter().map(move |line| (tier, line)))
        .map(|(tier, (assumption, roll_up))| {
            let cited = writer.cite(&assumption.sources);
            vec![
                Cell::text(tier.label()),
                Cell::text(&roll_up.title),
                people(roll_up.estimate.central),
                people(roll_up.estimate.low),
                people(roll_up.estimate.high),
                Cell::text(cited.join("; ")),
            ]
        })
        .collect();
    let mut need = table(
        "Estimated need across the partnership: central figure with the range from low to high",
        vec![
            Column::text("Tier"),
            Column::text("Estimate of"),
            Column::number("Central"),
            Column::number("Low"),
            Column::number("High"),
            Column::text("Sources"),
        ],
        rows,
    );
    need.source = Some(estimated.source());
    writer.table(need);
}

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    let Some(estimated) = estimated(picture, writer.content) else {
        writer.missing(notes::POPULATION);
        return;
    };
    writer.paragraph(
        "Each line applies a published prevalence figure, with its range, to the people it is counted among in the partnership's areas. Tiers of need overlap (a mother counted at the specialist tier is also counted at the targeted one), so lines are never added together.",
    );
    warnings(estimated.population, writer);
    if estimated.population.births_source.is_none() {
        writer.missing(notes::BIRTHS);
    }
    for (tier, lines) in estimated.by_tier() {
        tier_block(&estimated, tier, &lines, writer);
    }
    areas_table(&estimated, writer);
    assumptions(&estimated, writer);
    comparison(&estimated, writer);
}

/// Areas the file lacks, and figures to check before use.
fn warnings(population: &Population, writer: &mut Writer<'_>) {
    if !population.missing_areas.is_empty() {
        let codes: Vec<String> = population
            .missing_areas
            .iter()
            .map(|c| c.to_string())
            .collect();
        writer.missing(format!(
            "The population file has no figures for {}, so they are left out of the estimate: import a file that has them on the Population data page.",
            super::and_list(&codes)
        ));
    }
    for area in &population.areas {
        if let Some(caution) = &area.caution {
            writer.paragraph(format!(
                "Check the figures for {} before using them: {caution}",
                area.name
            ));
        }
    }
}

/// One tier: its chart and its lines across the partnership.
fn tier_block(
    estimated: &Estimated<'_>,
    tier: Tier,
    lines: &[(&Assumption, &RollUp)],
    writer: &mut Writer<'_>,
) {
    writer.heading(format!("{} need", tier.label()));
    let bars: Vec<_> = lines
        .iter()
        .map(|(_, roll_up)| (roll_up.title.clone(), roll_up.estimate))
        .collect();
    let title = format!(
        "{} need: estimated number of people, central figure with the range from low to high",
        tier.label()
    );
    if let Some(drawn) = chart(tier.id(), title, &bars) {
        writer.figure(Figure {
            caption: format!(
                "{} need across the partnership: bars show the central estimate, the line runs from the low to the high estimate",
                tier.label()
            ),
            alt: drawn.description.clone(),
            svg: drawn.to_svg(),
            slug: format!("need-{}", tier.id()),
        });
    }
    let rows = lines
        .iter()
        .map(|(assumption, roll_up)| {
            let cited = writer.cite(&assumption.sources);
            vec![
                Cell::text(&roll_up.title),
                Cell::text(&roll_up.base),
                Cell::text(assumption.rate.to_string()),
                people(roll_up.estimate.low),
                people(roll_up.estimate.central),
                people(roll_up.estimate.high),
                Cell::text(cited.join("; ")),
            ]
        })
        .collect();
    let mut drawn = table(
        format!("{} need across the partnership", tier.label()),
        vec![
            Column::text("Estimate of"),
            Column::text("Counted among"),
            Column::text("Published rate"),
            Column::number("Low"),
            Column::number("Central"),
            Column::number("High"),
            Column::text("Sources"),
        ],
        rows,
    );
    drawn.source = Some(estimated.source());
    writer.table(drawn);
}

/// Every line for every area and the partnership: the sheet of the estimate.
fn areas_table(estimated: &Estimated<'_>, writer: &mut Writer<'_>) {
    writer.heading("Each area");
    let mut rows = Vec::new();
    for area in &estimated.result.areas {
        for line in &area.lines {
            rows.push(vec![
                Cell::text(&area.name),
                Cell::text(line.tier.label()),
                Cell::text(&line.title),
                Cell::text(line.rate.to_string()),
                people(line.estimate.low),
                people(line.estimate.central),
                people(line.estimate.high),
                Cell::text(&line.working),
            ]);
        }
    }
    let mut drawn = table(
        "Estimated need in each area",
        vec![
            Column::text("Area"),
            Column::text("Tier"),
            Column::text("Estimate of"),
            Column::text("Rate used"),
            Column::number("Low"),
            Column::number("Central"),
            Column::number("High"),
            Column::text("Working"),
        ],
        rows,
    );
    drawn.sheet = Some("Need".to_owned());
    drawn.source = Some(estimated.source());
    writer.table(drawn);
}

/// Each published figure with its reasoning and sources, and the partnership's own figures.
fn assumptions(estimated: &Estimated<'_>, writer: &mut Writer<'_>) {
    writer.heading("Assumptions");
    let mut items = Vec::new();
    for assumption in &estimated.assumptions {
        let cited = writer.cite(&assumption.sources);
        let elsewhere = if assumption.nations.is_empty() {
            String::new()
        } else {
            let nations: Vec<String> = assumption
                .nations
                .iter()
                .map(|nation| nation.label().to_owned())
                .collect();
            format!(" The evidence comes from {}.", super::and_list(&nations))
        };
        items.push(format!(
            "{}: {}. {}{elsewhere} Sources: {}.",
            assumption.title,
            assumption.rate,
            assumption.note,
            cited.join("; ")
        ));
    }
    writer.bullets(items);
    let local: Vec<String> = estimated
        .result
        .areas
        .iter()
        .flat_map(|area| area.lines.iter().map(move |line| (area, line)))
        .filter_map(|(area, line)| {
            let note = line.overridden.as_ref()?;
            Some(format!(
                "{}, {}: local figure {} in place of the published {}: \u{201c}{}\u{201d} (set by {})",
                area.name, line.title, line.rate, note.published, note.reason, note.made_by
            ))
        })
        .collect();
    if local.is_empty() {
        writer.paragraph(
            "Every line uses the published figures: the partnership has set no local figures.",
        );
    } else {
        writer.heading("Local figures in place of published ones");
        writer.bullets(local);
    }
}

/// Each area, the partnership and the nation per 1,000 residents.
fn comparison(estimated: &Estimated<'_>, writer: &mut Writer<'_>) {
    writer.heading("Compared with the nation");
    let population = estimated.population;
    let nation_result = estimate(&population.nations, &estimated.assumptions, &[]);
    let compared = per_thousand(
        &estimated.assumptions,
        (&population.areas, &estimated.result),
        (&population.nations, &nation_result),
    );
    if population.nations.is_empty() {
        writer.missing(notes::NATION_ROW);
    } else {
        writer.paragraph("Per 1,000 residents of all ages, so that places of different sizes can be compared. The nation is shown with the published figures only.");
    }
    let mut columns = vec![Column::text("Measure")];
    columns.extend(compared.columns.iter().map(Column::number));
    let mut rows = vec![
        std::iter::once(Cell::text("Residents (all ages)"))
            .chain(compared.residents.iter().map(|count| Cell::count(*count)))
            .collect::<Vec<_>>(),
    ];
    rows.extend(compared.rows.iter().map(|(label, cells)| {
        std::iter::once(Cell::text(label))
            .chain(cells.iter().map(|cell| match cell {
                Some(value) => {
                    Cell::number(*value, cradle_domain::need::per_thousand_figure(*value))
                }
                None => Cell::text("–"),
            }))
            .collect()
    }));
    let mut drawn = table("Need per 1,000 residents", columns, rows);
    drawn.source = Some(estimated.source());
    writer.table(drawn);
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::{Block, SectionKind};

    use super::super::testing::*;

    #[test]
    fn each_tier_has_a_chart_and_a_table_with_ranges_and_citations() {
        let section = built(&full(), SectionKind::Need);
        let headings = headings(&section.section);
        for tier in ["Universal need", "Targeted need", "Specialist need"] {
            assert!(headings.contains(&tier.to_owned()), "{headings:?}");
        }
        assert!(
            figures(&section.section)
                .iter()
                .any(|f| f.slug == "need-targeted")
        );
        let targeted = table_captioned(&section.section, "Targeted need across the partnership");
        let row = row_starting(
            targeted,
            "Mild to moderate depression and anxiety in mothers",
        );
        // 901 + 1,802 live births × 100–150 per 1,000 (central 125).
        assert_eq!(shown(&row[3..6]), ["270", "338", "405"]);
        assert_eq!(row[1].shown(), "2,703 live births");
        assert!(row[6].shown().contains("(2012)"), "{:?}", row[6]);
        assert!(
            targeted
                .source
                .as_deref()
                .is_some_and(|s| s.contains("nomis.csv"))
        );
        assert!(section.cited.contains(&"jcpmh-2012".to_owned()));
    }

    #[test]
    fn the_sheet_has_every_area_and_local_figures_are_explained() {
        let section = built(&full(), SectionKind::Need);
        let sheet = section
            .section
            .blocks
            .iter()
            .find_map(|block| match block {
                Block::Table(table) if table.sheet.as_deref() == Some("Need") => Some(table),
                _ => None,
            })
            .expect("a Need sheet");
        assert!(sheet.rows.iter().any(|row| row[0].shown() == "Hartlepool"));
        assert!(
            sheet
                .rows
                .iter()
                .any(|row| row[0].shown() == "Middlesbrough")
        );
        let text = text_of(&section.section);
        assert!(
            text.contains("\u{201c}Local audit: =SUM(A1) <b>#1</b>\u{201d} (set by Pat)"),
            "{text}"
        );
    }

    #[test]
    fn the_nation_is_compared_per_thousand_or_its_absence_explained() {
        let section = built(&full(), SectionKind::Need);
        let compared = table_captioned(&section.section, "Need per 1,000 residents");
        let titles: Vec<&str> = compared.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Measure",
                "Hartlepool",
                "Middlesbrough",
                "The partnership",
                "ENGLAND (published rates)"
            ]
        );
        let mut picture = full();
        if let Some(population) = picture.population.as_mut() {
            population.nations.clear();
        }
        let section = built(&picture, SectionKind::Need);
        assert!(
            missing(&section.section)
                .iter()
                .any(|m| m.contains("no row for the nation"))
        );
    }

    #[test]
    fn rare_conditions_per_thousand_never_read_as_none() {
        let shown: Vec<String> = [52.74, 0.12, 0.022, 0.001, 0.0]
            .map(cradle_domain::need::per_thousand_figure)
            .into();
        assert_eq!(
            shown,
            ["52.7", "0.1", "less than 0.1", "less than 0.1", "0.0"]
        );
        let section = built(&full(), SectionKind::Need);
        let compared = table_captioned(&section.section, "Need per 1,000 residents");
        let psychosis = row_starting(
            compared,
            "Postpartum psychosis: central estimate per 1,000 residents",
        );
        assert!(
            psychosis[1..].iter().all(|cell| cell.shown() != "0.0"),
            "{psychosis:?}"
        );
    }

    #[test]
    fn no_population_file_says_what_to_import() {
        let section = built(&empty(), SectionKind::Need);
        assert_eq!(section.section.blocks.len(), 1);
        assert!(missing(&section.section)[0].contains("Population data page"));
    }
}
