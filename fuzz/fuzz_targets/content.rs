#![no_main]

use cradle_content::{SourceFile, parse};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let file = SourceFile {
        path: "fuzz.toml".into(),
        text: String::from_utf8_lossy(data).into_owned(),
    };
    let _ = parse(&[file]);
});
