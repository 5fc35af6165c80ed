//! Workshops: planning an agenda, running it live with participants who have no account,
//! and what they leave behind (answers, votes, the facilitator's note groups, decisions).
//! Facilitators' changes are audited in the transaction that makes them; participants'
//! answers and votes are not (they are the workshop's record themselves). Actions agreed
//! go to the partnership's action log (`crate::actions`).

use cradle_domain::workshop::{
    AgendaItem, Answer, AnswerError, MoveError, ParticipantDetails, Phase, WorkshopDetails,
};
use time::OffsetDateTime;

use crate::StoreError;

mod answer_batches;
mod outcomes;
mod planning;
mod rows;
mod running;

pub(crate) use answer_batches::AnswerQueue;
pub(crate) use rows::{corrupt, new_id, workshop_in};

/// A workshop as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWorkshop {
    pub id: String,
    pub partnership_id: String,
    pub details: WorkshopDetails,
    pub template_id: Option<String>,
    pub join_code: String,
    pub phase: Phase,
    pub created_at: OffsetDateTime,
}

/// An agenda item as stored: its id, position and whether it is locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredItem {
    pub id: String,
    pub position: usize,
    pub item: AgendaItem,
    pub locked: bool,
}

/// Someone taking part in a workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub id: String,
    pub workshop_id: String,
    pub details: ParticipantDetails,
}

/// A participant's answer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    pub id: String,
    pub item_id: String,
    pub participant_id: String,
    pub answer: Answer,
    pub hidden: bool,
    pub cluster_id: Option<String>,
    pub created_at: OffsetDateTime,
}

/// One dot of a dot-vote: an option's position, or a note's answer id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVote {
    pub item_id: String,
    pub participant_id: String,
    pub target: String,
}

/// A named group of notes on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub id: String,
    pub item_id: String,
    pub name: String,
}

/// A decision recorded for a workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: String,
    pub workshop_id: String,
    pub text: String,
    pub created_at: OffsetDateTime,
}

/// Why a participant's answer or vote was not stored.
#[derive(Debug, thiserror::Error)]
pub enum AnswerRefused {
    /// A rule of the workshop refused it; the message says what to do.
    #[error(transparent)]
    Rule(#[from] AnswerError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AnswerRefused {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(error))
    }
}

/// Why a facilitator's move was not made.
#[derive(Debug, thiserror::Error)]
pub enum MoveRefused {
    #[error(transparent)]
    Rule(#[from] MoveError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for MoveRefused {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(error))
    }
}
