//! The projector screen of a workshop: the current item's question and its live results in
//! type readable from the back of a room, the join code and QR code always in view, and
//! nothing else (no site header or footer, no moderation: that stays on the facilitator's
//! view). Keys move the agenda; without JavaScript the screen reloads itself.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Html;
use cradle_domain::workshop::AnswerKind;

use super::running::{Presenting, presenting};
use crate::AppState;
use crate::shared::auth::{Auth, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;
use crate::shared::routes::{InPartnership, Routes};
use crate::shared::workshop_view::{ItemView, Results};

/// This page's route and its access policy.
pub(super) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::Facilitator;
    routes.get(
        "/partnerships/{partnership}/workshops/{workshop}/screen",
        Partnership(Facilitator),
        screen,
    )
}

/// One answer's bar: its label, its count and its length in twentieths of the longest.
pub(super) struct Bar {
    label: String,
    count: usize,
    width: usize,
}

/// The bars of a choice, an option vote or a rating; none for items that take notes.
fn bars(item: &ItemView, results: &Results) -> (Vec<Bar>, String) {
    let (pairs, caption): (Vec<(String, usize)>, String) = match item.answer {
        AnswerKind::Rating => (
            results
                .ratings
                .iter()
                .map(|(rating, count)| (format!("Rated {rating}"), *count))
                .collect(),
            format!("Ratings for item {}", item.number),
        ),
        AnswerKind::Choice => (
            results.options.clone(),
            format!("Choices for item {}", item.number),
        ),
        AnswerKind::DotVote if !item.votes_on_notes => (
            results.options.clone(),
            format!("Votes for item {}", item.number),
        ),
        _ => (Vec::new(), String::new()),
    };
    let longest = pairs
        .iter()
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(0)
        .max(1);
    let bars = pairs
        .into_iter()
        .map(|(label, count)| Bar {
            width: count * 20 / longest,
            label,
            count,
        })
        .collect();
    (bars, caption)
}

#[derive(Template)]
#[template(path = "workshops/screen.html")]
struct ScreenPage {
    layout: Layout,
    csrf: String,
    workshop: cradle_store::StoredWorkshop,
    base: String,
    item: Option<ItemView>,
    results: Option<Results>,
    item_count: usize,
    participants: usize,
    join_link: String,
    /// The site's address without its scheme, short enough to read from the back.
    join_host: String,
    bars: Vec<Bar>,
    bar_caption: String,
}

pub(crate) async fn screen(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let Presenting {
        workshop,
        base,
        item,
        results,
        item_count,
        participants,
        join_link,
    } = presenting(&state, &scope, &id).await?;
    let (bars, bar_caption) = match (&item, &results) {
        (Some(item), Some(results)) => bars(item, results),
        _ => (Vec::new(), String::new()),
    };
    let join_host = join_link
        .split("/join/")
        .next()
        .unwrap_or_default()
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned();
    render(&ScreenPage {
        layout: Layout::new(
            format!("Screen: {}", workshop.details.title),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        workshop,
        base,
        item,
        results,
        item_count,
        participants,
        join_link,
        join_host,
        bars,
        bar_caption,
    })
}
