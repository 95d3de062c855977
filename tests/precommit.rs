//! The pre-commit hook, end to end with the real `pre-commit` tool: in a scratch git repository
//! whose `.pre-commit-config.yaml` is the README's snippet pointed at this repository (its
//! HEAD commit), a sound plan is committed and a broken one is blocked with its finding.
//!
//! pre-commit builds the hook with `cargo install` in its own cache; `PRE_COMMIT_HOME` and the
//! build directory live under `target/` so reruns reuse them, and the build skips the release
//! profile's optimisations, which this test does not need. Skipped with a note when
//! `pre-commit` is missing, unless `CI` is set.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

const SOUND: &str = "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n  - id: operations\n    modules: [stock, stock_account]\n";
const BROKEN: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: [sale_management]\n  - id: finance\n    modules: [account]\n";

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", cache.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", cache.join("pre-commit-build"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        // A scratch repository: nobody's git configuration (hooks, signing) applies.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "odoo-order tests")
        .env("GIT_AUTHOR_EMAIL", "tests@example.invalid")
        .env("GIT_COMMITTER_NAME", "odoo-order tests")
        .env("GIT_COMMITTER_EMAIL", "tests@example.invalid")
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn ok(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = run(dir, program, args);
    assert!(out.status.success(), "{program} {args:?}:\n{}", text(&out));
    text(&out)
}

#[test]
fn the_hook_passes_sound_plans_and_blocks_broken_ones() {
    if !support::require("pre-commit", Command::new("pre-commit").arg("--version")) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = ok(root, "git", &["rev-parse", "HEAD"]).trim().to_owned();
    let snippet =
        std::fs::read_to_string(root.join("tests/fixtures/ci/pre-commit-config.yaml")).unwrap();
    let config = snippet
        .replace(
            "https://github.com/odoo-order/odoo-order",
            &root.display().to_string(),
        )
        .replace("rev: v0.1.0", &format!("rev: {head}"));
    assert!(
        !config.contains("github.com") && config.contains(&head),
        "{config}"
    );

    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    ok(dir, "git", &["init", "--quiet"]);
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::create_dir_all(dir.join("plans")).unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("plans/acme.yaml"), SOUND).unwrap();
    // Neither is a plan: the hook's `files`/`exclude` must keep them away from `check`.
    std::fs::write(
        dir.join("plans/odoo-order.yaml"),
        "rules:\n  OO203: allow\n",
    )
    .unwrap();
    std::fs::write(dir.join("docs/notes.yaml"), "not: [a plan\n").unwrap();
    ok(dir, "pre-commit", &["install"]);
    ok(dir, "git", &["add", "."]);
    let first = ok(dir, "git", &["commit", "--quiet", "-m", "a sound plan"]);
    assert!(
        first.contains("odoo-order") && first.contains("Passed"),
        "{first}"
    );

    std::fs::write(dir.join("globex.plan.yaml"), BROKEN).unwrap();
    ok(dir, "git", &["add", "globex.plan.yaml"]);
    let blocked = run(dir, "git", &["commit", "--quiet", "-m", "a broken plan"]);
    let output = text(&blocked);
    assert!(
        !blocked.status.success(),
        "the commit went through:\n{output}"
    );
    assert!(output.contains("Failed"), "{output}");
    assert!(
        output.contains("OO201 dependency-in-later-phase") && output.contains("globex.plan.yaml"),
        "{output}"
    );
    let log = ok(dir, "git", &["log", "--oneline"]);
    assert_eq!(log.lines().count(), 1, "{log}");
}
