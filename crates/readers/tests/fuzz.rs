//! Fuzzes every reader, on stable, as part of the normal tests: each reader is fed every file
//! of its seed corpus (`tests/fuzz_corpus/READER/`, CSV and XLSX) and then a fixed number of
//! deterministic mutations of them, and must return a table or a list of problems without
//! panicking, within [`CASE_TIME_LIMIT`] and without unbounded memory.
//!
//! `CRADLE_FUZZ_CASES` sets the mutated cases per reader (300 by default) and
//! `CRADLE_FUZZ_SEED` the seed; a failing input is saved under the target directory to replay.
//! `scripts/fuzz` runs this with many more cases, or the cargo-fuzz targets in `fuzz/`.

mod fuzz_mutate;

use std::io::{Cursor, Read as _, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cradle_readers::limits::MAX_PROBLEMS_KEPT;
use cradle_readers::{
    ColumnMapping, CountColumns, Problems, read_births, read_geography, read_indicators,
    read_population, read_population_mapped, read_services, report,
};
use fuzz_mutate::{CASE_TIME_LIMIT, Rng, case_count, mutate, seed};

/// A reader under test: the bytes in, a table (whose contents do not matter here) or problems.
type Reader = fn(&[u8]) -> Result<(), Problems>;

fn services(bytes: &[u8]) -> Result<(), Problems> {
    read_services(bytes).map(drop)
}

fn population(bytes: &[u8]) -> Result<(), Problems> {
    read_population(bytes, "fuzz.csv").map(drop)
}

/// Both kinds of mapping, so that either way of finding counts is fuzzed on every input.
fn population_mapped(bytes: &[u8]) -> Result<(), Problems> {
    let long = ColumnMapping {
        area_code: "LA code".into(),
        area_name: Some("LA name".into()),
        counts: CountColumns::AgeAndCount {
            age: "Age".into(),
            count: "Persons".into(),
        },
        year: Some("year".into()),
        publisher: "Fuzz".into(),
        edition: "Fuzz".into(),
    };
    let wide = ColumnMapping {
        area_code: "Code".into(),
        area_name: Some("Name".into()),
        counts: CountColumns::OnePerAge,
        year: None,
        publisher: "Fuzz".into(),
        edition: "Fuzz".into(),
    };
    let long_result = read_population_mapped(bytes, "fuzz.csv", &long).map(drop);
    let wide_result = read_population_mapped(bytes, "fuzz.xlsx", &wide).map(drop);
    long_result.and(wide_result)
}

fn births(bytes: &[u8]) -> Result<(), Problems> {
    read_births(bytes, "fuzz.csv").map(drop)
}

fn indicators(bytes: &[u8]) -> Result<(), Problems> {
    read_indicators(bytes, "fuzz.csv").map(drop)
}

fn geography(bytes: &[u8]) -> Result<(), Problems> {
    read_geography(bytes).map(drop)
}

#[test]
fn services_survive_fuzzing() {
    fuzz("services", &["services"], services);
}

#[test]
fn population_survives_fuzzing() {
    fuzz("population", &["population"], population);
}

#[test]
fn mapped_population_survives_fuzzing() {
    fuzz(
        "population_mapped",
        &["population_mapped", "population"],
        population_mapped,
    );
}

#[test]
fn births_survive_fuzzing() {
    fuzz("births", &["births"], births);
}

#[test]
fn indicators_survive_fuzzing() {
    fuzz("indicators", &["indicators"], indicators);
}

#[test]
fn geography_survives_fuzzing() {
    fuzz("geography", &["geography"], geography);
}

fn corpus_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(name)
}

/// Every seed file under the named corpus folders, sorted so that runs are repeatable.
fn seeds(dirs: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir(dir))
            .unwrap_or_else(|error| panic!("corpus {dir}: {error}"))
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path:?}: {error}"));
            seeds.push((path.display().to_string(), bytes));
        }
    }
    assert!(!seeds.is_empty(), "no seeds in {dirs:?}");
    seeds
}

fn fuzz(target: &str, dirs: &[&str], reader: Reader) {
    let started = Instant::now();
    let seeds = seeds(dirs);
    for (name, bytes) in &seeds {
        check(target, name, bytes, reader);
    }
    let plain: Vec<Vec<u8>> = seeds.iter().map(|(_, bytes)| bytes.clone()).collect();
    let unzipped: Vec<Vec<(String, Vec<u8>)>> = plain
        .iter()
        .filter(|bytes| bytes.starts_with(b"PK"))
        .map(|bytes| unzip(bytes))
        .collect();
    let mut rng = Rng::new(seed() ^ fnv(target));
    let cases = case_count();
    let mut slowest = (Duration::ZERO, 0);
    for case in 0..cases {
        let input = if !unzipped.is_empty() && rng.chance(3) {
            let which = rng.below(unzipped.len());
            mutate_xlsx(&mut rng, which, &unzipped, &plain)
        } else {
            let seed_bytes = &plain[rng.below(plain.len())];
            mutate(&mut rng, seed_bytes, &plain)
        };
        let took = check(target, &format!("case {case}"), &input, reader);
        if took > slowest.0 {
            slowest = (took, case);
        }
    }
    assert_memory_bounded(target);
    eprintln!(
        "fuzz {target}: {} seeds and {cases} mutated cases in {:.1?}; slowest case {} took {:.1?}",
        seeds.len(),
        started.elapsed(),
        slowest.1,
        slowest.0
    );
}

/// Runs the reader on one input in its own thread (a reader's usual stack size), and fails
/// the test, saving the input, if it panics, takes too long, or returns an empty or unbounded
/// list of problems.
fn check(target: &str, case: &str, input: &[u8], reader: Reader) -> Duration {
    let owned = input.to_vec();
    let (sender, receiver) = mpsc::channel();
    let started = Instant::now();
    let spawned = std::thread::Builder::new()
        .name(format!("fuzz {target} {case}"))
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let result = reader(&owned);
                if let Err(problems) = &result {
                    // Wording every problem is part of reading: the pages show them.
                    let _ = report(problems);
                }
                result.err().map(|problems| problems.len())
            }));
            let _ = sender.send(outcome.map_err(|payload| panic_message(&*payload)));
        });
    if let Err(error) = spawned {
        panic!("cannot start a thread: {error}");
    }
    let failure = match receiver.recv_timeout(CASE_TIME_LIMIT) {
        Ok(Ok(None)) => None,
        Ok(Ok(Some(0))) => Some("returned an empty list of problems".to_owned()),
        Ok(Ok(Some(count))) if count > MAX_PROBLEMS_KEPT + 1 => {
            Some(format!("returned {count} problems, more than it keeps"))
        }
        Ok(Ok(Some(_))) => None,
        Ok(Err(message)) => Some(format!("panicked: {message}")),
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Some(format!("took longer than {CASE_TIME_LIMIT:?}"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Some("its thread died".to_owned()),
    };
    if let Some(failure) = failure {
        let saved = save_failure(target, case, input);
        panic!("{target} {case} {failure}; input saved to {saved}");
    }
    started.elapsed()
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| (*message).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

fn save_failure(target: &str, case: &str, input: &[u8]) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "fuzz-{target}-{}.bin",
        case.replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    ));
    match std::fs::write(&path, input) {
        Ok(()) => path.display().to_string(),
        Err(error) => format!("nowhere ({error})"),
    }
}

/// The process's peak memory must stay far below what an upload could claim without limits.
fn assert_memory_bounded(target: &str) {
    const PEAK_LIMIT_KB: u64 = 3 * 1024 * 1024;
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let peak_kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        });
    if let Some(peak_kb) = peak_kb {
        assert!(
            peak_kb < PEAK_LIMIT_KB,
            "fuzz {target}: peak memory {peak_kb} kB is over {PEAK_LIMIT_KB} kB"
        );
    }
}

/// FNV-1a, so that each reader gets its own stream of cases from the one seed.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A workbook's parts, by name, in the archive's order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .unwrap_or_else(|error| panic!("an XLSX seed is not a ZIP: {error}"));
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive
            .by_index(index)
            .unwrap_or_else(|error| panic!("an XLSX seed's part {index}: {error}"));
        let mut contents = Vec::new();
        file.read_to_end(&mut contents)
            .unwrap_or_else(|error| panic!("an XLSX seed's part {index}: {error}"));
        parts.push((file.name().to_owned(), contents));
    }
    parts
}

fn zip_parts(parts: &[(String, Vec<u8>)], compressed: bool) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let method = if compressed {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, contents) in parts {
        if let Err(error) = writer
            .start_file(name.as_str(), options)
            .map_err(|error| error.to_string())
            .and_then(|()| {
                writer
                    .write_all(contents)
                    .map_err(|error| error.to_string())
            })
        {
            panic!("cannot zip a mutated workbook: {error}");
        }
    }
    match writer.finish() {
        Ok(cursor) => cursor.into_inner(),
        Err(error) => panic!("cannot zip a mutated workbook: {error}"),
    }
}

/// Mutated XLSX: mostly one of the workbook's XML parts mutated and the workbook zipped again
/// (so that the mutation reaches the XML reader rather than failing the ZIP checksums),
/// sometimes the ZIP bytes themselves.
fn mutate_xlsx(
    rng: &mut Rng,
    which: usize,
    unzipped: &[Vec<(String, Vec<u8>)>],
    plain: &[Vec<u8>],
) -> Vec<u8> {
    let mut parts = unzipped[which].clone();
    if rng.chance(6) {
        let zipped = zip_parts(&parts, rng.chance(2));
        return mutate(rng, &zipped, plain);
    }
    // Mostly the sheets and their shared strings, where the data is.
    let data_parts: Vec<usize> = (0..parts.len())
        .filter(|&index| {
            let name = &parts[index].0;
            name.contains("worksheets/") || name.contains("sharedStrings")
        })
        .collect();
    let mutated_parts = 1 + rng.below(2);
    for _ in 0..mutated_parts {
        let index = if !data_parts.is_empty() && !rng.chance(4) {
            data_parts[rng.below(data_parts.len())]
        } else {
            rng.below(parts.len())
        };
        let xml: Vec<Vec<u8>> = parts.iter().map(|(_, contents)| contents.clone()).collect();
        let mut contents = mutate(rng, &parts[index].1, &xml);
        if rng.chance(3) {
            insert_xml(rng, &mut contents);
        }
        parts[index].1 = contents;
    }
    if rng.chance(10) {
        let index = rng.below(parts.len());
        parts.remove(index);
    }
    zip_parts(&parts, rng.chance(2))
}

/// Markup that spreadsheets' XML readers trip over: cells far out, bad references, shared
/// string indices beyond the table, entities, huge dimensions and numbers.
const XML_SNIPPETS: &[&str] = &[
    r#"<c r="XFD1048576"><v>1</v></c>"#,
    r#"<c r="A1048577"><v>1</v></c>"#,
    r#"<c r="ZZZZZ1"><v>1</v></c>"#,
    r#"<c r="A0"><v>1</v></c>"#,
    r#"<c r="A1" t="s"><v>4294967295</v></c>"#,
    r#"<c r="B2" t="s"><v>-1</v></c>"#,
    r#"<c r="C3" t="b"><v>2</v></c>"#,
    r#"<c r="D4" t="e"><v>#DIV/0!</v></c>"#,
    r#"<c r="E5" t="inlineStr"><is><t>inline</t></is></c>"#,
    r#"<c r="F6" s="999"><v>1e309</v></c>"#,
    r#"<c r="G7" t="d"><v>2023-02-30T00:00:00</v></c>"#,
    r#"<c><v>NaN</v></c>"#,
    r#"<row r="1048576"><c><v>1</v></c></row>"#,
    r#"<row r="0"/>"#,
    r#"<row r="4294967296"/>"#,
    r#"<dimension ref="A1:XFD1048576"/>"#,
    r#"<dimension ref="A1:A"/>"#,
    r#"<si><t>&#0;</t></si>"#,
    r#"<si><t>&#x10FFFF;&unknown;</t></si>"#,
    r#"<si><r><t>rich</t></r><r><t> text</t></r></si>"#,
    r#"<mergeCell ref="A1:XFD1048576"/>"#,
    r#"<sheet name="Extra" sheetId="99" r:id="rId99"/>"#,
    r#"<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>"#,
    "<![CDATA[",
    "</",
    "<",
    "&",
];

fn insert_xml(rng: &mut Rng, contents: &mut Vec<u8>) {
    let tag_starts: Vec<usize> = (0..contents.len())
        .filter(|&at| contents[at] == b'<')
        .collect();
    let at = if tag_starts.is_empty() {
        rng.below(contents.len() + 1)
    } else {
        tag_starts[rng.below(tag_starts.len())]
    };
    let snippet = XML_SNIPPETS[rng.below(XML_SNIPPETS.len())];
    let times = if rng.chance(5) { 1 + rng.below(500) } else { 1 };
    let inserted: Vec<u8> = snippet
        .bytes()
        .cycle()
        .take(snippet.len() * times)
        .collect();
    contents.splice(at..at, inserted);
}

/// Writes an XLSX copy of each CSV seed, next to it. Run once by hand when the CSV seeds
/// change (`cargo test -p cradle-readers --test fuzz -- --ignored`): the cargo-fuzz targets
/// need real workbooks as seeds to reach the XML readers at all.
#[test]
#[ignore = "writes the checked-in XLSX seeds"]
fn write_xlsx_seeds() {
    for seed in [
        "services/services_good.csv",
        "population/mye2-persons-mid2019.csv",
        "population_mapped/population-long.csv",
        "births/ons-births-2022.csv",
        "indicators/fingertips-tees.csv",
        "geography/lad19-to-ctry19.csv",
    ] {
        let path = corpus_dir(seed);
        let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{path:?}: {error}"));
        let xlsx_path = path.with_extension("xlsx");
        std::fs::write(&xlsx_path, csv_to_xlsx(&bytes))
            .unwrap_or_else(|error| panic!("{xlsx_path:?}: {error}"));
    }
}

fn csv_to_xlsx(bytes: &[u8]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    for (row, record) in reader.records().enumerate() {
        let record = record.unwrap_or_else(|error| panic!("a CSV seed: {error}"));
        for (column, field) in record.iter().enumerate() {
            let (row, column) = (row as u32, column as u16);
            let written = match field.replace(',', "").parse::<f64>() {
                Ok(number) if !field.is_empty() => sheet.write_number(row, column, number),
                _ => sheet.write_string(row, column, field),
            };
            written.unwrap_or_else(|error| panic!("writing a seed: {error}"));
        }
    }
    book.save_to_buffer()
        .unwrap_or_else(|error| panic!("saving a seed: {error}"))
}

/// Found by this fuzzing: counts near `u64::MAX` overflowed the sum of the ages (a panic in
/// debug builds, a wrapped total in release). Such counts are now refused as problems.
#[test]
fn counts_beyond_any_population_are_problems_not_overflows() {
    let csv = b"code,name,all,0,1\n\
        E06000001,Hartlepool,3,18446744073709551615,18446744073709551615\n";
    let wide = ColumnMapping {
        area_code: "code".into(),
        area_name: Some("name".into()),
        counts: CountColumns::OnePerAge,
        year: None,
        publisher: "Fuzz".into(),
        edition: "Fuzz".into(),
    };
    let problems = read_population_mapped(csv, "huge.csv", &wide)
        .err()
        .unwrap_or_default();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .all(|problem| problem.message.contains("more people than any area holds")),
        "{problems:?}"
    );
}

/// Found by this fuzzing: calamine overflows reading a cell reference with many digits, which
/// panicked in builds with overflow checks. The workbook is now refused as damaged.
#[test]
fn cell_references_beyond_any_sheet_are_problems_not_panics() {
    let seed = std::fs::read(corpus_dir("services/services_good.xlsx"))
        .unwrap_or_else(|error| panic!("the XLSX seed: {error}"));
    let mut parts = unzip(&seed);
    let Some((_, sheet)) = parts
        .iter_mut()
        .find(|(name, _)| name == "xl/worksheets/sheet1.xml")
    else {
        panic!("the seed has no first sheet");
    };
    let xml = String::from_utf8_lossy(sheet).replacen(r#"r="B2""#, r#"r="B99999999999""#, 1);
    *sheet = xml.into_bytes();
    let workbook = zip_parts(&parts, true);
    // The readers that take XLSX; the others read CSV only.
    for reader in [services, population, population_mapped] {
        let problems = reader(&workbook).err().unwrap_or_default();
        assert!(
            problems
                .iter()
                .any(|problem| problem.message.contains("damaged")),
            "{problems:?}"
        );
    }
}
