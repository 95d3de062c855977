//! Issue 11: on an 80-column terminal nothing breaks mid-word. The human report is laid out
//! for the width it is given: messages, help, labels and the summary wrap at spaces, and a
//! source line wider than the report is cut around its labels (with `…`) instead of being
//! left to the terminal, which would wrap it in the middle of a word.
//!
//! Each check renders at a fixed width and asserts that no line is wider (so the terminal
//! wraps nothing) and that every word of every text odoo-order wrote is still whole.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use odoo_order::check::Settings;
use odoo_order::error::Error;
use odoo_order::linter::Linter;
use odoo_order::report::snippet::{Label, Snippet};
use odoo_order::report::{CheckRun, human};
use odoo_order::source::{SourceFile, Span};

/// Plans with lines wider than a terminal and long messages.
const PLANS: &[&str] = &[
    "tests/fixtures/render/long-lines.yaml",
    "tests/fixtures/plans/every-problem.yaml",
    "tests/fixtures/plans/many-findings.yaml",
    "tests/fixtures/rules/OO107/fail-unknown-depends.yaml",
    "tests/fixtures/baseline/bad-values.json",
    "examples/crm-first.yaml",
    "examples/acme-rollout.yaml",
];

fn run_of(path: &str) -> CheckRun {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read(&full).unwrap();
    let mut linter = Linter::new(Settings::default()).unwrap();
    CheckRun {
        files: vec![linter.check_bytes(&full, path, &text)],
        ..CheckRun::default()
    }
}

/// Every line of `out` fits in `width` columns (all the report's glyphs are one column wide),
/// but the `╭─[path:line:column]` header of an excerpt: the path is one word, which cannot be
/// wrapped at a space (a terminal shows it on two lines, as it does any long path).
fn assert_fits(out: &str, width: usize, what: &str) {
    for line in out.lines().filter(|l| !l.trim_start().starts_with("╭─[")) {
        assert!(
            line.chars().count() <= width,
            "{what}: a line of {} columns at width {width}, which the terminal would wrap \
             mid-word:\n{line}\n\n{out}",
            line.chars().count()
        );
    }
}

/// Every word of `text` is somewhere in `out` whole: wrapped at a space, never inside a word.
fn assert_words_whole(out: &str, text: &str, what: &str) {
    for word in text.split_whitespace() {
        assert!(
            out.contains(word),
            "{what}: the word {word:?} is not whole in:\n{out}"
        );
    }
}

#[test]
fn every_report_fits_80_and_60_columns_with_words_whole() {
    let mut seen = 0;
    for path in PLANS {
        let run = run_of(path);
        for width in [80, 60] {
            let (out, err) = human::render_run(&run, false, width);
            let what = format!("{path} at {width}");
            assert_fits(&out, width, &what);
            assert_fits(&err, width, &what);
            for (_, findings) in run.reported() {
                for f in findings {
                    seen += 1;
                    assert_words_whole(&out, &f.message, &what);
                    assert_words_whole(&out, &f.help, &what);
                    assert_words_whole(&out, &f.label, &what);
                    for r in &f.related {
                        assert_words_whole(&out, &r.message, &what);
                    }
                }
            }
        }
    }
    assert!(seen > 40, "the plans gave only {seen} findings");
}

/// Hard errors wrap too: the problems of an invalid file, and a plain `error:` line and its
/// help.
#[test]
fn errors_fit_the_width() {
    for path in [
        "tests/fixtures/plans/every-problem.yaml",
        "tests/fixtures/plans/bad-values.yaml",
    ] {
        let run = run_of(path);
        for width in [80, 60] {
            let (_, err) = human::render_run(&run, false, width);
            assert!(err.contains("error["), "{path}: {err}");
            assert_fits(&err, width, path);
        }
    }
    let help = "name the plan files, or run from the folder that holds them: discovery looks \
                for plan.yaml, *.plan.yaml and odoo-plan.yaml";
    let usage = Error::usage(
        "two machine formats cannot share standard output, which would be one invalid stream",
        Some(help.to_owned()),
    );
    for width in [80, 60] {
        let out = human::render_error(&usage, false, width);
        assert!(out.starts_with("error: two machine"), "{out}");
        assert_fits(&out, width, "usage");
        assert_words_whole(&out, help, "usage");
    }
}

/// The cut keeps the labelled text, says where it cut, and falls at a space when one is near.
#[test]
fn a_long_line_is_cut_around_its_label_at_a_space() {
    let line = format!(
        "  - {{id: a, name: \"{}\", modules: [crm, stokc, sale]}}",
        "word ".repeat(40)
    );
    let text = format!("odoo: \"17.0\"\nphases:\n{line}\n");
    let file = SourceFile::new("p.yaml", "p.yaml", text.as_str());
    let at = text.find("stokc").unwrap();
    let label = Label::new(Span::new(at, 5), Some("not in the catalog".into()), true);
    let snippet = Snippet::new(&file, vec![label], 80);
    let cut = snippet.text().lines().nth(1).unwrap();
    assert!(cut.starts_with('…'), "{cut}");
    assert!(cut.contains("modules: [crm, stokc, sale]}"), "{cut}");
    // After the ellipsis comes a whole word, not the tail of one.
    assert!(cut.starts_with("…word "), "{cut}");
    assert!(cut.chars().count() <= 80 - 5, "{cut}");
    // The line that fits is whole.
    assert_eq!(snippet.text().lines().next(), Some("phases:"));
}

/// A label far right on a line that fits still gets room for its text: the line is cut on
/// the left rather than the label overflowing.
#[test]
fn a_label_far_right_moves_its_line_left() {
    let text = format!(
        "odoo: \"17.0\"\nphases:\n  - id: a\n    modules: [{}stokc]\n",
        "account, ".repeat(6)
    );
    let run = CheckRun {
        files: vec![Linter::new(Settings::default()).unwrap().check_bytes(
            Path::new("p.yaml"),
            "p.yaml",
            text.as_bytes(),
        )],
        ..CheckRun::default()
    };
    let (out, _) = human::render_run(&run, false, 80);
    assert_fits(&out, 80, "far right");
    assert!(out.contains("not in the Odoo 17.0 catalog"), "{out}");
}
