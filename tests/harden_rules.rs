//! The rules rewritten for linear time (issue 9 budgets) against their plain definitions, on
//! generated plans where phases cover every company, one, or the other: OO102 reports each
//! later entry against the first earlier entry sharing a company, OO303 each company that gets
//! CRM but never a module that installs `sale`.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use odoo_order::check::Settings;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use odoo_order::ruledata::Layer;
use proptest::prelude::*;

const MODULES: &[&str] = &[
    "crm",
    "sale",
    "sale_management",
    "stock",
    "account",
    "website_sale",
    "crm_iap_mine",
];

fn text(phases: &[(Vec<usize>, u8)]) -> String {
    let mut t = String::from(
        "odoo: \"17.0\"\ncompanies:\n  - {id: a}\n  - {id: b}\n  - {id: c}\nphases:\n",
    );
    for (i, (modules, cover)) in phases.iter().enumerate() {
        let names: Vec<&str> = modules.iter().map(|&m| MODULES[m]).collect();
        let companies = [
            "",
            ", companies: [a]",
            ", companies: [b, c]",
            ", companies: []",
            ", companies: [c, a]",
        ][usize::from(*cover % 5)];
        writeln!(
            t,
            "  - {{id: p{i}, modules: [{}]{companies}}}",
            names.join(", ")
        )
        .unwrap();
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn duplicates_and_crm_without_sales_follow_their_definitions(
        phases in proptest::collection::vec((proptest::collection::vec(0usize..7, 0..4), any::<u8>()), 1..7),
    ) {
        let t = text(&phases);
        let plan = Plan::from_bytes(Path::new("p.yaml"), "p.yaml", t.as_bytes()).unwrap();
        let mut linter = Linter::new(Settings::default()).unwrap();
        linter.analyse(&plan, |g, outcome| {
            let found = |code: &str| -> BTreeSet<(usize, Option<String>)> {
                outcome.findings.iter().filter(|f| f.code == code)
                    .map(|f| (f.span.offset, f.company.clone())).collect()
            };
            let company = |c: usize| g.company_id(c).map(str::to_owned);
            // OO102, one entry at a time.
            let mut expected = BTreeSet::new();
            for occs in &g.planned_in {
                for (k, &later) in occs.iter().enumerate() {
                    let l = g.occurrences[later];
                    let hit = occs[..k].iter().find_map(|&e| {
                        let e = g.occurrences[e];
                        g.phase_companies[l.phase].iter().copied().find(|&c| g.covers(e.phase, c))
                    });
                    if let Some(c) = hit {
                        expected.insert((l.span.offset, company(c)));
                    }
                }
            }
            assert_eq!(found("OO102"), expected, "OO102\n{t}");
            // OO303, one company at a time.
            let sale = g.module_id("sale").unwrap();
            let mut brings = vec![false; g.modules.len()];
            brings[sale] = true;
            let mut stack = vec![sale];
            while let Some(m) = stack.pop() {
                for d in g.dependents(m) {
                    if !brings[d] { brings[d] = true; stack.push(d); }
                }
            }
            let mut expected = BTreeSet::new();
            for c in 0..g.companies.len() {
                let covered: Vec<_> = g.occurrences.iter().filter(|o| g.covers(o.phase, c)).collect();
                if covered.iter().any(|o| brings[o.module]) {
                    continue;
                }
                if let Some(o) = covered.iter().find(|o| g.modules[o.module].layer == Some(Layer::Crm)) {
                    expected.insert((o.span.offset, company(c)));
                }
            }
            assert_eq!(found("OO303"), expected, "OO303\n{t}");
        }).unwrap();
    }
}
