//! Helpers shared by the integration tests that need something from outside the repository: a
//! tool (Python's `jsonschema`, `pre-commit`, Neovim, Graphviz, the wheel `.ci/run` builds) or
//! the reference data in `../shared`. On a developer's machine without it the test is skipped
//! with a note on the terminal; under CI (`CI` set) it must run, so a missing one fails it.

// Each test file uses some of these; a panic is how a test fails; the skip note is the point.
#![allow(dead_code, clippy::panic)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Skips the running test for want of `what` (the caller then returns early).
///
/// Under CI this fails the test instead: a check that did not run must never pass as green.
/// Elsewhere the note is written to the process's standard error directly, not through
/// `eprintln!`, which the test harness captures and throws away for a passing test: written
/// this way, the note shows between the `test ... ok` lines of a plain `cargo test`.
pub fn skip(what: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {what}; CI is set, so this check must run"
    );
    let _ = writeln!(
        std::io::stderr(),
        "note: skipping {test}: {what} (under CI this fails)"
    );
}

/// Skips the running test for want of a privilege a CI runner need not have either (root,
/// for `mknod`): the note shows as [`skip`]'s does, and CI takes the skip too, because another
/// test covers the same behaviour without the privilege.
pub fn skip_unprivileged(what: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr(), "note: skipping {test}: {what}");
}

/// Whether a tool is there; `probe` runs it. Skips (see [`skip`]) when it is not.
pub fn require(what: &str, probe: &mut Command) -> bool {
    if probe.output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    skip(&format!("{what} is not installed here"));
    false
}

/// Python 3 with the given modules importable.
pub fn python_with(modules: &[&str]) -> bool {
    let imports = format!("import {}", modules.join(", "));
    require(
        &format!("python3 with {}", modules.join(", ")),
        Command::new("python3").args(["-c", &imports]),
    )
}

/// The reference data folder beside the checkout (`../shared`), or the folder named by
/// `ODOO_ORDER_SHARED`: pointing it at a missing folder shows what a fresh clone does
/// (`CI=true ODOO_ORDER_SHARED=/nonexistent cargo test` must fail).
pub fn shared_root() -> PathBuf {
    std::env::var_os("ODOO_ORDER_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    )
}

/// A path inside the reference data, or `None` after [`skip`] when it is absent.
pub fn shared(relative: &str) -> Option<PathBuf> {
    let path = shared_root().join(relative);
    if path.exists() {
        Some(path)
    } else {
        skip(&format!("the reference data {} is absent", path.display()));
        None
    }
}

/// A temporary folder that is a repository root of its own (it holds an empty `.git`), so
/// that no `odoo-order.yaml` above the system's temporary folder reaches the plans a test
/// writes in it: the walk up for a configuration stops at a repository's root.
pub fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("a temporary folder: {e}"));
    std::fs::create_dir(dir.path().join(".git"))
        .unwrap_or_else(|e| panic!("a `.git` in the temporary folder: {e}"));
    dir
}

/// The addons `rules/catalog/<series>.yaml` says Odoo added to the series after the release the
/// reference manifests were read from (`later:`; `tests/catalog_later.rs` checks each entry).
/// The tests that compare the catalog with those manifests leave them out.
pub fn added_later(series: &str) -> std::collections::BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("rules/catalog/{series}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let curated: serde_json::Value =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    curated
        .get("later")
        .and_then(serde_json::Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}
