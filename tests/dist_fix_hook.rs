//! `fix` takes several plans, as a pre-commit hook passes them: each is fixed on its own, a
//! plan that fails does not stop the others, and the exit code is the worst of them.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

mod support;

use assert_cmd::Command;

/// Accounting after the sales module that needs it: `fix` moves the sales module to `finance`
/// (`account` never goes alone into a phase that plans no accounting).
const FIXABLE: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: [sale_management]\n  - id: finance\n    modules: [account]\n";
const FIXED: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: []\n  - id: finance\n    modules: [account, sale_management]\n";
const SOUND: &str = "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n  - id: operations\n    modules: [stock, stock_account]\n";

fn fix(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .current_dir(dir)
        .arg("fix")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The plans in a scratch repository root, so no `odoo-order.yaml` above the temporary
/// folder reaches them.
fn scratch() -> tempfile::TempDir {
    let dir = support::scratch();
    for (name, text) in [
        ("a.yaml", FIXABLE),
        ("b.yaml", FIXABLE),
        ("good.yaml", SOUND),
    ] {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn every_plan_named_is_fixed_in_place() {
    let dir = scratch();
    let (code, out, err) = fix(dir.path(), &["a.yaml", "good.yaml", "b.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(read(dir.path(), "a.yaml"), FIXED);
    assert_eq!(read(dir.path(), "b.yaml"), FIXED);
    assert_eq!(read(dir.path(), "good.yaml"), SOUND);
    // One account per plan, in the order given.
    let a = out.find("a.yaml: moved 1 module").expect(&out);
    let good = out.find("good.yaml: nothing to fix").expect(&out);
    let b = out.find("b.yaml: moved 1 module").expect(&out);
    assert!(a < good && good < b, "{out}");
}

#[test]
fn a_plan_that_fails_does_not_stop_the_others() {
    let dir = scratch();
    fs::write(dir.path().join("broken.yaml"), "phases: [\n").unwrap();
    let (code, out, err) = fix(
        dir.path(),
        &["a.yaml", "missing.yaml", "broken.yaml", "b.yaml"],
    );
    assert_eq!(code, 2, "{out}{err}");
    assert_eq!(read(dir.path(), "a.yaml"), FIXED);
    assert_eq!(read(dir.path(), "b.yaml"), FIXED);
    assert!(err.contains("missing.yaml"), "{err}");
    assert!(err.contains("broken.yaml"), "{err}");
}

#[test]
fn diff_shows_every_plan_and_writes_nothing() {
    let dir = scratch();
    let (code, out, err) = fix(dir.path(), &["--diff", "a.yaml", "good.yaml", "b.yaml"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("--- a.yaml\n+++ a.yaml\n"), "{out}");
    assert!(out.contains("--- b.yaml\n+++ b.yaml\n"), "{out}");
    assert!(!out.contains("good.yaml"), "{out}");
    assert_eq!(read(dir.path(), "a.yaml"), FIXABLE);
    assert_eq!(read(dir.path(), "b.yaml"), FIXABLE);

    // Sound plans alone: nothing to change, exit 0.
    let (code, out, err) = fix(dir.path(), &["--diff", "good.yaml", "good.yaml"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
}

#[test]
fn at_least_one_plan_is_needed() {
    let dir = scratch();
    let (code, _, err) = fix(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("<PLAN>..."), "{err}");
}
