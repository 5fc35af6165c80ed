//! Prints how long building the search index and answering typical queries take, as
//! `name: value` lines for the benchmark script:
//! `cargo run --release -p cradle-content --example search_timing`.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use cradle_content::{SearchIndex, embedded, report};

/// Typical queries: single terms, acronyms, phrases, plurals, prefixes and a long question.
const QUERIES: &[&str] = &[
    "attachment",
    "EPDS",
    "postnatal depression",
    "Flying Start",
    "attach",
    "relationships",
    "ASQ-3",
    "father",
    "domestic abuse",
    "health visiting",
    "secure base",
    "perinatal mental health",
    "Wales",
    "school readiness",
    "co-regulation",
    "behavior",
    "risk factors for poor infant mental health",
    "what does a mentally healthy baby look like",
    "housing",
    "parent-infant relationship",
];
const RUNS: usize = 200;
const BUILDS: usize = 5;

fn main() -> ExitCode {
    let content = match embedded() {
        Ok(content) => content,
        Err(problems) => {
            eprintln!("{}", report(&problems));
            return ExitCode::FAILURE;
        }
    };
    // The median of a few builds, so that one unlucky moment on a busy machine does not
    // decide the figure.
    let mut builds = Vec::with_capacity(BUILDS);
    let mut index = SearchIndex::default();
    for _ in 0..BUILDS {
        let started = Instant::now();
        index = SearchIndex::build(&content);
        builds.push(started.elapsed().as_secs_f64() * 1e3);
    }
    builds.sort_by(f64::total_cmp);

    let mut micros = Vec::with_capacity(QUERIES.len() * RUNS);
    for _ in 0..RUNS {
        for query in QUERIES {
            let started = Instant::now();
            // Ten hits, as a results page shows, snippets included.
            black_box(index.search(black_box(query), 10));
            micros.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    micros.sort_by(f64::total_cmp);

    println!("search documents: {}", index.len());
    println!("search index build ms: {:.2}", percentile(&builds, 0.5));
    println!("search p50 us: {:.1}", percentile(&micros, 0.50));
    println!("search p99 us: {:.1}", percentile(&micros, 0.99));
    println!("search max us: {:.1}", percentile(&micros, 1.0));
    ExitCode::SUCCESS
}

/// The value at fraction `p` of the way through `sorted`, nearest rank.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len().saturating_sub(1)) as f64 * p).round() as usize;
    sorted.get(at).copied().unwrap_or_default()
}
