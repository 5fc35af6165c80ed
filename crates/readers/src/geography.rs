//! Which area sits inside which: ONS Open Geography lookups and code lists, and mySociety's
//! list of UK local authorities.

use std::collections::HashMap;

use cradle_domain::Nation;
use cradle_domain::partnership::AreaCode;

use crate::grid::{self, Cell, Grid, Row};
use crate::problem::{self, ColumnRef, Problem, ProblemList, Problems};

/// One area and, where the file gives one, the larger area it sits in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeographyLink {
    pub child: AreaCode,
    pub child_name: String,
    /// What kind of area the child is, e.g. `local authority district (LAD21)` or, from
    /// mySociety, `Unitary authority`.
    pub child_kind: Option<String>,
    /// `None` in a plain list of codes (`areacd, areanm`).
    pub parent: Option<AreaCode>,
    pub parent_name: Option<String>,
    /// e.g. `county (CTY21)` or `country`.
    pub parent_kind: Option<String>,
    /// When the area was abolished, as the file writes it (mySociety's `end-date`).
    pub ended: Option<String>,
    /// The row it was read from, 1-based.
    pub row: usize,
}

/// Which lookup layout a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeographyLayout {
    /// ONS Open Geography Portal: `LAD21CD, LAD21NM, CTY21CD, CTY21NM` and the like, or a
    /// plain list `areacd, areanm`.
    OnsLookup,
    /// mySociety's `uk-local-authorities.csv`: `gss-code, nice-name, nation,
    /// local-authority-type-name, end-date, …`.
    MySociety,
}

/// A checked lookup: every code valid, no child area twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeographyTable {
    pub layout: GeographyLayout,
    pub links: Vec<GeographyLink>,
}

/// Reads a lookup CSV, recognising the layout from its header. A header may start with a
/// UTF-8 byte-order mark, and ONS column names carry any two-digit year (`LAD19CD`, `CTY21CD`).
/// Where an ONS lookup has more than two levels, the first is the child and the second its
/// parent.
pub fn read_geography(bytes: &[u8]) -> Result<GeographyTable, Problems> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(vec![Problem::file("The file is empty")].into());
    }
    let grid = grid::read_csv(bytes).map_err(|problem| vec![problem])?;
    let Some(header) = grid.rows.first() else {
        return Err(vec![Problem::file("The file is empty")].into());
    };
    let headings: Vec<String> = header.cells.iter().map(Cell::text).collect();
    let mut problems = ProblemList::default();
    let (layout, links, code_column) = if let Some(columns) = MySocietyColumns::find(&headings) {
        let links = read_mysociety(&grid, &headings, &columns, &mut problems);
        (GeographyLayout::MySociety, links, columns.code)
    } else if let Some(columns) = OnsColumns::find(&headings) {
        let links = read_ons(&grid, &headings, &columns, &mut problems);
        (GeographyLayout::OnsLookup, links, columns.child.code)
    } else {
        return Err(vec![Problem {
            row: Some(1),
            ..Problem::file(format!(
                "the header ({}) is not a lookup Cradle knows: expected ONS columns such as \
                 LAD21CD, LAD21NM, CTY21CD, CTY21NM (or areacd, areanm), or mySociety's gss-code, \
                 nice-name, nation",
                headings.join(", ")
            ))
        }]
        .into());
    };
    check_duplicates(&headings, &links, code_column, &mut problems);
    if !problems.is_empty() {
        return Err(problem::in_row_order(problems));
    }
    if links.is_empty() {
        return Err(vec![Problem::file(
            "The lookup has a header row but no areas below it",
        )]
        .into());
    }
    Ok(GeographyTable { layout, links })
}

/// An ONS code/name column pair: `LAD21CD` and `LAD21NM`, or `areacd` and `areanm`.
struct OnsLevel {
    /// e.g. `LAD21`, as written.
    stem: String,
    code: usize,
    name: Option<usize>,
}

struct OnsColumns {
    child: OnsLevel,
    parent: Option<OnsLevel>,
}

impl OnsColumns {
    fn find(headings: &[String]) -> Option<Self> {
        let mut levels = Vec::new();
        for (index, heading) in headings.iter().enumerate() {
            let Some(stem) = ons_stem(heading, "cd") else {
                continue;
            };
            let name = headings.iter().position(|other| {
                ons_stem(other, "nm").is_some_and(|other| other.eq_ignore_ascii_case(stem))
            });
            levels.push(OnsLevel {
                stem: stem.to_owned(),
                code: index,
                name,
            });
        }
        let mut levels = levels.into_iter();
        let child = levels.next()?;
        Some(Self {
            child,
            parent: levels.next(),
        })
    }
}

/// The stem of an ONS column heading ending in `suffix` (`cd` or `nm`, any case): letters, then
/// an optional two-digit year. `LAD21CD` → `LAD21`; `areacd` → `area`.
fn ons_stem<'h>(heading: &'h str, suffix: &str) -> Option<&'h str> {
    let split = heading.len().checked_sub(suffix.len())?;
    if !heading.is_char_boundary(split) || !heading[split..].eq_ignore_ascii_case(suffix) {
        return None;
    }
    let stem = &heading[..split];
    let letters = stem.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = stem.len() - letters.len();
    let well_formed = !letters.is_empty()
        && letters.chars().all(|c| c.is_ascii_alphabetic())
        && (digits == 0 || digits == 2);
    well_formed.then_some(stem)
}

/// A kind of area for people, from an ONS stem: `CTY21` → `county (CTY21)`.
fn ons_kind(stem: &str) -> String {
    let letters = stem
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_ascii_uppercase();
    let label = match letters.as_str() {
        "CTRY" => "country",
        "RGN" => "region",
        "CTY" => "county",
        "LAD" => "local authority district",
        "LTLA" => "lower-tier local authority",
        "UTLA" => "upper-tier local authority",
        "UA" => "unitary authority",
        "LHB" => "local health board",
        "HB" => "health board",
        "ICB" => "integrated care board",
        "SICBL" => "sub-ICB location",
        "CAUTH" => "combined authority",
        "CA" => "council area",
        "AREA" => return "area".to_owned(),
        _ => return stem.to_owned(),
    };
    format!("{label} ({stem})")
}

fn read_ons(
    grid: &Grid,
    headings: &[String],
    columns: &OnsColumns,
    problems: &mut ProblemList,
) -> Vec<GeographyLink> {
    let child_kind = ons_kind(&columns.child.stem);
    let parent_kind = columns.parent.as_ref().map(|level| ons_kind(&level.stem));
    let mut links = Vec::new();
    for row in grid.rows.iter().skip(1) {
        if row.is_blank() {
            continue;
        }
        let child = code_at(grid, row, headings, columns.child.code, problems);
        let parent = match &columns.parent {
            Some(level) => code_at(grid, row, headings, level.code, problems).map(Some),
            None => Some(None),
        };
        let (Some(child), Some(parent)) = (child, parent) else {
            continue;
        };
        let name_at = |column: Option<usize>| column.map(|column| row.cell(column).text());
        links.push(GeographyLink {
            child,
            child_name: name_at(columns.child.name).unwrap_or_default(),
            child_kind: Some(child_kind.clone()),
            parent_name: columns
                .parent
                .as_ref()
                .and_then(|level| name_at(level.name)),
            parent,
            parent_kind: parent_kind.clone(),
            ended: None,
            row: row.number,
        });
    }
    links
}

struct MySocietyColumns {
    code: usize,
    name: usize,
    nation: usize,
    kind: Option<usize>,
    end_date: Option<usize>,
}

impl MySocietyColumns {
    fn find(headings: &[String]) -> Option<Self> {
        let column = |name: &str| {
            headings
                .iter()
                .position(|heading| heading.eq_ignore_ascii_case(name))
        };
        Some(Self {
            code: column("gss-code")?,
            name: column("nice-name")?,
            nation: column("nation")?,
            kind: column("local-authority-type-name"),
            end_date: column("end-date"),
        })
    }
}

/// The GSS code of each nation as a whole (the country level), which mySociety's `nation`
/// column stands for.
fn country_code(nation: Nation) -> &'static str {
    match nation {
        Nation::England => "E92000001",
        Nation::Wales => "W92000004",
        Nation::Scotland => "S92000003",
        Nation::NorthernIreland => "N92000002",
    }
}

fn read_mysociety(
    grid: &Grid,
    headings: &[String],
    columns: &MySocietyColumns,
    problems: &mut ProblemList,
) -> Vec<GeographyLink> {
    let mut links = Vec::new();
    for row in grid.rows.iter().skip(1) {
        if row.is_blank() {
            continue;
        }
        let ended = columns
            .end_date
            .map(|column| row.cell(column).text())
            .filter(|text| !text.is_empty());
        // Councils abolished before GSS codes existed (Northern Ireland's pre-2015 districts)
        // have none; they cannot be linked to population data, so they are left out.
        if row.cell(columns.code).is_blank() && ended.is_some() {
            continue;
        }
        let child = code_at(grid, row, headings, columns.code, problems);
        let nation_text = row.cell(columns.nation).text();
        let nation = Nation::ALL
            .iter()
            .copied()
            .find(|nation| nation.label().eq_ignore_ascii_case(&nation_text));
        if nation.is_none() {
            problems.push(Problem {
                sheet: None,
                row: Some(row.number),
                column: Some(ColumnRef::at(columns.nation, Some(&headings[columns.nation]))),
                message: format!(
                    "“{nation_text}” is not a nation: expected England, Scotland, Wales or Northern Ireland"
                ),
            });
        }
        let (Some(child), Some(nation)) = (child, nation) else {
            continue;
        };
        links.push(GeographyLink {
            child,
            child_name: row.cell(columns.name).text(),
            child_kind: columns
                .kind
                .map(|column| row.cell(column).text())
                .filter(|text| !text.is_empty()),
            parent: country_code(nation).parse().ok(),
            parent_name: Some(nation.label().to_owned()),
            parent_kind: Some("country".to_owned()),
            ended,
            row: row.number,
        });
    }
    links
}

fn code_at(
    grid: &Grid,
    row: &Row,
    headings: &[String],
    column: usize,
    problems: &mut ProblemList,
) -> Option<AreaCode> {
    let cell = row.cell(column);
    match cell.text().parse() {
        Ok(code) => Some(code),
        Err(error) => {
            let message = if cell.is_blank() {
                "the area code is blank".to_owned()
            } else {
                format!("{error}")
            };
            problems.push(Problem {
                sheet: grid.sheet.clone(),
                row: Some(row.number),
                column: Some(ColumnRef::at(
                    column,
                    headings.get(column).map(String::as_str),
                )),
                message,
            });
            None
        }
    }
}

/// A child area listed twice would be counted twice in any roll-up.
fn check_duplicates(
    headings: &[String],
    links: &[GeographyLink],
    code_column: usize,
    problems: &mut ProblemList,
) {
    let mut first_seen: HashMap<&AreaCode, usize> = HashMap::new();
    for link in links {
        match first_seen.get(&link.child) {
            Some(first) => problems.push(Problem {
                sheet: None,
                row: Some(link.row),
                column: Some(ColumnRef::at(
                    code_column,
                    headings.get(code_column).map(String::as_str),
                )),
                message: format!(
                    "{} appears more than once; it is first on row {first}",
                    link.child
                ),
            }),
            None => {
                first_seen.insert(&link.child, link.row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ons_stems_carry_any_year() {
        assert_eq!(ons_stem("LAD19CD", "cd"), Some("LAD19"));
        assert_eq!(ons_stem("CTY21NM", "nm"), Some("CTY21"));
        assert_eq!(ons_stem("areacd", "cd"), Some("area"));
        assert_eq!(ons_stem("LAD21NMW", "nm"), None);
        assert_eq!(ons_stem("FID", "cd"), None);
        assert_eq!(ons_stem("LAD2021CD", "cd"), None);
        assert_eq!(ons_kind("CTY21"), "county (CTY21)");
        assert_eq!(ons_kind("XYZ22"), "XYZ22");
    }

    #[test]
    fn health_codes_beside_gss_codes_are_not_mistaken_for_a_level() {
        // ONS lookups to integrated care boards carry the NHS's own code (`ICB23CDH`) beside
        // the GSS code; only the GSS code links areas.
        let table = read_geography(
            b"LAD23CD,LAD23NM,ICB23CD,ICB23CDH,ICB23NM,ObjectId\n\
              E06000001,Hartlepool,E54000050,QHM,NHS North East and North Cumbria ICB,1\n",
        )
        .unwrap();
        let link = &table.links[0];
        assert_eq!(
            link.parent.as_ref().map(AreaCode::as_str),
            Some("E54000050")
        );
        assert_eq!(
            link.parent_name.as_deref(),
            Some("NHS North East and North Cumbria ICB")
        );
        assert_eq!(
            link.parent_kind.as_deref(),
            Some("integrated care board (ICB23)")
        );
    }
}
