//! Scenario walk-throughs and the gap register: what each walk-through found, and every gap
//! and risk with the walk-through it came from and the action that answers it.

use cradle_domain::report::{Cell, Column};
use cradle_domain::services::{gaps, long_date};

use super::{Writer, count_of, notes, table};
use crate::gather::{Picture, WalkthroughRecord};

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    if picture.walkthroughs.is_empty() {
        writer.missing(notes::WALKTHROUGHS);
        return;
    }
    writer.paragraph("For each scenario the partnership walked through: who would notice, which services would respond at each level of the socio-ecological model and when, what the family would experience, and the gaps and risks found.");
    for walkthrough in &picture.walkthroughs {
        one(walkthrough, writer);
    }
    register(picture, writer);
}

fn one(walkthrough: &WalkthroughRecord, writer: &mut Writer<'_>) {
    writer.heading(format!("Walk-through: {}", walkthrough.title));
    let kind = if walkthrough.national {
        "one of the toolkit's scenarios"
    } else {
        "a scenario the partnership wrote"
    };
    writer.paragraph(format!(
        "Walked through on {}, using {kind}.",
        long_date(walkthrough.date)
    ));
    writer.paragraph(format!(
        "Who would notice: {}",
        walkthrough.who_would_notice
    ));
    if !walkthrough.levels.is_empty() {
        let rows = walkthrough
            .levels
            .iter()
            .map(|level| {
                vec![
                    Cell::text(level.level.label()),
                    Cell::text(level.services.join(", ")),
                    Cell::text(&level.timing),
                ]
            })
            .collect();
        let mut drawn = table(
            format!("Who would respond in \u{201c}{}\u{201d}", walkthrough.title),
            vec![
                Column::text("Level"),
                Column::text("Services"),
                Column::text("When"),
            ],
            rows,
        );
        drawn.source = Some(format!(
            "The walk-through as recorded in Cradle on {}",
            long_date(walkthrough.date)
        ));
        writer.table(drawn);
    }
    if !walkthrough.family_experience.is_empty() {
        writer.paragraph(format!(
            "What the family would experience: {}",
            walkthrough.family_experience
        ));
    }
    if walkthrough.gaps.is_empty() && walkthrough.risks.is_empty() {
        writer.paragraph("This walk-through recorded no gaps or risks.");
    }
    if !walkthrough.gaps.is_empty() {
        writer.paragraph("Gaps found:");
        writer.bullets(walkthrough.gaps.clone());
    }
    if !walkthrough.risks.is_empty() {
        writer.paragraph("Risks found:");
        writer.bullets(walkthrough.risks.clone());
    }
}

/// Every gap and risk the walk-throughs found, with where it came from and its action.
fn register(picture: &Picture, writer: &mut Writer<'_>) {
    writer.heading("The gap register");
    if picture.findings.is_empty() {
        writer.paragraph("No walk-through has recorded a gap or risk yet.");
    } else {
        let rows = picture
            .findings
            .iter()
            .map(|finding| {
                vec![
                    Cell::text(finding.kind.label()),
                    Cell::text(&finding.description),
                    Cell::text(format!("Walk-through: {}", finding.walkthrough)),
                    Cell::text(finding.action.as_deref().unwrap_or("No action yet")),
                ]
            })
            .collect();
        let mut drawn = table(
            "Gaps and risks found by scenario walk-throughs",
            vec![
                Column::text("Kind"),
                Column::text("Gap or risk"),
                Column::text("Found by"),
                Column::text("Action"),
            ],
            rows,
        );
        drawn.sheet = Some("Gap register".to_owned());
        drawn.source = Some(format!(
            "The partnership's walk-throughs in Cradle, as at {}",
            long_date(picture.today)
        ));
        writer.table(drawn);
    }
    if !picture.services.is_empty() {
        let coverage = gaps(&picture.services, picture.today).len();
        writer.paragraph(format!(
            "The register also holds {} found by the coverage rules over the service map, listed with the service map.",
            count_of(coverage, "gap", "gaps")
        ));
    }
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn each_walkthrough_and_the_register_with_sources_and_actions() {
        let section = built(&full(), SectionKind::Walkthroughs).section;
        assert!(headings(&section).contains(&"Walk-through: Ava, six months".to_owned()));
        let text = text_of(&section);
        assert!(
            text.contains(
                "Walked through on 10 October 2026, using one of the toolkit's scenarios."
            )
        );
        assert!(text.contains("Who would notice: The health visitor"));
        let register = sheet(&section, "Gap register");
        assert_eq!(
            shown(row_starting(register, "Gap")),
            [
                "Gap",
                "No evening support",
                "Walk-through: Ava, six months",
                "In progress: Fund an evening helpline"
            ]
        );
        assert_eq!(row_starting(register, "Risk")[3].shown(), "No action yet");
    }

    #[test]
    fn no_walkthrough_says_where_to_start_one() {
        let section = built(&empty(), SectionKind::Walkthroughs).section;
        assert!(missing(&section)[0].contains("Scenarios page"));
    }
}
