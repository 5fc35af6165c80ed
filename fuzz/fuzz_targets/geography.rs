#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = cradle_readers::read_geography(data);
});
