//! `cradle`: the Cradle server and its command-line tools, in one binary.

mod logging;
mod report;
mod user;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use cradle_content::Content;
use cradle_store::{Store, redact_password};
use cradle_web::{AppState, PublicUrl, WebConfig};
use time::OffsetDateTime;

/// Cradle: local action on the mental health of babies and young children.
///
/// With no command, Cradle serves its web application (the same as `cradle serve`).
#[derive(Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default).
    Serve(ServeArgs),
    /// Work with the national baseline content (the toolkit as data).
    #[command(subcommand)]
    Content(ContentCommand),
    /// List every page of the web application as JSON, for the browser check.
    Pages(DatabaseArgs),
    /// Make one of a partnership's saved report packs into a PDF, Word or Excel file.
    Report {
        #[command(flatten)]
        report: report::ReportArgs,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Look after the demo partnership.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Manage accounts: create the first administrator, make password links.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Delete the demo partnership, with everything added to it, and load a fresh one.
    /// Other partnerships are untouched.
    Reset,
}

#[derive(Subcommand)]
enum ContentCommand {
    /// Validate the content files: print a count per kind of item, or every problem with
    /// its file, line and reason (and exit with status 1).
    Check {
        /// The content folder to check. [default: ./content when it exists, otherwise the
        /// content built into this binary]
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Where Cradle keeps its data.
#[derive(Args, Clone)]
struct DatabaseArgs {
    /// Folder for the embedded SQLite database (created if missing). Ignored when
    /// DATABASE_URL is set. [default: the platform's data folder, e.g. ~/.local/share/cradle]
    #[arg(long, env = "CRADLE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://user:password@host/database) to use instead of the
    /// embedded SQLite database. Several Cradle instances may share one.
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    database_url: Option<String>,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "CRADLE_ADDR",
        default_value = "127.0.0.1:8080",
        value_name = "HOST:PORT"
    )]
    addr: SocketAddr,
    /// Set when users reach Cradle over HTTPS (directly or through a proxy): turns on
    /// Strict-Transport-Security and Secure cookies.
    #[arg(long, env = "CRADLE_HTTPS")]
    https: bool,
    /// Load balancers or proxies in front of Cradle, as a comma-separated list of
    /// addresses or networks (10.0.0.0/8): their X-Forwarded-For entries are believed
    /// when throttling sign-in attempts per client address.
    #[arg(
        long,
        env = "CRADLE_TRUSTED_PROXIES",
        value_name = "LIST",
        default_value = "",
        value_parser = <cradle_web::TrustedProxies as std::str::FromStr>::from_str
    )]
    trusted_proxies: cradle_web::TrustedProxies,
    /// The address people use to reach Cradle, such as https://cradle.example.org, for the
    /// links it hands out (invitations, password links, workshop join links and QR codes).
    /// [default: the address Cradle listens on]
    #[arg(long, env = "CRADLE_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Log format: readable text, or one JSON object per line for log collectors.
    #[arg(long, env = "CRADLE_LOG_FORMAT", default_value = "text")]
    log_format: LogFormat,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cradle: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => serve(cli.serve).await,
            Some(Command::Serve(args)) => serve(args).await,
            Some(Command::Content(ContentCommand::Check { dir })) => content_check(dir),
            Some(Command::Pages(args)) => pages(args).await,
            Some(Command::Report { report, database }) => {
                let content = load_content()?;
                let store = open_store(&database).await?;
                let result = report::run(&store, &content, report).await;
                store.close().await;
                result
            }
            Some(Command::Demo {
                command: DemoCommand::Reset,
                database,
            }) => demo_reset(&database).await,
            Some(Command::User { command, database }) => {
                let store = open_store(&database).await?;
                let result = user::run(&store, command).await;
                store.close().await;
                result
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cradle: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    logging::init(matches!(args.log_format, LogFormat::Json));
    let content = load_content()?;
    let public_url = configured_public_url(args.public_url.as_deref())?;
    let store = open_store(&args.database).await?;
    // A demo that fails part-way must not keep Cradle from serving partnerships' own work.
    match cradle_demo::load_once(&store, &content, OffsetDateTime::now_utc().date()).await {
        Ok(Some(demo)) => tracing::info!(partnership = %demo.name, "loaded the demo partnership"),
        Ok(None) => {}
        Err(error) => tracing::error!(
            %error,
            "could not finish loading the demo partnership; `cradle demo reset` loads it afresh"
        ),
    }
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("could not listen on {}", args.addr))?;
    let local = listener
        .local_addr()
        .context("could not read the listening address")?;
    let state = AppState::new(
        store.clone(),
        content,
        WebConfig {
            https: args.https,
            trusted_proxies: args.trusted_proxies,
            public_url: Some(public_url.unwrap_or_else(|| listening_url(local, args.https))),
        },
    );
    tokio::spawn(housekeeping(store.clone()));
    println!("Cradle is running at http://{local}/ (press Ctrl-C to stop)");
    tracing::info!(address = %local, database = store.kind().label(), "listening");
    cradle_web::serve(listener, state, shutdown_signal())
        .await
        .context("the server stopped with an error")?;
    tracing::info!("requests finished; closing the database");
    store.close().await;
    Ok(())
}

/// `cradle demo reset`.
async fn demo_reset(database: &DatabaseArgs) -> anyhow::Result<()> {
    let content = load_content()?;
    let store = open_store(database).await?;
    let result = cradle_demo::reset(&store, &content, OffsetDateTime::now_utc().date())
        .await
        .context("could not reset the demo partnership");
    store.close().await;
    let demo = result?;
    println!(
        "The demo partnership is reset: {} ({}).",
        demo.name, demo.id
    );
    Ok(())
}

/// `CRADLE_PUBLIC_URL`, checked (an empty value counts as unset).
fn configured_public_url(url: Option<&str>) -> anyhow::Result<Option<PublicUrl>> {
    url.map(str::trim)
        .filter(|url| !url.is_empty())
        .map(|url| {
            url.parse::<PublicUrl>()
                .with_context(|| format!("CRADLE_PUBLIC_URL (--public-url) {url:?} cannot be used"))
        })
        .transpose()
}

/// Links point at the listening address when no public address is configured; a
/// wildcard address works for no one else, so say how to fix it.
fn listening_url(local: SocketAddr, https: bool) -> PublicUrl {
    let url = PublicUrl::listening_on(local, https);
    if local.ip().is_unspecified() {
        tracing::warn!(
            %url,
            "CRADLE_PUBLIC_URL is not set, so links Cradle hands out point at its listening address; set it to the address people use"
        );
    }
    url
}

/// `cradle content check`: a folder on disk (so editors can check before rebuilding), or
/// the embedded content.
fn content_check(dir: Option<PathBuf>) -> anyhow::Result<()> {
    let dir = dir.or_else(|| Some(PathBuf::from("content")).filter(|d| d.is_dir()));
    let content = match &dir {
        Some(dir) => cradle_content::load_dir(dir).map_err(|error| anyhow::anyhow!("{error}"))?,
        None => cradle_content::embedded()
            .map_err(|problems| anyhow::anyhow!("{}", cradle_content::report(&problems)))?,
    };
    for (label, count) in content.counts() {
        println!("{label}: {count}");
    }
    Ok(())
}

/// The embedded content, validated; Cradle refuses to start without it.
fn load_content() -> anyhow::Result<Arc<Content>> {
    let content = cradle_content::embedded().map_err(|problems| {
        anyhow::anyhow!(
            "the built-in content is not valid, so Cradle will not start.\n{}",
            cradle_content::report(&problems)
        )
    })?;
    Ok(Arc::new(content))
}

async fn pages(args: DatabaseArgs) -> anyhow::Result<()> {
    let content = load_content()?;
    let store = open_store(&args).await?;
    let pages = cradle_web::page_inventory(&store, &content)
        .await
        .context("could not list the pages")?;
    store.close().await;
    println!(
        "{}",
        serde_json::to_string_pretty(&pages).context("could not write the page list")?
    );
    Ok(())
}

/// Opens PostgreSQL when a URL is given, otherwise the SQLite file in the data folder.
async fn open_store(args: &DatabaseArgs) -> anyhow::Result<Store> {
    if let Some(url) = args.database_url.as_deref().filter(|url| !url.is_empty()) {
        tracing::info!(database = %redact_password(url), "opening PostgreSQL");
        return Ok(Store::open(url).await?);
    }
    let dir = match &args.data_dir {
        Some(dir) => dir.clone(),
        None => directories::ProjectDirs::from("uk", "Cradle", "cradle")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .context(
                "could not find a home folder for Cradle's data: set --data-dir or CRADLE_DATA_DIR",
            )?,
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("could not create the data folder {}", dir.display()))?;
    let path = dir.join("cradle.db");
    tracing::info!(database = %path.display(), "opening SQLite");
    Ok(Store::open_sqlite(&path).await?)
}

/// Every quarter of an hour, removes expired sessions and sign-in failures too old to
/// count towards throttling. Every instance may do this; the deletes are idempotent.
async fn housekeeping(store: Store) {
    let mut ticks = tokio::time::interval(std::time::Duration::from_secs(15 * 60));
    loop {
        ticks.tick().await;
        let now = time::OffsetDateTime::now_utc();
        if let Err(error) = store.delete_expired_sessions(now).await {
            tracing::warn!(%error, "could not remove expired sessions");
        }
        if let Err(error) = store
            .forget_sign_in_failures_before(now - time::Duration::DAY)
            .await
        {
            tracing::warn!(%error, "could not remove old sign-in failures");
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "could not listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
