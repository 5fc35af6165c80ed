//! Local indicators: each indicator over time for the partnership's areas against the
//! nation, with 95% confidence intervals, as a chart and a table, its file beside it.

use cradle_diagrams::charts::indicators::{
    self as charts, AREA_STYLES, NATION_STYLE, Reading, figure,
};
use cradle_domain::report::{Cell, Column, Figure, Table};

use super::{Writer, notes, table};
use crate::gather::{IndicatorReading, IndicatorSeries, LocalIndicator, Picture};

pub(super) fn write(picture: &Picture, writer: &mut Writer<'_>) {
    // An indicator with figures for the nation only says nothing about the partnership.
    let local: Vec<LocalIndicator> = picture
        .indicators
        .iter()
        .filter(|indicator| indicator.series.iter().any(|series| !series.is_nation))
        .cloned()
        .collect();
    if local.is_empty() {
        writer.missing(notes::indicators(picture.indicator_files));
        return;
    }
    writer.paragraph("Each indicator for the partnership's areas and the nation over time, as published in the files imported from Fingertips. Each figure has its 95% confidence interval where the file gives one: where intervals overlap, a difference may be chance.");
    for (index, indicator) in local.iter().enumerate() {
        writer.heading(title(indicator));
        if let Some(drawn) = chart(indicator, index) {
            writer.figure(drawn);
        }
        writer.table(series_table(indicator));
        writer.bullets(value_notes(indicator));
    }
    writer.heading("Every figure");
    writer.table(long_table(&local));
}

fn title(indicator: &LocalIndicator) -> String {
    format!("{} ({})", indicator.name, indicator.group)
}

/// Where the figures come from, for a table's `source`.
fn source(indicators: &[&LocalIndicator]) -> String {
    let mut files: Vec<String> = Vec::new();
    for indicator in indicators {
        let file = indicator.source.describe();
        if !files.contains(&file) {
            files.push(file);
        }
    }
    files.join("; ")
}

fn chart(indicator: &LocalIndicator, index: usize) -> Option<Figure> {
    let mut area_styles = AREA_STYLES.iter().cycle();
    let series: Vec<charts::SeriesData> = indicator
        .series
        .iter()
        .map(|series| charts::SeriesData {
            name: series.name.clone(),
            style: if series.is_nation {
                &NATION_STYLE
            } else {
                area_styles.next().unwrap_or(&NATION_STYLE)
            },
            by_period: series
                .by_period
                .iter()
                .map(|reading| {
                    reading.as_ref().map(|reading| Reading {
                        value: reading.value,
                        lower_95: reading.lower_95,
                        upper_95: reading.upper_95,
                    })
                })
                .collect(),
        })
        .collect();
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    let periods = &indicator.periods;
    let chart_title = format!(
        "{}: {} from {} to {}, with 95% confidence intervals",
        title(indicator),
        names.join(", "),
        periods.first().map_or("", String::as_str),
        periods.last().map_or("", String::as_str)
    );
    let id = format!("{}-{index}", indicator.id);
    let drawn = charts::chart(&id, chart_title, periods, &series)?;
    Some(Figure {
        caption: format!(
            "{}: each point is the figure for a period, the line through it its 95% confidence interval",
            title(indicator)
        ),
        alt: drawn.description.clone(),
        svg: drawn.to_svg(),
        slug: format!("indicator-{id}"),
    })
}

fn number(value: Option<f64>) -> Cell {
    value.map_or_else(|| Cell::text("–"), |v| Cell::number(v, figure(v)))
}

/// The nation's figure for the period at `index`.
fn nation_value(indicator: &LocalIndicator, index: usize) -> Option<f64> {
    indicator
        .series
        .iter()
        .filter(|series| series.is_nation)
        .find_map(|series| series.by_period.get(index)?.as_ref()?.value)
}

/// Each period and area of one indicator, with the nation's figure beside it.
fn series_table(indicator: &LocalIndicator) -> Table {
    let mut rows = Vec::new();
    for (index, period) in indicator.periods.iter().enumerate() {
        for series in indicator.series.iter().filter(|s| !s.is_nation) {
            let Some(reading) = series.by_period.get(index).and_then(Option::as_ref) else {
                continue;
            };
            rows.push(vec![
                Cell::text(period),
                Cell::text(&series.name),
                number(reading.value),
                number(reading.lower_95),
                number(reading.upper_95),
                number(nation_value(indicator, index)),
                Cell::text(reading.compared.clone().unwrap_or_default()),
            ]);
        }
    }
    let mut drawn = table(
        format!("{}: value with 95% confidence interval", title(indicator)),
        vec![
            Column::text("Period"),
            Column::text("Area"),
            Column::number("Value"),
            Column::number("Lower 95% limit"),
            Column::number("Upper 95% limit"),
            Column::number("Nation"),
            Column::text("Compared with the nation"),
        ],
        rows,
    );
    drawn.source = Some(source(&[indicator]));
    drawn
}

/// The publisher's notes on values, e.g. a figure suppressed for small numbers.
fn value_notes(indicator: &LocalIndicator) -> Vec<String> {
    let mut notes = Vec::new();
    for series in &indicator.series {
        for (period, reading) in indicator.periods.iter().zip(&series.by_period) {
            if let Some(note) = reading.as_ref().and_then(|r| r.note.as_ref()) {
                notes.push(format!("{}, {period}: {note}", series.name));
            }
        }
    }
    notes
}

/// Every figure of every indicator, one row each: the sheet of local indicators.
fn long_table(indicators: &[LocalIndicator]) -> Table {
    let mut rows = Vec::new();
    for indicator in indicators {
        for series in &indicator.series {
            for (period, reading) in indicator.periods.iter().zip(&series.by_period) {
                let Some(reading) = reading else { continue };
                rows.push(vec![
                    Cell::text(&indicator.name),
                    Cell::text(&indicator.group),
                    Cell::text(&series.name),
                    Cell::text(period),
                    number(reading.value),
                    number(reading.lower_95),
                    number(reading.upper_95),
                    Cell::text(reading.compared.clone().unwrap_or_default()),
                    Cell::text(reading.note.clone().unwrap_or_default()),
                ]);
            }
        }
    }
    let mut drawn = table(
        "Every figure of every local indicator",
        vec![
            Column::text("Indicator"),
            Column::text("Group"),
            Column::text("Area"),
            Column::text("Period"),
            Column::number("Value"),
            Column::number("Lower 95% limit"),
            Column::number("Upper 95% limit"),
            Column::text("Compared with the nation"),
            Column::text("Note"),
        ],
        rows,
    );
    drawn.sheet = Some("Indicators".to_owned());
    drawn.source = Some(source(&indicators.iter().collect::<Vec<_>>()));
    drawn
}

/// One area's latest figure for one indicator.
pub(crate) struct Latest<'p> {
    indicator: &'p LocalIndicator,
    series: &'p IndicatorSeries,
    index: usize,
    reading: &'p IndicatorReading,
}

/// Each area's latest figure with a value, for each indicator.
pub(crate) fn latest_rows(indicators: &[LocalIndicator]) -> Vec<Latest<'_>> {
    indicators
        .iter()
        .flat_map(|indicator| {
            indicator
                .series
                .iter()
                .filter(|series| !series.is_nation)
                .filter_map(move |series| {
                    let (index, reading) =
                        series
                            .by_period
                            .iter()
                            .enumerate()
                            .rev()
                            .find_map(|(index, r)| {
                                Some((index, r.as_ref().filter(|r| r.value.is_some())?))
                            })?;
                    Some(Latest {
                        indicator,
                        series,
                        index,
                        reading,
                    })
                })
        })
        .collect()
}

/// The latest figures as a table, with the nation's figure for the same period.
pub(crate) fn latest_table(indicators: &[LocalIndicator], rows: Vec<Latest<'_>>) -> Table {
    let interval = |r: &IndicatorReading| match (r.lower_95, r.upper_95) {
        (Some(lower), Some(upper)) => format!("{} to {}", figure(lower), figure(upper)),
        _ => "–".to_owned(),
    };
    let rows = rows
        .into_iter()
        .map(|latest| {
            vec![
                Cell::text(title(latest.indicator)),
                Cell::text(&latest.series.name),
                Cell::text(
                    latest
                        .indicator
                        .periods
                        .get(latest.index)
                        .cloned()
                        .unwrap_or_default(),
                ),
                number(latest.reading.value),
                Cell::text(interval(latest.reading)),
                number(nation_value(latest.indicator, latest.index)),
                Cell::text(latest.reading.compared.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let mut drawn = table(
        "Local indicators: the latest figure for each area, with the nation's",
        vec![
            Column::text("Indicator"),
            Column::text("Area"),
            Column::text("Period"),
            Column::number("Value"),
            Column::text("95% confidence interval"),
            Column::number("Nation"),
            Column::text("Compared with the nation"),
        ],
        rows,
    );
    drawn.source = Some(source(&indicators.iter().collect::<Vec<_>>()));
    drawn
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::SectionKind;

    use super::super::testing::*;

    #[test]
    fn each_indicator_has_a_chart_and_its_series_with_the_nation() {
        let section = built(&full(), SectionKind::Indicators).section;
        assert_eq!(
            headings(&section)[0],
            "Low birth weight of term babies (Persons, >=37 weeks)"
        );
        let figure = figures(&section)[0];
        assert_eq!(figure.slug, "indicator-20101-0");
        assert!(figure.svg.contains("Hartlepool (circles, solid line)"));
        let series = table_captioned(
            &section,
            "Low birth weight of term babies (Persons, >=37 weeks): value with 95% confidence interval",
        );
        assert_eq!(
            shown(row_starting(series, "2021")),
            ["2021", "Hartlepool", "3.4", "2.9", "3.9", "2.8", "Similar"]
        );
        assert!(
            series
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("OHID: Public health profiles"))
        );
    }

    #[test]
    fn every_figure_fills_the_indicators_sheet() {
        let section = built(&full(), SectionKind::Indicators).section;
        let long = sheet(&section, "Indicators");
        assert_eq!(long.rows.len(), 4, "two areas' series over two periods");
        assert!(long.rows.iter().any(|row| row[2].shown() == "England"));
    }

    #[test]
    fn no_indicator_file_says_where_to_import_one() {
        let section = built(&empty(), SectionKind::Indicators).section;
        assert_eq!(missing(&section), [super::notes::indicators(0)]);
        let mut files_without_areas = empty();
        files_without_areas.indicator_files = 2;
        let section = built(&files_without_areas, SectionKind::Indicators).section;
        assert!(missing(&section)[0].contains("no figures for the partnership's areas"));
        let mut nation_only = full();
        for indicator in &mut nation_only.indicators {
            indicator.series.retain(|series| series.is_nation);
        }
        let section = built(&nation_only, SectionKind::Indicators).section;
        assert!(tables(&section).is_empty(), "no empty table");
        assert_eq!(missing(&section), [super::notes::indicators(1)]);
    }
}
