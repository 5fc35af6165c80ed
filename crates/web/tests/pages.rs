//! The web application over HTTP: pages, errors, assets, health and headers.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use support::TestServer;

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    the_home_page_shows_the_labelled_demo_partnership,
    every_inventory_page_renders_in_the_layout,
    an_unknown_address_gets_the_404_page_in_the_same_design,
    an_unknown_partnership_is_not_found,
    assets_are_hashed_cached_for_a_year_and_gzipped,
    health_and_readiness_answer_in_json,
    every_response_carries_security_headers_and_a_request_id,
    pages_are_compressed_for_browsers_that_accept_gzip,
    search_ranks_results_and_highlights_the_words_found,
    a_search_query_is_shown_escaped_and_never_runs_as_html,
    glossary_terms_are_linked_at_first_use_with_their_definition,
    diagrams_download_as_svg_and_as_png_at_slide_width,
);

async fn text(server: &TestServer, path: &str) -> (u16, String) {
    let response = server.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_home_page_shows_the_labelled_demo_partnership(server: &TestServer) {
    let (status, html) = text(server, "/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tees Valley demo partnership"), "{html}");
    assert!(html.contains("Demo data"));
}

async fn every_inventory_page_renders_in_the_layout(server: &TestServer) {
    let pages = cradle_web::page_inventory(&server.store(), &support::content())
        .await
        .unwrap();
    assert!(
        pages.iter().any(|p| p.path.starts_with("/partnerships/")),
        "the demo partnership's page is listed"
    );
    support::create_user(server, "admin@example.org", "Ada Admin", true).await;
    let admin = support::Browser::new(server);
    admin.sign_in("admin@example.org").await;
    let visitor = support::Browser::new(server);
    for page in pages {
        let browser = if page.signed_in { &admin } else { &visitor };
        let response = browser.get(&page.path).await;
        assert_eq!(response.status().as_u16(), page.status, "{}", page.path);
        let html = response.text().await.unwrap();
        // A bare page (the projector screen) has no site header or footer to skip.
        let parts: &[&str] = if page.bare {
            &["id=\"main-content\""]
        } else {
            &[
                "Skip to main content",
                "govuk-phase-banner",
                "Accessibility statement",
                "id=\"main-content\"",
            ]
        };
        for part in parts {
            assert!(html.contains(part), "{} lacks {part}", page.path);
        }
        if page.bare {
            assert!(
                !html.contains("govuk-footer"),
                "{} has the footer",
                page.path
            );
        }
        if page.path != "/" {
            assert_eq!(
                browser_title(&html),
                format!("{} – Cradle", page.title),
                "{}",
                page.path
            );
        }
        assert!(
            !html.contains("<script>"),
            "{} has an inline script",
            page.path
        );
    }
}

async fn an_unknown_address_gets_the_404_page_in_the_same_design(server: &TestServer) {
    let (status, html) = text(server, "/no/such/page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    assert!(html.contains("govuk-generic-header"));
}

async fn an_unknown_partnership_is_not_found(server: &TestServer) {
    let unknown = "/partnerships/0123456789abcdef0123456789abcdef";
    // Signed out, Cradle asks for sign-in rather than saying whether it exists.
    let response = server.get(unknown).await;
    assert_eq!(response.status().as_u16(), 303);
    support::create_user(server, "sam@example.org", "Sam Jones", false).await;
    let browser = support::Browser::new(server);
    browser.sign_in("sam@example.org").await;
    let (status, html) = browser.page(unknown).await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
}

async fn assets_are_hashed_cached_for_a_year_and_gzipped(server: &TestServer) {
    let (_, html) = text(server, "/").await;
    let css = html
        .split('"')
        .find(|part| part.starts_with("/assets/cradle.") && part.ends_with(".css"))
        .expect("the page links a hashed stylesheet")
        .to_owned();
    let plain = server
        .client
        .get(server.url(&css))
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 200);
    assert_eq!(
        plain.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        plain.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let body = plain.text().await.unwrap();
    assert!(
        body.contains("govuk-"),
        "GOV.UK Frontend styles are compiled in"
    );
    assert!(!body.contains("GDS Transport"), "no GDS Transport font");
    let gzipped = server
        .client
        .get(server.url(&css))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(
        server.get("/assets/cradle.0000000000.css").await.status(),
        404
    );
}

async fn health_and_readiness_answer_in_json(server: &TestServer) {
    let health: serde_json::Value = server.get("/healthz").await.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let ready = server.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let ready: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(ready["status"], "ok");
    assert_eq!(ready["database_reachable"], true);
    assert_eq!(ready["migrations_applied"], ready["migrations_expected"]);
}

async fn every_response_carries_security_headers_and_a_request_id(server: &TestServer) {
    // A page, a 404, JSON, a redirect to sign in, and a refused (403) form post.
    let refused = server
        .client
        .post(server.url("/sign-in"))
        .form(&[("email", "sam@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    let mut responses = vec![("POST /sign-in".to_owned(), refused)];
    for path in ["/", "/no-such-page", "/healthz", "/account"] {
        responses.push((path.to_owned(), server.get(path).await));
    }
    for (path, response) in responses {
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(headers.contains_key("permissions-policy"), "{path}");
        assert_eq!(headers["x-request-id"].len(), 16, "{path}");
        assert!(
            !headers.contains_key("strict-transport-security"),
            "no HSTS over plain HTTP"
        );
    }
}

async fn pages_are_compressed_for_browsers_that_accept_gzip(server: &TestServer) {
    let response = server
        .client
        .get(server.url("/accessibility"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
}

async fn search_ranks_results_and_highlights_the_words_found(server: &TestServer) {
    let (status, html) = text(server, "/search?q=EPDS").await;
    assert_eq!(status, 200);
    let first_result = html
        .split("<li class=\"govuk-!-margin-bottom-5\">")
        .nth(1)
        .expect("a result");
    assert!(
        first_result.contains("href=\"/toolkit/measures/epds\""),
        "{first_result}"
    );
    let (_, html) = text(server, "/search?q=attachment").await;
    assert!(html.contains("<mark>"), "matches are highlighted");
    assert!(html.contains("results</h2>"), "the count is shown");
}

async fn a_search_query_is_shown_escaped_and_never_runs_as_html(server: &TestServer) {
    let (status, html) = text(server, "/search?q=%3Cscript%3Ezzqx%3C/script%3E").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>zzqx"), "the query is escaped");
    assert!(html.contains("No results for"));
    let (status, _) = text(server, &format!("/search?q={}", "a".repeat(10_000))).await;
    assert_eq!(status, 200, "a very long query is cut, not an error");
}

async fn glossary_terms_are_linked_at_first_use_with_their_definition(server: &TestServer) {
    let (_, html) = text(server, "/toolkit/framework/being-emotional-felt-safety").await;
    let links = html
        .matches("class=\"govuk-link cradle-term__link\"")
        .count();
    assert!(links >= 1, "some glossary term is linked");
    let hrefs: Vec<&str> = html
        .split("cradle-term__link\" href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let mut unique = hrefs.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        hrefs.len(),
        unique.len(),
        "each term is linked once per page: {hrefs:?}"
    );
    assert!(
        html.contains("role=\"tooltip\""),
        "the definition travels with the link"
    );
}

async fn diagrams_download_as_svg_and_as_png_at_slide_width(server: &TestServer) {
    for id in ["framework", "socio-ecological", "whole-system"] {
        let (status, page) = text(server, &format!("/toolkit/diagrams/{id}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("The diagram in words"),
            "{id} has a text alternative"
        );
        let svg = server.get(&format!("/toolkit/diagrams/{id}.svg")).await;
        assert_eq!(svg.headers()["content-type"], "image/svg+xml");
        let svg = svg.text().await.unwrap();
        assert!(
            svg.contains("<title") && svg.contains("<desc") && svg.contains("role=\"img\""),
            "{id}"
        );
        let png = server.get(&format!("/toolkit/diagrams/{id}.png")).await;
        assert_eq!(png.headers()["content-type"], "image/png");
        let png = png.bytes().await.unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(width, 1920, "{id} PNG is slide width");
    }
    assert_eq!(
        server.get("/toolkit/diagrams/framework.gif").await.status(),
        404
    );
    assert_eq!(server.get("/toolkit/diagrams/nope.svg").await.status(), 404);
}

/// The page's `<title>` as a browser shows it (entities decoded).
fn browser_title(html: &str) -> String {
    let start = html.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = html[start..].find("</title>").map_or(start, |i| start + i);
    html[start..end]
        .replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}
