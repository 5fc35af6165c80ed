//! Embeds the workspace's `content/` folder in the crate, so that the binary ships the
//! national baseline content and needs no files at run time.
//!
//! Generates `$OUT_DIR/embedded.rs` holding `static EMBEDDED: &[(&str, &str)]`: each file's
//! display name (`content/…toml`) and its text, through `include_str!`.

use std::env;
use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

#[path = "src/files.rs"]
mod files;

fn main() -> Result<(), Box<dyn Error>> {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let content_dir = manifest_dir.join("../../content");
    // A folder makes Cargo rerun this script when anything under it changes, including a
    // new file; each file is listed too so that the intent is plain.
    println!("cargo:rerun-if-changed={}", content_dir.display());

    let mut code = String::from("static EMBEDDED: &[(&str, &str)] = &[\n");
    if content_dir.is_dir() {
        let content_dir = content_dir.canonicalize()?;
        for file in files::toml_files(&content_dir)? {
            println!("cargo:rerun-if-changed={}", file.display());
            let absolute = file
                .to_str()
                .ok_or_else(|| format!("content path is not UTF-8: {}", file.display()))?;
            let name = files::display_name(&content_dir, &file);
            // `{:?}` writes a valid Rust string literal, escaping quotes and backslashes.
            writeln!(code, "    ({name:?}, include_str!({absolute:?})),")?;
        }
    } else {
        println!(
            "cargo:warning=no content folder at {}; embedding no content",
            content_dir.display()
        );
    }
    code.push_str("];\n");

    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    fs::write(out_dir.join("embedded.rs"), code)?;
    Ok(())
}
