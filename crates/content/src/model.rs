//! The kinds of item in the content files, one struct per `[[kind]]` described in
//! `content/README.md`.
//!
//! Serde checks shape and vocabulary (every struct denies unknown fields, so a misspelt field
//! is an error rather than silently dropped); `validate` checks everything serde cannot, such
//! as blank text, empty lists and references between items.

use std::collections::BTreeMap;

use cradle_domain::need::{Assumption, PopulationBase, Rate, RateError};
use cradle_domain::{
    Completer, Dimension, Domain, EcoLevel, FactTheme, FactorKind, Licence, MaturityLevel,
    MeasureFocus, MeasureFormat, MeasurePurpose, Nation, Sector, Stage, Tier, TrainingLevel,
    WorkforceLevel,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A kind of content item: the `[[kind]]` table it is written in and the id others cite it by.
pub trait Item: DeserializeOwned {
    /// The TOML table name, e.g. `case_study`; also used to name the kind in problems.
    const KIND: &'static str;
    /// A plural label for people, e.g. `case studies`.
    const LABEL: &'static str;
    /// The item's stable id.
    fn id(&self) -> &str;
}

macro_rules! item {
    ($ty:ty, $kind:literal, $label:literal) => {
        impl Item for $ty {
            const KIND: &'static str = $kind;
            const LABEL: &'static str = $label;
            fn id(&self) -> &str {
                &self.id
            }
        }
    };
}

/// `[[source]]`: a publication that facts and figures cite.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// Full title of the publication.
    pub title: String,
    /// Publisher, journal or organisation.
    pub publisher: String,
    /// Year of publication, 1900 to 2100.
    pub year: u16,
    /// Authors as written in a reference list.
    pub authors: Option<String>,
    pub url: Option<String>,
}
item!(Source, "source", "sources");

/// `[[fact]]`: part 1, why it matters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    pub id: String,
    pub theme: FactTheme,
    /// One or two sentences in Cradle's words.
    pub statement: String,
    /// The headline figure, e.g. `1 in 5`.
    pub figure: Option<String>,
    /// Source ids; at least one.
    pub sources: Vec<String>,
}
item!(Fact, "fact", "facts");

/// `[[prompt_theme]]`: a group of questions for local discussion.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromptTheme {
    pub id: String,
    pub title: String,
    pub summary: String,
}
item!(PromptTheme, "prompt_theme", "prompt themes");

/// `[[prompt]]`: part 2, a question for local discussion.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prompt {
    pub id: String,
    /// A prompt theme id.
    pub theme: String,
    pub question: String,
    /// A note for the facilitator.
    pub guidance: Option<String>,
}
item!(Prompt, "prompt", "discussion prompts");

/// `[[word]]`: part 2, one concept in the "words we use" exercise.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Word {
    pub id: String,
    /// The idea being named, in plain words.
    pub concept: String,
    /// What each profession calls it; at least one.
    pub terms: Vec<WordTerm>,
    /// Where the professions' words differ.
    pub difference: String,
    /// How a word can mislead or exclude.
    pub caution: String,
    /// A plain term a partnership might agree to use.
    pub suggested: String,
}
item!(Word, "word", "words we use");

/// One profession's word for a [`Word`]'s concept.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordTerm {
    pub profession: String,
    pub term: String,
    pub note: Option<String>,
}

/// `[[system_part]]`: part 2, a service or group that touches a baby's life.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemPart {
    pub id: String,
    /// e.g. `Health visiting`.
    pub name: String,
    pub tier: Tier,
    pub sector: Sector,
    /// What they do for a baby's mental health.
    pub description: String,
    /// Where the name or service is nation-specific; empty when UK-wide.
    #[serde(default)]
    pub nations: Vec<Nation>,
}
item!(SystemPart, "system_part", "system parts");

/// `[[element]]`: part 3, one element of the being and becoming framework.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub id: String,
    pub dimension: Dimension,
    pub domain: Domain,
    pub title: String,
    pub summary: String,
    /// How this element lives in the baby's relationships.
    pub relationships: String,
    /// Its links to language and cognitive development.
    pub language_cognition: String,
    /// Things adults do that support it; at least one.
    pub adults_support: Vec<String>,
    /// What it typically looks like at each stage; validated to hold all six.
    pub stages: BTreeMap<Stage, String>,
    pub sources: Vec<String>,
}
item!(Element, "element", "framework elements");

impl Element {
    /// What the element typically looks like at `stage` (for pregnancy: the context before
    /// birth). Validated content has every stage, so this is never empty there.
    pub fn at_stage(&self, stage: Stage) -> &str {
        self.stages.get(&stage).map_or("", String::as_str)
    }
}

/// `[[level]]`: part 4, a level of the socio-ecological model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// Levels are a fixed vocabulary, so the id is one of its terms.
    pub id: EcoLevel,
    pub title: String,
    pub summary: String,
}

impl Item for Level {
    const KIND: &'static str = "level";
    const LABEL: &'static str = "socio-ecological levels";
    fn id(&self) -> &str {
        self.id.id()
    }
}

/// `[[factor]]`: part 4, a risk or protective factor at one level.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub id: String,
    pub level: EcoLevel,
    pub kind: FactorKind,
    pub name: String,
    pub description: String,
    pub sources: Vec<String>,
}
item!(Factor, "factor", "risk and protective factors");

/// `[[scenario]]`: part 4, an invented situation to walk through.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    /// The baby's or child's stage.
    pub age: Stage,
    pub nation: Nation,
    /// The family form, e.g. `single father`.
    pub family: String,
    pub need: Tier,
    /// The (invented) story.
    pub situation: String,
    pub levels: Vec<EcoLevel>,
    /// Factor ids at play.
    #[serde(default)]
    pub factors: Vec<String>,
    /// Discussion questions (prose, not prompt ids).
    pub prompts: Vec<String>,
}
item!(Scenario, "scenario", "scenarios");

/// `[[case_study]]`: part 4, illustrative local practice (always a composite).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    pub id: String,
    pub title: String,
    pub nation: Nation,
    /// Always `true`: validation rejects anything else.
    pub illustrative: bool,
    pub summary: String,
    pub what_they_did: String,
    pub what_changed: String,
    pub levels: Vec<EcoLevel>,
    /// Whole-system characteristic ids.
    #[serde(default)]
    pub characteristics: Vec<String>,
}
item!(CaseStudy, "case_study", "case studies");

/// `[[characteristic]]`: part 5, one characteristic of a whole-system approach.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Characteristic {
    pub id: String,
    pub title: String,
    pub summary: String,
    /// Exactly four descriptions, in [`MaturityLevel::ALL`] order.
    pub maturity: Vec<String>,
    /// Questions that help a partnership find its evidence.
    pub evidence_prompts: Vec<String>,
    /// Source ids of established partnership tools that assess it.
    #[serde(default)]
    pub tools: Vec<String>,
    pub sources: Vec<String>,
}
item!(
    Characteristic,
    "characteristic",
    "whole-system characteristics"
);

impl Characteristic {
    /// What the partnership looks like at each maturity level, in order.
    pub fn maturity_levels(&self) -> impl Iterator<Item = (MaturityLevel, &str)> {
        MaturityLevel::ALL
            .iter()
            .copied()
            .zip(self.maturity.iter().map(String::as_str))
    }
}

/// `[[competency_domain]]`: part 6, a group of workforce competencies.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencyDomain {
    pub id: String,
    pub title: String,
    pub summary: String,
}
item!(CompetencyDomain, "competency_domain", "competency domains");

/// `[[competency]]`: part 6, something a practitioner can do.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    pub id: String,
    /// A competency domain id.
    pub domain: String,
    pub statement: String,
    pub level: WorkforceLevel,
    pub sources: Vec<String>,
}
item!(Competency, "competency", "competencies");

/// `[[measure]]`: part 7, an instrument (described, never reproduced).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub id: String,
    /// e.g. `ASQ:SE-2`.
    pub acronym: String,
    pub name: String,
    pub description: String,
    pub purposes: Vec<MeasurePurpose>,
    pub focus: Vec<MeasureFocus>,
    /// Framework element ids it speaks to.
    pub elements: Vec<String>,
    /// The child's age range in months; for parent measures, the baby's age while used.
    pub age_min_months: u32,
    pub age_max_months: u32,
    /// Also used in pregnancy.
    #[serde(default)]
    pub prenatal: bool,
    pub completed_by: Vec<Completer>,
    pub format: MeasureFormat,
    /// Number of items.
    pub items: Option<u32>,
    /// Typical minutes to complete.
    pub minutes: Option<u32>,
    pub training: String,
    /// The training needed, as a level to filter on.
    pub training_level: TrainingLevel,
    pub licence: Licence,
    /// Plain words on cost.
    pub cost: String,
    /// Where and how it is used in the UK.
    pub uk_use: String,
    pub sources: Vec<String>,
}
item!(Measure, "measure", "measures");

/// `[[indicator]]`: part 7, a community indicator from official statistics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub definition: String,
    /// The source id of the official statistics.
    pub publisher: String,
    /// e.g. `local authority`.
    pub geography: String,
    /// e.g. `quarterly`.
    pub frequency: String,
    pub nations: Vec<Nation>,
}
item!(Indicator, "indicator", "community indicators");

/// `[[prevalence]]`: part 7, a published prevalence figure that local need is estimated from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prevalence {
    pub id: String,
    /// What is counted, e.g. `Postpartum psychosis`.
    pub title: String,
    /// The central rate, per [`Prevalence::per`] of the population.
    pub figure: f64,
    /// The low and high ends of the published range; equal to `figure` where none is published.
    pub low: f64,
    pub high: f64,
    /// The rate is per this many of the population: `100` for a percentage, `1000` for a rate
    /// per 1,000 maternities.
    pub per: u32,
    pub population: PrevalencePopulation,
    /// The tier of need the figure informs.
    pub tier: Tier,
    /// The nations the evidence comes from; empty when it speaks for the UK.
    #[serde(default)]
    pub nations: Vec<Nation>,
    /// The reasoning behind the figure, in plain words: who was counted, and its limits.
    pub note: String,
    pub sources: Vec<String>,
}
item!(Prevalence, "prevalence", "prevalence assumptions");

impl Prevalence {
    /// The figure as the need estimate takes it. Validated content always converts; the
    /// error is for content that skipped validation.
    pub fn assumption(&self) -> Result<Assumption, RateError> {
        Ok(Assumption {
            id: self.id.clone(),
            title: self.title.clone(),
            base: match self.population {
                PrevalencePopulation::Births => PopulationBase::Births,
                PrevalencePopulation::ChildrenAged { from, to } => {
                    PopulationBase::ChildrenAged { from, to }
                }
            },
            rate: Rate::new(self.low, self.figure, self.high, self.per)?,
            tier: self.tier,
            nations: self.nations.clone(),
            note: self.note.clone(),
            sources: self.sources.clone(),
        })
    }
}

/// The people a [`Prevalence`] rate is counted among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum PrevalencePopulation {
    /// Births or maternities in a year; babies under one stand in for them locally.
    Births,
    /// Children aged `from` to `to` whole years, inclusive.
    ChildrenAged { from: u8, to: u8 },
}

/// `[[glossary_term]]`: part 8.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryTerm {
    pub id: String,
    pub term: String,
    pub definition: String,
    /// Related glossary term ids.
    #[serde(default)]
    pub related: Vec<String>,
    /// Other spellings or forms that should link to this term.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
}
item!(GlossaryTerm, "glossary_term", "glossary terms");
