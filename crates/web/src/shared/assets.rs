//! The front-end assets embedded at build time, under content-hashed names, and their
//! public addresses for the layout. The `assets` feature serves them.

/// One compiled asset; `build.rs` generates the table.
pub(crate) struct Asset {
    pub name: &'static str,
    pub hashed_name: &'static str,
    pub content_type: &'static str,
    pub body: &'static [u8],
    pub gzip: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The public URL of an asset by its plain name (`cradle.css` → `/assets/cradle.1a2b3c4d5e.css`).
/// The names are fixed at build time, which checks that the ones used here exist.
pub(crate) fn url(name: &str) -> String {
    ASSETS.iter().find(|asset| asset.name == name).map_or_else(
        || format!("/assets/{name}"),
        |asset| format!("/assets/{}", asset.hashed_name),
    )
}
