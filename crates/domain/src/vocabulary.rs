//! The fixed vocabularies of the toolkit: nations, stages, tiers of need and the other closed
//! lists that content, local data and reports share.
//!
//! Every term has a stable `id` (kebab-case, as written in the content files and stored in
//! local data) and a UK English `label` for people. Serde and [`FromStr`] both use the id, and
//! [`fmt::Display`] prints it too, so that `term.to_string().parse()` round-trips; use
//! `label()` for anything a person reads.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// A value that is not in one of the fixed vocabularies.
///
/// Its message names the vocabulary and lists every allowed id, so that whoever mistyped it
/// can correct it without opening the documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTerm {
    /// The vocabulary asked for, e.g. `stage`.
    pub vocabulary: &'static str,
    /// The text that matched none of its ids.
    pub value: String,
    /// The allowed ids, in their defined order.
    pub allowed: &'static [&'static str],
}

impl fmt::Display for UnknownTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} `{}`; expected one of: {}",
            self.vocabulary,
            self.value,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for UnknownTerm {}

/// Defines a vocabulary enum with `ALL`, `IDS`, `id()`, `label()`, `FromStr`, `Display` and
/// serde support, all driven by one table so that ids and labels cannot drift apart.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $vocabulary:literal {
            $( $(#[$variant_meta:meta])* $variant:ident = $id:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
        }

        impl $name {
            /// Every term, in the toolkit's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// Every id, in the same order as [`Self::ALL`].
            pub const IDS: &'static [&'static str] = &[$($id),+];

            /// The name of this vocabulary, as used in messages.
            pub const VOCABULARY: &'static str = $vocabulary;

            /// The stable id used in content files, local data and URLs.
            pub const fn id(self) -> &'static str {
                match self {
                    $(Self::$variant => $id,)+
                }
            }

            /// The UK English name shown to people.
            pub const fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl FromStr for $name {
            type Err = UnknownTerm;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $($id => Ok(Self::$variant),)+
                    _ => Err(UnknownTerm {
                        vocabulary: $vocabulary,
                        value: text.to_owned(),
                        allowed: Self::IDS,
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(TermVisitor::<Self>::new())
            }
        }
    };
}

pub(crate) use vocabulary;

/// Deserialises any vocabulary through its `FromStr`, so that content files get the same
/// message (listing the allowed ids) as every other caller.
pub(crate) struct TermVisitor<T>(std::marker::PhantomData<T>);

impl<T> TermVisitor<T> {
    pub(crate) const fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> serde::de::Visitor<'_> for TermVisitor<T>
where
    T: FromStr<Err = UnknownTerm>,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a vocabulary id (a string)")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }
}

vocabulary! {
    /// A nation of the United Kingdom.
    Nation, "nation" {
        England = "england", "England";
        Scotland = "scotland", "Scotland";
        Wales = "wales", "Wales";
        NorthernIreland = "northern-ireland", "Northern Ireland";
    }
}

vocabulary! {
    /// A stage of early childhood, from pregnancy to five years.
    Stage, "stage" {
        Pregnancy = "pregnancy", "Pregnancy";
        ZeroToSixMonths = "0-6m", "0 to 6 months";
        SixToTwelveMonths = "6-12m", "6 to 12 months";
        OneToTwoYears = "1-2y", "1 to 2 years";
        TwoToThreeYears = "2-3y", "2 to 3 years";
        ThreeToFiveYears = "3-5y", "3 to 5 years";
    }
}

impl Stage {
    /// The child's typical age in months during this stage (start inclusive, end exclusive);
    /// `None` for pregnancy, which comes before birth.
    pub const fn months(self) -> Option<Range<u32>> {
        match self {
            Self::Pregnancy => None,
            Self::ZeroToSixMonths => Some(0..6),
            Self::SixToTwelveMonths => Some(6..12),
            Self::OneToTwoYears => Some(12..24),
            Self::TwoToThreeYears => Some(24..36),
            Self::ThreeToFiveYears => Some(36..60),
        }
    }
}

vocabulary! {
    /// A tier of need and of the services that meet it.
    Tier, "tier" {
        Universal = "universal", "Universal";
        UniversalPlus = "universal-plus", "Universal plus / early help";
        Targeted = "targeted", "Targeted";
        Specialist = "specialist", "Specialist";
        Acute = "acute", "Acute";
    }
}

vocabulary! {
    /// The sector a part of the local system belongs to.
    Sector, "sector" {
        FamilyCommunity = "family-community", "Family and community";
        Health = "health", "Health";
        LocalAuthority = "local-authority", "Local authority";
        EarlyYears = "early-years", "Early years";
        Education = "education", "Education";
        VoluntaryCommunity = "voluntary-community", "Voluntary and community sector";
        Housing = "housing", "Housing";
        Justice = "justice", "Justice";
        Other = "other", "Other";
    }
}

vocabulary! {
    /// A level of the socio-ecological model, from the child outwards, plus time.
    EcoLevel, "level" {
        Child = "child", "Child";
        Caregiving = "caregiving", "Caregiving relationships";
        Family = "family", "Family";
        Community = "community", "Community";
        Society = "society", "Society";
        Time = "time", "Time";
    }
}

vocabulary! {
    /// The two dimensions of the being and becoming framework.
    Dimension, "dimension" {
        /// Mental health now.
        Being = "being", "Being";
        /// Capacities developing for later.
        Becoming = "becoming", "Becoming";
    }
}

vocabulary! {
    /// A domain of the being and becoming framework.
    Domain, "domain" {
        Emotional = "emotional", "Emotional";
        Social = "social", "Social";
        Behavioural = "behavioural", "Behavioural";
    }
}

vocabulary! {
    /// Whether a factor raises or lowers the risk to a baby's mental health.
    FactorKind, "factor kind" {
        Risk = "risk", "Risk";
        Protective = "protective", "Protective";
    }
}

vocabulary! {
    /// How far a partnership has developed one characteristic of a whole-system approach.
    MaturityLevel, "maturity level" {
        Emerging = "emerging", "Emerging";
        Developing = "developing", "Developing";
        Established = "established", "Established";
        Embedded = "embedded", "Embedded";
    }
}

vocabulary! {
    /// A workforce level, after NHS Education for Scotland's framework.
    WorkforceLevel, "workforce level" {
        Informed = "informed", "Informed";
        Skilled = "skilled", "Skilled";
        Enhanced = "enhanced", "Enhanced";
        Specialist = "specialist", "Specialist";
    }
}

vocabulary! {
    /// What a measure is used for.
    MeasurePurpose, "measure purpose" {
        Screening = "screening", "Screening";
        Assessment = "assessment", "Assessment";
        Observation = "observation", "Observation";
        Outcome = "outcome", "Outcome measurement";
    }
}

vocabulary! {
    /// Whose mental health or behaviour a measure looks at.
    MeasureFocus, "measure focus" {
        Child = "child", "Child";
        Parent = "parent", "Parent";
        Relationship = "relationship", "Parent–child relationship";
    }
}

vocabulary! {
    /// Who completes a measure.
    Completer, "completer" {
        Parent = "parent", "Parent";
        Practitioner = "practitioner", "Practitioner";
        Observer = "observer", "Observer";
        Clinician = "clinician", "Clinician";
        Teacher = "teacher", "Teacher";
    }
}

vocabulary! {
    /// The form a measure takes.
    MeasureFormat, "measure format" {
        Questionnaire = "questionnaire", "Questionnaire";
        Observation = "observation", "Observation";
        Interview = "interview", "Interview";
        VideoCoding = "video-coding", "Video coding";
        Checklist = "checklist", "Checklist";
        RatingScale = "rating-scale", "Rating scale";
    }
}

vocabulary! {
    /// The terms on which a measure may be used.
    Licence, "licence" {
        Free = "free", "Free";
        FreeWithPermission = "free-with-permission", "Free with permission";
        Licensed = "licensed", "Licensed";
    }
}

vocabulary! {
    /// How much training a measure needs before someone uses it, from its `training` text.
    TrainingLevel, "training level" {
        NoneSpecific = "none", "No specific training";
        Course = "course", "A training course";
        Certification = "certification", "Certified training";
    }
}

vocabulary! {
    /// The theme of a fact in part 1, why it matters.
    FactTheme, "fact theme" {
        Prevalence = "prevalence", "Prevalence";
        Development = "development", "Development";
        Relationships = "relationships", "Relationships";
        Outcomes = "outcomes", "Outcomes";
        Costs = "costs", "Costs";
        Services = "services", "Services";
        Rights = "rights", "Rights";
    }
}

vocabulary! {
    /// What a person may do in one partnership. Declared from least to most, so that
    /// `Ord` reads as "at least": `role >= Role::Facilitator`.
    Role, "role" {
        /// Reads the partnership's work.
        Viewer = "viewer", "Viewer";
        /// Also adds and edits the partnership's own records.
        Contributor = "contributor", "Contributor";
        /// Also runs workshops and invites people.
        Facilitator = "facilitator", "Facilitator";
        /// Also manages the partnership itself, its members and its audit log.
        Owner = "owner", "Owner";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deserialises `text` as a TOML or JSON string would be, returning serde's message.
    fn from_serde<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
        use serde::de::value::{Error, StrDeserializer};
        T::deserialize(StrDeserializer::<Error>::new(text)).map_err(|error| error.to_string())
    }

    /// Checks that every term survives id → `FromStr`, `Display` and serde, that ids are
    /// unique kebab-case, and that labels are filled in.
    fn round_trips<T>(all: &[T], ids: &[&str])
    where
        T: FromStr<Err = UnknownTerm> + fmt::Display + fmt::Debug + PartialEq + Copy,
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        assert_eq!(all.len(), ids.len());
        for (term, id) in all.iter().zip(ids) {
            assert_eq!(id.parse::<T>().as_ref(), Ok(term));
            assert_eq!(term.to_string(), *id);
            assert!(
                id.split('-').all(|part| !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
                "{id} is not kebab-case"
            );
            assert_eq!(from_serde::<T>(id).as_ref(), Ok(term));
        }
        let mut unique = ids.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "duplicate ids in {ids:?}");
    }

    macro_rules! round_trip_tests {
        ($($test:ident: $ty:ty;)+) => {$(
            #[test]
            fn $test() {
                round_trips(<$ty>::ALL, <$ty>::IDS);
                for term in <$ty>::ALL {
                    assert!(!term.label().trim().is_empty(), "{term:?} has no label");
                }
            }
        )+};
    }

    round_trip_tests! {
        nation_round_trips: Nation;
        stage_round_trips: Stage;
        tier_round_trips: Tier;
        sector_round_trips: Sector;
        eco_level_round_trips: EcoLevel;
        dimension_round_trips: Dimension;
        domain_round_trips: Domain;
        factor_kind_round_trips: FactorKind;
        maturity_level_round_trips: MaturityLevel;
        workforce_level_round_trips: WorkforceLevel;
        measure_purpose_round_trips: MeasurePurpose;
        measure_focus_round_trips: MeasureFocus;
        completer_round_trips: Completer;
        measure_format_round_trips: MeasureFormat;
        licence_round_trips: Licence;
        training_level_round_trips: TrainingLevel;
        fact_theme_round_trips: FactTheme;
    }

    #[test]
    fn unknown_term_lists_the_allowed_ids() {
        let error = "0-3m".parse::<Stage>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown stage `0-3m`; expected one of: pregnancy, 0-6m, 6-12m, 1-2y, 2-3y, 3-5y"
        );
    }

    #[test]
    fn serde_reports_the_same_message_as_from_str() {
        assert_eq!(
            from_serde::<Nation>("ulster").unwrap_err(),
            "unknown nation `ulster`; expected one of: england, scotland, wales, northern-ireland"
        );
    }

    #[test]
    fn stages_cover_birth_to_five_without_gaps() {
        assert_eq!(Stage::Pregnancy.months(), None);
        let ranges: Vec<_> = Stage::ALL.iter().filter_map(|s| s.months()).collect();
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(60));
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }

    #[test]
    fn labels_are_written_for_people() {
        assert_eq!(Stage::ZeroToSixMonths.label(), "0 to 6 months");
        assert_eq!(Nation::NorthernIreland.label(), "Northern Ireland");
        assert_eq!(Tier::UniversalPlus.label(), "Universal plus / early help");
    }

    #[test]
    fn terms_order_as_the_toolkit_lists_them() {
        assert!(Stage::Pregnancy < Stage::ThreeToFiveYears);
        assert!(MaturityLevel::Emerging < MaturityLevel::Embedded);
    }
}
