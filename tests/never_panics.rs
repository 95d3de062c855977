//! Whatever the bytes, checking a plan returns findings or a located error, never a panic;
//! and on well-formed plans the result is deterministic and every span is valid.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

use odoo_order::check::Settings;
use odoo_order::linter::Linter;
use odoo_order::report::{
    CheckRun, FileResult, concise, github, gitlab, human, json, junit, sarif,
};
use proptest::prelude::*;

fn render_all(result: FileResult) {
    let run = CheckRun {
        files: vec![result],
        ..CheckRun::default()
    };
    let _ = human::render_run(&run, false, 80);
    let _ = concise::render_run(&run);
    let _ = json::render_run(&run);
    // The CI formats must not panic either, and their JSON must stay JSON.
    for text in [sarif::render_run(&run), gitlab::render_run(&run)] {
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "{text}"
        );
    }
    let _ = github::render_run(&run);
    let _ = junit::render_run(&run);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut linter = Linter::new(Settings::default()).unwrap();
        render_all(linter.check_bytes(Path::new("fuzz.yaml"), "fuzz.yaml", &bytes));
    }

    #[test]
    fn arbitrary_yaml_shaped_text(text in "(odoo: \"17.0\"\n)?(phases:\n)?((  - id: [a-z]{1,3}\n)|(    modules: \\[[a-z_, ]{0,20}\\]\n)|(    after: \\[[a-z]{0,3}\\]\n)|([ \t:{}\\[\\],&*!|>'\"#-]{0,6}\n)){0,12}") {
        let mut linter = Linter::new(Settings::default()).unwrap();
        render_all(linter.check_bytes(Path::new("fuzz.yaml"), "fuzz.yaml", text.as_bytes()));
    }

    #[test]
    fn arbitrary_well_formed_plans(plan in plan_strategy()) {
        let mut linter = Linter::new(Settings::default()).unwrap();
        let first = linter.check_bytes(Path::new("p.yaml"), "p.yaml", plan.as_bytes());
        let second = linter.check_bytes(Path::new("p.yaml"), "p.yaml", plan.as_bytes());
        match (&first, &second) {
            (FileResult::Checked { file, outcome }, FileResult::Checked { outcome: again, .. }) => {
                prop_assert_eq!(&outcome.findings, &again.findings, "deterministic");
                for f in &outcome.findings {
                    prop_assert!(f.span.end() <= file.text().len());
                    prop_assert!(file.text().is_char_boundary(f.span.offset));
                    for r in &f.related {
                        prop_assert!(r.span.end() <= file.text().len());
                    }
                }
            }
            (FileResult::Failed(e), _) => {
                // Generated plans may repeat an id or a key; that must be a located error.
                let text = e.to_string();
                prop_assert!(text.contains("declared twice") || text.contains("duplicate"), "{}\n{}", text, plan);
            }
            _ => prop_assert!(false, "same input, different outcome"),
        }
        render_all(first);
    }
}

/// A hard failure renders in every shape without a panic, and every span it carries is valid.
fn render_failure(err: &odoo_order::error::Error) {
    if let odoo_order::error::Error::Invalid(inv) = err {
        for p in &inv.problems {
            if let Some(span) = p.span {
                assert!(span.end() <= inv.file.text().len(), "{p:?}");
            }
        }
    }
    let _ = human::render_error(err, false, 80);
    let _ = concise::render_error(err);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Configurations and baselines share the plan's loader and its error wording (issue 9):
    /// arbitrary bytes give settings or a located error, never a panic.
    #[test]
    fn arbitrary_configurations_and_baselines(
        bytes in proptest::collection::vec(any::<u8>(), 0..256),
        text in "((rules|fail_on|layers|extra_rules|addons_path|version|entries|include)?[ :\\[\\]{}\"'&*!#,-]{0,4}(deny|allow|crm|\\\\uD800|é|1|\\n|  ){0,3}\n){0,8}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        for content in [bytes.as_slice(), text.as_bytes()] {
            let config = dir.path().join("odoo-order.yaml");
            std::fs::write(&config, content).unwrap();
            if let Err(err) = odoo_order::config::Config::load(&config, &odoo_order::config::Overrides::default()) {
                render_failure(&err);
            }
            let baseline = dir.path().join("baseline.json");
            std::fs::write(&baseline, content).unwrap();
            if let Err(err) = odoo_order::baseline::Baseline::load(&baseline) {
                render_failure(&err);
            }
        }
    }
}

const MODULES: &[&str] = &[
    "account",
    "l10n_fr",
    "l10n_be",
    "stock",
    "mrp",
    "purchase",
    "sale",
    "sale_management",
    "crm",
    "point_of_sale",
    "project",
    "hr",
    "hr_expense",
    "website_sale",
    "helpdesk",
    "account_accountant",
    "sale_managment",
    "acme_custom",
    "l10n_zz",
    "stock_account",
    "sale_stock",
];

fn plan_strategy() -> impl Strategy<Value = String> {
    let phase = (
        proptest::collection::vec(proptest::sample::select(MODULES), 0..6),
        proptest::option::of(proptest::collection::vec(0usize..8, 0..3)),
        proptest::option::of(proptest::collection::vec(0usize..4, 0..3)),
        proptest::option::of((1u8..=28, 1u8..=12)),
    );
    (
        proptest::collection::vec(phase, 1..8),
        0usize..4,
        proptest::collection::vec((0usize..4, 0usize..16, any::<bool>()), 0..3),
        any::<bool>(),
    )
        .prop_map(|(phases, companies, waivers, enterprise)| {
            let mut y = String::from("odoo: \"17.0\"\n");
            if enterprise {
                y.push_str("edition: enterprise\n");
            }
            if companies > 0 {
                y.push_str("companies:\n");
                for c in 0..companies {
                    let country = ["FR", "BE", "DE", "US"][c];
                    let _ = writeln!(y, "  - id: c{c}\n    country: {country}");
                }
            }
            y.push_str("phases:\n");
            for (i, (modules, after, comps, date)) in phases.iter().enumerate() {
                let _ = writeln!(y, "  - id: p{i}");
                if let Some(after) = after {
                    let names: Vec<String> = after.iter().map(|a| format!("p{a}")).collect();
                    let _ = writeln!(y, "    after: [{}]", names.join(", "));
                }
                if let Some(comps) = comps {
                    let names: Vec<String> = comps.iter().map(|c| format!("c{c}")).collect();
                    let _ = writeln!(y, "    companies: [{}]", names.join(", "));
                }
                if let Some((d, m)) = date {
                    let _ = writeln!(y, "    go_live: 2026-{m:02}-{d:02}");
                }
                let _ = writeln!(y, "    modules: [{}]", modules.join(", "));
            }
            if !waivers.is_empty() {
                y.push_str("waivers:\n");
                for (rule, module, expired) in waivers {
                    let rule = ["OO201", "layer-order", "OO999", "crm-without-sales"][rule];
                    let module = MODULES[module];
                    let until = if expired { "2020-01-01" } else { "2099-01-01" };
                    let _ = writeln!(y, "  - rule: {rule}\n    module: {module}\n    reason: generated\n    until: {until}");
                }
            }
            y
        })
}
