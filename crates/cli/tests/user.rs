//! `cradle user`: the first administrator is made from the command line, with a one-time
//! link or a password read from standard input.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn cradle(data_dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cradle"))
        .args(["user"])
        .args(args)
        .env("CRADLE_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cradle");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("cradle finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_administrator_is_created_with_a_one_time_link() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let args = [
        "add",
        "--admin",
        "--email",
        "Ada@Example.org",
        "--name",
        "Ada Admin",
        "--site-url",
        "https://cradle.example",
    ];
    let output = cradle(dir.path(), &args, None);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.contains("Created the site administrator ada@example.org"),
        "{stdout}"
    );
    assert!(
        stdout.contains("https://cradle.example/password-reset/"),
        "{stdout}"
    );

    let again = cradle(dir.path(), &args, None);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("there is already an account for ada@example.org"));

    let reset = cradle(dir.path(), &["reset-link", "ada@example.org"], None);
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    assert!(text(&reset.stdout).contains("http://127.0.0.1:8080/password-reset/"));
}

#[test]
fn a_password_from_standard_input_must_pass_the_password_rules() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let add = |password: &str| {
        cradle(
            dir.path(),
            &[
                "add",
                "--email",
                "sam@example.org",
                "--name",
                "Sam Jones",
                "--password-stdin",
            ],
            Some(password),
        )
    };
    let weak = add("password1234\n");
    assert!(!weak.status.success());
    assert!(text(&weak.stderr).contains("password: Choose a password that is harder to guess"));
    let good = add("marmalade kettle lantern\n");
    assert!(good.status.success(), "{}", text(&good.stderr));
    assert!(text(&good.stdout).contains("They can sign in now"));
}
