//! Nothing acknowledged is lost when Cradle dies. Many writers use the real `cradle` binary
//! over HTTP at once — participants joining the demo workshop by its code and answering,
//! and a signed-in administrator adding services (by form and by CSV import), actions and
//! population files — and the process is killed with SIGKILL at a random moment, then
//! restarted on the same database, again and again. Afterwards every write that was
//! acknowledged (a 303 to the page that follows a success) before a kill must be in the
//! database, and the database must pass its integrity checks.
//!
//! SQLite runs in WAL mode with `synchronous = FULL` (crates/store/src/backend.rs). That
//! is the setting that makes an acknowledged commit durable: with FULL, every commit syncs
//! the write-ahead log to disk before it returns, so once the reply is sent the commit is
//! on the disk. NORMAL in WAL mode syncs only at checkpoints; a commit it acknowledged
//! survives a process kill (the log is in the operating system's cache) but the last
//! commits can be lost on a power cut or an operating-system crash. A process kill, which
//! is what this test can do, loses nothing under either; the test guards the rest of the
//! chain (the reply is sent only after the commit, no write is queued in memory behind an
//! early reply, the log is recovered on restart).
//!
//! Kills per backend: `CRADLE_CRASH_KILLS` (default [`DEFAULT_KILLS`]); the random moments
//! come from `CRADLE_CRASH_SEED` when set (printed either way, to replay a failure).
//! PostgreSQL runs on a fresh database created on `CRADLE_TEST_POSTGRES_URL` and dropped
//! afterwards; the test prints SKIPPED when that is unset. Figures are printed as
//! `crash_…_<backend>: N` lines (see scripts/crash). Everything is on 127.0.0.1, and every
//! loop is bounded in count and in time.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cradle_domain::actions::ActionFilter;
use cradle_domain::workshop::{Answer, JoinCode};
use cradle_store::Store;
use sqlx::{AssertSqlSafe, Connection as _};

/// Kills per backend when `CRADLE_CRASH_KILLS` is unset. In a debug build a kill cycle
/// (start, write, kill, integrity check) takes about 1.7 s: both backends at 20 kills,
/// run side by side, took 37 s on two cores, inside the 90 s CI allows.
const DEFAULT_KILLS: usize = 20;
/// Participants answering at once, each in its own browser session.
const PARTICIPANTS: usize = 10;
/// Answers each participant sends before a fresh participant takes over: under the
/// workshop's limit of 12 a minute, so that no answer is refused for being too fast.
const ANSWERS_PER_PARTICIPANT: usize = 10;
/// The kill comes this long after the cycle's first acknowledged write, at random in
/// between.
const KILL_AFTER_MS: (u64, u64) = (150, 1200);
/// No writer sends more than this many requests in one cycle, whatever happens.
const MAX_WRITES_PER_CYCLE: usize = 2000;
/// The longest any one HTTP request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest Cradle may take to start and print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);
const ADMIN_EMAIL: &str = "crash@example.org";
const ADMIN_PASSWORD: &str = "marmalade kettle lantern crash";
const POPULATION_FILE: &[u8] = include_bytes!("../../readers/tests/fixtures/nomis-mid2023.csv");
const POSTGRES_URL_VAR: &str = "CRADLE_TEST_POSTGRES_URL";

// ---------------------------------------------------------------------------------------
// The database under test

/// Where the database is: a SQLite data folder or a fresh PostgreSQL database.
enum Database {
    Sqlite(tempfile::TempDir),
    Postgres { server_url: String, name: String },
}

impl Database {
    fn label(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres { .. } => "postgres",
        }
    }

    /// What `cradle` is told about the database, in its environment (which every
    /// subcommand reads).
    fn cradle_env(&self) -> (&'static str, String) {
        match self {
            Self::Sqlite(dir) => ("CRADLE_DATA_DIR", dir.path().display().to_string()),
            Self::Postgres { .. } => ("DATABASE_URL", self.url()),
        }
    }

    /// The URL cradle_store opens.
    fn url(&self) -> String {
        match self {
            Self::Sqlite(dir) => self.sqlite_file(dir).display().to_string(),
            Self::Postgres { server_url, name } => database_url(server_url, name),
        }
    }

    fn sqlite_file(&self, dir: &tempfile::TempDir) -> PathBuf {
        dir.path().join("cradle.db")
    }

    /// A fresh PostgreSQL database, or `None` (SKIPPED) when the server is not configured.
    async fn postgres() -> Option<Self> {
        let Some(server_url) = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|url| !url.is_empty())
        else {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED crash_safety on postgres: {POSTGRES_URL_VAR} is unset"
            );
            return None;
        };
        let name = format!(
            "cradle_test_crash_{}",
            Rng::from_clock().next() % 1_000_000_000
        );
        let mut admin = sqlx::PgConnection::connect(&server_url)
            .await
            .unwrap_or_else(|error| panic!("{POSTGRES_URL_VAR} is set but unreachable: {error}"));
        // The name is ours (a fixed prefix and digits), so it is safe to splice in.
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.ok();
        Some(Self::Postgres { server_url, name })
    }

    async fn drop_database(&self) {
        if let Self::Postgres { server_url, name } = self
            && let Ok(mut admin) = sqlx::PgConnection::connect(server_url).await
        {
            sqlx::query(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await
            .ok();
            admin.close().await.ok();
        }
    }

    /// The database's own integrity check: SQLite's `integrity_check` and
    /// `foreign_key_check` on a read-only connection; on PostgreSQL every table read in
    /// full, no constraint left unvalidated, and (when the `amcheck` extension can be
    /// made) every B-tree index checked against its table. Returns what was checked.
    async fn check_integrity(&self) -> &'static str {
        match self {
            Self::Sqlite(dir) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(self.sqlite_file(dir))
                    .read_only(true);
                let mut connection = sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .unwrap();
                let verdict: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
                    .fetch_all(&mut connection)
                    .await
                    .unwrap();
                assert_eq!(verdict, vec![("ok".to_owned(),)], "SQLite integrity check");
                let broken = sqlx::query("PRAGMA foreign_key_check")
                    .fetch_all(&mut connection)
                    .await
                    .unwrap();
                assert!(broken.is_empty(), "{} broken foreign keys", broken.len());
                connection.close().await.ok();
                "integrity_check ok, foreign_key_check clean"
            }
            Self::Postgres { .. } => {
                let mut connection = sqlx::PgConnection::connect(&self.url()).await.unwrap();
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT quote_ident(table_name) FROM information_schema.tables
                     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                )
                .fetch_all(&mut connection)
                .await
                .unwrap();
                assert!(!tables.is_empty());
                for (table,) in tables {
                    // Reading every column of every row makes the server read each tuple.
                    sqlx::query(AssertSqlSafe(format!(
                        "SELECT count(*) FROM (SELECT t::text FROM {table} t) rows"
                    )))
                    .execute(&mut connection)
                    .await
                    .unwrap_or_else(|error| panic!("reading {table}: {error}"));
                }
                let (unvalidated,): (i64,) = sqlx::query_as(
                    "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                     WHERE n.nspname = 'public' AND NOT c.convalidated",
                )
                .fetch_one(&mut connection)
                .await
                .unwrap();
                assert_eq!(unvalidated, 0, "unvalidated constraints");
                let amcheck = sqlx::query("CREATE EXTENSION IF NOT EXISTS amcheck")
                    .execute(&mut connection)
                    .await
                    .is_ok();
                if amcheck {
                    sqlx::query(
                        "SELECT bt_index_check(c.oid, true) FROM pg_index i
                         JOIN pg_class c ON c.oid = i.indexrelid
                         JOIN pg_am am ON am.oid = c.relam
                         JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE am.amname = 'btree' AND n.nspname = 'public'",
                    )
                    .execute(&mut connection)
                    .await
                    .unwrap_or_else(|error| panic!("amcheck: {error}"));
                }
                connection.close().await.ok();
                if amcheck {
                    "every table read, constraints validated, B-tree indexes pass amcheck"
                } else {
                    "every table read, constraints validated (amcheck unavailable)"
                }
            }
        }
    }
}

/// The server URL with its database name replaced by `name`.
fn database_url(server_url: &str, name: &str) -> String {
    let (base, query) = server_url
        .split_once('?')
        .map_or((server_url, None), |(base, query)| (base, Some(query)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

// ---------------------------------------------------------------------------------------
// The process

/// A running `cradle` and the address it printed.
struct Server {
    child: Child,
    url: String,
}

fn cradle(database: &Database) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cradle"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("CRADLE_DATA_DIR")
        .env("RUST_LOG", "warn");
    let (name, value) = database.cradle_env();
    command.env(name, value);
    command
}

/// What the server wrote to its log, for a failure's message.
fn server_log(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}

fn start(database: &Database, log_path: &Path) -> Server {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)
        .unwrap();
    let mut child = cradle(database)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    // Reads the address, then drains the rest so that the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        if let Some(Ok(line)) = lines.next() {
            let _ = sender.send(line);
        }
        for _ in lines {}
    });
    let line = receiver.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
        panic!(
            "cradle printed no address within {START_TIMEOUT:?}: {}",
            server_log(log_path)
        )
    });
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL printed: {line:?}"))
        .trim_end_matches('/')
        .to_owned();
    Server { child, url }
}

impl Server {
    /// SIGKILL: no clean-up of any kind. Returns whether it was still running.
    fn kill(mut self) -> bool {
        let running = self.child.try_wait().unwrap().is_none();
        self.child.kill().ok();
        self.child.wait().unwrap();
        running
    }

    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                self.child.kill().ok();
                panic!("cradle did not stop within 30 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Makes the administrator with the CLI; returns the path of their one-time password link.
fn add_administrator(database: &Database) -> String {
    let output = cradle(database)
        .args(["user", "add", "--admin", "--email", ADMIN_EMAIL])
        .args(["--name", "Crash Tester"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let link = stdout
        .split_whitespace()
        .find(|word| word.contains("/password-reset/"))
        .unwrap_or_else(|| panic!("no link printed: {stdout}"));
    link[link.find("/password-reset/").unwrap()..].to_owned()
}

// ---------------------------------------------------------------------------------------
// Browsers

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(REQUEST_TIMEOUT)
        .no_proxy()
        .build()
        .unwrap()
}

fn csrf_token(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

fn location(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

/// Whether the server acknowledged the write: a 303 to the page that follows a success
/// (a 303 elsewhere, such as to the sign-in page, is not an acknowledgement).
fn acknowledged(response: &reqwest::Response, success_page: &str) -> bool {
    response.status().as_u16() == 303 && location(response).starts_with(success_page)
}

/// Sets the administrator's password through the link's form (which signs them in), then
/// reads their CSRF token from a page with a form.
async fn sign_in_administrator(
    admin: &reqwest::Client,
    base: &str,
    link: &str,
    partnership: &str,
) -> String {
    let html = admin
        .get(format!("{base}{link}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_token(&html).unwrap_or_else(|| panic!("no token on the link's page"));
    let response = admin
        .post(format!("{base}{link}"))
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("password", ADMIN_PASSWORD),
            ("confirm_password", ADMIN_PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert!(acknowledged(&response, "/account"), "{response:?}");
    let html = admin
        .get(format!("{base}/partnerships/{partnership}/actions"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    csrf_token(&html).unwrap_or_else(|| panic!("no token on the action log"))
}

// ---------------------------------------------------------------------------------------
// Writers

/// Every write a server acknowledged, by what can be looked up afterwards.
#[derive(Default)]
struct Ledger {
    participants: BTreeSet<String>,
    answers: BTreeSet<String>,
    services: BTreeSet<String>,
    actions: BTreeSet<String>,
    population_files: BTreeSet<String>,
    /// Answers that were not acknowledged although the server replied (status and page).
    refused: Vec<String>,
}

impl Ledger {
    fn acknowledged(&self) -> usize {
        self.participants.len()
            + self.answers.len()
            + self.services.len()
            + self.actions.len()
            + self.population_files.len()
    }
}

/// What the writers of one cycle share.
struct Cycle {
    number: usize,
    base: String,
    partnership: String,
    item: String,
    admin: reqwest::Client,
    token: String,
    stop: AtomicBool,
    deadline: Instant,
    ledger: Arc<Mutex<Ledger>>,
}

impl Cycle {
    fn running(&self) -> bool {
        !self.stop.load(Ordering::Relaxed) && Instant::now() < self.deadline
    }

    fn record(&self, add: impl FnOnce(&mut Ledger)) {
        add(&mut self.ledger.lock().unwrap());
    }

    fn refused(&self, what: &str, response: &reqwest::Response) {
        let note = format!("{what}: {} to {:?}", response.status(), location(response));
        self.record(|ledger| ledger.refused.push(note));
    }

    fn partnership_path(&self, rest: &str) -> String {
        format!("/partnerships/{}{rest}", self.partnership)
    }

    /// An administrator's POST of a form, with the session's token.
    async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Option<reqwest::Response> {
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &self.token));
        self.admin
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .form(&fields)
            .send()
            .await
            .ok()
    }

    /// An administrator's file upload, the token in the header as the API takes it.
    async fn upload(
        &self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Option<reqwest::Response> {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        self.admin
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .header("x-csrf-token", &self.token)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .ok()
    }
}

/// Participants, one after another in fresh sessions: each joins the demo workshop by its
/// code under a unique name and sends up to [`ANSWERS_PER_PARTICIPANT`] unique notes.
async fn participant_writer(cycle: Arc<Cycle>, writer: usize) {
    let code = cradle_web::DEMO_JOIN_CODE;
    let mut writes = 0;
    for person in 0.. {
        if !cycle.running() || writes >= MAX_WRITES_PER_CYCLE {
            return;
        }
        let browser = browser();
        let Ok(page) = browser
            .get(format!("{}/join/{code}", cycle.base))
            .send()
            .await
        else {
            return;
        };
        let Some(token) = csrf_token(&page.text().await.unwrap_or_default()) else {
            return;
        };
        let name = format!("P{}.{writer}.{person}", cycle.number);
        writes += 1;
        let Ok(joined) = browser
            .post(format!("{}/join/{code}", cycle.base))
            .header("sec-fetch-site", "same-origin")
            .form(&[
                ("display_name", name.as_str()),
                ("profession", ""),
                ("csrf_token", &token),
            ])
            .send()
            .await
        else {
            return;
        };
        if !acknowledged(&joined, &format!("/w/{code}")) {
            cycle.refused("join", &joined);
            return;
        }
        cycle.record(|ledger| {
            ledger.participants.insert(name.clone());
        });
        for answer in 0..ANSWERS_PER_PARTICIPANT {
            if !cycle.running() {
                return;
            }
            let note = format!("Crash note {name}.{answer}");
            writes += 1;
            let Ok(response) = browser
                .post(format!("{}/w/{code}/answer", cycle.base))
                .header("sec-fetch-site", "same-origin")
                .form(&[
                    ("item", cycle.item.as_str()),
                    ("note", &note),
                    ("csrf_token", &token),
                ])
                .send()
                .await
            else {
                return;
            };
            if !acknowledged(&response, &format!("/w/{code}?sent={}", cycle.item)) {
                cycle.refused("answer", &response);
                return;
            }
            cycle.record(|ledger| {
                ledger.answers.insert(note);
            });
        }
    }
}

/// Services added one at a time through the service form.
async fn service_form_writer(cycle: Arc<Cycle>) {
    let success = cycle.partnership_path("/services");
    for n in 0..MAX_WRITES_PER_CYCLE {
        if !cycle.running() {
            return;
        }
        let key = format!("CF-{}-{n}", cycle.number);
        let name = format!("Crash form service {}-{n}", cycle.number);
        let Some(response) = cycle
            .post_form(
                &cycle.partnership_path("/services/new"),
                &[
                    ("key", &key),
                    ("name", &name),
                    ("provider", "Crash test provider"),
                    ("sector", "health"),
                    ("tier", "universal"),
                    ("age_bands", "0-6m"),
                    ("levels", "caregiving"),
                    ("elements", "being-emotional"),
                    ("works_with_relationship", "yes"),
                ],
            )
            .await
        else {
            return;
        };
        if !acknowledged(&response, &success) {
            cycle.refused("service form", &response);
            return;
        }
        cycle.record(|ledger| {
            ledger.services.insert(key);
        });
    }
}

/// Service maps of three new services each, imported as CSV files.
async fn service_import_writer(cycle: Arc<Cycle>) {
    let success = cycle.partnership_path("/services?added=3");
    for n in 0..MAX_WRITES_PER_CYCLE {
        if !cycle.running() {
            return;
        }
        let keys: Vec<String> = (0..3)
            .map(|row| format!("CI-{}-{n}-{row}", cycle.number))
            .collect();
        let mut file = String::from(
            "key,name,provider,sector,tier,age_bands,levels,elements,works_with_relationship,areas,eligibility,referral_from,capacity_families_per_year,funding_end\n",
        );
        for key in &keys {
            file.push_str(&format!(
                "{key},Crash imported service {key},Crash test provider,health,universal,0-6m; 6-12m,caregiving,being-emotional,yes,E06000001,All families,,100,\n"
            ));
        }
        let Some(response) = cycle
            .upload(
                &cycle.partnership_path("/services/import"),
                "services.csv",
                file.into_bytes(),
            )
            .await
        else {
            return;
        };
        if !acknowledged(&response, &success) {
            cycle.refused("service import", &response);
            return;
        }
        cycle.record(|ledger| ledger.services.extend(keys));
    }
}

/// Actions added to the partnership's action log.
async fn action_writer(cycle: Arc<Cycle>) {
    let path = cycle.partnership_path("/actions");
    for n in 0..MAX_WRITES_PER_CYCLE {
        if !cycle.running() {
            return;
        }
        let what = format!("Crash action {}-{n}", cycle.number);
        let Some(response) = cycle
            .post_form(
                &path,
                &[
                    ("what", &what),
                    ("owner", "Crash test"),
                    ("due", ""),
                    ("status", ""),
                ],
            )
            .await
        else {
            return;
        };
        if !acknowledged(&response, &path) {
            cycle.refused("action", &response);
            return;
        }
        cycle.record(|ledger| {
            ledger.actions.insert(what);
        });
    }
}

/// Population files (a NOMIS mid-2023 extract under a unique name) uploaded for need.
async fn population_writer(cycle: Arc<Cycle>) {
    let success = cycle.partnership_path("/need");
    for n in 0..MAX_WRITES_PER_CYCLE {
        if !cycle.running() {
            return;
        }
        let file_name = format!("nomis-mid2023-crash-{}-{n}.csv", cycle.number);
        let Some(response) = cycle
            .upload(
                &cycle.partnership_path("/population"),
                &file_name,
                POPULATION_FILE.to_vec(),
            )
            .await
        else {
            return;
        };
        if !acknowledged(&response, &success) {
            cycle.refused("population", &response);
            return;
        }
        cycle.record(|ledger| {
            ledger.population_files.insert(file_name);
        });
    }
}

// ---------------------------------------------------------------------------------------
// The run

/// A small random number generator (xorshift64*), seeded from `CRADLE_CRASH_SEED` or the
/// clock: the kill moments need only be unpredictable to the server, and replayable.
struct Rng(u64);

impl Rng {
    fn from_clock() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |since| since.as_nanos() as u64);
        Self(nanos | 1)
    }

    fn seeded() -> (Self, u64) {
        let seed = std::env::var("CRADLE_CRASH_SEED")
            .ok()
            .and_then(|seed| seed.parse::<u64>().ok())
            .unwrap_or_else(|| Rng::from_clock().next());
        (Self(seed | 1), seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

fn kills() -> usize {
    std::env::var("CRADLE_CRASH_KILLS")
        .ok()
        .and_then(|kills| kills.parse().ok())
        .unwrap_or(DEFAULT_KILLS)
}

/// The demo workshop's partnership, id and running item, read from the database.
async fn demo_workshop(database: &Database) -> (String, String, String) {
    let store = Store::open(&database.url()).await.unwrap();
    let code: JoinCode = cradle_web::DEMO_JOIN_CODE.parse().unwrap();
    let workshop = store.workshop_by_code(&code).await.unwrap().unwrap();
    let item = store.workshop_items(&workshop.id).await.unwrap()[0]
        .id
        .clone();
    store.close().await;
    (workshop.partnership_id, workshop.id, item)
}

/// Acknowledged writes missing from the database, by kind.
async fn missing_writes(
    database: &Database,
    ledger: &Ledger,
    partnership: &str,
    workshop: &str,
) -> Vec<String> {
    let store = Store::open(&database.url()).await.unwrap();
    let participants: BTreeSet<String> = store
        .participants(workshop)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|participant| participant.details.display_name)
        .collect();
    let answers: BTreeSet<String> = store
        .workshop_answers(workshop)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|answer| match answer.answer {
            Answer::Note(text) => Some(text),
            _ => None,
        })
        .collect();
    let services: BTreeSet<String> = store
        .services(partnership)
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.service.key)
        .collect();
    let actions: BTreeSet<String> = store
        .list_actions(partnership, &ActionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|stored| stored.action.what)
        .collect();
    let population_files: BTreeSet<String> = store
        .population_imports(partnership)
        .await
        .unwrap()
        .into_iter()
        .map(|import| import.file_name)
        .collect();
    store.close().await;
    let mut missing = Vec::new();
    for (kind, written, stored) in [
        ("participant", &ledger.participants, &participants),
        ("answer", &ledger.answers, &answers),
        ("service", &ledger.services, &services),
        ("action", &ledger.actions, &actions),
        (
            "population file",
            &ledger.population_files,
            &population_files,
        ),
    ] {
        missing.extend(
            written
                .difference(stored)
                .map(|what| format!("{kind} {what}")),
        );
    }
    missing
}

/// One cycle: start on the database, write from every writer at once, kill at a random
/// moment. Returns whether the server was still running when it was killed.
async fn write_then_kill(
    number: usize,
    server: Server,
    setup: &Setup,
    kill_after: Duration,
    ledger: &Arc<Mutex<Ledger>>,
) -> bool {
    let cycle = Arc::new(Cycle {
        number,
        base: server.url.clone(),
        partnership: setup.partnership.clone(),
        item: setup.item.clone(),
        admin: setup.admin.clone(),
        token: setup.token.clone(),
        stop: AtomicBool::new(false),
        deadline: Instant::now() + START_TIMEOUT + kill_after + Duration::from_secs(30),
        ledger: ledger.clone(),
    });
    let mut writers = Vec::new();
    for writer in 0..PARTICIPANTS {
        writers.push(tokio::spawn(participant_writer(cycle.clone(), writer)));
    }
    writers.push(tokio::spawn(service_form_writer(cycle.clone())));
    writers.push(tokio::spawn(service_import_writer(cycle.clone())));
    writers.push(tokio::spawn(action_writer(cycle.clone())));
    writers.push(tokio::spawn(population_writer(cycle.clone())));
    // The random moment counts from the cycle's first acknowledged write, so that a slow
    // start on a busy machine still leaves writes in flight when the kill comes.
    let before = ledger.lock().unwrap().acknowledged();
    let first_write_by = Instant::now() + START_TIMEOUT;
    while ledger.lock().unwrap().acknowledged() == before && Instant::now() < first_write_by {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(kill_after).await;
    let was_running = server.kill();
    cycle.stop.store(true, Ordering::Relaxed);
    for writer in writers {
        tokio::time::timeout(REQUEST_TIMEOUT + Duration::from_secs(5), writer)
            .await
            .expect("a writer stopped within its time")
            .unwrap();
    }
    was_running
}

/// What every cycle reuses: the demo workshop and the signed-in administrator.
struct Setup {
    partnership: String,
    workshop: String,
    item: String,
    admin: reqwest::Client,
    token: String,
}

async fn crash_run(database: Database) {
    let label = database.label();
    let kills = kills();
    let (mut rng, seed) = Rng::seeded();
    eprintln!("crash_safety {label}: {kills} kills, CRADLE_CRASH_SEED={seed}");
    let scratch = tempfile::tempdir().unwrap();
    let log = scratch.path().join("cradle.log");
    let started = Instant::now();

    let link = add_administrator(&database);
    let server = start(&database, &log);
    let (partnership, workshop, item) = demo_workshop(&database).await;
    let admin = browser();
    let token = sign_in_administrator(&admin, &server.url, &link, &partnership).await;
    let setup = Setup {
        partnership,
        workshop,
        item,
        admin,
        token,
    };

    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let mut server = Some(server);
    let mut killed = 0;
    for number in 0..kills {
        let running = server.take().unwrap_or_else(|| start(&database, &log));
        let kill_after = Duration::from_millis(rng.between(KILL_AFTER_MS.0, KILL_AFTER_MS.1));
        if write_then_kill(number, running, &setup, kill_after, &ledger).await {
            killed += 1;
        } else {
            panic!(
                "cradle had stopped before kill {number}: {}",
                server_log(&log)
            );
        }
        database.check_integrity().await;
    }

    // After the last kill: start once more, check the server answers, and look for every
    // acknowledged write in the database it recovered.
    let server = start(&database, &log);
    let home = browser()
        .get(format!("{}/", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(home.status().as_u16(), 200);
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    let missing = missing_writes(&database, &ledger, &setup.partnership, &setup.workshop).await;
    server.stop();
    let checked = database.check_integrity().await;
    eprintln!("crash_safety {label}: after every kill and at the end: {checked}");

    println!("crash_kills_{label}: {killed}");
    println!("crash_acknowledged_{label}: {}", ledger.acknowledged());
    println!(
        "crash_acknowledged_participants_{label}: {}",
        ledger.participants.len()
    );
    println!(
        "crash_acknowledged_answers_{label}: {}",
        ledger.answers.len()
    );
    println!(
        "crash_acknowledged_services_{label}: {}",
        ledger.services.len()
    );
    println!(
        "crash_acknowledged_actions_{label}: {}",
        ledger.actions.len()
    );
    println!(
        "crash_acknowledged_population_files_{label}: {}",
        ledger.population_files.len()
    );
    println!("crash_refused_{label}: {}", ledger.refused.len());
    println!("crash_lost_{label}: {}", missing.len());
    println!(
        "crash_seconds_{label}: {:.1}",
        started.elapsed().as_secs_f64()
    );
    database.drop_database().await;

    assert!(
        missing.is_empty(),
        "{} acknowledged writes lost on {label} (seed {seed}): {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );
    // Replies that were neither a success nor a dropped connection: the writers' requests
    // are all valid, so any such reply is a fault worth seeing.
    assert!(
        ledger.refused.is_empty(),
        "refused on {label}: {:?}",
        &ledger.refused[..ledger.refused.len().min(20)]
    );
    for (kind, count) in [
        ("participants", ledger.participants.len()),
        ("answers", ledger.answers.len()),
        ("services", ledger.services.len()),
        ("actions", ledger.actions.len()),
    ] {
        assert!(
            count > 0,
            "no {kind} were acknowledged on {label}: the test proved nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    crash_run(Database::Sqlite(tempfile::tempdir().unwrap())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_on_postgres() {
    if let Some(database) = Database::postgres().await {
        crash_run(database).await;
    }
}
