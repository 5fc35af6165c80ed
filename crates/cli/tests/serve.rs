//! The `cradle` binary as a newcomer starts it: no arguments but a data folder, a printed
//! URL, the demo partnership on the home page, and a clean stop on SIGTERM.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

fn start(data_dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cradle"))
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no URL printed: {line:?}"))
        .to_owned();
    (child, url)
}

fn get(url: &str, path: &str) -> String {
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn stop(mut child: Child) -> String {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(exit.success(), "cradle exited with {exit}: {logs}");
    logs
}

#[test]
fn cradle_starts_prints_its_url_serves_the_demo_and_stops_cleanly_on_sigterm() {
    let data = tempfile::tempdir().unwrap();
    let (child, url) = start(data.path());
    let home = get(&url, "/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("Tees Valley demo partnership"));
    let logs = stop(child);
    assert!(logs.contains("closing the database"), "{logs}");
    assert!(data.path().join("cradle.db").exists());

    // A second start reuses the database and does not load the demo again.
    let (child, url) = start(data.path());
    let home = get(&url, "/");
    assert_eq!(
        home.matches("Tees Valley demo partnership").count(),
        1,
        "{home}"
    );
    let logs = stop(child);
    assert!(!logs.contains("loaded the demo partnership"), "{logs}");
}

#[test]
fn a_database_that_cannot_be_opened_is_a_clear_error() {
    let data = tempfile::tempdir().unwrap();
    let blocker = data.path().join("not-a-folder");
    std::fs::write(&blocker, "a file where the data folder should be").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_cradle"))
        .arg("--data-dir")
        .arg(&blocker)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("could not create the data folder"),
        "{stderr}"
    );
}
