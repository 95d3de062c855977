//! `odoo-order fix` on OO306 (einvoicing-mandate): it adds the one module that meets the
//! mandate to the phase where the company starts invoicing, moves it there when the plan lists
//! it later, and leaves the finding (saying why) when the choice is not mechanical. `check`
//! marks exactly the findings it repairs. Every byte besides the added item stays.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use odoo_order::check::Settings;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use odoo_order::rules::einvoicing_mandate::CODE;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of a fixture in a scratch repository root, so no `odoo-order.yaml` above it counts.
fn copy(fixture: &str) -> (tempfile::TempDir, PathBuf, String) {
    let dir = support::scratch();
    let from = root().join("tests/fixtures").join(fixture);
    let to = dir.path().join(from.file_name().unwrap());
    fs::copy(&from, &to).unwrap();
    let text = fs::read_to_string(&to).unwrap();
    (dir, to, text)
}

fn run(dir: &Path, args: &[&str], path: &Path) -> (i32, String) {
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .arg(path)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let mut text = String::from_utf8(out.stdout).unwrap();
    text.push_str(&String::from_utf8(out.stderr).unwrap());
    (out.status.code().unwrap(), text)
}

/// The OO306 findings of a plan file.
fn mandate_findings(path: &Path) -> usize {
    let mut linter = Linter::new(Settings::default()).unwrap();
    let plan = Plan::from_path(path, "plan.yaml").unwrap();
    let outcome = linter.check(&plan).unwrap();
    outcome.findings.iter().filter(|f| f.code == CODE).count()
}

#[test]
fn a_belgian_plan_invoicing_in_2026_gets_account_peppol() {
    let (dir, path, before) = copy("plans/realistic/belgium-2026-without-peppol-17.yaml");
    assert_eq!(mandate_findings(&path), 1);
    let (code, checked) = run(dir.path(), &["check", "--format", "concise"], &path);
    assert_eq!(code, 0, "{checked}");
    assert!(checked.contains(&format!("{CODE} [*]")), "{checked}");
    assert!(checked.contains("[*] 1 of them can be fixed"), "{checked}");

    let (code, out) = run(dir.path(), &["fix"], &path);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("added 1 module"), "{out}");
    assert!(
        out.contains(&format!("`account_peppol` → `operations` ({CODE})")),
        "{out}"
    );
    let line = "    modules: [stock, sale_management, sale_stock, purchase, purchase_stock]\n";
    let expected = before.replace(
        line,
        "    modules: [stock, sale_management, sale_stock, purchase, purchase_stock, account_peppol]\n",
    );
    assert_ne!(expected, before, "the fixture changed: {before}");
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert_eq!(mandate_findings(&path), 0);

    // Nothing is left to do.
    let (code, out) = run(dir.path(), &["fix"], &path);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing to fix"), "{out}");
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
}

#[test]
fn a_block_list_gets_a_new_line_and_keeps_every_comment() {
    let (dir, path, before) = copy("einvoicing_fix/belgium-block.yaml");
    let (code, out) = run(dir.path(), &["fix"], &path);
    assert_eq!(code, 0, "{out}");
    let expected = before.replace(
        "      - purchase\n",
        "      - purchase\n      - account_peppol\n",
    );
    assert_ne!(expected, before);
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert_eq!(mandate_findings(&path), 0);
}

#[test]
fn a_module_planned_later_moves_to_the_invoicing_phase() {
    let (dir, path, before) = copy("einvoicing_fix/belgium-later.yaml");
    let (code, out) = run(dir.path(), &["fix"], &path);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "`account_peppol`: `compliance` → `operations` ({CODE})"
        )),
        "{out}"
    );
    let expected = before
        .replace(
            "modules: [stock, sale_management]\n",
            "modules: [stock, sale_management, account_peppol]\n",
        )
        .replace("modules: [account_peppol, hr]   #", "modules: [hr]   #");
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert_eq!(mandate_findings(&path), 0);
}

/// What fix leaves alone: the plan keeps every byte, the output says why, and `check` does
/// not mark the finding as fixable.
fn refused(fixture: &str, why: &str) {
    let (dir, path, before) = copy(fixture);
    assert_eq!(mandate_findings(&path), 1, "{fixture}");
    let (code, checked) = run(dir.path(), &["check", "--format", "concise"], &path);
    assert_eq!(code, 0, "{fixture}: {checked}");
    assert!(!checked.contains("[*]"), "{fixture}: {checked}");
    let (code, out) = run(dir.path(), &["fix"], &path);
    assert_eq!(code, 0, "{fixture}: {out}");
    assert!(
        out.contains("1 finding remains that fix adds no module for"),
        "{fixture}: {out}"
    );
    assert!(out.contains(why), "{fixture}: {out}");
    assert_eq!(fs::read_to_string(&path).unwrap(), before, "{fixture}");
}

#[test]
fn an_enterprise_only_module_on_community_is_not_added() {
    refused(
        "einvoicing_fix/mexico-community.yaml",
        "`l10n_mx_edi`, the module that meets CFDI 4.0 electronic invoicing, is Enterprise only",
    );
}

#[test]
fn a_move_that_would_empty_a_phase_is_left_to_the_author() {
    refused(
        "einvoicing_fix/belgium-later-alone.yaml",
        "would leave `compliance` empty",
    );
}

#[test]
fn on_enterprise_the_mexican_module_is_added() {
    let (dir, path, before) = copy("einvoicing_fix/mexico-enterprise.yaml");
    let (code, out) = run(dir.path(), &["fix"], &path);
    assert_eq!(code, 0, "{out}");
    let expected = before.replace(
        "modules: [account, l10n_mx, sale_management]   #",
        "modules: [account, l10n_mx, sale_management, l10n_mx_edi]   #",
    );
    assert_ne!(expected, before);
    assert_eq!(fs::read_to_string(&path).unwrap(), expected);
    assert_eq!(mandate_findings(&path), 0);
}

/// The fixture's claim that `l10n_mx_edi` is Enterprise only, held to the reference data.
#[test]
fn l10n_mx_edi_is_enterprise_in_the_reference_data() {
    let Some(path) = support::shared("odoo/enterprise-names.json") else {
        return;
    };
    let facts: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let names = facts["series"]["17.0"]["all_names"].as_array().unwrap();
    assert!(names.iter().any(|n| n == "l10n_mx_edi"));
}

/// `--diff` shows the added item and writes nothing.
#[test]
fn diff_shows_the_addition_and_writes_nothing() {
    let (dir, path, before) = copy("einvoicing_fix/belgium-block.yaml");
    let (code, out) = run(dir.path(), &["fix", "--diff"], &path);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("\n+      - account_peppol\n"), "{out}");
    assert!(out.contains("would add 1 module"), "{out}");
    assert_eq!(fs::read_to_string(&path).unwrap(), before);
}
