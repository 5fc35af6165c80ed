//! Times the Word and Excel outputs for a realistic pack: 5 areas, a 300-row service map,
//! 50 actions and the toolkit's three diagrams. Run in release:
//!
//! ```sh
//! cargo run --release -p cradle-report --example office_timing [-- FOLDER]
//! ```
//!
//! With a folder, it also writes the files there, to open and look at.

use std::time::{Duration, Instant};

use cradle_report::{
    Block, Cell, Column, Document, Figure, Format, Reference, Section, SectionKind, Table,
};

const AREAS: [&str; 5] = ["Northshire", "Eastbury", "Westford", "Southam", "Midvale"];
const RUNS: u32 = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let document = document()?;
    let folder = std::env::args().nth(1);
    for format in [Format::Docx, Format::Xlsx] {
        let bytes = cradle_report::render(&document, format)?;
        let mut fastest = Duration::MAX;
        for _ in 0..RUNS {
            let start = Instant::now();
            cradle_report::render(&document, format)?;
            fastest = fastest.min(start.elapsed());
        }
        println!(
            "{}: {:.0} ms (fastest of {RUNS}), {} KB",
            format.label(),
            fastest.as_secs_f64() * 1000.0,
            bytes.len() / 1024
        );
        if let Some(folder) = &folder {
            std::fs::write(format!("{folder}/pack.{}", format.extension()), bytes)?;
        }
    }
    let start = Instant::now();
    let zip = cradle_report::slides_zip(&document)?;
    println!(
        "Slides ({} figures, PNG and SVG zipped): {:.0} ms, {} KB",
        document.figures().count(),
        start.elapsed().as_secs_f64() * 1000.0,
        zip.len() / 1024
    );
    if let Some(folder) = &folder {
        std::fs::write(format!("{folder}/slides.zip"), zip)?;
    }
    Ok(())
}

fn document() -> Result<Document, Box<dyn std::error::Error>> {
    let content =
        cradle_content::embedded().map_err(|problems| cradle_content::report(&problems))?;
    let figures: Vec<Block> = cradle_diagrams::all(&content)
        .into_iter()
        .map(|diagram| {
            Block::Figure(Figure {
                caption: diagram.title.clone(),
                alt: diagram.description.clone(),
                svg: diagram.svg,
                slug: diagram.id.to_owned(),
            })
        })
        .collect();
    let section = |kind: SectionKind, blocks: Vec<Block>| Section {
        kind,
        title: kind.label().to_owned(),
        blocks,
    };
    Ok(Document {
        title: "Babies' mental health in Northshire".to_owned(),
        partnership: "Northshire Start for Life Partnership".to_owned(),
        author: "Northshire public health team".to_owned(),
        date: "7 December 2026".to_owned(),
        language: "en-GB".to_owned(),
        introduction: "Why this pack matters.\n\nWhat we ask the board to decide.".to_owned(),
        attribution: "Made with Cradle, from the UNICEF UK / PEDAL toolkit".to_owned(),
        sections: vec![
            section(SectionKind::Framework, figures),
            section(SectionKind::Need, vec![need()]),
            section(SectionKind::Services, vec![services()]),
            section(SectionKind::Actions, vec![actions()]),
        ],
        references: (1..=20)
            .map(|number| Reference {
                id: format!("source-{number}"),
                label: format!("Author {number} (2020)"),
                full: format!(
                    "Author {number}. A study of perinatal mental health, part {number}. 2020."
                ),
                url: Some(format!("https://example.org/studies/{number}")),
            })
            .collect(),
    })
}

fn need() -> Block {
    Block::Table(Table {
        caption: "Estimated need by area and tier".to_owned(),
        sheet: Some("Need".to_owned()),
        columns: vec![
            Column::text("Area"),
            Column::number("Births"),
            Column::number("Tier 1"),
            Column::number("Tier 2"),
            Column::number("Tier 3"),
        ],
        rows: AREAS
            .iter()
            .enumerate()
            .map(|(index, area)| {
                let births = 2_000 + index as u64 * 350;
                vec![
                    Cell::text(*area),
                    Cell::count(births),
                    Cell::count(births / 5),
                    Cell::count(births / 10),
                    Cell::count(births / 50),
                ]
            })
            .collect(),
        source: Some("ONS births 2024".to_owned()),
    })
}

fn services() -> Block {
    Block::Table(Table {
        caption: "Service map".to_owned(),
        sheet: Some("Services".to_owned()),
        columns: [
            "Service",
            "Provider",
            "Area",
            "Tier",
            "Age range",
            "Referral route",
            "Notes",
        ]
        .into_iter()
        .map(Column::text)
        .chain([Column::number("Places")])
        .collect(),
        rows: (1..=300)
            .map(|number| {
                vec![
                    Cell::text(format!("Perinatal support service {number}")),
                    Cell::text(format!("Provider {}", number % 17)),
                    Cell::text(AREAS[number % 5]),
                    Cell::text(format!("Tier {}", number % 4 + 1)),
                    Cell::text("Pregnancy to 2 years"),
                    Cell::text("Health visitor, GP or self-referral"),
                    Cell::text("Runs weekly groups; waiting list in winter; =SUM(A1) #1 <b>"),
                    Cell::count(number as u64 * 3),
                ]
            })
            .collect(),
        source: Some("Partnership service map, updated 1 December 2026".to_owned()),
    })
}

fn actions() -> Block {
    Block::Table(Table {
        caption: "Action plan".to_owned(),
        sheet: Some("Actions".to_owned()),
        columns: vec![
            Column::text("Action"),
            Column::text("Owner"),
            Column::text("Due"),
            Column::text("Status"),
        ],
        rows: (1..=50)
            .map(|number| {
                vec![
                    Cell::text(format!(
                        "Action {number}: close gap in the referral pathway"
                    )),
                    Cell::text(format!("Lead {}", number % 7)),
                    Cell::text("March 2027"),
                    Cell::text("In progress"),
                ]
            })
            .collect(),
        source: None,
    })
}
