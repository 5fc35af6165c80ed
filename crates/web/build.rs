//! Embeds the compiled front-end assets (from `scripts/build-assets`) in the binary under
//! content-hashed names, with gzip copies made here so that serving them costs nothing.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

fn main() {
    let manifest_dir =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let dist = manifest_dir.join("assets/dist");
    println!("cargo::rerun-if-changed={}", dist.display());

    let Ok(entries) = fs::read_dir(&dist) else {
        panic!(
            "the front-end assets are missing from {}: run scripts/setup (or scripts/build-assets) first",
            dist.display()
        );
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();

    let mut table = String::from("pub(crate) static ASSETS: &[Asset] = &[\n");
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("asset names are UTF-8");
        let bytes = fs::read(path).expect("read an asset");
        let digest = Sha256::digest(&bytes);
        let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let hashed = format!("{stem}.{hash}.{ext}");
        let gzip_path = out_dir.join(format!("{hashed}.gz"));
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&bytes).expect("gzip in memory");
        fs::write(&gzip_path, encoder.finish().expect("gzip in memory")).expect("write gzip copy");
        writeln!(
            table,
            "    Asset {{ name: {name:?}, hashed_name: {hashed:?}, content_type: {ct:?}, body: include_bytes!({body:?}), gzip: include_bytes!({gz:?}) }},",
            ct = content_type(ext),
            body = path.display().to_string(),
            gz = gzip_path.display().to_string(),
        )
        .expect("write to a String");
    }
    table.push_str("];\n");
    fs::write(out_dir.join("assets.rs"), table).expect("write assets.rs");
    check_required(
        &files,
        &["cradle.css", "cradle.js", "js-enabled.js", "favicon.svg"],
        &dist,
    );
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn check_required(files: &[PathBuf], required: &[&str], dist: &Path) {
    for name in required {
        if !files
            .iter()
            .any(|f| f.file_name().is_some_and(|n| n == *name))
        {
            panic!("{} has no {name}: run scripts/build-assets", dist.display());
        }
    }
}
