//! `cradle report`: a partnership's saved pack made into one file, for analysts and
//! scheduled jobs, with the same sections and formats as the Reports page.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use cradle_content::Content;
use cradle_report::Format;
use cradle_store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use time::OffsetDateTime;

#[derive(Args)]
pub(crate) struct ReportArgs {
    /// The partnership's id, as in its address (/partnerships/ID).
    #[arg(long, value_name = "ID")]
    partnership: String,
    /// The name of one of the partnership's saved packs (any case).
    #[arg(long, value_name = "NAME")]
    pack: String,
    /// The file format.
    #[arg(long, value_name = "FORMAT", value_parser = ["pdf", "docx", "xlsx"])]
    format: String,
    /// Where to write the file (replaced if it exists, only once it is complete).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub(crate) async fn run(store: &Store, content: &Content, args: ReportArgs) -> anyhow::Result<()> {
    let format: Format = args.format.parse().map_err(anyhow::Error::msg)?;
    let progress = steps();
    progress.set_message("reading the partnership");
    let partnership = store
        .partnership(&args.partnership)
        .await?
        .with_context(|| format!("there is no partnership with the id {:?}", args.partnership))?;
    let packs = store.packs(&partnership.id).await?;
    let wanted = args.pack.trim().to_lowercase();
    let Some(pack) = packs
        .iter()
        .find(|pack| pack.definition.name.to_lowercase() == wanted)
    else {
        let names: Vec<&str> = packs.iter().map(|p| p.definition.name.as_str()).collect();
        bail!(
            "{} has no pack called {:?}; its packs are: {}",
            partnership.name,
            args.pack,
            if names.is_empty() {
                "none yet (define one on its Reports page)".to_owned()
            } else {
                names.join(", ")
            }
        );
    };
    let today = OffsetDateTime::now_utc().date();
    let picture = cradle_report::picture(store, &partnership, today).await?;
    progress.inc(1);
    progress.set_message("building the sections");
    let document = cradle_report::document(&picture, content, &pack.definition, today);
    progress.inc(1);
    progress.set_message(format!("making the {}", format.label()));
    let bytes = tokio::task::spawn_blocking(move || cradle_report::render(&document, format))
        .await
        .context("making the file stopped")??;
    progress.inc(1);
    write_whole(&args.out, &bytes)?;
    progress.finish_and_clear();
    println!(
        "Wrote {} ({} bytes): {} for {}",
        args.out.display(),
        bytes.len(),
        pack.definition.name,
        partnership.name
    );
    Ok(())
}

/// A bar of the three long steps, drawn only on a terminal (never in a job's log).
fn steps() -> ProgressBar {
    let progress = ProgressBar::new(3);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg}") {
        progress.set_style(style.progress_chars("=> "));
    }
    progress.enable_steady_tick(Duration::from_millis(120));
    progress
}

/// Writes beside `out` and renames, so a reader never sees half a file.
fn write_whole(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let folder = out
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut partial = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("could not write in {}", folder.display()))?;
    std::io::Write::write_all(&mut partial, bytes)
        .with_context(|| format!("could not write {}", out.display()))?;
    partial
        .persist(out)
        .with_context(|| format!("could not write {}", out.display()))?;
    Ok(())
}
