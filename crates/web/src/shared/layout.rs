//! What every page shares: its title, the navigation and the asset addresses that the
//! base template (`templates/shared/base.html`) needs.

use std::sync::LazyLock;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::shared::assets;
use crate::shared::auth::Auth;

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
        href: "/toolkit",
        text: "Toolkit",
    },
    NavItem {
        href: "/search",
        text: "Search",
    },
    NavItem {
        href: "/join",
        text: "Join a workshop",
    },
    NavItem {
        href: "/partnerships",
        text: "Partnerships",
    },
];

/// Who is looking at the page, as the header shows them.
#[derive(Clone, Debug)]
pub(crate) struct Viewer {
    pub display_name: String,
    pub is_site_admin: bool,
}

tokio::task_local! {
    /// The signed-in person for the request being handled, set by [`with_viewer`] so that
    /// every page's header can show it without each handler passing it along.
    static VIEWER: Option<Viewer>;
}

/// Middleware: makes the signed-in person (if any) known to [`Layout::new`] while the
/// request's handler runs.
pub(crate) async fn with_viewer(auth: Auth, request: Request, next: Next) -> Response {
    let viewer = auth.user.map(|user| Viewer {
        display_name: user.display_name,
        is_site_admin: user.is_site_admin,
    });
    VIEWER.scope(viewer, next.run(request)).await
}

/// The page-independent part of every page.
pub(crate) struct Layout {
    /// The page's own title; the browser title appends " – Cradle".
    pub title: String,
    /// The path of the navigation item to mark as current, if any.
    pub current: &'static str,
    pub assets: &'static AssetUrls,
    pub navigation: &'static [NavItem],
    /// The signed-in person, if any.
    pub viewer: Option<Viewer>,
}

impl Layout {
    pub fn new(title: impl Into<String>, current: &'static str) -> Self {
        Self {
            title: title.into(),
            current,
            assets: &ASSET_URLS,
            navigation: NAVIGATION,
            viewer: VIEWER.try_with(Clone::clone).ok().flatten(),
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
