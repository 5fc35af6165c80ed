//! A small deterministic mutator for the stable fuzz runs (`tests/fuzz.rs` here and
//! `crates/content/tests/fuzz.rs`, which includes this file by path): from a fixed seed it
//! turns seed files into the malformed inputs uploads and editors produce, so that every run
//! feeds the readers the same cases and any failure can be replayed by its case number.
//!
//! No dependency: a SplitMix64 generator and a handful of byte-level mutations (bit flips,
//! insertions, deletions, truncation, splicing, repeated lines, huge numbers, odd encodings).

// Each including test uses the mutations it needs.
#![allow(dead_code)]

use std::time::Duration;

/// Cases per reader for the short run in `cargo test`; `CRADLE_FUZZ_CASES` overrides it.
pub const DEFAULT_CASES: usize = 300;

/// The longest one reader may take on one input, even in a debug build on a busy machine,
/// before the run counts it as a hang.
pub const CASE_TIME_LIMIT: Duration = Duration::from_secs(20);

/// How many mutated cases to run per reader: `CRADLE_FUZZ_CASES` or [`DEFAULT_CASES`].
pub fn case_count() -> usize {
    std::env::var("CRADLE_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.trim().parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// The seed; `CRADLE_FUZZ_SEED` overrides it to explore beyond the fixed cases.
pub fn seed() -> u64 {
    std::env::var("CRADLE_FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.trim().parse().ok())
        .unwrap_or(0x00C4_AD1E_F022)
}

/// SplitMix64: tiny, fast and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (0 when `bound` is 0).
    pub fn below(&mut self, bound: usize) -> usize {
        if bound == 0 {
            0
        } else {
            (self.next_u64() % bound as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Text that has broken readers elsewhere: numbers beyond every integer type, non-numbers,
/// separators, quotes, line ends, markup and formula starts.
const INTERESTING: &[&str] = &[
    "99999999999999999999999999999999",
    "18446744073709551616",
    "-9223372036854775809",
    "4294967296",
    "65536",
    "256",
    "-1",
    "-0",
    "0.5",
    "1e308",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-inf",
    "1,000,000,000,000",
    "1.2.3",
    "90+",
    "999+",
    "All ages",
    "Persons",
    "",
    ",",
    ";",
    "\t",
    "\"",
    "\"\"",
    "\"unterminated",
    "\n",
    "\r",
    "\r\n",
    "\0",
    "=SUM(A1:A9)",
    "<",
    "&amp;",
    "]]>",
    "\u{FEFF}",
    "\u{202E}",
    "Ynys Môn",
    "E06000001",
    "E99999999",
    "2023-02-30",
    "9999-12-31",
    "mid-2147483648",
    "[",
    "[[",
    "]",
    "=",
    "'''",
    "\"\"\"",
    "\\u{0}",
    "\\",
    "#",
    "id = \"x\"",
    "inf = nan",
    "A1048577",
    "XFD1",
];

/// One seed, mutated one to four times. `others` are the other seeds, for splicing.
pub fn mutate(rng: &mut Rng, seed: &[u8], others: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        mutate_once(rng, &mut bytes, others);
    }
    bytes
}

fn mutate_once(rng: &mut Rng, bytes: &mut Vec<u8>, others: &[Vec<u8>]) {
    let len = bytes.len();
    match rng.below(15) {
        // Flip a few bits.
        0 => {
            for _ in 0..=rng.below(8) {
                if len > 0 {
                    let at = rng.below(len);
                    bytes[at] ^= 1 << rng.below(8);
                }
            }
        }
        // Overwrite a byte with an arbitrary one, often not UTF-8.
        1 => {
            if len > 0 {
                let at = rng.below(len);
                bytes[at] = rng.next_u64() as u8;
            }
        }
        // Insert random bytes.
        2 => {
            let at = rng.below(len + 1);
            let count = 1 + rng.below(16);
            let inserted: Vec<u8> = (0..count).map(|_| rng.next_u64() as u8).collect();
            bytes.splice(at..at, inserted);
        }
        // Delete a run of bytes.
        3 => {
            if len > 0 {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                bytes.drain(at..end);
            }
        }
        // Truncate.
        4 => bytes.truncate(rng.below(len + 1)),
        // Splice in a piece of another seed.
        5 => {
            if !others.is_empty() {
                let other = rng.pick(others);
                let from = rng.below(other.len());
                let to = (from + rng.below(512)).min(other.len());
                let at = rng.below(len + 1);
                bytes.splice(at..at, other[from..to].iter().copied());
            }
        }
        // Repeat a line, a few times or many.
        6 => repeat_line(rng, bytes),
        // Put interesting text over a field or number.
        7 | 8 => replace_token(rng, bytes),
        // Insert interesting text anywhere.
        9 => {
            let at = rng.below(len + 1);
            bytes.splice(at..at, rng.pick(INTERESTING).bytes());
        }
        // A very long field.
        10 => {
            let at = rng.below(len + 1);
            let long = vec![b'9'; 1 + rng.below(20_000)];
            bytes.splice(at..at, long);
        }
        // Another encoding or line ending for the whole file.
        11 => re_encode(rng, bytes),
        // Delete a whole line.
        12 => {
            let lines = line_ranges(bytes);
            if !lines.is_empty() {
                let (start, end) = *rng.pick(&lines);
                bytes.drain(start..end);
            }
        }
        // Swap two lines.
        13 => {
            let lines = line_ranges(bytes);
            if lines.len() >= 2 {
                let first = *rng.pick(&lines);
                let second = *rng.pick(&lines);
                let (a, b) = if first.0 <= second.0 {
                    (first, second)
                } else {
                    (second, first)
                };
                if a.1 <= b.0 {
                    let mut swapped = bytes[..a.0].to_vec();
                    swapped.extend_from_slice(&bytes[b.0..b.1]);
                    swapped.extend_from_slice(&bytes[a.1..b.0]);
                    swapped.extend_from_slice(&bytes[a.0..a.1]);
                    swapped.extend_from_slice(&bytes[b.1..]);
                    *bytes = swapped;
                }
            }
        }
        // Duplicate a field separator, shifting every later column along.
        _ => {
            let commas: Vec<usize> = positions(bytes, |byte| byte == b',');
            if !commas.is_empty() {
                let at = *rng.pick(&commas);
                let extra = 1 + rng.below(3);
                bytes.splice(at..at, std::iter::repeat_n(b',', extra));
            }
        }
    }
}

fn positions(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Vec<usize> {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| wanted(**byte))
        .map(|(at, _)| at)
        .collect()
}

/// Each line's byte range, its line end included.
fn line_ranges(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (at, byte) in bytes.iter().enumerate() {
        if *byte == b'\n' {
            lines.push((start, at + 1));
            start = at + 1;
        }
    }
    if start < bytes.len() {
        lines.push((start, bytes.len()));
    }
    lines
}

fn repeat_line(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let lines = line_ranges(bytes);
    if lines.is_empty() {
        return;
    }
    let (start, end) = *rng.pick(&lines);
    let line = bytes[start..end].to_vec();
    let times = if rng.chance(8) {
        1 + rng.below(2_000)
    } else {
        1 + rng.below(4)
    };
    let repeated: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .take(line.len() * times)
        .collect();
    bytes.splice(end..end, repeated);
}

/// Replaces one run of letters, digits or punctuation inside a field (or XML text) with
/// interesting text.
fn replace_token(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let is_token = |byte: u8| byte.is_ascii_alphanumeric() || b".-+_:".contains(&byte);
    let starts: Vec<usize> = (0..bytes.len())
        .filter(|&at| is_token(bytes[at]) && (at == 0 || !is_token(bytes[at - 1])))
        .collect();
    if starts.is_empty() {
        return;
    }
    let start = *rng.pick(&starts);
    let end = (start..bytes.len())
        .find(|&at| !is_token(bytes[at]))
        .unwrap_or(bytes.len());
    bytes.splice(start..end, rng.pick(INTERESTING).bytes());
}

fn re_encode(rng: &mut Rng, bytes: &mut Vec<u8>) {
    match rng.below(6) {
        // UTF-16LE with its byte order mark, as Excel's "Unicode text" writes.
        0 => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut encoded = vec![0xFF, 0xFE];
            encoded.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            *bytes = encoded;
        }
        // A UTF-8 byte order mark, once or twice.
        1 => {
            let times = 1 + rng.below(2);
            for _ in 0..times {
                bytes.splice(0..0, [0xEF, 0xBB, 0xBF]);
            }
        }
        // Latin-1 for every non-ASCII character, as older exports write.
        2 => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            *bytes = text
                .chars()
                .map(|character| u8::try_from(u32::from(character)).unwrap_or(b'?'))
                .collect();
        }
        // Old Mac line ends.
        3 => {
            for byte in bytes.iter_mut() {
                if *byte == b'\n' {
                    *byte = b'\r';
                }
            }
        }
        // Windows line ends.
        4 => {
            let text: Vec<u8> = bytes
                .iter()
                .flat_map(|&byte| {
                    if byte == b'\n' {
                        vec![b'\r', b'\n']
                    } else {
                        vec![byte]
                    }
                })
                .collect();
            *bytes = text;
        }
        // Semicolons for commas, as continental Excel writes.
        _ => {
            for byte in bytes.iter_mut() {
                if *byte == b',' {
                    *byte = b';';
                }
            }
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_cases() {
    let seed = b"a,b,c\n1,2,3\n4,5,6\n".to_vec();
    let others = vec![seed.clone()];
    let run = |seed_value| {
        let mut rng = Rng::new(seed_value);
        (0..50)
            .map(|_| mutate(&mut rng, &seed, &others))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}
