//! Security hardening over HTTP (issue 15, item 2): only same-site addresses after sign-in,
//! nothing private left in caches, join codes cannot be guessed quickly, and links handed
//! out never take their address from the request's `Host` header.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::Nation;
use cradle_store::testing::TestDb;
use cradle_web::{DEMO_JOIN_CODE, WebConfig};
use support::{
    Browser, PASSWORD, PartnershipSpec, TestServer, create_partnership_by_form, create_user,
    location,
};

cradle_store::backend_suite!(
    runner = crate::run_configured;
    a_next_address_to_another_site_or_with_control_characters_is_ignored_on_get,
    a_next_address_to_another_site_or_with_control_characters_is_ignored_on_post,
    signed_in_pages_and_private_downloads_are_not_stored_but_assets_are_cached,
    guessing_join_codes_from_one_address_is_throttled_and_others_still_join,
    links_handed_out_use_the_configured_address_whatever_the_host_header,
);

/// The address the configured server says people use.
const PUBLIC_URL: &str = "https://cradle.example.org";

/// The partnership these tests create through the form.
const TEES_VALLEY_BEST_START: PartnershipSpec = PartnershipSpec {
    name: "Tees Valley Best Start",
    nation: Nation::England,
    areas: &["E06000001"],
};

/// A `Host` header an attacker might send, hoping links get built from it.
const HOSTILE_HOST: &str = "evil.example";

/// Serves behind a trusted proxy on the loopback address (so tests choose each request's
/// client address with `X-Forwarded-For`), with a configured public address.
async fn run_configured(db: TestDb, test: impl AsyncFnOnce(&TestServer)) {
    let config = WebConfig {
        trusted_proxies: "127.0.0.1".parse().unwrap(),
        public_url: Some(PUBLIC_URL.parse().unwrap()),
        ..WebConfig::default()
    };
    let server = TestServer::start_with(db, config).await;
    test(&server).await;
    server.finish().await;
}

/// `next` values, as sent in a query string (percent-encoded), that must not be followed.
const BAD_NEXT_IN_QUERY: &[&str] = &[
    "/%09/evil.example",
    "/%0A/evil.example",
    "/%0D%0ALocation:%20https://evil.example",
    "/%00",
    "/%7F",
    "%2F%2Fevil.example",
    "//evil.example",
    "/%5Cevil.example",
    "/\\evil.example",
    "https://evil.example",
    "https%3A%2F%2Fevil.example",
    "/%252F/evil.example",
    "/%2509/evil.example",
    "%20/evil.example",
];

/// `next` values, as a form field holds them (the form encodes them), that must not be
/// followed.
const BAD_NEXT_IN_FORM: &[&str] = &[
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nLocation: https://evil.example",
    "/\0",
    "/\u{7f}",
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "/%09/evil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    " /evil.example",
];

async fn a_next_address_to_another_site_or_with_control_characters_is_ignored_on_get(
    server: &TestServer,
) {
    // Signed out: the form is shown (never a 500) and does not carry the address on.
    let anonymous = Browser::new(server);
    for bad in BAD_NEXT_IN_QUERY {
        let (status, html) = anonymous.page(&format!("/sign-in?next={bad}")).await;
        assert_eq!(status, 200, "GET /sign-in?next={bad}");
        assert!(
            html.contains("name=\"next\" value=\"\""),
            "the form drops next={bad}"
        );
    }
    // Signed in: sent to the default page instead.
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    browser.sign_in("sam@example.org").await;
    for bad in BAD_NEXT_IN_QUERY {
        let response = browser.get(&format!("/sign-in?next={bad}")).await;
        assert_eq!(response.status().as_u16(), 303, "GET /sign-in?next={bad}");
        assert_eq!(location(&response), "/partnerships", "next={bad}");
    }
    let response = browser.get("/sign-in?next=%2Faccount").await;
    assert_eq!(
        location(&response),
        "/account",
        "a same-site path is followed"
    );
}

async fn a_next_address_to_another_site_or_with_control_characters_is_ignored_on_post(
    server: &TestServer,
) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    for bad in BAD_NEXT_IN_FORM {
        let browser = Browser::new(server);
        let fields = [
            ("email", "sam@example.org"),
            ("password", PASSWORD),
            ("next", bad),
        ];
        let response = browser.post("/sign-in", &fields).await;
        assert_eq!(response.status().as_u16(), 303, "POST next={bad:?}");
        assert_eq!(location(&response), "/partnerships", "next={bad:?}");
    }
    // A refused password re-shows the form; a bad `next` still never answers 500.
    let browser = Browser::new(server);
    let fields = [
        ("email", "sam@example.org"),
        ("password", "not the password"),
        ("next", "/\n/evil.example"),
    ];
    assert_eq!(
        browser.post("/sign-in", &fields).await.status().as_u16(),
        422
    );
    let fields = [
        ("email", "sam@example.org"),
        ("password", PASSWORD),
        ("next", "/account?tab=data"),
    ];
    let response = browser.post("/sign-in", &fields).await;
    assert_eq!(location(&response), "/account?tab=data");
}

fn cache_control(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("cache-control")
        .map(|value| value.to_str().unwrap().to_owned())
}

async fn signed_in_pages_and_private_downloads_are_not_stored_but_assets_are_cached(
    server: &TestServer,
) {
    create_user(server, "admin@example.org", "Ada Admin", true).await;
    let admin = Browser::new(server);
    admin.sign_in("admin@example.org").await;
    let partnership = create_partnership_by_form(&admin, &TEES_VALLEY_BEST_START, "").await;

    for path in [
        "/account".to_owned(),
        "/partnerships".to_owned(),
        format!("/partnerships/{partnership}"),
        "/account/data.json".to_owned(),
        format!("/partnerships/{partnership}/audit.csv"),
    ] {
        let response = admin.get(&path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(
            cache_control(&response).as_deref(),
            Some("no-store"),
            "{path} signed in"
        );
    }

    // The stylesheet keeps its year-long caching, signed in or not.
    let (_, html) = admin.page("/").await;
    let start = html.find("/assets/cradle.").unwrap();
    let end = html[start..].find('"').unwrap() + start;
    let asset = &html[start..end];
    for browser in [&admin, &Browser::new(server)] {
        let response = browser.get(asset).await;
        assert_eq!(response.status().as_u16(), 200, "{asset}");
        let policy = cache_control(&response).unwrap();
        assert!(policy.contains("max-age=31536000"), "{asset}: {policy}");
        assert!(!policy.contains("no-store"), "{asset}: {policy}");
    }
}

/// A GET from the client at `address`, as the trusted proxy reports it.
async fn get_from(server: &TestServer, address: &str, path: &str) -> reqwest::Response {
    server
        .client
        .get(server.url(path))
        .header("x-forwarded-for", address)
        .send()
        .await
        .unwrap()
}

/// A well-formed join code that no workshop has (the demo workshop's is TEESVA).
fn wrong_code(n: usize) -> String {
    let alphabet = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut code = *b"ZZZZZZ";
    code[4] = alphabet[n / alphabet.len() % alphabet.len()];
    code[5] = alphabet[n % alphabet.len()];
    String::from_utf8(code.to_vec()).unwrap()
}

async fn guessing_join_codes_from_one_address_is_throttled_and_others_still_join(
    server: &TestServer,
) {
    let guesser = "198.51.100.7";
    // Wrong codes typed into the form and in join links both count.
    for n in 0..50 {
        let response = if n % 2 == 0 {
            get_from(server, guesser, &format!("/join?code={}", wrong_code(n))).await
        } else {
            get_from(server, guesser, &format!("/join/{}", wrong_code(n))).await
        };
        let status = response.status().as_u16();
        assert!(status == 400 || status == 404, "guess {n}: {status}");
    }
    // Codes that cannot be codes are not counted and are still answered.
    let response = get_from(server, guesser, "/join?code=XYZ").await;
    assert_eq!(response.status().as_u16(), 400);

    for path in [
        format!("/join?code={}", wrong_code(50)),
        format!("/join/{}", wrong_code(51)),
        // Refused for the right code too, so that refusals reveal nothing.
        format!("/join?code={DEMO_JOIN_CODE}"),
        format!("/join/{DEMO_JOIN_CODE}"),
    ] {
        let response = get_from(server, guesser, &path).await;
        assert_eq!(response.status().as_u16(), 429, "{path}");
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=600).contains(&retry_after), "{retry_after}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("govuk-heading-l"),
            "a page in Cradle's design"
        );
        assert!(
            html.contains("Too many attempts to join a workshop"),
            "{html}"
        );
        assert!(html.contains("Wait 10 minutes and try again"), "{html}");
    }

    // Someone else in the room still joins with the right code.
    let neighbour = "198.51.100.8";
    let response = get_from(server, neighbour, &format!("/join?code={DEMO_JOIN_CODE}")).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), format!("/join/{DEMO_JOIN_CODE}"));
    let response = get_from(server, neighbour, &format!("/join/{DEMO_JOIN_CODE}")).await;
    assert_eq!(response.status().as_u16(), 200);

    // The participant page does not reveal which codes exist to someone who has not joined.
    for code in [DEMO_JOIN_CODE.to_owned(), wrong_code(52)] {
        let response = get_from(server, neighbour, &format!("/w/{code}")).await;
        assert_eq!(response.status().as_u16(), 303, "/w/{code}");
        assert_eq!(location(&response), format!("/join/{code}"));
    }
}

/// A POST with a forged `Host` header, as a browser in this session would send it.
async fn post_with_host(
    browser: &Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = browser.token().await;
    let mut form = fields.to_vec();
    form.push(("csrf_token", token.as_str()));
    browser
        .client
        .post(browser.server.url(path))
        .header("host", HOSTILE_HOST)
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn get_with_host(browser: &Browser<'_>, path: &str) -> reqwest::Response {
    browser
        .client
        .get(browser.server.url(path))
        .header("host", HOSTILE_HOST)
        .send()
        .await
        .unwrap()
}

/// The QR code Cradle draws for `link`, drawn the same way.
fn qr_of(link: &str) -> String {
    qrcode::QrCode::new(link.as_bytes())
        .unwrap()
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build()
}

async fn links_handed_out_use_the_configured_address_whatever_the_host_header(server: &TestServer) {
    let admin_user = create_user(server, "admin@example.org", "Ada Admin", true).await;
    let admin = Browser::new(server);
    admin.sign_in("admin@example.org").await;
    let partnership = create_partnership_by_form(&admin, &TEES_VALLEY_BEST_START, "").await;

    // An invitation link.
    let response = post_with_host(
        &admin,
        &format!("/partnerships/{partnership}/invitations"),
        &[("email", "sam@example.org"), ("role", "contributor")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let shown = get_with_host(&admin, &location(&response)).await;
    let html = shown.text().await.unwrap();
    assert!(
        html.contains(&format!("{PUBLIC_URL}/invitations/")),
        "{html}"
    );
    assert!(!html.contains(HOSTILE_HOST), "{html}");

    // A password link made by an administrator.
    let response = post_with_host(
        &admin,
        &format!("/admin/users/{}/password-link", admin_user.id),
        &[],
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let shown = get_with_host(&admin, &location(&response)).await;
    let html = shown.text().await.unwrap();
    assert!(
        html.contains(&format!("{PUBLIC_URL}/password-reset/")),
        "{html}"
    );
    assert!(!html.contains(HOSTILE_HOST), "{html}");

    // The demo workshop's join link and its QR code, as its facilitator sees them.
    let code: cradle_domain::workshop::JoinCode = DEMO_JOIN_CODE.parse().unwrap();
    let workshop = server
        .store()
        .workshop_by_code(&code)
        .await
        .unwrap()
        .unwrap();
    let base = format!(
        "/partnerships/{}/workshops/{}",
        workshop.partnership_id, workshop.id
    );
    let join_link = format!("{PUBLIC_URL}/join/{DEMO_JOIN_CODE}");
    let response = get_with_host(&admin, &base).await;
    assert_eq!(response.status().as_u16(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains(&join_link), "{html}");
    assert!(!html.contains(HOSTILE_HOST), "{html}");
    let response = get_with_host(&admin, &format!("{base}/qr.svg")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.text().await.unwrap(), qr_of(&join_link));
}

/// Without a configured public address, links use the address Cradle listens on.
mod unconfigured {
    use super::*;

    cradle_store::backend_suite!(
        runner = crate::support::run_http_test;
        links_use_the_listening_address_not_the_host_header,
    );

    async fn links_use_the_listening_address_not_the_host_header(server: &TestServer) {
        create_user(server, "admin@example.org", "Ada Admin", true).await;
        let admin = Browser::new(server);
        admin.sign_in("admin@example.org").await;
        let partnership = create_partnership_by_form(&admin, &TEES_VALLEY_BEST_START, "").await;
        let response = post_with_host(
            &admin,
            &format!("/partnerships/{partnership}/invitations"),
            &[("email", "sam@example.org"), ("role", "contributor")],
        )
        .await;
        assert_eq!(response.status().as_u16(), 303);
        let shown = get_with_host(&admin, &location(&response)).await;
        let html = shown.text().await.unwrap();
        assert!(
            html.contains(&format!("{}/invitations/", server.base)),
            "{html}"
        );
        assert!(!html.contains(HOSTILE_HOST), "{html}");
    }
}
