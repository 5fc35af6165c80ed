//! The case for action: the partnership's own figures (births and young children, estimated
//! need, local indicators, services and gaps) beside the toolkit's cited evidence of why the
//! mental health of babies and young children matters.

use cradle_domain::report::{Cell, Column};
use cradle_domain::services::{GapKind, gaps};
use cradle_domain::vocabulary::FactTheme;
use cradle_domain::walkthrough::FindingKind;

use super::indicators::{latest_rows, latest_table};
use super::need::{estimated, need_table};
use super::{Writer, count_of, notes, table};
use crate::gather::{Picture, Population};

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    let name = &picture.partnership.name;
    writer.paragraph(format!(
        "Why the mental health of babies and young children matters in {name}: the partnership's own figures, each with the file it comes from, beside the national evidence, each fact with its source."
    ));
    if picture.partnership.is_demo {
        writer.paragraph(notes::DEMO);
    }
    writer.heading(format!("Babies and young children in {name}"));
    match picture.population.as_ref().filter(|p| !p.areas.is_empty()) {
        Some(population) => children(population, writer),
        None => writer.missing(notes::POPULATION),
    }
    writer.heading("Estimated need");
    match estimated(picture, writer.content) {
        Some(estimated) => {
            writer.paragraph("Published prevalence applied to the partnership's own population, central figure with the range from low to high. Tiers overlap, so lines are never added together.");
            need_table(&estimated, writer);
        }
        None => writer.missing(notes::POPULATION),
    }
    writer.heading("Local indicators against the nation");
    let rows = latest_rows(&picture.indicators);
    if rows.is_empty() {
        writer.missing(notes::indicators(picture.indicator_files));
    } else {
        writer.table(latest_table(&picture.indicators, rows));
    }
    writer.heading("Services and gaps");
    services_and_gaps(picture, writer);
    evidence(writer);
}

/// Births, babies under one and children aged 0 to 4 in each area and in all.
fn children(population: &Population, writer: &mut Writer<'_>) {
    let with_births = population.births_source.is_some();
    let row = |name: &str, births: Option<u64>, babies: u64, children: u64| {
        let mut cells = vec![Cell::text(name)];
        if with_births {
            cells.push(births.map_or_else(|| Cell::text("–"), Cell::count));
        }
        cells.extend([Cell::count(babies), Cell::count(children)]);
        cells
    };
    let under = |ages: &std::collections::BTreeMap<u8, u64>, oldest: u8| -> u64 {
        ages.range(0..=oldest).map(|(_, n)| n).sum()
    };
    let mut rows: Vec<Vec<Cell>> = population
        .areas
        .iter()
        .map(|area| {
            row(
                &area.name,
                area.births,
                under(&area.ages, 0),
                under(&area.ages, 4),
            )
        })
        .collect();
    if population.areas.len() > 1 {
        let births = population
            .areas
            .iter()
            .map(|a| a.births)
            .sum::<Option<u64>>();
        let babies = population.areas.iter().map(|a| under(&a.ages, 0)).sum();
        let children = population.areas.iter().map(|a| under(&a.ages, 4)).sum();
        rows.push(row("The partnership", births, babies, children));
    }
    let mut columns = vec![Column::text("Area")];
    if with_births {
        columns.push(Column::number("Live births in a year"));
    }
    columns.extend([
        Column::number("Babies under 1"),
        Column::number("Children aged 0 to 4"),
    ]);
    let mut drawn = table("Births and young children in each area", columns, rows);
    let mut source = format!("Population: {}", population.source.describe());
    if let Some(births) = &population.births_source {
        source.push_str(&format!(". Births: {}", births.describe()));
    }
    drawn.source = Some(source);
    writer.table(drawn);
    if !with_births {
        writer.missing(notes::BIRTHS);
    }
}

/// How many services are mapped, the most pressing gaps the coverage rules find, and the
/// gaps and risks walk-throughs found.
fn services_and_gaps(picture: &Picture, writer: &mut Writer<'_>) {
    if picture.services.is_empty() {
        writer.missing(notes::SERVICES);
    } else {
        let found = gaps(&picture.services, picture.today);
        let elements = found
            .iter()
            .filter(|gap| matches!(gap.kind, GapKind::ElementUncovered(..)))
            .count();
        writer.paragraph(format!(
            "The service map holds {}. The coverage rules find {}.",
            count_of(picture.services.len(), "service", "services"),
            count_of(found.len(), "gap", "gaps")
        ));
        let mut items: Vec<String> = found
            .iter()
            .filter(|gap| !matches!(gap.kind, GapKind::ElementUncovered(..)))
            .map(|gap| gap.message.clone())
            .collect();
        if elements > 0 {
            items.push(format!(
                "{} of a framework element in an age band that no service supports (each is listed with the service map)",
                count_of(elements, "case", "cases")
            ));
        }
        writer.bullets(items);
    }
    if picture.walkthroughs.is_empty() {
        writer.missing(notes::WALKTHROUGHS);
    } else {
        let of = |kind| picture.findings.iter().filter(|f| f.kind == kind).count();
        writer.paragraph(format!(
            "{} found {} and {}.",
            count_of(
                picture.walkthroughs.len(),
                "scenario walk-through",
                "scenario walk-throughs"
            ),
            count_of(of(FindingKind::Gap), "gap", "gaps"),
            count_of(of(FindingKind::Risk), "risk", "risks")
        ));
    }
}

/// The toolkit's part 1 facts, by theme, each with its citations.
fn evidence(writer: &mut Writer<'_>) {
    writer.heading("What the evidence says");
    writer.paragraph("From the toolkit's evidence on why the early years matter. Each statement is in Cradle's own words, with its source; the full references are listed at the end.");
    let content = writer.content;
    for theme in FactTheme::ALL {
        let facts: Vec<_> = content.facts.iter().filter(|f| f.theme == *theme).collect();
        if facts.is_empty() {
            continue;
        }
        writer.heading(theme.label());
        for fact in facts {
            writer.fact(&fact.statement, fact.figure.as_deref(), &fact.sources);
        }
    }
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::{Block, SectionKind};

    use super::super::testing::*;

    #[test]
    fn the_partnerships_figures_sit_beside_the_cited_evidence() {
        let built = built(&full(), SectionKind::CaseForAction);
        let section = &built.section;
        let children = table_captioned(section, "Births and young children in each area");
        assert_eq!(
            shown(row_starting(children, "The partnership")),
            ["The partnership", "2,703", "2,739", "14,110"]
        );
        assert!(
            children
                .source
                .as_deref()
                .is_some_and(|s| s.contains("nomis.csv") && s.contains("births.csv"))
        );
        let need = table_captioned(
            section,
            "Estimated need across the partnership: central figure with the range from low to high",
        );
        let row = need
            .rows
            .iter()
            .find(|row| row[1].shown() == "Postpartum psychosis")
            .expect("a line");
        // 2,703 births × 0.89–2.6 per 1,000 (central 2): whole people, the cells keep the
        // unrounded figures for the spreadsheet.
        assert_eq!(shown(&row[2..5]), ["5", "2", "7"]);
        let facts: Vec<&Vec<String>> = section
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Fact { cited, .. } => Some(cited),
                _ => None,
            })
            .collect();
        assert!(facts.len() > 20, "{}", facts.len());
        assert!(facts.iter().all(|cited| !cited.is_empty()));
        assert!(
            facts
                .iter()
                .any(|cited| cited.contains(&"Bauer and others (2014)".to_owned()))
        );
        assert!(built.cited.contains(&"bauer-2014".to_owned()));
        assert!(headings(section).contains(&"Prevalence".to_owned()));
    }

    #[test]
    fn local_indicators_show_the_latest_value_against_the_nation() {
        let section = built(&full(), SectionKind::CaseForAction).section;
        let latest = table_captioned(
            &section,
            "Local indicators: the latest figure for each area, with the nation's",
        );
        let row = row_starting(
            latest,
            "Low birth weight of term babies (Persons, >=37 weeks)",
        );
        assert_eq!(
            shown(&row[1..]),
            ["Hartlepool", "2022", "3.9", "3.4 to 4.4", "2.9", "Worse"]
        );
        assert!(
            latest
                .source
                .as_deref()
                .is_some_and(|s| s.contains("fingertips.csv"))
        );
    }

    #[test]
    fn services_and_gaps_are_counted_with_the_most_pressing_named() {
        let section = built(&full(), SectionKind::CaseForAction).section;
        let text = text_of(&section);
        assert!(text.contains("The service map holds 2 services."), "{text}");
        assert!(
            text.contains("No service on the map works in pregnancy"),
            "{text}"
        );
        assert!(
            text.contains("1 scenario walk-through found 1 gap and 1 risk."),
            "{text}"
        );
    }

    #[test]
    fn missing_data_says_what_to_do_while_the_evidence_stays() {
        let built = built(&empty(), SectionKind::CaseForAction);
        let missing = missing(&built.section);
        assert!(
            missing
                .iter()
                .any(|m| m.contains("import a population file on the Population data page"))
        );
        assert!(missing.iter().any(|m| m.contains("Local indicators page")));
        assert!(missing.iter().any(|m| m.contains("Service map page")));
        assert!(tables(&built.section).is_empty());
        assert!(!built.cited.is_empty());
    }
}
