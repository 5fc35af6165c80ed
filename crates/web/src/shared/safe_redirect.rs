//! Where to send someone after they sign in: only ever a path on this site.
//!
//! Browsers are generous with `Location` headers: they drop tabs and newlines anywhere
//! (so `/\t/evil.example` becomes `//evil.example`, another site), treat `\` as `/`, and
//! ignore leading spaces. A header value with a control character cannot be sent at all.
//! So a `next` address is accepted only when it is plainly a path: one leading `/`,
//! nothing but visible ASCII, and the same still true once percent-escapes are decoded.

/// `next` if it is safe to redirect to: a path on this site, never another site
/// (`//evil.example`, `/\evil.example`, `https://evil.example`, `/%09/evil.example`).
pub(crate) fn local_path(next: Option<&str>) -> Option<&str> {
    next.filter(|next| is_local_path(next))
}

fn is_local_path(next: &str) -> bool {
    // Visible ASCII only: no whitespace, no control characters (tab, newline, NUL, DEL),
    // nothing a header value cannot carry.
    if !next.bytes().all(|byte| byte.is_ascii_graphic()) {
        return false;
    }
    // Invalid escapes are kept as they are, so an encoded tab, slash or backslash is judged
    // as the character it stands for.
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    is_single_slash_path(next)
        && is_single_slash_path(&decoded)
        && !decoded.chars().any(char::is_control)
}

/// Starts with exactly one `/`, not followed by another `/` or `\` (which browsers read
/// as the start of another host's address).
fn is_single_slash_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn paths_on_this_site_are_kept() {
        for good in [
            "/",
            "/partnerships",
            "/partnerships/p1/need?tab=data&x=1",
            "/search?q=early%20years",
        ] {
            assert_eq!(local_path(Some(good)), Some(good), "{good}");
        }
    }

    #[test]
    fn other_sites_and_unsendable_addresses_are_refused() {
        for bad in [
            "",
            "partnerships",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\0",
            "/\u{7f}",
            "/ /evil.example",
            "/caf\u{e9}",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%0A",
            "/%00",
            "/%7F",
        ] {
            assert_eq!(local_path(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(local_path(None), None);
    }
}
