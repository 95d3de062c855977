//! Issue 9: every renderer is safe for any span and any input text. The human output used to
//! panic (exit 101, every finding lost) when a label sat past column 65,535 (item 1); control
//! characters from the plan reached the terminal and forged lines (item 10); CR-only files
//! were located on line 1 (item 5); whole-file problems looked like a real 1:1 (item 10).
//!
//! The long-line inputs are generated here rather than committed.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

use odoo_order::baseline::Baseline;
use odoo_order::check::Settings;
use odoo_order::finding::{Finding, Related, Severity};
use odoo_order::linter::Linter;
use odoo_order::report::snippet::{Label, MAX_LABELS, Snippet};
use odoo_order::report::{self, CheckRun, FileResult, concise, github, human, json, junit, sarif};
use odoo_order::source::{SourceFile, Span};
use serde_json::Value;

fn check(name: &str, text: &str) -> FileResult {
    let mut linter = Linter::new(Settings::default()).unwrap();
    linter.check_bytes(Path::new(name), name, text.as_bytes())
}

fn run_of(name: &str, text: &str) -> CheckRun {
    CheckRun {
        files: vec![check(name, text)],
        ..CheckRun::default()
    }
}

/// What a terminal can show safely: no control character but the line breaks we write, and no
/// line anywhere near the width where miette's layout breaks down.
fn assert_printable(text: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() < 1_000,
            "a line of {} characters",
            line.chars().count()
        );
        assert!(
            !line.chars().any(char::is_control),
            "a control character reached the output: {line:?}"
        );
    }
}

fn findings(run: &CheckRun) -> usize {
    run.reported().map(|(_, f)| f.len()).sum()
}

/// `human-panic-long-line.yaml`: a flow plan whose one line is 70,000 columns long, with a
/// misspelt module at its end.
#[test]
fn a_finding_past_column_65535_is_drawn_from_an_excerpt() {
    let line = format!(
        "phases: [{{id: a, name: {}, modules: [stokc]}}]",
        "x".repeat(70_000)
    );
    let text = format!("odoo: \"17.0\"\n{line}\n");
    let run = run_of("long.yaml", &text);
    let (out, err) = human::render_run(&run, false, 80);
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("unknown module `stokc`"), "{out}");
    let column = line.find("stokc").unwrap() + 1;
    assert!(out.contains(&format!("[long.yaml:2:{column}]")), "{out}");
    assert!(
        out.contains(" 2 │ …xxxx") && out.contains("xxxx, modules: [stokc]}]\n"),
        "the line is cut before the label: {out}"
    );
    assert_printable(&out);
}

/// `human-panic-long-line.plan.json`: a minified JSON plan, 1,500 empty phases on one line,
/// each a warning further right.
#[test]
fn a_minified_json_plan_renders_every_finding() {
    let mut text = String::from(
        r#"{"odoo":"17.0","phases":[{"id":"finance","modules":["account","l10n_fr"]}"#,
    );
    for i in 0..1_500 {
        write!(
            text,
            r#",{{"id":"site_{i}","name":"Warehouse site {i}","after":["finance"],"modules":[]}}"#
        )
        .unwrap();
    }
    text.push_str(r#",{"id":"late","modules":["sale_managment"]}]}"#);
    let run = run_of("plan.json", &text);
    assert!(findings(&run) > 1_500);
    let (out, err) = human::render_run(&run, false, 80);
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("unknown module `sale_managment`"));
    assert_eq!(
        out.matches("plans no modules").count(),
        1_500,
        "every finding is drawn"
    );
    assert_printable(&out);
}

/// `baseline-panic.py`: a minified baseline whose stale entries lie past column 65,535.
#[test]
fn stale_entries_of_a_one_line_baseline_render() {
    let dir = tempfile::tempdir().unwrap();
    let plan = "odoo: \"17.0\"\nphases:\n  - id: ops\n    modules: [stock]\n  - id: fin\n    modules: [account]\n";
    let entries: Vec<String> = (0..700)
        .map(|i| {
            format!(
                r#"{{"path":"plans/a.yaml","code":"OO301","rule":"accounting-not-first","company":null,"phase":"ops","module":"m{i}","count":1}}"#
            )
        })
        .collect();
    let base = dir.path().join("base.json");
    std::fs::write(
        &base,
        format!(r#"{{"version":1,"entries":[{}]}}"#, entries.join(",")),
    )
    .unwrap();
    let baseline = Baseline::load(&base).unwrap();
    let plan_path = dir.path().join("plans/a.yaml");
    let mut linter = Linter::new(Settings::default()).unwrap();
    let mut run = CheckRun {
        files: vec![linter.check_bytes(&plan_path, "plans/a.yaml", plan.as_bytes())],
        ..CheckRun::default()
    };
    baseline.apply(&mut run);
    let stale = run.stale.as_ref().expect("stale entries");
    assert_eq!(stale.findings.len(), 700);
    let (out, _) = human::render_run(&run, false, 80);
    assert_eq!(out.matches("matches no finding").count(), 700);
    assert_printable(&out);
}

/// A hard error (here a syntax error) past column 65,535 renders too.
#[test]
fn an_error_past_column_65535_renders() {
    let text = format!(
        "odoo: \"17.0\"\nphases: [{{id: a, name: {}, modules: [stock]}}}}]\n",
        "y".repeat(70_000)
    );
    let FileResult::Failed(err) = check("bad.yaml", &text) else {
        panic!("the plan is not valid YAML");
    };
    let out = human::render_error(&err, false, 80);
    assert!(out.contains("[bad.yaml:2:"), "{out}");
    assert!(out.contains('…'), "{out}");
    assert_printable(&out);
}

/// `escape-injection.yaml`: control characters from values are escaped in every text format,
/// and cannot forge a line.
#[test]
fn control_characters_from_the_plan_are_escaped() {
    let text = std::fs::read_to_string("tests/fixtures/render/escape-injection.yaml").unwrap();
    let run = run_of("escape-injection.yaml", &text);
    let (human, _) = human::render_run(&run, false, 80);
    let (concise, _) = concise::render_run(&run);
    let github = github::render_run(&run);
    for out in [&human, &concise, &github] {
        assert_printable(out);
        assert!(
            out.contains(r"acc\u{1b}[31mount\u{d}\u{a}plan.yaml:1:1"),
            "{out}"
        );
    }
    assert_eq!(
        concise.lines().count(),
        2,
        "one finding, one summary: {concise}"
    );
    assert!(!concise.lines().any(|l| l.starts_with("plan.yaml:1:1")));
    assert_eq!(github.lines().count(), 1, "{github}");
    // The machine formats carry the value exactly (JSON escapes it its own way).
    let json: Value = serde_json::from_str(&json::render_run(&run)).unwrap();
    assert!(
        json["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("acc\u{1b}[31mount\r\n")
    );
}

/// A raw control character in the file itself, shown in the excerpt under a diagnostic.
#[test]
fn control_characters_in_the_excerpt_are_escaped() {
    let file = SourceFile::new(
        "p.yaml",
        "p.yaml",
        "odoo: \"17.0\"\n# \u{1b}]0;title\u{7}\u{9b}2J\nphases: [\u{202e}x]\n",
    );
    let at = file.text().find('x').unwrap();
    let snippet = Snippet::new(&file, vec![Label::new(Span::new(at, 1), None, true)], 80);
    assert_eq!(
        snippet.text(),
        "# \\u{1b}]0;title\\u{7}\\u{9b}2J\nphases: [\\u{202e}x]\n"
    );
    let finding = Finding {
        span: Span::new(at, 1),
        label: "here".to_owned(),
        ..Finding::new(
            &odoo_order::rules::unknown_module::RULE,
            Span::default(),
            "m",
        )
    };
    let out = human::render_finding(&finding, &file, false, 80);
    assert!(out.contains("[p.yaml:3:11]"), "{out}");
    assert_printable(&out);
}

/// `cr-only-line-endings.yaml`: a file with lone `\r` line breaks is located line by line,
/// and drawn so.
#[test]
fn cr_only_files_are_located_and_drawn_by_line() {
    let text = "odoo: \"17.0\"\rphases:\r  - id: ops\r    modules: [stock]\r  - id: finance\r    modules: [account]\r";
    let run = run_of("cr.yaml", text);
    let (concise, _) = concise::render_run(&run);
    assert!(
        concise.starts_with("cr.yaml:4:15: error OO301 "),
        "{concise}"
    );
    let (human, _) = human::render_run(&run, false, 80);
    assert!(human.contains(" 4 │     modules: [stock]\n"), "{human}");
    assert_printable(&human);
}

/// Whole-file problems have no position, and no format makes one up.
#[test]
fn whole_file_problems_have_no_fake_position() {
    let run = run_of("empty.yaml", "");
    let json: Value = serde_json::from_str(&json::render_run(&run)).unwrap();
    let error = &json["errors"][0];
    assert_eq!(error["code"], "plan::empty");
    assert!(
        error["line"].is_null() && error["column"].is_null(),
        "{error}"
    );
    let sarif: Value = serde_json::from_str(&sarif::render_run(&run)).unwrap();
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        note["locations"][0]["physicalLocation"]["region"].is_null(),
        "{note}"
    );
    let (_, concise) = concise::render_run(&run);
    assert!(
        concise.starts_with("empty.yaml: error[plan::empty] "),
        "{concise}"
    );
    let junit = junit::render_run(&run);
    assert!(junit.contains("empty.yaml: the plan is empty"), "{junit}");
    let github = github::render_run(&run);
    assert!(!github.contains("line="), "{github}");
    let (_, human) = human::render_run(&run, false, 80);
    assert!(human.contains("empty.yaml: the plan is empty"), "{human}");
    // A real 1:1 keeps its position.
    let run = run_of("scalar.yaml", "x\n");
    let json: Value = serde_json::from_str(&json::render_run(&run)).unwrap();
    assert_eq!(json["errors"][0]["line"], 1);
    assert_eq!(json["errors"][0]["column"], 1);
}

/// `n` lines `  - m000`, numbered with `width` digits.
fn items(n: usize, width: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        writeln!(text, "  - m{i:0width$}").unwrap();
    }
    text
}

fn finding_with_related(file: &SourceFile, related: usize) -> Finding {
    let lines: Vec<usize> = (0..file.line_count() - 1).collect();
    let span = |line: usize| {
        let s = file.line_span(line).unwrap();
        Span::new(s.offset + 4, 3)
    };
    let mut f = Finding::new(
        &odoo_order::rules::unknown_module::RULE,
        span(lines[0]),
        "many places",
    )
    .label("here");
    f.severity = Severity::Error;
    f.related = lines[1..=related]
        .iter()
        .map(|&l| Related {
            span: span(l),
            message: format!("place {l}"),
            module: None,
            phase: None,
        })
        .collect();
    f
}

/// One diagnostic draws at most [`MAX_LABELS`] labels and says how many it left out; the
/// machine formats keep them all.
#[test]
fn labels_past_the_cap_are_counted_not_drawn() {
    let text = items(300, 3);
    let file = SourceFile::new("p.yaml", "p.yaml", text);
    let f = finding_with_related(&file, 200);
    let out = human::render_finding(&f, &file, false, 80);
    let left_out = 201 - MAX_LABELS;
    assert!(
        out.contains(&format!("{left_out} more locations are not drawn here")),
        "{out}"
    );
    assert_eq!(out.matches("place ").count(), MAX_LABELS - 1);
}

/// The excerpt holds the lines around the labels only, however big the file: drawing a
/// finding costs the same at line 5,000 as at line 5 (issue 9, item 8).
#[test]
fn the_excerpt_does_not_grow_with_the_file() {
    let text = items(10_000, 5);
    let file = SourceFile::new("p.yaml", "p.yaml", text);
    let at = file.line_span(4_999).unwrap().offset + 4;
    let snippet = Snippet::new(&file, vec![Label::new(Span::new(at, 6), None, true)], 80);
    assert_eq!(snippet.text(), "  - m04998\n  - m04999\n  - m05000\n");
    // A label over thousands of lines is drawn on its first line.
    let end = file.line_span(9_000).unwrap().offset;
    let snippet = Snippet::new(
        &file,
        vec![Label::new(Span::new(at, end - at), None, true)],
        80,
    );
    assert_eq!(snippet.text().lines().count(), 3, "{}", snippet.text());
    let finding = Finding::new(
        &odoo_order::rules::unknown_module::RULE,
        Span::new(at, end - at),
        "m",
    );
    let out = human::render_finding(&finding, &file, false, 80);
    assert!(out.contains("[p.yaml:5000:5]"), "{out}");
}

/// Far-apart labels get one excerpt each, with their own line numbers, not every line between.
#[test]
fn far_apart_labels_get_separate_excerpts() {
    let text = items(100, 3);
    let file = SourceFile::new("p.yaml", "p.yaml", text);
    let mut f = finding_with_related(&file, 1);
    f.related[0].span.offset = file.line_span(80).unwrap().offset + 4;
    let out = human::render_finding(&f, &file, false, 80);
    assert!(
        out.contains("[p.yaml:1:5]") && out.contains("[p.yaml:81:5]"),
        "{out}"
    );
    assert!(!out.contains("m040"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains(" │ ")).count(),
        5,
        "{out}"
    );
}

/// Summary strings of `--write-baseline` name the file escaped too.
#[test]
fn the_baseline_note_escapes_the_path() {
    let note = report::baseline_written(
        "b\u{1b}[2J.json",
        odoo_order::baseline::Written {
            entries: 1,
            findings: 1,
        },
    );
    assert_printable(&note);
}

/// The `installs` and `why` views print names from the plan escaped too; their JSON keeps
/// them exact.
#[test]
fn views_escape_names_from_the_plan() {
    use odoo_order::inspect::{installs, why};
    use odoo_order::plan::Plan;
    use odoo_order::report::style::Style;

    let text = std::fs::read_to_string("tests/fixtures/render/escape-injection.yaml").unwrap();
    let plan = Plan::from_bytes(Path::new("e.yaml"), "e.yaml", text.as_bytes()).unwrap();
    let mut linter = Linter::new(Settings::default()).unwrap();
    let view = linter.analyse(&plan, |g, _| installs::build(g)).unwrap();
    let out = report::installs::human(&view, Style::new(false));
    assert!(out.contains(r"p\u{1b}[2J\u{1b}]0;pwned\u{7}"), "{out}");
    assert_printable(&out);
    assert!(report::installs::json(&view).contains(r"p\u001b[2J"));
    let module = "acc\u{1b}[31mount\r\nplan.yaml:1:1: OO000 forged line";
    let view = linter
        .analyse(&plan, |g, outcome| {
            why::build(g, g.module_id(module).unwrap(), &outcome.findings)
        })
        .unwrap();
    let out = report::why::human(&view, &plan.file, Style::new(false));
    assert!(
        out.contains(r"acc\u{1b}[31mount\u{d}\u{a}plan.yaml"),
        "{out}"
    );
    assert_printable(&out);
}
