//! The one escaping every text format applies to what comes from an input (module names, phase
//! ids, file names, snippets of the plan): a control character reaching a terminal or a CI log
//! can clear the screen, retitle the window or forge a line of output (`\r\nplan.yaml:1:1: …`),
//! so each is printed as Rust writes it in a string, `\u{1b}`.
//!
//! Besides the C0 and C1 controls and DEL, this covers the characters that reorder or break
//! lines without being controls: the Unicode bidirectional formatting characters ("Trojan
//! Source", which rustc escapes in its diagnostics for the same reason) and the line and
//! paragraph separators.

use std::borrow::Cow;

/// Whether a character is printed escaped.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Appends `c` to `out`, escaped as `\u{..}` when [`needs_escape`] says so.
pub fn push_escaped(out: &mut String, c: char) {
    if needs_escape(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// `text` with every character that [`needs_escape`] written as `\u{..}`; borrowed when there
/// is none, which is nearly always.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_written_as_rust_escapes() {
        assert_eq!(
            escape("p\x1b[2J\x1b]0;pwned\x07"),
            "p\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"
        );
        assert_eq!(
            escape("acc\r\nplan.yaml:1:1"),
            "acc\\u{d}\\u{a}plan.yaml:1:1"
        );
        assert_eq!(
            escape("\u{7f}\u{85}\u{202e}\u{2028}"),
            "\\u{7f}\\u{85}\\u{202e}\\u{2028}"
        );
        // Ordinary text, accents and tabs-free punctuation stay as they are, unallocated.
        assert!(matches!(escape("sale_management `é` ✓"), Cow::Borrowed(_)));
    }
}
