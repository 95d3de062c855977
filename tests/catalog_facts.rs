//! The built-in catalogs (`rules/catalog/<series>.yaml`) checked against the real manifest facts
//! in `../shared/odoo/<series>.json` and the Enterprise names in
//! `../shared/odoo/enterprise-names.json`. Those files are reference data beside the project; a
//! fresh clone has none, so the fact checks print a note and pass without them.
//!
//! Every check lists all offending modules, not just the first.
#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    reason = "test helpers: a panic is a test failure, and skips are noted on stderr"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use odoo_order::catalog::{AutoInstall, Catalog, Edition, SUPPORTED_SERIES};
use odoo_order::source::SourceFile;
use serde::Deserialize;

/// One `<series>.json`: facts read from every community `__manifest__.py`.
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

#[derive(Deserialize)]
#[serde(untagged)]
enum RealAutoInstall {
    Flag(bool),
    Triggers(Vec<String>),
}

impl Manifest {
    /// The modules whose presence installs this one: the listed triggers, or every dependency
    /// when `auto_install` is `True`.
    fn triggers(&self) -> Option<&[String]> {
        match &self.auto_install {
            RealAutoInstall::Flag(false) => None,
            RealAutoInstall::Flag(true) => Some(&self.depends),
            RealAutoInstall::Triggers(t) => Some(t),
        }
    }
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

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/odoo")
}

/// The manifest facts of a series, or `None` (with a note) when `../shared` is absent.
fn manifests(series: &str) -> Option<Manifests> {
    let path = shared_dir().join(format!("{series}.json"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped {series}: no {}", path.display());
        return None;
    };
    Some(serde_json::from_str(&text).unwrap())
}

/// The Enterprise module names evidenced for a series: every name of `all_names`, plus the
/// checked names that are not in community and have some evidence.
fn enterprise_names(series: &str) -> Option<BTreeSet<String>> {
    let path = shared_dir().join("enterprise-names.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped {series}: no {}", path.display());
        return None;
    };
    let all: EnterpriseNames = serde_json::from_str(&text).unwrap();
    let s = all.series.get(series)?;
    let mut names: BTreeSet<String> = s.all_names.iter().cloned().collect();
    names.extend(
        s.checked_names
            .iter()
            .filter(|(_, c)| !c.in_community && !c.evidence.is_empty())
            .map(|(n, _)| n.clone()),
    );
    Some(names)
}

/// Every module reachable from `start` through `depends_of` (without `start` itself).
fn closure<'a>(
    start: &str,
    depends_of: impl Fn(&str) -> Option<&'a [String]>,
) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = depends_of(start)
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    while let Some(m) = stack.pop() {
        if seen.insert(m) {
            stack.extend(depends_of(m).unwrap_or_default().iter().map(String::as_str));
        }
    }
    seen
}

fn set(items: &[String]) -> BTreeSet<&str> {
    items.iter().map(String::as_str).collect()
}

fn assert_none(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Runs `check` for every supported series whose manifest facts are available.
fn for_each_series(check: impl Fn(&str, &Catalog, &Manifests, &mut Vec<String>)) -> Vec<String> {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let Some(real) = manifests(series) else {
            continue;
        };
        let catalog = Catalog::builtin(series).unwrap();
        check(series, &catalog, &real, &mut problems);
    }
    problems
}

fn community(catalog: &Catalog) -> impl Iterator<Item = &odoo_order::catalog::Module> {
    catalog
        .modules()
        .iter()
        .filter(|m| m.edition == Edition::Community)
}

// ------------------------------------------------------------------ checks without ../shared

#[test]
fn catalogs_parse_and_depend_only_on_catalog_modules() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let catalog = Catalog::builtin(series).unwrap();
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
            let distinct: BTreeSet<_> = m.depends.iter().collect();
            if distinct.len() != m.depends.len() {
                problems.push(format!("{series} {}: a dependency is listed twice", m.name));
            }
        }
    }
    assert_none("dependencies outside the catalog", &problems);
}

#[test]
fn duplicate_module_keys_are_rejected() {
    let text = "series: \"17.0\"\nlocalization: {depends: []}\nmodules:\n  base: {}\n  base: {}\n";
    let file = SourceFile::new("dup.yaml", "dup.yaml", text);
    assert!(Catalog::from_yaml(&file).is_err());
}

#[test]
fn country_bound_auto_install_starts_with_18() {
    for series in SUPPORTED_SERIES {
        let catalog = Catalog::builtin(series).unwrap();
        assert_eq!(
            catalog.country_bound_auto_install(),
            *series != "17.0",
            "{series}: country_bound_auto_install"
        );
    }
}

#[test]
fn every_listed_country_localization_is_found() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let catalog = Catalog::builtin(series).unwrap();
        for m in catalog.modules() {
            let Some(rest) = m.name.strip_prefix("l10n_") else {
                continue;
            };
            let code = rest.strip_suffix("_account").unwrap_or(rest);
            if code.len() != 2 {
                continue;
            }
            let country = if code == "uk" {
                "GB".to_owned()
            } else {
                code.to_ascii_uppercase()
            };
            if catalog.localization_for(&country).is_none() {
                problems.push(format!(
                    "{series}: no localization found for {country} (`{}` is listed)",
                    m.name
                ));
            }
        }
    }
    assert_none("countries whose localization is not found", &problems);
}

// ------------------------------------------------------------------ checks against ../shared

/// 1. Every community module exists in the manifests and is installable.
#[test]
fn community_modules_exist_and_are_installable() {
    let problems = for_each_series(|series, catalog, real, problems| {
        for m in community(catalog) {
            match real.addons.get(&m.name) {
                None => problems.push(format!("{series} {}: no such community module", m.name)),
                Some(f) if !f.installable => {
                    problems.push(format!("{series} {}: not installable", m.name));
                }
                Some(_) => {}
            }
        }
    });
    assert_none("unknown or uninstallable modules", &problems);
}

/// 2. The transitive closure of our depends equals the real one restricted to the catalog.
#[test]
fn depends_keep_the_real_closure() {
    let problems = for_each_series(|series, catalog, real, problems| {
        let ours = |n: &str| catalog.get(n).map(|m| m.depends.as_slice());
        let theirs = |n: &str| real.addons.get(n).map(|f| f.depends.as_slice());
        for m in community(catalog) {
            let have = closure(&m.name, ours);
            let want: BTreeSet<&str> = closure(&m.name, theirs)
                .into_iter()
                .filter(|n| catalog.get(n).is_some())
                .collect();
            if have != want {
                let extra: Vec<_> = have.difference(&want).collect();
                let missing: Vec<_> = want.difference(&have).collect();
                problems.push(format!(
                    "{series} {}: installs {extra:?} that Odoo does not, misses {missing:?}",
                    m.name
                ));
            }
        }
    });
    assert_none("dependency closures that differ from Odoo's", &problems);
}

/// 3. `auto_install` is exact; `application`, `category` and `countries` agree.
#[test]
fn flags_agree_with_the_manifests() {
    let problems = for_each_series(|series, catalog, real, problems| {
        for m in community(catalog) {
            let Some(f) = real.addons.get(&m.name) else {
                continue;
            };
            let name = &m.name;
            match (&m.auto_install, f.triggers()) {
                (AutoInstall::No, None) => {}
                (AutoInstall::All, Some(_))
                    if matches!(f.auto_install, RealAutoInstall::Flag(true)) =>
                {
                    if set(&m.depends) != set(&f.depends) {
                        problems.push(format!(
                            "{series} {name}: `auto_install: true` needs the exact depends {:?}; write the triggers instead",
                            f.depends
                        ));
                    }
                }
                (AutoInstall::Triggers(ours), Some(theirs)) => {
                    if set(ours) != set(theirs) {
                        problems.push(format!(
                            "{series} {name}: triggers {ours:?}, Odoo's are {theirs:?}"
                        ));
                    }
                }
                (ours, theirs) => problems.push(format!(
                    "{series} {name}: auto_install {ours:?}, Odoo's triggers are {theirs:?}"
                )),
            }
            if m.application != f.application {
                problems.push(format!(
                    "{series} {name}: application {}, Odoo says {}",
                    m.application, f.application
                ));
            }
            match &m.category {
                Some(c) if *c != f.category => {
                    problems.push(format!(
                        "{series} {name}: category `{c}`, Odoo's is `{}`",
                        f.category
                    ));
                }
                None if f.application => {
                    problems.push(format!(
                        "{series} {name}: an application needs its category `{}`",
                        f.category
                    ));
                }
                _ => {}
            }
            if set(&m.countries) != set(&f.countries) {
                problems.push(format!(
                    "{series} {name}: countries {:?}, Odoo's are {:?}",
                    m.countries, f.countries
                ));
            }
        }
    });
    assert_none("facts that differ from the manifests", &problems);
}

/// 4. Every application, and every auto-install module with two or more triggers that are all
///    catalog modules (a bridge between them), is in the catalog.
#[test]
fn every_application_and_bridge_is_listed() {
    let problems = for_each_series(|series, catalog, real, problems| {
        for (name, f) in &real.addons {
            if catalog.get(name).is_some() {
                continue;
            }
            if f.application {
                problems.push(format!("{series} {name}: an application, not listed"));
            }
            if let Some(t) = f.triggers() {
                let t = set(t);
                if t.len() >= 2 && t.iter().all(|n| catalog.get(n).is_some()) {
                    problems.push(format!(
                        "{series} {name}: a bridge between {t:?}, not listed"
                    ));
                }
            }
        }
    });
    assert_none("missing applications and bridges", &problems);
}

/// 5. Enterprise entries are not community modules and are names Enterprise is known to have.
#[test]
fn enterprise_modules_are_enterprise() {
    let problems = for_each_series(|series, catalog, real, problems| {
        let Some(names) = enterprise_names(series) else {
            return;
        };
        for m in catalog
            .modules()
            .iter()
            .filter(|m| m.edition == Edition::Enterprise)
        {
            if real.addons.contains_key(&m.name) {
                problems.push(format!(
                    "{series} {}: marked enterprise but is a community module",
                    m.name
                ));
            }
            if !names.contains(&m.name) {
                problems.push(format!(
                    "{series} {}: not a known Enterprise module name of {series}",
                    m.name
                ));
            }
        }
    });
    assert_none(
        "Enterprise entries that are not Enterprise modules",
        &problems,
    );
}
