//! `odoo-order modules`: what it says of a few modules of each kind, instead of a snapshot of
//! the whole catalog (hundreds of entries whose facts `tests/catalog_facts.rs` checks against
//! the manifests).

// Helpers outside `#[test]` functions are not covered by clippy.toml's test allowances: in a
// test a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::{Value, json};

fn modules(args: &[&str]) -> BTreeMap<String, Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("modules")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_owned(), m.clone()))
        .collect()
}

/// A Community module: its manifest's depends, in the manifest's order, and our layer.
#[test]
fn community_modules_carry_their_manifest() {
    let all = modules(&["--series", "17.0"]);
    let account = &all["account"];
    assert_eq!(
        account["depends"],
        json!([
            "base_setup",
            "onboarding",
            "product",
            "analytic",
            "portal",
            "digest"
        ])
    );
    assert_eq!(account["depends_source"], "manifest");
    assert_eq!(account["layer"], "accounting");
    assert_eq!(account["edition"], "community");
    assert_eq!(account["source"], "builtin");
    assert_eq!(account["named_in"], Value::Null);
    // An IoT box module Odoo refuses to install is listed, as such.
    assert_eq!(all["hw_drivers"]["installable"], false);
    assert_eq!(all["stock_account"]["auto_install"], true);
}

/// Enterprise modules: by name, with where they are publicly named; depends curated or unknown.
#[test]
fn enterprise_modules_say_where_they_are_named() {
    let all = modules(&["--series", "18.0"]);
    let known = &all["account_accountant"];
    assert_eq!(known["edition"], "enterprise");
    assert_eq!(known["depends_source"], "curated");
    assert!(
        known["named_in"]
            .as_str()
            .unwrap()
            .starts_with("community: ")
    );
    let by_name = &all["helpdesk_timesheet"];
    assert_eq!(by_name["edition"], "enterprise");
    assert_eq!(by_name["depends_source"], "unknown");
    assert_eq!(by_name["depends"], json!([]));
    assert!(by_name["named_in"].is_string());
    // Named for another series only: known by name here too, saying so.
    assert_eq!(all["sale_ebay"]["named_for"], "17.0");
    assert_eq!(all["sale_ebay"]["depends_source"], "unknown");
    assert_eq!(all["helpdesk_timesheet"]["named_for"], Value::Null);
    // A Community module of another series is not listed for this one.
    assert!(!all.contains_key("account_audit_trail"));
    assert!(all.contains_key("stock_fleet"));
}

/// The addons path: custom modules with their manifest and inferred layer, the first copy of a
/// module found twice, and an uninstallable one.
#[test]
fn addons_path_manifests_are_laid_over_the_catalog() {
    let all = modules(&[
        "--addons-path",
        "tests/fixtures/addons/custom,tests/fixtures/addons/vendor",
    ]);
    let custom = &all["acme_sale_report"];
    assert_eq!(custom["depends"], json!(["sale_management"]));
    assert_eq!(
        custom["layer"], "commercial",
        "the layer of what it extends"
    );
    assert_eq!(
        custom["source"],
        "tests/fixtures/addons/custom/acme_sale_report/__manifest__.py"
    );
    assert_eq!(
        all["sale_order_type"]["source"],
        "tests/fixtures/addons/custom/sale_order_type/__manifest__.py",
        "the first directory of the path wins"
    );
    assert_eq!(all["legacy_report"]["installable"], false);
    // A dependency nothing defines is not a module of the catalog.
    assert!(!all.contains_key("sale_extra"));
    // The built-in modules are still there.
    assert_eq!(all["sale_management"]["source"], "builtin");
}

/// The table ends with the count of the modules it lists.
#[test]
fn the_table_counts_its_rows() {
    let out = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["modules", "--series", "19.0"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("MODULE"));
    let rows = lines.len() - 2;
    assert_eq!(lines[lines.len() - 1], format!("{rows} modules"));
    assert_eq!(rows, modules(&["--series", "19.0"]).len());
}
