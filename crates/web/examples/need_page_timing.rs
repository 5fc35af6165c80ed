//! Times the need page over HTTP: the real application on 127.0.0.1 over a fresh SQLite
//! database holding a population file of 360 areas, a partnership of the five Tees Valley
//! areas, and a signed-in site administrator. Requests are made one at a time from the same
//! process, so each time is the server's work plus a loopback round trip. Run in release:
//!
//! ```sh
//! cargo run --release -p cradle-web --example need_page_timing
//! ```
//!
//! Prints `need_page_p50_ms: …` and `need_page_p99_ms: …`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cradle_domain::partnership::NewPartnership;
use cradle_domain::vocabulary::Nation;
use cradle_store::testing::TestDb;
use cradle_store::{Actor, NewUser};
use cradle_web::{AppState, WebConfig};

const AREAS: usize = 360;
const WARM_UP: usize = 20;
const RUNS: usize = 300;
const PASSWORD: &str = "marmalade kettle lantern";

/// A Nomis-layout CSV of `AREAS` areas: the five Tees Valley authorities, England as a
/// whole, and synthetic areas to make up a national file's size.
fn population_csv() -> String {
    let mut csv = String::from("code,name,all");
    for age in 0..90 {
        csv.push_str(&format!(",{age}"));
    }
    csv.push_str(",90+\n");
    let mut codes: Vec<(String, String)> = (1..=5)
        .map(|n| (format!("E0600000{n}"), format!("Tees area {n}")))
        .collect();
    codes.push(("E92000001".into(), "England".into()));
    codes.extend((codes.len()..AREAS).map(|n| (format!("E07{n:06}"), format!("Area {n}"))));
    for (index, (code, name)) in codes.iter().enumerate() {
        let scale = if code == "E92000001" {
            600
        } else {
            1 + (index % 12) as u64
        };
        let ages: Vec<u64> = (0..=90).map(|age| (900 + age * 3) * scale).collect();
        let all: u64 = ages.iter().sum();
        csv.push_str(&format!("{code},{name},{all}"));
        for count in ages {
            csv.push_str(&format!(",{count}"));
        }
        csv.push('\n');
    }
    csv
}

fn token_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("need_page_timing: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let db = TestDb::sqlite().await;
    let store = db.store.clone();
    let content =
        Arc::new(cradle_content::embedded().map_err(|problems| cradle_content::report(&problems))?);
    let admin = store
        .create_user(&NewUser {
            email: "bench@example.org".parse()?,
            display_name: "Bench Admin".into(),
            password_hash: Some(cradle_web::hash_password(PASSWORD.into()).await?),
            is_site_admin: true,
        })
        .await?;
    let actor = Actor { user_id: admin.id };
    let codes = [
        "E06000001",
        "E06000002",
        "E06000003",
        "E06000004",
        "E06000005",
    ];
    let partnership = store
        .create_partnership_with_owner(
            &NewPartnership::validate("Bench partnership", Nation::England, "", &codes, false)?,
            &actor,
        )
        .await?;
    let table = cradle_readers::read_population(population_csv().as_bytes(), "bench.csv")
        .map_err(|problems| cradle_readers::report(&problems))?;
    store
        .import_population(&actor, &partnership.id, &table)
        .await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let state = AppState::new(store.clone(), content, WebConfig::default());
    let server = tokio::spawn(cradle_web::serve(listener, state, std::future::pending()));

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let sign_in = client
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let token = token_in(&sign_in).ok_or("no CSRF token on the sign-in page")?;
    let signed_in = client
        .post(format!("{base}/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", "bench@example.org"),
            ("password", PASSWORD),
            ("next", ""),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await?;
    if signed_in.status().as_u16() != 303 {
        return Err(format!("sign-in answered {}", signed_in.status()).into());
    }

    let page = format!("{base}/partnerships/{}/need", partnership.id);
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    for run in 0..WARM_UP + RUNS {
        let start = Instant::now();
        let response = client.get(&page).send().await?;
        let status = response.status();
        let body = response.text().await?;
        let elapsed = start.elapsed();
        if !status.is_success() || !body.contains("Universal need") {
            return Err(format!("the need page answered {status} without an estimate").into());
        }
        if run >= WARM_UP {
            times.push(elapsed);
        }
    }
    times.sort();
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let percentile = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!("need_page_p50_ms: {:.2}", ms(percentile(50)));
    println!("need_page_p99_ms: {:.2}", ms(percentile(99)));
    eprintln!(
        "{RUNS} sequential requests after {WARM_UP} to warm up; {} areas in the file, 5 in the partnership",
        table.rows.len()
    );
    server.abort();
    db.finish().await;
    Ok(())
}
