//! Part 5, the whole-system self-assessment: a round in which several partners each place
//! the partnership on the maturity levels of chosen characteristics, and the results that
//! show where they agree and where they diverge.
//!
//! Results are built from individual answers, so they are withheld until a round has at
//! least its minimum number of raters (never fewer than [`MIN_RATERS_FLOOR`]), and results
//! by sector leave out any sector with fewer raters than that.

use std::collections::BTreeMap;

use crate::vocabulary::{MaturityLevel, Sector};

/// No round shows results from fewer raters than this, so that no one rater is exposed.
pub const MIN_RATERS_FLOOR: usize = 3;
/// A new round's minimum number of raters unless the person opening it chooses more.
pub const DEFAULT_MIN_RATERS: usize = 3;
/// The largest minimum a round may ask for.
pub const MAX_MIN_RATERS: usize = 200;
/// Longest round title and evidence text (characters).
pub const TITLE_MAX: usize = 120;
pub const EVIDENCE_MAX: usize = 2000;
/// A characteristic whose agreement is at or below this is flagged as divergent.
pub const DIVERGENCE_THRESHOLD: f64 = 0.5;

/// Who may rate in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RaterScope {
    /// Members of the partnership, signed in.
    Members,
    /// Anyone who has the round's link, without an account.
    Link,
}

impl RaterScope {
    pub const fn id(self) -> &'static str {
        match self {
            Self::Members => "members",
            Self::Link => "link",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "members" => Some(Self::Members),
            "link" => Some(Self::Link),
            _ => None,
        }
    }
}

/// A round's settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSettings {
    pub title: String,
    /// Characteristic ids, in the content's order.
    pub characteristics: Vec<String>,
    pub min_raters: usize,
    pub scope: RaterScope,
    /// When true, no rater's account or name is kept with their answers.
    pub anonymous: bool,
}

/// A round's settings as a form sends them.
#[derive(Debug, Clone, Default)]
pub struct RoundFields {
    pub title: String,
    pub characteristics: Vec<String>,
    pub min_raters: String,
    pub scope: String,
    pub anonymous: bool,
}

/// A problem with one field of a form, named by the field's form name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: &'static str,
    pub message: String,
}

fn issue(field: &'static str, message: impl Into<String>) -> FieldIssue {
    FieldIssue {
        field,
        message: message.into(),
    }
}

impl RoundFields {
    /// Checks the settings against the characteristics the content knows (`known`, in
    /// the content's order), returning every problem found.
    pub fn validate(&self, known: &[&str]) -> Result<RoundSettings, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let title = self.title.trim();
        if title.is_empty() {
            issues.push(issue("title", "Enter a title for the round"));
        } else if title.chars().count() > TITLE_MAX {
            issues.push(issue(
                "title",
                format!("Title must be {TITLE_MAX} characters or fewer"),
            ));
        }
        let unknown: Vec<&String> = self
            .characteristics
            .iter()
            .filter(|id| !known.contains(&id.as_str()))
            .collect();
        if !unknown.is_empty() {
            issues.push(issue(
                "characteristics",
                format!(
                    "“{}” is not a whole-system characteristic",
                    unknown
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join("”, “")
                ),
            ));
        } else if self.characteristics.is_empty() {
            issues.push(issue(
                "characteristics",
                "Select at least one characteristic to rate",
            ));
        }
        let min_raters = match self.min_raters.trim() {
            "" => Some(DEFAULT_MIN_RATERS),
            text => match text.parse::<usize>() {
                Ok(n) if (MIN_RATERS_FLOOR..=MAX_MIN_RATERS).contains(&n) => Some(n),
                _ => {
                    issues.push(issue(
                        "min_raters",
                        format!(
                            "Minimum number of raters must be a whole number from {MIN_RATERS_FLOOR} to {MAX_MIN_RATERS}, so that no one rater can be identified"
                        ),
                    ));
                    None
                }
            },
        };
        let scope = RaterScope::parse(self.scope.trim());
        if scope.is_none() {
            issues.push(issue(
                "scope",
                "Select who can rate: partnership members, or anyone with the link",
            ));
        }
        match (min_raters, scope, issues.is_empty()) {
            (Some(min_raters), Some(scope), true) => Ok(RoundSettings {
                title: title.to_owned(),
                characteristics: known
                    .iter()
                    .filter(|id| self.characteristics.iter().any(|c| c == *id))
                    .map(|id| (*id).to_owned())
                    .collect(),
                min_raters,
                scope,
                anonymous: self.anonymous,
            }),
            _ => Err(issues),
        }
    }
}

/// One rater's placing of the partnership on one characteristic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub characteristic: String,
    pub level: MaturityLevel,
    /// What the rater bases it on (never anything that identifies a child or family).
    pub evidence: String,
}

/// One rater's answers to a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The rater's own sector, for results by sector.
    pub sector: Sector,
    pub answers: Vec<Answer>,
}

/// A rating form as sent: the sector, and for each characteristic its level and evidence.
#[derive(Debug, Clone, Default)]
pub struct ResponseFields {
    pub sector: String,
    /// (characteristic id, level id, evidence) for each characteristic of the round.
    pub answers: BTreeMap<String, (String, String)>,
}

/// The form field name for a characteristic's level, and for its evidence.
pub fn level_field(characteristic: &str) -> String {
    format!("level-{characteristic}")
}
pub fn evidence_field(characteristic: &str) -> String {
    format!("evidence-{characteristic}")
}

/// A problem with a rating form: the field's name (owned, as it names a characteristic).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseIssue {
    pub field: String,
    pub message: String,
}

impl ResponseFields {
    /// Checks the answers to a round's characteristics (`round`, as (id, title) in order).
    pub fn validate(&self, round: &[(&str, &str)]) -> Result<Response, Vec<ResponseIssue>> {
        let mut issues = Vec::new();
        let sector = match self.sector.trim().parse::<Sector>() {
            Ok(sector) => Some(sector),
            Err(_) => {
                issues.push(ResponseIssue {
                    field: "sector".into(),
                    message: "Select the sector you work in".into(),
                });
                None
            }
        };
        let mut answers = Vec::new();
        for (id, title) in round {
            let (level, evidence) = self
                .answers
                .get(*id)
                .map(|(l, e)| (l.trim(), e.trim()))
                .unwrap_or(("", ""));
            match level.parse::<MaturityLevel>() {
                Ok(level) => {
                    if evidence.chars().count() > EVIDENCE_MAX {
                        issues.push(ResponseIssue {
                            field: evidence_field(id),
                            message: format!(
                                "Evidence for {title} must be {EVIDENCE_MAX} characters or fewer"
                            ),
                        });
                    }
                    answers.push(Answer {
                        characteristic: (*id).to_owned(),
                        level,
                        evidence: evidence.to_owned(),
                    });
                }
                Err(_) => issues.push(ResponseIssue {
                    field: level_field(id),
                    message: format!("Select a maturity level for {title}"),
                }),
            }
        }
        match sector {
            Some(sector) if issues.is_empty() => Ok(Response { sector, answers }),
            _ => Err(issues),
        }
    }
}

// ----- Agreement -----

/// How many raters chose each maturity level, in [`MaturityLevel::ALL`] order.
pub type Distribution = [usize; 4];

fn level_index(level: MaturityLevel) -> usize {
    MaturityLevel::ALL
        .iter()
        .position(|candidate| *candidate == level)
        .unwrap_or(0)
}

/// Counts ratings into a distribution over the four levels.
pub fn distribution(levels: impl IntoIterator<Item = MaturityLevel>) -> Distribution {
    let mut counts = [0; 4];
    for level in levels {
        counts[level_index(level)] += 1;
    }
    counts
}

/// Agreement among raters on an ordinal scale: one minus Leik's ordinal dispersion.
///
/// Leik's measure (R. K. Leik, "A measure of ordinal consensus", *Pacific Sociological
/// Review* 9(2), 1966, pp. 85–90) works from the cumulative proportions `F_i` of the
/// first `k − 1` of `k` ordered categories:
/// `D = 2 · Σ d_i / (k − 1)`, where `d_i = F_i` if `F_i ≤ ½` and `1 − F_i` otherwise.
/// `D` is 0 when every rater chooses the same level and 1 when the raters are split
/// equally between the two extreme levels; it uses only the order of the levels, never
/// treats them as equally spaced numbers, and does not depend on which rater gave which
/// rating. Agreement is `1 − D`, so 1 is full agreement and 0 the most divergence
/// possible. With no ratings there is nothing to disagree about: 1.
pub fn agreement(counts: &Distribution) -> f64 {
    let n: usize = counts.iter().sum();
    if n == 0 {
        return 1.0;
    }
    let k = counts.len();
    let mut cumulative = 0usize;
    let mut sum = 0.0;
    for count in &counts[..k - 1] {
        cumulative += count;
        let f = cumulative as f64 / n as f64;
        sum += if f <= 0.5 { f } else { 1.0 - f };
    }
    let dispersion = 2.0 * sum / (k - 1) as f64;
    (1.0 - dispersion).clamp(0.0, 1.0)
}

/// The median rating: one level, or between two adjacent ones when an even number of
/// raters splits there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Median {
    pub lower: MaturityLevel,
    pub upper: MaturityLevel,
}

impl Median {
    /// On a 1–4 scale (emerging = 1), for charts and comparisons.
    pub fn score(self) -> f64 {
        (level_index(self.lower) + level_index(self.upper) + 2) as f64 / 2.0
    }

    pub fn label(self) -> String {
        if self.lower == self.upper {
            self.lower.label().to_owned()
        } else {
            format!(
                "Between {} and {}",
                self.lower.label(),
                self.upper.label().to_lowercase()
            )
        }
    }
}

/// The level of the `rank`-th rating (0-based) in ascending order.
fn nth_level(counts: &Distribution, rank: usize) -> MaturityLevel {
    let mut seen = 0;
    for (index, count) in counts.iter().enumerate() {
        seen += count;
        if rank < seen {
            return MaturityLevel::ALL[index];
        }
    }
    MaturityLevel::ALL[3]
}

/// The median of a non-empty distribution.
pub fn median(counts: &Distribution) -> Option<Median> {
    let n: usize = counts.iter().sum();
    if n == 0 {
        return None;
    }
    Some(Median {
        lower: nth_level(counts, (n - 1) / 2),
        upper: nth_level(counts, n / 2),
    })
}

/// The interquartile range in levels (the distance between the levels at the first and
/// third quartiles, by the nearest-rank method), a spread that ignores one outlying rater.
pub fn interquartile_range(counts: &Distribution) -> usize {
    let n: usize = counts.iter().sum();
    if n == 0 {
        return 0;
    }
    // Nearest rank: the ceil(p·n)-th value, 1-based.
    let q1 = n.div_ceil(4).max(1) - 1;
    let q3 = (3 * n).div_ceil(4).max(1) - 1;
    level_index(nth_level(counts, q3)) - level_index(nth_level(counts, q1))
}

/// The lowest and highest levels chosen.
pub fn range(counts: &Distribution) -> Option<(MaturityLevel, MaturityLevel)> {
    let low = counts.iter().position(|c| *c > 0)?;
    let high = counts.iter().rposition(|c| *c > 0)?;
    Some((MaturityLevel::ALL[low], MaturityLevel::ALL[high]))
}

/// The results for one characteristic.
#[derive(Debug, Clone, PartialEq)]
pub struct CharacteristicResult {
    pub characteristic: String,
    pub counts: Distribution,
    pub raters: usize,
    pub median: Median,
    pub range: (MaturityLevel, MaturityLevel),
    pub interquartile_range: usize,
    pub agreement: f64,
    /// The raters diverge: agreement at or below [`DIVERGENCE_THRESHOLD`]. These are the
    /// first things to talk about.
    pub divergent: bool,
}

fn result_for(characteristic: &str, counts: Distribution) -> Option<CharacteristicResult> {
    let agreement = agreement(&counts);
    Some(CharacteristicResult {
        characteristic: characteristic.to_owned(),
        raters: counts.iter().sum(),
        median: median(&counts)?,
        range: range(&counts)?,
        interquartile_range: interquartile_range(&counts),
        agreement,
        divergent: agreement <= DIVERGENCE_THRESHOLD,
        counts,
    })
}

/// Results by sector for one sector with enough raters to show.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorResults {
    pub sector: Sector,
    pub raters: usize,
    pub results: Vec<CharacteristicResult>,
}

/// A round's results, or why they are withheld.
#[derive(Debug, Clone, PartialEq)]
pub enum Results {
    /// Fewer raters than the round's minimum have answered.
    Withheld { answered: usize, needed: usize },
    Shown {
        raters: usize,
        /// Most divergent first (lowest agreement), then in the round's order.
        characteristics: Vec<CharacteristicResult>,
        by_sector: Vec<SectorResults>,
        /// How many raters' sectors have too few raters to show on their own.
        sectors_withheld: usize,
    },
}

fn results_over(characteristics: &[&str], responses: &[&Response]) -> Vec<CharacteristicResult> {
    characteristics
        .iter()
        .filter_map(|id| {
            let counts = distribution(responses.iter().flat_map(|response| {
                response
                    .answers
                    .iter()
                    .filter(|answer| answer.characteristic == *id)
                    .map(|answer| answer.level)
            }));
            result_for(id, counts)
        })
        .collect()
}

/// The results of a round over its characteristics (in order), once at least
/// `min_raters` (never below [`MIN_RATERS_FLOOR`]) have answered.
pub fn results(characteristics: &[&str], min_raters: usize, responses: &[Response]) -> Results {
    let needed = min_raters.max(MIN_RATERS_FLOOR);
    if responses.len() < needed {
        return Results::Withheld {
            answered: responses.len(),
            needed,
        };
    }
    let all: Vec<&Response> = responses.iter().collect();
    let mut overall = results_over(characteristics, &all);
    // Stable: ties keep the round's order.
    overall.sort_by(|a, b| a.agreement.total_cmp(&b.agreement));
    let mut by_sector = Vec::new();
    let mut sectors_withheld = 0;
    for sector in Sector::ALL {
        let group: Vec<&Response> = responses.iter().filter(|r| r.sector == *sector).collect();
        if group.is_empty() {
            continue;
        }
        if group.len() < needed {
            sectors_withheld += group.len();
            continue;
        }
        by_sector.push(SectorResults {
            sector: *sector,
            raters: group.len(),
            results: results_over(characteristics, &group),
        });
    }
    Results::Shown {
        raters: responses.len(),
        characteristics: overall,
        by_sector,
        sectors_withheld,
    }
}

/// How one characteristic moved between an earlier round and this one.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub characteristic: String,
    pub before: Median,
    pub after: Median,
    /// Change in the median on the 1–4 scale (positive is more mature).
    pub median_change: f64,
    pub agreement_before: f64,
    pub agreement_after: f64,
}

/// Compares the characteristics that both rounds rated.
pub fn compare(earlier: &[CharacteristicResult], now: &[CharacteristicResult]) -> Vec<Change> {
    now.iter()
        .filter_map(|after| {
            let before = earlier
                .iter()
                .find(|b| b.characteristic == after.characteristic)?;
            Some(Change {
                characteristic: after.characteristic.clone(),
                before: before.median,
                after: after.median,
                median_change: after.median.score() - before.median.score(),
                agreement_before: before.agreement,
                agreement_after: after.agreement,
            })
        })
        .collect()
}

impl Change {
    /// The move in the median in words: `No change`, `Up half a level`, `Down 1.5 levels`.
    pub fn median_change_text(&self) -> String {
        let levels = |n: f64| {
            if (n - 0.5).abs() < 1e-9 {
                "half a level".to_owned()
            } else if (n - 1.0).abs() < 1e-9 {
                "1 level".to_owned()
            } else {
                format!("{n:.1} levels")
            }
        };
        let change = self.median_change;
        if change.abs() < 1e-9 {
            "No change".to_owned()
        } else if change > 0.0 {
            format!("Up {}", levels(change))
        } else {
            format!("Down {}", levels(-change))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use MaturityLevel::{Developing, Embedded, Emerging, Established};
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn changes_in_the_median_read_in_words() {
        let change = |median_change: f64| Change {
            characteristic: "leadership".into(),
            before: median(&[1, 0, 0, 0]).unwrap(),
            after: median(&[1, 0, 0, 0]).unwrap(),
            median_change,
            agreement_before: 1.0,
            agreement_after: 1.0,
        };
        let texts: Vec<String> = [0.0, 0.5, 1.0, -1.5, 2.0]
            .map(|n| change(n).median_change_text())
            .into();
        assert_eq!(
            texts,
            [
                "No change",
                "Up half a level",
                "Up 1 level",
                "Down 1.5 levels",
                "Up 2.0 levels"
            ]
        );
    }

    #[test]
    fn worked_examples_of_agreement() {
        assert!(close(agreement(&[0, 4, 0, 0]), 1.0));
        assert!(close(agreement(&[2, 0, 0, 2]), 0.0));
        // Two and two on adjacent levels: D = 2 · ½ / 3.
        assert!(close(agreement(&[0, 2, 2, 0]), 2.0 / 3.0));
        // Two and two two levels apart: D = 2 · (½ + ½) / 3.
        assert!(close(agreement(&[2, 0, 2, 0]), 1.0 / 3.0));
        assert!(close(agreement(&[0, 0, 0, 0]), 1.0));
    }

    #[test]
    fn medians_quartiles_and_ranges() {
        let counts = distribution([Emerging, Developing, Developing, Embedded]);
        assert_eq!(counts, [1, 2, 0, 1]);
        let m = median(&counts).unwrap();
        assert_eq!(m.label(), "Developing");
        assert!(close(m.score(), 2.0));
        let split = median(&[0, 2, 2, 0]).unwrap();
        assert_eq!(split.label(), "Between Developing and established");
        assert!(close(split.score(), 2.5));
        assert_eq!(range(&counts), Some((Emerging, Embedded)));
        assert_eq!(interquartile_range(&counts), 1);
        assert_eq!(interquartile_range(&[0, 5, 0, 0]), 0);
        assert_eq!(median(&[0; 4]), None);
    }

    fn response(sector: Sector, levels: &[(&str, MaturityLevel)]) -> Response {
        Response {
            sector,
            answers: levels
                .iter()
                .map(|(id, level)| Answer {
                    characteristic: (*id).to_owned(),
                    level: *level,
                    evidence: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn results_are_withheld_below_the_minimum_and_never_below_three() {
        let two = vec![
            response(Sector::Health, &[("a", Emerging)]),
            response(Sector::Health, &[("a", Embedded)]),
        ];
        assert_eq!(
            results(&["a"], 0, &two),
            Results::Withheld {
                answered: 2,
                needed: 3
            }
        );
        let mut four = two.clone();
        four.push(response(Sector::EarlyYears, &[("a", Emerging)]));
        assert!(matches!(
            results(&["a"], 5, &four),
            Results::Withheld { needed: 5, .. }
        ));
        four.push(response(Sector::Health, &[("a", Developing)]));
        assert!(matches!(
            results(&["a"], 4, &four),
            Results::Shown { raters: 4, .. }
        ));
    }

    #[test]
    fn divergent_characteristics_come_first_and_small_sectors_are_withheld() {
        let raters = vec![
            response(Sector::Health, &[("calm", Developing), ("split", Emerging)]),
            response(Sector::Health, &[("calm", Developing), ("split", Embedded)]),
            response(Sector::Health, &[("calm", Developing), ("split", Emerging)]),
            response(
                Sector::Housing,
                &[("calm", Established), ("split", Embedded)],
            ),
        ];
        let Results::Shown {
            characteristics,
            by_sector,
            sectors_withheld,
            ..
        } = results(&["calm", "split"], 3, &raters)
        else {
            panic!("results withheld");
        };
        assert_eq!(characteristics[0].characteristic, "split");
        assert!(characteristics[0].divergent);
        assert!(!characteristics[1].divergent);
        assert_eq!(by_sector.len(), 1);
        assert_eq!(by_sector[0].sector, Sector::Health);
        assert_eq!(sectors_withheld, 1);
    }

    #[test]
    fn comparison_shows_the_change_in_median() {
        let before = vec![result_for("a", [3, 0, 0, 0]).unwrap()];
        let after = vec![
            result_for("a", [0, 0, 3, 0]).unwrap(),
            result_for("b", [0, 3, 0, 0]).unwrap(),
        ];
        let changes = compare(&before, &after);
        assert_eq!(changes.len(), 1);
        assert!(close(changes[0].median_change, 2.0));
    }

    #[test]
    fn round_settings_never_go_below_three_raters() {
        let known = ["shared-vision-leadership", "shared-understanding"];
        let fields = RoundFields {
            title: " Spring review ".into(),
            characteristics: vec!["shared-understanding".into()],
            min_raters: "2".into(),
            scope: "members".into(),
            anonymous: false,
        };
        let issues = fields.validate(&known).unwrap_err();
        assert_eq!(issues[0].field, "min_raters");
        let fields = RoundFields {
            min_raters: String::new(),
            ..fields
        };
        let settings = fields.validate(&known).unwrap();
        assert_eq!(settings.min_raters, 3);
        assert_eq!(settings.title, "Spring review");
        let bad = RoundFields {
            characteristics: vec!["made-up".into()],
            scope: "everyone".into(),
            ..RoundFields::default()
        };
        let fields: Vec<_> = bad
            .validate(&known)
            .unwrap_err()
            .into_iter()
            .map(|i| i.field)
            .collect();
        assert_eq!(fields, ["title", "characteristics", "scope"]);
    }

    #[test]
    fn a_rating_form_names_each_missing_level() {
        let round = [("a", "Alpha"), ("b", "Beta")];
        let mut fields = ResponseFields {
            sector: "health".into(),
            ..ResponseFields::default()
        };
        fields
            .answers
            .insert("a".into(), ("embedded".into(), "Board minutes".into()));
        let issues = fields.validate(&round).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].field, "level-b");
        assert_eq!(issues[0].message, "Select a maturity level for Beta");
        fields
            .answers
            .insert("b".into(), ("emerging".into(), String::new()));
        let response = fields.validate(&round).unwrap();
        assert_eq!(response.answers[0].level, Embedded);
    }

    fn levels() -> impl Strategy<Value = Vec<MaturityLevel>> {
        prop::collection::vec(prop::sample::select(MaturityLevel::ALL.to_vec()), 1..40)
    }

    proptest! {
        #[test]
        fn agreement_is_between_zero_and_one(ratings in levels()) {
            let a = agreement(&distribution(ratings));
            prop_assert!((0.0..=1.0).contains(&a));
        }

        #[test]
        fn raters_who_all_agree_agree_fully(level in prop::sample::select(MaturityLevel::ALL.to_vec()), n in 1usize..40) {
            prop_assert!(close(agreement(&distribution(vec![level; n])), 1.0));
        }

        #[test]
        fn the_order_of_raters_does_not_matter(ratings in levels(), seed in any::<u64>()) {
            let mut shuffled = ratings.clone();
            // A deterministic shuffle driven by the seed.
            let len = shuffled.len();
            for i in (1..len).rev() {
                let j = (seed.wrapping_mul(i as u64 + 7) % (i as u64 + 1)) as usize;
                shuffled.swap(i, j);
            }
            prop_assert!(close(agreement(&distribution(ratings)), agreement(&distribution(shuffled))));
        }

        #[test]
        fn splitting_raters_between_the_extremes_is_the_least_agreement(ratings in levels()) {
            let n = ratings.len();
            let split = [n / 2, 0, 0, n - n / 2];
            let a = agreement(&distribution(ratings));
            prop_assert!(agreement(&split) <= a + 1e-9);
            if n % 2 == 0 {
                prop_assert!(close(agreement(&split), 0.0));
            }
        }

        #[test]
        fn moving_one_rater_towards_the_rest_never_lowers_agreement(level in 0usize..4, n in 2usize..20) {
            // Everyone at `level` but one rater at the far end; bring that rater one step closer.
            let far = if level < 2 { 3 } else { 0 };
            let mut counts = [0; 4];
            counts[level] = n - 1;
            counts[far] += 1;
            let mut closer = counts;
            closer[far] -= 1;
            let step = if far > level { far - 1 } else { far + 1 };
            closer[step] += 1;
            prop_assert!(agreement(&closer) + 1e-9 >= agreement(&counts));
        }

        #[test]
        fn the_median_lies_within_the_range(ratings in levels()) {
            let counts = distribution(ratings);
            let m = median(&counts).unwrap();
            let (low, high) = range(&counts).unwrap();
            prop_assert!(low <= m.lower && m.upper <= high && m.lower <= m.upper);
        }
    }
}
