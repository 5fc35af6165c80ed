//! `cradle demo reset`: the demo partnership replaced from the command line, other
//! partnerships kept.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use cradle_domain::partnership::NewPartnership;
use cradle_domain::vocabulary::Nation;
use cradle_store::Store;

fn reset(data_dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cradle"))
        .args(["demo", "reset"])
        .env("CRADLE_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("cradle finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn demo_reset_replaces_the_demo_and_keeps_other_partnerships() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("cradle.db"))
        .await
        .unwrap();
    let fife =
        NewPartnership::validate("Fife", Nation::Scotland, "", &["S12000047"], false).unwrap();
    let fife = store.create_partnership(&fife).await.unwrap();
    store.close().await;

    let mut demo_ids = Vec::new();
    for _ in 0..2 {
        let output = reset(dir.path());
        let stdout = text(&output.stdout);
        assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
        assert!(
            stdout.contains("The demo partnership is reset: Tees Valley demo partnership"),
            "{stdout}"
        );
        let store = Store::open_sqlite(&dir.path().join("cradle.db"))
            .await
            .unwrap();
        let all = store.partnerships().await.unwrap();
        store.close().await;
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[0], fife);
        assert!(all[1].is_demo);
        assert!(stdout.contains(&all[1].id), "{stdout}");
        demo_ids.push(all[1].id.clone());
    }
    assert_ne!(demo_ids[0], demo_ids[1], "each reset loads a fresh demo");
}
