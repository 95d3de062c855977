//! The domain knowledge the rules rest on, against the reference manifests in
//! `../shared/odoo/<series>.json`: which module is each country's chart package, which
//! localizations are accounting, and which modules the journal-entry data says post entries.
//! Without `../shared` the checks say "skipped" and pass, except under `CI`, where they fail.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers: a panic is a test failure"
)]

use std::collections::{BTreeMap, BTreeSet};

mod support;

use odoo_order::catalog::{Catalog, SUPPORTED_SERIES};
use odoo_order::modgraph::ModuleGraph;
use odoo_order::ruledata::{Layer, RuleData};
use serde::Deserialize;

#[derive(Deserialize)]
struct Manifests {
    addons: BTreeMap<String, Manifest>,
}

#[derive(Deserialize)]
struct Manifest {
    depends: Vec<String>,
    category: String,
    countries: Vec<String>,
}

fn reference(series: &str) -> Option<Manifests> {
    let path = support::shared(&format!("odoo/{series}.json"))?;
    Some(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

/// Whether `name` installs `target` through its manifests' `depends`.
fn installs(facts: &Manifests, name: &str, target: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![name];
    while let Some(m) = stack.pop() {
        if m == target {
            return true;
        }
        if let Some(f) = facts.addons.get(m) {
            for d in &f.depends {
                if seen.insert(d.as_str()) {
                    stack.push(d);
                }
            }
        }
    }
    false
}

#[test]
fn every_chart_package_is_the_fiscal_localization_of_its_country() {
    for series in SUPPORTED_SERIES {
        let Some(facts) = reference(series) else {
            return;
        };
        let catalog = Catalog::builtin(series).unwrap();
        let mut wrong = Vec::new();
        for (name, m) in &facts.addons {
            // The series' chart packages by the manifests: the chart category, one country,
            // the series' naming, and `account` installed with it.
            let [country] = m.countries.as_slice() else {
                continue;
            };
            let code = if country == "gb" {
                "uk"
            } else {
                country.as_str()
            };
            let named = *name == format!("l10n_{code}") || *name == format!("l10n_{code}_account");
            if m.category != "Accounting/Localizations/Account Charts"
                || !named
                || !installs(&facts, name, "account")
            {
                continue;
            }
            // Where a country has both, the `_account` package is the chart (18.0 on).
            let chart = facts
                .addons
                .contains_key(&format!("l10n_{code}_account"))
                .then(|| format!("l10n_{code}_account"))
                .filter(|n| installs(&facts, n, "account"))
                .unwrap_or_else(|| format!("l10n_{code}"));
            let got = catalog.localization_for(country).map(|l| l.name.clone());
            if got.as_deref() != Some(chart.as_str()) {
                wrong.push(format!("{series} {country}: {got:?}, expected {chart}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
    let fr = |s: &str| {
        Catalog::builtin(s)
            .unwrap()
            .localization_for("FR")
            .map(|l| l.name.clone())
    };
    if reference("17.0").is_some() {
        assert_eq!(fr("17.0").as_deref(), Some("l10n_fr"));
        assert_eq!(fr("18.0").as_deref(), Some("l10n_fr_account"));
        assert_eq!(fr("19.0").as_deref(), Some("l10n_fr_account"));
    }
}

#[test]
fn localizations_are_accounting_only_when_they_install_a_chart() {
    for series in SUPPORTED_SERIES {
        let Some(facts) = reference(series) else {
            return;
        };
        let g = ModuleGraph::new(
            Catalog::builtin(series).unwrap(),
            RuleData::builtin().unwrap(),
        );
        let mut wrong = Vec::new();
        for (name, m) in facts.addons.iter().filter(|(n, _)| n.starts_with("l10n_")) {
            let node = &g.nodes()[g.id(name).unwrap()];
            let expected = if installs(&facts, name, "point_of_sale") {
                Some(Layer::Commercial)
            } else if installs(&facts, name, "hr") || !installs(&facts, name, "account") {
                None
            } else {
                Some(Layer::Accounting)
            };
            if node.layer != expected {
                wrong.push(format!(
                    "{series} {name} ({}): {:?}, expected {expected:?}",
                    m.category, node.layer
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // The facts the issue names.
        let layer = |n: &str| g.nodes()[g.id(n).unwrap()].layer;
        if *series != "17.0" {
            assert_eq!(layer("l10n_fr_hr_holidays"), None, "{series}");
            assert_eq!(layer("l10n_fr"), None, "{series}: depends on base only");
            assert_eq!(layer("l10n_us"), None, "{series}: depends on base only");
        }
        assert_eq!(
            layer("l10n_fr_pos_cert"),
            Some(Layer::Commercial),
            "{series}"
        );
    }
}

#[test]
fn only_modules_that_post_themselves_post_journal_entries() {
    let data = RuleData::builtin().unwrap();
    for series in SUPPORTED_SERIES {
        let Some(facts) = reference(series) else {
            return;
        };
        let g = ModuleGraph::new(Catalog::builtin(series).unwrap(), data.clone());
        let mut wrong = Vec::new();
        for (name, entry) in data.journal_modules() {
            // The modules that value stock moves themselves go through `stock_account`.
            if entry.carried
                && facts.addons.contains_key(name)
                && !installs(&facts, name, "stock_account")
            {
                wrong.push(format!(
                    "{series} {name} is carried but needs no stock_account"
                ));
            }
        }
        for node in g.nodes() {
            let posts = node.posts_entries.is_some();
            if posts && data.journal_entries(&node.name).is_none() {
                wrong.push(format!("{series} {} posts through a dependency", node.name));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        for glue in [
            "sale_purchase_stock",
            "website_sale_stock",
            "stock_delivery",
            "mrp_repair",
            "account_fleet",
            "spreadsheet_dashboard_stock_account",
        ] {
            let id = g.id(glue).unwrap();
            assert!(g.nodes()[id].posts_entries.is_none(), "{series} {glue}");
        }
        for valuer in [
            "mrp_account",
            "purchase_stock",
            "sale_stock",
            "mrp_subcontracting_account",
        ] {
            assert!(
                data.journal_entries(valuer).is_some_and(|j| j.carried),
                "{valuer}"
            );
            assert!(
                installs(&facts, valuer, "stock_account"),
                "{series} {valuer}"
            );
        }
    }
}
