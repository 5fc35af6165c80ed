//! Workshop decisions: each workshop, when it was and what for, and what it decided.

use cradle_domain::services::long_date;

use super::{Writer, notes};
use crate::gather::Picture;

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    if picture.workshops.is_empty() {
        writer.missing(notes::WORKSHOPS);
        return;
    }
    writer.paragraph("What the partnership decided at each of its workshops, newest first. Actions agreed at a workshop are in the action plan.");
    for workshop in &picture.workshops {
        writer.heading(&workshop.title);
        let when = workshop.date.map_or_else(
            || "Date not set".to_owned(),
            |date| format!("Held on {}", long_date(date)),
        );
        let purpose = workshop.purpose.trim();
        writer.paragraph(if purpose.is_empty() {
            format!("{when}.")
        } else {
            format!("{when}. Purpose: {purpose}")
        });
        if workshop.decisions.is_empty() {
            writer.paragraph("No decisions are recorded for this workshop.");
        } else {
            writer.paragraph("Decisions:");
            writer.bullets(workshop.decisions.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::{Block, SectionKind};

    use super::super::testing::*;

    #[test]
    fn each_workshop_lists_its_decisions_verbatim() {
        let section = built(&full(), SectionKind::Workshops).section;
        assert_eq!(headings(&section), ["Launch"]);
        assert!(text_of(&section).contains("Held on 15 September 2026. Purpose: Agree priorities"));
        assert!(section.blocks.contains(&Block::Bullets {
            items: vec![AWKWARD.to_owned()]
        }));
    }

    #[test]
    fn no_workshop_says_where_to_plan_one() {
        let section = built(&empty(), SectionKind::Workshops).section;
        assert!(missing(&section)[0].contains("Workshops page"));
    }
}
