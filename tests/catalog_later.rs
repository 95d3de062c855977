//! Community addons that Odoo added to a stable series after the release our manifest facts
//! were generated from (`later:` in `rules/catalog/<series>.yaml`). They are curated
//! knowledge, so each claim is checked against the reference manifests: the generated facts
//! of the series do not have the addon (else the entry is redundant), and a later series ships
//! it with the same `depends` and `auto_install`. And a plan that installs one on an
//! up-to-date database of the series is not told that the module does not exist.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde::Deserialize;
use serde_json::Value;

const SERIES: &[&str] = &["17.0", "18.0", "19.0"];

#[derive(Deserialize)]
struct Curated {
    #[serde(default)]
    later: BTreeMap<String, Later>,
}

#[derive(Deserialize)]
struct Later {
    source: String,
    #[serde(default)]
    depends: Vec<String>,
    #[serde(default)]
    auto_install: Option<Value>,
}

fn later(series: &str) -> BTreeMap<String, Later> {
    let path = format!("{}/rules/catalog/{series}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    // The curated file has more keys than this test reads.
    let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    serde_json::from_value::<Curated>(value).unwrap().later
}

fn reference(series: &str) -> Option<serde_json::Map<String, Value>> {
    let path = support::shared(&format!("odoo/{series}.json"))?;
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Some(doc["addons"].as_object().unwrap().clone())
}

#[test]
fn every_later_addon_is_missing_from_its_series_facts_and_shipped_alike_by_a_later_series() {
    let mut checked = 0;
    for (i, series) in SERIES.iter().enumerate() {
        let entries = later(series);
        if entries.is_empty() {
            continue;
        }
        let Some(own) = reference(series) else { return };
        for (name, entry) in &entries {
            assert!(
                !entry.source.trim().is_empty(),
                "{series} `{name}`: no source"
            );
            assert!(
                !own.contains_key(name),
                "{series} `{name}`: the generated facts already have it; drop the `later` entry"
            );
            let shipped = SERIES[i + 1..]
                .iter()
                .filter_map(|s| reference(s))
                .find_map(|addons| addons.get(name).cloned())
                .unwrap_or_else(|| panic!("{series} `{name}`: no later series ships it"));
            let depends: Vec<String> =
                serde_json::from_value(shipped["depends"].clone()).unwrap_or_default();
            assert_eq!(entry.depends, depends, "{series} `{name}`: depends");
            let auto = shipped
                .get("auto_install")
                .cloned()
                .unwrap_or(Value::Bool(false));
            assert_eq!(
                entry.auto_install.clone().unwrap_or(Value::Bool(false)),
                auto,
                "{series} `{name}`: auto_install"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no `later` entry was checked");
}

#[test]
fn a_spanish_plan_with_veri_factu_on_an_up_to_date_17_or_18_database_is_not_refused() {
    for series in ["17.0", "18.0"] {
        let dir = support::scratch();
        std::fs::write(
            dir.path().join("plan.yaml"),
            format!(
                r#"odoo: "{series}"
companies:
  - id: tienda_es
    country: ES
phases:
  - id: finance
    go_live: 2026-01-05
    modules: [account, l10n_es, l10n_es_edi_verifactu]
  - id: shop
    go_live: 2026-02-02
    modules: [stock, point_of_sale]
"#
            ),
        )
        .unwrap();
        let out = Command::cargo_bin("odoo-order")
            .unwrap()
            .current_dir(dir.path())
            .args(["check", "plan.yaml", "--format", "json"])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let codes: Vec<&str> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] != "info")
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(codes.is_empty(), "{series}: {codes:?}\n{doc:#}");
        assert_eq!(out.status.code(), Some(0), "{series}");
    }
}
