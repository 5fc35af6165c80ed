//! The agenda: what each item of a workshop may hold, checked from its form.

use super::*;

/// One item of a workshop's agenda, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub kind: ItemKind,
    /// The content item's id, for kinds that name one.
    pub reference: Option<String>,
    pub title: String,
    pub answer: AnswerKind,
    /// The options of a choice, or of a dot-vote over options (empty: vote on the notes).
    pub options: Vec<String>,
    /// Each participant's votes on a dot-vote item; 0 for other kinds.
    pub votes: u8,
    /// Planned minutes.
    pub minutes: u16,
    /// Seen by facilitators only.
    pub facilitator_notes: String,
    /// What participants are asked to do, in the facilitator's words; empty for the
    /// default of the item's kind and answer (see [`AgendaItem::instruction`]).
    pub instruction: String,
}

impl AgendaItem {
    /// Whether participants may post notes on this item: a note item, or a dot-vote without
    /// options (people post notes, then vote on them).
    pub fn takes_notes(&self) -> bool {
        self.answer == AnswerKind::Note
            || (self.answer == AnswerKind::DotVote && self.options.is_empty())
    }

    /// Whether participants vote on the notes of this item rather than on options.
    pub fn votes_on_notes(&self) -> bool {
        self.answer == AnswerKind::DotVote && self.options.is_empty()
    }

    /// What participants are asked to do: the facilitator's words, or the default for the
    /// kind of item and of answer.
    pub fn instruction(&self) -> String {
        let own = self.instruction.trim();
        if own.is_empty() {
            self.default_instruction()
        } else {
            own.to_owned()
        }
    }

    /// What participants are asked to do when the facilitator has not said.
    pub fn default_instruction(&self) -> String {
        match (self.kind, self.answer) {
            (ItemKind::Words, AnswerKind::Note) => {
                "What does your service call each of these? Write your words in one note, one per line, and leave out any you do not use.".to_owned()
            }
            (_, AnswerKind::Note) => "Write one point per note. You can send more than one.".to_owned(),
            (_, AnswerKind::Choice) => "Choose the answer closest to your view.".to_owned(),
            (_, AnswerKind::Discussion) => {
                "Talk this through together: there is nothing to send for this item.".to_owned()
            }
            (_, AnswerKind::Rating) => {
                "Rate from 1 (the lowest) to 5 (the highest).".to_owned()
            }
            (_, AnswerKind::DotVote) if self.options.is_empty() => format!(
                "Write your ideas as notes, then give your {} to the notes you most agree with.",
                votes_phrase(self.votes)
            ),
            (_, AnswerKind::DotVote) => format!(
                "Give your {} to the options that matter most. You can give one option more than one vote.",
                votes_phrase(self.votes)
            ),
        }
    }
}

fn votes_phrase(votes: u8) -> String {
    if votes == 1 {
        "one vote".to_owned()
    } else {
        format!("{votes} votes")
    }
}

/// The fields of an agenda item form, as typed. Options are one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFields {
    pub kind: String,
    pub reference: String,
    pub title: String,
    pub answer: String,
    pub options: String,
    pub votes: String,
    pub minutes: String,
    pub facilitator_notes: String,
    pub instruction: String,
}

impl ItemFields {
    /// The form for an existing item.
    pub fn from_item(item: &AgendaItem) -> Self {
        Self {
            kind: item.kind.id().to_owned(),
            reference: item.reference.clone().unwrap_or_default(),
            title: item.title.clone(),
            answer: item.answer.id().to_owned(),
            options: item.options.join("\n"),
            votes: if item.answer == AnswerKind::DotVote {
                item.votes.to_string()
            } else {
                String::new()
            },
            minutes: item.minutes.to_string(),
            facilitator_notes: item.facilitator_notes.clone(),
            instruction: item.instruction.clone(),
        }
    }

    /// Checks the fields. `lookup(kind, id)` gives the title of the content item a
    /// reference names, or `None` if there is no such item; a blank title takes it.
    pub fn validate(
        &self,
        lookup: impl Fn(ItemKind, &str) -> Option<String>,
    ) -> Result<AgendaItem, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let kind = match self.kind.trim().parse::<ItemKind>() {
            Ok(kind) => Some(kind),
            Err(_) => {
                problems.push(FieldProblem::new("kind", "Select what the item is about"));
                None
            }
        };
        let reference = self.reference.trim();
        let mut content_title = None;
        let reference = match kind {
            Some(kind) if kind.needs_reference() => {
                if reference.is_empty() {
                    problems.push(FieldProblem::new(
                        "reference",
                        format!("Select the {} this item is about", kind.reference_label()),
                    ));
                    None
                } else if let Some(title) = lookup(kind, reference) {
                    content_title = Some(title);
                    Some(reference.to_owned())
                } else {
                    problems.push(FieldProblem::new(
                        "reference",
                        format!(
                            "There is no {} with the id ‘{reference}’ in the toolkit",
                            kind.reference_label()
                        ),
                    ));
                    None
                }
            }
            _ => None,
        };
        let typed_title = self.title.trim();
        let title = if typed_title.is_empty() {
            content_title
                .or_else(|| (kind == Some(ItemKind::Words)).then(|| "Words we use".to_owned()))
        } else {
            Some(typed_title.to_owned())
        };
        let title = match title {
            Some(title) if title.chars().count() > ITEM_TITLE_MAX => {
                problems.push(FieldProblem::new(
                    "title",
                    format!("Title must be {ITEM_TITLE_MAX} characters or fewer"),
                ));
                title
            }
            Some(title) => title,
            None => {
                if kind == Some(ItemKind::Local) || kind.is_none() {
                    problems.push(FieldProblem::new(
                        "title",
                        "Enter the item's title or question",
                    ));
                }
                String::new()
            }
        };
        let answer = match self.answer.trim().parse::<AnswerKind>() {
            Ok(answer) => Some(answer),
            Err(_) => {
                problems.push(FieldProblem::new(
                    "answer",
                    "Select how participants answer",
                ));
                None
            }
        };
        let options: Vec<String> = self
            .options
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        match answer {
            Some(AnswerKind::Choice) if options.len() < OPTIONS_MIN => {
                problems.push(FieldProblem::new(
                    "options",
                    format!("Enter at least {OPTIONS_MIN} options, one on each line"),
                ));
            }
            Some(AnswerKind::DotVote) if options.len() == 1 => {
                problems.push(FieldProblem::new(
                    "options",
                    "Enter at least 2 options, one on each line, or none to vote on participants’ notes",
                ));
            }
            _ => {}
        }
        if options.len() > OPTIONS_MAX {
            problems.push(FieldProblem::new(
                "options",
                format!("Enter at most {OPTIONS_MAX} options"),
            ));
        }
        if let Some((line, _)) = options
            .iter()
            .enumerate()
            .find(|(_, option)| option.chars().count() > OPTION_MAX)
        {
            problems.push(FieldProblem::new(
                "options",
                format!(
                    "Option {} must be {OPTION_MAX} characters or fewer",
                    line + 1
                ),
            ));
        }
        let keeps_options = matches!(answer, Some(AnswerKind::Choice | AnswerKind::DotVote));
        let votes = if answer == Some(AnswerKind::DotVote) {
            match self.votes.trim().parse::<u8>() {
                Ok(votes) if (1..=VOTES_MAX).contains(&votes) => votes,
                _ => {
                    problems.push(FieldProblem::new(
                        "votes",
                        format!(
                            "Enter each participant’s votes as a whole number from 1 to {VOTES_MAX}"
                        ),
                    ));
                    0
                }
            }
        } else {
            0
        };
        let minutes = match self.minutes.trim() {
            "" => 10,
            text => match text.parse::<u16>() {
                Ok(minutes) if (1..=MINUTES_MAX).contains(&minutes) => minutes,
                _ => {
                    problems.push(FieldProblem::new(
                        "minutes",
                        format!("Enter the planned time as a whole number of minutes from 1 to {MINUTES_MAX}"),
                    ));
                    0
                }
            },
        };
        let facilitator_notes = bounded(
            &self.facilitator_notes,
            "facilitator_notes",
            "Facilitator notes",
            &mut problems,
        );
        let instruction = bounded(
            &self.instruction,
            "instruction",
            "The instruction",
            &mut problems,
        );
        match (kind, answer, problems.is_empty()) {
            (Some(kind), Some(answer), true) => Ok(AgendaItem {
                kind,
                reference,
                title,
                answer,
                options: if keeps_options { options } else { Vec::new() },
                votes,
                minutes,
                facilitator_notes,
                instruction,
            }),
            _ => Err(problems),
        }
    }
}

/// Free text of at most [`TEXT_MAX`] characters, trimmed.
fn bounded(
    text: &str,
    field: &'static str,
    label: &str,
    problems: &mut Vec<FieldProblem>,
) -> String {
    let text = text.trim();
    if text.chars().count() > TEXT_MAX {
        problems.push(FieldProblem::new(
            field,
            format!("{label} must be {TEXT_MAX} characters or fewer"),
        ));
    }
    text.to_owned()
}
