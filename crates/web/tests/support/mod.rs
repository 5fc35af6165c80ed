//! Starts the real Cradle web application on an ephemeral port over a fresh database, for
//! tests that drive it over HTTP.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]
#![allow(dead_code)] // each test file uses a different part of the harness

use std::sync::{Arc, OnceLock};

use cradle_content::Content;
use cradle_store::testing::TestDb;
use cradle_web::{AppState, WebConfig};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The embedded content, parsed once for all tests in a file.
pub fn content() -> Arc<Content> {
    static CONTENT: OnceLock<Arc<Content>> = OnceLock::new();
    CONTENT
        .get_or_init(|| {
            Arc::new(cradle_content::embedded().expect("the baseline content is valid"))
        })
        .clone()
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    db: TestDb,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    /// Serves over `db`, with the demo partnership loaded as on a first start.
    pub async fn start(db: TestDb) -> Self {
        db.store
            .load_demo_once(&cradle_domain::demo::partnership())
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let app = cradle_web::router(AppState::new(
            db.store.clone(),
            content(),
            WebConfig::default(),
        ));
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(cradle_web::serve(listener, app, async {
            stopped.await.ok();
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            base,
            client,
            db,
            stop,
            task,
        }
    }

    pub fn store(&self) -> cradle_store::Store {
        self.db.store.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Stops the server (letting requests finish) and removes the database.
    pub async fn finish(self) {
        self.stop.send(()).ok();
        self.task.await.unwrap().unwrap();
        self.db.finish().await;
    }
}

/// Starts a server over `db`, runs a test against it, then stops it and removes the database.
pub async fn run_http_test(db: TestDb, test: impl AsyncFnOnce(&TestServer)) {
    let server = TestServer::start(db).await;
    test(&server).await;
    server.finish().await;
}
