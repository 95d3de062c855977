//! Helpers shared by the integration tests that drive real outside tools (Python's
//! `jsonschema`, `pre-commit`): on a developer's machine without the tool the test is skipped
//! with a note; under CI (`CI` set) it must run, so a missing tool fails it.

// Each test file uses some of these; a panic is how a test fails; the skip note is the point.
#![allow(dead_code, clippy::panic, clippy::print_stderr)]

use std::process::Command;

/// Whether a tool is there; `probe` runs it. Panics under CI when it is not.
pub fn require(what: &str, probe: &mut Command) -> bool {
    if probe.output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is required when CI is set (.ci/run installs it)"
    );
    eprintln!("note: skipping: {what} is not installed here (CI installs it; see .ci/run)");
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
