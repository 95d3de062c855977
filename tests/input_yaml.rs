//! The YAML loader shared by plans, configurations and baselines (issue 9, item 10 and what it
//! asks to keep): legitimate alias reuse is accepted, alias bombs and deep nesting stay capped
//! with located errors, duplicate keys and multi-document files are rejected, and each kind of
//! file is worded as itself.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

use odoo_order::baseline::Baseline;
use odoo_order::error::{Error, InvalidFile};
use odoo_order::plan::Plan;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/plans")
        .join(name)
}

fn invalid(err: Error) -> InvalidFile {
    match err {
        Error::Invalid(inv) => *inv,
        other => panic!("expected an invalid file, got {other}"),
    }
}

/// The one problem of an invalid file: code, line, column (0 when unlocated), message.
fn only_problem(err: Error) -> (&'static str, usize, usize, String) {
    let inv = invalid(err);
    assert_eq!(inv.problems.len(), 1, "{:?}", inv.problems);
    let p = &inv.problems[0];
    // A whole-file problem has no position: 0:0 here, which no real position can be.
    let (line, column) = inv.location(p).map_or((0, 0), |at| (at.line, at.column));
    (p.code, line, column, p.message.clone())
}

fn plan(text: &str) -> Result<Plan, Error> {
    Plan::from_bytes(Path::new("p.yaml"), "p.yaml", text.as_bytes())
}

/// `alias-reuse-100.yaml`: a hundred phases naming one list of companies through an alias were
/// rejected as "too complex".
#[test]
fn a_hundred_aliases_of_one_anchor_are_a_plan() {
    let plan = Plan::from_path(&fixture("alias-reuse.yaml"), "alias-reuse.yaml").unwrap();
    assert_eq!(plan.phases.len(), 101);
    let last = plan.phases.last().unwrap();
    let companies: Vec<&str> = last
        .companies
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(companies, ["fr", "be"]);
}

/// Alias bombs stay capped, with the error located in the file.
#[test]
fn alias_bombs_are_capped_with_a_location() {
    // One list of a thousand modules replayed by 250 phases: 250,000 replayed events.
    let mut text = String::from("odoo: \"17.0\"\nphases:\n  - id: p0\n    modules: &a [");
    text.push_str(
        &(0..1000)
            .map(|i| format!("m{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    text.push_str("]\n");
    for i in 1..250 {
        writeln!(text, "  - id: p{i}\n    modules: *a").unwrap();
    }
    let (code, line, _, message) = only_problem(plan(&text).unwrap_err());
    assert_eq!(code, "plan::syntax");
    assert!(
        line > 4,
        "located where the cap was hit, not at 1:1 ({line})"
    );
    assert!(message.contains("too large or too complex"), "{message}");

    // Sixty thousand aliases of one scalar.
    let text = format!(
        "odoo: \"17.0\"\nphases:\n  - id: p\n    modules: [&s x, {}]\n",
        vec!["*s"; 60_000].join(", ")
    );
    let (code, line, _, message) = only_problem(plan(&text).unwrap_err());
    assert_eq!((code, line), ("plan::syntax", 4));
    assert!(message.contains("too large or too complex"), "{message}");
}

/// Deep nesting, duplicate keys and several documents are still rejected, each located.
#[test]
fn nesting_duplicates_and_documents_are_rejected() {
    let deep = format!(
        "odoo: \"17.0\"\nphases: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let (code, line, _, _) = only_problem(plan(&deep).unwrap_err());
    assert_eq!((code, line), ("plan::syntax", 2));
    // Every problem of the file at once (issue 11, item 5): the repeated key and the empty
    // list of phases.
    let duplicate = "odoo: \"17.0\"\nphases: []\nodoo: \"18.0\"\n";
    let inv = invalid(plan(duplicate).unwrap_err());
    let found: Vec<_> = inv
        .problems
        .iter()
        .map(|p| {
            let at = inv.location(p).unwrap();
            (p.code, at.line, at.column)
        })
        .collect();
    assert_eq!(
        found,
        [("plan::no-phases", 2, 9), ("plan::duplicate-key", 3, 1)]
    );
    let documents = "odoo: \"17.0\"\nphases: []\n---\nodoo: \"17.0\"\nphases: []\n";
    let (code, line, _, message) = only_problem(plan(documents).unwrap_err());
    assert_eq!((code, line), ("plan::syntax", 4), "{message}");
}

/// `syntax-after-accents.yaml`: the error is where the parser says, after any amount of
/// non-ASCII text, also on a line that has some before the error.
#[test]
fn syntax_errors_after_non_ascii_text_are_located_right() {
    let mut text = "# é\n".repeat(100);
    text.push_str("odoo: \"17.0\"\nphases:\n  - id: p\n    modules: [compta_é, @stock]\n");
    let (code, line, column, _) = only_problem(plan(&text).unwrap_err());
    assert_eq!((code, line, column), ("plan::syntax", 104, 25));
    let inv = invalid(plan(&text).unwrap_err());
    let span = inv.problems[0].span.unwrap();
    assert_eq!(inv.file.slice(span), "@");
}

/// `"\uD800"` was reported as "`modules` must be a single value (a string)".
#[test]
fn a_lone_surrogate_escape_says_what_it_is() {
    let err = Plan::from_path(&fixture("surrogate-escape.yaml"), "s.yaml").unwrap_err();
    let (code, line, column, message) = only_problem(err);
    assert_eq!((code, line, column), ("plan::syntax", 5, 15));
    assert!(message.contains("surrogate"), "{message}");
    assert!(!message.contains("must be"), "{message}");
}

/// A baseline is worded as a baseline, and a non-UTF-8 one gets a position like a plan.
#[test]
fn baseline_errors_speak_of_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.json");
    let load = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        only_problem(Baseline::load(&path).unwrap_err())
    };
    let (code, line, column, message) = load(b"[]\n");
    assert_eq!(
        (code, line, column, message.as_str()),
        (
            "baseline::syntax",
            1,
            1,
            "a baseline must be a mapping with `version:` and `entries:` keys"
        )
    );
    let (code, _, _, message) = load(b"\n");
    assert_eq!(
        (code, message.as_str()),
        ("baseline::empty", "the baseline is empty")
    );
    let (code, line, column, message) = load(b"{\"version\": 1,\n \"entries\": [\"caf\xe9\"]}\n");
    assert_eq!(
        (code, line, column, message.as_str()),
        (
            "baseline::encoding",
            2,
            18,
            "the baseline is not UTF-8 text"
        )
    );
    let (code, _, _, message) = load(b"{\"version\": 1, \"entries\": [], \"extra\": 1}\n");
    assert_eq!(
        (code, message.as_str()),
        ("baseline::unknown-key", "unknown key `extra`")
    );
}

/// Issue 11, item 5: a misspelt key, a bad date and a repeated id are reported by one run,
/// each located, with every other structural problem of the file (as cargo-deny reports every
/// configuration error at once), in file order, and the run exits 2.
#[test]
fn every_structural_problem_is_reported_in_one_run() {
    let text = "odoo: \"17.0\"\nphases:\n  - id: finance\n    go_live: 2026-02-30\n    \
                modules: [account]\n  - id: finance\n    go_lve: 2026-03-01\n";
    let found: Vec<(&str, usize)> = {
        let inv = invalid(plan(text).unwrap_err());
        inv.problems
            .iter()
            .map(|p| (p.code, inv.location(p).unwrap().line))
            .collect()
    };
    assert_eq!(
        found,
        [
            ("plan::bad-date", 4),
            ("plan::duplicate-id", 6),
            ("plan::unknown-key", 7)
        ]
    );

    let path = fixture("every-problem.yaml");
    let inv = invalid(Plan::from_path(&path, "every-problem.yaml").unwrap_err());
    let mut listing = String::new();
    for p in &inv.problems {
        let at = inv.location(p).unwrap();
        writeln!(
            listing,
            "{}:{}: {} {} [{}]{}",
            at.line,
            at.column,
            p.code,
            p.message,
            p.label,
            p.help
                .as_deref()
                .map(|h| format!(" help: {h}"))
                .unwrap_or_default()
        )
        .unwrap();
    }
    insta::assert_snapshot!("every_problem", listing);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .arg("check")
        .arg(&path)
        .args(["--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let printed =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        printed.matches("every-problem.yaml:").count(),
        inv.problems.len(),
        "{printed}"
    );
}

/// A file that is not YAML at all has one problem: nothing after a syntax error can be read.
#[test]
fn a_syntax_error_is_the_only_problem_reported() {
    let path = fixture("syntax.yaml");
    let err = Plan::from_path(&path, "syntax.yaml").unwrap_err();
    let (code, line, _, _) = only_problem(err);
    assert_eq!((code, line), ("plan::syntax", 5));
}

/// The every-problem pass checks a plan against the JSON Schema of the plan's serde types: on
/// every plan the loader accepts (the examples and every plan fixture), it must find nothing,
/// or it would report problems serde does not have.
#[test]
fn the_schema_check_accepts_every_plan_the_loader_accepts() {
    use odoo_order::source::SourceFile;
    use odoo_order::yaml;

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<odoo_order::plan::raw::Plan>()
        .to_value();
    let mut todo = vec![root.join("examples"), root.join("tests/fixtures")];
    let mut accepted = 0;
    while let Some(path) = todo.pop() {
        if path.is_dir() {
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let Ok(plan) = Plan::from_path(&path, "p.yaml") else {
            continue;
        };
        let file = SourceFile::new(&path, "p.yaml", plan.file.text());
        let tree = yaml::tree::read(&file).expect("an accepted plan is YAML");
        let found = yaml::tree::check(&file, &tree, &schema, &yaml::PLAN);
        assert!(found.is_empty(), "{}: {found:?}", path.display());
        accepted += 1;
    }
    assert!(accepted > 50, "only {accepted} plans were checked");
}
