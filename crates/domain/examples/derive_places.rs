//! Derives `crates/domain/data/places.tsv`, the bundled list of UK areas, from the published
//! files in `../shared/data/geography` and `../shared/data/population`:
//!
//! ```sh
//! cargo run -p cradle-domain --example derive_places -- ../shared/data > crates/domain/data/places.tsv
//! ```
//!
//! Current local authority codes and names come from the ONS list of 2025 codes; types,
//! regions, counties, combined authorities, ended codes and their successors from
//! mySociety's list of UK local authorities; nation and region codes from the ONS mid-year
//! estimates; Welsh health boards from the ONS 2019 lookup. See `data/README.md`.

use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::path::Path;

type Row = HashMap<String, String>;

fn read(path: &Path) -> Result<Vec<Row>, Box<dyn Error>> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let row = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
            .collect();
        rows.push(row);
    }
    Ok(rows)
}

fn field<'a>(row: &'a Row, name: &str) -> &'a str {
    row.get(name).map(String::as_str).unwrap_or("")
}

struct Place {
    name: String,
    kind: String,
    nation: String,
    region: String,
    ended: String,
    successors: Vec<String>,
    note: String,
}

/// mySociety's type names, where they read as abbreviations.
fn kind_name(kind: &str) -> String {
    match kind {
        "NI district" => "Northern Ireland district",
        "Strategic Regional Authority" => "Strategic authority",
        other => other,
    }
    .to_owned()
}

fn title_case(upper: &str) -> String {
    upper
        .split(' ')
        .map(|word| match word {
            "AND" => "and".to_owned(),
            "THE" => "The".to_owned(),
            _ => {
                let mut chars = word.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_string() + &chars.as_str().to_lowercase()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> Result<(), Box<dyn Error>> {
    let shared = std::env::args()
        .nth(1)
        .ok_or("give the shared data folder, such as ../shared/data")?;
    let shared = Path::new(&shared);
    let geography = shared.join("geography");
    let mysociety = read(&geography.join("uk-local-authorities.csv"))?;
    let ons_current = read(&geography.join("ltla25-codes.csv"))?;
    let ons_2023 = read(&geography.join("ltla23-codes.csv"))?;
    let health_boards = read(&geography.join("ua19-to-lhb19-wales.csv"))?;
    let population = read(&shared.join("population/ons-mye2-persons-mid2019-uk.csv"))?;

    let gss_of: HashMap<&str, &str> = mysociety
        .iter()
        .map(|row| (field(row, "local-authority-code"), field(row, "gss-code")))
        .collect();
    let by_gss: HashMap<&str, &Row> = mysociety
        .iter()
        .filter(|row| !field(row, "gss-code").is_empty())
        .map(|row| (field(row, "gss-code"), row))
        .collect();
    let mut places: BTreeMap<String, Place> = BTreeMap::new();
    let mut region_names = HashMap::new();

    for row in &population {
        let (code, geography) = (field(row, "Code"), field(row, "Geography"));
        if matches!(geography, "Country" | "Region") {
            let mut name = title_case(field(row, "Name"));
            if code == "E12000006" {
                name = "East of England".to_owned();
            }
            if geography == "Region" {
                region_names.insert(name.clone(), code.to_owned());
            }
            let nation = match &code[..1] {
                "E" => "England",
                "W" => "Wales",
                "S" => "Scotland",
                "N" => "Northern Ireland",
                _ => "",
            };
            let kind = if geography == "Region" {
                "Region"
            } else if nation.is_empty() {
                "Group of nations"
            } else {
                "Nation"
            };
            places.insert(
                code.to_owned(),
                Place {
                    name,
                    kind: kind.to_owned(),
                    nation: nation.to_owned(),
                    region: String::new(),
                    ended: String::new(),
                    successors: Vec::new(),
                    note: String::new(),
                },
            );
        }
    }

    let region_of = |row: &Row| -> String {
        let region = field(row, "region");
        region_names.get(region).cloned().unwrap_or_default()
    };
    for row in &ons_current {
        let code = field(row, "areacd");
        let details = by_gss.get(code).copied();
        let successor_of_old = ons_2023
            .iter()
            .find(|old| {
                field(old, "areanm") == field(row, "areanm") && field(old, "areacd") != code
            })
            .and_then(|old| by_gss.get(field(old, "areacd")).copied());
        let details = details
            .or(successor_of_old)
            .ok_or(format!("{code} is not in the mySociety list"))?;
        places.insert(
            code.to_owned(),
            Place {
                name: field(row, "areanm").to_owned(),
                kind: kind_name(field(details, "local-authority-type-name")),
                nation: field(details, "nation").to_owned(),
                region: region_of(details),
                ended: String::new(),
                successors: Vec::new(),
                note: String::new(),
            },
        );
    }
    // Codes in the 2023 list that the 2025 list gives a new code under the same name.
    for old in &ons_2023 {
        let code = field(old, "areacd");
        if places.contains_key(code) {
            continue;
        }
        let renamed = ons_current
            .iter()
            .find(|row| field(row, "areanm") == field(old, "areanm"))
            .ok_or(format!("{code} is in the 2023 list but has no successor"))?;
        let details = by_gss
            .get(code)
            .copied()
            .ok_or(format!("{code} is not in the mySociety list"))?;
        places.insert(
            code.to_owned(),
            Place {
                name: field(old, "areanm").to_owned(),
                kind: kind_name(field(details, "local-authority-type-name")),
                nation: field(details, "nation").to_owned(),
                region: region_of(details),
                ended: String::new(),
                successors: vec![field(renamed, "areacd").to_owned()],
                note: "its code changed after a boundary change".to_owned(),
            },
        );
    }
    for row in &mysociety {
        let code = field(row, "gss-code");
        if code.is_empty() || places.contains_key(code) {
            continue;
        }
        let kind = field(row, "local-authority-type");
        let ended = field(row, "end-date");
        if ended.is_empty() && !matches!(kind, "CTY" | "COMB" | "SRA") {
            return Err(
                format!("{code} is current in mySociety's list but not in the ONS list").into(),
            );
        }
        let successors = field(row, "replaced-by")
            .split(',')
            .filter(|s| !s.is_empty())
            .filter_map(|s| gss_of.get(s).map(|gss| (*gss).to_owned()))
            .collect();
        places.insert(
            code.to_owned(),
            Place {
                name: field(row, "nice-name").to_owned(),
                kind: kind_name(field(row, "local-authority-type-name")),
                nation: field(row, "nation").to_owned(),
                region: region_of(row),
                ended: ended.to_owned(),
                successors,
                note: String::new(),
            },
        );
    }
    // Codes replaced without a change of area (for example Gateshead's in 2013).
    for row in &mysociety {
        for former in field(row, "former-gss-codes")
            .split(',')
            .filter(|s| !s.is_empty())
        {
            if places.contains_key(former) {
                continue;
            }
            places.insert(
                former.to_owned(),
                Place {
                    name: field(row, "nice-name").to_owned(),
                    kind: kind_name(field(row, "local-authority-type-name")),
                    nation: field(row, "nation").to_owned(),
                    region: region_of(row),
                    ended: String::new(),
                    successors: vec![field(row, "gss-code").to_owned()],
                    note: "its code was replaced".to_owned(),
                },
            );
        }
    }
    for row in &health_boards {
        let code = field(row, "LHB19CD");
        places.entry(code.to_owned()).or_insert_with(|| Place {
            name: field(row, "LHB19NM").to_owned(),
            kind: "Local health board".to_owned(),
            nation: "Wales".to_owned(),
            region: String::new(),
            ended: String::new(),
            successors: Vec::new(),
            note: String::new(),
        });
    }

    // An area can end twice (Taunton Deane became Somerset West and Taunton, then Somerset):
    // name only the areas in use today.
    let snapshot: HashMap<String, Vec<String>> = places
        .iter()
        .map(|(code, place)| (code.clone(), place.successors.clone()))
        .collect();
    for place in places.values_mut() {
        let mut current = Vec::new();
        let mut pending = place.successors.clone();
        while let Some(code) = pending.pop() {
            match snapshot.get(&code) {
                Some(next) if !next.is_empty() => pending.extend(next.iter().cloned()),
                _ if !current.contains(&code) => current.insert(0, code),
                _ => {}
            }
        }
        current.sort();
        place.successors = current;
    }

    println!("code\tname\tkind\tnation\tregion\tended\tsuccessors\tnote");
    for (code, place) in &places {
        println!(
            "{code}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            place.name,
            place.kind,
            place.nation,
            place.region,
            place.ended,
            place.successors.join(","),
            place.note
        );
    }
    Ok(())
}
