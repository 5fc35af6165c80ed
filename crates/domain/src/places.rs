//! The UK's areas by name: the bundled list of nations, English regions, local authorities
//! (current and ended since 2019), counties, combined authorities and Welsh health boards,
//! so that Cradle shows "Hartlepool (E06000001)" rather than a bare code, lets people choose
//! areas by name, and names the successors of a code that has ended.
//!
//! The list is `data/places.tsv`, derived from ONS and mySociety files (see `data/README.md`)
//! and compiled in, so no file is read at run time.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use crate::partnership::{AreaCode, AreaCodeError};
use crate::vocabulary::Nation;

const PLACES_TSV: &str = include_str!("../data/places.tsv");

/// Where the bundled list comes from, for pages that show names from it.
pub const PLACES_SOURCE: &str = "Area names: Office for National Statistics, local authority codes and names (2025), Open Government Licence v3.0; mySociety, UK local authorities (types, regions, ended codes), CC BY 4.0.";

/// One area of the bundled list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: &'static str,
    pub name: &'static str,
    /// What kind of area it is, such as "Unitary authority" or "Region".
    pub kind: &'static str,
    /// The code of its English region, if it has one.
    pub region: Option<&'static str>,
    /// The date the area ended (`YYYY-MM-DD`), for areas abolished in a reorganisation.
    pub ended: Option<&'static str>,
    /// The codes to use instead, for an ended area or a replaced code.
    pub successors: Vec<&'static str>,
    /// Why the code is no longer used, where it is not an abolished area.
    pub note: &'static str,
}

impl Place {
    /// Whether the code is in use today.
    pub fn is_current(&self) -> bool {
        self.successors.is_empty() && self.ended.is_none()
    }

    /// The nation the area is in; `None` for groups of nations such as Great Britain.
    pub fn nation(&self) -> Option<Nation> {
        self.code
            .parse::<AreaCode>()
            .ok()
            .and_then(|code| code.nation())
    }

    /// Whether people choose this as a partnership's or service's area: local authorities,
    /// counties and Welsh health boards, but not nations, regions or combined authorities.
    pub fn is_local(&self) -> bool {
        !matches!(
            self.kind,
            "Nation" | "Group of nations" | "Region" | "Combined authority" | "Strategic authority"
        )
    }
}

/// Why typed text does not name one current area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    #[error("{0}")]
    Malformed(#[from] AreaCodeError),
    #[error(
        "There is no area called “{0}”: type the name of a local authority, such as Hartlepool, or its code, such as E06000001"
    )]
    Unknown(String),
    #[error("“{text}” could be {}: type its code", or_list(options))]
    Ambiguous { text: String, options: Vec<String> },
    #[error("{}", ended_message(code, name, ended, successors, note))]
    Ended {
        code: String,
        name: String,
        ended: Option<String>,
        successors: Vec<String>,
        note: String,
    },
}

fn or_list(options: &[String]) -> String {
    match options.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => options.join(""),
    }
}

fn ended_message(
    code: &str,
    name: &str,
    ended: &Option<String>,
    successors: &[String],
    note: &str,
) -> String {
    let what = match ended {
        Some(date) => format!("{code} {name} ended in {}", month_year(date)),
        None => format!("{code} is no longer used for {name}: {note}"),
    };
    let successors = successors.join(" and ");
    if successors.is_empty() {
        what
    } else {
        format!("{what}: use {successors}")
    }
}

/// "2023-04-01" as "April 2023"; an unexpected date is shown as it is.
fn month_year(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = date.split('-');
    let (Some(year), Some(month)) = (parts.next(), parts.next()) else {
        return date.to_owned();
    };
    match month
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
    {
        Some(month) => format!("{month} {year}"),
        None => date.to_owned(),
    }
}

/// The bundled list, indexed by code and by name.
#[derive(Debug)]
pub struct Places {
    places: Vec<Place>,
    by_code: HashMap<&'static str, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The bundled list, read once.
pub fn places() -> &'static Places {
    static PLACES: LazyLock<Places> = LazyLock::new(|| Places::parse(PLACES_TSV));
    &PLACES
}

fn optional(text: &'static str) -> Option<&'static str> {
    (!text.is_empty()).then_some(text)
}

/// Names compared as people type them: case, spaces, "&" and "St." do not matter.
fn name_key(name: &str) -> String {
    let lower = name.to_lowercase().replace('&', "and").replace('.', "");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Places {
    /// Reads the compiled-in list. Its layout is checked by this module's tests, so a row
    /// with too few fields is skipped rather than failing at run time.
    fn parse(tsv: &'static str) -> Self {
        let places: Vec<Place> = tsv
            .lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&'static str> = line.split('\t').collect();
                let [code, name, kind, _nation, region, ended, successors, note] = fields[..]
                else {
                    return None;
                };
                Some(Place {
                    code,
                    name,
                    kind,
                    region: optional(region),
                    ended: optional(ended),
                    successors: successors.split(',').filter(|s| !s.is_empty()).collect(),
                    note,
                })
            })
            .collect();
        let by_code = places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code, i))
            .collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, place) in places.iter().enumerate() {
            by_name.entry(name_key(place.name)).or_default().push(index);
            if let Some((short, _)) = place.name.split_once(", City of") {
                by_name.entry(name_key(short)).or_default().push(index);
            }
            if let Some((short, _)) = place.name.split_once(", County of") {
                by_name.entry(name_key(short)).or_default().push(index);
            }
        }
        Self {
            places,
            by_code,
            by_name,
        }
    }

    /// Every area in the list, in code order.
    pub fn all(&self) -> &[Place] {
        &self.places
    }

    /// The area with this code, if the list has it.
    pub fn get(&self, code: &str) -> Option<&Place> {
        self.by_code.get(code).map(|&index| &self.places[index])
    }

    /// The area's name, if the list has its code.
    pub fn name(&self, code: &str) -> Option<&'static str> {
        self.get(code).map(|place| place.name)
    }

    /// The areas people choose from for a partnership in this nation, by name.
    pub fn choices(&self, nation: Nation) -> Vec<&Place> {
        let mut choices: Vec<&Place> = self
            .places
            .iter()
            .filter(|p| p.is_current() && p.is_local() && p.nation() == Some(nation))
            .collect();
        choices.sort_by_key(|place| name_key(place.name));
        choices
    }

    /// The current area that typed text names: a code (any well-formed code is accepted,
    /// as official files use many kinds of area), or the name of an area in the list.
    /// Ended areas and replaced codes are refused with their successors named.
    /// "Hartlepool (E06000001)", as Cradle shows areas, is read as its code.
    pub fn resolve(&self, text: &str) -> Result<AreaCode, PlaceError> {
        let text = text.trim();
        let text = labelled_code(text).unwrap_or(text);
        if looks_like_code(text) {
            let code: AreaCode = text.parse()?;
            return match self.get(code.as_str()) {
                Some(place) if !place.is_current() => Err(self.ended(place)),
                _ => Ok(code),
            };
        }
        let matches = self
            .by_name
            .get(&name_key(text))
            .cloned()
            .unwrap_or_default();
        let (current, ended): (Vec<&Place>, Vec<&Place>) = matches
            .iter()
            .map(|&index| &self.places[index])
            .partition(|place| place.is_current());
        match (current.as_slice(), ended.as_slice()) {
            ([only], _) => only.code.parse().map_err(PlaceError::from),
            ([], [first, ..]) => Err(self.ended(first)),
            ([], []) => Err(PlaceError::Unknown(text.to_owned())),
            (several, _) => Err(PlaceError::Ambiguous {
                text: text.to_owned(),
                options: several
                    .iter()
                    .map(|p| format!("{} ({}), {}", p.name, p.code, p.kind.to_lowercase()))
                    .collect(),
            }),
        }
    }

    fn ended(&self, place: &Place) -> PlaceError {
        PlaceError::Ended {
            code: place.code.to_owned(),
            name: place.name.to_owned(),
            ended: place.ended.map(str::to_owned),
            successors: self.successors_of(place),
            note: place.note.to_owned(),
        }
    }

    /// An ended area's successors as "E06000063 Cumberland".
    fn successors_of(&self, place: &Place) -> Vec<String> {
        place
            .successors
            .iter()
            .map(|code| match self.name(code) {
                Some(name) => format!("{code} {name}"),
                None => (*code).to_owned(),
            })
            .collect()
    }
}

/// The code in "Name (CODE)".
fn labelled_code(text: &str) -> Option<&str> {
    let (_, code) = text.strip_suffix(')')?.rsplit_once('(')?;
    looks_like_code(code.trim()).then(|| code.trim())
}

/// Splits what people type into a box of areas: one per line (or separated by
/// semicolons), and a line of codes alone may also separate them by commas or spaces.
/// Names keep their commas ("Armagh City, Banbridge and Craigavon").
pub fn split_entries(text: &str) -> Vec<&str> {
    let mut entries = Vec::new();
    for line in text
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let words: Vec<&str> = line
            .split([',', ' ', '\t', '\r'])
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() > 1 && words.iter().all(|w| looks_like_code(w)) {
            entries.extend(words);
        } else {
            entries.push(line);
        }
    }
    entries
}

/// Text that is meant as a code: a letter then digits, even if the wrong number of them.
fn looks_like_code(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().filter(char::is_ascii_digit).count() >= 2
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// An area code shown with its name wherever the bundled list has it: "Hartlepool
/// (E06000001)", or the bare code when the list does not have it. A code no longer in use
/// (from an older file) says so and names what replaced it: "Allerdale (E07000026, ended
/// April 2023: now E06000063 Cumberland)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceLabel<'a>(pub &'a str);

impl fmt::Display for PlaceLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(place) = places().get(self.0) else {
            return f.write_str(self.0);
        };
        if place.is_current() {
            return write!(f, "{} ({})", place.name, self.0);
        }
        let when = match place.ended {
            Some(date) => format!("ended {}", month_year(date)),
            None => "code replaced".to_owned(),
        };
        let successors = places().successors_of(place);
        write!(
            f,
            "{} ({}, {when}: now {})",
            place.name,
            self.0,
            successors.join(" and ")
        )
    }
}

#[cfg(test)]
mod tests;
