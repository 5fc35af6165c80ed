//! The whole-system self-assessment over HTTP: a facilitator opens a round, members rate,
//! results stay withheld below the minimum and flag divergence once shown; a round open to
//! anyone with its link; on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Role;
use support::{BELFAST, Browser, TestPartnership, TestServer, location, owner_signed_in};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    four_raters_see_divergence_flagged_and_two_see_results_withheld,
    a_rating_without_a_level_names_the_characteristic_and_saves_nothing,
    a_round_never_asks_for_fewer_than_three_raters,
    anyone_with_the_link_can_rate_anonymously_until_the_round_closes,
);

const VISION: &str = "shared-vision-leadership";
const LANGUAGE: &str = "shared-understanding";

impl TestPartnership {
    /// An address under this partnership's self-assessment pages.
    fn path(&self, rest: &str) -> String {
        format!("/partnerships/{}/self-assessment{rest}", self.partnership)
    }
}

/// A member with `role`, signed in.
async fn member<'a>(
    server: &'a TestServer,
    setup: &TestPartnership,
    n: usize,
    role: Role,
) -> Browser<'a> {
    let email = format!("rater{n}@example.org");
    setup
        .signed_in_member(server, &email, &format!("Rater {n}"), role)
        .await
}

/// Opens a round of the two characteristics; returns where the response sent the browser.
async fn open_round(
    browser: &Browser<'_>,
    setup: &TestPartnership,
    scope: &str,
) -> reqwest::Response {
    browser
        .post(
            &setup.path("/new"),
            &[
                ("title", "Spring 2027"),
                ("characteristics", VISION),
                ("characteristics", LANGUAGE),
                ("min_raters", "3"),
                ("scope", scope),
                ("anonymous", "yes"),
            ],
        )
        .await
}

async fn rate(browser: &Browser<'_>, round: &str, sector: &str, vision: &str, language: &str) {
    let response = browser
        .post(
            &format!("{round}/rate"),
            &[
                ("sector", sector),
                (&format!("level-{VISION}"), vision),
                (&format!("evidence-{VISION}"), "Board minutes"),
                (&format!("level-{LANGUAGE}"), language),
                (&format!("evidence-{LANGUAGE}"), ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "rating was refused");
    assert!(location(&response).ends_with("?answered=1"));
}

async fn four_raters_see_divergence_flagged_and_two_see_results_withheld(server: &TestServer) {
    let (setup, owner) = owner_signed_in(server, &BELFAST).await;
    let opened = open_round(&owner, &setup, "members").await;
    assert_eq!(opened.status().as_u16(), 303);
    let round = location(&opened);

    let raters = [
        member(server, &setup, 1, Role::Viewer).await,
        member(server, &setup, 2, Role::Contributor).await,
        member(server, &setup, 3, Role::Viewer).await,
        member(server, &setup, 4, Role::Facilitator).await,
    ];
    // Leadership: two at each extreme. Language: everyone says developing.
    rate(&raters[0], &round, "health", "emerging", "developing").await;
    rate(&raters[1], &round, "health", "embedded", "developing").await;

    let (status, html) = raters[0].page(&round).await;
    assert_eq!(status, 200);
    assert!(html.contains("Results are withheld until at least 3 raters have answered"));
    assert!(html.contains("2 have answered so far"));
    assert!(!html.contains("Talk about these first"));
    assert!(
        !html.contains("Board minutes"),
        "no evidence shows before the minimum"
    );

    rate(&raters[2], &round, "early-years", "emerging", "developing").await;
    rate(&raters[3], &round, "health", "embedded", "developing").await;
    // A member answering again replaces their answers rather than adding a rater.
    rate(&raters[3], &round, "health", "embedded", "developing").await;

    let (status, html) = owner.page(&round).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Results are withheld"));
    assert!(
        html.contains("Talk about these first: raters diverge on Shared vision and leadership."),
        "divergence is flagged"
    );
    assert!(html.contains("From 4 raters"));
    // Most divergent first: leadership's row comes before language's in the table.
    let table = &html[html.find("Ratings by characteristic").unwrap()..];
    let vision_row = table.find("Shared vision and leadership").unwrap();
    let language_row = table.find("Shared understanding and language").unwrap();
    assert!(vision_row < language_row);
    assert!(table.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">0.00</td>"));
    assert!(table.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">1.00</td>"));
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains("Shared vision and leadership (raters diverge)"));
    // By sector: health has three raters, early years one (withheld).
    assert!(html.contains("Health (3 raters)"));
    assert!(!html.contains("Early years (1 raters)"));
    assert!(html.contains("1 rater is in sectors with too few raters"));
    assert!(html.contains("Emerging: Board minutes"));

    // A second round compared with the first.
    let second = location(&open_round(&owner, &setup, "members").await);
    for rater in &raters[..3] {
        rate(rater, &second, "health", "established", "established").await;
    }
    let first_id = round.rsplit('/').next().unwrap();
    let (_, html) = owner.page(&format!("{second}?compare={first_id}")).await;
    assert!(html.contains("Change since Spring 2027"));
    assert!(
        html.contains("Up 1 level"),
        "language went from developing to established"
    );

    // Closing the round: no more answers.
    let closed = owner.post(&format!("{round}/close"), &[]).await;
    assert_eq!(closed.status().as_u16(), 303);
    let (_, html) = owner.page(&round).await;
    assert!(html.contains("Closed (opened"));
    let late = raters[0]
        .post(
            &format!("{round}/rate"),
            &[
                ("sector", "health"),
                (&format!("level-{VISION}"), "embedded"),
                (&format!("level-{LANGUAGE}"), "embedded"),
            ],
        )
        .await;
    assert_eq!(late.status().as_u16(), 409);
    assert!(late.text().await.unwrap().contains("This round is closed"));
}

async fn a_rating_without_a_level_names_the_characteristic_and_saves_nothing(server: &TestServer) {
    let (setup, owner) = owner_signed_in(server, &BELFAST).await;
    let round = location(&open_round(&owner, &setup, "members").await);
    let audit_before = setup
        .store
        .audit_log(&setup.partnership)
        .await
        .unwrap()
        .len();
    let response = owner
        .post(
            &format!("{round}/rate"),
            &[
                (&format!("level-{VISION}"), "established"),
                (&format!("evidence-{VISION}"), "We have a signed strategy"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("There is a problem"));
    assert!(html.contains("Select the sector you work in"));
    assert!(html.contains(&format!(
        "<a href=\"#level-{LANGUAGE}\">Select a maturity level for Shared understanding and language</a>"
    )));
    assert!(
        html.contains("We have a signed strategy"),
        "what was typed is kept"
    );
    assert!(html.contains("Do not include anything that could identify a child or family"));
    assert_eq!(
        setup
            .store
            .audit_log(&setup.partnership)
            .await
            .unwrap()
            .len(),
        audit_before
    );
    let rounds = setup.store.rounds(&setup.partnership).await.unwrap();
    assert_eq!(rounds[0].responses, 0);
}

async fn a_round_never_asks_for_fewer_than_three_raters(server: &TestServer) {
    let (setup, owner) = owner_signed_in(server, &BELFAST).await;
    let response = owner
        .post(
            &setup.path("/new"),
            &[
                ("title", "Too small"),
                ("characteristics", VISION),
                ("min_raters", "2"),
                ("scope", "members"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Minimum number of raters must be a whole number from 3"));
    assert!(
        setup
            .store
            .rounds(&setup.partnership)
            .await
            .unwrap()
            .is_empty()
    );
    // A contributor may not open a round at all.
    let contributor = member(server, &setup, 9, Role::Contributor).await;
    let refused = open_round(&contributor, &setup, "members").await;
    assert_eq!(refused.status().as_u16(), 403);
}

async fn anyone_with_the_link_can_rate_anonymously_until_the_round_closes(server: &TestServer) {
    let (setup, owner) = owner_signed_in(server, &BELFAST).await;
    let opened = open_round(&owner, &setup, "link").await;
    assert_eq!(opened.status().as_u16(), 303);
    let (_, html) = owner.page(&support::location(&opened)).await;
    let start = html.find("id=\"round-link\">").unwrap() + "id=\"round-link\">".len();
    let link = html[start..start + html[start..].find('<').unwrap()].to_owned();
    let path = &link[link.find("/rate/").unwrap()..];

    let visitor = Browser::new(server);
    let (status, form) = visitor.page(path).await;
    assert_eq!(status, 200);
    assert!(form.contains("Rate Belfast"));
    assert!(form.contains("This round is anonymous"));
    let token = support::csrf_field(&form).unwrap();
    let saved = visitor
        .post_with_token(
            path,
            &[
                ("sector", "housing"),
                (&format!("level-{VISION}"), "developing"),
                (&format!("level-{LANGUAGE}"), "emerging"),
            ],
            &token,
        )
        .await;
    // Post/Redirect/Get: a reload of the thank-you page cannot add a second rater.
    assert_eq!(saved.status().as_u16(), 303);
    let (_, thanks) = visitor.page(&support::location(&saved)).await;
    assert!(thanks.contains("Thank you: your answers are saved"));
    let rounds = setup.store.rounds(&setup.partnership).await.unwrap();
    assert_eq!(rounds[0].responses, 1);
    let entry = &setup.store.audit_log(&setup.partnership).await.unwrap()[0];
    assert_eq!(entry.action, "assessment.answer");
    assert_eq!(entry.actor_user_id, None);

    // A made-up link finds nothing; a closed round takes no more answers.
    assert_eq!(visitor.page("/rate/not-a-real-link").await.0, 404);
    let closed = owner
        .post(&setup.path(&format!("/{}/close", rounds[0].id)), &[])
        .await;
    assert_eq!(closed.status().as_u16(), 303);
    let late = visitor
        .post_with_token(
            path,
            &[
                ("sector", "housing"),
                (&format!("level-{VISION}"), "developing"),
                (&format!("level-{LANGUAGE}"), "emerging"),
            ],
            &token,
        )
        .await;
    assert_eq!(late.status().as_u16(), 409);
    assert_eq!(
        setup.store.rounds(&setup.partnership).await.unwrap()[0].responses,
        1
    );
}
