//! A partnership's picture read from a real store (SQLite, and PostgreSQL when configured),
//! after importing real files as the web's uploads do, and the sections built from it.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use cradle_content::Content;
use cradle_domain::actions::{Action, ActionStatus};
use cradle_domain::partnership::{NewPartnership, Partnership};
use cradle_domain::report::{Block, Cell, Section, SectionKind, Table};
use cradle_domain::self_assessment::{Answer, RaterScope, Response, RoundSettings};
use cradle_domain::services::gaps;
use cradle_domain::vocabulary::{EcoLevel, MaturityLevel, Nation, Sector};
use cradle_domain::walkthrough::{LevelResponse, Walkthrough};
use cradle_domain::workshop::WorkshopDetails;
use cradle_report::{ActionOrigin, Picture, picture, section};
use cradle_store::{Actor, NewUser, Rater, ScenarioRef, Store, backend_suite};
use time::Date;
use time::macros::date;

backend_suite!(
    imported_population_services_and_an_action_make_the_case_for_action,
    a_partnership_with_nothing_yet_is_told_what_to_import,
    walkthroughs_rounds_and_workshops_read_as_their_pages_show_them,
);

const NOMIS: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");
const BIRTHS: &[u8] = include_bytes!("../../readers/tests/fixtures/ons-births-2022.csv");
const SERVICES: &[u8] = include_bytes!("../../readers/tests/fixtures/services_good.csv");
const FINGERTIPS: &[u8] = include_bytes!("../../readers/tests/fixtures/fingertips-tees.csv");

const TODAY: Date = date!(2026 - 06 - 01);

fn content() -> Content {
    cradle_content::embedded().unwrap()
}

async fn tees_valley(store: &Store) -> (Actor, Partnership) {
    let user = store
        .create_user(&NewUser {
            email: "pat@example.org".parse().unwrap(),
            display_name: "Pat Analyst".into(),
            password_hash: None,
            is_site_admin: false,
        })
        .await
        .unwrap();
    let actor = Actor { user_id: user.id };
    let new = NewPartnership::validate(
        "Tees Valley",
        Nation::England,
        "",
        &["E06000001", "E06000002"],
        false,
    )
    .unwrap();
    let partnership = store
        .create_partnership_with_owner(&new, &actor)
        .await
        .unwrap();
    (actor, partnership)
}

/// Imports the population, births, indicator and service files, and adds two actions: one
/// answering the funding gap the coverage rules find, one added to the log directly.
async fn import_everything(store: &Store, actor: &Actor, partnership: &Partnership) -> String {
    let id = &partnership.id;
    let population = cradle_readers::read_population(NOMIS, "nomis-mid2023.csv").unwrap();
    store
        .import_population(actor, id, &population)
        .await
        .unwrap();
    let births = cradle_readers::read_births(BIRTHS, "ons-births-2022.csv").unwrap();
    store
        .import_population(actor, id, &births.as_population())
        .await
        .unwrap();
    let indicators = cradle_readers::read_indicators(FINGERTIPS, "fingertips-tees.csv").unwrap();
    store
        .import_indicators(actor, id, &indicators)
        .await
        .unwrap();
    let services = cradle_readers::read_services(SERVICES).unwrap();
    store.import_services(actor, id, &services).await.unwrap();
    let funding = gaps(&services, TODAY)
        .into_iter()
        .find(|gap| gap.message.contains("funding"))
        .unwrap();
    let action = |what: &str| Action {
        what: what.into(),
        owner: "Public health <team> #1".into(),
        due: Some(date!(2027 - 01 - 31)),
        status: ActionStatus::Open,
    };
    store
        .create_action_for_gap(
            actor,
            id,
            &format!("coverage:{}", funding.message),
            &action("Find funding to =SUM(A1) the gap"),
        )
        .await
        .unwrap();
    store
        .create_action(actor, id, None, &action("Map the voluntary sector"))
        .await
        .unwrap();
    funding.message
}

fn tables(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Table(table) => Some(table),
            _ => None,
        })
        .collect()
}

fn table<'s>(section: &'s Section, caption: &str) -> &'s Table {
    tables(section)
        .into_iter()
        .find(|table| table.caption.starts_with(caption))
        .unwrap_or_else(|| panic!("no table {caption:?}"))
}

fn row<'t>(table: &'t Table, first: &str) -> Vec<&'t str> {
    table
        .rows
        .iter()
        .find(|row| row[0].shown() == first)
        .unwrap_or_else(|| panic!("no row {first:?} in {}", table.caption))
        .iter()
        .map(Cell::shown)
        .collect()
}

fn paragraphs(section: &Section) -> Vec<&str> {
    section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Paragraph { text } | Block::Missing { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

async fn imported_population_services_and_an_action_make_the_case_for_action(store: &Store) {
    let (actor, partnership) = tees_valley(store).await;
    let funding = import_everything(store, &actor, &partnership).await;
    let picture = picture(store, &partnership, TODAY).await.unwrap();
    let case = section(&picture, &content(), SectionKind::CaseForAction);

    let children = table(&case, "Births and young children in each area");
    // Hartlepool, mid-2023: 915 babies under 1 and 5,003 children aged 0 to 4; 901 live
    // births in the 2022 births file.
    assert_eq!(
        row(children, "Hartlepool"),
        ["Hartlepool", "901", "915", "5,003"]
    );
    assert_eq!(row(children, "The partnership")[1], "2,603");
    let source = children.source.as_deref().unwrap();
    assert!(
        source.contains("nomis-mid2023.csv") && source.contains("ons-births-2022.csv"),
        "{source}"
    );

    let need = table(&case, "Estimated need across the partnership");
    let mild = need
        .rows
        .iter()
        .find(|row| row[1].shown() == "Mild to moderate depression and anxiety in mothers")
        .unwrap();
    // 2,603 live births × 100–150 per 1,000 (central 125).
    let figures: Vec<&str> = mild[2..5].iter().map(Cell::shown).collect();
    assert_eq!(figures, ["325", "260", "390"]);

    let latest = table(&case, "Local indicators");
    assert!(latest.rows.iter().any(|row| row[1].shown() == "Hartlepool"));
    assert!(
        latest
            .source
            .as_deref()
            .unwrap()
            .contains("fingertips-tees.csv")
    );
    assert!(
        paragraphs(&case)
            .iter()
            .any(|text| text.starts_with("The service map holds 5 services.")),
        "{:?}",
        paragraphs(&case)
    );
    actions_with_their_origins(&picture, &funding);
}

/// The action plan and the gap sheet, each action with where it came from.
fn actions_with_their_origins(picture: &Picture, funding: &str) {
    let actions = section(picture, &content(), SectionKind::Actions);
    let plan = table(&actions, "The action plan");
    assert_eq!(
        row(plan, "Find funding to =SUM(A1) the gap"),
        [
            "Find funding to =SUM(A1) the gap",
            "Public health <team> #1",
            "31 January 2027",
            "Open",
            &format!("Gap: {funding}")
        ]
    );
    assert_eq!(
        row(plan, "Map the voluntary sector")[4],
        "Added to the action log"
    );
    assert!(matches!(&picture.actions[0].origin, ActionOrigin::Gap(gap) if gap == funding));
    let services = section(picture, &content(), SectionKind::Services);
    let gap_sheet = table(&services, "Gaps in the service map");
    assert_eq!(
        row(gap_sheet, "Funding ending")[2],
        "Open: Find funding to =SUM(A1) the gap"
    );
}

async fn a_partnership_with_nothing_yet_is_told_what_to_import(store: &Store) {
    let (_, partnership) = tees_valley(store).await;
    let picture = picture(store, &partnership, TODAY).await.unwrap();
    assert!(picture.population.is_none() && picture.services.is_empty());
    let case = section(&picture, &content(), SectionKind::CaseForAction);
    let missing: Vec<&str> = case
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Missing { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        missing
            .iter()
            .any(|text| text.contains("Population data page")),
        "{missing:?}"
    );
    assert!(tables(&case).is_empty(), "no table of zeros");
}

/// A round on one characteristic, answered by `raters` raters who each chose developing.
async fn round(store: &Store, actor: &Actor, id: &str, title: &str, raters: usize) {
    let settings = RoundSettings {
        title: title.into(),
        characteristics: vec!["shared-vision-leadership".into()],
        min_raters: 3,
        scope: RaterScope::Members,
        anonymous: true,
    };
    let round = store.open_round(actor, id, &settings, None).await.unwrap();
    for n in 0..raters {
        let rater = Rater {
            key: format!("rater-{n}"),
            user_id: None,
            name: String::new(),
        };
        let response = Response {
            sector: Sector::Health,
            answers: vec![Answer {
                characteristic: "shared-vision-leadership".into(),
                level: MaturityLevel::Developing,
                evidence: String::new(),
            }],
        };
        store.answer_round(&round, &rater, &response).await.unwrap();
    }
}

/// A walk-through naming a service on the map and a gap, with an action for the gap.
async fn walk_through(store: &Store, actor: &Actor, id: &str) {
    let services = store.services(id).await.unwrap();
    let visiting = services
        .iter()
        .find(|s| s.service.name == "Health visiting")
        .unwrap();
    let scenario = ScenarioRef {
        national: true,
        id: "postpartum-psychosis-rural-scotland".into(),
        title: "A sudden crisis in the first fortnight".into(),
    };
    let walkthrough = Walkthrough {
        who_would_notice: "The midwife at a home visit".into(),
        family_experience: "Waits for a bed".into(),
        responses: vec![LevelResponse {
            level: EcoLevel::Caregiving,
            services: vec![visiting.id.clone()],
            timing: "The same day".into(),
        }],
        gaps: vec!["No mother and baby unit nearby".into()],
        risks: Vec::new(),
    };
    store
        .create_walkthrough(actor, id, &scenario, &walkthrough)
        .await
        .unwrap();
    let finding = &store.walkthrough_findings(id).await.unwrap()[0];
    let action = Action {
        what: "Agree a route to the nearest unit".into(),
        owner: "ICB".into(),
        due: None,
        status: ActionStatus::InProgress,
    };
    store
        .create_action_for_gap(actor, id, &format!("finding:{}", finding.id), &action)
        .await
        .unwrap();
}

async fn walkthroughs_rounds_and_workshops_read_as_their_pages_show_them(store: &Store) {
    let (actor, partnership) = tees_valley(store).await;
    let id = &partnership.id;
    let services = cradle_readers::read_services(SERVICES).unwrap();
    store.import_services(&actor, id, &services).await.unwrap();
    walk_through(store, &actor, id).await;
    round(store, &actor, id, "Too few raters", 2).await;
    round(store, &actor, id, "Enough raters", 3).await;
    let details =
        WorkshopDetails::validate("Launch <day>", "2026-05-14", "Agree priorities").unwrap();
    let code = "ABCDEF".parse().unwrap();
    let workshop = store
        .create_workshop(&actor, id, &details, None, &[], &code)
        .await
        .unwrap();
    store
        .add_decision(&actor, id, &workshop, "Fund =SUM(A1) #1")
        .await
        .unwrap();
    let agreed = Action {
        what: "Write to the board".into(),
        owner: "Chair".into(),
        due: None,
        status: ActionStatus::Open,
    };
    store
        .create_action(&actor, id, Some(&workshop), &agreed)
        .await
        .unwrap();
    let picture = picture(store, &partnership, TODAY).await.unwrap();
    records_read_as_their_pages_show_them(&picture);
}

/// The walk-through, the register, the rounds (one withheld), the workshop and the actions.
fn records_read_as_their_pages_show_them(picture: &Picture) {
    let content = content();
    let walkthroughs = section(picture, &content, SectionKind::Walkthroughs);
    let levels = table(&walkthroughs, "Who would respond");
    assert_eq!(
        row(levels, "Caregiving relationships")[1],
        "Health visiting"
    );
    let register = table(
        &walkthroughs,
        "Gaps and risks found by scenario walk-throughs",
    );
    assert_eq!(
        row(register, "Gap"),
        [
            "Gap",
            "No mother and baby unit nearby",
            "Walk-through: A sudden crisis in the first fortnight",
            "In progress: Agree a route to the nearest unit"
        ]
    );

    let assessment = section(picture, &content, SectionKind::SelfAssessment);
    let withheld: Vec<&str> = paragraphs(&assessment)
        .into_iter()
        .filter(|text| text.starts_with("Results withheld"))
        .collect();
    assert_eq!(withheld.len(), 1, "only the round with too few raters");
    assert!(withheld[0].starts_with("Results withheld: 2 of the 3 raters needed"));
    let shown = table(&assessment, "Enough raters: ratings by characteristic");
    assert_eq!(row(shown, "Shared vision and leadership")[2], "3");

    let workshops = section(picture, &content, SectionKind::Workshops);
    assert!(workshops.blocks.contains(&Block::Bullets {
        items: vec!["Fund =SUM(A1) #1".into()]
    }));
    let actions = section(picture, &content, SectionKind::Actions);
    let plan = table(&actions, "The action plan");
    assert_eq!(row(plan, "Write to the board")[4], "Workshop: Launch <day>");
    assert_eq!(
        row(plan, "Agree a route to the nearest unit")[4],
        "Gap: No mother and baby unit nearby"
    );
}
