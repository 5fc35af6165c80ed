//! A pack made into every file a snapshot keeps, and the demo partnership's own pack.

use cradle_content::Content;
use cradle_domain::partnership::Partnership;
use cradle_domain::report::{Document, PackDefinition, SectionKind};
use cradle_store::{SnapshotFile, Store};
use time::Date;

use crate::{Format, ReportError};

/// The snapshot file holding the slide images (a zip of PNG and SVG).
pub const SLIDES: &str = "slides";

/// The name of the demo partnership's pack.
pub const DEMO_PACK: &str = "Board pack";

/// Every file of a pack: PDF, Word, Excel and the slide images.
pub fn snapshot_files(document: &Document) -> Result<Vec<SnapshotFile>, ReportError> {
    let mut files = Vec::new();
    for format in Format::ALL {
        files.push(SnapshotFile {
            format: format.extension().to_owned(),
            content: crate::render(document, format)?,
        });
    }
    files.push(SnapshotFile {
        format: SLIDES.to_owned(),
        content: crate::slides_zip(document)?,
    });
    Ok(files)
}

/// Why the demo's pack could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoPackError {
    #[error(transparent)]
    Store(#[from] cradle_store::StoreError),
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// Gives a newly loaded demo partnership a saved pack of every section and one snapshot
/// of it, so that a newcomer can download a real pack in one click.
pub async fn load_demo_pack(
    store: &Store,
    content: &Content,
    demo: &Partnership,
    today: Date,
) -> Result<(), DemoPackError> {
    let pack = PackDefinition {
        name: DEMO_PACK.to_owned(),
        title: format!(
            "Babies' and young children's mental health in {}",
            demo.name
        ),
        author: "Cradle demonstration".to_owned(),
        introduction: "An example of the pack a partnership takes to its board: made by \
            Cradle from the demonstration partnership's invented figures."
            .to_owned(),
        sections: SectionKind::ALL.to_vec(),
    };
    store.create_pack(None, &demo.id, &pack).await?;
    let picture = crate::picture(store, demo, today).await?;
    let document = crate::document(&picture, content, &pack, today);
    let (document, files) = tokio::task::spawn_blocking(move || {
        snapshot_files(&document).map(|files| (document, files))
    })
    .await
    .map_err(|error| ReportError::Slide(format!("making the demo pack stopped: {error}")))??;
    store
        .save_snapshot(None, &demo.id, &pack.name, &document, &files)
        .await?;
    Ok(())
}
