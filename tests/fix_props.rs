//! `fix` and the views on generated plans written in every list style the format allows
//! (one-line and multi-line flow lists, block lists, `modules:` with no value, no `modules`
//! key, comments after items and lists): nothing panics, the edit is always one `fix` can
//! verify, errors never grow, comments survive, a second fix moves nothing, and `installs`,
//! `why` and `graph` render.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

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
    "\"quoted_mod\"",
];

/// A phase: its modules, the style of its list, a comment per item, `after`, companies.
type PhaseSpec = (
    Vec<(usize, bool)>,
    u8,
    bool,
    Option<Vec<usize>>,
    Option<Vec<usize>>,
);

fn plan_strategy() -> impl Strategy<Value = String> {
    let phase = (
        proptest::collection::vec((0..MODULES.len(), any::<bool>()), 0..5),
        0u8..5,
        any::<bool>(),
        proptest::option::of(proptest::collection::vec(0usize..6, 0..2)),
        proptest::option::of(proptest::collection::vec(0usize..2, 1..3)),
    );
    (proptest::collection::vec(phase, 1..6), any::<bool>()).prop_map(
        |(phases, companies): (Vec<PhaseSpec>, bool)| {
            let mut y = String::from("# generated\nodoo: \"17.0\"\n");
            if companies {
                y.push_str(
                    "companies:\n  - id: c0\n    country: FR\n  - id: c1\n    country: BE\n",
                );
            }
            y.push_str("phases:\n");
            for (i, (modules, style, list_comment, after, comps)) in phases.iter().enumerate() {
                let _ = writeln!(y, "  - id: p{i}   # phase {i}");
                if let Some(after) = after {
                    let names: Vec<String> = after
                        .iter()
                        .filter(|&&a| a < i)
                        .map(|a| format!("p{a}"))
                        .collect();
                    let _ = writeln!(y, "    after: [{}]", names.join(", "));
                }
                if let (true, Some(comps)) = (companies, comps) {
                    let mut names: Vec<String> = comps.iter().map(|c| format!("c{c}")).collect();
                    names.dedup();
                    let _ = writeln!(y, "    companies: [{}]", names.join(", "));
                }
                let names: Vec<&str> = modules.iter().map(|&(m, _)| MODULES[m]).collect();
                let tail = if *list_comment { "  # list" } else { "" };
                match (style, names.is_empty()) {
                    (0, _) => {
                        let _ = writeln!(y, "    modules: [{}]{tail}", names.join(", "));
                    }
                    (1, false) => {
                        let _ = writeln!(y, "    modules:{tail}");
                        for &(m, comment) in modules {
                            let note = if comment {
                                format!("   # about {}", MODULES[m].trim_matches('"'))
                            } else {
                                String::new()
                            };
                            let _ = writeln!(y, "      - {}{note}", MODULES[m]);
                        }
                    }
                    (2, false) => {
                        let _ = writeln!(y, "    modules: [{tail}");
                        for &(m, comment) in modules {
                            let note = if comment {
                                format!("  # on {}", MODULES[m].trim_matches('"'))
                            } else {
                                String::new()
                            };
                            let _ = writeln!(y, "      {},{note}", MODULES[m]);
                        }
                        y.push_str("    ]\n");
                    }
                    (3, true) => {
                        let _ = writeln!(y, "    modules:{tail}");
                    }
                    (_, true) => {}
                    (_, false) => {
                        let _ = writeln!(y, "    modules: [{}]", names.join(","));
                    }
                }
            }
            y.push_str("# end\n");
            y
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

fn comments(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.find('#').map(|i| l[i + 1..].trim()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn fix_and_views_on_generated_plans(text in plan_strategy()) {
        let mut linter = Linter::new(Settings::default()).unwrap();
        let file = SourceFile::new(Path::new("p.yaml"), "p.yaml", text.clone());
        let Ok(plan) = Plan::parse(file) else {
            // Generated ids never repeat, so every plan loads.
            return Err(TestCaseError::fail(format!("does not load:\n{text}")));
        };
        let fixed = odoo_order::fix::fix(&mut linter, &plan)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let after_text = fixed.after.text().to_owned();
        prop_assert!(fixed.errors_after() <= errors(&mut linter, &plan), "{}", after_text);
        for comment in comments(&text) {
            prop_assert!(after_text.contains(comment), "lost `{}`:\n{}\n---\n{}", comment, text, after_text);
        }
        let again = Plan::parse(fixed.after.clone()).unwrap();
        let second = odoo_order::fix::fix(&mut linter, &again).unwrap();
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
