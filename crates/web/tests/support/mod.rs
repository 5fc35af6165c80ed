//! Starts the real Cradle web application on an ephemeral port over a fresh database, for
//! tests that drive it over HTTP.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]
#![allow(dead_code)] // each test file uses a different part of the harness

use std::sync::{Arc, OnceLock};

use cradle_content::Content;
use cradle_domain::partnership::NewPartnership;
use cradle_domain::vocabulary::{Nation, Role};
use cradle_store::testing::TestDb;
use cradle_store::{Actor, Store, User};
use cradle_web::{AppState, WebConfig};
use time::OffsetDateTime;
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
        Self::start_with(db, WebConfig::default()).await
    }

    /// As [`TestServer::start`], with a chosen configuration.
    pub async fn start_with(db: TestDb, config: WebConfig) -> Self {
        if let Some(demo) = db
            .store
            .load_demo_once(&cradle_domain::demo::partnership())
            .await
            .unwrap()
        {
            cradle_demo::load_running_workshop(&db.store, &content(), &demo.id)
                .await
                .unwrap();
        }
        Self::serve(db, config).await
    }

    /// Serves over `db` with the whole demo partnership loaded, as `cradle serve` loads it
    /// on a first start (slower: it makes the demo's report pack).
    pub async fn start_with_full_demo(db: TestDb) -> Self {
        let today = OffsetDateTime::now_utc().date();
        cradle_demo::load_once(&db.store, &content(), today)
            .await
            .unwrap()
            .expect("a new database has no demo yet");
        Self::serve(db, WebConfig::default()).await
    }

    async fn serve(db: TestDb, config: WebConfig) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(db.store.clone(), content(), config);
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(cradle_web::serve(listener, state, async {
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

/// As [`run_http_test`], with the whole demo partnership loaded.
pub async fn run_full_demo_test(db: TestDb, test: impl AsyncFnOnce(&TestServer)) {
    let server = TestServer::start_with_full_demo(db).await;
    test(&server).await;
    server.finish().await;
}

/// A password that passes Cradle's password rules, used for every test account.
pub const PASSWORD: &str = "marmalade kettle lantern";

/// Creates an account with [`PASSWORD`] directly in the store.
pub async fn create_user(
    server: &TestServer,
    email: &str,
    name: &str,
    admin: bool,
) -> cradle_store::User {
    let hash = cradle_web::hash_password(PASSWORD.into()).await.unwrap();
    server
        .store()
        .create_user(&cradle_store::NewUser {
            email: email.parse().unwrap(),
            display_name: name.into(),
            password_hash: Some(hash),
            is_site_admin: admin,
        })
        .await
        .unwrap()
}

/// One person's browser: its own cookies, following no redirects so tests see them.
pub struct Browser<'a> {
    pub server: &'a TestServer,
    pub client: reqwest::Client,
}

/// The value of the first hidden CSRF field in a page.
pub fn csrf_field(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

impl<'a> Browser<'a> {
    pub fn new(server: &'a TestServer) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        Self { server, client }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.server.url(path)).send().await.unwrap()
    }

    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// This browser's CSRF token, read from a page with a form (the sign-in page when
    /// signed out, the account page when signed in).
    pub async fn token(&self) -> String {
        for path in ["/sign-in", "/account"] {
            let (_, html) = self.page(path).await;
            if let Some(token) = csrf_field(&html) {
                return token;
            }
        }
        panic!("no page offered a CSRF token")
    }

    /// Submits a form as a browser would, with this browser's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.token().await;
        self.post_with_token(path, fields, &token).await
    }

    pub async fn post_with_token(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        token: &str,
    ) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", token));
        self.client
            .post(self.server.url(path))
            .header("sec-fetch-site", "same-origin")
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Signs in with [`PASSWORD`]; panics unless Cradle accepts it.
    pub async fn sign_in(&self, email: &str) {
        let response = self
            .post(
                "/sign-in",
                &[("email", email), ("password", PASSWORD), ("next", "")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "sign-in as {email} failed");
    }
}

impl Browser<'_> {
    /// Uploads a file through a multipart form as a browser would: the CSRF token in the
    /// form's address (the upload forms put it there), the file in the `file` field.
    pub async fn upload(&self, path: &str, file_name: &str, bytes: &[u8]) -> reqwest::Response {
        self.upload_with_fields(path, file_name, bytes, &[]).await
    }

    /// As [`Browser::upload`], with the form's other fields too.
    pub async fn upload_with_fields(
        &self,
        path: &str,
        file_name: &str,
        bytes: &[u8],
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.token().await;
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(file_name.to_owned());
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text((*name).to_owned(), (*value).to_owned());
        }
        let form = form.part("file", part);
        self.client
            .post(self.server.url(&format!("{path}?csrf_token={token}")))
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .unwrap()
    }
}

/// Text as the templates escape it, to find it in a page.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// Where a redirect sends the browser: the response's `location` header.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// What a test partnership is called, its nation and the areas it covers.
pub struct PartnershipSpec<'a> {
    pub name: &'a str,
    pub nation: Nation,
    pub areas: &'a [&'a str],
}

/// A partnership covering Hartlepool (the services and upload tests use it).
pub const TEES_VALLEY: PartnershipSpec = PartnershipSpec {
    name: "Tees Valley",
    nation: Nation::England,
    areas: &["E06000001"],
};

/// A partnership covering Belfast (the workshop and self-assessment tests use it).
pub const BELFAST: PartnershipSpec = PartnershipSpec {
    name: "Belfast",
    nation: Nation::NorthernIreland,
    areas: &["N09000003"],
};

/// Creates a partnership through the form as the signed-in `browser`, as a person would;
/// returns its id.
pub async fn create_partnership_by_form(
    browser: &Browser<'_>,
    spec: &PartnershipSpec<'_>,
    description: &str,
) -> String {
    let areas = spec.areas.join("\n");
    let response = browser
        .post(
            "/partnerships/new",
            &[
                ("name", spec.name),
                ("nation", spec.nation.id()),
                ("areas", &areas),
                ("description", description),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    location(&response)
        .trim_start_matches("/partnerships/")
        .to_owned()
}

/// A partnership made directly in the store, and the account that owns it.
pub struct TestPartnership {
    pub store: Store,
    /// The partnership's id.
    pub partnership: String,
    pub owner: Actor,
}

impl TestPartnership {
    /// Creates `spec` in the store, owned by a new account (`owner_email`, `owner_name`)
    /// with [`PASSWORD`].
    pub async fn create(
        server: &TestServer,
        spec: &PartnershipSpec<'_>,
        owner_email: &str,
        owner_name: &str,
    ) -> Self {
        let store = server.store();
        let owner = create_user(server, owner_email, owner_name, false).await;
        let owner = Actor { user_id: owner.id };
        let new = NewPartnership::validate(spec.name, spec.nation, "", spec.areas, false).unwrap();
        let partnership = store
            .create_partnership_with_owner(&new, &owner)
            .await
            .unwrap();
        Self {
            store,
            partnership: partnership.id,
            owner,
        }
    }

    /// Makes a new account (`email`, `name`) a member with `role`, signed in in its own
    /// browser.
    pub async fn signed_in_member<'a>(
        &self,
        server: &'a TestServer,
        email: &str,
        name: &str,
        role: Role,
    ) -> Browser<'a> {
        let user = create_user(server, email, name, false).await;
        add_member(&self.store, &self.owner, &self.partnership, &user, role).await;
        signed_in(server, email).await
    }
}

/// Makes `user` a member of `partnership` with `role`: `owner` invites them and they accept
/// at once.
pub async fn add_member(store: &Store, owner: &Actor, partnership: &str, user: &User, role: Role) {
    let hash = format!("invitation-{partnership}-{}", user.id);
    store
        .create_invitation(
            owner,
            partnership,
            &user.email,
            role,
            &hash,
            OffsetDateTime::now_utc() + time::Duration::DAY,
        )
        .await
        .unwrap();
    store
        .accept_invitation(&hash, &user.id, OffsetDateTime::now_utc())
        .await
        .unwrap();
}

/// A new browser signed in as `email` (with [`PASSWORD`]).
pub async fn signed_in<'a>(server: &'a TestServer, email: &str) -> Browser<'a> {
    let browser = Browser::new(server);
    browser.sign_in(email).await;
    browser
}

/// `spec` made in the store with its owner (owner@example.org) signed in.
pub async fn owner_signed_in<'a>(
    server: &'a TestServer,
    spec: &PartnershipSpec<'_>,
) -> (TestPartnership, Browser<'a>) {
    let partnership = TestPartnership::create(server, spec, "owner@example.org", "Owner").await;
    let browser = signed_in(server, "owner@example.org").await;
    (partnership, browser)
}

/// `spec` made in the store with an owner, and a member with `role` (named after the role)
/// signed in.
pub async fn partnership_with_member<'a>(
    server: &'a TestServer,
    spec: &PartnershipSpec<'_>,
    role: Role,
) -> (TestPartnership, Browser<'a>) {
    let partnership = TestPartnership::create(server, spec, "owner@example.org", "Owner").await;
    let email = format!("{}@example.org", role.id());
    let browser = partnership
        .signed_in_member(server, &email, role.label(), role)
        .await;
    (partnership, browser)
}

/// A partnership covering Hartlepool and Middlesbrough with an owner, and a signed-in
/// member of it with `role`. Returns the partnership's id and the member's browser.
pub async fn member_of_partnership(server: &TestServer, role: Role) -> (String, Browser<'_>) {
    let spec = PartnershipSpec {
        name: "Tees Best Start",
        nation: Nation::England,
        areas: &["E06000001", "E06000002"],
    };
    let partnership =
        TestPartnership::create(server, &spec, "owner@example.org", "Olu Owner").await;
    let email = format!("{}@example.org", role.id());
    let browser = partnership
        .signed_in_member(server, &email, "Pat Member", role)
        .await;
    (partnership.partnership, browser)
}
