//! A report's sections as the web shows them: the same blocks the PDF and Word files are
//! made from, with each figure as an image carrying its alternative text.

use base64::Engine;
use cradle_domain::report::{Block, Cell, Section, Table};

/// One section, ready for the `reports/blocks.html` macros.
pub(super) struct SectionView {
    pub title: String,
    pub anchor: &'static str,
    pub blocks: Vec<BlockView>,
}

pub(super) enum BlockView {
    Heading(String),
    Paragraph(String),
    Bullets(Vec<String>),
    Fact {
        statement: String,
        figure: Option<String>,
        cited: String,
    },
    Missing(String),
    Table(TableView),
    Figure {
        caption: String,
        alt: String,
        /// The SVG as a `data:` address (the content security policy allows these images).
        src: String,
    },
}

pub(super) struct TableView {
    pub caption: String,
    pub headings: Vec<(String, bool)>,
    pub rows: Vec<Vec<(String, bool)>>,
    pub source: Option<String>,
}

impl SectionView {
    pub(super) fn new(section: &Section) -> Self {
        Self {
            title: section.title.clone(),
            anchor: section.kind.id(),
            blocks: section.blocks.iter().map(BlockView::new).collect(),
        }
    }
}

impl BlockView {
    fn new(block: &Block) -> Self {
        match block {
            Block::Heading { text } => Self::Heading(text.clone()),
            Block::Paragraph { text } => Self::Paragraph(text.clone()),
            Block::Bullets { items } => Self::Bullets(items.clone()),
            Block::Fact {
                statement,
                figure,
                cited,
            } => Self::Fact {
                statement: statement.clone(),
                figure: figure.clone(),
                cited: cited.join("; "),
            },
            Block::Missing { text } => Self::Missing(text.clone()),
            Block::Table(table) => Self::Table(TableView::new(table)),
            Block::Figure(figure) => Self::Figure {
                caption: figure.caption.clone(),
                alt: figure.alt.clone(),
                src: format!(
                    "data:image/svg+xml;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(&figure.svg)
                ),
            },
        }
    }
}

impl TableView {
    fn new(table: &Table) -> Self {
        let numeric: Vec<bool> = table.columns.iter().map(|column| column.numeric).collect();
        Self {
            caption: table.caption.clone(),
            headings: table
                .columns
                .iter()
                .map(|column| (column.title.clone(), column.numeric))
                .collect(),
            rows: table
                .rows
                .iter()
                .map(|row| {
                    row.iter()
                        .enumerate()
                        .map(|(index, cell)| {
                            let right = matches!(cell, Cell::Number { .. })
                                || numeric.get(index).copied().unwrap_or(false);
                            (cell.shown().to_owned(), right)
                        })
                        .collect()
                })
                .collect(),
            source: table.source.clone(),
        }
    }
}
