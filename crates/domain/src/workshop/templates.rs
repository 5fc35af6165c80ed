//! Ready-made workshop agendas for the sessions partnerships run most often. Each item
//! names a content item by id (checked against the content by the content crate's tests)
//! or is written here; a workshop made from a template copies its items, which the
//! facilitator can then change.

use super::{AgendaItem, AnswerKind, FieldProblem, ItemFields, ItemKind};

/// One item of a template's agenda. A blank title takes the content item's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateItem {
    pub kind: ItemKind,
    pub reference: Option<&'static str>,
    pub title: &'static str,
    pub answer: AnswerKind,
    pub options: &'static [&'static str],
    pub votes: u8,
    pub minutes: u16,
    pub facilitator_notes: &'static str,
}

/// A ready-made workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub id: &'static str,
    pub title: &'static str,
    pub purpose: &'static str,
    pub items: &'static [TemplateItem],
}

impl TemplateItem {
    /// The item as the agenda item form would send it.
    pub fn fields(&self) -> ItemFields {
        ItemFields {
            kind: self.kind.id().into(),
            reference: self.reference.unwrap_or_default().into(),
            title: self.title.into(),
            answer: self.answer.id().into(),
            options: self.options.join("\n"),
            votes: self.votes.to_string(),
            minutes: self.minutes.to_string(),
            facilitator_notes: self.facilitator_notes.into(),
            instruction: String::new(),
        }
    }
}

impl Template {
    /// The template's agenda, each item checked as the agenda item form checks it;
    /// `lookup` is as for [`ItemFields::validate`]. The problems of the first item that does
    /// not fit the content, if any.
    pub fn agenda(
        &self,
        lookup: impl Fn(ItemKind, &str) -> Option<String>,
    ) -> Result<Vec<AgendaItem>, Vec<FieldProblem>> {
        self.items
            .iter()
            .map(|item| item.fields().validate(&lookup))
            .collect()
    }
}

const fn content(
    kind: ItemKind,
    reference: &'static str,
    answer: AnswerKind,
    minutes: u16,
    facilitator_notes: &'static str,
) -> TemplateItem {
    TemplateItem {
        kind,
        reference: Some(reference),
        title: "",
        answer,
        options: &[],
        votes: 0,
        minutes,
        facilitator_notes,
    }
}

const fn words(minutes: u16, facilitator_notes: &'static str) -> TemplateItem {
    TemplateItem {
        kind: ItemKind::Words,
        reference: None,
        title: "",
        answer: AnswerKind::Note,
        options: &[],
        votes: 0,
        minutes,
        facilitator_notes,
    }
}

const fn local(
    title: &'static str,
    answer: AnswerKind,
    options: &'static [&'static str],
    votes: u8,
    minutes: u16,
    facilitator_notes: &'static str,
) -> TemplateItem {
    TemplateItem {
        kind: ItemKind::Local,
        reference: None,
        title,
        answer,
        options,
        votes,
        minutes,
        facilitator_notes,
    }
}

use AnswerKind::{Choice, Discussion, DotVote, Note, Rating};
use ItemKind::{Characteristic, Competencies, Element, Prompt, PromptGroup, Scenario};

/// Every template, in the order the planning page offers them.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "shared-understanding",
        title: "Building a shared understanding",
        purpose: "Agree what we mean by a mentally healthy baby or young child, and the words we will use with each other and with families.",
        items: &[
            content(
                Prompt,
                "meaning-first-words",
                Note,
                10,
                "Warm-up: ask for single words or short phrases. Read a few aloud.",
            ),
            content(
                Prompt,
                "meaning-mentally-healthy-baby",
                Note,
                15,
                "Group the notes into themes with the room as they arrive.",
            ),
            words(
                20,
                "Walk through two or three words where professions differ most; ask each profession what it would say.",
            ),
            content(
                Element,
                "being-emotional-felt-safety",
                Discussion,
                10,
                "Use the framework element to test whether the room's picture covers being as well as becoming.",
            ),
            content(
                PromptGroup,
                "language",
                Note,
                15,
                "Pick the prompts that fit the room.",
            ),
            content(
                Characteristic,
                "shared-understanding",
                Rating,
                10,
                "Ask each person to rate where the partnership is today, then discuss the spread.",
            ),
            local(
                "Which words should the partnership agree to use?",
                DotVote,
                &[],
                3,
                10,
                "Participants vote on the notes from this item; add the top three to the decisions.",
            ),
        ],
    },
    Template {
        id: "socio-ecological-scenarios",
        title: "Exploring the socio-ecological model with scenarios",
        purpose: "Walk through invented families' situations to see who would notice, who would act at each level, and where the gaps are.",
        items: &[
            content(
                Prompt,
                "relationships-who-is-the-client",
                Note,
                10,
                "Opening question: keep it brief.",
            ),
            content(
                Scenario,
                "father-main-carer-low-mood",
                Note,
                25,
                "Go level by level: child, caregiving relationship, family and home, community and services, wider society.",
            ),
            content(
                Scenario,
                "refugee-family-hotel",
                Note,
                25,
                "Ask who would notice first, and what would stop them acting.",
            ),
            local(
                "Where is the biggest gap these scenarios showed?",
                Choice,
                &[
                    "Noticing early",
                    "Knowing where to refer",
                    "Waiting times",
                    "Support for the relationship",
                    "Reaching families who avoid services",
                ],
                0,
                10,
                "Show the totals, then ask the largest group to explain.",
            ),
            local(
                "Which gaps should we work on first?",
                DotVote,
                &[],
                3,
                10,
                "Participants post gaps as notes, then vote on them.",
            ),
        ],
    },
    Template {
        id: "whole-system-stock-take",
        title: "Whole-system stock-take",
        purpose: "Rate the partnership against the characteristics of a whole-system approach, see where partners agree and differ, and choose priorities.",
        items: &[
            content(
                PromptGroup,
                "local-system",
                Note,
                15,
                "Start from who touches a baby's life locally.",
            ),
            content(
                Characteristic,
                "shared-vision-leadership",
                Rating,
                10,
                "Ratings are anonymous; discuss the spread, not individuals.",
            ),
            content(Characteristic, "continuum-of-support", Rating, 10, ""),
            content(Characteristic, "integrated-pathways", Rating, 10, ""),
            content(Characteristic, "co-production", Rating, 10, ""),
            content(Characteristic, "sustainable-commissioning", Rating, 10, ""),
            local(
                "What evidence did we hear for our ratings?",
                Note,
                &[],
                0,
                10,
                "Capture the evidence people mention so the record shows why.",
            ),
            local(
                "Where should the partnership improve first?",
                DotVote,
                &[
                    "Shared vision and leadership",
                    "Continuum of support",
                    "Integrated pathways",
                    "Co-production with families",
                    "Sustainable commissioning",
                ],
                3,
                10,
                "Record the top two as decisions with actions.",
            ),
        ],
    },
    Template {
        id: "workforce",
        title: "Workforce",
        purpose: "Look at what practitioners across the partnership need to know and do, where confidence is lowest, and what training or supervision would help.",
        items: &[
            content(Prompt, "relationships-supporting-staff", Note, 10, ""),
            content(
                Competencies,
                "development-relationships",
                Rating,
                10,
                "Ask how confident people's teams are in this area, 1 (not at all) to 5 (very).",
            ),
            content(Competencies, "recognising-responding", Rating, 10, ""),
            content(Competencies, "reflective-practice", Rating, 10, ""),
            content(
                Characteristic,
                "supported-workforce",
                Discussion,
                10,
                "Compare the maturity descriptions with the room's ratings.",
            ),
            local(
                "What would most help practitioners?",
                DotVote,
                &[
                    "Shared training across services",
                    "Reflective supervision",
                    "Clear referral routes",
                    "Time with families",
                    "Specialist consultation",
                ],
                3,
                10,
                "",
            ),
        ],
    },
    Template {
        id: "understanding-need",
        title: "Understanding need",
        purpose: "Compare what the figures say about need with what services see, and decide what more the partnership needs to know.",
        items: &[
            content(
                Prompt,
                "data-how-many",
                Note,
                10,
                "Show the partnership's Estimated need page alongside.",
            ),
            content(Prompt, "data-seen-versus-need", Note, 15, ""),
            content(Prompt, "data-babies-invisible", Note, 10, ""),
            content(PromptGroup, "fairness", Note, 15, ""),
            local(
                "How well do we understand need locally?",
                Rating,
                &[],
                0,
                5,
                "",
            ),
            local(
                "What should we find out next?",
                DotVote,
                &[],
                3,
                10,
                "Participants post ideas as notes, then vote on them.",
            ),
        ],
    },
];

/// The template with this id.
pub fn template(id: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.id == id)
}
