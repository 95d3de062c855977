//! The plan keys of a live database and of how a company runs (issue 13): `hosting`,
//! `installed`, `currency`, `valuation`, `accounting`, `accounting_until`, `milestones`. Bad
//! values are located hard errors (exit 2), each with its registered code.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use odoo_order::error::{Error, codes};
use odoo_order::plan::{Accounting, Hosting, Plan, Valuation};

mod support;

fn scratch() -> tempfile::TempDir {
    support::scratch()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The codes of a plan's hard error, and the text each is located on.
fn problems(dir: &Path, text: &str) -> Vec<(String, String)> {
    let path = write(dir, "plan.yaml", text);
    let Err(Error::Invalid(inv)) = Plan::from_path(&path, "plan.yaml") else {
        panic!("the plan was accepted:\n{text}");
    };
    inv.problems
        .iter()
        .map(|p| {
            let at = p
                .span
                .map(|s| inv.file.text()[s.offset..s.offset + s.len].to_owned())
                .unwrap_or_default();
            (p.code.to_owned(), at)
        })
        .collect()
}

fn exit_code(dir: &Path, text: &str) -> i32 {
    let path = write(dir, "plan.yaml", text);
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    out.status.code().unwrap()
}

const GOOD: &str = r#"odoo: "17.0"
hosting: odoo-sh
installed: [crm, contacts]
companies:
  - id: acme_be
    country: BE
    currency: eur
    valuation: perpetual
    accounting: external
    accounting_until: 2027-01-01
phases:
  - id: migration
    go_live: 2026-03-01
    milestones: [data migration, training]
    modules: [sale_management]
"#;

#[test]
fn every_new_key_is_read() {
    let dir = scratch();
    let path = write(dir.path(), "plan.yaml", GOOD);
    let plan = Plan::from_path(&path, "plan.yaml").unwrap();
    assert_eq!(plan.hosting, Hosting::OdooSh);
    let installed: Vec<&str> = plan
        .installed
        .modules
        .iter()
        .map(|m| m.value.as_str())
        .collect();
    assert_eq!(installed, ["crm", "contacts"]);
    let company = &plan.companies[0];
    assert_eq!(company.currency.as_ref().unwrap().value, "EUR");
    assert_eq!(company.valuation, Some(Valuation::Perpetual));
    assert_eq!(company.accounting, Accounting::External);
    assert_eq!(
        company.accounting_until.as_ref().unwrap().value.to_string(),
        "2027-01-01"
    );
    let milestones: Vec<&str> = plan.phases[0]
        .milestones
        .iter()
        .map(|m| m.value.as_str())
        .collect();
    assert_eq!(milestones, ["data migration", "training"]);
}

#[test]
fn defaults_are_on_premise_odoo_books_and_nothing_installed() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "plan.yaml",
        "odoo: \"17.0\"\ncompanies: [{id: a}]\nphases: [{id: p, modules: [account]}]\n",
    );
    let plan = Plan::from_path(&path, "plan.yaml").unwrap();
    assert_eq!(plan.hosting, Hosting::OnPremise);
    assert!(plan.installed.modules.is_empty());
    assert_eq!(plan.companies[0].accounting, Accounting::Odoo);
    assert_eq!(plan.companies[0].valuation, None);
}

#[test]
fn an_unknown_hosting_is_located() {
    let dir = scratch();
    let text = GOOD.replace("hosting: odoo-sh", "hosting: cloud");
    assert_eq!(
        problems(dir.path(), &text),
        [(codes::PLAN_UNKNOWN_VALUE.to_owned(), "cloud".to_owned())]
    );
    assert_eq!(exit_code(dir.path(), &text), 2);
}

#[test]
fn a_bad_currency_is_located() {
    let dir = scratch();
    let text = GOOD.replace("currency: eur", "currency: EUX");
    assert_eq!(
        problems(dir.path(), &text),
        [(codes::PLAN_BAD_CURRENCY.to_owned(), "EUX".to_owned())]
    );
    assert_eq!(exit_code(dir.path(), &text), 2);
}

#[test]
fn accounting_until_without_external_books_is_located() {
    let dir = scratch();
    for accounting in ["accounting: odoo", ""] {
        let text = GOOD.replace("accounting: external", accounting);
        assert_eq!(
            problems(dir.path(), &text),
            [(
                codes::PLAN_ACCOUNTING_UNTIL.to_owned(),
                "2027-01-01".to_owned()
            )],
            "{accounting:?}"
        );
        assert_eq!(exit_code(dir.path(), &text), 2);
    }
}

#[test]
fn a_bad_value_is_reported_with_every_other_problem() {
    // With a structural error elsewhere the lenient second reading still checks the company.
    let dir = scratch();
    let text = GOOD
        .replace("currency: eur", "currency: EUX")
        .replace("valuation: perpetual", "valuation: fifo");
    let found = problems(dir.path(), &text);
    assert!(found.contains(&(codes::PLAN_BAD_CURRENCY.to_owned(), "EUX".to_owned())));
    assert!(found.contains(&(codes::PLAN_UNKNOWN_VALUE.to_owned(), "fifo".to_owned())));
}

#[test]
fn a_missing_installed_file_is_located_on_its_path() {
    let dir = scratch();
    let text = GOOD.replace("installed: [crm, contacts]", "installed: {from: apps.csv}");
    assert_eq!(
        problems(dir.path(), &text),
        [(codes::PLAN_INSTALLED_FILE.to_owned(), "apps.csv".to_owned())]
    );
    assert_eq!(exit_code(dir.path(), &text), 2);
}

#[test]
fn an_installed_file_is_read_relative_to_the_plan() {
    let dir = scratch();
    std::fs::create_dir(dir.path().join("db")).unwrap();
    write(
        &dir.path().join("db"),
        "apps.csv",
        "\"Technical Name\",\"Status\"\r\n\"crm\",\"Installed\"\r\n\"sale\",\"Not Installed\"\r\n",
    );
    let text = GOOD.replace(
        "installed: [crm, contacts]",
        "installed: {from: db/apps.csv}",
    );
    let path = write(dir.path(), "plan.yaml", &text);
    let plan = Plan::from_path(&path, "plan.yaml").unwrap();
    let names: Vec<&str> = plan
        .installed
        .modules
        .iter()
        .map(|m| m.value.as_str())
        .collect();
    assert_eq!(names, ["crm"]);
    // Checked, not refused (findings may make it 1).
    assert_ne!(exit_code(dir.path(), &text), 2);
}

#[test]
fn an_empty_installed_file_is_an_error_in_that_file() {
    let dir = scratch();
    write(dir.path(), "apps.txt", "# nothing yet\n");
    let text = GOOD.replace("installed: [crm, contacts]", "installed: {from: apps.txt}");
    let path = write(dir.path(), "plan.yaml", &text);
    let Err(Error::Invalid(inv)) = Plan::from_path(&path, "plan.yaml") else {
        panic!("an empty list was accepted");
    };
    assert!(inv.file.name().ends_with("apps.txt"), "{}", inv.file.name());
    assert_eq!(inv.problems[0].code, codes::INSTALLED_EMPTY);
    assert_eq!(exit_code(dir.path(), &text), 2);
}

#[test]
fn an_unknown_installed_module_is_a_located_error_exit_2() {
    let dir = scratch();
    let text = GOOD.replace("installed: [crm, contacts]", "installed: [crm, contcts]");
    let path = write(dir.path(), "plan.yaml", &text);
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(codes::PLAN_UNKNOWN_INSTALLED), "{stderr}");
    assert!(stderr.contains("did you mean `contacts`?"), "{stderr}");
}

#[test]
fn installed_in_another_shape_is_located() {
    let dir = scratch();
    let text = GOOD.replace("installed: [crm, contacts]", "installed: crm");
    let found = problems(dir.path(), &text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "crm");
}

#[test]
fn installs_shows_a_phase_milestones_in_text_and_json() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "plan.yaml",
        "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n  - id: cutover\n    milestones: [data migration, training]\n",
    );
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("odoo-order")
            .unwrap()
            .arg("installs")
            .args(args)
            .arg(&path)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&[]);
    assert!(
        text.contains("milestones: data migration, training"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let phases = json["phases"].as_array().unwrap();
    let cutover = phases.iter().find(|p| p["id"] == "cutover").unwrap();
    assert_eq!(
        cutover["milestones"],
        serde_json::json!(["data migration", "training"])
    );
    // A phase without milestones keeps the document as it was.
    let finance = phases.iter().find(|p| p["id"] == "finance").unwrap();
    assert!(finance.get("milestones").is_none());
}

#[test]
fn the_gantt_chart_marks_a_phase_milestones_on_its_go_live() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "plan.yaml",
        "odoo: \"17.0\"\nphases:\n  - id: finance\n    go_live: 2026-01-05\n    milestones: [opening balances]\n    modules: [account]\n",
    );
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .args(["graph", "--gantt"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  finance - opening balances :milestone, p0m0, 2026-01-05, 0d\n"),
        "{text}"
    );
}

#[test]
fn the_dependency_diagrams_name_a_phase_milestones() {
    let dir = scratch();
    let path = write(
        dir.path(),
        "plan.yaml",
        "odoo: \"17.0\"\nphases:\n  - id: finance\n    milestones: [opening balances, training]\n    modules: [account]\n  - id: sales\n    modules: [sale_management]\n",
    );
    for format in ["mermaid", "dot"] {
        let out = Command::cargo_bin("odoo-order")
            .unwrap()
            .args(["graph", "--format", format])
            .arg(&path)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("milestones: opening balances, training"),
            "{format}:\n{text}"
        );
        // Only the phase that has milestones says so.
        assert_eq!(text.matches("milestones:").count(), 1, "{format}:\n{text}");
    }
}
