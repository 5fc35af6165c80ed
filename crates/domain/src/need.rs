//! Estimating local need: published prevalence × the local population, shown as a range with
//! the working, and added up across a partnership's areas and by nation.
//!
//! The method is the one local needs assessments use: the number of people a rate applies to
//! (births, for which the count of babies under one stands in, or children of given ages)
//! times the published rate, giving low, central and high figures. Tiers of need overlap (a
//! baby counted at the specialist tier is also counted at the universal one), so lines are
//! grouped by tier but never totalled across assumptions.
//!
//! Pure: the caller maps imported population tables and content into these plain types.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::partnership::AreaCode;
use crate::vocabulary::{Nation, Tier};

/// One area's population by single year of age, as the estimate needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPopulationView {
    pub area: AreaCode,
    pub name: String,
    /// People of each age in whole years; the oldest age may stand for that age and over.
    pub ages: BTreeMap<u8, u64>,
    /// Why the figures should be checked before use (for example, they look imputed), carried
    /// through to the estimate so that it is shown beside the numbers.
    pub caution: Option<String>,
    /// Live births in a year, from a births file, when one has the area: then rates per
    /// birth or maternity apply to them rather than to babies under one.
    pub births: Option<u64>,
}

/// The people a rate is counted among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PopulationBase {
    /// Births in a year, or maternities: live births from a births file where the area has
    /// them, otherwise babies under one (age 0), who stand in for them.
    Births,
    /// Children aged `from` to `to` whole years, inclusive.
    ChildrenAged { from: u8, to: u8 },
}

impl PopulationBase {
    /// How many people of this base an area has, and whether they are live births (rather
    /// than people counted by age).
    pub fn count_in(self, population: &AreaPopulationView) -> (u64, bool) {
        match (self, population.births) {
            (Self::Births, Some(births)) => (births, true),
            _ => (self.count(&population.ages), false),
        }
    }

    /// How many people of this base are in `ages` (babies under one for births).
    pub fn count(self, ages: &BTreeMap<u8, u64>) -> u64 {
        let (from, to) = match self {
            Self::Births => (0, 0),
            Self::ChildrenAged { from, to } => (from, to),
        };
        if from > to {
            return 0;
        }
        ages.range(from..=to).map(|(_, count)| count).sum()
    }

    /// The base for people: `915 babies under 1`, `3,128 children aged 2–4`, or with
    /// `live_births`, `901 live births`.
    pub fn describe(self, count: u64, live_births: bool) -> String {
        let number = with_separators(count);
        match self {
            Self::Births if live_births && count == 1 => format!("{number} live birth"),
            Self::Births if live_births => format!("{number} live births"),
            Self::Births if count == 1 => format!("{number} baby under 1"),
            Self::Births => format!("{number} babies under 1"),
            Self::ChildrenAged { from, to } if from == to => {
                let noun = if count == 1 { "child" } else { "children" };
                format!("{number} {noun} aged {from}")
            }
            Self::ChildrenAged { from, to } => {
                let noun = if count == 1 { "child" } else { "children" };
                format!("{number} {noun} aged {from}–{to}")
            }
        }
    }
}

/// A prevalence rate with its published range: so many per `per` people of the base.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    low: f64,
    central: f64,
    high: f64,
    per: u32,
}

/// Why figures cannot make a rate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RateError {
    #[error("A rate must be counted per some number of people, such as per 100 or per 1,000")]
    NoDenominator,
    #[error("Each figure must be a number")]
    NotANumber,
    #[error("The low figure ({low}) must not be below zero")]
    Negative { low: String },
    #[error("The low figure ({low}) is above the central figure ({central})")]
    LowAboveCentral { low: String, central: String },
    #[error("The central figure ({central}) is above the high figure ({high})")]
    CentralAboveHigh { central: String, high: String },
    #[error("The high figure ({high}) is more than {per} per {per}: a rate cannot exceed everyone")]
    AboveEveryone { high: String, per: String },
}

impl Rate {
    /// A rate of `low` to `high`, most likely `central`, per `per` people.
    pub fn new(low: f64, central: f64, high: f64, per: u32) -> Result<Self, RateError> {
        if per == 0 {
            return Err(RateError::NoDenominator);
        }
        if ![low, central, high].iter().all(|figure| figure.is_finite()) {
            return Err(RateError::NotANumber);
        }
        if low < 0.0 {
            return Err(RateError::Negative { low: figure(low) });
        }
        if low > central {
            return Err(RateError::LowAboveCentral {
                low: figure(low),
                central: figure(central),
            });
        }
        if central > high {
            return Err(RateError::CentralAboveHigh {
                central: figure(central),
                high: figure(high),
            });
        }
        if high > f64::from(per) {
            return Err(RateError::AboveEveryone {
                high: figure(high),
                per: with_separators(u64::from(per)),
            });
        }
        Ok(Self {
            low,
            central,
            high,
            per,
        })
    }

    pub fn low(&self) -> f64 {
        self.low
    }

    pub fn central(&self) -> f64 {
        self.central
    }

    pub fn high(&self) -> f64 {
        self.high
    }

    pub fn per(&self) -> u32 {
        self.per
    }

    /// The expected number among `count` people.
    fn apply(&self, count: u64) -> Figures {
        let scale = count as f64 / f64::from(self.per);
        Figures {
            low: self.low * scale,
            central: self.central * scale,
            high: self.high * scale,
        }
    }
}

/// Reads as `10–20 per 100 (central 15)`, or `2 per 1,000` when there is no range.
impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let per = with_separators(u64::from(self.per));
        if self.low == self.high {
            write!(f, "{} per {per}", figure(self.central))
        } else {
            write!(
                f,
                "{}–{} per {per} (central {})",
                figure(self.low),
                figure(self.high),
                figure(self.central)
            )
        }
    }
}

/// Low, central and high numbers of people, unrounded so that sums stay exact; [`fmt::Display`]
/// rounds them for people.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub low: f64,
    pub central: f64,
    pub high: f64,
}

impl Figures {
    fn add(&mut self, other: Figures) {
        self.low += other.low;
        self.central += other.central;
        self.high += other.high;
    }
}

/// Reads as `92–183 (central 137)`, in whole people (see [`people`]).
impl fmt::Display for Figures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (low, central, high) = (people(self.low), people(self.central), people(self.high));
        if low == high {
            write!(f, "{central}")
        } else {
            write!(f, "{low}–{high} (central {central})")
        }
    }
}

/// A published prevalence figure and the people it applies to, mapped from the content.
#[derive(Debug, Clone, PartialEq)]
pub struct Assumption {
    pub id: String,
    pub title: String,
    pub base: PopulationBase,
    pub rate: Rate,
    pub tier: Tier,
    /// The nations the evidence comes from; empty for the UK as a whole.
    pub nations: Vec<Nation>,
    /// Why this figure, in plain words.
    pub note: String,
    /// Source ids, for citations beside the estimate.
    pub sources: Vec<String>,
}

/// A partnership's own figures for one assumption, replacing the published ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The assumption's id.
    pub assumption: String,
    /// One area only, or every area when `None`.
    pub area: Option<AreaCode>,
    pub rate: Rate,
    /// Why, as the person who made it wrote it (for example, a local audit).
    pub reason: String,
    /// Who made it, as shown to the partnership.
    pub made_by: String,
}

/// Why an override cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    #[error("Give the reason for changing the published figures")]
    ReasonMissing,
    #[error("Say who is changing the published figures")]
    MadeByMissing,
}

impl Override {
    /// An override with its reason and author, both required so that every changed figure
    /// can be explained later.
    pub fn new(
        assumption: &str,
        area: Option<AreaCode>,
        rate: Rate,
        reason: &str,
        made_by: &str,
    ) -> Result<Self, OverrideError> {
        if reason.trim().is_empty() {
            return Err(OverrideError::ReasonMissing);
        }
        if made_by.trim().is_empty() {
            return Err(OverrideError::MadeByMissing);
        }
        Ok(Self {
            assumption: assumption.to_owned(),
            area,
            rate,
            reason: reason.trim().to_owned(),
            made_by: made_by.trim().to_owned(),
        })
    }
}

/// The override behind a line, to show beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideNote {
    /// The published rate it replaced.
    pub published: Rate,
    pub reason: String,
    pub made_by: String,
}

/// One assumption applied to one area.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateLine {
    pub assumption: String,
    pub title: String,
    pub tier: Tier,
    /// How many people the rate was applied to.
    pub base_count: u64,
    /// Whether they are live births from a births file (for rates per birth).
    pub live_births: bool,
    /// The rate used: the published one, or an override's.
    pub rate: Rate,
    pub estimate: Figures,
    /// The working, e.g. `915 babies under 1 × 10–20 per 100 (central 15) = 92–183 (central 137)`.
    pub working: String,
    pub overridden: Option<OverrideNote>,
    /// The evidence comes from another nation than the area's, to say beside the figure.
    pub evidence_from_elsewhere: bool,
}

/// Every assumption applied to one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaEstimate {
    pub area: AreaCode,
    pub name: String,
    pub nation: Option<Nation>,
    pub caution: Option<String>,
    /// In the order of the assumptions given.
    pub lines: Vec<EstimateLine>,
}

impl AreaEstimate {
    /// The lines grouped by tier, from universal to acute, each in assumption order. Tiers
    /// overlap, so the groups are never added together.
    pub fn by_tier(&self) -> BTreeMap<Tier, Vec<&EstimateLine>> {
        let mut tiers: BTreeMap<Tier, Vec<&EstimateLine>> = BTreeMap::new();
        for line in &self.lines {
            tiers.entry(line.tier).or_default().push(line);
        }
        tiers
    }
}

/// One assumption added up over several areas.
#[derive(Debug, Clone, PartialEq)]
pub struct RollUp {
    pub assumption: String,
    pub title: String,
    pub tier: Tier,
    pub areas: usize,
    pub base_count: u64,
    /// The people counted, e.g. `6,020 babies under 1` or `5,980 live births`.
    pub base: String,
    pub estimate: Figures,
    /// e.g. `Sum of 3 areas: 6,020 babies under 1 = 602–1,204 (central 903)`.
    pub working: String,
}

/// The whole estimate: each area, the partnership as a whole, and each nation.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedEstimate {
    pub areas: Vec<AreaEstimate>,
    /// Every area together, one roll-up per assumption in assumption order.
    pub partnership: Vec<RollUp>,
    /// The areas of each nation together. Areas whose code spans nations (`K` codes) are in
    /// the partnership's roll-up only.
    pub by_nation: BTreeMap<Nation, Vec<RollUp>>,
}

/// Applies every assumption to every area, using a partnership's overrides where given (an
/// override for one area wins over one for all areas), and adds the results up.
pub fn estimate(
    populations: &[AreaPopulationView],
    assumptions: &[Assumption],
    overrides: &[Override],
) -> NeedEstimate {
    let mut general: HashMap<&str, &Override> = HashMap::new();
    let mut specific: HashMap<(&str, &AreaCode), &Override> = HashMap::new();
    for change in overrides {
        match &change.area {
            Some(area) => specific.insert((change.assumption.as_str(), area), change),
            None => general.insert(change.assumption.as_str(), change),
        };
    }

    let areas: Vec<AreaEstimate> = populations
        .iter()
        .map(|population| {
            let nation = population.area.nation();
            let lines = assumptions
                .iter()
                .map(|assumption| {
                    let change = specific
                        .get(&(assumption.id.as_str(), &population.area))
                        .or_else(|| general.get(assumption.id.as_str()))
                        .copied();
                    line(population, nation, assumption, change)
                })
                .collect();
            AreaEstimate {
                area: population.area.clone(),
                name: population.name.clone(),
                nation,
                caution: population.caution.clone(),
                lines,
            }
        })
        .collect();

    let partnership = roll_up(assumptions, areas.iter());
    let mut by_nation = BTreeMap::new();
    for nation in Nation::ALL {
        let in_nation = areas.iter().filter(|area| area.nation == Some(*nation));
        if in_nation.clone().next().is_some() {
            by_nation.insert(*nation, roll_up(assumptions, in_nation));
        }
    }
    NeedEstimate {
        areas,
        partnership,
        by_nation,
    }
}

fn line(
    population: &AreaPopulationView,
    nation: Option<Nation>,
    assumption: &Assumption,
    change: Option<&Override>,
) -> EstimateLine {
    let rate = change.map_or(assumption.rate, |change| change.rate);
    let (base_count, live_births) = assumption.base.count_in(population);
    let estimate = rate.apply(base_count);
    let working = format!(
        "{} × {rate} = {estimate}",
        assumption.base.describe(base_count, live_births)
    );
    EstimateLine {
        assumption: assumption.id.clone(),
        title: assumption.title.clone(),
        tier: assumption.tier,
        base_count,
        live_births,
        rate,
        estimate,
        working,
        overridden: change.map(|change| OverrideNote {
            published: assumption.rate,
            reason: change.reason.clone(),
            made_by: change.made_by.clone(),
        }),
        evidence_from_elsewhere: !assumption.nations.is_empty()
            && !nation.is_some_and(|nation| assumption.nations.contains(&nation)),
    }
}

/// A larger area that smaller ones roll up into (a region, an integrated care board, a
/// health board, a nation), with the areas in it as a geography lookup lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaGroup {
    pub code: AreaCode,
    pub name: String,
    /// What kind of area it is, e.g. `region (RGN21)`.
    pub kind: String,
    pub members: Vec<AreaCode>,
}

/// A larger area's estimate: the sum of the estimates of those of its areas that have
/// figures.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRollUp {
    pub group: AreaGroup,
    /// How many of its areas had figures and were added up.
    pub found: usize,
    /// One roll-up per assumption, in assumption order.
    pub lines: Vec<RollUp>,
}

/// Adds up `result`'s areas into each group, with the same sum as the partnership's own
/// roll-up, so that a larger area's figure is always the sum of its parts.
pub fn roll_up_groups(
    assumptions: &[Assumption],
    result: &NeedEstimate,
    groups: &[AreaGroup],
) -> Vec<GroupRollUp> {
    groups
        .iter()
        .map(|group| {
            let members = result
                .areas
                .iter()
                .filter(|area| group.members.contains(&area.area));
            GroupRollUp {
                group: group.clone(),
                found: members.clone().count(),
                lines: roll_up(assumptions, members),
            }
        })
        .collect()
}

/// One roll-up per assumption over `areas`, whose lines are in assumption order.
fn roll_up<'a>(
    assumptions: &[Assumption],
    areas: impl Iterator<Item = &'a AreaEstimate> + Clone,
) -> Vec<RollUp> {
    // Per assumption: people, estimate, and how many areas counted live births.
    let mut sums: Vec<(u64, Figures, usize)> = vec![(0, Figures::default(), 0); assumptions.len()];
    let mut count = 0;
    for area in areas {
        count += 1;
        for (sum, line) in sums.iter_mut().zip(&area.lines) {
            sum.0 += line.base_count;
            sum.1.add(line.estimate);
            sum.2 += usize::from(line.live_births);
        }
    }
    let noun = if count == 1 { "area" } else { "areas" };
    assumptions
        .iter()
        .zip(sums)
        .map(|(assumption, (base_count, estimate, with_births))| {
            let base = if with_births == 0 || with_births == count {
                assumption.base.describe(base_count, with_births > 0)
            } else {
                // Some areas had births, others only their babies under one.
                format!(
                    "{} live births and babies under 1",
                    with_separators(base_count)
                )
            };
            RollUp {
                assumption: assumption.id.clone(),
                title: assumption.title.clone(),
                tier: assumption.tier,
                areas: count,
                base_count,
                working: format!("Sum of {count} {noun}: {base} = {estimate}"),
                base,
                estimate,
            }
        })
        .collect()
}

/// Places of different sizes side by side, per 1,000 residents of all ages: each area, the
/// partnership when it has more than one, and each nation (at the published rates).
#[derive(Debug, Clone, PartialEq)]
pub struct PerThousand {
    /// Each place's name, e.g. `Hartlepool`, `The partnership`, `ENGLAND (published rates)`.
    pub columns: Vec<String>,
    /// Residents of all ages in each place.
    pub residents: Vec<u64>,
    /// Each measure and its figure per 1,000 residents in each place: babies under one,
    /// children aged 0–4, then each assumption's central estimate. `None` where a place has
    /// no residents or no figure.
    pub rows: Vec<(String, Vec<Option<f64>>)>,
}

/// One place of a [`PerThousand`] comparison: the populations it adds up and its lines.
struct Place<'a> {
    name: String,
    ages: Vec<&'a BTreeMap<u8, u64>>,
    lines: Vec<Figures>,
}

/// Compares `local` areas (estimated in `local_result`), the partnership as a whole and
/// each of `nations` (estimated in `nation_result`) per 1,000 residents.
pub fn per_thousand(
    assumptions: &[Assumption],
    (local, local_result): (&[AreaPopulationView], &NeedEstimate),
    (nations, nation_result): (&[AreaPopulationView], &NeedEstimate),
) -> PerThousand {
    let place = Place::of;
    let mut places: Vec<Place<'_>> = local
        .iter()
        .zip(&local_result.areas)
        .map(|(population, area)| place(population, area, population.name.clone()))
        .collect();
    if local.len() > 1 {
        places.push(Place {
            name: "The partnership".to_owned(),
            ages: local.iter().map(|population| &population.ages).collect(),
            lines: local_result
                .partnership
                .iter()
                .map(|r| r.estimate)
                .collect(),
        });
    }
    places.extend(
        nations
            .iter()
            .zip(&nation_result.areas)
            .map(|(population, area)| {
                place(
                    population,
                    area,
                    format!("{} (published rates)", population.name),
                )
            }),
    );
    per_thousand_rows(assumptions, places)
}

impl<'a> Place<'a> {
    fn of(population: &'a AreaPopulationView, area: &AreaEstimate, name: String) -> Self {
        Self {
            name,
            ages: vec![&population.ages],
            lines: area.lines.iter().map(|line| line.estimate).collect(),
        }
    }
}

fn per_thousand_rows(assumptions: &[Assumption], places: Vec<Place<'_>>) -> PerThousand {
    let residents: Vec<u64> = places
        .iter()
        .map(|place| place.ages.iter().flat_map(|ages| ages.values()).sum())
        .collect();
    let per = |count: f64, total: u64| (total > 0).then(|| count * 1000.0 / total as f64);
    let mut rows = Vec::new();
    for (label, base) in [
        ("Babies under 1", PopulationBase::Births),
        (
            "Children aged 0–4",
            PopulationBase::ChildrenAged { from: 0, to: 4 },
        ),
    ] {
        let cells = places.iter().zip(&residents).map(|(place, total)| {
            let count: u64 = place.ages.iter().map(|ages| base.count(ages)).sum();
            per(count as f64, *total)
        });
        rows.push((format!("{label}, per 1,000 residents"), cells.collect()));
    }
    for (index, assumption) in assumptions.iter().enumerate() {
        let cells = places.iter().zip(&residents).map(|(place, total)| {
            let figures = place.lines.get(index)?;
            per(figures.central, *total)
        });
        rows.push((
            format!("{}: central estimate per 1,000 residents", assumption.title),
            cells.collect(),
        ));
    }
    PerThousand {
        columns: places.into_iter().map(|place| place.name).collect(),
        residents,
        rows,
    }
}

/// A rate's figure as written: `15`, `0.89`, `2.6`.
fn figure(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_owned()
}

/// A number of people for display: whole people, with separators (no one is a fraction of
/// a child; the spreadsheets keep the unrounded figures). An estimate above nought that
/// rounds to none reads "fewer than 1", so that a rare condition does not read as absent.
pub fn people(value: f64) -> String {
    if value > 0.0 && value < 0.5 {
        "fewer than 1".to_owned()
    } else {
        with_separators(value.max(0.0).round() as u64)
    }
}

/// A figure per 1,000 residents: one decimal place, and "less than 0.1" for a small rate
/// that would otherwise read as "0.0".
pub fn per_thousand_figure(value: f64) -> String {
    if value > 0.0 && value < 0.05 {
        "less than 0.1".to_owned()
    } else {
        format!("{:.1}", value.max(0.0))
    }
}

/// `3128` → `3,128`.
/// A count as people read it: `60,854,727`.
pub fn with_separators(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests;
