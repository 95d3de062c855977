//! Realistic rollout plans (`tests/fixtures/plans/realistic/`), each written from Odoo's
//! manifests and consultancy practice with its expected verdict in a header line:
//!
//! ```yaml
//! # expect: clean                  no error and no warning
//! # expect: OO109                  exactly these codes among errors and warnings
//! # expect: OO302 (warning)        ... at this severity
//! ```
//!
//! Infos (bridges, unknown Enterprise dependencies) are not part of a verdict. A sound plan
//! that the tool flags is the worst defect it can have, so `clean` is asserted as strictly as
//! a finding.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use odoo_order::check::Settings;
use odoo_order::date::Date;
use odoo_order::finding::Severity;
use odoo_order::linter::Linter;
use odoo_order::report::FileResult;

fn plans() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plans/realistic");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    out
}

/// The expected codes, each with its severity when the header gives one.
fn expected(text: &str, path: &Path) -> BTreeMap<String, Option<Severity>> {
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("# expect:"))
        .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()));
    let line = line.trim();
    if line == "clean" {
        return BTreeMap::new();
    }
    let mut out = BTreeMap::new();
    let mut last: Option<String> = None;
    for word in line.split_whitespace() {
        let word = word.trim_matches(',');
        match word {
            "(warning)" | "(error)" => {
                let severity = if word == "(warning)" {
                    Severity::Warning
                } else {
                    Severity::Error
                };
                let code = last.clone().expect("a severity follows a code");
                out.insert(code, Some(severity));
            }
            code => {
                assert!(
                    code.len() == 5 && code.starts_with("OO"),
                    "{}: `{code}` is not a rule code",
                    path.display()
                );
                out.insert(code.to_owned(), None);
                last = Some(code.to_owned());
            }
        }
    }
    out
}

#[test]
fn realistic_plans_get_the_verdict_their_header_states() {
    let plans = plans();
    assert!(plans.len() >= 15, "only {} realistic plans", plans.len());
    let mut failures = Vec::new();
    for path in &plans {
        let text = std::fs::read_to_string(path).unwrap();
        let want = expected(&text, path);
        let mut linter = Linter::new(Settings {
            today: Date::parse("2026-06-01").unwrap(),
            ..Settings::default()
        })
        .unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let FileResult::Checked { outcome, .. } = linter.check_path(path, name) else {
            panic!("{name} did not load");
        };
        let got: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        let mut codes: BTreeMap<String, Vec<Severity>> = BTreeMap::new();
        for f in &got {
            codes
                .entry(f.code.to_string())
                .or_default()
                .push(f.severity);
        }
        let same_codes = codes.keys().eq(want.keys());
        let same_severities = want.iter().all(|(code, severity)| {
            severity.is_none_or(|s| codes.get(code).is_some_and(|v| v.iter().all(|x| *x == s)))
        });
        if !same_codes || !same_severities {
            let shown: Vec<String> = got
                .iter()
                .map(|f| format!("  {} [{}] {}", f.code, f.severity, f.message))
                .collect();
            failures.push(format!(
                "{name}: expected {want:?}, got:\n{}",
                shown.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_verdict_header_is_read_strictly() {
    let p = Path::new("x.yaml");
    assert!(expected("# expect: clean\n", p).is_empty());
    let got = expected("# a plan\n# expect: OO109 (warning), OO301\n", p);
    assert_eq!(got.get("OO109"), Some(&Some(Severity::Warning)));
    assert_eq!(got.get("OO301"), Some(&None));
    assert_eq!(got.len(), 2);
}
