//! A whole workshop over HTTP without JavaScript, on SQLite and on PostgreSQL: the
//! facilitator builds it from a template and runs it, three participants join by code and
//! answer and vote, a note is hidden, an action is recorded, and the record and its CSV show
//! everything.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::vocabulary::Role;
use support::{BELFAST, Browser, TestServer, csrf_field, location, partnership_with_member};

cradle_store::backend_suite!(
    runner = crate::support::run_http_test;
    a_whole_workshop_runs_without_javascript,
    planning_forms_name_each_problem_and_change_nothing,
    participants_are_told_clearly_when_an_answer_is_refused,
    the_action_log_filters_and_a_viewer_only_reads,
    an_answer_reaches_open_presenter_and_participant_streams,
    a_facilitator_deletes_a_workshop_and_its_actions_stay,
);

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"))
        + start.len();
    let to = html[from..].find(end).unwrap() + from;
    &html[from..to]
}

/// A participant joins by typing the code, gives (or not) a name, and lands on the
/// participant page. Returns their browser.
async fn join<'a>(server: &'a TestServer, code: &str, name: &str, profession: &str) -> Browser<'a> {
    let browser = Browser::new(server);
    let typed = code.to_lowercase();
    let response = browser.get(&format!("/join?code={typed}")).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), format!("/join/{code}"));
    let (status, html) = browser.page(&format!("/join/{code}")).await;
    assert_eq!(status, 200);
    let token = csrf_field(&html).unwrap();
    let response = browser
        .post_with_token(
            &format!("/join/{code}"),
            &[("display_name", name), ("profession", profession)],
            &token,
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "joining");
    assert_eq!(location(&response), format!("/w/{code}"));
    browser
}

/// Sends an answer from the participant page's own form (its token and item id).
async fn answer(browser: &Browser<'_>, code: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let (_, html) = browser.page(&format!("/w/{code}")).await;
    let token = csrf_field(&html).unwrap();
    let item = between(&html, "name=\"item\" value=\"", "\"").to_owned();
    let mut form = vec![("item", item.as_str())];
    form.extend_from_slice(fields);
    let response = browser
        .post_with_token(&format!("/w/{code}/answer"), &form, &token)
        .await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Sends an answer to a given item with the token from the participant page.
async fn answer_item(
    browser: &Browser<'_>,
    code: &str,
    item: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    // The page may show no form (a locked item, a closed workshop): any page's token does.
    let token = browser.token().await;
    let mut form = vec![("item", item)];
    form.extend_from_slice(fields);
    let response = browser
        .post_with_token(&format!("/w/{code}/answer"), &form, &token)
        .await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn facilitate(browser: &Browser<'_>, base: &str, to: &str) {
    let response = browser.post(&format!("{base}/move"), &[("to", to)]).await;
    assert_eq!(response.status().as_u16(), 303, "move {to}");
}

async fn a_whole_workshop_runs_without_javascript(server: &TestServer) {
    let (setup, facilitator) = partnership_with_member(server, &BELFAST, Role::Facilitator).await;
    let workshops = format!("/partnerships/{}/workshops", setup.partnership);

    // Planning: from the whole-system stock-take template, then adjusted.
    let (status, html) = facilitator.page(&format!("{workshops}/new")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Whole-system stock-take"));
    let response = facilitator
        .post(
            &format!("{workshops}/new"),
            &[
                ("template", "whole-system-stock-take"),
                ("title", ""),
                ("date", "2027-02-03"),
                ("purpose", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let base = location(&response);
    let (_, html) = facilitator.page(&base).await;
    assert!(html.contains("<h1 class=\"govuk-heading-l\">Whole-system stock-take</h1>"));
    assert!(
        html.contains("Shared vision and leadership"),
        "items take the content's titles"
    );
    let workshop_id = base.rsplit('/').next().unwrap().to_owned();
    let code = between(&html, "id=\"join-code\">", "<").to_owned();
    assert_eq!(code.len(), 6);

    // The agenda: the first item is the local-system prompt group; put a note item with
    // dot-voting on notes first, then remove the prompt group.
    let response = facilitator
        .post(
            &format!("{base}/items/new"),
            &[
                ("about", "local"),
                ("title", "What helps babies here?"),
                ("answer", "dot-vote"),
                ("options", ""),
                ("votes", "2"),
                ("minutes", "15"),
                ("facilitator_notes", "Warm-up"),
                ("instruction", "Name one thing that already helps."),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let items = setup.store.workshop_items(&workshop_id).await.unwrap();
    let added = items.last().unwrap().id.clone();
    for _ in 0..items.len() - 1 {
        let response = facilitator
            .post(
                &format!("{base}/items/{added}/move"),
                &[("direction", "up")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    let group = &items[0].id;
    let response = facilitator
        .post(&format!("{base}/items/{group}/remove"), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let items = setup.store.workshop_items(&workshop_id).await.unwrap();
    assert_eq!(items[0].item.title, "What helps babies here?");
    assert_eq!(items[1].item.title, "Shared vision and leadership");

    // Three participants join by code before it starts and wait.
    let sam = join(server, &code, "Sam", "Health visitor").await;
    let alex = join(server, &code, "", "").await;
    let kim = join(server, &code, "Kim", "").await;
    let (_, html) = sam.page(&format!("/w/{code}")).await;
    assert!(html.contains("Waiting for the workshop to start"));

    // Item 1: notes, then votes on the notes.
    facilitate(&facilitator, &base, "start").await;
    let (_, html) = alex.page(&format!("/w/{code}")).await;
    assert!(html.contains("What helps babies here?"));
    assert!(
        html.contains("Name one thing that already helps."),
        "the facilitator's instruction"
    );
    assert!(html.contains("Do not enter anything that could identify a child or family"));
    for (who, note) in [
        (&sam, "Trusted health visitors"),
        (&alex, "Peer groups"),
        (&kim, "Rude remark"),
    ] {
        let (status, _) = answer(who, &code, &[("note", note)]).await;
        assert_eq!(status, 303, "note {note}");
    }
    let (_, html) = kim.page(&format!("/w/{code}")).await;
    assert!(html.contains("Rude remark") && html.contains("Peer groups"));
    // The confirmation belongs to the item answered (checked again after the agenda moves).
    let sent_page = format!("/w/{code}?sent={}", items[0].id);
    let (_, html) = sam.page(&sent_page).await;
    assert!(html.contains("Sent. Thank you."));

    // The facilitator hides a note and groups the others on the presenter view.
    let (status, html) = facilitator.page(&format!("{base}/present")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Trusted health visitors") && html.contains("Sam, Health visitor"));
    assert!(html.contains("Planned time: 15 minutes"));
    assert!(html.contains(&code));
    let answers = setup.store.workshop_answers(&workshop_id).await.unwrap();
    let rude = &answers[2].id;
    let response = facilitator
        .post(
            &format!("{base}/answers/{rude}/hide"),
            &[("hidden", "true"), ("back", "present")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    for note in &answers[..2] {
        let response = facilitator
            .post(
                &format!("{base}/answers/{}/group", note.id),
                &[("cluster", "Relationships")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    let (_, html) = sam.page(&format!("/w/{code}")).await;
    assert!(
        !html.contains("Rude remark"),
        "a hidden note disappears for participants"
    );
    let (_, html) = facilitator.page(&format!("{base}/present")).await;
    assert!(html.contains("Relationships"));
    assert!(html.contains("Hidden notes (1)"));

    // Votes on notes: two each; a third is refused.
    let trusted = answers[0].id.clone();
    let peer = answers[1].id.clone();
    for target in [&trusted, &trusted] {
        let (status, _) = answer(&alex, &code, &[("target", target)]).await;
        assert_eq!(status, 303);
    }
    let (status, html) = answer(&alex, &code, &[("target", &peer)]).await;
    assert_eq!(status, 422);
    assert!(html.contains("You have used all 2 of your votes on this item"));
    assert!(html.contains("There is a problem"));
    let (status, _) = answer(&sam, &code, &[("target", &peer)]).await;
    assert_eq!(status, 303);
    let (status, _) = answer(&sam, &code, &[("target", rude)]).await;
    assert_eq!(status, 422, "no votes on a hidden note");

    // Item 2: a rating from each.
    facilitate(&facilitator, &base, "next").await;
    let (_, html) = sam.page(&sent_page).await;
    assert!(
        !html.contains("Sent. Thank you."),
        "no confirmation above an unanswered item"
    );
    for (who, rating) in [(&sam, "2"), (&alex, "3"), (&kim, "3")] {
        let (status, _) = answer(who, &code, &[("rating", rating)]).await;
        assert_eq!(status, 303);
    }
    // The projector screen: the question, the ratings as bars with counts, and the code,
    // with no site header or footer and no moderation; without JavaScript it reloads.
    let (status, screen) = facilitator.page(&format!("{base}/screen")).await;
    assert_eq!(status, 200);
    assert!(screen.contains("Shared vision and leadership") && screen.contains(&code));
    assert!(screen.contains(">Rated 3</th>") && screen.contains("cradle-bar--20"));
    assert!(
        screen.contains("cradle-bar--10"),
        "one rating of 2 is half as long"
    );
    assert!(!screen.contains("govuk-footer") && !screen.contains("govuk-header"));
    assert!(screen.contains("<noscript><meta http-equiv=\"refresh\""));
    // The facilitator locks it; a late rating is refused.
    let rating_item = &items[1].id;
    let response = facilitator
        .post(
            &format!("{base}/items/{rating_item}/lock"),
            &[("locked", "true"), ("back", "present")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = kim.page(&format!("/w/{code}")).await;
    assert!(html.contains("locked this item") && !html.contains("Send rating"));
    let (status, html) = answer_item(&kim, &code, rating_item, &[("rating", "5")]).await;
    assert_eq!(status, 409);
    assert!(html.contains("The facilitator has locked this item"));
    let (_, html) = facilitator.page(&format!("{base}/present")).await;
    assert!(
        html.contains("average 2.7 out of 5"),
        "{}",
        between(&html, "<caption", "</caption>")
    );

    // Item 8 is a dot-vote on options.
    for _ in 0..6 {
        facilitate(&facilitator, &base, "next").await;
    }
    let (_, html) = kim.page(&format!("/w/{code}")).await;
    assert!(html.contains("Where should the partnership improve first?"));
    assert!(html.contains("You have 3 of 3 votes left"));
    for option in ["2", "2", "0"] {
        let (status, _) = answer(&kim, &code, &[("target", option)]).await;
        assert_eq!(status, 303);
    }
    let (status, html) = answer(&kim, &code, &[("target", "1")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("You have used all 3 of your votes"));

    // An action and a decision, then close.
    let record = format!("{base}/record");
    let response = facilitator
        .post(
            &format!("{base}/actions"),
            &[
                ("what", "Map the pathways"),
                ("owner", "Public Health Agency"),
                ("due", "2027-06-30"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let response = facilitator
        .post(
            &format!("{base}/decisions"),
            &[("decision", "Focus on integrated pathways")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    facilitate(&facilitator, &base, "close").await;
    let (_, html) = sam.page(&format!("/w/{code}")).await;
    assert!(html.contains("This workshop has closed"));
    let (status, html) = answer_item(&sam, &code, &items[0].id, &[("note", "late")]).await;
    assert_eq!(status, 409);
    assert!(html.contains("The workshop is closed"));

    // The record shows everything but the hidden note; so does the CSV.
    let (status, html) = facilitator.page(&record).await;
    assert_eq!(status, 200);
    for expected in [
        "Trusted health visitors",
        "Peer groups",
        "Relationships",
        "1 note was hidden by the facilitator",
        "average 2.7 out of 5",
        "Integrated pathways",
        "Focus on integrated pathways",
        "Map the pathways",
        "Public Health Agency",
    ] {
        assert!(html.contains(expected), "record lacks {expected}");
    }
    assert!(!html.contains("Rude remark"));
    let csv = facilitator.get(&format!("{record}.csv")).await;
    assert_eq!(csv.status().as_u16(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("note,1,What helps babies here?,note,Trusted health visitors,Relationships,\"Sam, Health visitor\""), "{csv}");
    assert!(
        csv.contains("votes,1,What helps babies here?,votes for note,Trusted health visitors,2,")
    );
    assert!(csv.contains("totals,2,Shared vision and leadership,ratings,3,2,"));
    assert!(csv.contains(
        "totals,8,Where should the partnership improve first?,votes,Integrated pathways,2,"
    ));
    assert!(csv.contains("decision,,,decision,Focus on integrated pathways"));
    assert!(csv.contains("action,,,Open,Map the pathways,2027-06-30,Public Health Agency"));
    assert!(!csv.contains("Rude remark"));

    // The facilitator's changes are audited; participants' answers are not.
    let log = setup.store.audit_log(&setup.partnership).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "workshop.create",
        "workshop.item.create",
        "workshop.item.move",
        "workshop.item.delete",
        "workshop.move",
        "workshop.answer.hide",
        "workshop.answer.group",
        "workshop.item.lock",
        "action.create",
        "workshop.decision",
    ] {
        assert!(actions.contains(&expected), "no {expected} in {actions:?}");
    }
}

async fn planning_forms_name_each_problem_and_change_nothing(server: &TestServer) {
    let (setup, facilitator) = partnership_with_member(server, &BELFAST, Role::Facilitator).await;
    let workshops = format!("/partnerships/{}/workshops", setup.partnership);
    let response = facilitator
        .post(
            &format!("{workshops}/new"),
            &[("template", "blank"), ("title", " "), ("date", "30/2/2027")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("href=\"#title\">Enter the workshop’s title"));
    assert!(html.contains("href=\"#date\">Enter the date as a real date"));
    assert!(
        setup
            .store
            .workshops(&setup.partnership)
            .await
            .unwrap()
            .is_empty()
    );

    let response = facilitator
        .post(
            &format!("{workshops}/new"),
            &[("template", "blank"), ("title", "Our own")],
        )
        .await;
    let base = location(&response);
    let workshop_id = base.rsplit('/').next().unwrap().to_owned();
    let response = facilitator
        .post(
            &format!("{base}/items/new"),
            &[
                ("about", "scenario:no-such-scenario"),
                ("title", ""),
                ("answer", "choice"),
                ("options", "Only one"),
                ("minutes", "999"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("href=\"#about\">There is no scenario with the id ‘no-such-scenario’"));
    assert!(html.contains("href=\"#options\">Enter at least 2 options"));
    assert!(html.contains("href=\"#minutes\">"));
    assert!(
        setup
            .store
            .workshop_items(&workshop_id)
            .await
            .unwrap()
            .is_empty()
    );
    // Starting an empty agenda is refused with the reason.
    let response = facilitator
        .post(&format!("{base}/move"), &[("to", "start")])
        .await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Add at least one agenda item before starting")
    );
    // A content item takes its title from the toolkit.
    let response = facilitator
        .post(
            &format!("{base}/items/new"),
            &[
                ("about", "scenario:refugee-family-hotel"),
                ("answer", "note"),
                ("minutes", "20"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = facilitator.page(&base).await;
    assert!(html.contains("Scenario walk-through"));
    let items = setup.store.workshop_items(&workshop_id).await.unwrap();
    assert!(!items[0].item.title.is_empty());
    let (status, html) = facilitator
        .page(&format!("{base}/items/{}/edit", items[0].id))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"scenario:refugee-family-hotel\" selected"));
}

async fn participants_are_told_clearly_when_an_answer_is_refused(server: &TestServer) {
    let (setup, facilitator) = partnership_with_member(server, &BELFAST, Role::Facilitator).await;
    let workshops = format!("/partnerships/{}/workshops", setup.partnership);
    let response = facilitator
        .post(
            &format!("{workshops}/new"),
            &[("template", "shared-understanding")],
        )
        .await;
    let base = location(&response);
    let (_, html) = facilitator.page(&base).await;
    let code = between(&html, "id=\"join-code\">", "<").to_owned();

    // Bad codes are named; an unknown one too.
    let visitor = Browser::new(server);
    let (status, html) = visitor.page("/join?code=K0QM3R").await;
    assert_eq!(status, 400);
    assert!(html.contains("href=\"#code\">Enter the 6-character code"));
    let (status, html) = visitor.page("/join?code=ZZZZZZ").await;
    assert_eq!(status, 400);
    assert!(html.contains("No workshop has this code"));
    let (status, _) = visitor.page("/join").await;
    assert_eq!(status, 200);
    // The participant page sends a stranger to join first.
    let response = visitor.get(&format!("/w/{code}")).await;
    assert_eq!(location(&response), format!("/join/{code}"));

    // Too long a name is refused, naming the field.
    let (_, html) = visitor.page(&format!("/join/{code}")).await;
    let token = csrf_field(&html).unwrap();
    let long = "n".repeat(61);
    let response = visitor
        .post_with_token(
            &format!("/join/{code}"),
            &[("display_name", &long), ("profession", "")],
            &token,
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("href=\"#display_name\">Your name must be 60 characters or fewer")
    );

    let participant = join(server, &code, "", "").await;
    facilitate(&facilitator, &base, "start").await;
    let (status, html) = answer(&participant, &code, &[("note", "   ")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("href=\"#note\">Enter your note"));
    let long_note = "x".repeat(501);
    let (status, html) = answer(&participant, &code, &[("note", &long_note)]).await;
    assert_eq!(status, 422);
    assert!(html.contains("Your note must be 500 characters or fewer"));
    assert!(html.contains(&long_note), "what was typed is kept");
    for n in 0..cradle_domain::workshop::RATE_LIMIT {
        let (status, _) = answer(&participant, &code, &[("note", &format!("Word {n}"))]).await;
        assert_eq!(status, 303);
    }
    let (status, html) = answer(&participant, &code, &[("note", "One too many")]).await;
    assert_eq!(status, 429);
    assert!(html.contains("You are sending answers too quickly: wait a minute, then try again"));
    let workshop_id = base.rsplit('/').next().unwrap();
    assert_eq!(
        setup
            .store
            .workshop_answers(workshop_id)
            .await
            .unwrap()
            .len(),
        cradle_domain::workshop::RATE_LIMIT
    );
    // A participant of one workshop cannot answer another's item by its id.
    let (_, html) = participant.page(&format!("/w/{code}")).await;
    let token = csrf_field(&html).unwrap();
    let response = participant
        .post_with_token(
            &format!("/w/{code}/answer"),
            &[("item", "not-an-item"), ("note", "x")],
            &token,
        )
        .await;
    assert_eq!(response.status().as_u16(), 409);
}

async fn the_action_log_filters_and_a_viewer_only_reads(server: &TestServer) {
    let (setup, viewer) = partnership_with_member(server, &BELFAST, Role::Viewer).await;
    let owner = Browser::new(server);
    owner.sign_in("owner@example.org").await;
    let actions = format!("/partnerships/{}/actions", setup.partnership);
    for (what, who, status) in [
        ("Train staff", "Health and Social Care Trust", "in-progress"),
        ("Write plan", "Public Health Agency", "open"),
        ("Old task", "Public Health Agency", "done"),
    ] {
        let response = owner
            .post(
                &actions,
                &[
                    ("what", what),
                    ("owner", who),
                    ("due", ""),
                    ("status", status),
                    ("workshop", ""),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    let response = owner
        .post(
            &actions,
            &[
                ("what", ""),
                ("owner", ""),
                ("due", "soon"),
                ("status", "open"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("href=\"#what\">Enter what is to be done"));
    assert!(html.contains("href=\"#due\">Enter the due date as a real date"));

    let (status, html) = viewer
        .page(&format!("{actions}?owner=public+health&status=open"))
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("Write plan"));
    assert!(!html.contains("Train staff") && !html.contains("Old task"));
    assert!(!html.contains("Add an action"), "a viewer only reads");
    let (_, html) = viewer.page(&actions).await;
    assert!(html.contains("Train staff") && html.contains("Old task"));
    let response = viewer
        .post(
            &actions,
            &[("what", "X"), ("owner", "Y"), ("status", "open")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);

    // The owner changes an action's status.
    let listed = setup
        .store
        .list_actions(&setup.partnership, &Default::default())
        .await
        .unwrap();
    let plan = listed
        .iter()
        .find(|a| a.action.what == "Write plan")
        .unwrap();
    let response = owner
        .post(
            &format!("{actions}/{}/edit", plan.id),
            &[
                ("what", "Write plan"),
                ("owner", "Public Health Agency"),
                ("due", "31/3/2027"),
                ("status", "done"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, html) = viewer.page(&format!("{actions}?status=done")).await;
    assert!(html.contains("Write plan") && html.contains("31 March 2027"));
}

/// Reads an event stream until it contains `expected`.
async fn read_until(response: &mut reqwest::Response, expected: &str) -> String {
    let mut seen = String::new();
    while !seen.contains(expected) {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), response.chunk())
            .await
            .expect("more of the stream within 10 seconds")
            .unwrap()
            .expect("the stream is still open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

async fn an_answer_reaches_open_presenter_and_participant_streams(server: &TestServer) {
    let (setup, facilitator) = partnership_with_member(server, &BELFAST, Role::Facilitator).await;
    let workshops = format!("/partnerships/{}/workshops", setup.partnership);
    let response = facilitator
        .post(
            &format!("{workshops}/new"),
            &[("template", "understanding-need")],
        )
        .await;
    let base = location(&response);
    let workshop_id = base.rsplit('/').next().unwrap().to_owned();
    let (_, html) = facilitator.page(&base).await;
    let code = between(&html, "id=\"join-code\">", "<").to_owned();
    facilitate(&facilitator, &base, "start").await;
    let participant = join(server, &code, "", "").await;

    // A stranger gets no stream; the presenter and the participant do.
    let stranger = Browser::new(server);
    assert_eq!(
        stranger
            .get(&format!("/w/{code}/events"))
            .await
            .status()
            .as_u16(),
        404
    );
    let mut presenter = facilitator.get(&format!("{base}/present/events")).await;
    assert_eq!(presenter.status().as_u16(), 200);
    assert!(
        presenter.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut own = participant.get(&format!("/w/{code}/events")).await;
    assert_eq!(own.status().as_u16(), 200);

    let (status, _) = answer(&participant, &code, &[("note", "Births are rising")]).await;
    assert_eq!(status, 303);
    let answers = setup.store.workshop_answers(&workshop_id).await.unwrap();
    let seen = read_until(&mut presenter, &answers[0].id).await;
    assert!(seen.contains("event: changed"), "{seen}");
    assert!(
        !seen.contains("Births are rising"),
        "messages carry ids, not content"
    );
    read_until(&mut own, &answers[0].id).await;

    // Moving on reaches the participant too.
    facilitate(&facilitator, &base, "next").await;
    let seen = read_until(&mut own, "event: changed").await;
    assert!(seen.contains(&workshop_id));
}

async fn a_facilitator_deletes_a_workshop_and_its_actions_stay(server: &TestServer) {
    let (setup, facilitator) = partnership_with_member(server, &BELFAST, Role::Facilitator).await;
    let workshops = format!("/partnerships/{}/workshops", setup.partnership);
    let response = facilitator
        .post(
            &format!("{workshops}/new"),
            &[
                ("template", "blank"),
                ("title", "Stock-take"),
                ("date", ""),
                ("purpose", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let base = location(&response);
    let (_, html) = facilitator.page(&base).await;
    let code = between(&html, "id=\"join-code\">", "<").to_owned();
    let participant = join(server, &code, "", "").await;
    let response = facilitator
        .post(
            &format!("/partnerships/{}/actions", setup.partnership),
            &[
                ("what", "Map services"),
                ("owner", "Public Health Agency"),
                ("due", ""),
                ("status", "open"),
                ("workshop", base.rsplit('/').next().unwrap()),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);

    let (status, html) = facilitator.page(&format!("{base}/edit")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Delete workshop<span class=\"govuk-visually-hidden\"> Stock-take</span>")
    );
    let response = facilitator.post(&format!("{base}/delete"), &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(location(&response), workshops);
    let (status, _) = facilitator.page(&base).await;
    assert_eq!(status, 404);
    let (status, _) = participant.page(&format!("/w/{code}")).await;
    assert_eq!(status, 404, "the code no longer finds it");
    let (_, html) = facilitator
        .page(&format!("/partnerships/{}/actions", setup.partnership))
        .await;
    assert!(html.contains("Map services"), "the action stays in the log");
    let audit = setup.store.audit_log(&setup.partnership).await.unwrap();
    assert!(audit.iter().any(|entry| entry.action == "workshop.delete"));
}
