//! Issue 10, item 7: no `odoo-order.yaml` above a checkout changes what its plans report. The
//! walk up from a plan stops at the repository's root (the folder holding `.git`), so a file
//! in a consultant's home or a CI workspace is never the project's, and the test suite, run
//! from a checkout, is hermetic.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

const PLAN: &str = "odoo: \"17.0\"\nphases:\n  - id: one\n    modules: [account]\n";

/// A configuration that fails every run that picks it up.
const BROKEN: &str = "not_a_setting: true\n";

/// `check` on the plan of a checkout: exit code and everything printed.
fn check(checkout: &Path) -> (i32, String) {
    check_arg(checkout, "plans/plan.yaml")
}

/// `check ARG` run from the checkout.
fn check_arg(checkout: &Path, arg: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["check", arg, "--format", "concise"])
        .current_dir(checkout)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// `outer/odoo-order.yaml` (broken) above `outer/checkout/plans/plan.yaml`.
fn layout() -> (tempfile::TempDir, std::path::PathBuf) {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("odoo-order.yaml"), BROKEN).unwrap();
    let checkout = outer.path().join("checkout");
    std::fs::create_dir_all(checkout.join("plans")).unwrap();
    std::fs::write(checkout.join("plans/plan.yaml"), PLAN).unwrap();
    (outer, checkout)
}

#[test]
fn a_configuration_above_the_repository_is_not_read() {
    let (_outer, checkout) = layout();
    std::fs::create_dir(checkout.join(".git")).unwrap();
    let (code, text) = check(&checkout);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("config::"), "{text}");
}

/// `check .` at the repository's root, and `check plans` below it: a folder named on the
/// command line was once looked up from its parent, above the root, so the broken file above
/// failed the run.
#[test]
fn a_folder_at_the_repository_root_does_not_look_above_it() {
    let (_outer, checkout) = layout();
    std::fs::create_dir(checkout.join(".git")).unwrap();
    for arg in [".", "plans"] {
        let (code, text) = check_arg(&checkout, arg);
        assert_eq!(code, 0, "check {arg}: {text}");
        assert!(text.contains("1 file checked"), "check {arg}: {text}");
    }
}

/// A worktree or a submodule has a `.git` file, not a folder: its root is a root too.
#[test]
fn a_worktree_root_stops_the_walk_too() {
    let (_outer, checkout) = layout();
    std::fs::write(
        checkout.join(".git"),
        "gitdir: /elsewhere/.git/worktrees/x\n",
    )
    .unwrap();
    let (code, text) = check(&checkout);
    assert_eq!(code, 0, "{text}");
}

/// The repository's own file, at its root, is still found from a plan below it.
#[test]
fn the_configuration_at_the_repository_root_is_read() {
    let (_outer, checkout) = layout();
    std::fs::create_dir(checkout.join(".git")).unwrap();
    std::fs::write(checkout.join("odoo-order.yaml"), BROKEN).unwrap();
    let (code, text) = check(&checkout);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("config::unknown-key"), "{text}");
}

/// Outside any repository the walk goes on up, as before: the outer file is found (which also
/// shows that the tests above would see it if the walk crossed the root).
#[test]
fn outside_a_repository_the_walk_goes_up() {
    let (_outer, checkout) = layout();
    let (code, text) = check(&checkout);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("config::unknown-key"), "{text}");
}
