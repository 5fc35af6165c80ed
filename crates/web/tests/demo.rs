//! The whole demo partnership over HTTP, as `cradle serve` loads it on a first start: every
//! page of it in the page inventory has something in it, says its figures are invented and
//! names every area it shows a code for, and the need page shows the real population.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::places::places;
use cradle_domain::workshop::Phase;
use support::{Browser, TestServer};

cradle_store::backend_suite!(
    runner = crate::support::run_full_demo_test;
    no_page_of_the_demo_partnership_is_empty,
    the_need_page_shows_hartlepools_children_aged_0_to_4_from_the_mid_2023_estimate,
    the_home_page_shows_a_newcomer_what_to_try_in_the_demo,
);

/// What pages and report sections say when they have nothing to show, as the templates and
/// the report's notes word it (compared ignoring case).
const EMPTY_STATES: &[&str] = &[
    "not yet available",
    "nothing yet",
    "none yet",
    "no services",
    "no packs",
    "no pack has been made yet",
    "no population file has been imported yet",
    "there is no population data",
    "no births file imported",
    "no indicator file has been imported yet",
    "there are no local indicators",
    "the imported files have no figures",
    "no rounds have been opened yet",
    "results are withheld",
    "no sector has enough raters",
    "there is no earlier round",
    "has not written any scenarios yet",
    "no walk-through has recorded",
    "no service was named at any level",
    "no referral routes",
    "over 0 services",
    "no workshops have been planned yet",
    "the agenda is empty",
    "no notes yet",
    "no decisions recorded yet",
    "no actions from this workshop yet",
    "no actions have been recorded yet",
    "none: every line of the estimate uses the published figures",
    "no areas have been added yet",
];

/// The features whose pages the inventory must list for the demo.
const FEATURE_PAGES: &[&str] = &[
    "/services",
    "/services/coverage",
    "/services/pathway",
    "/need",
    "/population",
    "/indicators",
    "/self-assessment/",
    "/scenarios",
    "/walk-throughs/",
    "/gaps",
    "/workshops",
    "/record",
    "/actions",
    "/reports/",
    "/case-for-action",
];

async fn demo_id(server: &TestServer) -> String {
    let demos: Vec<_> = server
        .store()
        .partnerships()
        .await
        .unwrap()
        .into_iter()
        .filter(|partnership| partnership.is_demo)
        .collect();
    assert_eq!(demos.len(), 1);
    demos[0].id.clone()
}

/// A page's words, without its markup, in lower case.
fn words(html: &str) -> String {
    visible_text(html).to_lowercase()
}

/// A page's text as shown, without its markup.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#39;", "'").replace("&amp;", "&")
}

/// Every area code in the text that is not shown as "Name (CODE)" with its name.
fn codes_without_names(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut bare = Vec::new();
    for start in 0..bytes.len().saturating_sub(8) {
        let candidate = &bytes[start..start + 9];
        let is_code = matches!(candidate[0], b'E' | b'W' | b'S' | b'N' | b'K')
            && candidate[1..].iter().all(u8::is_ascii_digit)
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            && bytes
                .get(start + 9)
                .is_none_or(|b| !b.is_ascii_alphanumeric());
        if !is_code {
            continue;
        }
        let code = &text[start..start + 9];
        let named = places()
            .name(code)
            .is_some_and(|name| text[..start].ends_with(&format!("{name} (")));
        if !named {
            let context = &text[start.saturating_sub(40)..start + 9];
            bare.push(format!("{code} in “…{}”", context.trim()));
        }
    }
    bare
}

async fn no_page_of_the_demo_partnership_is_empty(server: &TestServer) {
    let demo = demo_id(server).await;
    let pages: Vec<_> = cradle_web::page_inventory(&server.store(), &support::content())
        .await
        .unwrap()
        .into_iter()
        .filter(|page| page.path.contains(&demo) || page.path.starts_with("/join/"))
        .collect();
    for feature in FEATURE_PAGES {
        assert!(
            pages.iter().any(|page| page.path.contains(feature)),
            "the inventory lists no demo page of {feature}"
        );
    }
    support::create_user(server, "admin@example.org", "Ada Admin", true).await;
    let admin = Browser::new(server);
    admin.sign_in("admin@example.org").await;
    let visitor = Browser::new(server);
    for page in &pages {
        let browser = if page.signed_in { &admin } else { &visitor };
        let (status, html) = browser.page(&page.path).await;
        assert_eq!(status, page.status, "{}", page.path);
        let bare = codes_without_names(&visible_text(&html));
        assert!(
            bare.is_empty(),
            "{} shows codes without names: {bare:?}",
            page.path
        );
        let text = words(&html);
        for empty in EMPTY_STATES {
            assert!(
                !text.contains(empty),
                "{} shows an empty state: “{empty}”",
                page.path
            );
        }
        if !page.signed_in && page.path.starts_with("/partnerships/") {
            assert!(
                text.contains("invented"),
                "{} does not say its figures are invented",
                page.path
            );
        }
    }
}

async fn the_need_page_shows_hartlepools_children_aged_0_to_4_from_the_mid_2023_estimate(
    server: &TestServer,
) {
    let demo = demo_id(server).await;
    let (status, html) = Browser::new(server)
        .page(&format!("/partnerships/{demo}/need"))
        .await;
    assert_eq!(status, 200);
    let start = html
        .find("Hartlepool (E06000001)")
        .expect("Hartlepool's section");
    let end = html[start..].find("</details>").unwrap() + start;
    let hartlepool = &html[start..end];
    assert!(
        hartlepool.contains("5,003 children aged 0–4"),
        "{hartlepool}"
    );
    assert!(
        html.contains("ons-mye-mid2023-tees-valley.csv"),
        "the source file is named"
    );
    assert!(
        html.contains("births stand-in: age 0 population mid-2023"),
        "the births stand-in says what it is"
    );
}

async fn the_home_page_shows_a_newcomer_what_to_try_in_the_demo(server: &TestServer) {
    let demo = demo_id(server).await;
    let running = server
        .store()
        .workshops(&demo)
        .await
        .unwrap()
        .into_iter()
        .find(|workshop| matches!(workshop.phase, Phase::Running { .. }))
        .expect("the demo has a running workshop");
    support::create_user(server, "newcomer@example.org", "New Comer", false).await;
    let newcomer = Browser::new(server);
    newcomer.sign_in("newcomer@example.org").await;
    for (browser, next_step) in [
        (
            &Browser::new(server),
            "Sign in</a> to create your own partnership",
        ),
        (&newcomer, "create your own partnership</a> for your area"),
    ] {
        let (status, html) = browser.page("/").await;
        assert_eq!(status, 200);
        let start = html.find("What to try").expect("a what-to-try section");
        let tour = &html[start..];
        for link in [
            "",
            "/need",
            "/services/coverage",
            "/case-for-action",
            "/reports",
        ] {
            let href = format!("href=\"/partnerships/{demo}{link}\"");
            assert!(tour.contains(&href), "{href} missing from {tour}");
        }
        assert!(
            tour.contains(&running.join_code),
            "the running workshop's code"
        );
        assert!(tour.contains(next_step), "{next_step} missing from {tour}");
        let (status, _) = browser.page(&format!("/join/{}", running.join_code)).await;
        assert_eq!(status, 200, "the code on the home page can be joined");
    }
}
