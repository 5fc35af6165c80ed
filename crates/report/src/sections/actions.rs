//! The action plan: what is to be done, by whom, by when, where it has got to and where it
//! came from.

use cradle_domain::actions::ActionStatus;
use cradle_domain::report::{Cell, Column};
use cradle_domain::services::long_date;

use super::{Writer, count_of, notes, table};
use crate::gather::Picture;

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    if picture.actions.is_empty() {
        writer.missing(notes::ACTIONS);
        return;
    }
    let of = |status| {
        picture
            .actions
            .iter()
            .filter(|record| record.action.status == status)
            .count()
    };
    writer.paragraph(format!(
        "The partnership's action log holds {}: {} open, {} in progress and {} done. Open and in-progress actions come first, soonest due first.",
        count_of(picture.actions.len(), "action", "actions"),
        of(ActionStatus::Open),
        of(ActionStatus::InProgress),
        of(ActionStatus::Done)
    ));
    let rows = picture
        .actions
        .iter()
        .map(|record| {
            let action = &record.action;
            vec![
                Cell::text(&action.what),
                Cell::text(&action.owner),
                Cell::text(action.due.map_or_else(|| "No date".to_owned(), long_date)),
                Cell::text(action.status.label()),
                Cell::text(record.origin.describe()),
            ]
        })
        .collect();
    let mut drawn = table(
        "The action plan",
        vec![
            Column::text("What"),
            Column::text("Who"),
            Column::text("Due"),
            Column::text("Status"),
            Column::text("Came from"),
        ],
        rows,
    );
    drawn.sheet = Some("Actions".to_owned());
    drawn.source = Some(format!(
        "The partnership's action log in Cradle, as at {}",
        long_date(picture.today)
    ));
    writer.table(drawn);
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn the_action_plan_says_who_when_status_and_origin() {
        let section = built(&full(), SectionKind::Actions).section;
        let plan = sheet(&section, "Actions");
        assert_eq!(
            shown(row_starting(plan, "Fund an evening helpline")),
            [
                "Fund an evening helpline",
                "Public health",
                "31 January 2027",
                "In progress",
                "Gap: No evening support"
            ]
        );
        assert_eq!(
            shown(row_starting(plan, AWKWARD))[2..],
            ["No date", "Open", "Workshop: Launch"]
        );
        assert_eq!(
            row_starting(plan, "Map services")[4].shown(),
            "Added to the action log"
        );
        assert!(text_of(&section).contains("3 actions: 1 open, 1 in progress and 1 done"));
    }

    #[test]
    fn no_action_says_where_to_add_one() {
        let section = built(&empty(), SectionKind::Actions).section;
        assert!(missing(&section)[0].contains("Action log page"));
    }
}
