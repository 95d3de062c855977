//! The rule registry's contract: stable, unique, well-named codes; documentation in every doc
//! comment; a passing and a failing fixture per rule; a README table and
//! `docs/rules.md` that match the generated docs.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use odoo_order::report::rules as docs;
use odoo_order::rules::{self, RULES};

#[test]
fn codes_are_unique_stable_and_sorted() {
    let mut seen = BTreeSet::new();
    for r in RULES {
        assert!(seen.insert(r.code), "duplicate code {}", r.code);
        assert!(seen.insert(r.name), "duplicate name {}", r.name);
        let digits = r.code.strip_prefix("OO").expect("codes start with OO");
        assert!(
            digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{}",
            r.code
        );
        assert!(
            matches!(&digits[..1], "1" | "2" | "3"),
            "{}: groups are 1xx, 2xx, 3xx",
            r.code
        );
    }
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted, "RULES is listed in code order");
    // The public contract of design §5: these codes and names never change.
    let expected = [
        ("OO101", "unknown-module"),
        ("OO102", "duplicate-module"),
        ("OO103", "empty-phase"),
        ("OO104", "go-live-order"),
        ("OO105", "phase-cycle"),
        ("OO106", "unknown-reference"),
        ("OO107", "enterprise-module"),
        ("OO108", "unused-waiver"),
        ("OO109", "missing-localization"),
        ("OO110", "already-installed"),
        ("OO111", "not-on-odoo-online"),
        ("OO201", "dependency-in-later-phase"),
        ("OO202", "unplanned-dependency"),
        ("OO203", "auto-install-bridge"),
        ("OO204", "missing-dependency"),
        ("OO205", "shadowed-addon"),
        ("OO301", "accounting-not-first"),
        ("OO302", "layer-order"),
        ("OO303", "crm-without-sales"),
        ("OO304", "books-outside-odoo"),
        ("OO305", "opening-balance-too-early"),
        ("OO306", "einvoicing-mandate"),
    ];
    let actual: Vec<(&str, &str)> = RULES.iter().map(|r| (r.code, r.name)).collect();
    assert_eq!(actual, expected);
}

#[test]
fn names_are_kebab_case_problems() {
    for r in RULES {
        assert!(
            r.name
                .split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
            "{} is not kebab-case",
            r.name
        );
        // RFC 0344: a name states the bad thing, so it never starts with an instruction.
        for prefix in ["no-", "check-", "require-", "enforce-"] {
            assert!(
                !r.name.starts_with(prefix),
                "{} names a fix, not a problem",
                r.name
            );
        }
        assert_eq!(rules::find(r.code).map(|x| x.name), Some(r.name));
        assert_eq!(rules::find(r.name).map(|x| x.code), Some(r.code));
        assert_eq!(
            rules::find(&r.code.to_lowercase()).map(|x| x.code),
            Some(r.code)
        );
    }
}

#[test]
fn every_rule_is_documented() {
    let sections = [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## How to fix",
    ];
    for r in RULES {
        let doc = r.documentation();
        let mut last = 0;
        for s in sections {
            let at = doc
                .find(s)
                .unwrap_or_else(|| panic!("{}: missing `{s}`", r.code));
            assert!(at >= last, "{}: `{s}` out of order", r.code);
            last = at;
            let body = doc[at + s.len()..].trim_start();
            assert!(!body.starts_with("##"), "{}: `{s}` is empty", r.code);
        }
        assert!(
            doc.contains("```yaml"),
            "{}: the example is a YAML plan",
            r.code
        );
        assert!(
            !r.summary.ends_with('.'),
            "{}: summaries have no trailing period",
            r.code
        );
    }
}

#[test]
fn every_rule_has_a_passing_and_a_failing_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for r in RULES {
        let dir = root.join(r.code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixture folder {}", r.code, dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("pass")
                    && Path::new(n).extension().is_some_and(|e| e == "yaml")),
            "{}: no pass fixture",
            r.code
        );
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("fail")
                    && Path::new(n).extension().is_some_and(|e| e == "yaml")),
            "{}: no fail fixture",
            r.code
        );
    }
}

/// Replaces what stands between a generated section's markers.
fn splice(text: &str, file: &str, name: &str, content: &str) -> String {
    let begin = format!("<!-- begin {name}: generated by `cargo test`, do not edit -->\n");
    let end = format!("<!-- end {name} -->");
    let start = text
        .find(&begin)
        .unwrap_or_else(|| panic!("{file} lacks the {name} markers"))
        + begin.len();
    let stop = text[start..].find(&end).expect("end marker") + start;
    format!("{}{content}{}", &text[..start], &text[stop..])
}

/// Fails when a generated section of `file` differs from what the rules' doc comments give;
/// `ODOO_ORDER_BLESS=1` rewrites it instead, as insta does for snapshots (CI never sets it).
fn generated(file: &str, sections: &[(&str, String)]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut fresh = text.clone();
    for (name, content) in sections {
        fresh = splice(&fresh, file, name, content);
    }
    if fresh != text {
        if std::env::var_os("ODOO_ORDER_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        } else {
            panic!(
                "{file}'s generated rule sections are stale: run `ODOO_ORDER_BLESS=1 cargo test --test registry`"
            );
        }
    }
}

#[test]
fn readme_rule_table_is_generated() {
    generated("README.md", &[("rule table", docs::readme_table())]);
}

#[test]
fn docs_rules_md_is_generated() {
    generated(
        "docs/rules.md",
        &[
            ("rule table", docs::markdown_table()),
            ("rule reference", docs::markdown_reference()),
        ],
    );
}

/// Every link `rule.url()` gives (SARIF `helpUri`, the language server, JSON `url`) lands on a
/// heading of `docs/rules.md`, whose GitHub anchor is the lowercased code and name.
#[test]
fn rule_urls_point_at_headings_of_docs_rules_md() {
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"))
        .unwrap();
    for r in RULES {
        assert!(
            r.url().ends_with(&format!("/docs/rules.md#{}", r.anchor())),
            "{}",
            r.url()
        );
        assert!(
            page.contains(&format!("\n## {} {}\n", r.code, r.name)),
            "docs/rules.md has no heading for {}",
            r.code
        );
    }
}
