//! One workshop with 300 participants answering at once, over HTTP on 127.0.0.1: how many
//! answers a second Cradle accepts, how long each takes from its submission to its arrival
//! on a connected presenter stream, and how many acknowledged answers never arrive (or are
//! not stored). Run in release:
//!
//! ```sh
//! cargo run --release -p cradle-web --example workshop_load -- sqlite
//! CRADLE_TEST_POSTGRES_URL=postgres://… cargo run --release -p cradle-web --example workshop_load -- postgres
//! ```
//!
//! On PostgreSQL two instances serve the same database: participants alternate between
//! them and the presenter stream is on the first, so half the answers cross instances by
//! LISTEN/NOTIFY. Prints `workshop_<backend>_answers_per_s`, `…_latency_p50_ms`,
//! `…_latency_p99_ms` and `…_answers_lost`.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cradle_domain::partnership::NewPartnership;
use cradle_domain::vocabulary::Nation;
use cradle_domain::workshop::{AgendaItem, Answer, AnswerKind, ItemKind, JoinCode, Move};
use cradle_store::testing::TestDb;
use cradle_store::{Actor, NewUser, Store};
use cradle_web::{AppState, WebConfig};
use tokio::sync::Mutex;

const PARTICIPANTS: usize = 300;
const PASSWORD: &str = "marmalade kettle lantern";
/// How long to wait for the last answers to reach the stream before counting them lost.
const GRACE: Duration = Duration::from_secs(10);

type Failure = Box<dyn std::error::Error + Send + Sync>;

async fn serve(store: Store) -> Result<String, Failure> {
    let content = Arc::new(cradle_content::embedded().map_err(|_| "content is not valid")?);
    let state = AppState::new(store, content, WebConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    tokio::spawn(cradle_web::serve(listener, state, std::future::pending()));
    Ok(address)
}

fn client() -> Result<reqwest::Client, Failure> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .pool_max_idle_per_host(2)
        .build()?)
}

fn token(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn run(label: &str, db: TestDb, second: Option<Store>) -> Result<(), Failure> {
    let store = db.store.clone();
    let user = store
        .create_user(&NewUser {
            email: "facilitator@example.org".parse()?,
            display_name: "Facilitator".into(),
            password_hash: Some(cradle_web::hash_password(PASSWORD.into()).await?),
            is_site_admin: true,
        })
        .await?;
    let actor = Actor { user_id: user.id };
    let partnership = store
        .create_partnership_with_owner(
            &NewPartnership::validate("Bench", Nation::Scotland, "", &["S12000036"], false)
                .map_err(|_| "partnership")?,
            &actor,
        )
        .await?;
    let item = AgendaItem {
        kind: ItemKind::Local,
        reference: None,
        title: "What matters most?".into(),
        answer: AnswerKind::Note,
        options: vec![],
        votes: 0,
        minutes: 10,
        facilitator_notes: String::new(),
        instruction: String::new(),
    };
    let code: JoinCode = "BENCH2".parse().map_err(|_| "code")?;
    let details = cradle_domain::workshop::WorkshopDetails::validate("Bench", "", "")
        .map_err(|_| "details")?;
    let workshop = store
        .create_workshop(&actor, &partnership.id, &details, None, &[item], &code)
        .await?;
    store
        .move_workshop(&actor, &partnership.id, &workshop, Move::Start)
        .await
        .map_err(|error| format!("{error}"))?;

    let first = serve(store.clone()).await?;
    let mut instances = vec![first.clone()];
    if let Some(second) = second {
        instances.push(serve(second).await?);
    }

    // The presenter signs in on the first instance and opens the stream.
    let presenter = client()?;
    let html = presenter
        .get(format!("{first}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = token(&html).ok_or("no token on the sign-in page")?;
    presenter
        .post(format!("{first}/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "facilitator@example.org"),
            ("password", PASSWORD),
            ("next", ""),
            ("csrf_token", &csrf),
        ])
        .send()
        .await?;
    let mut stream = presenter
        .get(format!(
            "{first}/partnerships/{}/workshops/{workshop}/present/events",
            partnership.id
        ))
        .send()
        .await?;
    if !stream.status().is_success() {
        return Err(format!("the presenter stream answered {}", stream.status()).into());
    }
    let arrivals: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let reader = {
        let arrivals = arrivals.clone();
        tokio::spawn(async move {
            let mut pending = String::new();
            while let Ok(Some(chunk)) = stream.chunk().await {
                let now = Instant::now();
                pending.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = pending.find("\n\n") {
                    let event: String = pending.drain(..end + 2).collect();
                    for line in event.lines() {
                        if let Some(data) = line.strip_prefix("data: ") {
                            arrivals.lock().await.entry(data.to_owned()).or_insert(now);
                        }
                    }
                }
            }
        })
    };

    // Everyone joins (alternating instances), then all answer at once.
    eprintln!("{label}: {PARTICIPANTS} participants joining");
    let mut people = Vec::new();
    for n in 0..PARTICIPANTS {
        let base = instances[n % instances.len()].clone();
        let browser = client()?;
        let html = browser
            .get(format!("{base}/join/{code}"))
            .send()
            .await?
            .text()
            .await?;
        let csrf = token(&html).ok_or("no token on the join page")?;
        let joined = browser
            .post(format!("{base}/join/{code}"))
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("display_name", ""),
                ("profession", ""),
                ("csrf_token", &csrf),
            ])
            .send()
            .await?;
        if joined.status().as_u16() != 303 {
            return Err(format!("joining answered {}", joined.status()).into());
        }
        people.push((base, browser, csrf));
    }
    let item_id = store.workshop_items(&workshop).await?[0].id.clone();
    eprintln!("{label}: all answering at once");
    let barrier = Arc::new(tokio::sync::Barrier::new(PARTICIPANTS));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (n, (base, browser, csrf)) in people.into_iter().enumerate() {
        let barrier = barrier.clone();
        let item_id = item_id.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let sent = Instant::now();
            let note = format!("Answer from participant {n}");
            let response = browser
                .post(format!("{base}/w/{code}/answer", code = "BENCH2"))
                .header("sec-fetch-site", "same-origin")
                .form(&[
                    ("item", item_id.as_str()),
                    ("note", &note),
                    ("csrf_token", &csrf),
                ])
                .send()
                .await;
            let acknowledged = response.is_ok_and(|r| r.status().as_u16() == 303);
            (note, sent, acknowledged, sent.elapsed())
        }));
    }
    let mut submitted = HashMap::new();
    let mut acknowledged = 0usize;
    let mut replies = Vec::new();
    for task in tasks {
        let (note, sent, ok, took) = task.await?;
        if ok {
            acknowledged += 1;
            submitted.insert(note, sent);
            replies.push(took.as_secs_f64() * 1000.0);
        }
    }
    replies.sort_by(f64::total_cmp);
    let accepting = started.elapsed();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let deadline = Instant::now() + GRACE;
    let answers = loop {
        let answers = store.workshop_answers(&workshop).await?;
        let arrived = arrivals.lock().await.len();
        if arrived >= answers.len() || Instant::now() > deadline {
            break answers;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    reader.abort();
    let arrivals = arrivals.lock().await;
    let mut latencies = Vec::new();
    let mut stored = 0usize;
    for answer in &answers {
        let Answer::Note(text) = &answer.answer else {
            continue;
        };
        let Some(sent) = submitted.get(text) else {
            continue;
        };
        stored += 1;
        if let Some(arrived) = arrivals.get(&answer.id) {
            latencies.push(arrived.saturating_duration_since(*sent).as_secs_f64() * 1000.0);
        }
    }
    latencies.sort_by(f64::total_cmp);
    let lost = acknowledged - latencies.len().min(stored);
    eprintln!(
        "{label}: {acknowledged} of {PARTICIPANTS} acknowledged in {:.0} ms, {stored} stored, {} reached the presenter stream",
        accepting.as_secs_f64() * 1000.0,
        latencies.len()
    );
    println!(
        "workshop_{label}_answers_per_s: {:.0}",
        acknowledged as f64 / accepting.as_secs_f64()
    );
    println!(
        "workshop_{label}_latency_p50_ms: {:.1}",
        percentile(&latencies, 50.0)
    );
    println!(
        "workshop_{label}_latency_p99_ms: {:.1}",
        percentile(&latencies, 99.0)
    );
    println!(
        "workshop_{label}_reply_p50_ms: {:.1}",
        percentile(&replies, 50.0)
    );
    println!(
        "workshop_{label}_reply_p99_ms: {:.1}",
        percentile(&replies, 99.0)
    );
    println!("workshop_{label}_answers_lost: {lost}");
    println!(
        "workshop_{label}_answers_refused: {}",
        PARTICIPANTS - acknowledged
    );
    db.finish().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let backend = std::env::args().nth(1).unwrap_or_else(|| "sqlite".into());
    let result = match backend.as_str() {
        "sqlite" => run("sqlite", TestDb::sqlite().await, None).await,
        "postgres" => match TestDb::postgres().await {
            Some(db) => {
                let second = db.second_instance().await;
                run("postgres_2_instances", db, second).await
            }
            None => Err("set CRADLE_TEST_POSTGRES_URL to a server for a test database".into()),
        },
        other => Err(format!("unknown backend {other}: use sqlite or postgres").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("workshop_load: {error}");
            ExitCode::FAILURE
        }
    }
}
