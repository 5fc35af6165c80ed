//! A partnership's picture: everything its report draws on, read from the store once and
//! kept as plain data, so that every section is a pure function of it (and can be tested
//! with a picture built by hand).

mod indicators;
mod read;

use std::collections::BTreeMap;

use cradle_domain::actions::Action;
use cradle_domain::need::{AreaPopulationView, Override};
use cradle_domain::partnership::{AreaCode, Partnership};
use cradle_domain::self_assessment::Results;
use cradle_domain::services::{Service, long_date};
use cradle_domain::vocabulary::EcoLevel;
use cradle_domain::walkthrough::FindingKind;
use time::Date;

pub use read::picture;

/// Everything a report draws on for one partnership.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub partnership: Partnership,
    /// The day the picture was taken: funding about to end is counted from it.
    pub today: Date,
    /// The chosen population file's figures, if one is imported.
    pub population: Option<Population>,
    /// The partnership's own rates in place of published ones, with their reasons.
    pub overrides: Vec<Override>,
    /// Each local indicator, from the newest file that has it.
    pub indicators: Vec<LocalIndicator>,
    /// How many indicator files are imported (so that a file with none of the partnership's
    /// areas is told apart from no file at all).
    pub indicator_files: usize,
    /// The service map, in the order it is listed.
    pub services: Vec<Service>,
    /// The coverage gaps that an action answers: the gap's wording → the action in words.
    pub coverage_actions: BTreeMap<String, String>,
    /// Walk-throughs, newest first.
    pub walkthroughs: Vec<WalkthroughRecord>,
    /// Every gap and risk the walk-throughs found (the stored half of the gap register).
    pub findings: Vec<Finding>,
    /// Self-assessment rounds, newest first.
    pub rounds: Vec<RoundRecord>,
    /// Workshops, newest first.
    pub workshops: Vec<WorkshopRecord>,
    /// The action log: open and in progress first by due date, then done.
    pub actions: Vec<ActionRecord>,
}

/// Where a file's figures came from, shown beside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSource {
    pub file_name: String,
    pub publisher: String,
    pub edition: String,
    /// The reference year (mid-year for population, the calendar year for births, the
    /// latest period's first year for indicators), when the file said.
    pub year: Option<u16>,
    pub imported_on: Date,
}

impl FileSource {
    /// `Office for National Statistics: Mid-year estimates, 2023 (file nomis.csv, imported
    /// 7 December 2026)`.
    pub fn describe(&self) -> String {
        let year = self
            .year
            .map_or_else(|| "year not stated".to_owned(), |year| year.to_string());
        format!(
            "{}: {}, {year} (file {}, imported {})",
            self.publisher,
            self.edition,
            self.file_name,
            long_date(self.imported_on)
        )
    }
}

/// The population (and births) figures the need estimate is built on.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// The latest population file.
    pub source: FileSource,
    /// The births file of the same year, else the latest; `None` when none is imported.
    pub births_source: Option<FileSource>,
    /// The partnership's areas the file has, in the partnership's order, each with its
    /// live births when the births file has the area.
    pub areas: Vec<AreaPopulationView>,
    /// The partnership's areas the file does not have.
    pub missing_areas: Vec<AreaCode>,
    /// The rows for the partnership's nations and the United Kingdom, when the file has
    /// them, for the comparison with the nation.
    pub nations: Vec<AreaPopulationView>,
}

/// One local indicator for one group of people (sex and age), over time.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalIndicator {
    pub id: i64,
    pub name: String,
    /// `Persons, All ages`.
    pub group: String,
    pub source: FileSource,
    /// The periods, in order of time.
    pub periods: Vec<String>,
    /// Each of the partnership's areas the file has, then each nation.
    pub series: Vec<IndicatorSeries>,
}

/// One place's figures for an indicator, by period (as [`LocalIndicator::periods`]).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSeries {
    pub name: String,
    pub is_nation: bool,
    pub by_period: Vec<Option<IndicatorReading>>,
}

/// One period's figure for one place.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndicatorReading {
    pub value: Option<f64>,
    pub lower_95: Option<f64>,
    pub upper_95: Option<f64>,
    /// The publisher's note on the value, if any.
    pub note: Option<String>,
    /// How the publisher compares it with the nation, e.g. `Similar`.
    pub compared: Option<String>,
}

/// A walk-through of a scenario, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkthroughRecord {
    /// The scenario's title when walked through.
    pub title: String,
    /// Whether it is one of the toolkit's scenarios (rather than the partnership's own).
    pub national: bool,
    pub date: Date,
    pub who_would_notice: String,
    pub family_experience: String,
    pub levels: Vec<LevelRecord>,
    pub gaps: Vec<String>,
    pub risks: Vec<String>,
}

/// Who would respond at one ecological level in a walk-through, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRecord {
    pub level: EcoLevel,
    /// The services' names (a service since removed from the map says so).
    pub services: Vec<String>,
    pub timing: String,
}

/// A gap or risk a walk-through found, with the action that answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub description: String,
    /// The walk-through's scenario title.
    pub walkthrough: String,
    /// The action in words (`Open: Fund an evening helpline`), once linked.
    pub action: Option<String>,
}

/// A self-assessment round and its results (withheld below the round's minimum raters).
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRecord {
    pub title: String,
    pub opened: Date,
    pub closed: Option<Date>,
    /// The raters needed before results are shown.
    pub min_raters: usize,
    /// How many raters have answered.
    pub answered: usize,
    pub results: Results,
}

/// A workshop and what it decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopRecord {
    pub title: String,
    pub date: Option<Date>,
    pub purpose: String,
    /// Oldest first.
    pub decisions: Vec<String>,
}

/// An action of the action log and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub action: Action,
    pub origin: ActionOrigin,
}

/// Where an action came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionOrigin {
    /// Agreed at the workshop with this title.
    Workshop(String),
    /// Answers this gap of the gap register (its wording).
    Gap(String),
    /// Added to the log directly.
    Log,
}

impl ActionOrigin {
    /// `Workshop: Launch`, `Gap: No evening support`, `Added to the action log`.
    pub fn describe(&self) -> String {
        match self {
            Self::Workshop(title) => format!("Workshop: {title}"),
            Self::Gap(gap) => format!("Gap: {gap}"),
            Self::Log => "Added to the action log".to_owned(),
        }
    }
}

impl Picture {
    /// An empty picture of `partnership`: nothing imported, mapped or recorded yet.
    pub fn empty(partnership: Partnership, today: Date) -> Self {
        Self {
            partnership,
            today,
            population: None,
            overrides: Vec::new(),
            indicators: Vec::new(),
            indicator_files: 0,
            services: Vec::new(),
            coverage_actions: BTreeMap::new(),
            walkthroughs: Vec::new(),
            findings: Vec::new(),
            rounds: Vec::new(),
            workshops: Vec::new(),
            actions: Vec::new(),
        }
    }

    /// The name of one of the partnership's areas: from the population file, else its code.
    pub fn area_name(&self, code: &AreaCode) -> String {
        self.population
            .iter()
            .flat_map(|population| &population.areas)
            .find(|area| &area.area == code)
            .map_or_else(|| code.to_string(), |area| area.name.clone())
    }
}
