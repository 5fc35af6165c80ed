//! `cradle content check` as an editor runs it: counts on success, file:line: reason and a
//! failing exit status on a broken folder.

use std::process::Command;

fn check(dir: &str) -> (bool, String, String) {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/tests/fixtures/");
    let output = Command::new(env!("CARGO_BIN_EXE_cradle"))
        .args(["content", "check", "--dir"])
        .arg(format!("{fixtures}{dir}"))
        .output()
        .expect("run cradle");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_baseline_passes_with_a_count_per_kind() {
    let output = Command::new(env!("CARGO_BIN_EXE_cradle"))
        .args(["content", "check"])
        .output()
        .expect("run cradle");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let glossary: usize = stdout
        .lines()
        .find_map(|line| line.strip_prefix("glossary terms: "))
        .and_then(|count| count.parse().ok())
        .expect("a glossary count line");
    assert!(glossary >= 80, "{stdout}");
}

#[test]
fn a_broken_folder_fails_naming_file_line_and_reason() {
    let (ok, stdout, stderr) = check("missing-reference");
    assert!(!ok);
    assert!(stdout.is_empty(), "no counts for broken content: {stdout}");
    assert!(stderr.contains("missing-reference/"), "{stderr}");
    assert!(
        stderr.lines().any(|line| line.contains("02-facts.toml:8:")
            && line.contains("unknown source `jcpmh-2012`")),
        "{stderr}"
    );
}
