//! Waivers are matched through an index (issue 9 budgets: many findings times many waivers,
//! each looking its rule up again, was quadratic). On generated plans and waivers, the findings
//! it hides are exactly those that the first live waiver in file order covers, as
//! `check::matches` says one by one.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

use odoo_order::check::{self, Settings};
use odoo_order::date::Date;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use proptest::prelude::*;

const MODULES: &[&str] = &[
    "account",
    "stock",
    "sale",
    "crm",
    "mrp",
    "l10n_fr",
    "sale_managment",
];
const RULES: &[&str] = &[
    "OO301",
    "accounting-not-first",
    "OO102",
    "OO201",
    "OO109",
    "layer-order",
    "OO303",
];

type Waiver = (usize, Option<usize>, Option<usize>, Option<usize>, bool);

fn text(phases: &[Vec<usize>], waivers: &[Waiver]) -> String {
    let mut t = String::from(
        "odoo: \"17.0\"\ncompanies:\n  - {id: a, country: FR}\n  - {id: b, country: BE}\nphases:\n",
    );
    for (i, modules) in phases.iter().enumerate() {
        let names: Vec<&str> = modules.iter().map(|&m| MODULES[m]).collect();
        let companies = match i % 3 {
            0 => "",
            1 => ", companies: [a]",
            _ => ", companies: [b]",
        };
        writeln!(
            t,
            "  - {{id: p{i}, modules: [{}]{companies}}}",
            names.join(", ")
        )
        .unwrap();
    }
    if !waivers.is_empty() {
        t.push_str("waivers:\n");
    }
    for &(rule, module, phase, company, expired) in waivers {
        write!(t, "  - {{rule: {}, reason: r", RULES[rule]).unwrap();
        if let Some(m) = module {
            write!(t, ", module: {}", MODULES[m]).unwrap();
        }
        if let Some(p) = phase {
            write!(t, ", phase: p{}", p % phases.len()).unwrap();
        }
        if let Some(c) = company {
            write!(t, ", company: {}", ["a", "b"][c % 2]).unwrap();
        }
        if expired {
            t.push_str(", until: 2020-01-01");
        }
        t.push_str("}\n");
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_waiver_index_agrees_with_matching_one_by_one(
        phases in proptest::collection::vec(proptest::collection::vec(0usize..7, 0..4), 1..6),
        waivers in proptest::collection::vec(
            (0usize..7, proptest::option::of(0usize..7), proptest::option::of(0usize..6),
             proptest::option::of(0usize..2), any::<bool>()),
            0..8,
        ),
    ) {
        let settings = Settings { today: Date::parse("2026-06-01").unwrap(), ..Settings::default() };
        let with = text(&phases, &waivers);
        let without = text(&phases, &[]);
        let plan = Plan::from_bytes(Path::new("p.yaml"), "p.yaml", with.as_bytes()).unwrap();
        let bare = Plan::from_bytes(Path::new("p.yaml"), "p.yaml", without.as_bytes()).unwrap();
        let mut linter = Linter::new(settings.clone()).unwrap();
        // Waivers are findings' subjects too (OO106 names what they point at that does not
        // exist, OO108 those that hide nothing): the comparison leaves those two out.
        let about_waivers = |f: &odoo_order::finding::Finding| f.code == "OO106" || f.code == "OO108";
        let all: Vec<_> = linter
            .check(&bare)
            .unwrap()
            .findings
            .into_iter()
            .filter(|f| !about_waivers(f))
            .collect();
        let outcome = linter.check(&plan).unwrap();
        let live: Vec<&odoo_order::plan::Waiver> = plan
            .waivers
            .iter()
            .filter(|w| w.until.as_ref().is_none_or(|u| u.value >= settings.today))
            .collect();
        let expected: Vec<_> = all
            .iter()
            .filter(|f| !live.iter().any(|w| check::matches(w, f)))
            .cloned()
            .collect();
        let kept: Vec<_> = outcome.findings.iter().filter(|f| !about_waivers(f)).cloned().collect();
        prop_assert_eq!(kept.len(), expected.len(), "{}", with);
        prop_assert!(outcome.waived >= all.len() - expected.len(), "{}", with);
        for (a, b) in kept.iter().zip(&expected) {
            prop_assert_eq!(&a.code, &b.code, "{}", with);
            prop_assert_eq!(&a.message, &b.message, "{}", with);
        }
        // Which waiver is used: the first in file order that covers each finding.
        let mut uses = vec![0_usize; plan.waivers.len()];
        for f in &all {
            if let Some(i) = plan.waivers.iter().position(|w| {
                w.until.as_ref().is_none_or(|u| u.value >= settings.today) && check::matches(w, f)
            }) {
                uses[i] += 1;
            }
        }
        let unused: Vec<usize> = (0..plan.waivers.len())
            .filter(|&i| uses[i] == 0)
            .collect();
        let reported = outcome.findings.iter().filter(|f| f.code == "OO108").count();
        prop_assert!(reported <= unused.len(), "{}", with);
    }
}
