//! Workshops (toolkit part 2 and across all parts): an agenda of items drawn from the
//! content or written locally, run live with participants answering from their own devices,
//! and the decisions and actions that come out of them.
//!
//! Everything here is a plain rule: what an agenda item may hold, what a participant may
//! send, how many votes they have left, how fast they may send, which state changes a
//! facilitator may make, and what an action must say. The web layer and the store call
//! these; none of them touch I/O.

mod templates;

use std::fmt;
use std::str::FromStr;

use time::{Date, Duration, OffsetDateTime};

use crate::vocabulary::{TermVisitor, UnknownTerm, vocabulary};

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

vocabulary! {
    /// Where an action has got to.
    ActionStatus, "action status" {
        Open = "open", "Open";
        InProgress = "in-progress", "In progress";
        Done = "done", "Done";
    }
}

// ----- Agenda items -----

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
        let facilitator_notes = self.facilitator_notes.trim().to_owned();
        if facilitator_notes.chars().count() > TEXT_MAX {
            problems.push(FieldProblem::new(
                "facilitator_notes",
                format!("Facilitator notes must be {TEXT_MAX} characters or fewer"),
            ));
        }
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
            }),
            _ => Err(problems),
        }
    }
}

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

/// Where a workshop is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Being planned: participants can join but see a waiting page.
    Draft,
    /// Under way, showing the item at this position of the agenda (0-based).
    Running { current: usize },
    /// Over: the record stands; nobody can join or answer.
    Closed,
}

impl Phase {
    /// The stored id of the phase (the current item is stored beside it).
    pub fn id(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Running { .. } => "running",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Not started",
            Self::Running { .. } => "Running",
            Self::Closed => "Closed",
        }
    }

    /// The phase from its stored id and current position.
    pub fn from_stored(id: &str, current: Option<usize>) -> Option<Self> {
        match (id, current) {
            ("draft", _) => Some(Self::Draft),
            ("running", Some(current)) => Some(Self::Running { current }),
            ("closed", _) => Some(Self::Closed),
            _ => None,
        }
    }

    /// The current item's position, while running.
    pub fn current(self) -> Option<usize> {
        match self {
            Self::Running { current } => Some(current),
            _ => None,
        }
    }
}

/// What a facilitator asks a workshop to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Start,
    Next,
    Previous,
    /// Go straight to the item at this position.
    To(usize),
    Close,
}

/// Why a facilitator's move cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveError {
    #[error("Add at least one agenda item before starting the workshop")]
    EmptyAgenda,
    #[error("The workshop has already started")]
    AlreadyStarted,
    #[error("The workshop has not started yet")]
    NotRunning,
    #[error("The workshop is closed")]
    Closed,
    #[error("There is no item there on the agenda")]
    NoSuchItem,
}

/// The phase after `change`, for an agenda of `items` items.
pub fn apply_move(phase: Phase, change: Move, items: usize) -> Result<Phase, MoveError> {
    match (phase, change) {
        (Phase::Closed, _) => Err(MoveError::Closed),
        (_, Move::Close) => Ok(Phase::Closed),
        (Phase::Draft, Move::Start) if items == 0 => Err(MoveError::EmptyAgenda),
        (Phase::Draft, Move::Start) => Ok(Phase::Running { current: 0 }),
        (Phase::Running { .. }, Move::Start) => Err(MoveError::AlreadyStarted),
        (Phase::Draft, _) => Err(MoveError::NotRunning),
        (Phase::Running { current }, Move::Next) if current + 1 < items => Ok(Phase::Running {
            current: current + 1,
        }),
        (Phase::Running { current }, Move::Previous) if current > 0 => Ok(Phase::Running {
            current: current - 1,
        }),
        (Phase::Running { .. }, Move::To(position)) if position < items => {
            Ok(Phase::Running { current: position })
        }
        (Phase::Running { .. }, _) => Err(MoveError::NoSuchItem),
    }
}

/// Why a participant's answer or vote is refused; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("The workshop has not started yet: wait for the facilitator, then reload the page")]
    NotStarted,
    #[error("The workshop is closed, so it no longer takes answers")]
    Closed,
    #[error("The facilitator has moved on from this item: reload the page to see the current one")]
    NotCurrent,
    #[error("The facilitator has locked this item, so it no longer takes answers")]
    Locked,
    #[error("This item does not take that kind of answer")]
    WrongKind,
    #[error("Enter your note")]
    EmptyNote,
    #[error("Your note must be {NOTE_MAX} characters or fewer")]
    NoteTooLong,
    #[error("Select one of the options")]
    NoOption,
    #[error("Select a rating from 1 to {RATING_MAX}")]
    NoRating,
    #[error("You have used all {0} of your votes on this item")]
    NoVotesLeft(u8),
    #[error("Select what to vote for")]
    NoVoteTarget,
    #[error("You are sending answers too quickly: wait a minute, then try again")]
    TooFast,
}

/// Whether the item at `position` may take answers now.
pub fn check_open(phase: Phase, position: usize, locked: bool) -> Result<(), AnswerError> {
    match phase {
        Phase::Draft => Err(AnswerError::NotStarted),
        Phase::Closed => Err(AnswerError::Closed),
        Phase::Running { current } if current != position => Err(AnswerError::NotCurrent),
        Phase::Running { .. } if locked => Err(AnswerError::Locked),
        Phase::Running { .. } => Ok(()),
    }
}

/// A participant's answer to one item, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Note(String),
    /// The chosen option's position.
    Choice(usize),
    Rating(u8),
}

impl Answer {
    /// What a participant's form gives for `item`: the field of the kind of answer the item
    /// takes (a choice, a rating, or else a note), checked.
    pub fn from_form(
        item: &AgendaItem,
        choice: &str,
        rating: &str,
        note: &str,
    ) -> Result<Self, AnswerError> {
        match item.answer {
            AnswerKind::Choice => Self::choice(item, choice),
            AnswerKind::Rating => Self::rating(item, rating),
            _ => Self::note(item, note),
        }
    }

    /// A note as typed, trimmed and checked.
    pub fn note(item: &AgendaItem, text: &str) -> Result<Self, AnswerError> {
        if !item.takes_notes() {
            return Err(AnswerError::WrongKind);
        }
        let text = text.trim();
        if text.is_empty() {
            Err(AnswerError::EmptyNote)
        } else if text.chars().count() > NOTE_MAX {
            Err(AnswerError::NoteTooLong)
        } else {
            Ok(Self::Note(text.to_owned()))
        }
    }

    /// A choice, sent as the option's position.
    pub fn choice(item: &AgendaItem, option: &str) -> Result<Self, AnswerError> {
        if item.answer != AnswerKind::Choice {
            return Err(AnswerError::WrongKind);
        }
        match option.trim().parse::<usize>() {
            Ok(position) if position < item.options.len() => Ok(Self::Choice(position)),
            _ => Err(AnswerError::NoOption),
        }
    }

    /// A rating from 1 to [`RATING_MAX`].
    pub fn rating(item: &AgendaItem, rating: &str) -> Result<Self, AnswerError> {
        if item.answer != AnswerKind::Rating {
            return Err(AnswerError::WrongKind);
        }
        match rating.trim().parse::<u8>() {
            Ok(rating) if (1..=RATING_MAX).contains(&rating) => Ok(Self::Rating(rating)),
            _ => Err(AnswerError::NoRating),
        }
    }

    /// The stored kind (`note`, `choice`, `rating`) and text of the answer.
    pub fn stored(&self) -> (&'static str, String) {
        match self {
            Self::Note(text) => ("note", text.clone()),
            Self::Choice(position) => ("choice", position.to_string()),
            Self::Rating(rating) => ("rating", rating.to_string()),
        }
    }
}

/// Whether a participant who has cast `cast` votes on a dot-vote item may cast one more.
pub fn check_vote(item: &AgendaItem, cast: usize) -> Result<(), AnswerError> {
    if item.answer != AnswerKind::DotVote {
        return Err(AnswerError::WrongKind);
    }
    if cast >= usize::from(item.votes) {
        Err(AnswerError::NoVotesLeft(item.votes))
    } else {
        Ok(())
    }
}

/// Whether a participant who has sent `recent` answers and votes within the last
/// [`RATE_WINDOW`] may send another.
pub fn check_rate(recent: usize) -> Result<(), AnswerError> {
    if recent >= RATE_LIMIT {
        Err(AnswerError::TooFast)
    } else {
        Ok(())
    }
}

/// The start of the rate-limit window ending at `now`.
pub fn rate_window_start(now: OffsetDateTime) -> OffsetDateTime {
    now - RATE_WINDOW
}

/// A participant's optional display name and profession, checked. Blank means anonymous.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantDetails {
    pub display_name: Option<String>,
    pub profession: Option<String>,
}

impl ParticipantDetails {
    pub fn validate(display_name: &str, profession: &str) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut field = |name: &'static str, label: &str, value: &str| {
            let value = value.trim();
            if value.chars().count() > PARTICIPANT_FIELD_MAX {
                problems.push(FieldProblem::new(
                    name,
                    format!("{label} must be {PARTICIPANT_FIELD_MAX} characters or fewer"),
                ));
            }
            (!value.is_empty()).then(|| value.to_owned())
        };
        let display_name = field("display_name", "Your name", display_name);
        let profession = field("profession", "Your profession or role", profession);
        if problems.is_empty() {
            Ok(Self {
                display_name,
                profession,
            })
        } else {
            Err(problems)
        }
    }
}

// ----- Join codes -----

/// The characters of a join code: capitals and digits without the easily confused 0, O, 1
/// and I. Thirty-two of them, so one random byte picks one evenly.
pub const JOIN_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// How many characters a join code has: 32⁶, about a billion codes.
pub const JOIN_CODE_LENGTH: usize = 6;

/// The short code participants type to join a running workshop.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinCode(String);

impl JoinCode {
    /// A code from random bytes (the caller supplies the randomness).
    pub fn from_random(bytes: [u8; JOIN_CODE_LENGTH]) -> Self {
        Self(
            bytes
                .iter()
                .map(|byte| char::from(JOIN_ALPHABET[usize::from(byte % 32)]))
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JoinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A join code that cannot be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Enter the 6-character code shown on the facilitator’s screen, like K7QM3R")]
pub struct BadJoinCode;

impl FromStr for JoinCode {
    type Err = BadJoinCode;

    /// Reads a code as people type it: any case, with spaces or hyphens between groups.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let code: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == JOIN_CODE_LENGTH
            && code.bytes().all(|byte| JOIN_ALPHABET.contains(&byte));
        if valid {
            Ok(Self(code))
        } else {
            Err(BadJoinCode)
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

/// An action in the partnership's action log, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// What is to be done.
    pub what: String,
    /// Who will do it, as a role or organisation (free text; not an account).
    pub owner: String,
    pub due: Option<Date>,
    pub status: ActionStatus,
}

/// The fields of an action form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFields {
    pub what: String,
    pub owner: String,
    pub due: String,
    pub status: String,
}

impl ActionFields {
    pub fn from_action(action: &Action) -> Self {
        Self {
            what: action.what.clone(),
            owner: action.owner.clone(),
            due: action
                .due
                .map(|date| {
                    format!(
                        "{:04}-{:02}-{:02}",
                        date.year(),
                        u8::from(date.month()),
                        date.day()
                    )
                })
                .unwrap_or_default(),
            status: action.status.id().to_owned(),
        }
    }

    pub fn validate(&self) -> Result<Action, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let what = self.what.trim();
        if what.is_empty() {
            problems.push(FieldProblem::new("what", "Enter what is to be done"));
        } else if what.chars().count() > TEXT_MAX {
            problems.push(FieldProblem::new(
                "what",
                format!("What is to be done must be {TEXT_MAX} characters or fewer"),
            ));
        }
        let owner = self.owner.trim();
        if owner.is_empty() {
            problems.push(FieldProblem::new(
                "owner",
                "Enter who will do it, as a role or organisation",
            ));
        } else if owner.chars().count() > TITLE_MAX {
            problems.push(FieldProblem::new(
                "owner",
                format!("Who will do it must be {TITLE_MAX} characters or fewer"),
            ));
        }
        let due = match self.due.trim() {
            "" => None,
            text => match crate::services::parse_date(text) {
                Some(date) => Some(date),
                None => {
                    problems.push(FieldProblem::new(
                        "due",
                        "Enter the due date as a real date, like 2027-03-31 or 31/3/2027",
                    ));
                    None
                }
            },
        };
        let status = match self.status.trim() {
            "" => Some(ActionStatus::Open),
            text => match text.parse::<ActionStatus>() {
                Ok(status) => Some(status),
                Err(_) => {
                    problems.push(FieldProblem::new("status", "Select the action’s status"));
                    None
                }
            },
        };
        match status {
            Some(status) if problems.is_empty() => Ok(Action {
                what: what.to_owned(),
                owner: owner.to_owned(),
                due,
                status,
            }),
            _ => Err(problems),
        }
    }
}

/// A filter over the action log; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub status: Option<ActionStatus>,
    /// Matches owners containing this text, ignoring case.
    pub owner: Option<String>,
    /// Only actions from this workshop.
    pub workshop: Option<String>,
}

impl ActionFilter {
    /// Whether an action with this owner, status and workshop passes the filter.
    pub fn matches(&self, status: ActionStatus, owner: &str, workshop: Option<&str>) -> bool {
        self.status.is_none_or(|wanted| wanted == status)
            && self
                .owner
                .as_deref()
                .is_none_or(|wanted| owner.to_lowercase().contains(&wanted.trim().to_lowercase()))
            && self
                .workshop
                .as_deref()
                .is_none_or(|wanted| workshop == Some(wanted))
    }
}

#[cfg(test)]
mod tests;
