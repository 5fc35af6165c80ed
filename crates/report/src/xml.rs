//! Escaping user text for the XML the Word document and the slides are written in.

/// Escapes text for XML character data or a double-quoted attribute value, dropping the
/// characters XML 1.0 cannot hold at all (control characters other than tab, line feed and
/// carriage return, and U+FFFE/U+FFFF), so that no user text can make the file unreadable.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // In an attribute these would be normalised to spaces; keep them.
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            c if allowed(c) => escaped.push(c),
            _ => {}
        }
    }
    escaped
}

/// Whether XML 1.0 allows the character (tab, line feed and carriage return are handled
/// before this is asked).
fn allowed(c: char) -> bool {
    !(c < '\u{20}' || c == '\u{fffe}' || c == '\u{ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_control_characters_cannot_break_the_xml() {
        let text = "Café #1 <b>$5</b> *x* \\ \"q\" 'a' & =SUM(A1)\u{0}\u{1b}\ttab";
        let escaped = escape(text);
        let xml = format!("<a b=\"{escaped}\">{escaped}</a>");
        let parsed = roxmltree::Document::parse(&xml).expect("well-formed");
        let root = parsed.root_element();
        let kept = "Café #1 <b>$5</b> *x* \\ \"q\" 'a' & =SUM(A1)\ttab";
        assert_eq!(root.text(), Some(kept));
        assert_eq!(root.attribute("b"), Some(kept));
    }
}
