//! A partnership: one local area's shared space, and the official area codes it covers.

use std::fmt;
use std::str::FromStr;

use crate::places::{PlaceError, PlaceLabel, places};
use crate::vocabulary::Nation;

/// A GSS code (Government Statistical Service), the nine-character official identifier of
/// an area: a letter for the nation, two digits for the entity type, six for the area
/// (for example `E06000001`, Hartlepool; `S12000036`, City of Edinburgh).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AreaCode(String);

/// Why a piece of text is not a GSS area code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaCodeError {
    #[error(
        "“{0}” is not an area code: a GSS code is one letter (E, W, S, N or K) followed by 8 digits, like E06000001"
    )]
    Malformed(String),
}

impl AreaCode {
    /// The code as published, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nation an area belongs to, read from the code's first letter. `K` codes span
    /// more than one nation (for example Great Britain) and so have none.
    pub fn nation(&self) -> Option<Nation> {
        match self.0.as_bytes().first() {
            Some(b'E') => Some(Nation::England),
            Some(b'W') => Some(Nation::Wales),
            Some(b'S') => Some(Nation::Scotland),
            Some(b'N') => Some(Nation::NorthernIreland),
            _ => None,
        }
    }

    /// The code with its name, "Hartlepool (E06000001)", where the bundled list has it.
    pub fn label(&self) -> PlaceLabel<'_> {
        PlaceLabel(&self.0)
    }

    /// The three-character entity code, such as `E06` (English unitary authority) or
    /// `S08` (Scottish health board).
    pub fn entity(&self) -> &str {
        &self.0[..3]
    }
}

impl FromStr for AreaCode {
    type Err = AreaCodeError;

    /// Accepts surrounding spaces and lower case, as spreadsheets often carry both.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let code = text.trim().to_ascii_uppercase();
        let mut chars = code.chars();
        let nation_letter = chars
            .next()
            .is_some_and(|c| matches!(c, 'E' | 'W' | 'S' | 'N' | 'K'));
        let digits = chars.clone().count() == 8 && chars.all(|c| c.is_ascii_digit());
        if nation_letter && digits {
            Ok(Self(code))
        } else {
            Err(AreaCodeError::Malformed(text.trim().to_owned()))
        }
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The code of the row official files (population, Fingertips) give for the United Kingdom
/// as a whole.
pub const UNITED_KINGDOM_CODE: &str = "K02000001";

/// The code of the row official files give for a nation as a whole.
pub fn nation_code(nation: Nation) -> &'static str {
    match nation {
        Nation::England => "E92000001",
        Nation::Wales => "W92000004",
        Nation::Scotland => "S92000003",
        Nation::NorthernIreland => "N92000002",
    }
}

/// A partnership as Cradle holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partnership {
    /// A random identifier, safe to show in URLs (never a sequence).
    pub id: String,
    pub name: String,
    pub nation: Nation,
    pub description: String,
    pub areas: Vec<AreaCode>,
    /// Demo partnerships hold invented figures and are labelled as such wherever shown.
    pub is_demo: bool,
}

/// What is needed to create a partnership, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartnership {
    pub name: String,
    pub nation: Nation,
    pub description: String,
    pub areas: Vec<AreaCode>,
    pub is_demo: bool,
}

/// Why a partnership's details cannot be accepted, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnershipError {
    #[error("Enter the partnership's name")]
    NameMissing,
    #[error("The name must be {max} characters or fewer")]
    NameTooLong { max: usize },
    #[error("{0}")]
    Area(#[from] PlaceError),
    #[error("{code} is an area in {area_nation}, but the partnership is in {nation}")]
    AreaInOtherNation {
        code: AreaCode,
        area_nation: &'static str,
        nation: &'static str,
    },
}

impl NewPartnership {
    pub const NAME_MAX: usize = 120;

    /// Checks a partnership's details: a name, and areas (by code or by name, see
    /// [`Places::resolve`](crate::places::Places::resolve)) in the partnership's own nation
    /// (cross-nation `K` codes are allowed). Ended areas are refused with their successors.
    pub fn validate(
        name: &str,
        nation: Nation,
        description: &str,
        area_codes: &[&str],
        is_demo: bool,
    ) -> Result<Self, PartnershipError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(PartnershipError::NameMissing);
        }
        if name.chars().count() > Self::NAME_MAX {
            return Err(PartnershipError::NameTooLong {
                max: Self::NAME_MAX,
            });
        }
        let mut areas = Vec::with_capacity(area_codes.len());
        for text in area_codes {
            let code = places().resolve(text)?;
            if let Some(area_nation) = code.nation().filter(|n| *n != nation) {
                return Err(PartnershipError::AreaInOtherNation {
                    code,
                    area_nation: area_nation.label(),
                    nation: nation.label(),
                });
            }
            if !areas.contains(&code) {
                areas.push(code);
            }
        }
        Ok(Self {
            name: name.to_owned(),
            nation,
            description: description.trim().to_owned(),
            areas,
            is_demo,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_codes_of_all_four_nations_parse() {
        for (text, nation) in [
            ("E06000001", Nation::England),
            ("W06000015", Nation::Wales),
            ("S12000036", Nation::Scotland),
            ("N09000003", Nation::NorthernIreland),
        ] {
            let code: AreaCode = text.parse().unwrap();
            assert_eq!(code.nation(), Some(nation));
        }
    }

    #[test]
    fn area_codes_are_normalised_and_malformed_ones_named() {
        assert_eq!(
            " e06000001 ".parse::<AreaCode>().unwrap().as_str(),
            "E06000001"
        );
        for bad in [
            "",
            "E0600001",
            "E060000011",
            "X06000001",
            "E06-00001",
            "Hartlepool",
        ] {
            let err = bad.parse::<AreaCode>().unwrap_err();
            assert!(
                err.to_string().contains("is not an area code"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_partnership_rejects_areas_from_another_nation() {
        let err =
            NewPartnership::validate("Cardiff and Vale", Nation::Wales, "", &["E06000001"], false)
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "E06000001 is an area in England, but the partnership is in Wales"
        );
    }

    #[test]
    fn a_partnership_takes_areas_by_name_and_refuses_ended_ones() {
        let ok = NewPartnership::validate(
            "Tees",
            Nation::England,
            "",
            &["Hartlepool", "Middlesbrough (E06000002)"],
            false,
        )
        .unwrap();
        assert_eq!(ok.areas.len(), 2);
        assert_eq!(ok.areas[1].as_str(), "E06000002");
        let err = NewPartnership::validate("Cumbria", Nation::England, "", &["E10000006"], false)
            .unwrap_err();
        assert!(
            err.to_string().contains("use E06000063 Cumberland"),
            "{err}"
        );
    }

    #[test]
    fn a_partnership_needs_a_name_and_drops_repeated_areas() {
        assert_eq!(
            NewPartnership::validate("  ", Nation::Scotland, "", &[], false),
            Err(PartnershipError::NameMissing)
        );
        let ok = NewPartnership::validate(
            "Fife",
            Nation::Scotland,
            "",
            &["S12000047", "s12000047"],
            false,
        )
        .unwrap();
        assert_eq!(ok.areas.len(), 1);
    }
}
