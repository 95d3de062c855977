//! The phase order without a phases × phases matrix (issue 9 budgets): on generated plans with
//! chains, fans, merges and cycles of `after`, `precedes`, `ancestors`, `earliest` and the phase
//! sets that rules ask "is one of these at or before this phase?" agree with a plain walk of
//! the `after` references.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::needless_range_loop)] // phases are indices in both tables

use std::fmt::Write as _;
use std::path::Path;

use odoo_order::check::Settings;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use proptest::prelude::*;

/// Each phase: `None` goes after the previous one; `Some(list)` names its predecessors (by
/// index, possibly later ones, so cycles happen).
fn plan_text(phases: &[Option<Vec<usize>>]) -> String {
    let mut t = String::from("odoo: \"17.0\"\nphases:\n");
    for (i, after) in phases.iter().enumerate() {
        write!(t, "  - id: p{i}\n    modules: [crm]\n").unwrap();
        if let Some(list) = after {
            let names: Vec<String> = list
                .iter()
                .map(|p| format!("p{}", p % phases.len()))
                .collect();
            writeln!(t, "    after: [{}]", names.join(", ")).unwrap();
        }
    }
    t
}

/// Reachability by walking the predecessors of each phase.
fn brute_force(phases: &[Option<Vec<usize>>]) -> Vec<Vec<bool>> {
    let n = phases.len();
    let preds: Vec<Vec<usize>> = phases
        .iter()
        .enumerate()
        .map(|(q, after)| match after {
            None if q > 0 => vec![q - 1],
            None => Vec::new(),
            Some(list) => list.iter().map(|p| p % n).collect(),
        })
        .collect();
    // before[q][p]: a path of one or more edges leads from p to q.
    (0..n)
        .map(|q| {
            let mut seen = vec![false; n];
            let mut stack = preds[q].clone();
            while let Some(p) = stack.pop() {
                if !seen[p] {
                    seen[p] = true;
                    stack.extend(&preds[p]);
                }
            }
            seen
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn precedence_agrees_with_a_walk(
        phases in proptest::collection::vec(
            proptest::option::weighted(0.5, proptest::collection::vec(0usize..40, 0..4)),
            1..40,
        ),
        subsets in proptest::collection::vec(proptest::collection::vec(0usize..40, 0..30), 1..4),
    ) {
        let text = plan_text(&phases);
        let plan = Plan::from_bytes(Path::new("p.yaml"), "p.yaml", text.as_bytes()).unwrap();
        let before = brute_force(&phases);
        let n = phases.len();
        let mut linter = Linter::new(Settings::default()).unwrap();
        linter.analyse(&plan, |g, _| {
            for q in 0..n {
                for p in 0..n {
                    // A phase precedes itself only through a cycle, and `precedes` says no then.
                    let expected = p != q && before[q][p];
                    assert_eq!(g.precedes(p, q), expected, "p{p} before p{q}\n{text}");
                    assert_eq!(g.is_or_precedes(p, q), p == q || expected, "{text}");
                }
                let ancestors: Vec<usize> = g.ancestors(q).collect();
                let expected: Vec<usize> = (0..n).filter(|&p| p != q && before[q][p]).collect();
                assert_eq!(ancestors, expected, "{text}");
            }
            for subset in &subsets {
                let subset: Vec<usize> = subset.iter().map(|p| p % n).collect();
                let set = g.phase_set(&subset);
                for q in 0..n {
                    let expected = subset.iter().any(|&p| p == q || before[q][p]);
                    assert_eq!(g.reached_by(&set, q), expected, "{subset:?} reach p{q}\n{text}");
                }
                let mut sorted = subset.clone();
                sorted.sort_unstable();
                sorted.dedup();
                let earliest: Vec<usize> = g.earliest(&sorted).collect();
                let expected: Vec<usize> = sorted
                    .iter()
                    .copied()
                    .filter(|&a| !sorted.iter().any(|&b| b != a && before[a][b]))
                    .collect();
                assert_eq!(earliest, expected, "earliest of {sorted:?}\n{text}");
            }
        }).unwrap();
    }
}
