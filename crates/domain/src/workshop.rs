//! Workshops (toolkit part 2 and across all parts): an agenda of items drawn from the
//! content or written locally, run live with participants answering from their own devices,
//! and the decisions and actions that come out of them.
//!
//! Everything here is a plain rule: what an agenda item may hold, what a participant may
//! send, how many votes they have left, how fast they may send, which state changes a
//! facilitator may make, and what an action must say. The web layer and the store call
//! these; none of them touch I/O.

mod agenda;
mod join_code;
mod live;
mod templates;

use std::fmt;
use std::str::FromStr;

use time::{Date, Duration};

use crate::vocabulary::{TermVisitor, UnknownTerm, vocabulary};

pub use agenda::{AgendaItem, ItemFields};
pub use join_code::{BadJoinCode, JOIN_ALPHABET, JOIN_CODE_LENGTH, JoinCode};
pub use live::{
    Answer, AnswerError, Move, MoveError, ParticipantDetails, Phase, apply_move, check_open,
    check_rate, check_vote, rate_window_start,
};
pub use templates::{TEMPLATES, Template, TemplateItem, template};

// ----- Limits -----

/// The longest workshop title, option or action owner (characters).
pub const TITLE_MAX: usize = 120;
/// The longest agenda item title or question (characters): prompt questions run long.
pub const ITEM_TITLE_MAX: usize = 300;
/// The longest purpose, facilitator note, decision or action description (characters).
pub const TEXT_MAX: usize = 2000;
/// The longest note a participant may post (characters): a sticky note, not an essay.
pub const NOTE_MAX: usize = 500;
/// The longest display name or profession a participant may give (characters).
pub const PARTICIPANT_FIELD_MAX: usize = 60;
/// The most items an agenda may have.
pub const ITEMS_MAX: usize = 40;
/// The most options a choice or dot-vote item may offer, and the fewest.
pub const OPTIONS_MAX: usize = 10;
pub const OPTIONS_MIN: usize = 2;
/// The longest an option's wording may be (characters).
pub const OPTION_MAX: usize = 80;
/// The most votes a dot-vote may give each participant.
pub const VOTES_MAX: u8 = 10;
/// The longest an agenda item may be planned to take (minutes).
pub const MINUTES_MAX: u16 = 240;
/// Ratings run from 1 to this.
pub const RATING_MAX: u8 = 5;

/// A participant may send at most this many answers and votes in [`RATE_WINDOW`]: enough
/// for anyone taking part in a discussion, too few to flood the big screen.
pub const RATE_LIMIT: usize = 12;
pub const RATE_WINDOW: Duration = Duration::minutes(1);

/// The reminder shown beside every free-text box participants and facilitators fill in.
pub const IDENTITY_REMINDER: &str = "Do not enter anything that could identify a child or family, such as names, dates of birth or addresses.";

// ----- Vocabularies -----

vocabulary! {
    /// What an agenda item is about: a piece of the toolkit's content, or written locally.
    ItemKind, "agenda item kind" {
        Prompt = "prompt", "Prompt question";
        PromptGroup = "prompt-group", "Group of prompts";
        Scenario = "scenario", "Scenario walk-through";
        Words = "words", "Words we use exercise";
        Element = "element", "Framework element";
        Characteristic = "characteristic", "Whole-system characteristic";
        Competencies = "competencies", "Workforce competency area";
        Local = "local", "Written locally";
    }
}

impl ItemKind {
    /// Whether an item of this kind names a content item (by id). The "words we use"
    /// exercise covers every word, and a local item is the facilitator's own.
    pub fn needs_reference(self) -> bool {
        !matches!(self, Self::Words | Self::Local)
    }

    /// What the reference names, for messages ("a prompt id").
    pub fn reference_label(self) -> &'static str {
        match self {
            Self::Prompt => "prompt",
            Self::PromptGroup => "prompt theme",
            Self::Scenario => "scenario",
            Self::Element => "framework element",
            Self::Characteristic => "whole-system characteristic",
            Self::Competencies => "competency domain",
            Self::Words | Self::Local => "content item",
        }
    }
}

vocabulary! {
    /// How participants answer an item.
    AnswerKind, "answer kind" {
        Note = "note", "Free-text notes";
        Choice = "choice", "Choose one option";
        Rating = "rating", "Rating from 1 to 5";
        DotVote = "dot-vote", "Dot-voting";
        Discussion = "none", "Discussion only (no answers)";
    }
}

// ----- Form problems -----

/// One problem with one form field, worded for the person filling it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field's name in the form.
    pub field: &'static str,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

// ----- The workshop itself -----

/// A workshop's details, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopDetails {
    pub title: String,
    pub date: Option<Date>,
    pub purpose: String,
}

impl WorkshopDetails {
    /// Checks a workshop's title, date (`YYYY-MM-DD` or `D/M/YYYY`, optional) and purpose.
    pub fn validate(title: &str, date: &str, purpose: &str) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let title = title.trim();
        if title.is_empty() {
            problems.push(FieldProblem::new("title", "Enter the workshop’s title"));
        } else if title.chars().count() > TITLE_MAX {
            problems.push(FieldProblem::new(
                "title",
                format!("Title must be {TITLE_MAX} characters or fewer"),
            ));
        }
        let date = match date.trim() {
            "" => None,
            text => match crate::services::parse_date(text) {
                Some(date) => Some(date),
                None => {
                    problems.push(FieldProblem::new(
                        "date",
                        "Enter the date as a real date, like 2027-03-31 or 31/3/2027",
                    ));
                    None
                }
            },
        };
        let purpose = purpose.trim();
        if purpose.chars().count() > TEXT_MAX {
            problems.push(FieldProblem::new(
                "purpose",
                format!("Purpose must be {TEXT_MAX} characters or fewer"),
            ));
        }
        if problems.is_empty() {
            Ok(Self {
                title: title.to_owned(),
                date,
                purpose: purpose.to_owned(),
            })
        } else {
            Err(problems)
        }
    }
}

// ----- Results -----

/// How many votes each target received, in the order of `targets`.
pub fn vote_totals<'a>(targets: &[&'a str], votes: &[&str]) -> Vec<(&'a str, usize)> {
    targets
        .iter()
        .map(|target| (*target, votes.iter().filter(|vote| *vote == target).count()))
        .collect()
}

/// How many chose each option, in the options' order.
pub fn choice_totals(options: usize, choices: &[usize]) -> Vec<usize> {
    (0..options)
        .map(|option| choices.iter().filter(|choice| **choice == option).count())
        .collect()
}

/// The mean of some ratings, to one decimal place, if there are any.
pub fn mean_rating(ratings: &[u8]) -> Option<f64> {
    if ratings.is_empty() {
        return None;
    }
    let sum: u32 = ratings.iter().map(|r| u32::from(*r)).sum();
    let count = u32::try_from(ratings.len()).ok()?;
    Some((f64::from(sum) / f64::from(count) * 10.0).round() / 10.0)
}

// ----- Decisions and actions -----

/// A cluster's name, checked.
pub fn cluster_name(name: &str) -> Result<String, FieldProblem> {
    let name = name.trim();
    if name.is_empty() {
        Err(FieldProblem::new("cluster", "Enter a name for the group"))
    } else if name.chars().count() > PARTICIPANT_FIELD_MAX {
        Err(FieldProblem::new(
            "cluster",
            format!("The group’s name must be {PARTICIPANT_FIELD_MAX} characters or fewer"),
        ))
    } else {
        Ok(name.to_owned())
    }
}

/// A decision's text, checked.
pub fn decision_text(text: &str) -> Result<String, FieldProblem> {
    let text = text.trim();
    if text.is_empty() {
        Err(FieldProblem::new("decision", "Enter the decision"))
    } else if text.chars().count() > TEXT_MAX {
        Err(FieldProblem::new(
            "decision",
            format!("The decision must be {TEXT_MAX} characters or fewer"),
        ))
    } else {
        Ok(text.to_owned())
    }
}

#[cfg(test)]
mod tests;
