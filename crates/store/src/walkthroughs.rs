//! A partnership's own scenarios, its scenario walk-throughs, and the gaps and risks they
//! found (the stored half of the gap register). Each change is audited in its transaction.

use cradle_domain::vocabulary::EcoLevel;
use cradle_domain::walkthrough::{FindingKind, LevelResponse, LocalScenario, Walkthrough};
use serde_json::json;
use time::OffsetDateTime;

use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

/// A partnership's own scenario as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScenario {
    pub id: String,
    pub scenario: LocalScenario,
}

/// Which scenario a walk-through is of: a national one (content id) or the partnership's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRef {
    pub national: bool,
    pub id: String,
    /// The scenario's title when walked through, kept so the register can name it.
    pub title: String,
}

/// One gap or risk a walk-through found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFinding {
    pub id: String,
    pub walkthrough_id: String,
    pub scenario_title: String,
    pub kind: FindingKind,
    pub description: String,
    /// The action in the partnership's action log that answers it, once linked.
    pub action_id: Option<String>,
}

/// A walk-through as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWalkthrough {
    pub id: String,
    pub scenario: ScenarioRef,
    pub walkthrough: Walkthrough,
    pub updated_at: OffsetDateTime,
}

fn corrupt(what: &'static str, detail: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.into(),
    }
}

#[derive(sqlx::FromRow)]
struct ScenarioRow {
    id: String,
    title: String,
    age: String,
    need: String,
    family: String,
    situation: String,
}

fn scenario_from_row(row: ScenarioRow) -> Result<StoredScenario, StoreError> {
    Ok(StoredScenario {
        scenario: LocalScenario {
            title: row.title,
            age: row.age.parse().map_err(|_| corrupt("scenario", row.age))?,
            need: row
                .need
                .parse()
                .map_err(|_| corrupt("scenario", row.need))?,
            family: row.family,
            situation: row.situation,
        },
        id: row.id,
    })
}

#[derive(sqlx::FromRow)]
struct WalkthroughRow {
    id: String,
    scenario_kind: String,
    scenario_id: String,
    scenario_title: String,
    who_would_notice: String,
    family_experience: String,
    updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct FindingRow {
    id: String,
    walkthrough_id: String,
    scenario_title: String,
    kind: String,
    description: String,
    action_id: Option<String>,
}

fn finding_from_row(row: FindingRow) -> Result<StoredFinding, StoreError> {
    Ok(StoredFinding {
        kind: FindingKind::parse(&row.kind).ok_or_else(|| corrupt("gap", row.kind.clone()))?,
        id: row.id,
        walkthrough_id: row.walkthrough_id,
        scenario_title: row.scenario_title,
        description: row.description,
        action_id: row.action_id,
    })
}

macro_rules! select_findings {
    ($rest:literal) => {
        concat!(
            "SELECT g.id, g.walkthrough_id, w.scenario_title, g.kind, g.description, l.action_id
             FROM walkthrough_gaps g JOIN walkthroughs w ON w.id = g.walkthrough_id
             LEFT JOIN gap_actions l
                 ON l.partnership_id = g.partnership_id AND l.gap_key = 'finding:' || g.id ",
            $rest
        )
    };
}

fn walkthrough_json(scenario: &ScenarioRef, walkthrough: &Walkthrough) -> serde_json::Value {
    json!({
        "scenario": scenario.id,
        "national": scenario.national,
        "who_would_notice": walkthrough.who_would_notice,
        "family_experience": walkthrough.family_experience,
        "levels": walkthrough.responses.iter().map(|r| json!({
            "level": r.level.id(),
            "services": r.services,
            "timing": r.timing,
        })).collect::<Vec<_>>(),
        "gaps": walkthrough.gaps,
        "risks": walkthrough.risks,
    })
}

impl Store {
    /// Adds a partnership's own scenario (`scenario.create`).
    pub async fn create_scenario(
        &self,
        actor: &Actor,
        partnership_id: &str,
        scenario: &LocalScenario,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO local_scenarios (id, partnership_id, title, age, need, family,
                     situation, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&scenario.title)
            .bind(scenario.age.id())
            .bind(scenario.need.id())
            .bind(&scenario.family)
            .bind(&scenario.situation)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "scenario.create", "scenario", &id)
                    .by(actor)
                    .after(json!({
                        "title": scenario.title,
                        "age": scenario.age.id(),
                        "need": scenario.need.id(),
                        "family": scenario.family,
                        "situation": scenario.situation,
                    })),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A partnership's own scenarios, by title.
    pub async fn scenarios(&self, partnership_id: &str) -> Result<Vec<StoredScenario>, StoreError> {
        let rows: Vec<ScenarioRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, age, need, family, situation FROM local_scenarios
                 WHERE partnership_id = $1 ORDER BY title, id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(scenario_from_row).collect()
    }

    /// One of a partnership's own scenarios, or `None`.
    pub async fn scenario(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredScenario>, StoreError> {
        let row: Option<ScenarioRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, title, age, need, family, situation FROM local_scenarios
                 WHERE partnership_id = $1 AND id = $2",
            )
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(scenario_from_row).transpose()
    }

    /// Records a walk-through with its gaps and risks (`walkthrough.create`).
    pub async fn create_walkthrough(
        &self,
        actor: &Actor,
        partnership_id: &str,
        scenario: &ScenarioRef,
        walkthrough: &Walkthrough,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO walkthroughs (id, partnership_id, scenario_kind, scenario_id,
                     scenario_title,
                     who_would_notice, family_experience, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(if scenario.national {
                "national"
            } else {
                "local"
            })
            .bind(&scenario.id)
            .bind(&scenario.title)
            .bind(&walkthrough.who_would_notice)
            .bind(&walkthrough.family_experience)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for response in &walkthrough.responses {
                sqlx::query(
                    "INSERT INTO walkthrough_levels (walkthrough_id, level, service_ids, timing)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(&id)
                .bind(response.level.id())
                .bind(response.services.join(";"))
                .bind(&response.timing)
                .execute(&mut *tx)
                .await?;
            }
            let findings = walkthrough
                .gaps
                .iter()
                .map(|text| (FindingKind::Gap, text))
                .chain(
                    walkthrough
                        .risks
                        .iter()
                        .map(|text| (FindingKind::Risk, text)),
                );
            for (position, (kind, description)) in findings.enumerate() {
                sqlx::query(
                    "INSERT INTO walkthrough_gaps (id, partnership_id, walkthrough_id, kind,
                         position, description)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(uuid::Uuid::new_v4().simple().to_string())
                .bind(partnership_id)
                .bind(&id)
                .bind(kind.id())
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(description)
                .execute(&mut *tx)
                .await?;
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "walkthrough.create", "walkthrough", &id)
                    .by(actor)
                    .after(walkthrough_json(scenario, walkthrough)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// A partnership's walk-throughs, newest first (gaps and risks included).
    pub async fn walkthroughs(
        &self,
        partnership_id: &str,
    ) -> Result<Vec<StoredWalkthrough>, StoreError> {
        let rows: Vec<WalkthroughRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, scenario_kind, scenario_id, scenario_title, who_would_notice,
                        family_experience, updated_at
                 FROM walkthroughs WHERE partnership_id = $1 ORDER BY updated_at DESC, id",
            )
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        let mut all = Vec::new();
        for row in rows {
            all.push(self.walkthrough_from_row(row).await?);
        }
        Ok(all)
    }

    /// One walk-through of a partnership, or `None`.
    pub async fn walkthrough(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredWalkthrough>, StoreError> {
        let row: Option<WalkthroughRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT id, scenario_kind, scenario_id, scenario_title, who_would_notice,
                        family_experience, updated_at
                 FROM walkthroughs WHERE partnership_id = $1 AND id = $2",
            )
            .bind(partnership_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        match row {
            Some(row) => Ok(Some(self.walkthrough_from_row(row).await?)),
            None => Ok(None),
        }
    }

    async fn walkthrough_from_row(
        &self,
        row: WalkthroughRow,
    ) -> Result<StoredWalkthrough, StoreError> {
        let (levels, findings): (Vec<(String, String, String)>, Vec<FindingRow>) =
            on_backend!(self, |pool| {
                let levels = sqlx::query_as(
                "SELECT level, service_ids, timing FROM walkthrough_levels WHERE walkthrough_id =
                     $1",
            )
            .bind(&row.id)
            .fetch_all(pool)
            .await?;
                let findings = sqlx::query_as(select_findings!(
                    "WHERE g.walkthrough_id = $1 ORDER BY g.position"
                ))
                .bind(&row.id)
                .fetch_all(pool)
                .await?;
                (levels, findings)
            });
        let mut responses = Vec::new();
        for (level, services, timing) in levels {
            let level: EcoLevel = level
                .parse()
                .map_err(|_| corrupt("walk-through", level.clone()))?;
            responses.push(LevelResponse {
                level,
                services: services
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                timing,
            });
        }
        responses.sort_by_key(|response| response.level);
        let mut gaps = Vec::new();
        let mut risks = Vec::new();
        for finding in findings {
            let finding = finding_from_row(finding)?;
            match finding.kind {
                FindingKind::Gap => gaps.push(finding.description),
                FindingKind::Risk => risks.push(finding.description),
            }
        }
        Ok(StoredWalkthrough {
            scenario: ScenarioRef {
                national: row.scenario_kind == "national",
                id: row.scenario_id,
                title: row.scenario_title,
            },
            walkthrough: Walkthrough {
                who_would_notice: row.who_would_notice,
                family_experience: row.family_experience,
                responses,
                gaps,
                risks,
            },
            id: row.id,
            updated_at: row.updated_at,
        })
    }

    /// Every gap and risk found by a partnership's walk-throughs, newest walk-through
    /// first, each in the order written.
    pub async fn walkthrough_findings(
        &self,
        partnership_id: &str,
    ) -> Result<Vec<StoredFinding>, StoreError> {
        let rows: Vec<FindingRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_findings!(
                "WHERE g.partnership_id = $1 ORDER BY w.updated_at DESC, w.id, g.position"
            ))
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(finding_from_row).collect()
    }
}
