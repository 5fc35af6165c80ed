//! A workshop running live: its phases, the facilitator's moves, and what participants
//! may send, how often and how many votes.

use time::OffsetDateTime;

use super::*;

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
