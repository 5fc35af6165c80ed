//! Workshops: planning an agenda, running it live with participants who have no account,
//! their answers, votes and the facilitator's note groups, decisions, and the partnership's
//! action log. Facilitators' changes are audited in the transaction that makes them;
//! participants' answers and votes are not (they are the workshop's record themselves).

use cradle_domain::actions::{Action, ActionFilter, ActionStatus};
use cradle_domain::workshop::{
    AgendaItem, Answer, AnswerError, AnswerKind, ItemKind, JoinCode, Move, MoveError,
    ParticipantDetails, Phase, WorkshopDetails, apply_move, check_open, check_rate, check_vote,
    rate_window_start,
};
use serde_json::json;
use time::{Date, OffsetDateTime};

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::on_backend;
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

mod answer_batches;

pub(crate) use answer_batches::AnswerQueue;
use answer_batches::NewAnswer;

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

/// An action in the partnership's action log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAction {
    /// Stable: other records (such as a gap in the gap register) may link to it.
    pub id: String,
    pub partnership_id: String,
    pub workshop_id: Option<String>,
    /// The workshop's title, when the action came from one.
    pub workshop_title: Option<String>,
    pub action: Action,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
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

#[derive(sqlx::FromRow)]
struct WorkshopRow {
    id: String,
    partnership_id: String,
    title: String,
    workshop_date: Option<Date>,
    purpose: String,
    template_id: Option<String>,
    join_code: String,
    phase: String,
    current_position: Option<i64>,
    created_at: OffsetDateTime,
}

macro_rules! select_workshops {
    ($rest:literal) => {
        concat!(
            "SELECT id, partnership_id, title, workshop_date, purpose, template_id, join_code,
                 phase, current_position, created_at
             FROM workshops ",
            $rest
        )
    };
}

/// A workshop's phase from its stored columns.
fn stored_phase(phase: &str, current_position: Option<i64>) -> Result<Phase, StoreError> {
    let current = current_position.and_then(|position| usize::try_from(position).ok());
    Phase::from_stored(phase, current).ok_or_else(|| StoreError::Corrupt {
        what: "workshop",
        detail: format!("unknown phase {phase}"),
    })
}

fn workshop_from_row(row: WorkshopRow) -> Result<StoredWorkshop, StoreError> {
    let phase = stored_phase(&row.phase, row.current_position)?;
    Ok(StoredWorkshop {
        id: row.id,
        partnership_id: row.partnership_id,
        details: WorkshopDetails {
            title: row.title,
            date: row.workshop_date,
            purpose: row.purpose,
        },
        template_id: row.template_id,
        join_code: row.join_code,
        phase,
        created_at: row.created_at,
    })
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: String,
    position: i64,
    kind: String,
    reference: Option<String>,
    title: String,
    answer: String,
    options: String,
    votes: i64,
    minutes: i64,
    facilitator_notes: String,
    locked: bool,
}

macro_rules! select_items {
    ($rest:literal) => {
        concat!(
            "SELECT id, position, kind, reference, title, answer, options, votes, minutes,
                 facilitator_notes, locked
             FROM workshop_items ",
            $rest
        )
    };
}

fn corrupt(what: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

fn item_from_row(row: ItemRow) -> Result<StoredItem, StoreError> {
    let kind: ItemKind = row.kind.parse().map_err(|e| corrupt("agenda item", e))?;
    let answer: AnswerKind = row.answer.parse().map_err(|e| corrupt("agenda item", e))?;
    Ok(StoredItem {
        id: row.id,
        position: usize::try_from(row.position).map_err(|e| corrupt("agenda item", e))?,
        item: AgendaItem {
            kind,
            reference: row.reference,
            title: row.title,
            answer,
            options: row
                .options
                .lines()
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
            votes: u8::try_from(row.votes).map_err(|e| corrupt("agenda item", e))?,
            minutes: u16::try_from(row.minutes).map_err(|e| corrupt("agenda item", e))?,
            facilitator_notes: row.facilitator_notes,
        },
        locked: row.locked,
    })
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    id: String,
    item_id: String,
    participant_id: String,
    kind: String,
    value: String,
    hidden: bool,
    cluster_id: Option<String>,
    created_at: OffsetDateTime,
}

fn answer_from_row(row: AnswerRow) -> Result<StoredAnswer, StoreError> {
    let answer = match row.kind.as_str() {
        "note" => Answer::Note(row.value),
        "choice" => Answer::Choice(row.value.parse().map_err(|e| corrupt("answer", e))?),
        "rating" => Answer::Rating(row.value.parse().map_err(|e| corrupt("answer", e))?),
        other => return Err(corrupt("answer", format!("unknown kind {other}"))),
    };
    Ok(StoredAnswer {
        id: row.id,
        item_id: row.item_id,
        participant_id: row.participant_id,
        answer,
        hidden: row.hidden,
        cluster_id: row.cluster_id,
        created_at: row.created_at,
    })
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: String,
    partnership_id: String,
    workshop_id: Option<String>,
    workshop_title: Option<String>,
    what: String,
    owner: String,
    due: Option<Date>,
    status: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

fn action_from_row(row: ActionRow) -> Result<StoredAction, StoreError> {
    let status: ActionStatus = row.status.parse().map_err(|e| corrupt("action", e))?;
    Ok(StoredAction {
        id: row.id,
        partnership_id: row.partnership_id,
        workshop_id: row.workshop_id,
        workshop_title: row.workshop_title,
        action: Action {
            what: row.what,
            owner: row.owner,
            due: row.due,
            status,
        },
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn item_json(item: &AgendaItem) -> serde_json::Value {
    json!({
        "kind": item.kind.id(),
        "reference": item.reference,
        "title": item.title,
        "answer": item.answer.id(),
        "options": item.options,
        "votes": item.votes,
        "minutes": item.minutes,
        "facilitator_notes": item.facilitator_notes,
    })
}

fn details_json(details: &WorkshopDetails) -> serde_json::Value {
    json!({
        "title": details.title,
        "date": details.date.map(|date| date.to_string()),
        "purpose": details.purpose,
    })
}

fn action_json(action: &Action) -> serde_json::Value {
    json!({
        "what": action.what,
        "owner": action.owner,
        "due": action.due.map(|date| date.to_string()),
        "status": action.status.id(),
    })
}

fn position_i64(position: usize) -> i64 {
    i64::try_from(position).unwrap_or(i64::MAX)
}

/// Inserts an agenda item on an open transaction.
macro_rules! insert_item {
    ($conn:expr, $id:expr, $workshop_id:expr, $position:expr, $item:expr) => {{
        let item: &AgendaItem = $item;
        sqlx::query(
            "INSERT INTO workshop_items (id, workshop_id, position, kind, reference, title, answer,
                 options, votes, minutes, facilitator_notes, locked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, FALSE)",
        )
        .bind($id)
        .bind($workshop_id)
        .bind(position_i64($position))
        .bind(item.kind.id())
        .bind(&item.reference)
        .bind(&item.title)
        .bind(item.answer.id())
        .bind(item.options.join("\n"))
        .bind(i64::from(item.votes))
        .bind(i64::from(item.minutes))
        .bind(&item.facilitator_notes)
        .execute($conn)
        .await?;
    }};
}

/// Checks, on an open transaction, that the workshop belongs to the partnership; returns
/// its row. Returns `NotFound` from the enclosing function otherwise.
macro_rules! workshop_in {
    ($conn:expr, $partnership_id:expr, $workshop_id:expr) => {{
        let row: Option<WorkshopRow> =
            sqlx::query_as(select_workshops!("WHERE partnership_id = $1 AND id = $2"))
                .bind($partnership_id)
                .bind($workshop_id)
                .fetch_optional($conn)
                .await?;
        match row {
            Some(row) => workshop_from_row(row)?,
            None => return Err(StoreError::NotFound.into()),
        }
    }};
}

/// The items of a workshop on an open transaction.
macro_rules! items_of {
    ($conn:expr, $workshop_id:expr) => {{
        let rows: Vec<ItemRow> = sqlx::query_as(select_items!(
            "WHERE workshop_id = $1 ORDER BY position, id"
        ))
        .bind($workshop_id)
        .fetch_all($conn)
        .await?;
        rows.into_iter()
            .map(item_from_row)
            .collect::<Result<Vec<_>, _>>()?
    }};
}

/// Writes positions 0.. in the given order on an open transaction.
macro_rules! renumber {
    ($conn:expr, $ids:expr) => {{
        for (position, id) in $ids.iter().enumerate() {
            sqlx::query("UPDATE workshop_items SET position = $1 WHERE id = $2")
                .bind(position_i64(position))
                .bind(id)
                .execute(&mut *$conn)
                .await?;
        }
    }};
}

/// Selects items with their workshop's phase (`i` the item, `w` the workshop), for
/// [`PhasedItemRow`]; `$extra` adds columns after them.
macro_rules! select_phased_items {
    ($extra:literal, $rest:literal) => {
        concat!(
            "SELECT w.phase, w.current_position, i.workshop_id,
                 i.id, i.position, i.kind, i.reference, i.title, i.answer, i.options, i.votes,
                 i.minutes, i.facilitator_notes, i.locked",
            $extra,
            " FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id ",
            $rest
        )
    };
}
pub(crate) use select_phased_items;

/// An item with its workshop's phase: what decides whether it takes an answer now.
#[derive(sqlx::FromRow)]
struct PhasedItemRow {
    phase: String,
    current_position: Option<i64>,
    workshop_id: String,
    #[sqlx(flatten)]
    item: ItemRow,
}

impl PhasedItemRow {
    /// The item's workshop id, the item and the workshop's phase.
    fn into_parts(self) -> Result<(String, StoredItem, Phase), StoreError> {
        let phase = stored_phase(&self.phase, self.current_position)?;
        Ok((self.workshop_id, item_from_row(self.item)?, phase))
    }
}

/// A [`PhasedItemRow`] with how many answers and votes the participant sent in the
/// rate-limit window.
#[derive(sqlx::FromRow)]
struct OpenItemRow {
    recent_sends: i64,
    #[sqlx(flatten)]
    phased: PhasedItemRow,
}

/// Finds the workshop, the participant in it and the item, and checks that the item takes
/// answers now and that the participant is not sending too fast, on an open transaction
/// (for votes; answers are judged in batches by `answer_batches`, to the same rules).
macro_rules! open_item {
    ($conn:expr, $workshop_id:expr, $participant_id:expr, $item_id:expr, $at:expr) => {{
        // Writing first takes the write lock at once: on SQLite a transaction that read
        // first fails outright when another wrote meanwhile; on PostgreSQL it locks the
        // participant's row, so one participant's answers are counted one at a time
        // (for the rate limit and the vote allowance) while others' run in parallel.
        let known = sqlx::query(
            "UPDATE workshop_participants SET workshop_id = workshop_id WHERE id = $1 AND workshop_id = $2",
        )
        .bind($participant_id)
        .bind($workshop_id)
        .execute(&mut *$conn)
        .await?
        .rows_affected();
        if known != 1 {
            return Err(StoreError::NotFound.into());
        }
        let row: Option<OpenItemRow> = sqlx::query_as(select_phased_items!(
            ", (SELECT COUNT(*) FROM workshop_answers
                WHERE participant_id = $3 AND created_at > $4)
               + (SELECT COUNT(*) FROM workshop_votes
                  WHERE participant_id = $3 AND created_at > $4) AS recent_sends",
            "WHERE i.workshop_id = $1 AND i.id = $2"
        ))
        .bind($workshop_id)
        .bind($item_id)
        .bind($participant_id)
        .bind(DbTime::from(rate_window_start($at)))
        .fetch_optional(&mut *$conn)
        .await?;
        // An item not in this workshop is not one the participant can answer now.
        let Some(row) = row else {
            return Err(AnswerError::NotCurrent.into());
        };
        let (_, item, phase) = row.phased.into_parts()?;
        check_open(phase, item.position, item.locked)?;
        check_rate(usize::try_from(row.recent_sends).unwrap_or(usize::MAX))?;
        item
    }};
}

impl Store {
    // ----- Planning -----

    /// A partnership's workshops, newest first.
    pub async fn workshops(&self, partnership_id: &str) -> Result<Vec<StoredWorkshop>, StoreError> {
        let rows: Vec<WorkshopRow> = on_backend!(self, pool => {
            sqlx::query_as(select_workshops!(
                "WHERE partnership_id = $1 ORDER BY created_at DESC, id"
            ))
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(workshop_from_row).collect()
    }

    /// One workshop of a partnership, or `None` (also for another partnership's).
    pub async fn workshop(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredWorkshop>, StoreError> {
        let row: Option<WorkshopRow> = on_backend!(self, pool => {
            sqlx::query_as(select_workshops!("WHERE partnership_id = $1 AND id = $2"))
                .bind(partnership_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(workshop_from_row).transpose()
    }

    /// The workshop a participant has joined (no partnership is known to them).
    pub async fn workshop_by_id(&self, id: &str) -> Result<Option<StoredWorkshop>, StoreError> {
        let row: Option<WorkshopRow> = on_backend!(self, pool => {
            sqlx::query_as(select_workshops!("WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(workshop_from_row).transpose()
    }

    /// The workshop with this join code.
    pub async fn workshop_by_code(
        &self,
        code: &JoinCode,
    ) -> Result<Option<StoredWorkshop>, StoreError> {
        let row: Option<WorkshopRow> = on_backend!(self, pool => {
            sqlx::query_as(select_workshops!("WHERE join_code = $1"))
                .bind(code.as_str())
                .fetch_optional(pool)
                .await?
        });
        row.map(workshop_from_row).transpose()
    }

    /// Makes a workshop with its agenda, audited as `workshop.create`.
    /// [`StoreError::KeyTaken`] if another workshop has the join code (make another and
    /// try again); [`StoreError::NotFound`] if there is no such partnership.
    pub async fn create_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        details: &WorkshopDetails,
        template_id: Option<&str>,
        items: &[AgendaItem],
        join_code: &JoinCode,
    ) -> Result<String, StoreError> {
        self.insert_workshop(
            Some(&actor.user_id),
            partnership_id,
            details,
            template_id,
            items,
            join_code,
        )
        .await
    }

    /// Makes the demo partnership's example workshop, already running at its first item,
    /// audited as made by Cradle itself.
    pub async fn create_demo_workshop(
        &self,
        partnership_id: &str,
        details: &WorkshopDetails,
        template_id: Option<&str>,
        items: &[AgendaItem],
        join_code: &JoinCode,
    ) -> Result<String, StoreError> {
        let id = self
            .insert_workshop(None, partnership_id, details, template_id, items, join_code)
            .await?;
        on_backend!(self, pool => {
            sqlx::query("UPDATE workshops SET phase = 'running', current_position = 0 WHERE id = $1")
                .bind(&id)
                .execute(pool)
                .await?;
        });
        Ok(id)
    }

    async fn insert_workshop(
        &self,
        actor_user_id: Option<&str>,
        partnership_id: &str,
        details: &WorkshopDetails,
        template_id: Option<&str>,
        items: &[AgendaItem],
        join_code: &JoinCode,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let taken: Option<(String,)> =
                sqlx::query_as("SELECT id FROM workshops WHERE join_code = $1")
                    .bind(join_code.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::KeyTaken);
            }
            sqlx::query(
                "INSERT INTO workshops (id, partnership_id, title, workshop_date, purpose,
                     template_id, join_code, phase, current_position, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', NULL, $8, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&details.title)
            .bind(details.date)
            .bind(&details.purpose)
            .bind(template_id)
            .bind(join_code.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for (position, item) in items.iter().enumerate() {
                insert_item!(&mut *tx, new_id(), &id, position, item);
            }
            let mut after = details_json(details);
            after["template"] = json!(template_id);
            after["items"] = json!(items.len());
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id,
                action: "workshop.create",
                entity: "workshop",
                entity_id: &id,
                before: None,
                after: Some(after),
            });
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes a workshop's title, date and purpose, audited as `workshop.update`.
    pub async fn update_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        details: &WorkshopDetails,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let before = workshop_in!(&mut *tx, partnership_id, id);
            sqlx::query(
                "UPDATE workshops SET title = $1, workshop_date = $2, purpose = $3, updated_at = $4
                 WHERE id = $5",
            )
            .bind(&details.title)
            .bind(details.date)
            .bind(&details.purpose)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.update",
                entity: "workshop",
                entity_id: id,
                before: Some(details_json(&before.details)),
                after: Some(details_json(details)),
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes a workshop with its agenda, participants, answers, votes, note groups and
    /// decisions, audited as `workshop.delete`. Its actions stay in the partnership's
    /// action log, no longer linked to it. [`StoreError::NotFound`] if the partnership
    /// has no such workshop.
    pub async fn delete_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let before = workshop_in!(&mut *tx, partnership_id, id);
            let (answers,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM workshop_answers WHERE workshop_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query("DELETE FROM workshops WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let mut record = details_json(&before.details);
            record["join_code"] = json!(before.join_code);
            record["answers"] = json!(answers);
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.delete",
                entity: "workshop",
                entity_id: id,
                before: Some(record),
                after: None,
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// A workshop's agenda, in order.
    pub async fn workshop_items(&self, workshop_id: &str) -> Result<Vec<StoredItem>, StoreError> {
        let rows: Vec<ItemRow> = on_backend!(self, pool => {
            sqlx::query_as(select_items!("WHERE workshop_id = $1 ORDER BY position, id"))
                .bind(workshop_id)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(item_from_row).collect()
    }

    /// Adds an item at the end of the agenda, audited as `workshop.item.create`.
    pub async fn add_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item: &AgendaItem,
    ) -> Result<String, StoreError> {
        let id = new_id();
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM workshop_items WHERE workshop_id = $1")
                    .bind(workshop_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let position = usize::try_from(count).unwrap_or(usize::MAX);
            insert_item!(&mut *tx, &id, workshop_id, position, item);
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.item.create",
                entity: "workshop",
                entity_id: workshop_id,
                before: None,
                after: Some(item_json(item)),
            });
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes an agenda item, audited as `workshop.item.update`.
    pub async fn update_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
        item: &AgendaItem,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let items = items_of!(&mut *tx, workshop_id);
            let Some(before) = items.iter().find(|stored| stored.id == item_id) else {
                return Err(StoreError::NotFound);
            };
            sqlx::query(
                "UPDATE workshop_items SET kind = $1, reference = $2, title = $3, answer = $4,
                     options = $5, votes = $6, minutes = $7, facilitator_notes = $8
                 WHERE id = $9",
            )
            .bind(item.kind.id())
            .bind(&item.reference)
            .bind(&item.title)
            .bind(item.answer.id())
            .bind(item.options.join("\n"))
            .bind(i64::from(item.votes))
            .bind(i64::from(item.minutes))
            .bind(&item.facilitator_notes)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.item.update",
                entity: "workshop",
                entity_id: workshop_id,
                before: Some(item_json(&before.item)),
                after: Some(item_json(item)),
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes an agenda item (with its answers), audited as `workshop.item.delete`. A
    /// running workshop keeps showing the same item where it can.
    pub async fn remove_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let items = items_of!(&mut *tx, workshop_id);
            let Some(removed) = items.iter().find(|stored| stored.id == item_id) else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("DELETE FROM workshop_items WHERE id = $1")
                .bind(item_id)
                .execute(&mut *tx)
                .await?;
            let rest: Vec<&str> = items
                .iter()
                .filter(|stored| stored.id != item_id)
                .map(|stored| stored.id.as_str())
                .collect();
            renumber!(&mut *tx, rest);
            if let Phase::Running { current } = workshop.phase {
                let current = if current > removed.position { current - 1 } else { current };
                let current = current.min(rest.len().saturating_sub(1));
                let phase = if rest.is_empty() { "draft" } else { "running" };
                sqlx::query("UPDATE workshops SET phase = $1, current_position = $2 WHERE id = $3")
                    .bind(phase)
                    .bind((!rest.is_empty()).then(|| position_i64(current)))
                    .bind(workshop_id)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.item.delete",
                entity: "workshop",
                entity_id: workshop_id,
                before: Some(item_json(&removed.item)),
                after: None,
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves an agenda item one place up (earlier) or down, audited as
    /// `workshop.item.move`. Moving the first item up or the last down changes nothing.
    /// A running workshop keeps showing the item it was showing.
    pub async fn move_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
        up: bool,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let items = items_of!(&mut *tx, workshop_id);
            let Some(from) = items.iter().position(|stored| stored.id == item_id) else {
                return Err(StoreError::NotFound);
            };
            let to = if up { from.checked_sub(1) } else { Some(from + 1).filter(|to| *to < items.len()) };
            if let Some(to) = to {
                let mut ids: Vec<&str> = items.iter().map(|stored| stored.id.as_str()).collect();
                ids.swap(from, to);
                renumber!(&mut *tx, ids);
                if let Phase::Running { current } = workshop.phase {
                    let current = if current == from { to } else if current == to { from } else { current };
                    sqlx::query("UPDATE workshops SET current_position = $1 WHERE id = $2")
                        .bind(position_i64(current))
                        .bind(workshop_id)
                        .execute(&mut *tx)
                        .await?;
                }
                insert_audit!(&mut *tx, AuditRecord {
                    partnership_id,
                    actor_user_id: Some(&actor.user_id),
                    action: "workshop.item.move",
                    entity: "workshop",
                    entity_id: workshop_id,
                    before: Some(json!({ "item": item_id, "position": from })),
                    after: Some(json!({ "item": item_id, "position": to })),
                });
            }
            tx.commit().await?;
        });
        Ok(())
    }

    // ----- Running -----

    /// Starts, moves through or closes a workshop, audited as `workshop.move`. Returns the
    /// new phase.
    pub async fn move_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        change: Move,
    ) -> Result<Phase, MoveRefused> {
        let at = DbTime::from(now());
        let phase = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound.into());
            }
            let workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let items = items_of!(&mut *tx, workshop_id);
            let phase = apply_move(workshop.phase, change, items.len())?;
            sqlx::query(
                "UPDATE workshops SET phase = $1, current_position = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(phase.id())
            .bind(phase.current().map(position_i64))
            .bind(at)
            .bind(workshop_id)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.move",
                entity: "workshop",
                entity_id: workshop_id,
                before: Some(json!({ "phase": workshop.phase.id(), "current": workshop.phase.current() })),
                after: Some(json!({ "phase": phase.id(), "current": phase.current() })),
            });
            tx.commit().await?;
            phase
        });
        Ok(phase)
    }

    /// Locks or unlocks an item, audited as `workshop.item.lock` or `.unlock`.
    pub async fn set_item_locked(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
        locked: bool,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let changed = sqlx::query(
                "UPDATE workshop_items SET locked = $1 WHERE id = $2 AND workshop_id = $3",
            )
            .bind(locked)
            .bind(item_id)
            .bind(workshop_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: if locked { "workshop.item.lock" } else { "workshop.item.unlock" },
                entity: "workshop",
                entity_id: workshop_id,
                before: None,
                after: Some(json!({ "item": item_id })),
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds a participant to a workshop that is not closed. [`StoreError::NotFound`] for
    /// a closed or unknown workshop.
    pub async fn join_workshop(
        &self,
        workshop_id: &str,
        details: &ParticipantDetails,
    ) -> Result<Participant, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        let inserted = on_backend!(self, pool => {
            sqlx::query(
                "INSERT INTO workshop_participants (id, workshop_id, display_name, profession, joined_at)
                 SELECT $1, id, $2, $3, $4 FROM workshops WHERE id = $5 AND phase <> 'closed'",
            )
            .bind(&id)
            .bind(&details.display_name)
            .bind(&details.profession)
            .bind(at)
            .bind(workshop_id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if inserted != 1 {
            return Err(StoreError::NotFound);
        }
        Ok(Participant {
            id,
            workshop_id: workshop_id.to_owned(),
            details: details.clone(),
        })
    }

    /// A workshop's participants, in the order they joined.
    pub async fn participants(&self, workshop_id: &str) -> Result<Vec<Participant>, StoreError> {
        let rows: Vec<(String, Option<String>, Option<String>)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, display_name, profession FROM workshop_participants
                 WHERE workshop_id = $1 ORDER BY joined_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, display_name, profession)| Participant {
                id,
                workshop_id: workshop_id.to_owned(),
                details: ParticipantDetails {
                    display_name,
                    profession,
                },
            })
            .collect())
    }

    /// Stores a participant's answer to an item, if the item takes answers now and the
    /// participant is within the rate limit. A choice or rating replaces the participant's
    /// earlier one on the same item; notes add up. Not audited: answers are the record.
    pub async fn submit_answer(
        &self,
        workshop_id: &str,
        participant_id: &str,
        item_id: &str,
        answer: &Answer,
    ) -> Result<String, AnswerRefused> {
        let answer = answer.clone();
        self.answer_item(
            workshop_id,
            participant_id,
            item_id,
            move |_| Ok(answer),
            None,
        )
        .await
    }

    /// As [`Store::submit_answer`], with the answer made from the item once it is found
    /// (`make` says whether what was sent fits it), so that the caller need not read the
    /// item first. Once it is stored, its id is published on `announce_on`, if given;
    /// that failing is logged, since the answer stands.
    ///
    /// Answers arriving together are stored together (see `answer_batches`), each judged
    /// by the same rules as if it came alone.
    pub async fn answer_item(
        &self,
        workshop_id: &str,
        participant_id: &str,
        item_id: &str,
        make: impl FnOnce(&AgendaItem) -> Result<Answer, AnswerError> + Send + 'static,
        announce_on: Option<&str>,
    ) -> Result<String, AnswerRefused> {
        self.write_answer(NewAnswer {
            workshop_id: workshop_id.to_owned(),
            participant_id: participant_id.to_owned(),
            item_id: item_id.to_owned(),
            make: Box::new(make),
            announce_on: announce_on.map(str::to_owned),
        })
        .await
    }

    /// Stores one vote of a participant on a dot-vote item: `target` is an option's
    /// position, or the id of a visible note on the item when it votes on notes.
    pub async fn cast_vote(
        &self,
        workshop_id: &str,
        participant_id: &str,
        item_id: &str,
        target: &str,
    ) -> Result<(), AnswerRefused> {
        let at = now();
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let item = open_item!(&mut *tx, workshop_id, participant_id, item_id, at);
            let valid = if item.item.votes_on_notes() {
                let note: Option<(String,)> = sqlx::query_as(
                    "SELECT id FROM workshop_answers
                     WHERE id = $1 AND item_id = $2 AND kind = 'note' AND NOT hidden",
                )
                .bind(target)
                .bind(item_id)
                .fetch_optional(&mut *tx)
                .await?;
                note.is_some()
            } else {
                target.parse::<usize>().is_ok_and(|option| option < item.item.options.len())
            };
            if !valid {
                return Err(AnswerError::NoVoteTarget.into());
            }
            let (cast,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM workshop_votes WHERE item_id = $1 AND participant_id = $2",
            )
            .bind(item_id)
            .bind(participant_id)
            .fetch_one(&mut *tx)
            .await?;
            check_vote(&item.item, usize::try_from(cast).unwrap_or(usize::MAX))?;
            sqlx::query(
                "INSERT INTO workshop_votes (id, workshop_id, item_id, participant_id, target, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(workshop_id)
            .bind(item_id)
            .bind(participant_id)
            .bind(target)
            .bind(DbTime::from(at))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every answer in a workshop, hidden ones included, oldest first.
    pub async fn workshop_answers(
        &self,
        workshop_id: &str,
    ) -> Result<Vec<StoredAnswer>, StoreError> {
        let rows: Vec<AnswerRow> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, item_id, participant_id, kind, value, hidden, cluster_id, created_at
                 FROM workshop_answers WHERE workshop_id = $1 ORDER BY created_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(answer_from_row).collect()
    }

    /// Every vote in a workshop.
    pub async fn workshop_votes(&self, workshop_id: &str) -> Result<Vec<StoredVote>, StoreError> {
        let rows: Vec<(String, String, String)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT item_id, participant_id, target FROM workshop_votes
                 WHERE workshop_id = $1 ORDER BY created_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(item_id, participant_id, target)| StoredVote {
                item_id,
                participant_id,
                target,
            })
            .collect())
    }

    /// Hides a note (or shows it again), audited as `workshop.answer.hide` or `.show`.
    /// A hidden note's votes stop counting toward nothing: they are kept but not shown.
    pub async fn set_answer_hidden(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        answer_id: &str,
        hidden: bool,
    ) -> Result<(), StoreError> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let changed = sqlx::query(
                "UPDATE workshop_answers SET hidden = $1 WHERE id = $2 AND workshop_id = $3",
            )
            .bind(hidden)
            .bind(answer_id)
            .bind(workshop_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: if hidden { "workshop.answer.hide" } else { "workshop.answer.show" },
                entity: "workshop",
                entity_id: workshop_id,
                before: None,
                after: Some(json!({ "answer": answer_id })),
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// A workshop's note groups.
    pub async fn workshop_clusters(&self, workshop_id: &str) -> Result<Vec<Cluster>, StoreError> {
        let rows: Vec<(String, String, String)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, item_id, name FROM workshop_clusters
                 WHERE workshop_id = $1 ORDER BY created_at, name",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, item_id, name)| Cluster { id, item_id, name })
            .collect())
    }

    /// Puts a note into the group of that name on its item (made if need be), or takes it
    /// out of any group with `None`. Groups left empty are removed. Audited as
    /// `workshop.answer.group`.
    pub async fn group_answer(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        answer_id: &str,
        cluster: Option<&str>,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            let item: Option<(String,)> = sqlx::query_as(
                "SELECT item_id FROM workshop_answers WHERE id = $1 AND workshop_id = $2 AND kind = 'note'",
            )
            .bind(answer_id)
            .bind(workshop_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((item_id,)) = item else {
                return Err(StoreError::NotFound);
            };
            let cluster_id = match cluster {
                Some(name) => {
                    let existing: Option<(String,)> = sqlx::query_as(
                        "SELECT id FROM workshop_clusters WHERE item_id = $1 AND name = $2",
                    )
                    .bind(&item_id)
                    .bind(name)
                    .fetch_optional(&mut *tx)
                    .await?;
                    match existing {
                        Some((id,)) => Some(id),
                        None => {
                            let id = new_id();
                            sqlx::query(
                                "INSERT INTO workshop_clusters (id, workshop_id, item_id, name, created_at)
                                 VALUES ($1, $2, $3, $4, $5)",
                            )
                            .bind(&id)
                            .bind(workshop_id)
                            .bind(&item_id)
                            .bind(name)
                            .bind(at)
                            .execute(&mut *tx)
                            .await?;
                            Some(id)
                        }
                    }
                }
                None => None,
            };
            sqlx::query("UPDATE workshop_answers SET cluster_id = $1 WHERE id = $2")
                .bind(&cluster_id)
                .bind(answer_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "DELETE FROM workshop_clusters WHERE item_id = $1 AND NOT EXISTS
                     (SELECT 1 FROM workshop_answers WHERE cluster_id = workshop_clusters.id)",
            )
            .bind(&item_id)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.answer.group",
                entity: "workshop",
                entity_id: workshop_id,
                before: None,
                after: Some(json!({ "answer": answer_id, "group": cluster })),
            });
            tx.commit().await?;
        });
        Ok(())
    }

    // ----- After: decisions and actions -----

    /// Records a decision of a workshop, audited as `workshop.decision`.
    pub async fn add_decision(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        text: &str,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            sqlx::query(
                "INSERT INTO workshop_decisions (id, workshop_id, text, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&id)
            .bind(workshop_id)
            .bind(text)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "workshop.decision",
                entity: "workshop",
                entity_id: workshop_id,
                before: None,
                after: Some(json!({ "decision": text })),
            });
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A workshop's decisions, oldest first.
    pub async fn decisions(&self, workshop_id: &str) -> Result<Vec<Decision>, StoreError> {
        let rows: Vec<(String, String, OffsetDateTime)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, text, created_at FROM workshop_decisions
                 WHERE workshop_id = $1 ORDER BY created_at, id",
            )
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, text, created_at)| Decision {
                id,
                workshop_id: workshop_id.to_owned(),
                text,
                created_at,
            })
            .collect())
    }

    /// Adds an action to the partnership's log, from a workshop of the partnership or
    /// none, audited as `action.create`. Returns its stable id.
    pub async fn create_action(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: Option<&str>,
        action: &Action,
    ) -> Result<String, StoreError> {
        self.insert_action(actor, partnership_id, workshop_id, None, action)
            .await
    }

    /// Adds an action to the partnership's log that answers a gap in its gap register
    /// (`finding:<id>` or `coverage:<wording>`; see migration 0008), in one transaction,
    /// audited as `action.create` with the gap. A gap has at most one action: linking a
    /// second is refused with [`StoreError::GapHasAction`].
    pub async fn create_action_for_gap(
        &self,
        actor: &Actor,
        partnership_id: &str,
        gap_key: &str,
        action: &Action,
    ) -> Result<String, StoreError> {
        self.insert_action(actor, partnership_id, None, Some(gap_key), action)
            .await
    }

    /// The gaps of a partnership's register that have an action: gap key → action id.
    pub async fn gap_actions(
        &self,
        partnership_id: &str,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let rows: Vec<(String, String)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT gap_key, action_id FROM gap_actions WHERE partnership_id = $1")
                .bind(partnership_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().collect())
    }

    async fn insert_action(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: Option<&str>,
        gap_key: Option<&str>,
        action: &Action,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            if let Some(workshop_id) = workshop_id {
                let _workshop = workshop_in!(&mut *tx, partnership_id, workshop_id);
            }
            sqlx::query(
                "INSERT INTO actions (id, partnership_id, workshop_id, what, owner, due, status,
                     created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(workshop_id)
            .bind(&action.what)
            .bind(&action.owner)
            .bind(action.due)
            .bind(action.status.id())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if let Some(gap_key) = gap_key {
                let linked = sqlx::query(
                    "INSERT INTO gap_actions (partnership_id, gap_key, action_id) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                )
                .bind(partnership_id)
                .bind(gap_key)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
                if linked.rows_affected() == 0 {
                    return Err(StoreError::GapHasAction);
                }
            }
            let mut after = action_json(action);
            after["workshop"] = json!(workshop_id);
            if let Some(gap_key) = gap_key {
                after["gap"] = json!(gap_key);
            }
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "action.create",
                entity: "action",
                entity_id: &id,
                before: None,
                after: Some(after),
            });
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes an action, audited as `action.update` with the before and after.
    pub async fn update_action(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        action: &Action,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            if !lock_partnership!(&mut *tx, partnership_id) {
                return Err(StoreError::NotFound);
            }
            let row: Option<ActionRow> = sqlx::query_as(
                "SELECT a.id, a.partnership_id, a.workshop_id, w.title AS workshop_title, a.what,
                     a.owner, a.due, a.status, a.created_at, a.updated_at
                 FROM actions a LEFT JOIN workshops w ON w.id = a.workshop_id
                 WHERE a.partnership_id = $1 AND a.id = $2",
            )
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Err(StoreError::NotFound);
            };
            let before = action_from_row(row)?;
            sqlx::query(
                "UPDATE actions SET what = $1, owner = $2, due = $3, status = $4, updated_at = $5
                 WHERE id = $6",
            )
            .bind(&action.what)
            .bind(&action.owner)
            .bind(action.due)
            .bind(action.status.id())
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            insert_audit!(&mut *tx, AuditRecord {
                partnership_id,
                actor_user_id: Some(&actor.user_id),
                action: "action.update",
                entity: "action",
                entity_id: id,
                before: Some(action_json(&before.action)),
                after: Some(action_json(action)),
            });
            tx.commit().await?;
        });
        Ok(())
    }

    /// One action of a partnership.
    pub async fn action(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredAction>, StoreError> {
        let filter = ActionFilter::default();
        Ok(self
            .list_actions(partnership_id, &filter)
            .await?
            .into_iter()
            .find(|action| action.id == id))
    }

    /// The partnership's action log passing `filter`: open and in-progress first by due
    /// date (undated last), then done ones.
    pub async fn list_actions(
        &self,
        partnership_id: &str,
        filter: &ActionFilter,
    ) -> Result<Vec<StoredAction>, StoreError> {
        let rows: Vec<ActionRow> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT a.id, a.partnership_id, a.workshop_id, w.title AS workshop_title, a.what,
                     a.owner, a.due, a.status, a.created_at, a.updated_at
                 FROM actions a LEFT JOIN workshops w ON w.id = a.workshop_id
                 WHERE a.partnership_id = $1
                 ORDER BY a.created_at, a.id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        let mut actions: Vec<StoredAction> = rows
            .into_iter()
            .map(action_from_row)
            .collect::<Result<_, _>>()?;
        actions.retain(|stored| {
            filter.matches(
                stored.action.status,
                &stored.action.owner,
                stored.workshop_id.as_deref(),
            )
        });
        actions.sort_by_key(|stored| {
            (
                stored.action.status == ActionStatus::Done,
                stored.action.due.is_none(),
                stored.action.due,
            )
        });
        Ok(actions)
    }
}
