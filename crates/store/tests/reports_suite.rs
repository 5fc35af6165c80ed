//! Report packs and their snapshots: every function here runs on SQLite and on PostgreSQL.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

mod support;

use cradle_domain::report::{Block, Document, PackDefinition, Section, SectionKind};
use cradle_domain::vocabulary::Nation;
use cradle_store::{SnapshotFile, Store, StoreError, backend_suite};

backend_suite!(
    a_pack_definition_is_saved_changed_and_removed_with_an_audit_trail,
    pack_names_are_unique_in_any_case_within_a_partnership_only,
    a_snapshot_keeps_its_document_and_files_after_the_pack_changes,
    a_snapshot_is_only_given_to_its_own_partnership,
);

fn board_pack(name: &str) -> PackDefinition {
    PackDefinition {
        name: name.to_owned(),
        title: "Babies' mental health: the case for action".to_owned(),
        author: "Public health team".to_owned(),
        introduction: "For the board's March meeting.".to_owned(),
        sections: vec![
            SectionKind::Summary,
            SectionKind::Need,
            SectionKind::Actions,
        ],
    }
}

fn document(title: &str) -> Document {
    Document {
        title: title.to_owned(),
        partnership: "Northshire".to_owned(),
        author: String::new(),
        date: "7 December 2026".to_owned(),
        language: "en-GB".to_owned(),
        introduction: String::new(),
        attribution: "Cradle".to_owned(),
        sections: vec![Section {
            kind: SectionKind::Need,
            title: "Estimated need".to_owned(),
            blocks: vec![Block::Paragraph {
                text: "Café #1 <b> =SUM(A1)".to_owned(),
            }],
        }],
        references: Vec::new(),
    }
}

async fn a_pack_definition_is_saved_changed_and_removed_with_an_audit_trail(store: &Store) {
    let (actor, north) =
        support::named_owner(store, "Northshire", Nation::England, "E06000001").await;
    let id = store
        .create_pack(Some(&actor), &north.id, &board_pack("Board pack"))
        .await
        .unwrap();
    let saved = store.pack(&north.id, &id).await.unwrap().unwrap();
    assert_eq!(saved.definition, board_pack("Board pack"));

    let mut changed = board_pack("Board pack (short)");
    changed.sections = vec![SectionKind::Actions, SectionKind::Summary];
    store
        .update_pack(&actor, &north.id, &id, &changed)
        .await
        .unwrap();
    let packs = store.packs(&north.id).await.unwrap();
    assert_eq!(packs.len(), 1);
    assert_eq!(packs[0].definition.sections, changed.sections);

    store.delete_pack(&actor, &north.id, &id).await.unwrap();
    assert!(store.packs(&north.id).await.unwrap().is_empty());
    assert!(matches!(
        store.delete_pack(&actor, &north.id, &id).await,
        Err(StoreError::NotFound)
    ));
    let actions: Vec<String> = store
        .audit_log(&north.id)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .filter(|action| action.starts_with("pack."))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
    for expected in ["pack.create", "pack.update", "pack.delete"] {
        assert!(
            actions.iter().any(|action| action == expected),
            "{actions:?}"
        );
    }
}

async fn pack_names_are_unique_in_any_case_within_a_partnership_only(store: &Store) {
    let (actor, north) =
        support::named_owner(store, "Northshire", Nation::England, "E06000001").await;
    let (other_actor, south) =
        support::named_owner(store, "Southshire", Nation::Wales, "W06000001").await;
    let first = store
        .create_pack(Some(&actor), &north.id, &board_pack("Board pack"))
        .await
        .unwrap();
    assert!(matches!(
        store
            .create_pack(Some(&actor), &north.id, &board_pack("BOARD PACK"))
            .await,
        Err(StoreError::PackNameTaken)
    ));
    let second = store
        .create_pack(Some(&actor), &north.id, &board_pack("Workshop pack"))
        .await
        .unwrap();
    assert!(matches!(
        store
            .update_pack(&actor, &north.id, &second, &board_pack("board pack"))
            .await,
        Err(StoreError::PackNameTaken)
    ));
    // Renaming a pack to its own name in another case is allowed.
    store
        .update_pack(&actor, &north.id, &first, &board_pack("BOARD PACK"))
        .await
        .unwrap();
    store
        .create_pack(Some(&other_actor), &south.id, &board_pack("Board pack"))
        .await
        .unwrap();
    // Another partnership's pack is not found through this one.
    assert!(store.pack(&south.id, &first).await.unwrap().is_none());
    assert!(matches!(
        store
            .update_pack(&other_actor, &south.id, &first, &board_pack("x"))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn a_snapshot_keeps_its_document_and_files_after_the_pack_changes(store: &Store) {
    let (actor, north) =
        support::named_owner(store, "Northshire", Nation::England, "E06000001").await;
    let pack = store
        .create_pack(Some(&actor), &north.id, &board_pack("Board pack"))
        .await
        .unwrap();
    let files = [
        SnapshotFile {
            format: "pdf".to_owned(),
            content: b"%PDF-1.7 one".to_vec(),
        },
        SnapshotFile {
            format: "xlsx".to_owned(),
            content: vec![0, 159, 146, 150],
        },
    ];
    let made = store
        .save_snapshot(
            Some(&actor),
            &north.id,
            "Board pack",
            &document("March"),
            &files,
        )
        .await
        .unwrap();
    store.delete_pack(&actor, &north.id, &pack).await.unwrap();

    let listed = store.snapshots(&north.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].pack_name, "Board pack");
    assert_eq!(listed[0].title, "March");
    assert_eq!(listed[0].made_by_label, "Northshire");
    let mut sizes = listed[0].files.clone();
    sizes.sort();
    assert_eq!(sizes, vec![("pdf".to_owned(), 12), ("xlsx".to_owned(), 4)]);

    let (_, kept) = store.snapshot(&north.id, &made).await.unwrap().unwrap();
    assert_eq!(kept, document("March"));
    let pdf = store.snapshot_file(&north.id, &made, "pdf").await.unwrap();
    assert_eq!(pdf.as_deref(), Some(&b"%PDF-1.7 one"[..]));
    let binary = store.snapshot_file(&north.id, &made, "xlsx").await.unwrap();
    assert_eq!(binary, Some(vec![0, 159, 146, 150]));
    assert!(
        store
            .snapshot_file(&north.id, &made, "docx")
            .await
            .unwrap()
            .is_none()
    );
    let audit = store.audit_log(&north.id).await.unwrap();
    assert!(audit.iter().any(|entry| entry.action == "report.make"));
}

async fn a_snapshot_is_only_given_to_its_own_partnership(store: &Store) {
    let (actor, north) =
        support::named_owner(store, "Northshire", Nation::England, "E06000001").await;
    let (_, south) = support::named_owner(store, "Southshire", Nation::Wales, "W06000001").await;
    let files = [SnapshotFile {
        format: "pdf".to_owned(),
        content: b"%PDF".to_vec(),
    }];
    let made = store
        .save_snapshot(
            Some(&actor),
            &north.id,
            "Board pack",
            &document("March"),
            &files,
        )
        .await
        .unwrap();
    assert!(store.snapshots(&south.id).await.unwrap().is_empty());
    assert!(store.snapshot(&south.id, &made).await.unwrap().is_none());
    assert!(
        store
            .snapshot_file(&south.id, &made, "pdf")
            .await
            .unwrap()
            .is_none()
    );
}
