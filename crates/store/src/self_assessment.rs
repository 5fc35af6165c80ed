//! Whole-system self-assessment rounds: opening and closing a round, and each rater's
//! answers. Opening, closing and each set of answers are audited in their transaction;
//! an anonymous round's entries name no rater.

use cradle_domain::self_assessment::{Answer, RaterScope, Response, RoundSettings};
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

/// A round as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: String,
    pub partnership_id: String,
    pub partnership_name: String,
    pub settings: RoundSettings,
    pub opened_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
    /// How many raters have answered.
    pub responses: usize,
}

impl Round {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// Who is answering, as the web layer identifies them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rater {
    /// Stable for a member (so that answering again replaces their answers); random for
    /// someone rating through a link.
    pub key: String,
    /// Kept only when the round is not anonymous.
    pub user_id: Option<String>,
    /// A link rater's name, kept only when the round is not anonymous.
    pub name: String,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: String,
    partnership_id: String,
    partnership_name: String,
    title: String,
    characteristics: String,
    min_raters: i64,
    scope: String,
    anonymous: bool,
    opened_at: OffsetDateTime,
    closed_at: Option<OffsetDateTime>,
    responses: i64,
}

macro_rules! select_rounds {
    ($rest:literal) => {
        concat!(
            "SELECT r.id, r.partnership_id, p.name AS partnership_name, r.title,
                 r.characteristics, r.min_raters, r.scope, r.anonymous, r.opened_at, r.closed_at,
                 (SELECT COUNT(*) FROM assessment_responses x WHERE x.round_id = r.id) AS responses
             FROM assessment_rounds r JOIN partnerships p ON p.id = r.partnership_id ",
            $rest
        )
    };
}

fn corrupt(detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what: "self-assessment round",
        detail: detail.into(),
    }
}

fn round_from_row(row: RoundRow) -> Result<Round, StoreError> {
    let scope = RaterScope::parse(&row.scope).ok_or_else(|| corrupt(row.scope.clone()))?;
    Ok(Round {
        id: row.id,
        partnership_id: row.partnership_id,
        partnership_name: row.partnership_name,
        settings: RoundSettings {
            title: row.title,
            characteristics: row
                .characteristics
                .split(';')
                .filter(|id| !id.is_empty())
                .map(str::to_owned)
                .collect(),
            min_raters: usize::try_from(row.min_raters).map_err(|_| corrupt("min_raters"))?,
            scope,
            anonymous: row.anonymous,
        },
        opened_at: row.opened_at,
        closed_at: row.closed_at,
        responses: usize::try_from(row.responses).unwrap_or(0),
    })
}

fn round_json(settings: &RoundSettings, status: &str) -> serde_json::Value {
    json!({
        "title": settings.title,
        "characteristics": settings.characteristics,
        "min_raters": settings.min_raters,
        "raters": settings.scope.id(),
        "anonymous": settings.anonymous,
        "status": status,
    })
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    response_id: String,
    sector: String,
    characteristic: String,
    level: String,
    evidence: String,
}

fn responses_from_rows(rows: Vec<AnswerRow>) -> Result<Vec<Response>, StoreError> {
    let mut responses: Vec<(String, Response)> = Vec::new();
    for row in rows {
        let level = row
            .level
            .parse()
            .map_err(|_| corrupt(format!("level {}", row.level)))?;
        let answer = Answer {
            characteristic: row.characteristic,
            level,
            evidence: row.evidence,
        };
        match responses.last_mut() {
            Some((id, response)) if *id == row.response_id => response.answers.push(answer),
            _ => {
                let sector = row
                    .sector
                    .parse()
                    .map_err(|_| corrupt(format!("sector {}", row.sector)))?;
                responses.push((
                    row.response_id,
                    Response {
                        sector,
                        answers: vec![answer],
                    },
                ));
            }
        }
    }
    Ok(responses
        .into_iter()
        .map(|(_, response)| response)
        .collect())
}

impl Store {
    /// Opens a round (`assessment.open` in the audit log). `link_token_hash` is the hash
    /// of the link's token for a round open to anyone with the link.
    /// [`StoreError::NotFound`] if there is no such partnership.
    pub async fn open_round(
        &self,
        actor: &Actor,
        partnership_id: &str,
        settings: &RoundSettings,
        link_token_hash: Option<&str>,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO assessment_rounds (id, partnership_id, title, characteristics,
                     min_raters, scope, anonymous, link_token_hash, opened_by, opened_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&settings.title)
            .bind(settings.characteristics.join(";"))
            .bind(i64::try_from(settings.min_raters).unwrap_or(i64::MAX))
            .bind(settings.scope.id())
            .bind(settings.anonymous)
            .bind(link_token_hash)
            .bind(&actor.user_id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "assessment.open", "assessment_round", &id)
                    .by(actor)
                    .after(round_json(settings, "open")),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A partnership's rounds, newest first.
    pub async fn rounds(&self, partnership_id: &str) -> Result<Vec<Round>, StoreError> {
        let rows: Vec<RoundRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_rounds!(
                "WHERE r.partnership_id = $1 ORDER BY r.opened_at DESC, r.id"
            ))
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(round_from_row).collect()
    }

    /// One round of a partnership, or `None` (also for another partnership's round).
    pub async fn round(&self, partnership_id: &str, id: &str) -> Result<Option<Round>, StoreError> {
        let row: Option<RoundRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_rounds!("WHERE r.partnership_id = $1 AND r.id = $2"))
                .bind(partnership_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(round_from_row).transpose()
    }

    /// The round a link's token opens (by the token's hash), or `None`.
    pub async fn round_by_link(&self, token_hash: &str) -> Result<Option<Round>, StoreError> {
        let row: Option<RoundRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_rounds!(
                "WHERE r.link_token_hash = $1 AND r.scope = 'link'"
            ))
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        row.map(round_from_row).transpose()
    }

    /// Closes a round to further answers (`assessment.close`). Closing a closed round
    /// changes nothing. [`StoreError::NotFound`] if the partnership has no such round.
    pub async fn close_round(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        let Some(round) = self.round(partnership_id, id).await? else {
            return Err(StoreError::NotFound);
        };
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let closed = sqlx::query(
                "UPDATE assessment_rounds SET closed_at = $1
                 WHERE partnership_id = $2 AND id = $3 AND closed_at IS NULL",
            )
            .bind(at)
            .bind(partnership_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if closed == 1 {
                insert_audit(
                    tx.conn(),
                    AuditRecord::new(partnership_id, "assessment.close", "assessment_round", id)
                        .by(actor)
                        .before(round_json(&round.settings, "open"))
                        .after(json!({ "status": "closed", "responses": round.responses })),
                )
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Gives an open round that is open to anyone with its link a new link
    /// (`assessment.new_link` in the audit log): the old link stops working.
    /// [`StoreError::NotFound`] if there is no such open link round in the partnership.
    pub async fn replace_round_link(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        link_token_hash: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let replaced = sqlx::query(
                "UPDATE assessment_rounds SET link_token_hash = $1
                 WHERE partnership_id = $2 AND id = $3 AND scope = 'link' AND closed_at IS NULL",
            )
            .bind(link_token_hash)
            .bind(partnership_id)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if replaced != 1 {
                return Err(StoreError::NotFound);
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "assessment.new_link",
                    "assessment_round",
                    id,
                )
                .by(actor),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Records a rater's answers to an open round, replacing their earlier answers if
    /// `rater.key` has answered before (`assessment.answer` in the audit log, naming the
    /// rater only when the round is not anonymous). [`StoreError::NotFound`] if there is
    /// no such round; [`StoreError::RoundClosed`] once it is closed.
    pub async fn answer_round(
        &self,
        round_id: &str,
        rater: &Rater,
        response: &Response,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        let id = uuid::Uuid::new_v4().simple().to_string();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            let row: Option<(String, bool, Option<OffsetDateTime>)> = sqlx::query_as(
                "SELECT partnership_id, anonymous, closed_at FROM assessment_rounds WHERE id = $1",
            )
            .bind(round_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((partnership_id, anonymous, closed_at)) = row else {
                return Err(StoreError::NotFound);
            };
            // Serialise with closing the round.
            if !lock_partnership(tx.conn(), &partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let still_open: Option<(String,)> = sqlx::query_as(
                "SELECT id FROM assessment_rounds WHERE id = $1 AND closed_at IS NULL",
            )
            .bind(round_id)
            .fetch_optional(&mut *tx)
            .await?;
            if closed_at.is_some() || still_open.is_none() {
                return Err(StoreError::RoundClosed);
            }
            let replaced = sqlx::query(
                "DELETE FROM assessment_responses WHERE round_id = $1 AND rater_key = $2",
            )
            .bind(round_id)
            .bind(&rater.key)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let (user_id, name) = if anonymous {
                (None, "")
            } else {
                (rater.user_id.as_deref(), rater.name.as_str())
            };
            sqlx::query(
                "INSERT INTO assessment_responses (id, round_id, rater_key, user_id, rater_name,
                     sector, submitted_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(round_id)
            .bind(&rater.key)
            .bind(user_id)
            .bind(name)
            .bind(response.sector.id())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for answer in &response.answers {
                sqlx::query(
                    "INSERT INTO assessment_answers (response_id, characteristic, level, evidence)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(&id)
                .bind(&answer.characteristic)
                .bind(answer.level.id())
                .bind(&answer.evidence)
                .execute(&mut *tx)
                .await?;
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    &partnership_id,
                    if replaced > 0 {
                        "assessment.answer_again"
                    } else {
                        "assessment.answer"
                    },
                    "assessment_round",
                    round_id,
                )
                .by_user(user_id)
                .after(json!({
                    "sector": response.sector.id(),
                    "characteristics": response.answers.len(),
                })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every rater's answers to a round, in the order they were given.
    pub async fn round_responses(&self, round_id: &str) -> Result<Vec<Response>, StoreError> {
        let rows: Vec<AnswerRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT x.id AS response_id, x.sector, a.characteristic, a.level, a.evidence
                 FROM assessment_responses x JOIN assessment_answers a ON a.response_id = x.id
                 WHERE x.round_id = $1
                 ORDER BY x.submitted_at, x.id, a.characteristic",
            )
            .bind(round_id)
            .fetch_all(pool)
            .await?
        });
        responses_from_rows(rows)
    }

    /// One rater's answers to a round, to show their form filled in again.
    pub async fn round_response(
        &self,
        round_id: &str,
        rater_key: &str,
    ) -> Result<Option<Response>, StoreError> {
        let rows: Vec<AnswerRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT x.id AS response_id, x.sector, a.characteristic, a.level, a.evidence
                 FROM assessment_responses x JOIN assessment_answers a ON a.response_id = x.id
                 WHERE x.round_id = $1 AND x.rater_key = $2
                 ORDER BY a.characteristic",
            )
            .bind(round_id)
            .bind(rater_key)
            .fetch_all(pool)
            .await?
        });
        Ok(responses_from_rows(rows)?.into_iter().next())
    }
}
