//! A partnership's report as data: the sections a pack can hold, the pack a facilitator
//! defines, and the document each output format (PDF, Word, Excel, the web page) is drawn
//! from. Text here is plain text, never markup: each format escapes it for itself, so a `#`,
//! `*`, `<` or `=SUM()` in a service name prints as itself everywhere.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::vocabulary::{TermVisitor, UnknownTerm, vocabulary};

vocabulary! {
    /// A section a pack can hold, in the order the builder offers them.
    SectionKind, "report section" {
        Summary = "summary", "Cover and summary";
        CaseForAction = "case-for-action", "The case for action";
        Framework = "framework", "The framework";
        Need = "need", "Estimated need";
        Indicators = "indicators", "Local indicators";
        Services = "services", "Service map, coverage and gaps";
        Pathway = "pathway", "Referral pathway";
        Walkthroughs = "walkthroughs", "Walk-through findings and the gap register";
        SelfAssessment = "self-assessment", "Whole-system self-assessment";
        Workshops = "workshops", "Workshop decisions";
        Actions = "actions", "Action plan";
        Sources = "sources", "Sources cited";
        Glossary = "glossary", "Glossary";
    }
}

/// The longest pack name, title or author.
pub const NAME_MAX: usize = 120;
/// The longest introduction.
pub const INTRODUCTION_MAX: usize = 5_000;
/// The most pages a PDF may have; a larger pack is refused with a message.
pub const MAX_PAGES: usize = 500;

/// A saved pack definition: which sections, in which order, under which title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackDefinition {
    /// How the facilitator names it, e.g. "Board pack"; unique within the partnership.
    pub name: String,
    pub title: String,
    pub author: String,
    /// Free text shown after the cover. Area-level only: never about a named child or parent.
    pub introduction: String,
    pub sections: Vec<SectionKind>,
}

/// A pack definition form's fields, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackFields {
    pub name: String,
    pub title: String,
    pub author: String,
    pub introduction: String,
    /// The chosen section ids, in the chosen order.
    pub sections: Vec<String>,
}

/// The chosen section ids in the order asked for: by the position typed beside each (1 is
/// first), those without a usable position after those with one, ties in the offered order.
pub fn order_sections(chosen: &[String], positions: &[(String, String)]) -> Vec<String> {
    let position = |id: &str| {
        positions
            .iter()
            .find(|(section, _)| section == id)
            .and_then(|(_, typed)| typed.trim().parse::<u32>().ok())
            .unwrap_or(u32::MAX)
    };
    let offered = |id: &str| SectionKind::IDS.iter().position(|known| *known == id);
    let mut ordered = chosen.to_vec();
    ordered.sort_by_key(|id| (position(id), offered(id)));
    ordered
}

/// What is wrong with one field of a pack definition form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackIssue {
    /// The form field: `name`, `title`, `author`, `introduction` or `sections`.
    pub field: &'static str,
    pub message: String,
}

impl PackFields {
    /// Checks every field and returns the definition, or every problem found.
    pub fn check(&self) -> Result<PackDefinition, Vec<PackIssue>> {
        let mut issues = Vec::new();
        let mut text = |field: &'static str, label: &str, value: &str, max: usize, needed| {
            let value = value.trim();
            if needed && value.is_empty() {
                issues.push(PackIssue {
                    field,
                    message: format!("Enter the {label}"),
                });
            } else if value.chars().count() > max {
                issues.push(PackIssue {
                    field,
                    message: format!("The {label} must be {max} characters or fewer"),
                });
            }
            value.to_owned()
        };
        let name = text("name", "pack's name", &self.name, NAME_MAX, true);
        let title = text("title", "title", &self.title, NAME_MAX, true);
        let author = text("author", "author", &self.author, NAME_MAX, false);
        let introduction = text(
            "introduction",
            "introduction",
            &self.introduction,
            INTRODUCTION_MAX,
            false,
        );
        let mut sections = Vec::new();
        for id in &self.sections {
            match id.parse::<SectionKind>() {
                Ok(kind) if !sections.contains(&kind) => sections.push(kind),
                Ok(_) => {}
                Err(_) => issues.push(PackIssue {
                    field: "sections",
                    message: format!("There is no section called \u{201c}{id}\u{201d}"),
                }),
            }
        }
        if sections.is_empty() && issues.iter().all(|issue| issue.field != "sections") {
            issues.push(PackIssue {
                field: "sections",
                message: "Choose at least one section".to_owned(),
            });
        }
        if issues.is_empty() {
            Ok(PackDefinition {
                name,
                title,
                author,
                introduction,
                sections,
            })
        } else {
            Err(issues)
        }
    }
}

/// A whole report, ready for any format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub title: String,
    /// The partnership's name.
    pub partnership: String,
    pub author: String,
    /// The day it was made, in words (e.g. "7 December 2026").
    pub date: String,
    /// BCP 47 language tag of the text, e.g. `en-GB`.
    pub language: String,
    pub introduction: String,
    /// The credit every page and slide carries: the toolkit's and the partnership's.
    pub attribution: String,
    pub sections: Vec<Section>,
    /// Every source cited anywhere in the sections, in the order first cited.
    pub references: Vec<Reference>,
}

/// One section of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub kind: SectionKind,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A piece of a section, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A subheading inside the section.
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    Bullets {
        items: Vec<String>,
    },
    /// A statement with the figure it rests on and where it comes from.
    Fact {
        statement: String,
        /// The headline figure, if the statement has one (e.g. "1 in 5").
        figure: Option<String>,
        /// Short citation labels, e.g. "Bauer and others (2014)".
        cited: Vec<String>,
    },
    /// Data the section would show is missing: says what to import or do, never a zero.
    Missing {
        text: String,
    },
    Table(Table),
    Figure(Figure),
}

/// A table of data, which Excel also gets as a sheet of its own when `sheet` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub caption: String,
    /// The Excel sheet this table fills (31 characters at most), if it is a data section.
    pub sheet: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Where the figures come from, e.g. the imported file's name and date.
    pub source: Option<String>,
}

/// A table column's heading and whether it holds numbers (right-aligned, typed in Excel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub title: String,
    pub numeric: bool,
}

impl Column {
    pub fn text(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            numeric: false,
        }
    }

    pub fn number(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            numeric: true,
        }
    }
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Cell {
    Text {
        text: String,
    },
    /// A number as a value (for Excel) and as shown (for print), e.g. 1234.5 and "1,235".
    Number {
        value: f64,
        shown: String,
    },
    Empty,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text { text: text.into() }
    }

    /// A whole count, shown with thousands separators.
    pub fn count(value: u64) -> Self {
        Self::Number {
            value: value as f64,
            shown: crate::need::with_separators(value),
        }
    }

    pub fn number(value: f64, shown: impl Into<String>) -> Self {
        Self::Number {
            value,
            shown: shown.into(),
        }
    }

    /// The cell as printed.
    pub fn shown(&self) -> &str {
        match self {
            Self::Text { text } => text,
            Self::Number { shown, .. } => shown,
            Self::Empty => "",
        }
    }
}

/// A diagram or chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub caption: String,
    /// Alternative text: what the figure shows, for someone who cannot see it.
    pub alt: String,
    /// The figure as a standalone SVG document.
    pub svg: String,
    /// A file-name stem for the slide image, e.g. `need-by-tier`.
    pub slug: String,
}

/// A source in the references list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The content's source id, e.g. `bauer-2014`.
    pub id: String,
    /// The short label cited in the text, e.g. "Bauer and others (2014)".
    pub label: String,
    /// The full reference as it appears in the list.
    pub full: String,
    pub url: Option<String>,
}

impl Document {
    /// Every figure in the document, in reading order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.sections
            .iter()
            .flat_map(|section| &section.blocks)
            .filter_map(|block| match block {
                Block::Figure(figure) => Some(figure),
                _ => None,
            })
    }

    /// Every table that fills an Excel sheet, in reading order.
    pub fn sheets(&self) -> impl Iterator<Item = &Table> {
        self.sections
            .iter()
            .flat_map(|section| &section.blocks)
            .filter_map(|block| match block {
                Block::Table(table) if table.sheet.is_some() => Some(table),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> PackFields {
        PackFields {
            name: " Board pack ".to_owned(),
            title: "Babies' mental health in Northshire".to_owned(),
            author: String::new(),
            introduction: String::new(),
            sections: vec!["summary".into(), "need".into(), "summary".into()],
        }
    }

    #[test]
    fn a_pack_keeps_sections_in_the_chosen_order_once_each() {
        let pack = fields().check().expect("valid");
        assert_eq!(pack.name, "Board pack");
        assert_eq!(pack.sections, vec![SectionKind::Summary, SectionKind::Need]);
    }

    #[test]
    fn every_missing_or_unknown_field_is_named() {
        let mut bad = fields();
        bad.name = "  ".into();
        bad.sections = vec!["nonsense".into()];
        let issues = bad.check().expect_err("invalid");
        let named: Vec<_> = issues.iter().map(|issue| issue.field).collect();
        assert_eq!(named, vec!["name", "sections"]);
        assert!(issues[1].message.contains("nonsense"));
    }

    #[test]
    fn sections_follow_the_typed_positions_then_the_offered_order() {
        let chosen: Vec<String> = ["summary", "need", "actions", "glossary"]
            .map(String::from)
            .to_vec();
        let positions = [
            ("actions".to_owned(), " 1 ".to_owned()),
            ("need".to_owned(), "2".to_owned()),
            ("summary".to_owned(), "two".to_owned()),
        ];
        assert_eq!(
            order_sections(&chosen, &positions),
            ["actions", "need", "summary", "glossary"]
        );
    }

    #[test]
    fn a_pack_needs_a_section() {
        let mut bad = fields();
        bad.sections.clear();
        let issues = bad.check().expect_err("invalid");
        assert_eq!(issues[0].message, "Choose at least one section");
    }

    #[test]
    fn documents_travel_as_json_unchanged() {
        let document = Document {
            title: "T".into(),
            partnership: "P".into(),
            author: String::new(),
            date: "7 December 2026".into(),
            language: "en-GB".into(),
            introduction: String::new(),
            attribution: "A".into(),
            sections: vec![Section {
                kind: SectionKind::Need,
                title: "Need".into(),
                blocks: vec![
                    Block::Table(Table {
                        caption: "C".into(),
                        sheet: Some("Need".into()),
                        columns: vec![Column::text("Area"), Column::number("Births")],
                        rows: vec![vec![Cell::text("=SUM(A1)"), Cell::count(1234)]],
                        source: None,
                    }),
                    Block::Missing {
                        text: "Not yet available".into(),
                    },
                ],
            }],
            references: Vec::new(),
        };
        let json = serde_json::to_string(&document).expect("serialises");
        assert!(json.contains(r#""type":"table""#), "{json}");
        let back: Document = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, document);
        assert_eq!(document.sheets().count(), 1);
    }
}
