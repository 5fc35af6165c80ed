//! Scenario walk-throughs and the gap register over HTTP: walk through a national scenario
//! and a partnership's own, find the gaps in the register beside the coverage gaps, on
//! SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::Nation;
use cradle_domain::services::ServiceFields;
use cradle_store::{Actor, Store};
use support::{Browser, PartnershipSpec, TestServer, location, owner_signed_in};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_walk_through_s_gaps_appear_in_the_register_with_their_source,
    a_partnership_writes_its_own_scenario_and_a_bad_walk_through_saves_nothing,
    the_coverage_gaps_are_listed_in_sections_by_rule,
    the_referral_pathway_draws_each_route_with_a_table_beside_it,
    a_gap_in_the_register_gets_one_action_in_the_action_log,
);

const SCENARIO: &str = "refugee-family-hotel";

struct Setup {
    store: Store,
    partnership: String,
    service: String,
}

const LEEDS: PartnershipSpec = PartnershipSpec {
    name: "Leeds",
    nation: Nation::England,
    areas: &["E08000035"],
};

/// A partnership with one service, its owner signed in.
async fn setup(server: &TestServer) -> (Setup, Browser<'_>) {
    let (partnership, browser) = owner_signed_in(server, &LEEDS).await;
    let service = ServiceFields {
        key: "HV-01".into(),
        name: "Health visiting".into(),
        provider: "Leeds Community Healthcare".into(),
        sector: "health".into(),
        tier: "universal".into(),
        age_bands: "pregnancy; 0-6m".into(),
        levels: "caregiving; family".into(),
        ..ServiceFields::default()
    }
    .validate()
    .unwrap();
    let service = partnership
        .store
        .create_service(&partnership.owner, &partnership.partnership, &service)
        .await
        .unwrap();
    (
        Setup {
            store: partnership.store,
            partnership: partnership.partnership,
            service,
        },
        browser,
    )
}

async fn a_walk_through_s_gaps_appear_in_the_register_with_their_source(server: &TestServer) {
    let (setup, browser) = setup(server).await;
    let id = &setup.partnership;
    let form_path = format!("/partnerships/{id}/scenarios/national/{SCENARIO}/walk-through");
    let (status, form) = browser.page(&form_path).await;
    assert_eq!(status, 200);
    assert!(form.contains("A newborn in asylum accommodation"));
    assert!(form.contains("Health visiting (Leeds Community Healthcare, universal)"));

    let response = browser
        .post(
            &form_path,
            &[
                ("who_would_notice", "The health visitor at the new birth visit"),
                ("services-caregiving", &setup.service),
                ("timing-caregiving", "Within 14 days of the birth"),
                ("timing-community", "Only if the family find the Family Hub"),
                ("family_experience", "Many appointments, no interpreter"),
                (
                    "gaps",
                    "No interpreter booked for postnatal contacts\n- Nobody asks about the three-year-old",
                ),
                ("risks", "The family may be moved at short notice"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let walkthrough = location(&response);
    assert!(walkthrough.starts_with(&format!("/partnerships/{id}/walk-throughs/")));

    let (status, view) = browser.page(&walkthrough).await;
    assert_eq!(status, 200);
    assert!(view.contains("Health visiting (Leeds Community Healthcare, universal)"));
    assert!(view.contains("Within 14 days of the birth"));
    assert!(view.contains("Only if the family find the Family Hub"));

    let (status, register) = browser.page(&format!("/partnerships/{id}/gaps")).await;
    assert_eq!(status, 200);
    for gap in [
        "No interpreter booked for postnatal contacts",
        "Nobody asks about the three-year-old",
        "The family may be moved at short notice",
    ] {
        assert!(register.contains(gap), "missing from the register: {gap}");
    }
    assert!(register.contains(&format!(
        "<a class=\"govuk-link\" href=\"{walkthrough}\">Walk-through: A newborn in asylum accommodation</a>"
    )));
    assert!(register.contains("Add an action"));
    // The coverage gaps are there too, by rule: this map has nothing for 6 months up.
    assert!(register.contains("Age bands with no service"));
    assert!(register.contains("No service on the map works for babies aged 6 to 12 months"));

    let (_, list) = browser.page(&format!("/partnerships/{id}/scenarios")).await;
    assert!(list.contains("3 gaps and risks"));
}

async fn a_partnership_writes_its_own_scenario_and_a_bad_walk_through_saves_nothing(
    server: &TestServer,
) {
    let (setup, browser) = setup(server).await;
    let id = &setup.partnership;
    let refused = browser
        .post(
            &format!("/partnerships/{id}/scenarios/new"),
            &[("title", ""), ("age", "teenager"), ("need", "targeted")],
        )
        .await;
    assert_eq!(refused.status().as_u16(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("<a href=\"#title\">Enter title</a>"));
    assert!(html.contains("<a href=\"#age\">Select the child"));
    assert!(html.contains("<a href=\"#situation\">Enter the situation</a>"));
    assert!(setup.store.scenarios(id).await.unwrap().is_empty());

    let created = browser
        .post(
            &format!("/partnerships/{id}/scenarios/new"),
            &[
                ("title", "Twins after a long labour"),
                ("age", "0-6m"),
                ("need", "targeted"),
                ("family", "two parents and twins"),
                ("situation", "An invented situation in a market town."),
            ],
        )
        .await;
    assert_eq!(created.status().as_u16(), 303);
    let form_path = location(&created);
    let (status, form) = browser.page(&form_path).await;
    assert_eq!(status, 200);
    assert!(form.contains("Twins after a long labour"));
    assert!(form.contains("An invented situation in a market town."));

    let audit_before = setup.store.audit_log(id).await.unwrap().len();
    let bad = browser
        .post(
            &form_path,
            &[
                ("who_would_notice", ""),
                ("services-family", "not-a-service"),
                ("gaps", "Something we would lose"),
            ],
        )
        .await;
    assert_eq!(bad.status().as_u16(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("<a href=\"#who_would_notice\">Enter who would notice</a>"));
    assert!(html.contains("A service picked at the family level is no longer on the map"));
    assert!(
        html.contains("Something we would lose"),
        "what was typed is kept"
    );
    assert!(setup.store.walkthroughs(id).await.unwrap().is_empty());
    assert_eq!(setup.store.audit_log(id).await.unwrap().len(), audit_before);
}

async fn the_coverage_gaps_are_listed_in_sections_by_rule(server: &TestServer) {
    let (setup, browser) = setup(server).await;
    let (status, html) = browser
        .page(&format!(
            "/partnerships/{}/services/coverage",
            setup.partnership
        ))
        .await;
    assert_eq!(status, 200);
    let sections: Vec<usize> = [
        "Age bands with no service (4)",
        "Specialist help with the parent–infant relationship for under-twos (1)",
        "Framework elements not supported, by age band (36)",
    ]
    .iter()
    .map(|heading| {
        html.find(heading)
            .unwrap_or_else(|| panic!("no section {heading}"))
    })
    .collect();
    assert!(
        sections.windows(2).all(|w| w[0] < w[1]),
        "sections in rule order"
    );
    assert!(!html.contains("Funding ending ("));
}

async fn the_referral_pathway_draws_each_route_with_a_table_beside_it(server: &TestServer) {
    let (setup, browser) = setup(server).await;
    let id = &setup.partnership;
    let path = format!("/partnerships/{id}/services/pathway");
    let (status, empty) = browser.page(&path).await;
    assert_eq!(status, 200);
    assert!(empty.contains("No referral routes are recorded yet"));
    assert!(
        empty.contains("<li>Health visiting</li>"),
        "a service without routes is listed"
    );

    // Two services that refer to each other, and one source not on the map.
    let response = browser
        .post(
            &format!("/partnerships/{id}/services/new"),
            &[
                ("key", "PIT-01"),
                ("name", "Parent–infant team"),
                ("provider", "Leeds and York NHS Trust"),
                ("sector", "health"),
                ("tier", "specialist"),
                ("age_bands", "0-6m"),
                ("levels", "caregiving"),
                ("works_with_relationship", "yes"),
                ("referral_from", "HV-01; GP practices"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let mut hv = setup
        .store
        .service(id, &setup.service)
        .await
        .unwrap()
        .unwrap()
        .service;
    hv.referral_from = vec!["PIT-01".into()];
    let owner = setup.store.members(id).await.unwrap()[0].user_id.clone();
    setup
        .store
        .update_service(&Actor { user_id: owner }, id, &setup.service, &hv)
        .await
        .unwrap();

    let (status, html) = browser.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("role=\"img\""));
    assert!(html.contains(
        "<title id=\"cradle-diagram-referral-pathway-title\">Referral pathway of Leeds</title>"
    ));
    assert_eq!(html.matches("marker-end=").count(), 3);
    for row in [
        "<td class=\"govuk-table__cell\">GP practices (not on the map)</td>",
        "<td class=\"govuk-table__cell\">Parent–infant team</td>",
    ] {
        assert!(html.contains(row), "missing {row}");
    }
    assert!(
        html.contains("<li>Health visiting, Parent–infant team</li>"),
        "the loop is named"
    );
}

/// The addresses of the register's "Add an action" links, in page order.
fn add_action_links(register: &str) -> Vec<String> {
    register
        .match_indices("href=\"")
        .map(|(at, _)| &register[at + 6..])
        .filter_map(|rest| rest.split_once('"').map(|(href, _)| href))
        .filter(|href| href.contains("/gaps/action?gap="))
        .map(str::to_owned)
        .collect()
}

async fn a_gap_in_the_register_gets_one_action_in_the_action_log(server: &TestServer) {
    let (setup, browser) = setup(server).await;
    let id = &setup.partnership;
    let form_path = format!("/partnerships/{id}/scenarios/national/{SCENARIO}/walk-through");
    let response = browser
        .post(
            &form_path,
            &[
                ("who_would_notice", "The health visitor"),
                ("gaps", "No interpreter booked for postnatal contacts"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, register) = browser.page(&format!("/partnerships/{id}/gaps")).await;
    let links = add_action_links(&register);
    // The walk-through's gap first, then one per coverage gap.
    assert!(links.len() > 1, "{links:?}");
    let (status, form) = browser.page(&links[0]).await;
    assert_eq!(status, 200);
    assert!(form.contains("The gap: No interpreter booked for postnatal contacts"));
    assert!(form.contains("Close the gap: No interpreter booked for postnatal contacts"));
    let gap = form
        .split_once("name=\"gap\" value=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(key, _)| key.to_owned())
        .unwrap();

    // Without an owner nothing is saved.
    let fields = |owner: &'static str| {
        vec![
            ("gap", gap.clone()),
            (
                "what",
                "Book interpreters for every postnatal contact".to_owned(),
            ),
            ("owner", owner.to_owned()),
            ("status", "open".to_owned()),
        ]
    };
    let browser = &browser;
    let post = |fields: Vec<(&'static str, String)>| async move {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        browser
            .post(&format!("/partnerships/{id}/gaps/action"), &pairs)
            .await
    };
    let response = post(fields("")).await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Enter who will do it")
    );
    let (_, log) = browser.page(&format!("/partnerships/{id}/actions")).await;
    assert!(!log.contains("Book interpreters"));

    let response = post(fields("Health visiting service lead")).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/partnerships/{id}/gaps")
    );
    let (_, register) = browser.page(&format!("/partnerships/{id}/gaps")).await;
    assert!(register.contains("Open: Book interpreters for every postnatal contact"));
    assert_eq!(add_action_links(&register).len(), links.len() - 1);
    let (_, log) = browser.page(&format!("/partnerships/{id}/actions")).await;
    assert!(log.contains("Book interpreters for every postnatal contact"));
    assert!(log.contains("Health visiting service lead"));

    // One action per gap.
    let response = post(fields("Someone else")).await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This gap already has an action")
    );

    // A coverage gap takes an action too; an unknown gap is not found.
    let (status, form) = browser.page(&links[1]).await;
    assert_eq!(status, 200);
    assert!(form.contains("The gap: "));
    let (status, _) = browser
        .page(&format!(
            "/partnerships/{id}/gaps/action?gap=coverage:Invented"
        ))
        .await;
    assert_eq!(status, 404);
}
