//! Prints how long a full-size report takes to typeset, and writes it for a look:
//! `cargo run -p cradle-pdf --example timing [--release]`.

#[path = "../tests/sample/mod.rs"]
mod sample;

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The first render also parses the fonts and the template; the second, of a report with
    // different text, is what a running server sees.
    for (attempt, date) in [("first", "7 December 2026"), ("second", "8 December 2026")] {
        let mut document = sample::realistic();
        document.date = date.to_owned();
        document.introduction.push_str(date);
        let started = Instant::now();
        let pdf = cradle_pdf::render(&document)?;
        let seconds = started.elapsed().as_secs_f64();
        let path = std::env::temp_dir().join(format!("cradle-timing-{attempt}.pdf"));
        std::fs::write(&path, &pdf)?;
        println!(
            "{attempt} render: {seconds:.2} s, {} KB, written to {}",
            pdf.len() / 1024,
            path.display()
        );
    }
    Ok(())
}
