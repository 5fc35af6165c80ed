//! The indicator page's view: each indicator's chart (drawn by `cradle_diagrams`) and
//! table, and the series behind them.

use super::IndicatorSource;
use crate::shared::layout::Layout;
use crate::shared::routes::InPartnership;
use askama::Template;
use cradle_diagrams::charts::indicators::{self as charts, Chart, Reading, Style};
use cradle_store::StoredIndicatorValue;
use serde::Deserialize;

/// One cell of the table: the value with its interval, or why there is none.
pub(crate) struct Cell {
    pub value: String,
    pub interval: String,
    pub compared: String,
}

pub(crate) struct IndicatorView {
    pub id: String,
    pub name: String,
    /// `Persons, All ages`.
    pub group: String,
    pub source: IndicatorSource,
    pub chart: Option<Chart>,
    /// The column headings (each area, then the nation).
    pub columns: Vec<String>,
    /// Each period and its cells, in order of time.
    pub rows: Vec<(String, Vec<Cell>)>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "indicators/page.html")]
pub(super) struct IndicatorsPage {
    pub(super) layout: Layout,
    pub(super) scope: InPartnership,
    pub(super) indicators: Vec<IndicatorView>,
    pub(super) missing_areas: Vec<String>,
    pub(super) has_files: bool,
    /// Rows for GP practices and networks left out of the file just imported.
    pub(super) practice_rows_left_out: Option<usize>,
}

/// What the import passes on to the page it leads to.
#[derive(Deserialize, Default)]
pub(crate) struct IndicatorsQuery {
    pub(super) left_out: Option<String>,
}

/// A series of stored figures: its name, style and the figure at each period (by index),
/// kept whole for the table (notes, comparison with the nation).
pub(super) struct SeriesData<'v> {
    pub(super) name: String,
    pub(super) style: &'static Style,
    pub(super) by_period: Vec<Option<&'v StoredIndicatorValue>>,
}

impl SeriesData<'_> {
    /// The figures the chart draws.
    fn readings(&self) -> charts::SeriesData {
        charts::SeriesData {
            name: self.name.clone(),
            style: self.style,
            by_period: self
                .by_period
                .iter()
                .map(|value| {
                    value.map(|value| Reading {
                        value: value.value,
                        lower_95: value.lower_95,
                        upper_95: value.upper_95,
                    })
                })
                .collect(),
        }
    }
}

/// A line chart of each area and the nation over time, each point with its 95% interval.
pub(super) fn chart(
    id: &str,
    title: String,
    periods: &[String],
    series: &[SeriesData<'_>],
) -> Option<Chart> {
    let readings: Vec<charts::SeriesData> = series.iter().map(SeriesData::readings).collect();
    charts::chart(id, title, periods, &readings)
}
