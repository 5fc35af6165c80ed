//! The pages the browser check visits, which each feature lists.

/// A page the browser check visits.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InventoryPage {
    pub path: String,
    pub title: String,
    /// The status the page answers with (404 for the not-found and spent-link pages).
    pub status: u16,
    /// Visited signed in as a site administrator (who may see every page) when true.
    pub signed_in: bool,
    /// A page shown without the site's header and footer (the projector screen).
    pub bare: bool,
}

impl InventoryPage {
    pub(crate) fn new(path: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            title: title.into(),
            status: 200,
            signed_in: false,
            bare: false,
        }
    }

    pub(crate) fn status(self, status: u16) -> Self {
        Self { status, ..self }
    }

    pub(crate) fn bare(self) -> Self {
        Self { bare: true, ..self }
    }

    pub(crate) fn signed_in(self) -> Self {
        Self {
            signed_in: true,
            ..self
        }
    }
}
