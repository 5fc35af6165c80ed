//! Times a full report pack for a busy partnership: 300 services, 5 areas with population
//! figures, local indicators, 2 self-assessment rounds of 6 raters and 50 actions, every
//! section. Prints `name: value` lines for `scripts/bench report`:
//!
//! ```sh
//! cargo run --release -p cradle-report --example report_timing
//! ```
//!
//! `report_gather_ms` reads the picture from a SQLite store and builds the document;
//! `report_pdf_ms`, `report_docx_ms` and `report_xlsx_ms` make each file from it (median of
//! 5 runs); `report_pdf_pages` and the sizes say what was made; `report_peak_rss_mb` is the
//! process's peak resident memory.

use std::process::ExitCode;
use std::time::Instant;

use cradle_domain::actions::{Action, ActionStatus};
use cradle_domain::partnership::{NewPartnership, Partnership};
use cradle_domain::report::{PackDefinition, SectionKind};
use cradle_domain::self_assessment::{Answer, RaterScope, Response, RoundSettings};
use cradle_domain::services::ServiceFields;
use cradle_domain::vocabulary::{MaturityLevel, Nation, Sector};
use cradle_report::Format;
use cradle_store::{Actor, NewUser, Rater, Store};
use time::OffsetDateTime;

const RUNS: usize = 5;
const AREAS: [(&str, &str); 5] = [
    ("E06000001", "Hartlepool"),
    ("E06000002", "Middlesbrough"),
    ("E06000003", "Redcar and Cleveland"),
    ("E06000004", "Stockton-on-Tees"),
    ("E06000005", "Darlington"),
];
const INDICATORS: &[u8] = include_bytes!("../../readers/tests/fixtures/fingertips-tees.csv");

type Failure = Box<dyn std::error::Error>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("report_timing: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let content = cradle_content::embedded().map_err(|p| cradle_content::report(&p))?;
    let folder = tempfile::tempdir()?;
    let store = Store::open_sqlite(&folder.path().join("bench.db")).await?;
    let (actor, partnership) = busy_partnership(&store).await?;
    let pack = PackDefinition {
        name: "Everything".into(),
        title: "Every section".into(),
        author: "Benchmark".into(),
        introduction: String::new(),
        sections: SectionKind::ALL.to_vec(),
    };
    let today = OffsetDateTime::now_utc().date();
    let mut gather = Vec::new();
    let mut document = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let picture = cradle_report::picture(&store, &partnership, today).await?;
        document = Some(cradle_report::document(&picture, &content, &pack, today));
        gather.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let document = document.ok_or("no document was made")?;
    println!("report_gather_ms: {:.1}", median(&mut gather));
    for format in Format::ALL {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            size = cradle_report::render(&document, format)?.len();
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        let name = format.extension();
        println!("report_{name}_ms: {:.1}", median(&mut times));
        println!("report_{name}_kb: {}", size.div_ceil(1000));
    }
    println!("report_peak_rss_mb: {}", peak_rss_mb().unwrap_or_default());
    drop(actor);
    store.close().await;
    Ok(())
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Peak resident memory of this process (VmHWM), in MB.
fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

async fn busy_partnership(store: &Store) -> Result<(Actor, Partnership), Failure> {
    let user = store
        .create_user(&NewUser {
            email: "bench@example.org".parse()?,
            display_name: "Bench Analyst".into(),
            password_hash: None,
            is_site_admin: false,
        })
        .await?;
    let actor = Actor { user_id: user.id };
    let codes: Vec<&str> = AREAS.iter().map(|(code, _)| *code).collect();
    let new = NewPartnership::validate("Tees Valley", Nation::England, "", &codes, false)
        .map_err(|e| format!("{e:?}"))?;
    let partnership = store.create_partnership_with_owner(&new, &actor).await?;
    let population = cradle_readers::read_population(population_csv().as_bytes(), "mye2.csv")
        .map_err(|problems| format!("the population file was refused: {problems:?}"))?;
    store
        .import_population(&actor, &partnership.id, &population)
        .await?;
    let indicators = cradle_readers::read_indicators(INDICATORS, "fingertips-tees.csv")
        .map_err(|problems| format!("the indicator file was refused: {problems:?}"))?;
    store
        .import_indicators(&actor, &partnership.id, &indicators)
        .await?;
    add_services(store, &actor, &partnership.id).await?;
    add_rounds(store, &actor, &partnership.id).await?;
    for n in 0..50 {
        let action = Action {
            what: format!("Action {n}: agree a shared referral route"),
            owner: "Family hub lead".into(),
            due: None,
            status: [
                ActionStatus::Open,
                ActionStatus::InProgress,
                ActionStatus::Done,
            ][n % 3],
        };
        store
            .create_action(&actor, &partnership.id, None, &action)
            .await?;
    }
    Ok((actor, partnership))
}

/// An ONS MYE2-shaped file: the UK, England and the five areas, ages 0 to 90+.
fn population_csv() -> String {
    let ages: Vec<String> = (0..90).map(|age| age.to_string()).collect();
    let mut csv = format!("Code,Name,Geography,All ages,{},90+\n", ages.join(","));
    let rows = [
        ("K02000001", "UNITED KINGDOM", "Country", 700_000),
        ("E92000001", "ENGLAND", "Country", 600_000),
    ]
    .into_iter()
    .chain(
        AREAS
            .iter()
            .map(|(code, name)| (*code, *name, "Unitary Authority", 1_100)),
    );
    for (code, name, geography, per_year) in rows {
        let counts: Vec<String> = (0..91).map(|_| per_year.to_string()).collect();
        csv.push_str(&format!(
            "{code},{name},{geography},{},{}\n",
            per_year * 91,
            counts.join(",")
        ));
    }
    csv
}

async fn add_services(store: &Store, actor: &Actor, partnership: &str) -> Result<(), Failure> {
    let tiers = ["universal", "targeted", "specialist"];
    let bands = ["0-6m", "6-12m", "1-2y", "2-3y", "3-5y"];
    for n in 0..300 {
        let service = ServiceFields {
            key: format!("service-{n}"),
            name: format!("Service {n} <family> & #{n}"),
            provider: format!("Provider {}", n % 20),
            sector: ["health", "early-years", "social-care", "voluntary"][n % 4].into(),
            tier: tiers[n % 3].into(),
            age_bands: bands[n % 5].into(),
            levels: "caregiving".into(),
            referral_from: if n > 0 {
                format!("service-{}", n - 1)
            } else {
                String::new()
            },
            ..ServiceFields::default()
        }
        .validate()
        .map_err(|e| format!("service {n}: {e:?}"))?;
        store.create_service(actor, partnership, &service).await?;
    }
    Ok(())
}

async fn add_rounds(store: &Store, actor: &Actor, partnership: &str) -> Result<(), Failure> {
    let content = cradle_content::embedded().map_err(|p| cradle_content::report(&p))?;
    let characteristics: Vec<String> = content
        .characteristics
        .iter()
        .map(|c| c.id.clone())
        .collect();
    for round in 0..2 {
        let settings = RoundSettings {
            title: format!("Round {}", round + 1),
            characteristics: characteristics.clone(),
            min_raters: 3,
            scope: RaterScope::Members,
            anonymous: true,
        };
        let id = store
            .open_round(actor, partnership, &settings, None)
            .await?;
        for rater in 0..6 {
            let level = MaturityLevel::ALL[(rater + round) % MaturityLevel::ALL.len()];
            let response = Response {
                sector: Sector::ALL[rater % Sector::ALL.len()],
                answers: characteristics
                    .iter()
                    .map(|characteristic| Answer {
                        characteristic: characteristic.clone(),
                        level,
                        evidence: "Seen in the partnership's own review".into(),
                    })
                    .collect(),
            };
            let who = Rater {
                key: format!("rater-{round}-{rater}"),
                user_id: None,
                name: String::new(),
            };
            store.answer_round(&id, &who, &response).await?;
        }
    }
    Ok(())
}
