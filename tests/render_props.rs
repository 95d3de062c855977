//! Issue 9, item 1 as a class: the human renderer is safe for any span in any text. Lines of
//! any length (past miette's 65,535-column limit), every line break style, tabs, control and
//! wide characters, labels anywhere (even past the end or inside a character): drawing never
//! panics, prints no control character, keeps every line far below the limit, and points the
//! header at the primary label's real line and column.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use odoo_order::finding::{Finding, Related};
use odoo_order::report::human;
use odoo_order::source::{SourceFile, Span};
use proptest::prelude::*;

/// Text as runs of one character: short runs mostly, now and then one past 65,535 columns.
fn text() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'x', ' ', ':', '-', '[', ']', '\n', '\r', '\t', 'é', '漢', '\u{1b}', '\u{7}', '\u{85}',
        '\u{202e}', '😀',
    ]);
    let run = (
        chars,
        prop_oneof![20 => 1_usize..40, 1 => 65_000_usize..70_000],
    );
    prop::collection::vec(run, 0..30).prop_map(|runs| {
        runs.into_iter()
            .map(|(c, n)| c.to_string().repeat(n))
            .collect()
    })
}

/// A span as fractions of the text, so that it lands anywhere, and a length that may overrun.
fn span() -> impl Strategy<Value = (u32, usize, bool)> {
    (
        any::<u32>(),
        prop_oneof![0_usize..20, 0_usize..200_000],
        any::<bool>(),
    )
}

fn at(text: &str, (fraction, len, on_char): (u32, usize, bool)) -> Span {
    let offset =
        usize::try_from(u64::from(fraction) * (text.len() as u64 + 8) / (1 << 32)).unwrap();
    let offset = if on_char {
        let mut o = offset.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    } else {
        offset
    };
    Span::new(offset, len)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_span_in_any_text_is_drawn(
        text in text(),
        primary in span(),
        related in prop::collection::vec(span(), 0..8),
    ) {
        let file = SourceFile::new("p.yaml", "p.yaml", text.as_str());
        let primary = at(&text, (primary.0, primary.1, true));
        let mut finding = Finding::new(
            &odoo_order::rules::unknown_module::RULE,
            primary,
            "a \u{1b}[2J message",
        )
        .label("the label \r\n");
        finding.related = related
            .into_iter()
            .map(|s| Related {
                span: at(&text, s),
                message: "related \u{7}".to_owned(),
                module: None,
                phase: None,
            })
            .collect();
        let out = human::render_finding(&finding, &file, false, 80);
        for line in out.lines() {
            prop_assert!(line.chars().count() < 20_000, "a line of {} characters", line.chars().count());
            prop_assert!(!line.chars().any(char::is_control), "{line:?}");
        }
        let lc = file.line_col(primary.offset);
        let header = format!("[p.yaml:{}:{}]", lc.line, lc.column);
        prop_assert!(out.contains(&header), "{header} missing from:\n{out}");
    }
}
