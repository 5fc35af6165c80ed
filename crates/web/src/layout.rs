//! What every page shares: its title, the navigation and the asset addresses that the
//! base template (`templates/base.html`) needs.

use std::sync::LazyLock;

use crate::assets;

/// Asset addresses, worked out once.
pub(crate) struct AssetUrls {
    pub css: String,
    pub js: String,
    pub js_enabled: String,
    pub favicon: String,
}

static ASSET_URLS: LazyLock<AssetUrls> = LazyLock::new(|| AssetUrls {
    css: assets::url("cradle.css"),
    js: assets::url("cradle.js"),
    js_enabled: assets::url("js-enabled.js"),
    favicon: assets::url("favicon.svg"),
});

/// A link in the service navigation.
pub(crate) struct NavItem {
    pub href: &'static str,
    pub text: &'static str,
}

const NAVIGATION: &[NavItem] = &[
    NavItem {
        href: "/",
        text: "Home",
    },
    NavItem {
        href: "/partnerships",
        text: "Partnerships",
    },
];

/// The page-independent part of every page.
pub(crate) struct Layout {
    /// The page's own title; the browser title appends " – Cradle".
    pub title: String,
    /// The path of the navigation item to mark as current, if any.
    pub current: &'static str,
    pub assets: &'static AssetUrls,
    pub navigation: &'static [NavItem],
}

impl Layout {
    pub fn new(title: impl Into<String>, current: &'static str) -> Self {
        Self {
            title: title.into(),
            current,
            assets: &ASSET_URLS,
            navigation: NAVIGATION,
        }
    }

    /// Is `href` the current section? The home link only matches the home page.
    pub fn is_current(&self, href: &str) -> bool {
        if href == "/" {
            self.current == "/"
        } else {
            self.current.starts_with(href)
        }
    }
}
