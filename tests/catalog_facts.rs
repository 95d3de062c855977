//! The built-in catalogs against the reference data in `../shared/odoo/`: the manifest facts of
//! every Community addon (`<series>.json`), the Enterprise names declared by Community code
//! (`enterprise-names.json`), mined from public third-party manifests
//! (`enterprise-names-mined.json`) and read in Odoo's documentation (`docs-modules.json`).
//!
//! This file is also the tool that writes the generated facts: `rules/catalog/<series>.facts.yaml`
//! is rendered from `<series>.json` here, and
//!
//! ```text
//! ODOO_ORDER_BLESS=1 cargo test --test catalog_facts
//! ```
//!
//! rewrites the files when they differ (insta's "bless" pattern); without the variable a
//! difference fails. The reference data lives beside the project, not in it: without it the
//! checks that need it say "skipped" and pass, except under `CI`, where they fail.
//!
//! Every check lists all offending modules, not just the first.
#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    clippy::panic,
    reason = "test helpers: a panic is a test failure, and skips are noted on stderr"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

use odoo_order::catalog::{self, AutoInstall, Catalog, Edition, SUPPORTED_SERIES};
use serde::Deserialize;
use serde_json::Value;

// ------------------------------------------------------------------ reference data

/// One `<series>.json`: facts read from every Community `__manifest__.py`.
#[derive(Deserialize)]
struct Manifests {
    addons: BTreeMap<String, Manifest>,
}

#[derive(Deserialize)]
struct Manifest {
    depends: Vec<String>,
    category: String,
    application: bool,
    auto_install: RealAutoInstall,
    installable: bool,
    countries: Vec<String>,
}

#[derive(Deserialize, PartialEq, Debug)]
#[serde(untagged)]
enum RealAutoInstall {
    Flag(bool),
    Triggers(Vec<String>),
}

/// `enterprise-names.json`, the parts we read.
#[derive(Deserialize)]
struct EnterpriseNames {
    series: BTreeMap<String, EnterpriseSeries>,
}

#[derive(Deserialize)]
struct EnterpriseSeries {
    all_names: Vec<String>,
    checked_names: BTreeMap<String, CheckedName>,
}

#[derive(Deserialize)]
struct CheckedName {
    in_community: bool,
    evidence: Vec<String>,
}

/// `enterprise-names-mined.json`: series → name → where it was seen.
#[derive(Deserialize)]
struct Mined {
    series: BTreeMap<String, BTreeMap<String, MinedName>>,
}

#[derive(Deserialize)]
struct MinedName {
    repos: Vec<String>,
}

/// `docs-modules.json`: series → Enterprise candidates → documentation pages.
#[derive(Deserialize)]
struct Docs {
    series: BTreeMap<String, DocsSeries>,
}

#[derive(Deserialize)]
struct DocsSeries {
    enterprise_candidates: BTreeMap<String, DocsName>,
}

#[derive(Deserialize)]
struct DocsName {
    docs: Vec<String>,
}

fn shared_dir() -> PathBuf {
    support::shared_root().join("odoo")
}

/// A reference file, or `None` with a note when `../shared` is absent. Under `CI` an absent
/// file fails the test: an empty pass would hide that nothing was checked.
fn reference<T: serde::de::DeserializeOwned>(file: &str) -> Option<T> {
    let path = shared_dir().join(file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        support::skip(&format!(
            "{} is missing: the catalog cannot be checked",
            path.display()
        ));
        return None;
    };
    Some(serde_json::from_str(&text).unwrap())
}

fn manifests(series: &str) -> Option<Manifests> {
    reference(&format!("{series}.json"))
}

fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

fn builtin(series: &str) -> Catalog {
    Catalog::builtin(series).unwrap()
}

// ------------------------------------------------------------------ the generated facts

/// A YAML scalar: plain when that reads back as the same string, JSON-quoted otherwise (a
/// JSON string is a valid YAML double-quoted scalar).
fn scalar(s: &str) -> String {
    const WORDS: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ];
    let safe = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | ' ' | '-' | '&'))
        && !s.ends_with(' ')
        && !WORDS.contains(&s.to_ascii_lowercase().as_str());
    if safe {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap()
    }
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
    format!("[{}]", items.join(", "))
}

/// `rules/catalog/<series>.facts.yaml` as the manifests say it must read.
fn render_facts(series: &str, real: &Manifests) -> String {
    let mut out = format!(
        "# Odoo {series} Community: the facts of every addon's __manifest__.py (test modules\n\
         # aside). GENERATED by tests/catalog_facts.rs from the reference data; do not edit:\n\
         # `ODOO_ORDER_BLESS=1 cargo test --test catalog_facts` rewrites it.\n\
         #\n\
         # Fields left out take Odoo's defaults: depends [], auto_install false, application\n\
         # false, category Uncategorized, countries [], installable true. depends keeps the\n\
         # manifest's order.\n\
         series: \"{series}\"\n\
         modules:\n"
    );
    for (name, m) in &real.addons {
        let mut fields = Vec::new();
        if !m.depends.is_empty() {
            fields.push(format!("depends: {}", list(&m.depends)));
        }
        match &m.auto_install {
            RealAutoInstall::Flag(false) => {}
            RealAutoInstall::Flag(true) => fields.push("auto_install: true".to_owned()),
            RealAutoInstall::Triggers(t) => fields.push(format!("auto_install: {}", list(t))),
        }
        if m.application {
            fields.push("application: true".to_owned());
        }
        if m.category != "Uncategorized" {
            fields.push(format!("category: {}", scalar(&m.category)));
        }
        if !m.countries.is_empty() {
            fields.push(format!("countries: {}", list(&m.countries)));
        }
        if !m.installable {
            fields.push("installable: false".to_owned());
        }
        let _ = writeln!(out, "  {}: {{{}}}", scalar(name), fields.join(", "));
    }
    out
}

/// The committed facts files are what the manifests say; `ODOO_ORDER_BLESS=1` rewrites them.
#[test]
fn facts_files_are_generated_from_the_manifests() {
    let bless = std::env::var_os("ODOO_ORDER_BLESS").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for series in SUPPORTED_SERIES {
        let Some(real) = manifests(series) else {
            continue;
        };
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rules/catalog")
            .join(format!("{series}.facts.yaml"));
        let want = render_facts(series, &real);
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        if have != want {
            if bless {
                std::fs::write(&path, want).unwrap();
                eprintln!("rewrote {}", path.display());
            } else {
                stale.push(format!(
                    "{} differs from ../shared/odoo/{series}.json",
                    path.display()
                ));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun `ODOO_ORDER_BLESS=1 cargo test --test catalog_facts` to regenerate, then review the diff",
        stale.join("\n")
    );
}

// ------------------------------------------------------------------ checks against ../shared

#[test]
fn every_community_addon_is_known_with_its_facts() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let Some(real) = manifests(series) else {
            continue;
        };
        let catalog = builtin(series);
        for (name, f) in &real.addons {
            let Some(m) = catalog.get(name) else {
                problems.push(format!("{series} {name}: missing"));
                continue;
            };
            let mut differs = |what: &str, ours: String, theirs: String| {
                if ours != theirs {
                    problems.push(format!(
                        "{series} {name}: {what} {ours}, the manifest says {theirs}"
                    ));
                }
            };
            differs(
                "edition",
                m.edition.as_str().to_owned(),
                "community".to_owned(),
            );
            differs(
                "depends",
                format!("{:?}", m.depends),
                format!("{:?}", f.depends),
            );
            let ours = match &m.auto_install {
                AutoInstall::No => RealAutoInstall::Flag(false),
                AutoInstall::All => RealAutoInstall::Flag(true),
                AutoInstall::Triggers(t) => RealAutoInstall::Triggers(t.clone()),
            };
            differs(
                "auto_install",
                format!("{ours:?}"),
                format!("{:?}", f.auto_install),
            );
            differs(
                "application",
                m.application.to_string(),
                f.application.to_string(),
            );
            differs(
                "category",
                format!("{:?}", m.category),
                format!("{:?}", Some(&f.category)),
            );
            differs(
                "countries",
                format!("{:?}", m.countries),
                format!("{:?}", f.countries),
            );
            differs(
                "installable",
                m.installable.to_string(),
                f.installable.to_string(),
            );
        }
        let later = support::added_later(series);
        for m in catalog.modules() {
            if m.edition == Edition::Community
                && !real.addons.contains_key(&m.name)
                && !later.contains(&m.name)
            {
                problems.push(format!(
                    "{series} {}: a Community module the manifests do not have",
                    m.name
                ));
            }
        }
    }
    assert_none("Community facts that differ from the manifests", &problems);
}

/// The sources an Enterprise entry cites.
fn sources(named_in: &str) -> Vec<(&str, &str)> {
    named_in
        .split(" | ")
        .filter_map(|s| s.split_once(": "))
        .collect()
}

/// Every Enterprise entry is no Community addon of its series, cites at least one source, and
/// each `community:`, `docs:` and mined `depends-of:` source holds in the reference data.
#[test]
fn enterprise_names_are_attested_where_they_say() {
    let (Some(names), Some(mined), Some(docs)) = (
        reference::<EnterpriseNames>("enterprise-names.json"),
        reference::<Mined>("enterprise-names-mined.json"),
        reference::<Docs>("docs-modules.json"),
    ) else {
        return;
    };
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let Some(real) = manifests(series) else {
            continue;
        };
        let declared = &names.series[*series];
        let mined = &mined.series[*series];
        let docs = &docs.series[*series].enterprise_candidates;
        for m in builtin(series)
            .modules()
            .iter()
            .filter(|m| m.edition == Edition::Enterprise && m.named_for.is_none())
        {
            let name = &m.name;
            if real.addons.contains_key(name) {
                problems.push(format!("{series} {name}: a Community addon"));
            }
            let cited = sources(m.named_in.unwrap_or_default());
            if cited.is_empty() {
                problems.push(format!("{series} {name}: no source"));
            }
            for (kind, text) in cited {
                let holds = match kind {
                    "community" => {
                        declared.all_names.contains(name)
                            || declared
                                .checked_names
                                .get(name)
                                .is_some_and(|c| !c.in_community && !c.evidence.is_empty())
                    }
                    "docs" => docs
                        .get(name)
                        .is_some_and(|d| d.docs.iter().any(|p| p == text)),
                    // Names outside the mined set cite a public repository by hand.
                    "depends-of" => mined
                        .get(name)
                        .is_none_or(|x| x.repos.iter().any(|r| r == text) || !text.contains('@')),
                    other => {
                        problems.push(format!("{series} {name}: unknown source kind `{other}`"));
                        true
                    }
                };
                if !holds {
                    problems.push(format!(
                        "{series} {name}: the reference data does not support `{kind}: {text}`"
                    ));
                }
            }
        }
    }
    assert_none("Enterprise entries whose sources do not hold", &problems);
}

/// Every Enterprise name the reference data gives for a series is known in that series.
#[test]
fn every_attested_enterprise_name_is_known() {
    let (Some(names), Some(mined)) = (
        reference::<EnterpriseNames>("enterprise-names.json"),
        reference::<Mined>("enterprise-names-mined.json"),
    ) else {
        return;
    };
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let catalog = builtin(series);
        let declared = &names.series[*series];
        let mut expected: BTreeSet<&str> = declared.all_names.iter().map(String::as_str).collect();
        expected.extend(
            declared
                .checked_names
                .iter()
                .filter(|(_, c)| !c.in_community && !c.evidence.is_empty())
                .map(|(n, _)| n.as_str()),
        );
        expected.extend(mined.series[*series].keys().map(String::as_str));
        for name in expected {
            if catalog
                .get(name)
                .is_none_or(|m| m.edition != Edition::Enterprise || m.named_for.is_some())
            {
                problems.push(format!("{series} {name}: not a known Enterprise module"));
            }
        }
    }
    assert_none("Enterprise names the catalog lacks", &problems);
}

/// The real modules issue 8 found reported as unknown are known in their series.
#[test]
fn real_modules_are_known() {
    let cases = [
        ("17.0", "payment_stripe", Edition::Community),
        ("18.0", "stock_fleet", Edition::Community),
        ("17.0", "sale_amazon", Edition::Enterprise),
        ("17.0", "maintenance_worksheet", Edition::Enterprise),
    ];
    let common = [
        "account_followup",
        "helpdesk_timesheet",
        "sale_stock_renting",
        "sale_renting",
        "hr_payroll_account",
        "l10n_fr_hr_payroll",
        "l10n_be_hr_payroll",
        "industry_fsm",
        "quality_mrp",
        "mrp_maintenance",
        "sale_planning",
        "project_forecast",
    ];
    let mut problems = Vec::new();
    let all = cases.iter().copied().chain(
        SUPPORTED_SERIES
            .iter()
            .flat_map(|s| common.iter().map(move |n| (*s, *n, Edition::Enterprise))),
    );
    for (series, name, edition) in all {
        if builtin(series).get(name).map(|m| m.edition) != Some(edition) {
            problems.push(format!("{series} {name}: not a known {edition:?} module"));
        }
    }
    assert_none("real modules the catalog does not know", &problems);
}

/// `modules --series S --format json` lists every Community addon with its manifest's
/// `depends` and `auto_install`.
#[test]
fn modules_json_reports_the_manifests() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let Some(real) = manifests(series) else {
            continue;
        };
        let out = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
            .args(["modules", "--series", series, "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{series}: modules failed");
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        let listed: BTreeMap<&str, &Value> = json["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["name"].as_str().unwrap(), m))
            .collect();
        for (name, f) in &real.addons {
            let Some(m) = listed.get(name.as_str()) else {
                problems.push(format!("{series} {name}: not listed"));
                continue;
            };
            if m["depends"] != serde_json::json!(f.depends) {
                problems.push(format!("{series} {name}: depends {}", m["depends"]));
            }
            let want = match &f.auto_install {
                RealAutoInstall::Flag(b) => serde_json::json!(b),
                RealAutoInstall::Triggers(t) => serde_json::json!(t),
            };
            if m["auto_install"] != want {
                problems.push(format!(
                    "{series} {name}: auto_install {}",
                    m["auto_install"]
                ));
            }
            if m["edition"] != "community" || m["depends_source"] != "manifest" {
                problems.push(format!(
                    "{series} {name}: not listed as a Community manifest"
                ));
            }
        }
    }
    assert_none("modules --format json against the manifests", &problems);
}

// ------------------------------------------------------------------ checks without ../shared

#[test]
fn catalogs_depend_only_on_catalog_modules() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let catalog = builtin(series);
        assert_eq!(catalog.series(), *series);
        for m in catalog.modules() {
            for d in &m.depends {
                if catalog.get(d).is_none() {
                    problems.push(format!(
                        "{series} {}: depends on `{d}`, not in the catalog",
                        m.name
                    ));
                }
            }
            if let Some(triggers) = m.triggers() {
                for t in triggers.iter().filter(|t| !m.depends.contains(t)) {
                    problems.push(format!("{series} {}: trigger `{t}` not in depends", m.name));
                }
            }
        }
    }
    assert_none("dependencies outside the catalog", &problems);
}

#[test]
fn duplicate_module_keys_are_rejected() {
    let text = "series: \"17.0\"\nmodules:\n  base: {}\n  base: {}\n";
    assert!(serde_saphyr::from_str::<catalog::format::RawFacts>(text).is_err());
}

#[test]
fn country_bound_auto_install_starts_with_18() {
    for series in SUPPORTED_SERIES {
        assert_eq!(
            builtin(series).country_bound_auto_install(),
            *series != "17.0",
            "{series}: country_bound_auto_install"
        );
    }
}

/// An Enterprise name attested for another series only is known in every series, with that
/// series' source and no dependencies claimed.
#[test]
fn enterprise_names_of_other_series_are_known_by_name() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        for m in builtin(series).modules() {
            let Some(other) = m.named_for else {
                continue;
            };
            let there = builtin(other);
            let own = there.get(&m.name);
            if own.is_none_or(|o| o.named_for.is_some() || o.named_in != m.named_in) {
                problems.push(format!("{series} {}: not named for {other}", m.name));
            }
            if m.depends_known || !m.depends.is_empty() {
                problems.push(format!("{series} {}: claims depends", m.name));
            }
        }
    }
    assert_none("borrowed Enterprise names", &problems);
    let ebay = builtin("19.0");
    let ebay = ebay.get("sale_ebay").unwrap();
    assert_eq!(ebay.edition, Edition::Enterprise);
    assert_eq!(ebay.named_for, Some("17.0"));
}

/// Only Enterprise modules known by name have unknown dependencies.
#[test]
fn only_enterprise_names_have_unknown_depends() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        for m in builtin(series).modules() {
            if !m.depends_known && m.edition != Edition::Enterprise {
                problems.push(format!("{series} {}", m.name));
            }
            if m.edition == Edition::Enterprise && m.named_in.is_none() {
                problems.push(format!("{series} {}: Enterprise without a source", m.name));
            }
        }
    }
    assert_none("modules with unknown dependencies", &problems);
}

/// Each rename: gone from `since` on (and there before it, within the supported series), and
/// its successor there from `since` on.
#[test]
fn renames_agree_with_the_catalogs() {
    let mut problems = Vec::new();
    for r in catalog::renames() {
        let since = catalog::series_rank(r.since).unwrap();
        for (rank, series) in SUPPORTED_SERIES.iter().enumerate() {
            let c = builtin(series);
            let present = c.get(r.name).is_some();
            if rank >= since && present {
                problems.push(format!("{}: still a module of {series}", r.name));
            }
            if rank + 1 == since && !present {
                problems.push(format!(
                    "{}: not a module of {series}, the series before it was replaced",
                    r.name
                ));
            }
            if rank >= since && c.get(r.successor).is_none() {
                problems.push(format!(
                    "{}: its successor `{}` is not a module of {series}",
                    r.name, r.successor
                ));
            }
        }
    }
    assert_none("renames that disagree with the catalogs", &problems);
}

/// What issue 8 names as renamed or merged reads back from the catalogs.
#[test]
fn renamed_and_removed_modules_are_explained() {
    let gone = |series: &str, name: &str| catalog::elsewhere(series, name);
    let merged = gone("18.0", "account_audit_trail");
    assert_eq!(merged.community, ["17.0"]);
    assert_eq!(merged.replaced_by.as_ref().unwrap().module, "account");
    assert!(merged.replaced_by.as_ref().unwrap().merged);
    assert_eq!(
        gone("18.0", "sale_product_configurator")
            .replaced_by
            .unwrap()
            .module,
        "sale"
    );
    assert_eq!(
        gone("19.0", "hr_contract").replaced_by.unwrap().module,
        "hr"
    );
    let renamed = gone("18.0", "website_sale_picking").replaced_by.unwrap();
    assert_eq!(renamed.module, "website_sale_collect");
    assert!(!renamed.merged);
    // The other way: the new name in the older series.
    assert_eq!(
        gone("17.0", "website_sale_collect")
            .formerly
            .unwrap()
            .module,
        "website_sale_picking"
    );
    // New in a later series, with no predecessor.
    let new = gone("17.0", "stock_fleet");
    assert_eq!(new.community, ["18.0", "19.0"]);
    assert!(new.replaced_by.is_none() && new.formerly.is_none());
    // A name no series has.
    assert!(!gone("17.0", "acme_custom").is_known());
}
