//! Report documents for the tests and the timing example: every kind of block, with user
//! text that would be markup in Typst.
#![allow(dead_code)]

use cradle_domain::report::{
    Block, Cell, Column, Document, Figure, Reference, Section, SectionKind, Table,
};

/// Text a user might type that means something in Typst, HTML, LaTeX and spreadsheets.
pub const AWKWARD: &str = r#"Café #1 <b>$5</b> *x* \ "q" @ref =SUM(A1)"#;

pub const TABLE_CAPTION: &str = "Estimated births and need by ward";
pub const BIRTHS_TITLE: &str = "Estimated births";
pub const TABLE_SOURCE: &str = "births-2024.csv, imported 3 March 2026";
pub const FIGURE_CAPTION: &str = "The referral pathway from first contact to support";
pub const FIGURE_ALT: &str =
    "A health visitor refers a family to the perinatal mental health team.";

/// A small diagram with text in it, as `cradle_diagrams` draws them.
pub const PATHWAY_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="160" viewBox="0 0 480 160" font-family="'Noto Sans', sans-serif">
  <rect x="10" y="40" width="180" height="80" rx="8" fill="#eef5f4" stroke="#0b5c5a" stroke-width="2"/>
  <text x="100" y="86" font-size="16" text-anchor="middle" fill="#063b3a">Health visitor</text>
  <path d="M190 80 H280" stroke="#0b5c5a" stroke-width="3" fill="none"/>
  <polygon points="280,72 296,80 280,88" fill="#0b5c5a"/>
  <rect x="296" y="40" width="174" height="80" rx="8" fill="#eef5f4" stroke="#0b5c5a" stroke-width="2"/>
  <text x="383" y="86" font-size="16" text-anchor="middle" fill="#063b3a">Perinatal team</text>
</svg>"##;

/// The births shown in the table's row `index` (numbered from 1): widths from one digit to
/// five, so right alignment shows.
pub fn births(index: u64) -> u64 {
    [7, 42, 318, 1_234, 12_345][(index % 5) as usize] + index
}

/// A document holding each kind of block at least once, a table of `rows` rows and
/// `AWKWARD` in every kind of user text.
pub fn every_block(rows: u64) -> Document {
    Document {
        title: "Babies' mental health in Northshire".to_owned(),
        partnership: "Northshire Best Start Partnership".to_owned(),
        author: "Public health team".to_owned(),
        date: "7 December 2026".to_owned(),
        language: "en-GB".to_owned(),
        introduction: format!(
            "This pack gathers what we know.\n\n{AWKWARD} was typed into the introduction."
        ),
        attribution: "UNICEF UK and PEDAL toolkit; Northshire Best Start Partnership".to_owned(),
        sections: vec![summary(), need(rows), pathway()],
        references: references(),
    }
}

fn summary() -> Section {
    Section {
        kind: SectionKind::Summary,
        title: "Cover and summary".to_owned(),
        blocks: vec![
            Block::Heading {
                text: format!("What the data says {AWKWARD}"),
            },
            Block::Paragraph {
                text: format!("{AWKWARD} is a service name."),
            },
            Block::Bullets {
                items: vec!["First point".to_owned(), AWKWARD.to_owned()],
            },
            Block::Fact {
                statement: "Around 1 in 5 mothers have a mental health problem in pregnancy or after birth."
                    .to_owned(),
                figure: Some("1 in 5".to_owned()),
                cited: vec![
                    "Bauer and others (2014)".to_owned(),
                    "NICE (2020)".to_owned(),
                ],
            },
            Block::Missing {
                text: format!("{AWKWARD}: import the workforce return to show staffing."),
            },
        ],
    }
}

fn need(rows: u64) -> Section {
    let mut rows: Vec<Vec<Cell>> = (1..=rows)
        .map(|index| {
            let births = births(index);
            let mothers = births as f64 / 5.0;
            vec![
                Cell::text(format!("Ward {index:03}")),
                Cell::count(births),
                Cell::number(mothers, format!("{mothers:.1}")),
            ]
        })
        .collect();
    // A user's text in a cell, and a short row: the table still lines up.
    rows.push(vec![Cell::text(AWKWARD), Cell::Empty]);
    Section {
        kind: SectionKind::Need,
        title: "Estimated need".to_owned(),
        blocks: vec![
            Block::Paragraph {
                text: "Need is estimated from births.".to_owned(),
            },
            Block::Table(Table {
                caption: TABLE_CAPTION.to_owned(),
                sheet: Some("Need".to_owned()),
                columns: vec![
                    Column::text("Ward"),
                    Column::number(BIRTHS_TITLE),
                    Column::number("Mothers needing support"),
                ],
                rows,
                source: Some(TABLE_SOURCE.to_owned()),
            }),
            Block::Missing {
                text: "No data on fathers yet: import the survey.".to_owned(),
            },
        ],
    }
}

fn pathway() -> Section {
    Section {
        kind: SectionKind::Pathway,
        title: "Referral pathway".to_owned(),
        blocks: vec![Block::Figure(Figure {
            caption: FIGURE_CAPTION.to_owned(),
            alt: FIGURE_ALT.to_owned(),
            svg: PATHWAY_SVG.to_owned(),
            slug: "pathway".to_owned(),
        })],
    }
}

fn references() -> Vec<Reference> {
    vec![
        Reference {
            id: "bauer-2014".to_owned(),
            label: "Bauer and others (2014)".to_owned(),
            full: "Bauer A, Parsonage M, Knapp M, Iemmi V, Adelaja B. The costs of perinatal mental health problems. LSE, 2014."
                .to_owned(),
            url: Some("https://www.lse.ac.uk/perinatal-costs".to_owned()),
        },
        Reference {
            id: "nice-2020".to_owned(),
            label: "NICE (2020)".to_owned(),
            full: format!("Antenatal and postnatal mental health. {AWKWARD}"),
            url: None,
        },
    ]
}

/// A document of the size a full pack reaches (about 20 pages): every section kind with
/// prose, facts, a 40-row table and a figure.
pub fn realistic() -> Document {
    let mut document = every_block(40);
    let template = document.sections.clone();
    document.sections = (0..4)
        .flat_map(|round| {
            template.iter().map(move |section| Section {
                title: format!("{} ({})", section.title, round + 1),
                ..section.clone()
            })
        })
        .collect();
    for section in &mut document.sections {
        section.blocks.push(Block::Paragraph {
            text: "Local partners agreed the priorities set out here. ".repeat(40),
        });
    }
    document
}
