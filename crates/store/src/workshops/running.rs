//! Running a workshop: the facilitator moving through the agenda and locking items, and
//! participants joining, answering and voting.

use cradle_domain::workshop::{
    AgendaItem, Answer, AnswerError, Move, ParticipantDetails, Phase, apply_move, check_open,
    check_rate, check_vote, rate_window_start,
};
use serde_json::json;
use time::OffsetDateTime;

use super::answer_batches::NewAnswer;
use super::rows::{
    PhasedItemRow, items_of, new_id, position_i64, select_phased_items, workshop_in,
};
use super::{AnswerRefused, MoveRefused, Participant, StoredItem};
use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, Conn, on_backend, on_conn};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

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
async fn open_item(
    conn: Conn<'_>,
    workshop_id: &str,
    participant_id: &str,
    item_id: &str,
    at: OffsetDateTime,
) -> Result<StoredItem, AnswerRefused> {
    let row: Option<OpenItemRow> = on_conn!(conn, |conn| {
        // Writing first takes the write lock at once: on SQLite a transaction that read
        // first fails outright when another wrote meanwhile; on PostgreSQL it locks the
        // participant's row, so one participant's answers are counted one at a time
        // (for the rate limit and the vote allowance) while others' run in parallel.
        let known = sqlx::query(
            "UPDATE workshop_participants SET workshop_id = workshop_id
             WHERE id = $1 AND workshop_id = $2",
        )
        .bind(participant_id)
        .bind(workshop_id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if known != 1 {
            return Err(StoreError::NotFound.into());
        }
        sqlx::query_as(select_phased_items!(
            ", (SELECT COUNT(*) FROM workshop_answers
                WHERE participant_id = $3 AND created_at > $4)
               + (SELECT COUNT(*) FROM workshop_votes
                  WHERE participant_id = $3 AND created_at > $4) AS recent_sends",
            "WHERE i.workshop_id = $1 AND i.id = $2"
        ))
        .bind(workshop_id)
        .bind(item_id)
        .bind(participant_id)
        .bind(DbTime::from(rate_window_start(at)))
        .fetch_optional(&mut *conn)
        .await?
    });
    // An item not in this workshop is not one the participant can answer now.
    let Some(row) = row else {
        return Err(AnswerError::NotCurrent.into());
    };
    let (_, item, phase) = row.phased.into_parts()?;
    check_open(phase, item.position, item.locked)?;
    check_rate(usize::try_from(row.recent_sends).unwrap_or(usize::MAX))?;
    Ok(item)
}

impl Store {
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
        let phase = on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound.into());
            }
            let workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let items = items_of(tx.conn(), workshop_id).await?;
            let phase = apply_move(workshop.phase, change, items.len())?;
            sqlx::query(
                "UPDATE workshops SET phase = $1, current_position = $2, updated_at = $3
                 WHERE id = $4",
            )
            .bind(phase.id())
            .bind(phase.current().map(position_i64))
            .bind(at)
            .bind(workshop_id)
            .execute(&mut *tx)
            .await?;
            let before =
                json!({ "phase": workshop.phase.id(), "current": workshop.phase.current() });
            let after = json!({ "phase": phase.id(), "current": phase.current() });
            let record = AuditRecord::new(partnership_id, "workshop.move", "workshop", workshop_id);
            insert_audit(tx.conn(), record.by(actor).before(before).after(after)).await?;
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
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
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
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    if locked {
                        "workshop.item.lock"
                    } else {
                        "workshop.item.unlock"
                    },
                    "workshop",
                    workshop_id,
                )
                .by(actor)
                .after(json!({ "item": item_id })),
            )
            .await?;
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
        let inserted = on_backend!(self, |pool| {
            sqlx::query(
                "INSERT INTO workshop_participants (id, workshop_id, display_name, profession,
                     joined_at)
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
        let rows: Vec<(String, Option<String>, Option<String>)> = on_backend!(self, |pool| {
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
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let item = open_item(tx.conn(), workshop_id, participant_id, item_id, at).await?;
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
                target
                    .parse::<usize>()
                    .is_ok_and(|option| option < item.item.options.len())
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
                "INSERT INTO workshop_votes (id, workshop_id, item_id, participant_id, target,
                     created_at)
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
}
