//! Finding content files on disk. Shared by [`crate::load_dir`] and, through `#[path]`, by the
//! build script that embeds the content, so that both see exactly the same files.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Every `.toml` file under `dir`, recursively, sorted by path.
///
/// Hidden files and folders (names starting with `.`) are skipped: they are editors' swap
/// files and the like, never content.
pub fn toml_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    collect(dir, &mut found)?;
    found.sort();
    Ok(found)
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, found)?;
        } else if path
            .extension()
            .is_some_and(|extension| extension == "toml")
        {
            found.push(path);
        }
    }
    Ok(())
}

/// How `file` is named in problems: relative to `dir`'s parent, with `/` separators whatever
/// the platform, e.g. `content/01-why-it-matters.toml` for a file directly in `content/`.
pub fn display_name(dir: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(dir).unwrap_or(file);
    dir.file_name()
        .map(Path::new)
        .into_iter()
        .chain(
            relative
                .components()
                .map(|part| Path::new(part.as_os_str())),
        )
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
