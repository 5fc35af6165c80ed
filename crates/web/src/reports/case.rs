//! The case for action: part 1's cited evidence beside the partnership's own figures, drawn
//! from the same section the packs print.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use cradle_domain::report::SectionKind;
use time::OffsetDateTime;

use super::view::{BlockView, SectionView};
use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;

#[derive(Template)]
#[template(path = "reports/case_for_action.html")]
struct CaseForActionPage {
    layout: Layout,
    scope: InPartnership,
    sections: Vec<SectionView>,
}

pub(crate) async fn case_for_action(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    let today = OffsetDateTime::now_utc().date();
    let picture = cradle_report::picture(&state.store, &scope.partnership, today).await?;
    let mut section =
        cradle_report::section(&picture, &state.library.content, SectionKind::CaseForAction);
    // The page has its own heading; the section's blocks follow it.
    section.title.clear();
    render(&CaseForActionPage {
        layout: Layout::new(
            format!("The case for action in {}", scope.partnership.name),
            "/partnerships",
        ),
        sections: vec![SectionView::new(&section)],
        scope,
    })
}
