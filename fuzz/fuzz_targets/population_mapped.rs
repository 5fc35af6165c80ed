#![no_main]

use cradle_readers::{ColumnMapping, CountColumns, read_population_mapped};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
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
    let _ = read_population_mapped(data, "fuzz.csv", &long);
    let _ = read_population_mapped(data, "fuzz.xlsx", &wide);
});
