//! Answers written in batches. When a room answers at once, each instance's answers queue
//! for one writer, which stores whatever has queued in one transaction: a handful of
//! statements and one commit for the lot, where one transaction each would queue hundreds
//! of commits for the database's write lock (SQLite) or its connections (PostgreSQL). With
//! one answer waiting, a batch is that answer alone, so nothing waits to fill a batch.
//!
//! Each answer is still judged on its own, in arrival order, by the domain's rules: the
//! item must take answers now, the participant must not be sending too fast (counting the
//! batch's earlier answers), and what was sent must fit the item.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use cradle_domain::workshop::{
    AgendaItem, Answer, AnswerError, Phase, check_open, check_rate, rate_window_start,
};
use sqlx::{Connection as _, QueryBuilder};
use time::OffsetDateTime;
use tokio::sync::{OnceCell, mpsc, oneshot};

use super::rows::{PhasedItemRow, new_id, select_phased_items};
use super::{AnswerRefused, StoredItem};
use crate::backend::{on_backend, push_in_list};
use crate::db_time::{DbTime, now};
use crate::live::PublishOn;
use crate::{Store, StoreError};

/// The most answers one transaction stores (well inside both databases' limits on bound
/// values: eight per answer).
const MAX_BATCH: usize = 200;
/// Answers that may wait for the writer before senders wait for room.
const QUEUE: usize = 2048;

/// Turns what a participant sent into an answer, once the item is known.
pub(crate) type MakeAnswer =
    Box<dyn FnOnce(&AgendaItem) -> Result<Answer, AnswerError> + Send + 'static>;

/// An answer for the writer to judge and store.
pub(crate) struct NewAnswer {
    pub workshop_id: String,
    pub participant_id: String,
    pub item_id: String,
    pub make: MakeAnswer,
    /// The topic to publish the new answer's id on once it is stored.
    pub announce_on: Option<String>,
}

/// An answer waiting for the writer, and where to send the outcome.
struct AnswerJob {
    answer: NewAnswer,
    reply: oneshot::Sender<Result<String, AnswerRefused>>,
}

/// The queue to this store's answer writer, started by the first answer. Clones of a
/// store share it; the writer stops when the last clone is dropped.
#[derive(Clone, Default)]
pub(crate) struct AnswerQueue {
    sender: Arc<OnceCell<mpsc::Sender<AnswerJob>>>,
}

impl fmt::Debug for AnswerQueue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("AnswerQueue")
            .field("started", &self.sender.initialized())
            .finish()
    }
}

impl Store {
    /// Queues `answer` for this store's writer and waits for the outcome: the stored
    /// answer's id, or why it was refused.
    pub(super) async fn write_answer(&self, answer: NewAnswer) -> Result<String, AnswerRefused> {
        let sender = self
            .answers
            .sender
            .get_or_init(|| async {
                let (sender, receiver) = mpsc::channel(QUEUE);
                // The writer's own store has a queue of its own, never used, so that it
                // does not keep this one open.
                let writer = Store {
                    backend: self.backend.clone(),
                    live: self.live.clone(),
                    answers: AnswerQueue::default(),
                };
                tokio::spawn(writer.write_answers(receiver));
                sender
            })
            .await;
        let stopped = || StoreError::AnswersNotStored("the answer writer has stopped".into());
        let (reply, outcome) = oneshot::channel();
        sender
            .send(AnswerJob { answer, reply })
            .await
            .map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }

    async fn write_answers(self, mut queue: mpsc::Receiver<AnswerJob>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
            self.write_batch(std::mem::take(&mut batch)).await;
        }
    }

    /// Stores a batch and answers each job: its answer's id, the rule that refused it, or
    /// (if the transaction failed, so that none was stored) the failure.
    async fn write_batch(&self, jobs: Vec<AnswerJob>) {
        let at = now();
        let (answers, replies): (Vec<_>, Vec<_>) =
            jobs.into_iter().map(|job| (job.answer, job.reply)).unzip();
        let outcomes = match self.store_batch(answers, at).await {
            Ok(outcomes) => outcomes,
            Err(error) => {
                tracing::error!(%error, answers = replies.len(), "a batch of answers failed");
                let message = error.to_string();
                replies
                    .iter()
                    .map(|_| Err(StoreError::AnswersNotStored(message.clone()).into()))
                    .collect()
            }
        };
        for (reply, outcome) in replies.into_iter().zip(outcomes) {
            // The participant may have gone (a closed connection): nothing to tell.
            let _ = reply.send(outcome);
        }
    }

    async fn store_batch(
        &self,
        answers: Vec<NewAnswer>,
        at: OffsetDateTime,
    ) -> Result<Vec<Result<String, AnswerRefused>>, StoreError> {
        let participant_ids = unique(answers.iter().map(|a| a.participant_id.as_str()));
        let item_ids = unique(answers.iter().map(|a| a.item_id.as_str()));
        let since = DbTime::from(rate_window_start(at));
        let stored_at = DbTime::from(at);
        on_backend!(self, |pool| {
            let mut connection = pool.acquire().await?;
            let mut tx = connection.begin().await?;
            // Writing first takes the write lock at once (SQLite) and locks the
            // participants' rows (PostgreSQL), as one answer at a time does.
            let mut lock = QueryBuilder::new(
                "UPDATE workshop_participants SET workshop_id = workshop_id WHERE id IN (",
            );
            push_in_list(&mut lock, participant_ids.iter().map(String::as_str));
            lock.build().execute(&mut *tx).await?;

            let mut query = QueryBuilder::new(
                "SELECT p.id, p.workshop_id,
                     (SELECT COUNT(*) FROM workshop_answers a
                      WHERE a.participant_id = p.id AND a.created_at > ",
            );
            query.push_bind(since);
            query.push(
                ") + (SELECT COUNT(*) FROM workshop_votes v
                      WHERE v.participant_id = p.id AND v.created_at > ",
            );
            query.push_bind(since);
            query.push(") FROM workshop_participants p WHERE p.id IN (");
            push_in_list(&mut query, participant_ids.iter().map(String::as_str));
            let participants: Vec<(String, String, i64)> =
                query.build_query_as().fetch_all(&mut *tx).await?;

            let mut query = QueryBuilder::new(select_phased_items!("", "WHERE i.id IN ("));
            push_in_list(&mut query, item_ids.iter().map(String::as_str));
            let items: Vec<PhasedItemRow> = query.build_query_as().fetch_all(&mut *tx).await?;

            let mut judge = Judge::new(participants, items)?;
            let outcomes: Vec<Result<Accepted, AnswerRefused>> = answers
                .into_iter()
                .map(|answer| judge.judge(answer))
                .collect();
            let accepted: Vec<&Accepted> = outcomes
                .iter()
                .filter_map(|outcome| outcome.as_ref().ok())
                .collect();
            // A choice or rating replaces the participant's earlier one on the item,
            // including one earlier in this batch (which is then never written).
            let written: Vec<&Accepted> = accepted
                .iter()
                .enumerate()
                .filter(|(position, answer)| {
                    !answer.replaces
                        || !accepted[position + 1..]
                            .iter()
                            .any(|later| later.replaces_same(answer))
                })
                .map(|(_, answer)| *answer)
                .collect();
            for answer in written.iter().filter(|answer| answer.replaces) {
                sqlx::query(
                    "DELETE FROM workshop_answers WHERE item_id = $1 AND participant_id = $2",
                )
                .bind(&answer.item_id)
                .bind(&answer.participant_id)
                .execute(&mut *tx)
                .await?;
            }
            if !written.is_empty() {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO workshop_answers (id, workshop_id, item_id, participant_id,
                         kind, value, hidden, cluster_id, created_at) ",
                );
                insert.push_values(&written, |mut row, answer| {
                    row.push_bind(answer.id.clone())
                        .push_bind(answer.workshop_id.clone())
                        .push_bind(answer.item_id.clone())
                        .push_bind(answer.participant_id.clone())
                        .push_bind(answer.kind)
                        .push_bind(answer.value.clone())
                        .push("FALSE")
                        .push("NULL")
                        .push_bind(stored_at);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;

            // Stored: a lost announcement only delays screens until their next poll, so
            // it is logged rather than refused.
            let announcements: Vec<(&str, &str)> = written
                .iter()
                .filter_map(|answer| Some((answer.announce_on.as_deref()?, answer.id.as_str())))
                .collect();
            if !announcements.is_empty()
                && let Err(error) = connection.publish_all_on(self, &announcements).await
            {
                tracing::warn!(%error, "could not announce new answers");
            }
            Ok(outcomes
                .into_iter()
                .map(|outcome| outcome.map(|accepted| accepted.id))
                .collect())
        })
    }
}

/// An answer that passed every rule, ready to write.
struct Accepted {
    id: String,
    workshop_id: String,
    item_id: String,
    participant_id: String,
    kind: &'static str,
    value: String,
    /// A choice or rating, which replaces the participant's earlier one.
    replaces: bool,
    announce_on: Option<String>,
}

impl Accepted {
    /// Whether this replaces `earlier` (the same participant's choice or rating on the
    /// same item).
    fn replaces_same(&self, earlier: &Accepted) -> bool {
        self.replaces
            && self.item_id == earlier.item_id
            && self.participant_id == earlier.participant_id
    }
}

/// What the batch's rules need: where each participant is and how much they have sent,
/// and each item with its workshop's phase.
struct Judge {
    /// participant id → (workshop id, answers and votes sent in the rate-limit window).
    participants: HashMap<String, (String, usize)>,
    /// item id → (workshop id, the item, its workshop's phase).
    items: HashMap<String, (String, StoredItem, Phase)>,
}

impl Judge {
    fn new(
        participants: Vec<(String, String, i64)>,
        items: Vec<PhasedItemRow>,
    ) -> Result<Self, StoreError> {
        let participants = participants
            .into_iter()
            .map(|(id, workshop, recent)| {
                (
                    id,
                    (workshop, usize::try_from(recent).unwrap_or(usize::MAX)),
                )
            })
            .collect();
        let items = items
            .into_iter()
            .map(|row| {
                let (workshop, item, phase) = row.into_parts()?;
                Ok((item.id.clone(), (workshop, item, phase)))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Self {
            participants,
            items,
        })
    }

    /// Judges one answer, counting it towards its participant's rate if it passes.
    fn judge(&mut self, answer: NewAnswer) -> Result<Accepted, AnswerRefused> {
        let Some((workshop, recent)) = self
            .participants
            .get_mut(&answer.participant_id)
            .filter(|(workshop, _)| *workshop == answer.workshop_id)
        else {
            return Err(StoreError::NotFound.into());
        };
        // An item not in this workshop is not one the participant can answer now.
        let Some((_, item, phase)) = self
            .items
            .get(&answer.item_id)
            .filter(|(item_workshop, _, _)| item_workshop == workshop)
        else {
            return Err(AnswerError::NotCurrent.into());
        };
        check_open(*phase, item.position, item.locked)?;
        check_rate(*recent)?;
        let made = (answer.make)(&item.item)?;
        *recent += 1;
        let (kind, value) = made.stored();
        Ok(Accepted {
            id: new_id(),
            workshop_id: answer.workshop_id,
            item_id: answer.item_id,
            participant_id: answer.participant_id,
            kind,
            value,
            replaces: kind != "note",
            announce_on: answer.announce_on,
        })
    }
}

fn unique<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    values
        .filter(|value| seen.insert(*value))
        .map(str::to_owned)
        .collect()
}
