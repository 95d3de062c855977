//! `fix` and the views on generated plans written in every layout the format allows: one-line
//! and multi-line flow lists (comments after commas, several items a line, trailing commas,
//! commas that open lines), block lists (indented or not, a comment between `-` and its item),
//! items quoted, tagged, anchored or written over two lines,
//! `modules:` with no value or `~`, no `modules` key, flow-mapping phases, block scalars
//! holding `#`, lists and items shared through aliases, and `\n`, `\r\n` or `\r` line breaks.
//!
//! For each: nothing panics; `fix` never refuses such an ordinary layout; no module is lost or
//! duplicated and each phase ends with what it had, minus what `fix` says left, plus what it
//! says arrived; every comment, tag, anchor and alias is still there; what aliases share does
//! not move; the line breaks stay the file's; errors never grow; a second fix moves nothing;
//! and `installs`, `why` and `graph` render.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use odoo_order::check::Settings;
use odoo_order::finding::Severity;
use odoo_order::inspect::{diagram, installs, why};
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use odoo_order::report;
use odoo_order::source::SourceFile;
use proptest::prelude::*;

const MODULES: &[&str] = &[
    "account",
    "l10n_fr",
    "l10n_be",
    "stock",
    "stock_account",
    "mrp",
    "purchase",
    "sale_management",
    "crm",
    "point_of_sale",
    "project",
    "hr_expense",
    "sale_managment",
];

/// How an item is written.
#[derive(Debug, Clone, Copy)]
enum Item {
    Plain,
    DoubleQuoted,
    SingleQuoted,
    Tagged,
    Anchored,
    /// A double-quoted name over two lines (block lists only).
    TwoLines,
}

fn item_strategy() -> impl Strategy<Value = Item> {
    prop_oneof![
        6 => Just(Item::Plain),
        1 => Just(Item::DoubleQuoted),
        1 => Just(Item::SingleQuoted),
        1 => Just(Item::Tagged),
        1 => Just(Item::Anchored),
        1 => Just(Item::TwoLines),
    ]
}

/// A phase: its modules (name, how written, a comment after it), the style of its list, a
/// comment after the list, `after`, companies, a block-scalar name.
type PhaseSpec = (
    Vec<(usize, Item, bool)>,
    u8,
    bool,
    Option<Vec<usize>>,
    Option<Vec<usize>>,
    bool,
);

/// A generated plan and what it holds, to check the fix against.
#[derive(Debug, Clone)]
struct Generated {
    text: String,
    /// Every comment's unique word (`n12`).
    notes: Vec<String>,
    /// Every tag, anchor and alias as written.
    props: Vec<String>,
    /// Phases whose list an alias shares: their lists must not change.
    shared: Vec<usize>,
    eol: &'static str,
}

struct Writer {
    y: String,
    notes: Vec<String>,
    props: Vec<String>,
    anchors: usize,
}

impl Writer {
    fn note(&mut self) -> String {
        let word = format!("n{}", self.notes.len());
        self.notes.push(word.clone());
        format!("# {word}")
    }

    fn item(&mut self, module: &str, how: Item) -> String {
        match how {
            Item::Plain => module.to_owned(),
            Item::DoubleQuoted => format!("\"{module}\""),
            Item::SingleQuoted => format!("'{module}'"),
            Item::Tagged => {
                self.props.push("!!str".to_owned());
                format!("!!str {module}")
            }
            Item::Anchored => {
                let anchor = format!("&a{}", self.anchors);
                self.anchors += 1;
                self.props.push(anchor.clone());
                format!("{anchor} {module}")
            }
            Item::TwoLines => format!("\"{module}\n        \""),
        }
    }
}

#[allow(clippy::too_many_lines)] // one generator reads best as one function
fn plan_strategy() -> impl Strategy<Value = Generated> {
    let phase = (
        proptest::collection::vec((0..MODULES.len(), item_strategy(), any::<bool>()), 0..5),
        0u8..14,
        any::<bool>(),
        proptest::option::of(proptest::collection::vec(0usize..6, 0..2)),
        proptest::option::of(proptest::collection::vec(0usize..2, 1..3)),
        proptest::bool::weighted(0.15),
    );
    (
        proptest::collection::vec(phase, 1..6),
        any::<bool>(),
        0u8..3,
        proptest::bool::weighted(0.15),
    )
        .prop_map(
            |(phases, companies, eol, alias): (Vec<PhaseSpec>, bool, u8, bool)| {
                let mut w = Writer {
                    y: String::new(),
                    notes: Vec::new(),
                    props: Vec::new(),
                    anchors: 0,
                };
                let top = w.note();
                let _ = writeln!(w.y, "{top}\nodoo: \"17.0\"");
                if companies {
                    w.y.push_str(
                        "companies:\n  - id: c0\n    country: FR\n  - id: c1\n    country: BE\n",
                    );
                }
                w.y.push_str("phases:\n");
                let mut shared = Vec::new();
                let mut list_anchor: Option<usize> = None;
                for (i, (modules, style, list_comment, after, comps, block_name)) in
                    phases.iter().enumerate()
                {
                    let after = after.as_ref().map(|after| {
                        let names: Vec<String> = after
                            .iter()
                            .filter(|&&a| a < i)
                            .map(|a| format!("p{a}"))
                            .collect();
                        names.join(", ")
                    });
                    let comps = match (companies, comps) {
                        (true, Some(comps)) => {
                            let mut names: Vec<String> =
                                comps.iter().map(|c| format!("c{c}")).collect();
                            names.dedup();
                            Some(names.join(", "))
                        }
                        _ => None,
                    };
                    let items: Vec<(String, bool)> = modules
                        .iter()
                        .map(|&(m, how, comment)| (w.item(MODULES[m], how), comment))
                        .collect();
                    let joined = |sep: &str| {
                        items
                            .iter()
                            .map(|(t, _)| t.as_str())
                            .collect::<Vec<_>>()
                            .join(sep)
                    };
                    // A flow-mapping phase.
                    if *style == 9 {
                        let mut line = format!("  - {{id: p{i}");
                        if let Some(a) = &after {
                            let _ = write!(line, ", after: [{a}]");
                        }
                        if let Some(c) = &comps {
                            let _ = write!(line, ", companies: [{c}]");
                        }
                        if !items.is_empty() {
                            let _ = write!(line, ", modules: [{}]", joined(", "));
                        }
                        let note = w.note();
                        let _ = writeln!(w.y, "{line}}}   {note}");
                        continue;
                    }
                    let note = w.note();
                    let _ = writeln!(w.y, "  - id: p{i}   {note}");
                    if let Some(a) = &after {
                        let _ = writeln!(w.y, "    after: [{a}]");
                    }
                    if let Some(c) = &comps {
                        let _ = writeln!(w.y, "    companies: [{c}]");
                    }
                    if *block_name {
                        let _ = writeln!(w.y, "    name: |\n      Phase # {i}\n      second line");
                    }
                    let tail = if *list_comment {
                        format!("  {}", w.note())
                    } else {
                        String::new()
                    };
                    // The first list may be anchored, for the last phase to repeat it.
                    let anchor = if alias
                        && list_anchor.is_none()
                        && matches!(style, 0 | 1)
                        && !items.is_empty()
                    {
                        list_anchor = Some(i);
                        shared.push(i);
                        w.props.push("&shared".to_owned());
                        "&shared "
                    } else {
                        ""
                    };
                    match (style, items.is_empty()) {
                        (0, _) => {
                            let _ = writeln!(w.y, "    modules: {anchor}[{}]{tail}", joined(", "));
                        }
                        (1 | 8, false) => {
                            let _ = writeln!(w.y, "    modules: {anchor}{tail}");
                            let dash = if *style == 1 { "      - " } else { "    - " };
                            for (text, comment) in &items {
                                let note = if *comment {
                                    format!("   {}", w.note())
                                } else {
                                    String::new()
                                };
                                let _ = writeln!(w.y, "{dash}{text}{note}");
                            }
                        }
                        (2, false) => {
                            let _ = writeln!(w.y, "    modules: [{tail}");
                            for (text, comment) in &items {
                                let note = if *comment {
                                    format!("  {}", w.note())
                                } else {
                                    String::new()
                                };
                                let _ = writeln!(w.y, "      {text},{note}");
                            }
                            w.y.push_str("    ]\n");
                        }
                        (3, true) => {
                            let _ = writeln!(w.y, "    modules:{tail}");
                        }
                        (4, true) => {
                            let _ = writeln!(w.y, "    modules: ~{tail}");
                        }
                        // Several items a line, a comment after a comma on the line of `[`.
                        // Commas opening the lines.
                        (10, false) => {
                            let note = w.note();
                            let _ = writeln!(w.y, "    modules: [{}   {note}", items[0].0);
                            for (text, _) in &items[1..] {
                                let _ = writeln!(w.y, "      , {text}");
                            }
                            let _ = writeln!(w.y, "      ]{tail}");
                        }
                        // A comment between each `-` and its item.
                        (11, false) => {
                            let _ = writeln!(w.y, "    modules:{tail}");
                            for (text, _) in &items {
                                let note = w.note();
                                let _ = writeln!(w.y, "      - {note}\n        {text}");
                            }
                        }
                        (6 | 7, false) => {
                            let (first, rest) = items.split_first().unwrap();
                            let note = w.note();
                            let _ = write!(w.y, "    modules: [{}, {note}\n      ", first.0);
                            let rest: Vec<&str> = rest.iter().map(|(t, _)| t.as_str()).collect();
                            let close = if *style == 6 { "]" } else { "\n    ]" };
                            let _ = writeln!(w.y, "{}{close}{tail}", rest.join(", "));
                        }
                        (_, true) => {
                            // No list written, so no comment after it.
                            if *list_comment {
                                w.notes.pop();
                            }
                        }
                        (_, false) => {
                            let _ = writeln!(w.y, "    modules: [{}]{tail}", joined(","));
                        }
                    }
                }
                if list_anchor.is_some() {
                    let n = phases.len();
                    let note = w.note();
                    let _ = writeln!(w.y, "  - id: p{n}   {note}\n    modules: *shared");
                    w.props.push("*shared".to_owned());
                    shared.push(n);
                }
                let end = w.note();
                w.y.push_str(&end);
                w.y.push('\n');
                let eol = ["\n", "\r\n", "\r"][usize::from(eol)];
                Generated {
                    text: w.y.replace('\n', eol),
                    notes: w.notes,
                    props: w.props,
                    shared,
                    eol,
                }
            },
        )
}

fn errors(linter: &mut Linter, plan: &Plan) -> usize {
    linter
        .check(plan)
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

/// Each phase's modules, as counts by name.
fn placement(plan: &Plan) -> Vec<BTreeMap<String, i64>> {
    plan.phases
        .iter()
        .map(|p| {
            let mut counts = BTreeMap::new();
            for m in &p.modules {
                *counts.entry(m.value.clone()).or_insert(0) += 1;
            }
            counts
        })
        .collect()
}

fn occurrences(text: &str, word: &str) -> usize {
    text.matches(word).count()
}

proptest! {
    // 256 cases in a test run; `PROPTEST_CASES=20000 cargo test --release --test fix_props`
    // is the longer campaign.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn fix_and_views_on_generated_plans(g in plan_strategy()) {
        let text = &g.text;
        let mut linter = Linter::new(Settings::default()).unwrap();
        let file = SourceFile::new(Path::new("p.yaml"), "p.yaml", text.clone());
        let plan = Plan::parse(file)
            .map_err(|e| TestCaseError::fail(format!("does not load: {e}\n{text}")))?;
        // Every layout here is an ordinary one: fix edits it.
        let fixed = odoo_order::fix::fix(&mut linter, &plan)
            .map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        let after_text = fixed.after.text().to_owned();
        let after = Plan::parse(fixed.after.clone())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{after_text}")))?;

        // No module lost or added: each phase has what it had, minus what left, plus what came.
        let mut expected = placement(&plan);
        for m in &fixed.moves {
            *expected[m.from].entry(m.module.clone()).or_insert(0) -= 1;
            *expected[m.to].entry(m.module.clone()).or_insert(0) += 1;
        }
        for counts in &mut expected {
            counts.retain(|_, n| *n != 0);
        }
        prop_assert_eq!(placement(&after), expected, "{}\n---\n{}", text, after_text);
        for &q in &g.shared {
            prop_assert!(
                !fixed.moves.iter().any(|m| m.from == q || m.to == q),
                "moved through an alias:\n{}\n---\n{}", text, after_text
            );
        }

        // Every comment, tag, anchor and alias is still there, once.
        for note in &g.notes {
            let word = format!("# {note}");
            prop_assert_eq!(
                occurrences(&after_text, &format!("{word}{}", g.eol)) + occurrences(&after_text, &format!("{word} ")) + usize::from(after_text.ends_with(&word)),
                1, "`{}`:\n{}\n---\n{}", word, text, after_text
            );
        }
        for prop in &g.props {
            prop_assert_eq!(occurrences(&after_text, prop), occurrences(text, prop), "`{}`:\n{}\n---\n{}", prop, text, after_text);
        }
        // Line breaks stay the file's.
        let breaks = |t: &str| (t.matches("\r\n").count(), t.matches('\n').count(), t.matches('\r').count());
        let (crlf, lf, cr) = breaks(&after_text);
        match g.eol {
            "\r\n" => prop_assert!(crlf == lf && crlf == cr, "{:?}", after_text),
            "\r" => prop_assert_eq!(lf, 0, "{:?}", after_text),
            _ => prop_assert_eq!(cr, 0, "{:?}", after_text),
        }

        prop_assert!(fixed.errors_after() <= errors(&mut linter, &plan), "{}", after_text);
        let second = odoo_order::fix::fix(&mut linter, &after).unwrap();
        prop_assert!(second.moves.is_empty(), "second fix moved:\n{}", after_text);
        let _ = report::fix::diff(&fixed, report::style::Style::new(false));

        linter.analyse(&plan, |g, outcome| {
            let view = installs::build(g);
            let _ = report::installs::human(&view, report::style::Style::new(false));
            let d = diagram::build(g, &outcome.findings);
            let _ = (report::graph::dot(&d), report::graph::mermaid(&d), report::graph::gantt(&d));
            for m in ["account", "stock", "sale", "base"] {
                if let Some(id) = g.module_id(m) {
                    let w = why::build(g, id, &outcome.findings);
                    let _ = report::why::human(&w, &plan.file, report::style::Style::new(false));
                }
            }
        }).unwrap();
    }
}
