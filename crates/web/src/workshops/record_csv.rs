//! The record of a workshop as CSV.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use cradle_domain::actions::ActionFilter;
use cradle_domain::workshop::AnswerKind;
use cradle_store::StoredItem;

use super::{date_field, load};
use crate::AppState;
use crate::shared::csv_out;
use crate::shared::error::AppError;
use crate::shared::routes::InPartnership;
use crate::shared::routes::Routes;
use crate::shared::workshop_view::WorkshopData;

/// These pages' routes, each with its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::Viewer;
    routes.get(
        "/partnerships/{partnership}/workshops/{workshop}/record.csv",
        Partnership(Viewer),
        record_csv,
    )
}

/// The whole record as CSV: one row per agenda item, answer, vote total, decision and
/// action. Hidden notes are left out (they were hidden as inappropriate).
pub(crate) async fn record_csv(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let workshop = load(&state, &scope, &id).await?;
    let data = WorkshopData::load(&state, &id).await?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    for stored in &data.items {
        item_rows(&data, stored, &mut rows);
    }
    for decision in state.store.decisions(&id).await? {
        rows.push(row(
            "decision",
            String::new(),
            "",
            "decision",
            decision.text,
            String::new(),
            String::new(),
        ));
    }
    let filter = ActionFilter {
        workshop: Some(id.clone()),
        ..ActionFilter::default()
    };
    for action in state
        .store
        .list_actions(&scope.partnership.id, &filter)
        .await?
    {
        rows.push(row(
            "action",
            String::new(),
            "",
            action.action.status.label(),
            action.action.what,
            date_field(action.action.due),
            action.action.owner,
        ));
    }
    let name = format!("cradle-workshop-{}.csv", workshop.join_code.to_lowercase());
    csv_out::download(
        &name,
        &[
            "section",
            "item",
            "item title",
            "kind",
            "value",
            "group or count",
            "by or owner",
        ],
        rows,
    )
}

/// One row of the CSV: its section, the item's number and title, what kind of figure, the
/// value, a group or count, and who said it or owns it.
fn row(
    section: &str,
    number: String,
    item: &str,
    kind: &str,
    value: String,
    extra: String,
    by: String,
) -> Vec<String> {
    vec![
        section.to_owned(),
        number,
        item.to_owned(),
        kind.to_owned(),
        value,
        extra,
        by,
    ]
}

/// The rows of one agenda item: the item, its visible notes (with their votes), its option
/// or rating totals, and how many notes were hidden.
fn item_rows(data: &WorkshopData, stored: &StoredItem, rows: &mut Vec<Vec<String>>) {
    let number = (stored.position + 1).to_string();
    let title = stored.item.title.as_str();
    rows.push(row(
        "agenda",
        number.clone(),
        title,
        stored.item.answer.label(),
        format!("{} minutes", stored.item.minutes),
        String::new(),
        String::new(),
    ));
    let results = data.results(stored);
    for (group, notes) in &results.groups {
        for note in notes {
            rows.push(row(
                "note",
                number.clone(),
                title,
                "note",
                note.text.clone(),
                group.clone().unwrap_or_default(),
                note.by.clone(),
            ));
            if stored.item.votes_on_notes() {
                rows.push(row(
                    "votes",
                    number.clone(),
                    title,
                    "votes for note",
                    note.text.clone(),
                    note.votes.to_string(),
                    String::new(),
                ));
            }
        }
    }
    let kind = if stored.item.answer == AnswerKind::Choice {
        "choices"
    } else {
        "votes"
    };
    for (option, count) in &results.options {
        rows.push(row(
            "totals",
            number.clone(),
            title,
            kind,
            option.clone(),
            count.to_string(),
            String::new(),
        ));
    }
    if stored.item.answer == AnswerKind::Rating {
        for (rating, count) in &results.ratings {
            rows.push(row(
                "totals",
                number.clone(),
                title,
                "ratings",
                rating.to_string(),
                count.to_string(),
                String::new(),
            ));
        }
    }
    if !results.hidden.is_empty() {
        rows.push(row(
            "hidden",
            number.clone(),
            title,
            "notes hidden by the facilitator",
            results.hidden.len().to_string(),
            String::new(),
            String::new(),
        ));
    }
}
