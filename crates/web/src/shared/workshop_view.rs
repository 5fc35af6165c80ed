//! A workshop's agenda items and what they gathered, as the facilitator's pages and the
//! participants' pages show them.

use cradle_domain::workshop::{self as rules, Answer, AnswerKind, FieldProblem, ItemKind, Phase};
use cradle_store::{StoredAnswer, StoredItem};

use crate::AppState;
use crate::shared::error::AppError;
use crate::shared::forms::FormErrors;

/// The domain's field problems as the form's errors. The item form's one "about" field
/// stands for the kind and the reference.
pub(crate) fn form_errors(problems: &[FieldProblem]) -> FormErrors {
    let mut errors = FormErrors::default();
    for problem in problems {
        let field = match problem.field {
            "kind" | "reference" => "about",
            other => other,
        };
        errors.add(field, problem.message.clone());
    }
    errors
}

/// An agenda item ready to show.
pub(crate) struct ItemView {
    pub id: String,
    /// 1-based, as people count.
    pub number: usize,
    pub title: String,
    pub kind: &'static str,
    pub answer: AnswerKind,
    pub answer_label: &'static str,
    pub votes: u8,
    pub minutes: u16,
    pub facilitator_notes: String,
    pub locked: bool,
    pub current: bool,
    /// The toolkit page about the content item, if any.
    pub link: Option<String>,
    /// What the content says, for context (a scenario's story, a characteristic's summary,
    /// a group's questions).
    pub detail: Vec<String>,
    pub takes_notes: bool,
    pub votes_on_notes: bool,
    /// What participants are asked to do.
    pub instruction: String,
}

impl ItemView {
    pub(crate) fn new(state: &AppState, stored: &StoredItem, phase: Phase) -> Self {
        let item = &stored.item;
        let content = &state.library.content;
        let reference = item.reference.as_deref().unwrap_or("");
        let (link, detail) = match item.kind {
            ItemKind::Prompt => (Some("/toolkit/shared-understanding".to_owned()), Vec::new()),
            ItemKind::PromptGroup => (
                Some("/toolkit/shared-understanding".to_owned()),
                content
                    .prompts
                    .iter()
                    .filter(|prompt| prompt.theme == reference)
                    .map(|prompt| prompt.question.clone())
                    .collect(),
            ),
            ItemKind::Scenario => (
                Some(format!("/toolkit/scenarios/{reference}")),
                content
                    .scenarios
                    .by_id(reference)
                    .map(|s| {
                        std::iter::once(s.situation.clone())
                            .chain(s.prompts.iter().cloned())
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            ItemKind::Element => (
                Some(format!("/toolkit/framework/{reference}")),
                content
                    .elements
                    .by_id(reference)
                    .map(|e| vec![e.summary.clone()])
                    .unwrap_or_default(),
            ),
            ItemKind::Characteristic => (
                Some(format!("/toolkit/whole-system/{reference}")),
                content
                    .characteristics
                    .by_id(reference)
                    .map(|c| vec![c.summary.clone()])
                    .unwrap_or_default(),
            ),
            ItemKind::Competencies => (
                Some("/toolkit/workforce".to_owned()),
                content
                    .competency_domains
                    .by_id(reference)
                    .map(|d| vec![d.summary.clone()])
                    .unwrap_or_default(),
            ),
            ItemKind::Words => (
                Some("/toolkit/shared-understanding".to_owned()),
                content
                    .words
                    .iter()
                    .map(|word| word.concept.clone())
                    .collect(),
            ),
            ItemKind::Local => (None, Vec::new()),
        };
        Self {
            id: stored.id.clone(),
            number: stored.position + 1,
            title: item.title.clone(),
            kind: item.kind.label(),
            answer: item.answer,
            answer_label: item.answer.label(),
            votes: item.votes,
            minutes: item.minutes,
            facilitator_notes: item.facilitator_notes.clone(),
            locked: stored.locked,
            current: phase.current() == Some(stored.position),
            link,
            detail,
            takes_notes: item.takes_notes(),
            votes_on_notes: item.votes_on_notes(),
            instruction: item.instruction(),
        }
    }
}

/// A visible note as shown, with its group and votes.
pub(crate) struct NoteView {
    pub id: String,
    pub text: String,
    pub cluster: Option<String>,
    pub votes: usize,
    /// "Sam, health visitor", or empty for an anonymous note.
    pub by: String,
}

/// What one item gathered: notes by group, option totals, ratings and votes.
pub(crate) struct Results {
    /// Groups of visible notes in the order made, then the ungrouped ones (name `None`).
    pub groups: Vec<(Option<String>, Vec<NoteView>)>,
    pub hidden: Vec<NoteView>,
    /// Each option with how many chose it (choice) or voted for it (dot-vote).
    pub options: Vec<(String, usize)>,
    /// How many gave each rating, 1 to 5, and the mean.
    pub ratings: Vec<(u8, usize)>,
    pub mean: Option<f64>,
    pub answer_count: usize,
}

pub(crate) struct WorkshopData {
    pub items: Vec<StoredItem>,
    pub answers: Vec<StoredAnswer>,
    pub votes: Vec<cradle_store::StoredVote>,
    pub clusters: Vec<cradle_store::Cluster>,
    pub participants: Vec<cradle_store::Participant>,
}

impl WorkshopData {
    pub(crate) async fn load(state: &AppState, workshop_id: &str) -> Result<Self, AppError> {
        Ok(Self {
            items: state.store.workshop_items(workshop_id).await?,
            answers: state.store.workshop_answers(workshop_id).await?,
            votes: state.store.workshop_votes(workshop_id).await?,
            clusters: state.store.workshop_clusters(workshop_id).await?,
            participants: state.store.participants(workshop_id).await?,
        })
    }

    fn by(&self, participant_id: &str) -> String {
        self.participants
            .iter()
            .find(|p| p.id == participant_id)
            .map(|p| {
                [
                    p.details.display_name.as_deref(),
                    p.details.profession.as_deref(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
            })
            .unwrap_or_default()
    }

    pub(crate) fn results(&self, item: &StoredItem) -> Results {
        let answers: Vec<&StoredAnswer> = self
            .answers
            .iter()
            .filter(|a| a.item_id == item.id)
            .collect();
        let votes: Vec<&str> = self
            .votes
            .iter()
            .filter(|v| v.item_id == item.id)
            .map(|v| v.target.as_str())
            .collect();
        let note = |answer: &StoredAnswer, text: &str| NoteView {
            id: answer.id.clone(),
            text: text.to_owned(),
            cluster: answer.cluster_id.as_ref().and_then(|id| {
                self.clusters
                    .iter()
                    .find(|c| &c.id == id)
                    .map(|c| c.name.clone())
            }),
            votes: votes.iter().filter(|v| **v == answer.id).count(),
            by: self.by(&answer.participant_id),
        };
        let mut visible = Vec::new();
        let mut hidden = Vec::new();
        let mut choices = Vec::new();
        let mut ratings = Vec::new();
        for answer in &answers {
            match &answer.answer {
                Answer::Note(text) if answer.hidden => hidden.push(note(answer, text)),
                Answer::Note(text) => visible.push(note(answer, text)),
                Answer::Choice(option) => choices.push(*option),
                Answer::Rating(rating) => ratings.push(*rating),
            }
        }
        let mut groups: Vec<(Option<String>, Vec<NoteView>)> = self
            .clusters
            .iter()
            .filter(|c| c.item_id == item.id)
            .map(|c| (Some(c.name.clone()), Vec::new()))
            .collect();
        let mut loose = Vec::new();
        for note in visible {
            match groups
                .iter_mut()
                .find(|(name, _)| name.is_some() && *name == note.cluster)
            {
                Some((_, notes)) => notes.push(note),
                None => loose.push(note),
            }
        }
        groups.retain(|(_, notes)| !notes.is_empty());
        if !loose.is_empty() {
            groups.push((None, loose));
        }
        let options = match item.item.answer {
            AnswerKind::Choice => item
                .item
                .options
                .iter()
                .cloned()
                .zip(rules::choice_totals(item.item.options.len(), &choices))
                .collect(),
            AnswerKind::DotVote if !item.item.options.is_empty() => item
                .item
                .options
                .iter()
                .enumerate()
                .map(|(position, option)| {
                    let target = position.to_string();
                    (
                        option.clone(),
                        votes.iter().filter(|v| **v == target).count(),
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        if item.item.votes_on_notes() {
            for (_, notes) in &mut groups {
                notes.sort_by_key(|note| std::cmp::Reverse(note.votes));
            }
        }
        Results {
            groups,
            hidden,
            options,
            ratings: (1..=rules::RATING_MAX)
                .map(|r| (r, ratings.iter().filter(|x| **x == r).count()))
                .collect(),
            mean: rules::mean_rating(&ratings),
            answer_count: answers.len() + votes.len(),
        }
    }
}
