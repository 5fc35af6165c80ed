//! Writes every diagram as SVG, PNG (at slide width) and text alternative into a folder, and
//! says how long each PNG took to render.
//!
//! ```sh
//! cargo run --release -p cradle-diagrams --example render -- /tmp/diagrams
//! ```

use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "diagrams".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let content =
        cradle_content::embedded().map_err(|problems| cradle_content::report(&problems))?;
    for diagram in cradle_diagrams::all(&content) {
        let started = Instant::now();
        let png = cradle_diagrams::to_png(&diagram, cradle_diagrams::SLIDE_WIDTH)?;
        let elapsed = started.elapsed();
        std::fs::write(dir.join(format!("{}.svg", diagram.id)), &diagram.svg)?;
        std::fs::write(dir.join(format!("{}.png", diagram.id)), &png)?;
        std::fs::write(
            dir.join(format!("{}.txt", diagram.id)),
            diagram.text_alternative(),
        )?;
        println!(
            "{}: {}×{} SVG ({} KB), PNG {} KB in {:.0?}",
            diagram.id,
            diagram.width,
            diagram.height,
            diagram.svg.len() / 1024,
            png.len() / 1024,
            elapsed
        );
    }
    Ok(())
}
