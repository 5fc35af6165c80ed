//! Workshops' rows as stored, reading them back, and the steps that several of the
//! facilitator's transactions share.

use cradle_domain::workshop::{AgendaItem, Answer, AnswerKind, ItemKind, Phase, WorkshopDetails};
use serde_json::json;
use time::{Date, OffsetDateTime};

use super::{StoredAnswer, StoredItem, StoredWorkshop};
use crate::StoreError;
use crate::backend::{Conn, on_conn};

#[derive(sqlx::FromRow)]
pub(super) struct WorkshopRow {
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
pub(super) use select_workshops;

/// A workshop's phase from its stored columns.
pub(super) fn stored_phase(
    phase: &str,
    current_position: Option<i64>,
) -> Result<Phase, StoreError> {
    let current = current_position.and_then(|position| usize::try_from(position).ok());
    Phase::from_stored(phase, current).ok_or_else(|| StoreError::Corrupt {
        what: "workshop",
        detail: format!("unknown phase {phase}"),
    })
}

pub(super) fn workshop_from_row(row: WorkshopRow) -> Result<StoredWorkshop, StoreError> {
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
pub(super) struct ItemRow {
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
    instruction: String,
    locked: bool,
}

macro_rules! select_items {
    ($rest:literal) => {
        concat!(
            "SELECT id, position, kind, reference, title, answer, options, votes, minutes,
                 facilitator_notes, instruction, locked
             FROM workshop_items ",
            $rest
        )
    };
}
pub(super) use select_items;

pub(crate) fn corrupt(what: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

pub(super) fn item_from_row(row: ItemRow) -> Result<StoredItem, StoreError> {
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
            instruction: row.instruction,
        },
        locked: row.locked,
    })
}

#[derive(sqlx::FromRow)]
pub(super) struct AnswerRow {
    id: String,
    item_id: String,
    participant_id: String,
    kind: String,
    value: String,
    hidden: bool,
    cluster_id: Option<String>,
    created_at: OffsetDateTime,
}

pub(super) fn answer_from_row(row: AnswerRow) -> Result<StoredAnswer, StoreError> {
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

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

pub(super) fn item_json(item: &AgendaItem) -> serde_json::Value {
    json!({
        "kind": item.kind.id(),
        "reference": item.reference,
        "title": item.title,
        "answer": item.answer.id(),
        "options": item.options,
        "votes": item.votes,
        "minutes": item.minutes,
        "facilitator_notes": item.facilitator_notes,
        "instruction": item.instruction,
    })
}

pub(super) fn details_json(details: &WorkshopDetails) -> serde_json::Value {
    json!({
        "title": details.title,
        "date": details.date.map(|date| date.to_string()),
        "purpose": details.purpose,
    })
}

pub(super) fn position_i64(position: usize) -> i64 {
    i64::try_from(position).unwrap_or(i64::MAX)
}

/// Inserts an agenda item on an open transaction.
pub(super) async fn insert_item(
    conn: Conn<'_>,
    id: &str,
    workshop_id: &str,
    position: usize,
    item: &AgendaItem,
) -> Result<(), StoreError> {
    on_conn!(conn, |conn| {
        sqlx::query(
            "INSERT INTO workshop_items (id, workshop_id, position, kind, reference, title,
                 answer, options, votes, minutes, facilitator_notes, instruction, locked)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, FALSE)",
        )
        .bind(id)
        .bind(workshop_id)
        .bind(position_i64(position))
        .bind(item.kind.id())
        .bind(&item.reference)
        .bind(&item.title)
        .bind(item.answer.id())
        .bind(item.options.join("\n"))
        .bind(i64::from(item.votes))
        .bind(i64::from(item.minutes))
        .bind(&item.facilitator_notes)
        .bind(&item.instruction)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// The workshop, on an open transaction, if it belongs to the partnership;
/// [`StoreError::NotFound`] otherwise.
pub(crate) async fn workshop_in(
    conn: Conn<'_>,
    partnership_id: &str,
    workshop_id: &str,
) -> Result<StoredWorkshop, StoreError> {
    let row: Option<WorkshopRow> = on_conn!(conn, |conn| {
        sqlx::query_as(select_workshops!("WHERE partnership_id = $1 AND id = $2"))
            .bind(partnership_id)
            .bind(workshop_id)
            .fetch_optional(conn)
            .await?
    });
    workshop_from_row(row.ok_or(StoreError::NotFound)?)
}

/// The items of a workshop, in order, on an open transaction.
pub(super) async fn items_of(
    conn: Conn<'_>,
    workshop_id: &str,
) -> Result<Vec<StoredItem>, StoreError> {
    let rows: Vec<ItemRow> = on_conn!(conn, |conn| {
        sqlx::query_as(select_items!(
            "WHERE workshop_id = $1 ORDER BY position, id"
        ))
        .bind(workshop_id)
        .fetch_all(conn)
        .await?
    });
    rows.into_iter().map(item_from_row).collect()
}

/// Writes positions 0.. in the given order on an open transaction.
pub(super) async fn renumber(conn: Conn<'_>, ids: &[&str]) -> Result<(), StoreError> {
    on_conn!(conn, |conn| {
        for (position, id) in ids.iter().enumerate() {
            sqlx::query("UPDATE workshop_items SET position = $1 WHERE id = $2")
                .bind(position_i64(position))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    });
    Ok(())
}

/// Selects items with their workshop's phase (`i` the item, `w` the workshop), for
/// [`PhasedItemRow`]; `$extra` adds columns after them.
macro_rules! select_phased_items {
    ($extra:literal, $rest:literal) => {
        concat!(
            "SELECT w.phase, w.current_position, i.workshop_id,
                 i.id, i.position, i.kind, i.reference, i.title, i.answer, i.options, i.votes,
                 i.minutes, i.facilitator_notes, i.instruction, i.locked",
            $extra,
            " FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id ",
            $rest
        )
    };
}
pub(super) use select_phased_items;

/// An item with its workshop's phase: what decides whether it takes an answer now.
#[derive(sqlx::FromRow)]
pub(super) struct PhasedItemRow {
    phase: String,
    current_position: Option<i64>,
    workshop_id: String,
    #[sqlx(flatten)]
    item: ItemRow,
}

impl PhasedItemRow {
    /// The item's workshop id, the item and the workshop's phase.
    pub(super) fn into_parts(self) -> Result<(String, StoredItem, Phase), StoreError> {
        let phase = stored_phase(&self.phase, self.current_position)?;
        Ok((self.workshop_id, item_from_row(self.item)?, phase))
    }
}
