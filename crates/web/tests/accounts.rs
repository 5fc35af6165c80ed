//! Accounts over HTTP: the newcomer's journey, sessions and cookies, CSRF, throttling,
//! password links, personal data, and the audit log.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::Nation;
use cradle_store::testing::TestDb;
use cradle_web::WebConfig;
use support::{
    Browser, PASSWORD, PartnershipSpec, TestServer, create_partnership_by_form, create_user,
    location,
};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    an_admin_creates_a_partnership_and_an_invited_colleague_sees_only_what_their_role_allows,
    signing_in_gives_a_new_session_id_in_an_http_only_lax_cookie,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    failed_sign_ins_are_throttled_per_account_with_a_clear_message,
    behind_a_trusted_proxy_failed_sign_ins_are_counted_per_forwarded_client,
    state_changing_requests_need_this_sessions_token_and_a_same_site_origin,
    signing_out_everywhere_ends_every_session,
    a_password_link_works_once,
    an_invitation_link_works_once_and_not_after_withdrawal,
    a_bad_partnership_form_names_each_field_and_saves_nothing,
    every_change_is_in_the_audit_log_and_its_csv,
    a_person_can_download_their_data_and_delete_their_account,
    the_last_owner_cannot_leave_a_partnership_ownerless,
    after_sign_in_only_local_addresses_are_followed,
);

/// Creates a partnership across two towns through the form; returns its id.
async fn create_partnership(browser: &Browser<'_>, name: &str) -> String {
    let spec = PartnershipSpec {
        name,
        nation: Nation::England,
        areas: &["E06000001", "E06000002"],
    };
    create_partnership_by_form(browser, &spec, "Partners across two towns.").await
}

/// Invites `email` as `role` through the form; returns the link shown to the inviter.
async fn invite(browser: &Browser<'_>, partnership: &str, email: &str, role: &str) -> String {
    let response = browser
        .post(
            &format!("/partnerships/{partnership}/invitations"),
            &[("email", email), ("role", role)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = browser.page(&location(&response)).await;
    let start =
        html.find("<code id=\"invitation-link\">").unwrap() + "<code id=\"invitation-link\">".len();
    let end = html[start..].find("</code>").unwrap() + start;
    html[start..end].to_owned()
}

fn path_of(link: &str) -> String {
    let after_scheme = link.split_once("://").unwrap().1;
    format!("/{}", after_scheme.split_once('/').unwrap().1)
}

async fn an_admin_creates_a_partnership_and_an_invited_colleague_sees_only_what_their_role_allows(
    server: &TestServer,
) {
    create_user(server, "admin@example.org", "Ada Admin", true).await;
    let admin = Browser::new(server);
    admin.sign_in("admin@example.org").await;
    let id = create_partnership(&admin, "Hartlepool and Middlesbrough Best Start").await;
    let (status, html) = admin.page(&format!("/partnerships/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hartlepool and Middlesbrough Best Start"));

    let link = invite(&admin, &id, "sam@example.org", "contributor").await;
    assert!(link.starts_with("http://127.0.0.1:"), "{link}");

    let colleague = Browser::new(server);
    let (status, html) = colleague.page(&path_of(&link)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Create your account"), "{html}");
    let response = colleague
        .post(
            &path_of(&link),
            &[
                ("display_name", "Sam Jones"),
                ("password", PASSWORD),
                ("confirm_password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/partnerships/{id}").as_str()
    );

    let (status, html) = colleague.page(&format!("/partnerships/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Your role: <strong>Contributor</strong>"),
        "{html}"
    );
    assert!(
        !html.contains("Audit log"),
        "a contributor is not offered the audit log"
    );
    assert_eq!(
        colleague.page(&format!("/partnerships/{id}/audit")).await.0,
        403
    );
    assert_eq!(
        colleague.page(&format!("/partnerships/{id}/edit")).await.0,
        403
    );
    let (_, list) = colleague.page("/partnerships").await;
    assert!(list.contains("Hartlepool and Middlesbrough Best Start"));

    // Someone outside the partnership cannot tell it exists.
    create_user(server, "other@example.org", "Olu Other", false).await;
    let outsider = Browser::new(server);
    outsider.sign_in("other@example.org").await;
    assert_eq!(outsider.page(&format!("/partnerships/{id}")).await.0, 404);
    let (_, list) = outsider.page("/partnerships").await;
    assert!(!list.contains("Hartlepool and Middlesbrough Best Start"));
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .find(|cookie| cookie.contains("cradle_session="))
}

fn cookie_value(cookie: &str) -> &str {
    cookie.split(';').next().unwrap().split_once('=').unwrap().1
}

async fn signing_in_gives_a_new_session_id_in_an_http_only_lax_cookie(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    let before = session_cookie(&browser.get("/sign-in").await).expect("a session for the form");
    assert!(before.contains("HttpOnly"), "{before}");
    assert!(before.contains("SameSite=Lax"), "{before}");
    assert!(
        !before.contains("Secure"),
        "plain HTTP cannot carry Secure cookies: {before}"
    );
    let token = browser.token().await;
    let response = browser
        .post_with_token(
            "/sign-in",
            &[("email", "sam@example.org"), ("password", PASSWORD)],
            &token,
        )
        .await;
    let after = session_cookie(&response).expect("sign-in sets the session cookie");
    assert_ne!(
        cookie_value(&before),
        cookie_value(&after),
        "the session id changes at sign-in"
    );

    // Over HTTPS the cookie is Secure and __Host- prefixed.
    let db = TestDb::sqlite().await;
    let secure = TestServer::start_with(
        db,
        WebConfig {
            https: true,
            ..WebConfig::default()
        },
    )
    .await;
    let cookie = session_cookie(&secure.get("/sign-in").await).unwrap();
    assert!(cookie.starts_with("__Host-cradle_session="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    let headers = secure.get("/sign-in").await;
    assert!(headers.headers().contains_key("strict-transport-security"));
    secure.finish().await;
}

async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    for email in ["sam@example.org", "nobody@example.org"] {
        let response = browser
            .post(
                "/sign-in",
                &[("email", email), ("password", "not the password at all")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains("There is a problem"));
        assert!(
            html.contains("Enter a correct email address and password"),
            "{html}"
        );
    }
    let response = browser
        .post("/sign-in", &[("email", "sam@"), ("password", "")])
        .await;
    let html = response.text().await.unwrap();
    assert!(html.contains("Enter an email address in the correct format"));
    assert!(html.contains("Enter your password"));
    assert!(html.contains("href=\"#email\"") && html.contains("href=\"#password\""));
}

async fn failed_sign_ins_are_throttled_per_account_with_a_clear_message(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    create_user(server, "ola@example.org", "Ola Smith", false).await;
    let browser = Browser::new(server);
    for _ in 0..5 {
        let response = browser
            .post(
                "/sign-in",
                &[
                    ("email", "sam@example.org"),
                    ("password", "wrong wrong wrong"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422);
    }
    // Even the right password is refused now, with a message saying why and for how long.
    let response = browser
        .post(
            "/sign-in",
            &[("email", "sam@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(response.status().as_u16(), 429);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(
            "There have been too many failed attempts to sign in to this account. Wait 15 minutes"
        ),
        "{html}"
    );
    // Another account from the same address is unaffected.
    browser.sign_in("ola@example.org").await;
}

/// Fails to sign in to an unknown account, as a browser behind the load balancer would
/// appear: connecting from the balancer, with the client's address forwarded.
async fn fail_sign_in_forwarded_for(browser: &Browser<'_>, email: &str, client: &str) -> u16 {
    let token = browser.token().await;
    browser
        .client
        .post(browser.server.url("/sign-in"))
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", client)
        .form(&[
            ("email", email),
            ("password", "wrong wrong wrong"),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn behind_a_trusted_proxy_failed_sign_ins_are_counted_per_forwarded_client(
    server: &TestServer,
) {
    let db = TestDb::sqlite().await;
    let config = WebConfig {
        trusted_proxies: "127.0.0.1".parse().unwrap(),
        ..WebConfig::default()
    };
    let behind_balancer = TestServer::start_with(db, config).await;
    let browser = Browser::new(&behind_balancer);
    // A different account each time, so that only the per-address rule can apply.
    for n in 0..20 {
        let email = format!("guess{n}@example.org");
        assert_eq!(
            fail_sign_in_forwarded_for(&browser, &email, "198.51.100.7").await,
            422
        );
    }
    let email = "guess20@example.org";
    assert_eq!(
        fail_sign_in_forwarded_for(&browser, email, "198.51.100.7").await,
        429,
        "the 21st failure from one client is throttled"
    );
    assert_eq!(
        fail_sign_in_forwarded_for(&browser, email, "198.51.100.8").await,
        422,
        "another client behind the same balancer is not"
    );
    behind_balancer.finish().await;

    // Without trusted proxies the header is not believed: a client cannot dodge the
    // per-address rule by writing a new address into it each time.
    let browser = Browser::new(server);
    for n in 0..20 {
        let email = format!("guess{n}@example.org");
        let forged = format!("203.0.113.{n}");
        assert_eq!(
            fail_sign_in_forwarded_for(&browser, &email, &forged).await,
            422
        );
    }
    assert_eq!(
        fail_sign_in_forwarded_for(&browser, "guess20@example.org", "203.0.113.99").await,
        429
    );
}

async fn state_changing_requests_need_this_sessions_token_and_a_same_site_origin(
    server: &TestServer,
) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    browser.sign_in("sam@example.org").await;
    let fields = [
        ("name", "Forged"),
        ("nation", "england"),
        ("areas", ""),
        ("description", ""),
    ];

    // No token at all.
    let response = browser
        .client
        .post(server.url("/partnerships/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This form has expired")
    );

    // Another session's token.
    let other = Browser::new(server);
    let stolen = other.token().await;
    let response = browser
        .post_with_token("/partnerships/new", &fields, &stolen)
        .await;
    assert_eq!(response.status().as_u16(), 403);

    // The right token, but sent by another site.
    let token = browser.token().await;
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf_token", &token));
    let response = browser
        .client
        .post(server.url("/partnerships/new"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("came from another website")
    );
    let response = browser
        .client
        .post(server.url("/partnerships/new"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);

    // The API header works as the form field does.
    let response = browser
        .client
        .post(server.url("/partnerships/new"))
        .header("x-csrf-token", &token)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let names: Vec<String> = server
        .store()
        .partnerships()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(
        names.iter().filter(|n| *n == "Forged").count(),
        1,
        "{names:?}"
    );
}

async fn signing_out_everywhere_ends_every_session(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let laptop = Browser::new(server);
    let phone = Browser::new(server);
    laptop.sign_in("sam@example.org").await;
    phone.sign_in("sam@example.org").await;
    let (_, html) = laptop.page("/account").await;
    assert!(html.contains("2 devices or browsers"), "{html}");
    let response = laptop.post("/account/sign-out-everywhere", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    for browser in [&laptop, &phone] {
        let response = browser.get("/account").await;
        assert_eq!(response.status().as_u16(), 303);
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/sign-in")
        );
    }
}

async fn a_password_link_works_once(server: &TestServer) {
    let user = create_user(server, "sam@example.org", "Sam Jones", false).await;
    let link = cradle_web::password_link(&server.store(), &user.id, "http://cradle.test")
        .await
        .unwrap();
    let path = path_of(&link);
    let browser = Browser::new(server);
    let (status, html) = browser.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("For the account sam@example.org"));
    let response = browser
        .post(
            &path,
            &[
                ("password", "password1234"),
                ("confirm_password", "password1234"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Choose a password that is harder to guess")
    );
    let new_password = "otter harbour velvet compass";
    let response = browser
        .post(
            &path,
            &[
                ("password", new_password),
                ("confirm_password", new_password),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        browser.page("/account").await.0,
        200,
        "signed in after setting it"
    );
    let (status, html) = Browser::new(server).page(&path).await;
    assert_eq!(status, 404);
    assert!(html.contains("This link cannot be used"));
}

async fn an_invitation_link_works_once_and_not_after_withdrawal(server: &TestServer) {
    create_user(server, "owner@example.org", "Olive Owner", false).await;
    let owner = Browser::new(server);
    owner.sign_in("owner@example.org").await;
    let id = create_partnership(&owner, "Stockton Start Well").await;
    let link = invite(&owner, &id, "new@example.org", "viewer").await;
    let first = Browser::new(server);
    let fields = [
        ("display_name", "Nia New"),
        ("password", PASSWORD),
        ("confirm_password", PASSWORD),
    ];
    assert_eq!(
        first.post(&path_of(&link), &fields).await.status().as_u16(),
        303
    );
    let again = Browser::new(server);
    assert_eq!(again.page(&path_of(&link)).await.0, 404);

    let withdrawn = invite(&owner, &id, "later@example.org", "viewer").await;
    let pending = server
        .store()
        .pending_invitations(&id, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    let invitation = pending
        .iter()
        .find(|i| i.email.as_str() == "later@example.org")
        .unwrap();
    let response = owner
        .post(
            &format!("/partnerships/{id}/invitations/{}/revoke", invitation.id),
            &[],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(Browser::new(server).page(&path_of(&withdrawn)).await.0, 404);

    // A facilitator cannot invite an owner.
    let facilitator_link = invite(&owner, &id, "fay@example.org", "facilitator").await;
    let fay = Browser::new(server);
    let fay_fields = [
        ("display_name", "Fay Facilitator"),
        ("password", PASSWORD),
        ("confirm_password", PASSWORD),
    ];
    fay.post(&path_of(&facilitator_link), &fay_fields).await;
    let response = fay
        .post(
            &format!("/partnerships/{id}/invitations"),
            &[("email", "boss@example.org"), ("role", "owner")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Select a role no higher than your own")
    );
}

async fn a_bad_partnership_form_names_each_field_and_saves_nothing(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    browser.sign_in("sam@example.org").await;
    let before = server.store().partnerships().await.unwrap().len();
    let long = "x".repeat(2001);
    let response = browser
        .post(
            "/partnerships/new",
            &[
                ("name", ""),
                ("areas", "E06000001, X123, S1200003"),
                ("description", &long),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    for message in [
        "Enter the partnership&#39;s name",
        "Select the nation the partnership is in",
        "“X123” is not an area code",
        "“S1200003” is not an area code",
        "Description must be 2000 characters or fewer",
    ] {
        assert!(html.contains(message), "missing {message:?} in {html}");
    }
    assert!(html.contains("<title>Error: "));
    let response = browser
        .post(
            "/partnerships/new",
            &[
                ("name", "Mixed"),
                ("nation", "wales"),
                ("areas", "E06000001"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("E06000001 is an area in England, but the partnership is in Wales")
    );
    assert_eq!(server.store().partnerships().await.unwrap().len(), before);
}

async fn every_change_is_in_the_audit_log_and_its_csv(server: &TestServer) {
    create_user(server, "owner@example.org", "Olive Owner", false).await;
    let owner = Browser::new(server);
    owner.sign_in("owner@example.org").await;
    let id = create_partnership(&owner, "Redcar Little Steps").await;
    let response = owner
        .post(
            &format!("/partnerships/{id}/edit"),
            &[
                ("name", "Redcar and Cleveland Little Steps"),
                ("nation", "england"),
                ("areas", "E06000003"),
                ("description", "Renamed."),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (status, html) = owner.page(&format!("/partnerships/{id}/audit")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Olive Owner"), "{html}");
    assert!(
        html.contains("Redcar Little Steps") && html.contains("Redcar and Cleveland Little Steps")
    );
    let response = owner.get(&format!("/partnerships/{id}/audit.csv")).await;
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("when,who,action,entity,entity_id,before,after")
    );
    assert!(csv.contains("E06000003"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "create and update: {csv}");
}

async fn a_person_can_download_their_data_and_delete_their_account(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    browser.sign_in("sam@example.org").await;
    let response = browser.get("/account/data.json").await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data = response.text().await.unwrap();
    assert!(data.contains("sam@example.org"));
    assert!(!data.contains("argon2"), "never the password hash: {data}");

    let response = browser.post("/account/delete", &[]).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Confirm that you want to delete your account")
    );
    let response = browser.post("/account/delete", &[("confirm", "yes")]).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        server
            .store()
            .user_by_email(&"sam@example.org".parse().unwrap())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(browser.get("/account").await.status().as_u16(), 303);
}

async fn the_last_owner_cannot_leave_a_partnership_ownerless(server: &TestServer) {
    let owner_user = create_user(server, "owner@example.org", "Olive Owner", false).await;
    let owner = Browser::new(server);
    owner.sign_in("owner@example.org").await;
    let id = create_partnership(&owner, "Darlington Together").await;
    let response = owner
        .post(
            &format!("/partnerships/{id}/members/{}/role", owner_user.id),
            &[("role", "viewer")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("A partnership must always have an owner")
    );
    let response = owner.post("/account/delete", &[("confirm", "yes")]).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You are the only owner of a partnership")
    );
}

async fn after_sign_in_only_local_addresses_are_followed(server: &TestServer) {
    create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = Browser::new(server);
    let response = browser
        .post(
            "/sign-in",
            &[
                ("email", "sam@example.org"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/partnerships");
    let response = browser.get("/account").await;
    assert_eq!(response.status().as_u16(), 200);
    let anonymous = Browser::new(server);
    let response = anonymous.get("/account/delete").await;
    assert_eq!(
        response.headers()["location"],
        "/sign-in?next=%2Faccount%2Fdelete"
    );
}
