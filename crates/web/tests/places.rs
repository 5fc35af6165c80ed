//! Areas by name over HTTP: a partnership's areas typed as names, ended areas refused with
//! their successors, a service's areas ticked from the partnership's own, and codes shown
//! with their names, on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Nation;
use support::{PartnershipSpec, TestServer, location, owner_signed_in, signed_in};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_partnership_is_made_by_typing_its_areas_names,
    an_ended_area_is_refused_with_the_areas_that_replaced_it,
    a_service_ticks_its_areas_from_the_partnerships_own,
);

async fn a_partnership_is_made_by_typing_its_areas_names(server: &TestServer) {
    support::create_user(server, "olive@example.org", "Olive", false).await;
    let browser = signed_in(server, "olive@example.org").await;
    let response = browser
        .post(
            "/partnerships/new",
            &[
                ("name", "Tees"),
                ("nation", "england"),
                ("areas", "hartlepool\nRedcar and Cleveland\nE06000002"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let path = location(&response);
    let (_, html) = browser.page(&path).await;
    for label in [
        "Hartlepool (E06000001)",
        "Redcar and Cleveland (E06000003)",
        "Middlesbrough (E06000002)",
    ] {
        assert!(html.contains(label), "{label} missing from {html}");
    }
    let (_, form) = browser.page(&format!("{path}/edit")).await;
    let start = form.find("<textarea").unwrap();
    let areas = &form[start..start + form[start..].find("</textarea>").unwrap()];
    let lines: Vec<&str> = areas[areas.find('>').unwrap() + 1..].lines().collect();
    assert_eq!(
        lines,
        [
            "Hartlepool (E06000001)",
            "Middlesbrough (E06000002)",
            "Redcar and Cleveland (E06000003)"
        ],
        "the edit form shows the areas by name: {areas}"
    );
}

async fn an_ended_area_is_refused_with_the_areas_that_replaced_it(server: &TestServer) {
    support::create_user(server, "olive@example.org", "Olive", false).await;
    let browser = signed_in(server, "olive@example.org").await;
    for (typed, message) in [
        (
            "E10000006",
            "E10000006 Cumbria ended in April 2023: use E06000063 Cumberland and E06000064 Westmorland and Furness",
        ),
        ("Atlantis", "There is no area called “Atlantis”"),
    ] {
        let response = browser
            .post(
                "/partnerships/new",
                &[("name", "Cumbria"), ("nation", "england"), ("areas", typed)],
            )
            .await;
        assert_eq!(response.status().as_u16(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{message} missing from {html}");
    }
    let partnerships = server.store().partnerships().await.unwrap();
    assert!(partnerships.iter().all(|p| p.is_demo), "nothing was made");
}

async fn a_service_ticks_its_areas_from_the_partnerships_own(server: &TestServer) {
    let spec = PartnershipSpec {
        name: "Tees",
        nation: Nation::England,
        areas: &["E06000001", "E06000002"],
    };
    let (partnership, browser) = owner_signed_in(server, &spec).await;
    let base = format!("/partnerships/{}/services", partnership.partnership);
    let (_, form) = browser.page(&format!("{base}/new")).await;
    assert!(form.contains("value=\"E06000002\""), "{form}");
    assert!(form.contains("Middlesbrough (E06000002)</label>"), "{form}");
    let fields = [
        ("name", "Little Steps"),
        ("provider", "Tees Council"),
        ("key", "LS-1"),
        ("sector", "health"),
        ("tier", "universal"),
        ("age_bands", "0-6m"),
        ("levels", "child"),
        ("areas", "E06000002"),
    ];
    let response = browser.post(&format!("{base}/new"), &fields).await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap()
    );
    let services = partnership
        .store
        .services(&partnership.partnership)
        .await
        .unwrap();
    let areas: Vec<String> = services[0]
        .service
        .areas
        .iter()
        .map(|a| a.to_string())
        .collect();
    assert_eq!(areas, ["E06000002"]);
}
