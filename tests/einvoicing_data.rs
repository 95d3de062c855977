//! The built-in e-invoicing mandates (`rules/einvoicing.yaml`) against the built-in catalogs
//! and the reference data in `../shared/odoo/`: every module named exists in its series with
//! the edition given, every entry has a source, and the dates agree with what Odoo's
//! documentation states (`docs-modules.json`). Without `../shared` the reference checks say
//! "skipped" and pass, except under `CI`, where they fail.
#![allow(
    clippy::unwrap_used,
    clippy::print_stderr,
    clippy::panic,
    reason = "test helpers: a panic is a test failure, and skips are noted on stderr"
)]

mod support;

use std::collections::BTreeMap;

use odoo_order::catalog::{Catalog, Edition, SUPPORTED_SERIES};
use odoo_order::date::Date;
use odoo_order::einvoicing::{self, Mandates};
use odoo_order::source::SourceFile;
use serde::Deserialize;

fn all() -> &'static [einvoicing::Mandate] {
    einvoicing::builtin().all()
}

fn assert_none(what: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn the_embedded_file_parses_as_the_public_parser_reads_it() {
    let (name, text) = einvoicing::BUILTIN_FILE;
    let parsed = Mandates::parse(&SourceFile::new(name, name, text)).unwrap();
    assert_eq!(&parsed, einvoicing::builtin());
}

#[test]
fn the_issue_13_countries_are_covered() {
    for country in ["BE", "IT", "IN", "MX", "ES", "FR"] {
        assert!(
            einvoicing::builtin().for_country(country).next().is_some(),
            "no mandate for {country}"
        );
    }
    let be = all().iter().find(|m| m.id == "be-peppol-b2b").unwrap();
    assert_eq!(be.effective, Date::new(2026, 1, 1));
    for series in SUPPORTED_SERIES {
        assert_eq!(be.modules_for(series)[0].name, "account_peppol");
    }
}

#[test]
fn every_module_is_in_its_series_catalog_with_the_edition_given() {
    let catalogs: BTreeMap<&str, Catalog> = SUPPORTED_SERIES
        .iter()
        .map(|s| (*s, Catalog::builtin(s).unwrap()))
        .collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for mandate in all() {
        for (series, modules) in &mandate.modules {
            let catalog = &catalogs[series.as_str()];
            for module in modules {
                checked += 1;
                let at = format!("{} {series} `{}`", mandate.id, module.name);
                match catalog.get(&module.name) {
                    None => problems.push(format!("{at}: not in the catalog")),
                    // A name borrowed from another series' Enterprise list is not evidence
                    // that this series has it.
                    Some(m) if m.named_for.is_some() => problems.push(format!(
                        "{at}: attested for {} only",
                        m.named_for.unwrap_or_default()
                    )),
                    Some(m) if m.edition != module.edition => {
                        problems.push(format!("{at}: the catalog says {}", m.edition.as_str()));
                    }
                    Some(m) if !m.installable => {
                        problems.push(format!("{at}: not installable"));
                    }
                    Some(_) => {}
                }
            }
        }
    }
    assert_none("mandate modules the catalog does not back", &problems);
    assert!(checked >= 15, "only {checked} modules checked");
}

#[test]
fn every_entry_has_a_source_and_every_date_says_where_it_comes_from() {
    let mut problems = Vec::new();
    for m in all() {
        if m.docs.is_empty() && m.law.is_none() {
            problems.push(format!("{}: no source", m.id));
        }
        if m.effective.is_some() != m.effective_source.is_some() {
            problems.push(format!("{}: a date without its source", m.id));
        }
        if m.modules.is_empty() && m.note.is_none() {
            problems.push(format!("{}: no module and no note saying why", m.id));
        }
    }
    assert_none("mandates without provenance", &problems);
}

// ------------------------------------------------------------------ reference data

fn reference<T: serde::de::DeserializeOwned>(file: &str) -> Option<T> {
    // Through `tests/support`: `ODOO_ORDER_SHARED` can move or hide the data, the skip is
    // visible, and under `CI` a missing file fails.
    let path = support::shared(&format!("odoo/{file}"))?;
    Some(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap())
}

#[derive(Deserialize)]
struct Manifests {
    addons: BTreeMap<String, serde_json::Value>,
}

#[test]
fn community_modules_are_community_addons_and_enterprise_ones_are_not() {
    let mut problems = Vec::new();
    for series in SUPPORTED_SERIES {
        let Some(manifests) = reference::<Manifests>(&format!("{series}.json")) else {
            return;
        };
        let later = support::added_later(series);
        for m in all() {
            for module in m.modules_for(series) {
                let community =
                    manifests.addons.contains_key(&module.name) || later.contains(&module.name);
                if community != (module.edition == Edition::Community) {
                    problems.push(format!(
                        "{} {series} `{}`: recorded {}, but the Community manifests {} it",
                        m.id,
                        module.name,
                        module.edition.as_str(),
                        if community { "have" } else { "lack" }
                    ));
                }
            }
        }
    }
    assert_none("editions the manifests contradict", &problems);
}

#[derive(Deserialize)]
struct Docs {
    einvoicing: Vec<DocsMandate>,
}

#[derive(Deserialize)]
struct DocsMandate {
    country: String,
    mandatory_from: Option<String>,
}

/// Where Odoo's documentation gives a date for a country we cover, one of our mandates of
/// that country starts on it (to the precision the documentation gives).
#[test]
fn dates_agree_with_odoo_documentation() {
    let Some(docs) = reference::<Docs>("docs-modules.json") else {
        return;
    };
    let mut problems = Vec::new();
    let mut compared = 0;
    for entry in &docs.einvoicing {
        let ours: Vec<String> = einvoicing::builtin()
            .for_country(&entry.country)
            .filter_map(|m| m.effective.map(|d| d.to_string()))
            .collect();
        let (Some(stated), false) = (&entry.mandatory_from, ours.is_empty()) else {
            continue;
        };
        compared += 1;
        if !ours.iter().any(|d| d.starts_with(stated.as_str())) {
            problems.push(format!(
                "{}: the docs give {stated}, we record {}",
                entry.country,
                ours.join(", ")
            ));
        }
    }
    assert_none("dates Odoo's documentation contradicts", &problems);
    // Belgium, Italy, Mexico and France have dates in both.
    assert!(compared >= 4, "only {compared} countries compared");
}
