//! An `addons_path` entry in a plan or in `odoo-order.yaml` that exists but holds no module
//! (most often the folder above the `odoo/` and OCA checkouts) is an error, as it is for
//! `--addons-path` and for Odoo itself, with the addons directories below it suggested.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// A folder holding one OCA-like checkout, `checkouts/oca`, with one module in it.
fn checkouts(dir: &Path) {
    let module = dir.join("checkouts/oca/mis_builder");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("__manifest__.py"),
        "{'name': 'MIS Builder', 'depends': ['account']}\n",
    )
    .unwrap();
}

fn check(dir: &Path) -> Output {
    Command::cargo_bin("odoo-order")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["check", "plan.yaml"])
        .output()
        .unwrap()
}

const PLAN: &str = "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n";

#[test]
fn a_plan_entry_without_modules_is_located_and_points_below() {
    let dir = support::scratch();
    checkouts(dir.path());
    std::fs::write(
        dir.path().join("plan.yaml"),
        format!("{PLAN}addons_path: [checkouts]\n"),
    )
    .unwrap();
    let out = check(dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is not an addons directory"), "{err}");
    assert!(err.contains("plan.yaml:5:"), "{err}");
    assert!(err.contains("checkouts/oca"), "{err}");
}

#[test]
fn a_config_entry_without_modules_is_located() {
    let dir = support::scratch();
    checkouts(dir.path());
    std::fs::write(dir.path().join("plan.yaml"), PLAN).unwrap();
    std::fs::write(
        dir.path().join("odoo-order.yaml"),
        "addons_path: [checkouts]\n",
    )
    .unwrap();
    let out = check(dir.path());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is not an addons directory"), "{err}");
    assert!(err.contains("odoo-order.yaml:1:"), "{err}");
}

#[test]
fn the_addons_directory_itself_is_accepted() {
    let dir = support::scratch();
    checkouts(dir.path());
    std::fs::write(
        dir.path().join("plan.yaml"),
        format!("{PLAN}addons_path: [checkouts/oca]\n"),
    )
    .unwrap();
    let out = check(dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
