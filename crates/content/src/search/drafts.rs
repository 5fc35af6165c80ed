//! The text of each content item as the index reads it: which fields it has and what role
//! each plays.

use super::*;

/// An item's text before indexing.
pub(super) struct Draft {
    pub(super) kind: DocKind,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) fields: Vec<(Role, String)>,
}

impl Draft {
    pub(super) fn new(kind: DocKind, id: &str, title: String) -> Self {
        Self {
            kind,
            id: id.to_owned(),
            title,
            fields: Vec::new(),
        }
    }

    pub(super) fn field(mut self, role: Role, text: impl Into<String>) -> Self {
        self.fields.push((role, text.into()));
        self
    }

    pub(super) fn fields<'a>(
        mut self,
        role: Role,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        for text in texts {
            self.fields.push((role, text.to_owned()));
        }
        self
    }
}

/// One draft per searchable item, in content order.
pub(super) fn drafts(content: &Content) -> Vec<Draft> {
    use Role::{Body, Tag, Title};
    let mut drafts = Vec::new();
    for fact in &content.facts {
        drafts.push(
            Draft::new(DocKind::Fact, &fact.id, shorten(&fact.statement))
                .field(Body, fact.statement.as_str())
                .fields(Body, fact.figure.as_deref())
                .field(Tag, fact.theme.label()),
        );
    }
    for prompt in &content.prompts {
        let theme = content.prompt_themes.by_id(&prompt.theme);
        drafts.push(
            Draft::new(DocKind::Prompt, &prompt.id, shorten(&prompt.question))
                .field(Body, prompt.question.as_str())
                .fields(Body, prompt.guidance.as_deref())
                .fields(Tag, theme.map(|theme| theme.title.as_str())),
        );
    }
    for word in &content.words {
        let mut draft = Draft::new(DocKind::Word, &word.id, shorten(&word.concept))
            .field(Title, word.concept.as_str())
            .field(Body, word.suggested.as_str());
        // One field per profession, so that a snippet shows who uses the word.
        for term in &word.terms {
            let text = match &term.note {
                Some(note) => format!("{}: {} ({note})", term.profession, term.term),
                None => format!("{}: {}", term.profession, term.term),
            };
            draft = draft.field(Body, text);
        }
        drafts.push(
            draft
                .field(Body, word.difference.as_str())
                .field(Body, word.caution.as_str()),
        );
    }
    for part in &content.system_parts {
        drafts.push(
            Draft::new(DocKind::SystemPart, &part.id, part.name.clone())
                .field(Title, part.name.as_str())
                .field(Body, part.description.as_str())
                .field(Tag, part.tier.label())
                .field(Tag, part.sector.label())
                .fields(Tag, part.nations.iter().map(|nation| nation.label())),
        );
    }
    for element in &content.elements {
        drafts.push(
            Draft::new(DocKind::Element, &element.id, element.title.clone())
                .field(Title, element.title.as_str())
                .field(Body, element.summary.as_str())
                .field(Body, element.relationships.as_str())
                .field(Body, element.language_cognition.as_str())
                .fields(Body, element.adults_support.iter().map(String::as_str))
                .fields(Body, element.stages.values().map(String::as_str))
                .field(Tag, element.dimension.label())
                .field(Tag, element.domain.label()),
        );
    }
    for level in &content.levels {
        drafts.push(
            Draft::new(DocKind::Level, level.id.id(), level.title.clone())
                .field(Title, level.title.as_str())
                .field(Body, level.summary.as_str()),
        );
    }
    for factor in &content.factors {
        drafts.push(
            Draft::new(DocKind::Factor, &factor.id, factor.name.clone())
                .field(Title, factor.name.as_str())
                .field(Body, factor.description.as_str())
                .field(Tag, factor.kind.label())
                .field(Tag, factor.level.label()),
        );
    }
    for scenario in &content.scenarios {
        drafts.push(
            Draft::new(DocKind::Scenario, &scenario.id, scenario.title.clone())
                .field(Title, scenario.title.as_str())
                .field(Body, scenario.situation.as_str())
                .field(Body, scenario.family.as_str())
                .fields(Body, scenario.prompts.iter().map(String::as_str))
                .field(Tag, scenario.nation.label())
                .field(Tag, scenario.age.label())
                .field(Tag, scenario.need.label()),
        );
    }
    for study in &content.case_studies {
        drafts.push(
            Draft::new(DocKind::CaseStudy, &study.id, study.title.clone())
                .field(Title, study.title.as_str())
                .field(Body, study.summary.as_str())
                .field(Body, study.what_they_did.as_str())
                .field(Body, study.what_changed.as_str())
                .field(Tag, study.nation.label()),
        );
    }
    for characteristic in &content.characteristics {
        drafts.push(
            Draft::new(
                DocKind::Characteristic,
                &characteristic.id,
                characteristic.title.clone(),
            )
            .field(Title, characteristic.title.as_str())
            .field(Body, characteristic.summary.as_str())
            .fields(Body, characteristic.maturity.iter().map(String::as_str))
            .fields(
                Body,
                characteristic.evidence_prompts.iter().map(String::as_str),
            ),
        );
    }
    for competency in &content.competencies {
        let domain = content.competency_domains.by_id(&competency.domain);
        drafts.push(
            Draft::new(
                DocKind::Competency,
                &competency.id,
                shorten(&competency.statement),
            )
            .field(Body, competency.statement.as_str())
            .fields(Tag, domain.map(|domain| domain.title.as_str()))
            .field(Tag, competency.level.label()),
        );
    }
    for measure in &content.measures {
        // `Whooley questions` and `Crittenden CARE-Index` already name their acronym.
        let title = if measure.name.contains(&measure.acronym) {
            measure.name.clone()
        } else {
            format!("{} – {}", measure.acronym, measure.name)
        };
        drafts.push(
            Draft::new(DocKind::Measure, &measure.id, title)
                .field(Title, measure.acronym.as_str())
                .field(Title, measure.name.as_str())
                .field(Body, measure.description.as_str())
                .field(Body, measure.uk_use.as_str())
                .field(Body, measure.training.as_str())
                .field(Body, measure.cost.as_str())
                .fields(Tag, measure.purposes.iter().map(|purpose| purpose.label()))
                .fields(Tag, measure.focus.iter().map(|focus| focus.label()))
                .fields(Tag, measure.completed_by.iter().map(|who| who.label()))
                .field(Tag, measure.format.label())
                .field(Tag, measure.licence.label()),
        );
    }
    for indicator in &content.indicators {
        drafts.push(
            Draft::new(DocKind::Indicator, &indicator.id, indicator.name.clone())
                .field(Title, indicator.name.as_str())
                .field(Body, indicator.definition.as_str())
                .field(Tag, indicator.geography.as_str())
                .field(Tag, indicator.frequency.as_str())
                .fields(Tag, indicator.nations.iter().map(|nation| nation.label())),
        );
    }
    for term in &content.glossary {
        drafts.push(
            Draft::new(DocKind::GlossaryTerm, &term.id, term.term.clone())
                .field(Title, term.term.as_str())
                .fields(Title, term.aliases.iter().map(String::as_str))
                .field(Body, term.definition.as_str()),
        );
    }
    drafts
}

/// `text` on one line, cut at a word boundary to about [`MAX_TITLE_CHARS`] characters.
pub(super) fn shorten(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_TITLE_CHARS {
        return line;
    }
    let mut short = String::new();
    for word in line.split(' ') {
        if short.chars().count() + word.chars().count() + 1 > MAX_TITLE_CHARS {
            break;
        }
        if !short.is_empty() {
            short.push(' ');
        }
        short.push_str(word);
    }
    if short.is_empty() {
        // One enormous word: cut it.
        short = line.chars().take(MAX_TITLE_CHARS).collect();
    }
    let trimmed = short.trim_end_matches(|c: char| !c.is_alphanumeric());
    format!("{trimmed}…")
}
