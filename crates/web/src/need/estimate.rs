//! The estimate of need from published prevalence, with its ranges, working and sources.

use super::SourceLine;
use crate::AppState;
use crate::shared::error::{AppError, render};
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Html;
use cradle_diagrams::charts::need::{Chart, ChartLine, chart};
use cradle_domain::need::{
    AreaGroup, AreaPopulationView, Assumption, EstimateLine, NeedEstimate, Override, Rate,
    estimate, people, per_thousand, roll_up_groups,
};
use cradle_domain::partnership::Partnership;
use cradle_domain::partnership::{AreaCode, UNITED_KINGDOM_CODE, nation_code};
use cradle_domain::vocabulary::{Nation, Tier};
use cradle_readers::with_separators;
use cradle_store::{NeedOverride, PopulationImport, StoredAreaPopulation};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A source cited beside a line, linking to the toolkit's list of sources.
pub(crate) struct Citation {
    pub id: String,
    pub label: String,
}

/// One assumption's line of the estimate, every figure worded for people.
pub(crate) struct LineView {
    pub title: String,
    pub base: String,
    pub rate: String,
    pub low: String,
    pub central: String,
    pub high: String,
    pub working: String,
    pub citations: Vec<Citation>,
    /// The partnership's own figures behind this line, with their reasons and authors.
    pub overrides: Vec<String>,
    /// The evidence is from another nation than the area's.
    pub evidence_from_elsewhere: bool,
}

pub(crate) struct TierView {
    pub id: &'static str,
    pub label: &'static str,
    pub lines: Vec<LineView>,
    pub chart: Option<Chart>,
}

pub(crate) struct AreaView {
    pub code: String,
    pub name: String,
    pub caution: Option<String>,
    pub tiers: Vec<TierView>,
}

/// The comparison of areas with each other and with the nation, per 1,000 residents.
pub(crate) struct Comparison {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

#[derive(Template)]
#[template(path = "need/estimate.html")]
pub(super) struct NeedPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) source: Option<SourceLine>,
    /// The births file whose live births are the base of rates per birth, if any.
    pub(super) births_source: Option<SourceLine>,
    /// Other imported files, as (year query, description).
    pub(super) other_files: Vec<(String, String)>,
    /// The year asked for had no file.
    pub(super) year_missing: Option<String>,
    pub(super) missing_areas: Vec<String>,
    pub(super) cautions: Vec<(String, String)>,
    pub(super) tiers: Vec<TierView>,
    pub(super) areas: Vec<AreaView>,
    pub(super) comparison: Option<Comparison>,
    pub(super) nation_note: String,
    /// The larger areas the partnership's areas sit in, by kind, from the site's lookups.
    pub(super) larger_areas: Vec<LargerAreas>,
}

/// One kind of larger area (regions, say) and its estimates, each the sum of its areas'.
pub(crate) struct LargerAreas {
    pub kind: String,
    /// Each larger area's name and code.
    pub columns: Vec<String>,
    /// How many of each one's areas the population file has, e.g. `12 of 12`.
    pub found: Vec<String>,
    /// Each assumption and its figures in each larger area: central with the range.
    pub rows: Vec<(String, Vec<String>)>,
}

#[derive(Deserialize, Default)]
pub(crate) struct NeedQuery {
    #[serde(default)]
    pub(super) year: String,
}

/// A source's short name: first author and year, else publisher and year.
pub(super) fn citation_label(source: &cradle_content::Source) -> String {
    match &source.authors {
        Some(authors) => {
            let first = authors.split([',', ';']).next().unwrap_or(authors).trim();
            let more = if authors.contains([',', ';']) || authors.contains(" and ") {
                " et al."
            } else {
                ""
            };
            format!("{first}{more}, {}", source.year)
        }
        None => format!("{}, {}", source.publisher, source.year),
    }
}

pub(super) fn citations(state: &AppState, sources: &[String]) -> Vec<Citation> {
    sources
        .iter()
        .filter_map(|id| state.library.content.sources.by_id(id))
        .map(|source| Citation {
            id: source.id.clone(),
            label: citation_label(source),
        })
        .collect()
}

pub(super) fn override_text(
    rate: &Rate,
    reason: &str,
    made_by: &str,
    published: &Rate,
    place: &str,
) -> String {
    format!(
        "{place}local figure {rate} in place of the published {published}: “{reason}” (set by {made_by})"
    )
}

pub(super) fn area_line(
    state: &AppState,
    assumption: &Assumption,
    line: &EstimateLine,
) -> LineView {
    LineView {
        title: line.title.clone(),
        base: assumption.base.describe(line.base_count, line.live_births),
        rate: line.rate.to_string(),
        low: people(line.estimate.low),
        central: people(line.estimate.central),
        high: people(line.estimate.high),
        working: line.working.clone(),
        citations: citations(state, &assumption.sources),
        overrides: line
            .overridden
            .iter()
            .map(|note| override_text(&line.rate, &note.reason, &note.made_by, &note.published, ""))
            .map(|text| capitalise_first(&text))
            .collect(),
        evidence_from_elsewhere: line.evidence_from_elsewhere,
    }
}

pub(super) fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The view of an area's population as the estimate takes it, with its live births when
/// the births file has the area.
pub(super) fn view_of(
    row: &StoredAreaPopulation,
    births: &[StoredAreaPopulation],
) -> AreaPopulationView {
    AreaPopulationView {
        area: row.area.clone(),
        name: row.name.clone(),
        ages: row.ages.clone(),
        caution: row.suspect.clone(),
        // A births file holds each area's births in the year as its count at age 0.
        births: births
            .iter()
            .find(|births| births.area == row.area)
            .map(|births| births.ages.get(&0).copied().unwrap_or(0)),
    }
}

/// The rows of the births file `births` (if any) for `areas`.
pub(super) async fn births_rows(
    state: &AppState,
    partnership_id: &str,
    births: Option<&PopulationImport>,
    areas: &[AreaCode],
) -> Result<Vec<StoredAreaPopulation>, AppError> {
    Ok(match births {
        Some(births) => {
            state
                .store
                .population_rows(partnership_id, &births.id, areas)
                .await?
        }
        None => Vec::new(),
    })
}

pub(super) fn overrides_for_estimate(stored: &[NeedOverride]) -> Vec<Override> {
    stored
        .iter()
        .filter_map(|change| {
            // Stored overrides were checked when set; one that no longer makes a rate (a
            // hand-edited row) is left out rather than failing the page.
            let rate = Rate::new(change.low, change.central, change.high, change.per).ok()?;
            Override::new(
                &change.assumption_id,
                change.area.clone(),
                rate,
                &change.reason,
                &change.made_by_label,
            )
            .ok()
        })
        .collect()
}

pub(crate) fn assumptions(state: &AppState) -> Vec<Assumption> {
    // Validated content always converts; a figure that did not would be left out.
    state
        .library
        .content
        .prevalence
        .iter()
        .filter_map(|prevalence| prevalence.assumption().ok())
        .collect()
}

/// The partnership-wide lines of each tier, with charts.
pub(super) fn partnership_tiers(
    state: &AppState,
    assumptions: &[Assumption],
    result: &NeedEstimate,
    areas: usize,
) -> Vec<TierView> {
    let mut tiers: BTreeMap<Tier, (Vec<LineView>, Vec<ChartLine>)> = BTreeMap::new();
    for (index, (assumption, roll_up)) in assumptions.iter().zip(&result.partnership).enumerate() {
        let mut overrides = Vec::new();
        for area in &result.areas {
            if let Some(line) = area.lines.get(index)
                && let Some(note) = &line.overridden
            {
                overrides.push(override_text(
                    &line.rate,
                    &note.reason,
                    &note.made_by,
                    &note.published,
                    &format!("{}: ", area.name),
                ));
            }
        }
        let view = LineView {
            title: roll_up.title.clone(),
            base: roll_up.base.clone(),
            rate: assumption.rate.to_string(),
            low: people(roll_up.estimate.low),
            central: people(roll_up.estimate.central),
            high: people(roll_up.estimate.high),
            working: if areas == 1 {
                result
                    .areas
                    .first()
                    .and_then(|area| area.lines.get(index))
                    .map_or_else(|| roll_up.working.clone(), |line| line.working.clone())
            } else {
                roll_up.working.clone()
            },
            citations: citations(state, &assumption.sources),
            overrides,
            evidence_from_elsewhere: result.areas.iter().any(|area| {
                area.lines
                    .get(index)
                    .is_some_and(|l| l.evidence_from_elsewhere)
            }),
        };
        let entry = tiers.entry(roll_up.tier).or_default();
        entry.1.push((roll_up.title.clone(), roll_up.estimate));
        entry.0.push(view);
    }
    tiers
        .into_iter()
        .map(|(tier, (lines, bars))| TierView {
            id: tier.id(),
            label: tier.label(),
            chart: chart(
                tier.id(),
                format!(
                    "{} need: estimated number of people, central figure with the range from low to high",
                    tier.label()
                ),
                &bars,
            ),
            lines,
        })
        .collect()
}

pub(super) fn area_views(
    state: &AppState,
    assumptions: &[Assumption],
    result: &NeedEstimate,
) -> Vec<AreaView> {
    result
        .areas
        .iter()
        .map(|area| {
            let mut tiers: BTreeMap<Tier, Vec<LineView>> = BTreeMap::new();
            for (assumption, line) in assumptions.iter().zip(&area.lines) {
                tiers
                    .entry(line.tier)
                    .or_default()
                    .push(area_line(state, assumption, line));
            }
            AreaView {
                code: area.area.as_str().to_owned(),
                name: area.name.clone(),
                caution: area.caution.clone(),
                tiers: tiers
                    .into_iter()
                    .map(|(tier, lines)| TierView {
                        id: tier.id(),
                        label: tier.label(),
                        lines,
                        chart: None,
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Each area, the partnership and the nation side by side, per 1,000 residents of all
/// ages, so that places of different sizes can be compared (one decimal place).
pub(super) fn comparison(
    assumptions: &[Assumption],
    local: (&[AreaPopulationView], &NeedEstimate),
    nations: (&[AreaPopulationView], &NeedEstimate),
) -> Comparison {
    let table = per_thousand(assumptions, local, nations);
    let mut rows = vec![(
        "Residents (all ages)".to_owned(),
        table
            .residents
            .iter()
            .map(|count| with_separators(*count))
            .collect(),
    )];
    rows.extend(table.rows.into_iter().map(|(label, cells)| {
        let cells = cells
            .into_iter()
            .map(|cell| {
                cell.map_or_else(|| "–".to_owned(), cradle_domain::need::per_thousand_figure)
            })
            .collect();
        (label, cells)
    }));
    Comparison {
        columns: table.columns,
        rows,
    }
}
/// The population file of `year` (the latest when no year is asked for), and the births
/// file of the same year if imported, otherwise the latest births file.
fn chosen_files<'a>(
    imports: &'a [PopulationImport],
    births_files: &'a [PopulationImport],
    year: &str,
) -> (Option<&'a PopulationImport>, Option<&'a PopulationImport>) {
    let chosen = if year.is_empty() {
        imports.first()
    } else {
        imports
            .iter()
            .find(|import| import.year.is_some_and(|y| y.to_string() == year))
    };
    let births = births_files
        .iter()
        .find(|births| births.year.is_some() && births.year == chosen.and_then(|c| c.year))
        .or_else(|| births_files.first());
    (chosen, births)
}

pub(crate) async fn need(
    State(state): State<AppState>,
    Extension(scope): Extension<InPartnership>,
    Query(query): Query<NeedQuery>,
) -> Result<Html<String>, AppError> {
    let partnership = &scope.partnership;
    let (births_files, imports): (Vec<PopulationImport>, Vec<PopulationImport>) = state
        .store
        .population_imports(&partnership.id)
        .await?
        .into_iter()
        .partition(PopulationImport::is_births);
    let year = query.year.trim();
    let (chosen, births) = chosen_files(&imports, &births_files, year);
    let year_missing = (!year.is_empty() && chosen.is_none()).then(|| {
        // Only digits are echoed back, so nothing odd from the address reaches the page.
        year.chars().filter(char::is_ascii_digit).take(4).collect()
    });
    let other_files = imports
        .iter()
        .filter(|import| chosen.is_none_or(|chosen| chosen.id != import.id))
        .filter_map(|import| {
            let year = import.year?;
            Some((
                year.to_string(),
                format!("{} (mid-{year})", import.file_name),
            ))
        })
        .collect();
    let mut page = NeedPage {
        layout: Layout::new(
            format!("Estimated need in {}", partnership.name),
            "/partnerships",
        ),
        source: chosen.map(SourceLine::of),
        births_source: births.map(SourceLine::of),
        other_files,
        year_missing,
        missing_areas: Vec::new(),
        cautions: Vec::new(),
        tiers: Vec::new(),
        areas: Vec::new(),
        comparison: None,
        nation_note: String::new(),
        larger_areas: Vec::new(),
        scope: scope.clone(),
    };
    let Some(import) = chosen else {
        return render(&page);
    };

    estimate_into(&state, partnership, import, births, &mut page).await?;
    render(&page)
}

/// Fills `page` with the estimate from population file `import` (and `births`): the
/// partnership's tiers and areas, the comparison with the nation and the larger areas.
async fn estimate_into(
    state: &AppState,
    partnership: &Partnership,
    import: &PopulationImport,
    births: Option<&PopulationImport>,
    page: &mut NeedPage,
) -> Result<(), AppError> {
    let mut nations: Vec<Nation> = partnership
        .areas
        .iter()
        .filter_map(AreaCode::nation)
        .collect();
    nations.sort();
    nations.dedup();
    let mut wanted = partnership.areas.clone();
    // Each nation's own row, and the UK's for files (like MYE2) that give it.
    let nation_codes: Vec<AreaCode> = nations
        .iter()
        .map(|nation| nation_code(*nation))
        .chain([UNITED_KINGDOM_CODE])
        .filter_map(|code| code.parse().ok())
        .collect();
    wanted.extend(nation_codes.iter().cloned());
    let rows = state
        .store
        .population_rows(&partnership.id, &import.id, &wanted)
        .await?;
    let births_rows = births_rows(state, &partnership.id, births, &wanted).await?;
    let local: Vec<AreaPopulationView> = partnership
        .areas
        .iter()
        .filter_map(|code| rows.iter().find(|row| &row.area == code))
        .map(|row| view_of(row, &births_rows))
        .collect();
    let national: Vec<AreaPopulationView> = nation_codes
        .iter()
        .filter_map(|code| rows.iter().find(|row| &row.area == code))
        .map(|row| view_of(row, &births_rows))
        .collect();
    page.missing_areas = partnership
        .areas
        .iter()
        .filter(|code| !local.iter().any(|view| &view.area == *code))
        .map(|code| code.as_str().to_owned())
        .collect();
    page.cautions = local
        .iter()
        .filter_map(|view| Some((view.name.clone(), view.caution.clone()?)))
        .collect();

    let assumptions = assumptions(state);
    let overrides = overrides_for_estimate(&state.store.need_overrides(&partnership.id).await?);
    let result = estimate(&local, &assumptions, &overrides);
    // The nation is shown with the published rates only: the partnership's own figures
    // describe its own areas.
    let national_result = estimate(&national, &assumptions, &[]);
    page.tiers = partnership_tiers(state, &assumptions, &result, local.len());
    page.areas = area_views(state, &assumptions, &result);
    if !local.is_empty() {
        page.comparison = Some(comparison(
            &assumptions,
            (&local, &result),
            (&national, &national_result),
        ));
    }
    page.larger_areas = larger_areas(
        state,
        &partnership.id,
        (import, births),
        &assumptions,
        &partnership.areas,
    )
    .await?;
    page.nation_note = if national.is_empty() {
        "This file has no row for the nation or the United Kingdom as a whole, so there is no national comparison. ONS table MYE2 has one; a Nomis extract has one if the country was chosen.".to_owned()
    } else {
        String::new()
    };
    Ok(())
}

/// The larger areas (region, integrated care board, health board, nation) that the site's
/// geography lookups place the partnership's areas in, each with the estimate added up from
/// all of its areas in the population file, at the published rates.
pub(super) async fn larger_areas(
    state: &AppState,
    partnership_id: &str,
    (import, births): (&PopulationImport, Option<&PopulationImport>),
    assumptions: &[Assumption],
    areas: &[AreaCode],
) -> Result<Vec<LargerAreas>, AppError> {
    let parents = state.store.geography_parents(areas).await?;
    let mut groups: Vec<AreaGroup> = Vec::new();
    for link in &parents {
        let (Some(code), Some(kind)) = (&link.parent_code, &link.parent_kind) else {
            continue;
        };
        let Ok(code) = code.parse::<AreaCode>() else {
            continue;
        };
        if groups
            .iter()
            .any(|group| group.code == code && &group.kind == kind)
        {
            continue;
        }
        groups.push(AreaGroup {
            name: link.parent_name.clone().unwrap_or_else(|| code.to_string()),
            code,
            kind: kind.clone(),
            members: Vec::new(),
        });
    }
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let parent_codes: Vec<AreaCode> = groups.iter().map(|group| group.code.clone()).collect();
    let children = state.store.geography_children(&parent_codes).await?;
    for link in &children {
        let (Ok(child), Some(parent)) = (
            link.child_code.parse::<AreaCode>(),
            link.parent_code.as_deref(),
        ) else {
            continue;
        };
        for group in groups.iter_mut().filter(|group| {
            group.code.as_str() == parent && Some(&group.kind) == link.parent_kind.as_ref()
        }) {
            if !group.members.contains(&child) {
                group.members.push(child.clone());
            }
        }
    }
    let mut members: Vec<AreaCode> = groups
        .iter()
        .flat_map(|group| group.members.iter().cloned())
        .collect();
    members.sort();
    members.dedup();
    let rows = state
        .store
        .population_rows(partnership_id, &import.id, &members)
        .await?;
    let births = births_rows(state, partnership_id, births, &members).await?;
    let views: Vec<AreaPopulationView> = rows.iter().map(|row| view_of(row, &births)).collect();
    let result = estimate(&views, assumptions, &[]);
    let rolled = roll_up_groups(assumptions, &result, &groups);
    let mut kinds: Vec<LargerAreas> = Vec::new();
    for group in &rolled {
        let index = match kinds.iter().position(|kind| kind.kind == group.group.kind) {
            Some(index) => index,
            None => {
                kinds.push(LargerAreas {
                    kind: capitalise_first(&group.group.kind),
                    columns: Vec::new(),
                    found: Vec::new(),
                    rows: assumptions
                        .iter()
                        .map(|assumption| (assumption.title.clone(), Vec::new()))
                        .collect(),
                });
                kinds.len() - 1
            }
        };
        let Some(kind) = kinds.get_mut(index) else {
            continue;
        };
        kind.columns
            .push(format!("{} ({})", group.group.name, group.group.code));
        kind.found
            .push(format!("{} of {}", group.found, group.group.members.len()));
        for ((_, cells), line) in kind.rows.iter_mut().zip(&group.lines) {
            cells.push(format!(
                "{} ({}–{})",
                people(line.estimate.central),
                people(line.estimate.low),
                people(line.estimate.high)
            ));
        }
    }
    Ok(kinds)
}
