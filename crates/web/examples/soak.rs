//! A mixed load against a running Cradle for a set time, to show that its memory stays flat:
//! people reading pages (home, the demo partnership, its service map and need page, the
//! toolkit), a site administrator doing the same signed in, participants joining the demo
//! workshop by its code and answering, and the administrator uploading a service map and a
//! population file over and over. Everything goes over HTTP to the address given, which is
//! meant to be a release binary on 127.0.0.1 (`scripts/bench soak` starts one). Every loop
//! ends at the deadline.
//!
//! ```sh
//! SOAK_EMAIL=admin@example.org SOAK_PASSWORD=… \
//!   cargo run --release -p cradle-web --example soak -- http://127.0.0.1:8080 PID 600
//! ```
//!
//! The administrator's account must exist (`cradle user add --admin --password-stdin`).
//! Reads the server's resident memory from `/proc/PID/status` before the load, half-way and
//! at the end, and prints `soak_rss_start_mb`, `soak_rss_middle_mb`, `soak_rss_end_mb`,
//! `soak_requests`, `soak_errors` (unexpected statuses and failed connections),
//! `soak_memory_growth_pct` (end against middle) and `soak_memory_flat` (yes when the end
//! is within 10% of the middle).

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// The demo workshop's join code (loaded with the demo partnership on a fresh database).
const JOIN_CODE: &str = cradle_web::DEMO_JOIN_CODE;
/// Anonymous readers working at once.
const READERS: usize = 6;
/// Participants joining and answering at once (each joins, answers a few times, leaves).
const PARTICIPANTS: usize = 3;
const ANSWERS_PER_PARTICIPANT: usize = 5;
/// The most error messages printed; the rest are only counted.
const ERRORS_SHOWN: u64 = 10;
/// The end may be this much above the middle and still count as flat.
const FLAT_TOLERANCE: f64 = 0.10;

const SERVICES_CSV: &[u8] = include_bytes!("../../readers/tests/fixtures/services_good.csv");
const SERVICES_UPDATED_CSV: &[u8] =
    include_bytes!("../../readers/tests/fixtures/services_updated.csv");
const POPULATION_CSV: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");

/// Toolkit pages read alongside the partnership's own.
const LIBRARY_PAGES: &[&str] = &[
    "/toolkit",
    "/toolkit/framework",
    "/toolkit/measures",
    "/toolkit/sources",
    "/glossary",
];

/// Requests made and requests that went wrong, across every worker.
#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    errors: AtomicU64,
    /// Answers and uploads accepted, to show the mix.
    answers: AtomicU64,
    uploads: AtomicU64,
}

impl Tally {
    /// Counts a request, and an error unless it answered `expected`; says which.
    fn check(
        &self,
        what: &str,
        result: Result<StatusCode, reqwest::Error>,
        expected: StatusCode,
    ) -> bool {
        self.requests.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(status) if status == expected => return true,
            Ok(status) => self.fail(&format!("{what} answered {status}, not {expected}")),
            Err(error) => self.fail(&format!("{what} failed: {error}")),
        }
        false
    }

    /// Counts an error that is not a request's status (a page without its form, say).
    fn fail(&self, problem: &str) {
        let errors = self.errors.fetch_add(1, Ordering::Relaxed) + 1;
        if errors <= ERRORS_SHOWN {
            eprintln!("soak: {problem}");
        }
    }
}

struct Settings {
    base: String,
    pid: u32,
    duration: Duration,
    email: String,
    password: String,
}

impl Settings {
    fn from_environment() -> Result<Self, Failure> {
        let mut args = std::env::args().skip(1);
        let usage = "usage: soak BASE_URL SERVER_PID SECONDS (with SOAK_EMAIL and SOAK_PASSWORD)";
        let base = args.next().ok_or(usage)?.trim_end_matches('/').to_owned();
        let pid = args.next().ok_or(usage)?.parse()?;
        let seconds: u64 = args.next().ok_or(usage)?.parse()?;
        Ok(Self {
            base,
            pid,
            duration: Duration::from_secs(seconds.max(2)),
            email: std::env::var("SOAK_EMAIL").map_err(|_| usage)?,
            password: std::env::var("SOAK_PASSWORD").map_err(|_| usage)?,
        })
    }
}

/// The server's resident memory in MB.
fn rss_mb(pid: u32) -> Result<f64, Failure> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or("no VmRSS line in /proc/PID/status")?
        .parse()?;
    Ok(kb / 1024.0)
}

fn client(cookies: bool) -> Result<Client, Failure> {
    Ok(Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(cookies)
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// The value of the first `name="NAME" value="…"` in a page.
fn field_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// A form post as a browser on the same site sends it.
async fn post_form(
    client: &Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<reqwest::Response, reqwest::Error> {
    client
        .post(url)
        .header("sec-fetch-site", "same-origin")
        .form(form)
        .send()
        .await
}

async fn sign_in(settings: &Settings) -> Result<Client, Failure> {
    let admin = client(true)?;
    let base = &settings.base;
    let page = admin
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let csrf = field_value(&page, "csrf_token").ok_or("no token on the sign-in page")?;
    let form = [
        ("email", settings.email.as_str()),
        ("password", settings.password.as_str()),
        ("next", ""),
        ("csrf_token", csrf.as_str()),
    ];
    let response = post_form(&admin, &format!("{base}/sign-in"), &form).await?;
    if response.status() != StatusCode::SEE_OTHER {
        return Err(format!("signing in answered {}", response.status()).into());
    }
    Ok(admin)
}

/// The demo partnership's id, from the first partnership link on the home page.
async fn demo_partnership(base: &str) -> Result<String, Failure> {
    let home = client(false)?
        .get(format!("{base}/"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "href=\"/partnerships/";
    let start = home.find(marker).ok_or("no partnership on the home page")? + marker.len();
    let end = home[start..].find('"').ok_or("a broken partnership link")? + start;
    Ok(home[start..end].to_owned())
}

/// The pages a reader goes through, in order.
fn reading_list(partnership: &str) -> Vec<String> {
    let own = [
        "/".to_owned(),
        format!("/partnerships/{partnership}"),
        format!("/partnerships/{partnership}/services"),
        format!("/partnerships/{partnership}/need"),
    ];
    own.into_iter()
        .chain(LIBRARY_PAGES.iter().map(|&page| page.to_owned()))
        .collect()
}

/// Reads the pages round and round until the deadline, reading every body in full.
async fn read_pages(
    client: Client,
    base: String,
    pages: Vec<String>,
    deadline: Instant,
    tally: Arc<Tally>,
) {
    for path in pages.iter().cycle() {
        if Instant::now() >= deadline {
            break;
        }
        let result = match client.get(format!("{base}{path}")).send().await {
            Ok(response) => {
                let status = response.status();
                response.bytes().await.map(|_| status)
            }
            Err(error) => Err(error),
        };
        tally.check(path, result, StatusCode::OK);
    }
}

/// The answer form's fields for the item a participant's page shows: a note, the first
/// choice or a middling rating, whichever the item asks for.
fn answer_fields(page: &str, n: usize) -> Option<Vec<(&'static str, String)>> {
    let item = field_value(page, "item")?;
    let mut fields = vec![("item", item)];
    if page.contains("name=\"note\"") {
        fields.push((
            "note",
            format!("Soak answer {n}: <b>\"quoted\"</b> & =SUM(A1)"),
        ));
    } else if page.contains("name=\"choice\"") {
        fields.push(("choice", "0".to_owned()));
    } else if page.contains("name=\"rating\"") {
        fields.push(("rating", "3".to_owned()));
    } else {
        return None;
    }
    Some(fields)
}

/// A page's body, counted; `None` (counted as an error) unless it answered 200.
async fn get_page(client: &Client, url: &str, what: &str, tally: &Tally) -> Option<String> {
    let response = match client.get(url).send().await {
        Ok(response) => response,
        Err(error) => {
            tally.check(what, Err(error), StatusCode::OK);
            return None;
        }
    };
    let status = response.status();
    match response.text().await {
        Ok(body) => {
            tally.check(what, Ok(status), StatusCode::OK);
            (status == StatusCode::OK).then_some(body)
        }
        Err(error) => {
            tally.check(what, Err(error), StatusCode::OK);
            None
        }
    }
}

/// One participant: joins the workshop by its code and answers a few times.
async fn participate(base: &str, n: usize, tally: &Tally) -> Result<(), Failure> {
    let browser = client(true)?;
    let join_url = format!("{base}/join/{JOIN_CODE}");
    let Some(page) = get_page(&browser, &join_url, "the join page", tally).await else {
        return Ok(());
    };
    let csrf = field_value(&page, "csrf_token").ok_or("no token on the join page")?;
    let name = format!("Soak participant {n}");
    let form = [
        ("display_name", name.as_str()),
        ("profession", "Health visitor"),
        ("csrf_token", csrf.as_str()),
    ];
    let joined = post_form(&browser, &join_url, &form)
        .await
        .map(|r| r.status());
    tally.check("joining", joined, StatusCode::SEE_OTHER);
    let workshop_url = format!("{base}/w/{JOIN_CODE}");
    let answer_url = format!("{workshop_url}/answer");
    for answer in 0..ANSWERS_PER_PARTICIPANT {
        let what = "the participant page";
        let Some(page) = get_page(&browser, &workshop_url, what, tally).await else {
            return Ok(());
        };
        let fields = answer_fields(&page, n * ANSWERS_PER_PARTICIPANT + answer)
            .ok_or("the participant page has no answer form")?;
        let mut form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form.push(("csrf_token", csrf.as_str()));
        let sent = post_form(&browser, &answer_url, &form)
            .await
            .map(|r| r.status());
        if tally.check("answering", sent, StatusCode::SEE_OTHER) {
            tally.answers.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// Participants one after another until the deadline.
async fn run_workshop(base: String, first: usize, deadline: Instant, tally: Arc<Tally>) {
    let mut n = first;
    while Instant::now() < deadline {
        if let Err(error) = participate(&base, n, &tally).await {
            tally.fail(&format!("participant {n}: {error}"));
        }
        n += PARTICIPANTS;
    }
}

/// One file upload as the administrator's form sends it (the token in the address).
async fn upload(
    admin: &Client,
    url: &str,
    csrf: &str,
    (name, bytes): (&'static str, &'static [u8]),
) -> Result<StatusCode, reqwest::Error> {
    let part = Part::bytes(bytes).file_name(name).mime_str("text/csv")?;
    admin
        .post(format!("{url}?csrf_token={csrf}"))
        .header("sec-fetch-site", "same-origin")
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .map(|response| response.status())
}

/// The administrator reads pages signed in and, between rounds, imports a service map
/// (alternately the first version and a changed one) and a population file.
async fn administer(
    admin: Client,
    base: String,
    partnership: String,
    deadline: Instant,
    tally: Arc<Tally>,
) -> Result<(), Failure> {
    let services = format!("{base}/partnerships/{partnership}/services");
    let page = admin.get(&services).send().await?.text().await?;
    let csrf = field_value(&page, "csrf_token")
        .or_else(|| query_token(&page))
        .ok_or("no token on the service map page")?;
    let population = format!("{base}/partnerships/{partnership}/population");
    let pages = reading_list(&partnership);
    let mut round = 0usize;
    while Instant::now() < deadline {
        let file = if round.is_multiple_of(2) {
            ("services.csv", SERVICES_CSV)
        } else {
            ("services-updated.csv", SERVICES_UPDATED_CSV)
        };
        let sent = upload(&admin, &format!("{services}/import"), &csrf, file).await;
        if tally.check("a service map upload", sent, StatusCode::SEE_OTHER) {
            tally.uploads.fetch_add(1, Ordering::Relaxed);
        }
        let file = ("nomis-mid2023.csv", POPULATION_CSV);
        let sent = upload(&admin, &population, &csrf, file).await;
        if tally.check("a population upload", sent, StatusCode::SEE_OTHER) {
            tally.uploads.fetch_add(1, Ordering::Relaxed);
        }
        let signed_in_deadline = deadline.min(Instant::now() + Duration::from_secs(1));
        let reader = read_pages(
            admin.clone(),
            base.clone(),
            pages.clone(),
            signed_in_deadline,
            tally.clone(),
        );
        reader.await;
        round += 1;
    }
    Ok(())
}

/// The token an upload form carries in its `action` address.
fn query_token(html: &str) -> Option<String> {
    let marker = "?csrf_token=";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// Starts every worker; they stop by themselves at `deadline`.
fn start_load(
    settings: &Settings,
    admin: Client,
    partnership: &str,
    deadline: Instant,
    tally: &Arc<Tally>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, Failure> {
    let mut workers = Vec::new();
    let pages = reading_list(partnership);
    for _ in 0..READERS {
        let reader = read_pages(
            client(false)?,
            settings.base.clone(),
            pages.clone(),
            deadline,
            tally.clone(),
        );
        workers.push(tokio::spawn(reader));
    }
    for first in 0..PARTICIPANTS {
        let room = run_workshop(settings.base.clone(), first, deadline, tally.clone());
        workers.push(tokio::spawn(room));
    }
    let (base, partnership, tally) = (settings.base.clone(), partnership.to_owned(), tally.clone());
    workers.push(tokio::spawn(async move {
        if let Err(error) = administer(admin, base, partnership, deadline, tally.clone()).await {
            tally.fail(&format!("the administrator: {error}"));
        }
    }));
    Ok(workers)
}

async fn run(settings: Settings) -> Result<(), Failure> {
    let admin = sign_in(&settings).await?;
    let partnership = demo_partnership(&settings.base).await?;
    let tally = Arc::new(Tally::default());
    let start_mb = rss_mb(settings.pid)?;
    let started = Instant::now();
    let deadline = started + settings.duration;
    eprintln!(
        "soak: {} s of mixed load on {} (partnership {partnership}, workshop {JOIN_CODE})",
        settings.duration.as_secs(),
        settings.base
    );
    let workers = start_load(&settings, admin, &partnership, deadline, &tally)?;
    tokio::time::sleep(settings.duration / 2).await;
    let middle_mb = rss_mb(settings.pid)?;
    eprintln!(
        "soak: half-way, {} requests so far",
        tally.requests.load(Ordering::Relaxed)
    );
    tokio::time::sleep_until((deadline - Duration::from_millis(50)).into()).await;
    let end_mb = rss_mb(settings.pid)?;
    for worker in workers {
        worker.await?;
    }
    let growth = (end_mb - middle_mb) / middle_mb * 100.0;
    println!("soak_duration_s: {}", settings.duration.as_secs());
    println!("soak_rss_start_mb: {start_mb:.1}");
    println!("soak_rss_middle_mb: {middle_mb:.1}");
    println!("soak_rss_end_mb: {end_mb:.1}");
    println!("soak_requests: {}", tally.requests.load(Ordering::Relaxed));
    println!("soak_errors: {}", tally.errors.load(Ordering::Relaxed));
    println!("soak_answers: {}", tally.answers.load(Ordering::Relaxed));
    println!("soak_uploads: {}", tally.uploads.load(Ordering::Relaxed));
    println!("soak_memory_growth_pct: {growth:.1}");
    let flat = end_mb <= middle_mb * (1.0 + FLAT_TOLERANCE);
    println!("soak_memory_flat: {}", if flat { "yes" } else { "no" });
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match Settings::from_environment() {
        Ok(settings) => run(settings).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("soak: {error}");
            ExitCode::FAILURE
        }
    }
}
