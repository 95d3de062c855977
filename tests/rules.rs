//! Every rule against its fixtures: `tests/fixtures/rules/<CODE>/{pass,fail}*.yaml`.
//!
//! The whole rule set runs (so the one-root-cause-one-finding interplay between rules is part
//! of what is tested), and the snapshot keeps the findings of the folder's rule only, one
//! line each in the concise shape plus their related locations and help. `pass*` fixtures
//! must produce no finding of their rule and `fail*` fixtures at least one, whatever the
//! snapshots say.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use odoo_order::check::Settings;
use odoo_order::date::Date;
use odoo_order::linter::Linter;
use odoo_order::report::FileResult;

/// Waiver expiry is checked against this day, so fixtures do not change with the calendar.
fn fixed_settings() -> Settings {
    Settings {
        today: Date::parse("2026-06-01").unwrap(),
        ..Settings::default()
    }
}

fn render(path: &Path) -> (String, usize) {
    let code = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    let mut linter = Linter::new(fixed_settings()).unwrap();
    let FileResult::Checked { file, outcome } = linter.check_path(path, name) else {
        panic!("{name} did not load");
    };
    let mut out = String::new();
    let mut count = 0;
    for f in outcome.findings.iter().filter(|f| f.code == code) {
        count += 1;
        let at = file.line_col(f.span.offset);
        out.push_str(&format!(
            "{name}:{}:{}: {} [{}] {}\n",
            at.line, at.column, f.code, f.severity, f.message
        ));
        for r in &f.related {
            let at = file.line_col(r.span.offset);
            out.push_str(&format!(
                "  related {}:{}: {}\n",
                at.line, at.column, r.message
            ));
        }
        if let Some(company) = &f.company {
            out.push_str(&format!("  company: {company}\n"));
        }
        out.push_str(&format!("  help: {}\n", f.help));
    }
    (out, count)
}

#[test]
fn rule_fixtures() {
    insta::glob!("fixtures/rules/*/*.yaml", |path| {
        let (out, count) = render(path);
        let stem = path.file_stem().unwrap().to_str().unwrap();
        if stem.starts_with("pass") {
            assert_eq!(
                count,
                0,
                "{} must not report its rule:\n{out}",
                path.display()
            );
        } else {
            assert!(
                stem.starts_with("fail"),
                "fixture names start with pass or fail: {}",
                path.display()
            );
            assert!(count > 0, "{} must report its rule", path.display());
        }
        insta::assert_snapshot!(out);
    });
}
