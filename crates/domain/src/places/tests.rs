use super::*;

#[test]
fn every_row_of_the_bundled_list_is_read() {
    let rows = PLACES_TSV.lines().count() - 1;
    assert_eq!(places().all().len(), rows);
    for place in places().all() {
        assert!(place.code.parse::<AreaCode>().is_ok(), "{}", place.code);
        assert!(!place.name.is_empty() && !place.kind.is_empty());
        for successor in &place.successors {
            let successor = places().get(successor).expect("successor is listed");
            assert!(successor.is_current(), "{} ended too", successor.code);
        }
    }
}

#[test]
fn codes_are_labelled_with_their_names() {
    assert_eq!(
        PlaceLabel("E06000001").to_string(),
        "Hartlepool (E06000001)"
    );
    assert_eq!(PlaceLabel("E92000001").to_string(), "England (E92000001)");
    assert_eq!(PlaceLabel("W06000015").to_string(), "Cardiff (W06000015)");
    assert_eq!(
        PlaceLabel("S12000036").to_string(),
        "City of Edinburgh (S12000036)"
    );
    assert_eq!(PlaceLabel("N09000003").to_string(), "Belfast (N09000003)");
    assert_eq!(PlaceLabel("E99999999").to_string(), "E99999999");
}

#[test]
fn codes_no_longer_in_use_say_so_and_name_their_successors() {
    assert_eq!(
        PlaceLabel("E07000026").to_string(),
        "Allerdale (E07000026, ended April 2023: now E06000063 Cumberland)"
    );
    assert_eq!(
        PlaceLabel("E08000016").to_string(),
        "Barnsley (E08000016, code replaced: now E08000038 Barnsley)"
    );
}

#[test]
fn names_resolve_to_codes_whatever_the_case_and_spacing() {
    let resolve = |text| places().resolve(text).map(|code| code.to_string());
    assert_eq!(resolve("Hartlepool"), Ok("E06000001".to_owned()));
    assert_eq!(
        resolve("  redcar   AND cleveland "),
        Ok("E06000003".to_owned())
    );
    assert_eq!(resolve("Bristol"), Ok("E06000023".to_owned()));
    assert_eq!(resolve("Cumberland"), Ok("E06000063".to_owned()));
    assert_eq!(resolve("e06000001"), Ok("E06000001".to_owned()));
}

#[test]
fn unknown_well_formed_codes_are_accepted_but_unknown_names_are_not() {
    assert!(places().resolve("E54000050").is_ok());
    let error = places().resolve("Atlantis").unwrap_err();
    assert_eq!(error, PlaceError::Unknown("Atlantis".to_owned()));
    assert!(error.to_string().contains("no area called “Atlantis”"));
    assert!(matches!(
        places().resolve("E0600001"),
        Err(PlaceError::Malformed(_))
    ));
}

#[test]
fn an_ended_code_names_its_successors() {
    let error = places().resolve("E10000006").unwrap_err();
    assert_eq!(
        error.to_string(),
        "E10000006 Cumbria ended in April 2023: use E06000063 Cumberland and E06000064 Westmorland and Furness"
    );
    assert_eq!(
        places().resolve("cumbria").unwrap_err().to_string(),
        error.to_string()
    );
    assert_eq!(
        places().resolve("E07000004").unwrap_err().to_string(),
        "E07000004 Aylesbury Vale ended in March 2020: use E06000060 Buckinghamshire"
    );
}

#[test]
fn a_replaced_code_names_the_new_one() {
    let message = places().resolve("E08000016").unwrap_err().to_string();
    assert!(
        message.starts_with("E08000016 is no longer used for Barnsley"),
        "{message}"
    );
    assert!(message.ends_with("use E08000038 Barnsley"), "{message}");
    assert_eq!(
        places().resolve("Barnsley").map(|c| c.to_string()),
        Ok("E08000038".to_owned())
    );
}

#[test]
fn a_name_shared_by_two_current_areas_asks_for_the_code() {
    let error = places().resolve("North East").unwrap_err();
    let PlaceError::Ambiguous { options, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(options.len(), 2);
    assert!(error.to_string().contains("North East (E12000001), region"));
}

#[test]
fn choices_are_the_nations_current_local_areas_by_name() {
    let wales = places().choices(Nation::Wales);
    assert_eq!(wales.len(), 22 + 7);
    assert!(
        wales
            .iter()
            .all(|p| p.is_current() && p.code.starts_with('W'))
    );
    let england = places().choices(Nation::England);
    assert!(england.iter().any(|p| p.code == "E06000001"));
    assert!(
        !england
            .iter()
            .any(|p| p.code == "E10000006" || p.code == "E12000001")
    );
    let names: Vec<_> = england.iter().map(|p| name_key(p.name)).collect();
    assert!(names.windows(2).all(|pair| pair[0] <= pair[1]));
}

#[test]
fn months_are_named() {
    assert_eq!(month_year("2019-03-31"), "March 2019");
    assert_eq!(month_year("2019-13-01"), "2019-13-01");
    assert_eq!(month_year("soon"), "soon");
}

#[test]
fn labels_read_back_as_codes() {
    let resolve = |text| places().resolve(text).map(|code| code.to_string());
    assert_eq!(
        resolve("Hartlepool (E06000001)"),
        Ok("E06000001".to_owned())
    );
    assert_eq!(resolve("Anything (E54000050)"), Ok("E54000050".to_owned()));
}

#[test]
fn entries_split_by_line_and_codes_also_by_comma() {
    assert_eq!(
        split_entries(
            "Hartlepool\r\nE06000002, E06000003 e06000004\n\nArmagh City, Banbridge and Craigavon; Belfast"
        ),
        vec![
            "Hartlepool",
            "E06000002",
            "E06000003",
            "e06000004",
            "Armagh City, Banbridge and Craigavon",
            "Belfast"
        ]
    );
}
