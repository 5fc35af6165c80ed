//! A hand-built picture of an invented partnership, the real content, and ways to read a
//! section back, for the sections' tests.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use cradle_content::Content;
use cradle_domain::actions::{Action, ActionStatus};
use cradle_domain::need::{AreaPopulationView, Override, Rate};
use cradle_domain::partnership::{AreaCode, Partnership};
use cradle_domain::report::{Block, Cell, Figure, Section, SectionKind, Table};
use cradle_domain::self_assessment::{Answer, Response, results};
use cradle_domain::services::{Element, Service};
use cradle_domain::vocabulary::{EcoLevel, MaturityLevel, Nation, Sector, Stage, Tier};
use cradle_domain::walkthrough::FindingKind;
use time::Date;
use time::macros::date;

use super::{Built, build};
use crate::gather::{
    ActionOrigin, ActionRecord, FileSource, Finding, IndicatorReading, IndicatorSeries,
    LevelRecord, LocalIndicator, Picture, Population, RoundRecord, WalkthroughRecord,
    WorkshopRecord,
};

/// Text that must print as itself in every format.
pub(crate) const AWKWARD: &str = "=SUM(A1) <b>#1</b>";

pub(crate) fn content() -> &'static Content {
    static CONTENT: OnceLock<Content> = OnceLock::new();
    CONTENT.get_or_init(|| cradle_content::embedded().expect("the embedded content is valid"))
}

pub(crate) fn today() -> Date {
    date!(2026 - 12 - 07)
}

fn code(text: &str) -> AreaCode {
    text.parse().unwrap()
}

pub(crate) fn partnership() -> Partnership {
    Partnership {
        id: "p1".into(),
        name: "Tees Valley".into(),
        nation: Nation::England,
        description: String::new(),
        areas: vec![code("E06000001"), code("E06000002")],
        is_demo: false,
    }
}

/// A partnership with nothing imported, mapped or recorded.
pub(crate) fn empty() -> Picture {
    Picture::empty(partnership(), today())
}

fn area(
    text: &str,
    name: &str,
    under_fives: [u64; 5],
    older: u64,
    births: u64,
) -> AreaPopulationView {
    let mut ages: BTreeMap<u8, u64> = (0u8..).zip(under_fives).collect();
    ages.insert(30, older);
    AreaPopulationView {
        area: code(text),
        name: name.into(),
        ages,
        caution: None,
        births: Some(births),
    }
}

fn source(file_name: &str, publisher: &str, year: u16) -> FileSource {
    FileSource {
        file_name: file_name.into(),
        publisher: publisher.into(),
        edition: "Mid-year estimates".into(),
        year: Some(year),
        imported_on: date!(2026 - 11 - 02),
    }
}

fn population() -> Population {
    Population {
        source: source("nomis.csv", "Office for National Statistics", 2023),
        births_source: Some(source("births.csv", "Office for National Statistics", 2023)),
        areas: vec![
            area(
                "E06000001",
                "Hartlepool",
                [915, 960, 981, 1066, 1081],
                90_000,
                901,
            ),
            area(
                "E06000002",
                "Middlesbrough",
                [1824, 1798, 1766, 1830, 1889],
                140_000,
                1_802,
            ),
        ],
        missing_areas: Vec::new(),
        nations: vec![area(
            "E92000001",
            "ENGLAND",
            [550_000, 560_000, 570_000, 580_000, 590_000],
            54_000_000,
            560_000,
        )],
    }
}

fn service(key: &str, name: &str, tier: Tier, stages: &[Stage], from: &[&str]) -> Service {
    Service {
        key: key.into(),
        name: name.into(),
        provider: "Tees NHS Foundation Trust".into(),
        sector: Sector::Health,
        tier,
        stages: stages.to_vec(),
        levels: vec![EcoLevel::Caregiving],
        elements: vec![Element::ALL[0]],
        works_with_relationship: true,
        areas: vec![code("E06000001")],
        eligibility: "All families".into(),
        referral_from: from.iter().map(|s| (*s).to_owned()).collect(),
        capacity_families_per_year: Some(4_000),
        funding_end: Some(date!(2027 - 03 - 31)),
    }
}

fn services() -> Vec<Service> {
    vec![
        service(
            "HV",
            "Health visiting",
            Tier::Universal,
            &Stage::ALL[1..],
            &["GP practices"],
        ),
        service(
            "PIT",
            AWKWARD,
            Tier::Specialist,
            &[Stage::ZeroToSixMonths],
            &["HV", "PIT"],
        ),
    ]
}

fn reading(value: f64, compared: &str) -> Option<IndicatorReading> {
    Some(IndicatorReading {
        value: Some(value),
        lower_95: Some(value - 0.5),
        upper_95: Some(value + 0.5),
        note: None,
        compared: Some(compared.into()),
    })
}

fn indicator() -> LocalIndicator {
    LocalIndicator {
        id: 20101,
        name: "Low birth weight of term babies".into(),
        group: "Persons, >=37 weeks".into(),
        source: FileSource {
            edition: "Public health profiles (Fingertips), data download".into(),
            ..source("fingertips.csv", "OHID", 2022)
        },
        periods: vec!["2021".into(), "2022".into()],
        series: vec![
            IndicatorSeries {
                name: "Hartlepool".into(),
                is_nation: false,
                by_period: vec![reading(3.4, "Similar"), reading(3.9, "Worse")],
            },
            IndicatorSeries {
                name: "England".into(),
                is_nation: true,
                by_period: vec![reading(2.8, "Not compared"), reading(2.9, "Not compared")],
            },
        ],
    }
}

fn response(sector: Sector, level: MaturityLevel) -> Response {
    Response {
        sector,
        answers: vec![Answer {
            characteristic: "shared-vision-leadership".into(),
            level,
            evidence: String::new(),
        }],
    }
}

fn rounds() -> Vec<RoundRecord> {
    use MaturityLevel::{Developing, Emerging, Established};
    let ids = ["shared-vision-leadership"];
    let now = [Established, Developing, Established].map(|l| response(Sector::Health, l));
    let before = [Emerging, Developing, Emerging].map(|l| response(Sector::Health, l));
    let round = |title: &str, opened, responses: &[Response]| RoundRecord {
        title: title.into(),
        opened,
        closed: None,
        min_raters: 3,
        answered: responses.len(),
        results: results(&ids, 3, responses),
    };
    vec![
        round("Spring round", date!(2026 - 04 - 01), &now),
        round("Autumn round", date!(2025 - 10 - 01), &before),
        round("Small round", date!(2025 - 01 - 01), &now[..2]),
    ]
}

/// A partnership with something of everything.
pub(crate) fn full() -> Picture {
    let mut picture = empty();
    picture.population = Some(population());
    picture.overrides = vec![
        Override::new(
            "perinatal-ptsd",
            Some(code("E06000001")),
            Rate::new(35.0, 40.0, 45.0, 1000).unwrap(),
            "Local audit: =SUM(A1) <b>#1</b>",
            "Pat",
        )
        .unwrap(),
    ];
    picture.indicators = vec![indicator()];
    picture.indicator_files = 1;
    picture.services = services();
    picture.coverage_actions.insert(
        "No service on the map works in pregnancy".into(),
        "Open: Commission antenatal support".into(),
    );
    picture.walkthroughs = vec![WalkthroughRecord {
        title: "Ava, six months".into(),
        national: true,
        date: date!(2026 - 10 - 10),
        who_would_notice: "The health visitor".into(),
        family_experience: "Long waits".into(),
        levels: vec![LevelRecord {
            level: EcoLevel::Caregiving,
            services: vec!["Health visiting".into()],
            timing: "Within 10 days".into(),
        }],
        gaps: vec!["No evening support".into()],
        risks: vec!["Family moves away".into()],
    }];
    picture.findings = vec![
        Finding {
            kind: FindingKind::Gap,
            description: "No evening support".into(),
            walkthrough: "Ava, six months".into(),
            action: Some("In progress: Fund an evening helpline".into()),
        },
        Finding {
            kind: FindingKind::Risk,
            description: "Family moves away".into(),
            walkthrough: "Ava, six months".into(),
            action: None,
        },
    ];
    picture.rounds = rounds();
    picture.workshops = vec![WorkshopRecord {
        title: "Launch".into(),
        date: Some(date!(2026 - 09 - 15)),
        purpose: "Agree priorities".into(),
        decisions: vec![AWKWARD.into()],
    }];
    picture.actions = actions();
    picture
}

fn actions() -> Vec<ActionRecord> {
    let action = |what: &str, status, due| Action {
        what: what.into(),
        owner: "Public health".into(),
        due,
        status,
    };
    vec![
        ActionRecord {
            action: action(
                "Fund an evening helpline",
                ActionStatus::InProgress,
                Some(date!(2027 - 01 - 31)),
            ),
            origin: ActionOrigin::Gap("No evening support".into()),
        },
        ActionRecord {
            action: action(AWKWARD, ActionStatus::Open, None),
            origin: ActionOrigin::Workshop("Launch".into()),
        },
        ActionRecord {
            action: action("Map services", ActionStatus::Done, None),
            origin: ActionOrigin::Log,
        },
    ]
}

pub(crate) fn built(picture: &Picture, kind: SectionKind) -> Built {
    build(picture, content(), kind, None)
}

pub(crate) fn headings(section: &Section) -> Vec<String> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Heading { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

pub(crate) fn missing(section: &Section) -> Vec<&str> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Missing { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

pub(crate) fn tables(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(table),
            _ => None,
        })
        .collect()
}

pub(crate) fn figures(section: &Section) -> Vec<&Figure> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Figure(figure) => Some(figure),
            _ => None,
        })
        .collect()
}

pub(crate) fn table_captioned<'s>(section: &'s Section, caption: &str) -> &'s Table {
    tables(section)
        .into_iter()
        .find(|table| table.caption == caption)
        .unwrap_or_else(|| panic!("no table captioned {caption:?} in {:?}", section.kind))
}

pub(crate) fn sheet<'s>(section: &'s Section, name: &str) -> &'s Table {
    tables(section)
        .into_iter()
        .find(|table| table.sheet.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no sheet {name:?} in {:?}", section.kind))
}

/// The row whose first cell reads `first`.
pub(crate) fn row_starting<'t>(table: &'t Table, first: &str) -> &'t [Cell] {
    table
        .rows
        .iter()
        .find(|row| row.first().is_some_and(|cell| cell.shown() == first))
        .unwrap_or_else(|| panic!("no row {first:?} in {:?}", table.caption))
}

pub(crate) fn shown(cells: &[Cell]) -> Vec<&str> {
    cells.iter().map(Cell::shown).collect()
}

/// Every piece of text in the section, one per line.
pub(crate) fn text_of(section: &Section) -> String {
    super::glossary::words_of(std::slice::from_ref(section))
}
