//! A round's results: its chart, each characteristic's ratings and agreement, the
//! comparison with an earlier round, and closing it.

use super::{rounds_path, title_of};
use crate::AppState;
use crate::shared::auth::{Auth, actor, csrf};
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cradle_diagrams::charts::self_assessment::{ChartView, Placing, chart};
use cradle_domain::self_assessment::{self as sa, CharacteristicResult, RaterScope, Results};
use cradle_domain::services::long_date;
use cradle_store::Round;
use serde::Deserialize;

/// One characteristic's results as the table shows them.
pub(super) struct ResultRow {
    pub(super) title: String,
    pub(super) counts: [usize; 4],
    pub(super) median: String,
    pub(super) range: String,
    pub(super) interquartile_range: usize,
    pub(super) agreement: String,
    pub(super) divergent: bool,
    pub(super) evidence: Vec<String>,
}

pub(super) fn agreement_text(agreement: f64) -> String {
    format!("{agreement:.2}")
}

pub(super) fn result_row(
    state: &AppState,
    result: &CharacteristicResult,
    responses: &[sa::Response],
) -> ResultRow {
    let (low, high) = result.range;
    ResultRow {
        title: title_of(state, &result.characteristic),
        counts: result.counts,
        median: result.median.label(),
        range: if low == high {
            low.label().to_owned()
        } else {
            format!("{} to {}", low.label(), high.label().to_lowercase())
        },
        interquartile_range: result.interquartile_range,
        agreement: agreement_text(result.agreement),
        divergent: result.divergent,
        evidence: responses
            .iter()
            .flat_map(|r| &r.answers)
            .filter(|a| a.characteristic == result.characteristic && !a.evidence.is_empty())
            .map(|a| format!("{}: {}", a.level.label(), a.evidence))
            .collect(),
    }
}

pub(super) struct SectorView {
    pub(super) label: &'static str,
    pub(super) raters: usize,
    pub(super) rows: Vec<(String, String, String)>,
}

pub(super) struct ShownView {
    pub(super) raters: usize,
    pub(super) divergent: Vec<String>,
    pub(super) rows: Vec<ResultRow>,
    pub(super) chart: ChartView,
    pub(super) sectors: Vec<SectorView>,
    pub(super) sectors_withheld: usize,
}

pub(super) struct ChangeRow {
    pub(super) title: String,
    pub(super) before: String,
    pub(super) after: String,
    pub(super) change: String,
    pub(super) agreement_before: String,
    pub(super) agreement_after: String,
}

pub(super) struct ComparisonView {
    pub(super) earlier_title: String,
    pub(super) rows: Vec<ChangeRow>,
}

#[derive(Template)]
#[template(path = "self_assessment/round.html")]
pub(super) struct RoundPage {
    pub(super) layout: Layout,
    pub(super) csrf: String,
    pub(super) scope: InPartnership,
    pub(super) round_id: String,
    pub(super) round_title: String,
    pub(super) open: bool,
    pub(super) link_round: bool,
    pub(super) anonymous: bool,
    pub(super) opened: String,
    pub(super) characteristics: Vec<String>,
    pub(super) answered: usize,
    pub(super) min_raters: usize,
    pub(super) just_answered: bool,
    pub(super) withheld: Option<(usize, usize)>,
    pub(super) shown: Option<ShownView>,
    pub(super) earlier: Vec<(String, String, bool)>,
    pub(super) comparison: Option<ComparisonView>,
}

#[derive(Deserialize, Default)]
pub(crate) struct RoundQuery {
    pub(super) answered: Option<String>,
    pub(super) compare: Option<String>,
}

pub(super) fn characteristic_ids(round: &Round) -> Vec<&str> {
    round
        .settings
        .characteristics
        .iter()
        .map(String::as_str)
        .collect()
}

pub(super) async fn comparison(
    state: &AppState,
    scope: &InPartnership,
    current: &[CharacteristicResult],
    earlier_id: &str,
) -> Result<Option<ComparisonView>, AppError> {
    let Some(earlier) = state.store.round(&scope.partnership.id, earlier_id).await? else {
        return Ok(None);
    };
    let responses = state.store.round_responses(&earlier.id).await?;
    let Results::Shown {
        characteristics, ..
    } = sa::results(
        &characteristic_ids(&earlier),
        earlier.settings.min_raters,
        &responses,
    )
    else {
        return Ok(None);
    };
    let rows = sa::compare(&characteristics, current)
        .into_iter()
        .map(|change| ChangeRow {
            title: title_of(state, &change.characteristic),
            before: change.before.label(),
            after: change.after.label(),
            change: change.median_change_text(),
            agreement_before: agreement_text(change.agreement_before),
            agreement_after: agreement_text(change.agreement_after),
        })
        .collect();
    Ok(Some(ComparisonView {
        earlier_title: earlier.settings.title,
        rows,
    }))
}
/// Each sector's results, for the rows by sector.
fn sector_views(state: &AppState, by_sector: &[sa::SectorResults]) -> Vec<SectorView> {
    by_sector
        .iter()
        .map(|sector| SectorView {
            label: sector.sector.label(),
            raters: sector.raters,
            rows: sector
                .results
                .iter()
                .map(|r| {
                    (
                        title_of(state, &r.characteristic),
                        r.median.label(),
                        agreement_text(r.agreement),
                    )
                })
                .collect(),
        })
        .collect()
}

/// The partnership's rounds opened before `round`, to compare with: id, title and whether
/// it is the one chosen.
async fn earlier_rounds(
    state: &AppState,
    scope: &InPartnership,
    round: &Round,
    chosen: Option<&str>,
) -> Result<Vec<(String, String, bool)>, AppError> {
    Ok(state
        .store
        .rounds(&scope.partnership.id)
        .await?
        .into_iter()
        .filter(|other| other.id != round.id && other.opened_at <= round.opened_at)
        .map(|other| {
            let selected = chosen == Some(other.id.as_str());
            (other.id, other.settings.title, selected)
        })
        .collect())
}
/// The results shown for the whole round: its rows, chart and most divergent
/// characteristics (the sectors are added by the caller).
fn shown_rows(
    state: &AppState,
    responses: &[sa::Response],
    characteristics: &[CharacteristicResult],
    raters: usize,
) -> ShownView {
    let rows: Vec<ResultRow> = characteristics
        .iter()
        .map(|result| result_row(state, result, responses))
        .collect();
    ShownView {
        raters,
        divergent: rows
            .iter()
            .filter(|row| row.divergent)
            .map(|row| row.title.clone())
            .collect(),
        chart: chart(
            &rows
                .iter()
                .map(|row| Placing {
                    title: &row.title,
                    counts: row.counts,
                    divergent: row.divergent,
                })
                .collect::<Vec<_>>(),
            raters,
        ),
        rows,
        sectors: Vec::new(),
        sectors_withheld: 0,
    }
}
/// A round's results: how many answered of how many needed while they are withheld, or
/// the results shown, with the comparison with the earlier round `compare` if chosen.
async fn round_results(
    state: &AppState,
    scope: &InPartnership,
    round: &Round,
    compare: Option<&str>,
) -> Result<
    (
        Option<(usize, usize)>,
        Option<ShownView>,
        Option<ComparisonView>,
    ),
    AppError,
> {
    let responses = state.store.round_responses(&round.id).await?;
    let results = sa::results(
        &characteristic_ids(round),
        round.settings.min_raters,
        &responses,
    );
    match &results {
        Results::Withheld { answered, needed } => Ok((Some((*answered, *needed)), None, None)),
        Results::Shown {
            raters,
            characteristics,
            by_sector,
            sectors_withheld,
        } => {
            let mut compared = None;
            if let Some(earlier) = compare.filter(|e| *e != round.id) {
                compared = comparison(state, scope, characteristics, earlier).await?;
            }
            let shown = ShownView {
                sectors: sector_views(state, by_sector),
                sectors_withheld: *sectors_withheld,
                ..shown_rows(state, &responses, characteristics, *raters)
            };
            Ok((None, Some(shown), compared))
        }
    }
}

pub(crate) async fn round(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<RoundQuery>,
) -> Result<Html<String>, AppError> {
    let round = state
        .store
        .round(&scope.partnership.id, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (withheld, shown, compared) =
        round_results(&state, &scope, &round, query.compare.as_deref()).await?;
    let earlier = earlier_rounds(&state, &scope, &round, query.compare.as_deref()).await?;
    render(&RoundPage {
        layout: Layout::new(round.settings.title.clone(), "/partnerships"),
        csrf: csrf::token(&auth.session).await?,
        round_id: round.id.clone(),
        round_title: round.settings.title.clone(),
        open: round.is_open(),
        link_round: round.settings.scope == RaterScope::Link,
        anonymous: round.settings.anonymous,
        opened: long_date(round.opened_at.date()),
        characteristics: round
            .settings
            .characteristics
            .iter()
            .map(|id| title_of(&state, id))
            .collect(),
        answered: round.responses,
        min_raters: round.settings.min_raters,
        just_answered: query.answered.is_some(),
        withheld,
        shown,
        earlier,
        comparison: compared,
        scope,
    })
}

pub(crate) async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Extension(scope): Extension<InPartnership>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    state
        .store
        .close_round(&actor(&auth)?, &scope.partnership.id, &id)
        .await?;
    Ok(Redirect::to(&format!("{}/{id}", rounds_path(&scope))).into_response())
}
