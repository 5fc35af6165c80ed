//! The partnership's case for action (toolkit part 1, with its own figures) and its report
//! packs: definitions a facilitator saves, and each pack made as a dated snapshot (PDF,
//! Word, Excel and slide images) that anyone in the partnership can open again later.
//!
//! Any member reads and downloads; a facilitator defines and makes packs.

mod case;
mod packs;
mod view;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use cradle_report::{Format, SLIDES};
use cradle_store::{SnapshotSummary, StoreError, StoredPack};

use crate::AppState;
use crate::shared::auth::{Auth, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::inventory::InventoryPage;
use crate::shared::layout::Layout;
use crate::shared::routes::{InPartnership, Routes};
use view::{BlockView, SectionView};

/// This feature's routes, each with its access policy.
pub(crate) fn routes(routes: Routes) -> Routes {
    use cradle_domain::access::Access::Partnership;
    use cradle_domain::vocabulary::Role::{Facilitator, Viewer};
    let packs = "/partnerships/{partnership}/reports/packs";
    routes
        .get(
            "/partnerships/{partnership}/case-for-action",
            Partnership(Viewer),
            case::case_for_action,
        )
        .get(
            "/partnerships/{partnership}/reports",
            Partnership(Viewer),
            reports,
        )
        .get(
            "/partnerships/{partnership}/reports/packs/new",
            Partnership(Facilitator),
            packs::new_form,
        )
        .post(packs, Partnership(Facilitator), packs::create)
        .get(
            "/partnerships/{partnership}/reports/packs/{pack}/edit",
            Partnership(Facilitator),
            packs::edit_form,
        )
        .post(
            "/partnerships/{partnership}/reports/packs/{pack}/edit",
            Partnership(Facilitator),
            packs::update,
        )
        .post(
            "/partnerships/{partnership}/reports/packs/{pack}/delete",
            Partnership(Facilitator),
            packs::delete,
        )
        .post(
            "/partnerships/{partnership}/reports/packs/{pack}/make",
            Partnership(Facilitator),
            packs::make,
        )
        .get(
            "/partnerships/{partnership}/reports/{snapshot}",
            Partnership(Viewer),
            snapshot,
        )
        .get(
            "/partnerships/{partnership}/reports/{snapshot}/files/{file}",
            Partnership(Viewer),
            download,
        )
}

fn reports_path(scope: &InPartnership) -> String {
    format!("/partnerships/{}/reports", scope.partnership.id)
}

/// A snapshot's file as offered for download.
struct FileLink {
    file: String,
    label: &'static str,
    size: String,
}

struct SnapshotLine {
    summary: SnapshotSummary,
    made_at: String,
    files: Vec<FileLink>,
}

impl SnapshotLine {
    fn new(summary: SnapshotSummary) -> Self {
        let files = summary
            .files
            .iter()
            .map(|(file, size)| FileLink {
                label: file_label(file),
                file: file.clone(),
                size: file_size(*size),
            })
            .collect();
        Self {
            made_at: made_at(&summary),
            files,
            summary,
        }
    }
}

fn made_at(summary: &SnapshotSummary) -> String {
    let at = summary.made_at;
    format!(
        "{} at {:02}:{:02} UTC",
        cradle_domain::services::long_date(at.date()),
        at.hour(),
        at.minute()
    )
}

fn file_label(file: &str) -> &'static str {
    match file.parse::<Format>() {
        Ok(format) => format.label(),
        Err(_) if file == SLIDES => "Slide images (ZIP of PNG and SVG)",
        Err(_) => "File",
    }
}

/// A size people read: "812 KB", "1.4 MB".
fn file_size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1_000))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

#[derive(Template)]
#[template(path = "reports/reports.html")]
struct ReportsPage {
    layout: Layout,
    csrf: String,
    scope: InPartnership,
    packs: Vec<StoredPack>,
    snapshots: Vec<SnapshotLine>,
    /// Why a pack could not be made, shown above the packs.
    problem: Option<String>,
}

async fn reports_page(
    state: &AppState,
    auth: &Auth,
    scope: InPartnership,
    problem: Option<String>,
) -> Result<Html<String>, AppError> {
    let id = &scope.partnership.id;
    let packs = state.store.packs(id).await?;
    let snapshots = state.store.snapshots(id).await?;
    render(&ReportsPage {
        layout: Layout::new(
            format!("Reports of {}", scope.partnership.name),
            "/partnerships",
        ),
        csrf: csrf::token(&auth.session).await?,
        packs,
        snapshots: snapshots.into_iter().map(SnapshotLine::new).collect(),
        problem,
        scope,
    })
}

pub(crate) async fn reports(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
) -> Result<Html<String>, AppError> {
    reports_page(&state, &auth, scope, None).await
}

#[derive(Template)]
#[template(path = "reports/snapshot.html")]
struct SnapshotPage {
    layout: Layout,
    scope: InPartnership,
    snapshot: SnapshotLine,
    document: cradle_domain::report::Document,
    sections: Vec<SectionView>,
}

pub(crate) async fn snapshot(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (summary, document) = state
        .store
        .snapshot(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    render(&SnapshotPage {
        layout: Layout::new(document.title.clone(), "/partnerships"),
        sections: document.sections.iter().map(SectionView::new).collect(),
        snapshot: SnapshotLine::new(summary),
        document,
        scope,
    })
}

pub(crate) async fn download(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Path((_, id, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (summary, _) = state
        .store
        .snapshot(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content = state
        .store
        .snapshot_file(&scope.partnership.id, &id, &file)
        .await?
        .ok_or(AppError::NotFound)?;
    let (media_type, extension) = match file.parse::<Format>() {
        Ok(format) => (format.media_type(), format.extension()),
        Err(_) => ("application/zip", "zip"),
    };
    let name = download_name(&summary, &file, extension);
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        content,
    )
        .into_response())
}

/// A file name from the title and the day it was made, in letters, digits and hyphens
/// only (so no header can be broken by a title), e.g. `board-pack-2026-12-07.pdf`.
fn download_name(summary: &SnapshotSummary, file: &str, extension: &str) -> String {
    let mut stem = String::new();
    for word in summary
        .title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(8)
    {
        if !stem.is_empty() {
            stem.push('-');
        }
        stem.push_str(&word.to_ascii_lowercase());
    }
    if stem.is_empty() {
        stem.push_str("report");
    }
    let suffix = if file == SLIDES { "-slides" } else { "" };
    format!("{stem}{suffix}-{}.{extension}", summary.made_at.date())
}

/// The case for action, the Reports page, and one pack's form and snapshot if there are.
pub(crate) async fn inventory(
    store: &cradle_store::Store,
    partnership: &cradle_domain::partnership::Partnership,
) -> Result<Vec<InventoryPage>, StoreError> {
    let id = &partnership.id;
    let name = &partnership.name;
    let mut pages = vec![
        InventoryPage::new(
            format!("/partnerships/{id}/case-for-action"),
            format!("The case for action in {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/reports"),
            format!("Reports of {name}"),
        ),
        InventoryPage::new(
            format!("/partnerships/{id}/reports/packs/new"),
            "Define a pack",
        )
        .signed_in(),
    ];
    if let Some(pack) = store.packs(id).await?.first() {
        pages.push(
            InventoryPage::new(
                format!("/partnerships/{id}/reports/packs/{}/edit", pack.id),
                "Change a pack",
            )
            .signed_in(),
        );
    }
    if let Some(snapshot) = store.snapshots(id).await?.first() {
        pages.push(InventoryPage::new(
            format!("/partnerships/{id}/reports/{}", snapshot.id),
            snapshot.title.clone(),
        ));
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(title: &str) -> SnapshotSummary {
        SnapshotSummary {
            id: "s".into(),
            pack_name: "Board pack".into(),
            title: title.into(),
            made_by_label: "Pat".into(),
            made_at: time::macros::datetime!(2026-12-07 10:30 UTC),
            files: vec![("pdf".into(), 1_234_567)],
        }
    }

    #[test]
    fn download_names_keep_only_safe_characters() {
        let name = download_name(&summary("Board \"pack\"\r\n; Café #1"), "pdf", "pdf");
        assert_eq!(name, "board-pack-caf-1-2026-12-07.pdf");
        assert_eq!(
            download_name(&summary("£££"), SLIDES, "zip"),
            "report-slides-2026-12-07.zip"
        );
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(file_size(812_000), "812 KB");
        assert_eq!(file_size(1_400_000), "1.4 MB");
        assert_eq!(made_at(&summary("x")), "7 December 2026 at 10:30 UTC");
    }
}
