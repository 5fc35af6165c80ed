use proptest::prelude::*;
use time::macros::date;

use super::*;

fn lookup(kind: ItemKind, id: &str) -> Option<String> {
    match (kind, id) {
        (ItemKind::Prompt, "meaning-first-words") => Some("What words come to mind?".into()),
        (ItemKind::Scenario, "refugee-family-hotel") => Some("A family in a hotel".into()),
        _ => None,
    }
}

fn fields(kind: &str, reference: &str, title: &str, answer: &str) -> ItemFields {
    ItemFields {
        kind: kind.into(),
        reference: reference.into(),
        title: title.into(),
        answer: answer.into(),
        minutes: "10".into(),
        ..ItemFields::default()
    }
}

fn item(answer: AnswerKind, options: &[&str], votes: u8) -> AgendaItem {
    AgendaItem {
        kind: ItemKind::Local,
        reference: None,
        title: "Question".into(),
        answer,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
        votes,
        minutes: 10,
        facilitator_notes: String::new(),
        instruction: String::new(),
    }
}

#[test]
fn a_content_item_takes_its_title_from_the_content_when_none_is_typed() {
    let item = fields("prompt", "meaning-first-words", "", "note")
        .validate(lookup)
        .unwrap();
    assert_eq!(item.title, "What words come to mind?");
    assert_eq!(item.reference.as_deref(), Some("meaning-first-words"));
    let item = fields("prompt", "meaning-first-words", "Our own wording", "note")
        .validate(lookup)
        .unwrap();
    assert_eq!(item.title, "Our own wording");
}

#[test]
fn an_unknown_reference_is_refused_naming_it() {
    let problems = fields("scenario", "no-such-scenario", "", "note")
        .validate(lookup)
        .unwrap_err();
    assert_eq!(problems[0].field, "reference");
    assert!(problems[0].message.contains("no-such-scenario"));
    assert!(problems[0].message.contains("scenario"));
    let problems = fields("scenario", "", "", "note")
        .validate(lookup)
        .unwrap_err();
    assert_eq!(
        problems[0].message,
        "Select the scenario this item is about"
    );
}

#[test]
fn local_items_need_a_title_and_words_items_have_one_of_their_own() {
    let problems = fields("local", "", "  ", "note")
        .validate(lookup)
        .unwrap_err();
    assert_eq!(problems[0].field, "title");
    let words = fields("words", "ignored", "", "note")
        .validate(lookup)
        .unwrap();
    assert_eq!(words.title, "Words we use");
    assert_eq!(words.reference, None);
}

#[test]
fn choices_need_options_and_dot_votes_need_an_allowance() {
    let mut choice = fields("local", "", "Pick one", "choice");
    choice.options = "Only one".into();
    assert_eq!(choice.validate(lookup).unwrap_err()[0].field, "options");
    choice.options = "One\n\n  Two  \n".into();
    assert_eq!(choice.validate(lookup).unwrap().options, ["One", "Two"]);

    let mut vote = fields("local", "", "Vote", "dot-vote");
    vote.votes = "0".into();
    assert_eq!(vote.validate(lookup).unwrap_err()[0].field, "votes");
    vote.votes = "11".into();
    assert_eq!(vote.validate(lookup).unwrap_err()[0].field, "votes");
    vote.votes = "3".into();
    let on_notes = vote.validate(lookup).unwrap();
    assert!(on_notes.votes_on_notes() && on_notes.takes_notes());
    assert_eq!(on_notes.votes, 3);

    let mut note = fields("local", "", "Notes", "note");
    note.options = "Dropped\nToo".into();
    note.votes = "5".into();
    let note = note.validate(lookup).unwrap();
    assert!(
        note.options.is_empty(),
        "options only kept for choices and votes"
    );
    assert_eq!(note.votes, 0);
}

#[test]
fn limits_on_every_field_are_named() {
    let mut long = fields("local", "", &"t".repeat(ITEM_TITLE_MAX + 1), "choice");
    long.options = format!("{}\nshort", "o".repeat(OPTION_MAX + 1));
    long.minutes = "0".into();
    long.facilitator_notes = "n".repeat(TEXT_MAX + 1);
    let problems = long.validate(lookup).unwrap_err();
    let named: Vec<_> = problems.iter().map(|p| p.field).collect();
    assert_eq!(named, ["title", "options", "minutes", "facilitator_notes"]);
    assert_eq!(
        problems[1].message,
        "Option 1 must be 80 characters or fewer"
    );
}

#[test]
fn an_item_round_trips_through_its_form() {
    let mut original = item(AnswerKind::DotVote, &["A", "B"], 4);
    original.facilitator_notes = "Notes".into();
    let back = ItemFields::from_item(&original).validate(lookup).unwrap();
    assert_eq!(back, original);
}

#[test]
fn workshop_details_need_a_title_and_a_real_date() {
    let details = WorkshopDetails::validate(" Stock-take ", "2027-03-31", "Why").unwrap();
    assert_eq!(details.title, "Stock-take");
    assert_eq!(details.date, Some(date!(2027 - 03 - 31)));
    let problems = WorkshopDetails::validate("", "2027-02-30", "").unwrap_err();
    let named: Vec<_> = problems.iter().map(|p| p.field).collect();
    assert_eq!(named, ["title", "date"]);
    assert_eq!(WorkshopDetails::validate("T", "", "").unwrap().date, None);
}

#[test]
fn the_facilitator_moves_through_the_agenda_and_closes() {
    let draft = Phase::Draft;
    assert_eq!(
        apply_move(draft, Move::Start, 0),
        Err(MoveError::EmptyAgenda)
    );
    assert_eq!(apply_move(draft, Move::Next, 3), Err(MoveError::NotRunning));
    let running = apply_move(draft, Move::Start, 3).unwrap();
    assert_eq!(running, Phase::Running { current: 0 });
    assert_eq!(
        apply_move(running, Move::Previous, 3),
        Err(MoveError::NoSuchItem)
    );
    let second = apply_move(running, Move::Next, 3).unwrap();
    assert_eq!(second.current(), Some(1));
    assert_eq!(
        apply_move(second, Move::To(2), 3).unwrap().current(),
        Some(2)
    );
    assert_eq!(
        apply_move(second, Move::To(3), 3),
        Err(MoveError::NoSuchItem)
    );
    assert_eq!(
        apply_move(second, Move::Start, 3),
        Err(MoveError::AlreadyStarted)
    );
    let last = Phase::Running { current: 2 };
    assert_eq!(apply_move(last, Move::Next, 3), Err(MoveError::NoSuchItem));
    let closed = apply_move(last, Move::Close, 3).unwrap();
    assert_eq!(closed, Phase::Closed);
    assert_eq!(apply_move(closed, Move::Start, 3), Err(MoveError::Closed));
    assert_eq!(apply_move(Phase::Draft, Move::Close, 0), Ok(Phase::Closed));
}

#[test]
fn phases_round_trip_through_storage() {
    for phase in [Phase::Draft, Phase::Running { current: 4 }, Phase::Closed] {
        assert_eq!(Phase::from_stored(phase.id(), phase.current()), Some(phase));
    }
    assert_eq!(Phase::from_stored("running", None), None);
    assert_eq!(Phase::from_stored("paused", Some(1)), None);
}

#[test]
fn only_the_current_unlocked_item_of_a_running_workshop_takes_answers() {
    let running = Phase::Running { current: 1 };
    assert_eq!(check_open(running, 1, false), Ok(()));
    assert_eq!(check_open(running, 0, false), Err(AnswerError::NotCurrent));
    assert_eq!(check_open(running, 1, true), Err(AnswerError::Locked));
    assert_eq!(
        check_open(Phase::Draft, 0, false),
        Err(AnswerError::NotStarted)
    );
    assert_eq!(
        check_open(Phase::Closed, 0, false),
        Err(AnswerError::Closed)
    );
}

#[test]
fn answers_are_checked_against_their_item() {
    let notes = item(AnswerKind::Note, &[], 0);
    assert_eq!(
        Answer::note(&notes, "  Trust  "),
        Ok(Answer::Note("Trust".into()))
    );
    assert_eq!(Answer::note(&notes, "   "), Err(AnswerError::EmptyNote));
    assert_eq!(
        Answer::note(&notes, &"é".repeat(NOTE_MAX + 1)),
        Err(AnswerError::NoteTooLong)
    );
    assert!(Answer::note(&notes, &"é".repeat(NOTE_MAX)).is_ok());
    assert_eq!(Answer::choice(&notes, "0"), Err(AnswerError::WrongKind));

    let choice = item(AnswerKind::Choice, &["A", "B"], 0);
    assert_eq!(Answer::choice(&choice, "1"), Ok(Answer::Choice(1)));
    assert_eq!(Answer::choice(&choice, "2"), Err(AnswerError::NoOption));
    assert_eq!(Answer::choice(&choice, ""), Err(AnswerError::NoOption));
    assert_eq!(Answer::note(&choice, "x"), Err(AnswerError::WrongKind));

    let rating = item(AnswerKind::Rating, &[], 0);
    assert_eq!(Answer::rating(&rating, "5"), Ok(Answer::Rating(5)));
    assert_eq!(Answer::rating(&rating, "0"), Err(AnswerError::NoRating));
    assert_eq!(Answer::rating(&rating, "6"), Err(AnswerError::NoRating));

    let vote_on_options = item(AnswerKind::DotVote, &["A", "B"], 3);
    assert_eq!(
        Answer::note(&vote_on_options, "x"),
        Err(AnswerError::WrongKind)
    );
    let vote_on_notes = item(AnswerKind::DotVote, &[], 3);
    assert!(Answer::note(&vote_on_notes, "x").is_ok());

    // A form reads the field of the kind the item takes, whatever else was sent.
    assert_eq!(
        Answer::from_form(&choice, "1", "5", "note"),
        Ok(Answer::Choice(1))
    );
    assert_eq!(
        Answer::from_form(&rating, "1", "5", "note"),
        Ok(Answer::Rating(5))
    );
    assert_eq!(
        Answer::from_form(&notes, "1", "5", " note "),
        Ok(Answer::Note("note".into()))
    );
    assert_eq!(
        Answer::from_form(&choice, "", "5", "note"),
        Err(AnswerError::NoOption)
    );
}

#[test]
fn each_participant_has_only_their_allowance_of_votes() {
    let vote = item(AnswerKind::DotVote, &["A", "B"], 3);
    assert_eq!(check_vote(&vote, 0), Ok(()));
    assert_eq!(check_vote(&vote, 2), Ok(()));
    assert_eq!(check_vote(&vote, 3), Err(AnswerError::NoVotesLeft(3)));
    assert_eq!(
        AnswerError::NoVotesLeft(3).to_string(),
        "You have used all 3 of your votes on this item"
    );
    assert_eq!(
        check_vote(&item(AnswerKind::Note, &[], 0), 0),
        Err(AnswerError::WrongKind)
    );
}

#[test]
fn a_participant_sending_too_fast_is_told_to_wait() {
    assert_eq!(check_rate(0), Ok(()));
    assert_eq!(check_rate(RATE_LIMIT - 1), Ok(()));
    assert_eq!(check_rate(RATE_LIMIT), Err(AnswerError::TooFast));
    let now = time::macros::datetime!(2026-11-23 15:00 UTC);
    assert_eq!(
        rate_window_start(now),
        time::macros::datetime!(2026-11-23 14:59 UTC)
    );
}

#[test]
fn participants_may_stay_anonymous() {
    let anonymous = ParticipantDetails::validate("  ", "").unwrap();
    assert_eq!(anonymous, ParticipantDetails::default());
    let named = ParticipantDetails::validate(" Sam ", "Health visitor").unwrap();
    assert_eq!(named.display_name.as_deref(), Some("Sam"));
    let problems = ParticipantDetails::validate(&"n".repeat(61), &"p".repeat(61)).unwrap_err();
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[1].field, "profession");
}

#[test]
fn join_codes_are_read_as_people_type_them() {
    assert_eq!("k7q-m3r".parse::<JoinCode>().unwrap().as_str(), "K7QM3R");
    assert_eq!(" K7Q M3R ".parse::<JoinCode>().unwrap().as_str(), "K7QM3R");
    for bad in [
        "", "K7QM3", "K7QM3RR", "K0QM3R", "KOQM3R", "K1QM3R", "KIQM3R", "K7QM3!",
    ] {
        assert!(bad.parse::<JoinCode>().is_err(), "{bad} accepted");
    }
    assert!(BadJoinCode.to_string().contains("6-character"));
}

proptest! {
    #[test]
    fn every_random_code_is_six_unambiguous_characters_and_parses(bytes in any::<[u8; 6]>()) {
        let code = JoinCode::from_random(bytes);
        prop_assert_eq!(code.as_str().len(), JOIN_CODE_LENGTH);
        prop_assert!(!code.as_str().contains(['0', 'O', '1', 'I']));
        prop_assert_eq!(code.as_str().parse::<JoinCode>().unwrap(), code.clone());
        prop_assert_eq!(code.as_str().to_lowercase().parse::<JoinCode>().unwrap(), code);
    }

    #[test]
    fn no_sequence_of_moves_leaves_the_agenda(
        items in 1usize..6,
        moves in proptest::collection::vec(0u8..5, 0..30),
    ) {
        let mut phase = Phase::Draft;
        for choice in moves {
            let change = match choice {
                0 => Move::Start,
                1 => Move::Next,
                2 => Move::Previous,
                3 => Move::To(usize::from(choice) % (items + 1)),
                _ => Move::Close,
            };
            if let Ok(next) = apply_move(phase, change, items) {
                phase = next;
            }
            if let Some(current) = phase.current() {
                prop_assert!(current < items);
            }
        }
    }

    #[test]
    fn votes_never_exceed_the_allowance(allowance in 1u8..=VOTES_MAX, attempts in 0usize..30) {
        let vote = item(AnswerKind::DotVote, &[], allowance);
        let mut cast = 0;
        for _ in 0..attempts {
            if check_vote(&vote, cast).is_ok() {
                cast += 1;
            }
        }
        prop_assert!(cast <= usize::from(allowance));
        prop_assert_eq!(cast, attempts.min(usize::from(allowance)));
    }
}

#[test]
fn totals_count_votes_choices_and_ratings() {
    assert_eq!(
        vote_totals(&["a", "b", "c"], &["a", "c", "a"]),
        [("a", 2), ("b", 0), ("c", 1)]
    );
    assert_eq!(choice_totals(3, &[0, 2, 2, 7]), [1, 0, 2]);
    assert_eq!(mean_rating(&[]), None);
    assert_eq!(mean_rating(&[1, 2, 2]), Some(1.7));
}

#[test]
fn cluster_names_and_decisions_are_checked() {
    assert_eq!(cluster_name("  Trust "), Ok("Trust".into()));
    assert!(cluster_name(" ").is_err());
    assert!(decision_text("").is_err());
    assert!(decision_text(&"d".repeat(TEXT_MAX + 1)).is_err());
}

#[test]
fn templates_are_five_whole_agendas_that_pass_the_item_rules() {
    assert_eq!(TEMPLATES.len(), 5);
    for template in TEMPLATES {
        assert!(template.items.len() <= ITEMS_MAX, "{}", template.id);
        assert_eq!(super::template(template.id), Some(template));
        for item in template.items {
            // Any reference is accepted here; the content crate checks them against the content.
            let fields = ItemFields {
                kind: item.kind.id().into(),
                reference: item.reference.unwrap_or_default().into(),
                title: item.title.into(),
                answer: item.answer.id().into(),
                options: item.options.join("\n"),
                votes: item.votes.to_string(),
                minutes: item.minutes.to_string(),
                facilitator_notes: item.facilitator_notes.into(),
                instruction: String::new(),
            };
            let checked = fields.validate(|_, id| Some(format!("Title of {id}")));
            assert!(
                checked.is_ok(),
                "{} item {:?}: {:?}",
                template.id,
                item.title,
                checked
            );
            assert_eq!(
                item.kind.needs_reference(),
                item.reference.is_some(),
                "{}",
                template.id
            );
        }
    }
    assert!(super::template("nope").is_none());
}

#[test]
fn every_kind_of_item_tells_participants_what_to_do() {
    let rating = item(AnswerKind::Rating, &[], 0);
    assert_eq!(
        rating.instruction(),
        "Rate from 1 (the lowest) to 5 (the highest)."
    );
    let on_notes = item(AnswerKind::DotVote, &[], 3);
    assert!(
        on_notes
            .instruction()
            .contains("give your 3 votes to the notes")
    );
    let on_options = item(AnswerKind::DotVote, &["A", "B"], 1);
    assert!(
        on_options
            .instruction()
            .starts_with("Give your one vote to the options")
    );
    let mut words = item(AnswerKind::Note, &[], 0);
    words.kind = ItemKind::Words;
    assert!(
        words
            .instruction()
            .starts_with("What does your service call each of these?")
    );
    for answer in AnswerKind::ALL {
        assert!(!item(*answer, &["A", "B"], 2).instruction().is_empty());
    }
}
