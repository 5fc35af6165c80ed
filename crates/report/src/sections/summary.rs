//! The cover-type summary: who the partnership is, its key numbers, and what is missing.

use cradle_domain::actions::ActionStatus;
use cradle_domain::need::AreaPopulationView;
use cradle_domain::report::{Cell, Column};
use cradle_domain::services::gaps;

use super::need::{estimated, need_table};
use super::{Writer, and_list, notes, table};
use crate::gather::Picture;

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    let partnership = &picture.partnership;
    let areas: Vec<String> = partnership
        .areas
        .iter()
        .map(|code| format!("{} ({code})", picture.area_name(code)))
        .collect();
    writer.paragraph(format!(
        "{} is a partnership in {} covering {}.",
        partnership.name,
        partnership.nation.label(),
        if areas.is_empty() {
            "no areas yet".to_owned()
        } else {
            and_list(&areas)
        }
    ));
    if !partnership.description.trim().is_empty() {
        writer.paragraph(partnership.description.trim());
    }
    if partnership.is_demo {
        writer.paragraph(notes::DEMO);
    }
    writer.heading("Key figures");
    key_figures(picture, writer);
    writer.heading("What is missing");
    let missing = missing_data(picture);
    if missing.is_empty() {
        writer.paragraph("Nothing: every kind of information this report draws on has been added.");
    }
    for text in missing {
        writer.missing(text);
    }
}

/// Births, children, estimated need, services, gaps and open actions, each with where it
/// came from.
fn key_figures(picture: &Picture, writer: &mut Writer<'_>) {
    let estimated = estimated(picture, writer.content);
    let mut rows = Vec::new();
    let mut source = String::from("The partnership's records in Cradle");
    if let Some(estimated) = &estimated {
        rows.extend(population_rows(&estimated.population.areas));
        source = format!(
            "{}; the partnership's records in Cradle",
            estimated.source()
        );
    }
    // A count is shown only where the data behind it exists, so that no zero stands for
    // "not added yet".
    if !picture.services.is_empty() {
        let coverage = gaps(&picture.services, picture.today).len();
        rows.push(count_row("Services on the map", picture.services.len()));
        rows.push(count_row("Gaps found by the coverage rules", coverage));
    }
    if !picture.walkthroughs.is_empty() {
        let found = picture.findings.len();
        rows.push(count_row("Gaps and risks found by walk-throughs", found));
    }
    if !picture.actions.is_empty() {
        let open = picture
            .actions
            .iter()
            .filter(|record| record.action.status != ActionStatus::Done)
            .count();
        rows.push(count_row("Actions open or in progress", open));
    }
    if !rows.is_empty() {
        let mut figures = table(
            "Key figures",
            vec![Column::text("Measure"), Column::number("Figure")],
            rows,
        );
        figures.source = Some(source);
        writer.table(figures);
    }
    if let Some(estimated) = estimated {
        need_table(&estimated, writer);
    }
}

/// Births (live births where the births file has every area, else babies under one) and
/// children aged 0 to 4 across the areas.
fn population_rows(areas: &[AreaPopulationView]) -> Vec<Vec<Cell>> {
    let births: u64 = areas.iter().filter_map(|area| area.births).sum();
    let first = if areas.iter().all(|area| area.births.is_some()) {
        vec![Cell::text("Live births in a year"), Cell::count(births)]
    } else {
        let babies: u64 = areas
            .iter()
            .map(|a| a.ages.get(&0).copied().unwrap_or(0))
            .sum();
        vec![Cell::text("Babies under 1"), Cell::count(babies)]
    };
    let children: u64 = areas
        .iter()
        .map(|area| area.ages.range(0..=4).map(|(_, n)| n).sum::<u64>())
        .sum();
    vec![
        first,
        vec![Cell::text("Children aged 0 to 4"), Cell::count(children)],
    ]
}

fn count_row(label: &str, count: usize) -> Vec<Cell> {
    vec![Cell::text(label), Cell::count(count as u64)]
}

/// Each kind of information not yet added, with what to do and where.
fn missing_data(picture: &Picture) -> Vec<&'static str> {
    let population = picture.population.as_ref();
    let checks = [
        (
            population.is_none_or(|p| p.areas.is_empty()),
            notes::POPULATION,
        ),
        (
            population.is_some_and(|p| p.births_source.is_none()),
            notes::BIRTHS,
        ),
        (
            picture.indicators.is_empty(),
            notes::indicators(picture.indicator_files),
        ),
        (picture.services.is_empty(), notes::SERVICES),
        (picture.walkthroughs.is_empty(), notes::WALKTHROUGHS),
        (picture.rounds.is_empty(), notes::ROUNDS),
        (picture.workshops.is_empty(), notes::WORKSHOPS),
        (picture.actions.is_empty(), notes::ACTIONS),
    ];
    checks
        .into_iter()
        .filter_map(|(absent, text)| absent.then_some(text))
        .collect()
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn the_summary_names_the_partnership_and_its_key_numbers() {
        let section = built(&full(), SectionKind::Summary).section;
        let text = text_of(&section);
        assert!(text.contains("Tees Valley is a partnership in England covering Hartlepool (E06000001) and Middlesbrough (E06000002)."), "{text}");
        let key = table_captioned(&section, "Key figures");
        assert_eq!(
            shown(row_starting(key, "Live births in a year")),
            ["Live births in a year", "2,703"]
        );
        assert_eq!(
            shown(row_starting(key, "Children aged 0 to 4")),
            ["Children aged 0 to 4", "14,110"]
        );
        assert_eq!(
            shown(row_starting(key, "Services on the map")),
            ["Services on the map", "2"]
        );
        assert_eq!(
            shown(row_starting(key, "Actions open or in progress"))[1],
            "2"
        );
        assert!(
            key.source
                .as_deref()
                .is_some_and(|s| s.contains("nomis.csv"))
        );
        let need = tables(&section)[1];
        let row = need
            .rows
            .iter()
            .find(|row| row[1].shown() == "Mild to moderate depression and anxiety in mothers")
            .expect("a line");
        assert_eq!(shown(&row[2..5]), ["338", "270", "405"]);
        assert_eq!(
            row[5].shown(),
            "Joint Commissioning Panel for Mental Health (2012)"
        );
        assert!(missing(&section).is_empty());
    }

    #[test]
    fn an_empty_partnership_is_told_what_to_add_and_where() {
        let section = built(&empty(), SectionKind::Summary).section;
        let missing = missing(&section);
        assert!(
            missing.iter().any(|m| m.contains("Population data page")),
            "{missing:?}"
        );
        assert!(missing.iter().any(|m| m.contains("Service map page")));
        assert!(missing.iter().any(|m| m.contains("Action log page")));
        assert!(tables(&section).is_empty(), "no table of zeros");
    }
}
