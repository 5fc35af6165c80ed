//! Fuzzes the content reader, [`cradle_content::parse`], on stable as part of the normal
//! tests: every TOML file under `tests/fixtures/` and two of the real content files, then a
//! fixed number of deterministic mutations of them (the mutator the file readers' fuzz test
//! uses). Parsing must return content or problems without panicking and within
//! `CASE_TIME_LIMIT`.
//!
//! `CRADLE_FUZZ_CASES` and `CRADLE_FUZZ_SEED` work as for `crates/readers/tests/fuzz.rs`.

#[path = "../../readers/tests/fuzz_mutate.rs"]
mod fuzz_mutate;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cradle_content::{SourceFile, parse, report};
use fuzz_mutate::{CASE_TIME_LIMIT, Rng, case_count, mutate, seed};

/// The real files fuzzed besides the fixtures: small enough to mutate often, and between
/// them most kinds of item.
const REAL_FILES: &[&str] = &["09-prevalence.toml", "06-workforce.toml"];

fn toml_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            toml_files(&path, found);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            found.push(path);
        }
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    toml_files(&crate_dir.join("tests/fixtures"), &mut paths);
    let content_dir = crate_dir.join("../../content");
    paths.extend(REAL_FILES.iter().map(|name| content_dir.join(name)));
    paths
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path:?}: {error}"));
            (path.display().to_string(), bytes)
        })
        .collect()
}

#[test]
fn content_survives_fuzzing() {
    let started = Instant::now();
    let seeds = seeds();
    let plain: Vec<Vec<u8>> = seeds.iter().map(|(_, bytes)| bytes.clone()).collect();
    for (name, bytes) in &seeds {
        check(name, vec![bytes.clone()]);
    }
    let mut rng = Rng::new(seed() ^ 0xC0_4E_E4_75);
    let cases = case_count();
    let mut slowest = (Duration::ZERO, 0);
    for case in 0..cases {
        let which = rng.below(plain.len());
        let mutated = mutate(&mut rng, &plain[which], &plain);
        // Sometimes beside an intact file, so that references across files are checked too.
        let files = if rng.chance(4) {
            let intact = rng.below(plain.len());
            vec![plain[intact].clone(), mutated]
        } else {
            vec![mutated]
        };
        let took = check(&format!("case {case}"), files);
        if took > slowest.0 {
            slowest = (took, case);
        }
    }
    eprintln!(
        "fuzz content: {} seeds and {cases} mutated cases in {:.1?}; slowest case {} took {:.1?}",
        seeds.len(),
        started.elapsed(),
        slowest.1,
        slowest.0
    );
}

/// Parses the files (invalid UTF-8 read lossily, as an editor would show it) in their own
/// thread, failing the test and saving the input on a panic, a hang or an empty problem list.
fn check(case: &str, files: Vec<Vec<u8>>) -> Duration {
    let sources: Vec<SourceFile> = files
        .iter()
        .enumerate()
        .map(|(index, bytes)| SourceFile {
            path: format!("fuzz-{index}.toml"),
            text: String::from_utf8_lossy(bytes).into_owned(),
        })
        .collect();
    let (sender, receiver) = mpsc::channel();
    let started = Instant::now();
    let to_parse = sources.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("fuzz content {case}"))
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| match parse(&to_parse) {
                Ok(_) => None,
                Err(problems) => {
                    let _ = report(&problems);
                    Some(problems.len())
                }
            }));
            let _ = sender.send(outcome.map_err(|payload| {
                payload
                    .downcast_ref::<&str>()
                    .map(|message| (*message).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default()
            }));
        });
    if let Err(error) = spawned {
        panic!("cannot start a thread: {error}");
    }
    let failure = match receiver.recv_timeout(CASE_TIME_LIMIT) {
        Ok(Ok(Some(0))) => Some("returned an empty list of problems".to_owned()),
        Ok(Ok(_)) => None,
        Ok(Err(message)) => Some(format!("panicked: {message}")),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Some(format!("took longer than {CASE_TIME_LIMIT:?}"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Some("its thread died".to_owned()),
    };
    if let Some(failure) = failure {
        let saved = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("fuzz-content-{}.toml", case.replace(' ', "-")));
        let text = sources
            .last()
            .map(|source| source.text.as_str())
            .unwrap_or("");
        let _ = std::fs::write(&saved, text);
        panic!(
            "content {case} {failure}; input saved to {}",
            saved.display()
        );
    }
    started.elapsed()
}
