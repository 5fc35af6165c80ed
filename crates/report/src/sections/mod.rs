//! The sections of a report, each built from the partnership's [`Picture`] and the content
//! as plain data: pure functions, no store and no files.
//!
//! Every local figure says where it came from (the imported file in a table's `source`, or a
//! sentence); every national fact carries its citation; and data that is not there yet gives
//! a [`Block::Missing`] saying what to import or do and where, never an empty table or a zero.

mod actions;
mod case_for_action;
mod cite;
mod document;
mod framework;
mod glossary;
mod indicators;
mod need;
mod pathway;
mod self_assessment;
mod services;
mod summary;
#[cfg(test)]
pub(crate) mod testing;
mod walkthroughs;
mod workshops;

use cradle_content::Content;
use cradle_domain::report::{Block, Cell, Column, Figure, Section, SectionKind, Table};

use crate::gather::Picture;
pub(crate) use cite::Citations;
pub use document::document;

/// One section built from the picture (pure).
pub fn section(picture: &Picture, content: &Content, kind: SectionKind) -> Section {
    build(picture, content, kind, None).section
}

/// A section with the ids of the sources its text cites, in the order first cited.
pub(crate) struct Built {
    pub section: Section,
    pub cited: Vec<String>,
}

/// Builds one section. The glossary lists the terms used in `others` (the rest of the
/// document), or in every other section when it stands alone.
pub(crate) fn build(
    picture: &Picture,
    content: &Content,
    kind: SectionKind,
    others: Option<&[Section]>,
) -> Built {
    let mut writer = Writer::new(content);
    match kind {
        SectionKind::Summary => summary::write(picture, &mut writer),
        SectionKind::CaseForAction => case_for_action::write(picture, &mut writer),
        SectionKind::Framework => framework::write(&mut writer),
        SectionKind::Need => need::write(picture, &mut writer),
        SectionKind::Indicators => indicators::write(picture, &mut writer),
        SectionKind::Services => services::write(picture, &mut writer),
        SectionKind::Pathway => pathway::write(picture, &mut writer),
        SectionKind::Walkthroughs => walkthroughs::write(picture, &mut writer),
        SectionKind::SelfAssessment => self_assessment::write(picture, &mut writer),
        SectionKind::Workshops => workshops::write(picture, &mut writer),
        SectionKind::Actions => actions::write(picture, &mut writer),
        SectionKind::Sources => glossary::write_sources(&mut writer),
        SectionKind::Glossary => match others {
            Some(others) => glossary::write_glossary(others, &mut writer),
            None => {
                let everything = every_other_section(picture, content);
                glossary::write_glossary(&everything, &mut writer)
            }
        },
    }
    writer.finish(kind)
}

/// Every section but the glossary, for the glossary to match its terms against.
fn every_other_section(picture: &Picture, content: &Content) -> Vec<Section> {
    SectionKind::ALL
        .iter()
        .filter(|kind| **kind != SectionKind::Glossary)
        .map(|kind| build(picture, content, *kind, None).section)
        .collect()
}

/// A section being written: its blocks in reading order and the sources it cites.
pub(crate) struct Writer<'c> {
    pub content: &'c Content,
    citations: Citations,
    blocks: Vec<Block>,
    cited: Vec<String>,
}

impl<'c> Writer<'c> {
    fn new(content: &'c Content) -> Self {
        Self {
            content,
            citations: Citations::new(content),
            blocks: Vec::new(),
            cited: Vec::new(),
        }
    }

    fn finish(self, kind: SectionKind) -> Built {
        Built {
            section: Section {
                kind,
                title: kind.label().to_owned(),
                blocks: self.blocks,
            },
            cited: self.cited,
        }
    }

    pub fn heading(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading { text: text.into() });
    }

    pub fn paragraph(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph { text: text.into() });
    }

    pub fn bullets(&mut self, items: Vec<String>) {
        if !items.is_empty() {
            self.blocks.push(Block::Bullets { items });
        }
    }

    /// Says what is not there yet and what to do about it.
    pub fn missing(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Missing { text: text.into() });
    }

    pub fn table(&mut self, table: Table) {
        self.blocks.push(Block::Table(table));
    }

    pub fn figure(&mut self, figure: Figure) {
        self.blocks.push(Block::Figure(figure));
    }

    /// Records that the text cites these sources and returns their labels.
    pub fn cite(&mut self, sources: &[String]) -> Vec<String> {
        sources
            .iter()
            .map(|id| {
                if !self.cited.contains(id) {
                    self.cited.push(id.clone());
                }
                self.citations.label(id)
            })
            .collect()
    }

    /// A statement with its figure and the sources it rests on.
    pub fn fact(&mut self, statement: &str, figure: Option<&str>, sources: &[String]) {
        let cited = self.cite(sources);
        self.blocks.push(Block::Fact {
            statement: statement.to_owned(),
            figure: figure.map(str::to_owned),
            cited,
        });
    }
}

/// A table without a sheet of its own.
pub(crate) fn table(
    caption: impl Into<String>,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
) -> Table {
    Table {
        caption: caption.into(),
        sheet: None,
        columns,
        rows,
        source: None,
    }
}

/// The content's id of the toolkit itself, which the framework, glossary and sources cite.
pub(crate) const TOOLKIT_SOURCE: &str = "unicef-pedal-2023";

/// A table's source when it is a part of the toolkit, citing the toolkit.
pub(crate) fn toolkit_source(writer: &mut Writer<'_>, part: &str) -> String {
    let cited = writer.cite(&[TOOLKIT_SOURCE.to_owned()]);
    format!("The toolkit ({part}): {}", cited.join("; "))
}

/// A number of people: whole with separators from 10 up, one decimal place below 10.
pub(crate) fn people(value: f64) -> Cell {
    Cell::number(value, cradle_domain::need::people(value))
}

/// `1 service`, `2 services`.
pub(crate) fn count_of(count: usize, one: &str, many: &str) -> String {
    let noun = if count == 1 { one } else { many };
    format!(
        "{} {noun}",
        cradle_domain::need::with_separators(count as u64)
    )
}

/// Joins phrases as UK English prose: `a`, `a and b`, `a, b and c`.
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What to do, and where, when something a section shows is not there yet.
pub(crate) mod notes {
    pub const POPULATION: &str = "Not yet available: import a population file on the Population data page to see births, children aged 0 to 4 and estimated need.";
    pub const BIRTHS: &str = "Live births not yet available: import a births file on the Population data page. Until then babies under 1 stand in for births.";
    pub const NATION_ROW: &str = "The comparison with the nation is not yet available: the population file has no row for the nation or the United Kingdom as a whole. Import a file that has one (ONS table MYE2 does, as does a Nomis extract with the country chosen) on the Population data page.";
    pub const SERVICES: &str = "Not yet available: add the partnership's services on the Service map page, one at a time or from a file.";
    pub const ROUTES: &str = "No referral routes recorded yet: fill in who refers to each service (\u{201c}Referred from\u{201d}) on the Service map page.";
    pub const WALKTHROUGHS: &str = "Not yet available: walk through a scenario on the Scenarios page to find who would notice, who would act and where the gaps are.";
    pub const ROUNDS: &str = "Not yet available: open a whole-system self-assessment round on the Whole-system self-assessment page and ask partners to rate the system.";
    pub const WORKSHOPS: &str = "Not yet available: plan a workshop on the Workshops page, and record its decisions on its record page.";
    pub const ACTIONS: &str = "Not yet available: add actions on the Action log page, or from a workshop's record or a gap in the gap register.";
    pub const DEMO: &str =
        "This is a demo partnership: its figures and records are invented, for trying Cradle out.";

    /// What to do about indicators, given how many indicator files are imported.
    pub fn indicators(files: usize) -> &'static str {
        if files == 0 {
            "Not yet available: download local indicators from Fingertips and import the file on the Local indicators page."
        } else {
            "The imported indicator files have no figures for the partnership's areas: download a file for them from Fingertips and import it on the Local indicators page."
        }
    }
}

#[cfg(test)]
mod tests {
    use cradle_domain::report::{Block, Cell, PackDefinition, SectionKind};

    use super::testing::{content, empty, full, today};

    fn every_section(picture: &crate::gather::Picture) -> cradle_domain::report::Document {
        let pack = PackDefinition {
            name: "Everything".into(),
            title: "Everything".into(),
            author: String::new(),
            introduction: String::new(),
            sections: SectionKind::ALL.to_vec(),
        };
        super::document(picture, content(), &pack, today())
    }

    #[test]
    fn no_table_is_empty_or_ragged_and_sheets_are_unique_and_short() {
        for picture in [empty(), full()] {
            let document = every_section(&picture);
            let mut sheets = Vec::new();
            for section in &document.sections {
                for block in &section.blocks {
                    let Block::Table(table) = block else { continue };
                    assert!(!table.rows.is_empty(), "{} is empty", table.caption);
                    for row in &table.rows {
                        assert_eq!(row.len(), table.columns.len(), "{}", table.caption);
                    }
                    if let Some(sheet) = &table.sheet {
                        assert!(sheet.chars().count() <= 31, "{sheet}");
                        assert!(!sheets.contains(sheet), "{sheet} twice");
                        sheets.push(sheet.clone());
                    }
                }
            }
        }
    }

    #[test]
    fn with_nothing_added_no_local_figure_reads_as_zero() {
        let document = every_section(&empty());
        for section in &document.sections {
            for block in &section.blocks {
                if let Block::Table(table) = block {
                    let zero =
                        table.rows.iter().flatten().any(
                            |cell| matches!(cell, Cell::Number { value, .. } if *value == 0.0),
                        );
                    assert!(!zero, "{} shows a zero", table.caption);
                }
            }
        }
        let missing = document
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter(|b| matches!(b, Block::Missing { .. }))
            .count();
        assert!(
            missing >= 10,
            "each local section says what to add: {missing}"
        );
    }
}
