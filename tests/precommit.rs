//! The pre-commit hooks, end to end with the real `pre-commit` tool, each in a scratch git
//! repository whose `.pre-commit-config.yaml` is one of the README's snippets
//! (`tests/fixtures/ci/pre-commit-*.yaml`) pointed at a local copy of the hook repository:
//!
//! - `odoo-order` (`language: rust`), from this repository at its HEAD commit: pre-commit
//!   builds it with `cargo install`, a sound plan is committed and a broken one is blocked;
//! - the mirror (`.github/pre-commit-mirror/`, `language: python`), with no Rust on `PATH` and
//!   no package index: pre-commit installs the wheel `.ci/run` built, the hook blocks a broken
//!   plan and passes a sound one, and its fix hook repairs the broken one;
//! - `odoo-order-fix-system` and `odoo-order-system`, which run the odoo-order on `PATH` (here
//!   the wheel's, in a virtual environment), again with no Rust on `PATH`.
//!
//! For the `language: rust` hook, `PRE_COMMIT_HOME` and the build directory live under
//! `target/` so reruns reuse them, and the build skips the release profile's optimisations,
//! which this test does not need. The others start from an empty `PRE_COMMIT_HOME`, so they
//! install the wheel of this run. Each test is skipped with a note when `pre-commit` (or the
//! wheel) is missing, unless `CI` is set: then it fails.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod dist;
mod support;

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Output};

const SOUND: &str = "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n  - id: operations\n    modules: [stock, stock_account]\n";
const BROKEN: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: [sale_management]\n  - id: finance\n    modules: [account]\n";
/// What `fix` makes of [`BROKEN`]: accounting moved to the phase that needs it.
const FIXED: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: [sale_management, account]\n  - id: finance\n    modules: []\n";
/// An error no move repairs.
const UNFIXABLE: &str =
    "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account, acount]\n";

/// A scratch repository: nobody's git configuration (hooks, signing) applies.
fn git_env(cmd: &mut Command) -> &mut Command {
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "odoo-order tests")
        .env("GIT_AUTHOR_EMAIL", "tests@example.invalid")
        .env("GIT_COMMITTER_NAME", "odoo-order tests")
        .env("GIT_COMMITTER_EMAIL", "tests@example.invalid")
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"));
    git_env(
        Command::new(program)
            .args(args)
            .current_dir(dir)
            .env("PRE_COMMIT_HOME", cache.join("pre-commit-home"))
            .env("CARGO_TARGET_DIR", cache.join("pre-commit-build"))
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true"),
    )
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

fn read(path: &str) -> String {
    std::fs::read_to_string(dist::root().join(path)).unwrap()
}

fn has_pre_commit() -> bool {
    support::require("pre-commit", Command::new("pre-commit").arg("--version"))
}

#[test]
fn the_hook_passes_sound_plans_and_blocks_broken_ones() {
    if !has_pre_commit() {
        return;
    }
    let root = dist::root();
    let head = ok(root, "git", &["rev-parse", "HEAD"]).trim().to_owned();
    let snippet = read("tests/fixtures/ci/pre-commit-config.yaml");
    let config = snippet
        .replace(
            "https://github.com/odoo-order/odoo-order",
            &root.display().to_string(),
        )
        .replace(&format!("rev: v{}", dist::VERSION), &format!("rev: {head}"));
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
        output.contains("[OO201]: dependency-in-later-phase")
            && output.contains("globex.plan.yaml"),
        "{output}"
    );
    let log = ok(dir, "git", &["log", "--oneline"]);
    assert_eq!(log.lines().count(), 1, "{log}");
}

/// Commands for a scratch setup with no Rust on `PATH` and no package index: pip finds only
/// the wheel `.ci/run` built (and setuptools, to build the mirror package), and pre-commit
/// starts from an empty home.
struct NoRust {
    path: OsString,
    home: tempfile::TempDir,
}

impl NoRust {
    fn new(first: &[&Path]) -> Self {
        Self {
            path: dist::path_without_rust(first),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, dir: &Path, program: &str, args: &[&str]) -> Output {
        // pip reads several find-links from one variable, separated by white space.
        let links = format!(
            "{} {}",
            dist::wheel_dir().display(),
            dist::build_deps_dir().display()
        );
        git_env(
            dist::without_rust(program, &self.path)
                .args(args)
                .current_dir(dir)
                .env("PRE_COMMIT_HOME", self.home.path())
                .env("PIP_NO_INDEX", "1")
                .env("PIP_FIND_LINKS", links)
                .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
                .env("NO_COLOR", "1")
                .env_remove("GITHUB_ACTIONS"),
        )
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
    }

    fn ok(&self, dir: &Path, program: &str, args: &[&str]) -> String {
        let out = self.run(dir, program, args);
        assert!(out.status.success(), "{program} {args:?}:\n{}", text(&out));
        text(&out)
    }
}

/// A new git repository in `dir` with a `.pre-commit-config.yaml` and pre-commit installed.
fn project(env: &NoRust, dir: &Path, config: &str) {
    env.ok(dir, "git", &["init", "--quiet"]);
    std::fs::write(dir.join(".pre-commit-config.yaml"), config).unwrap();
    env.ok(dir, "pre-commit", &["install"]);
}

#[test]
fn the_mirror_installs_the_wheel_and_blocks_broken_plans_without_rust() {
    if !has_pre_commit() || dist::wheel().is_none() || !dist::build_deps() {
        return;
    }
    let env = NoRust::new(&[]);
    let scratch = tempfile::tempdir().unwrap();

    // The mirror repository as the release workflow publishes it: the template, tagged.
    let mirror = scratch.path().join("odoo-order-pre-commit");
    std::fs::create_dir_all(&mirror).unwrap();
    for file in [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"] {
        let text = read(&format!(".github/pre-commit-mirror/{file}"));
        std::fs::write(mirror.join(file), text).unwrap();
    }
    let tag = format!("v{}", dist::VERSION);
    env.ok(&mirror, "git", &["init", "--quiet"]);
    env.ok(&mirror, "git", &["add", "."]);
    env.ok(&mirror, "git", &["commit", "--quiet", "-m", "mirror"]);
    env.ok(&mirror, "git", &["tag", &tag]);

    // The README's snippet, as is but for the repository's address.
    let config = read("tests/fixtures/ci/pre-commit-mirror.yaml").replace(
        "https://github.com/odoo-order/odoo-order-pre-commit",
        &mirror.display().to_string(),
    );
    assert!(config.contains(&format!("rev: {tag}\n")), "{config}");
    let dir = scratch.path().join("project");
    std::fs::create_dir_all(dir.join("plans")).unwrap();
    project(&env, &dir, &config);

    std::fs::write(dir.join("plans/acme.yaml"), SOUND).unwrap();
    env.ok(&dir, "git", &["add", "."]);
    let first = env.ok(&dir, "git", &["commit", "--quiet", "-m", "a sound plan"]);
    assert!(
        first.contains("odoo-order") && first.contains("Passed"),
        "{first}"
    );

    std::fs::write(dir.join("globex.plan.yaml"), BROKEN).unwrap();
    env.ok(&dir, "git", &["add", "globex.plan.yaml"]);
    let blocked = env.run(&dir, "git", &["commit", "--quiet", "-m", "a broken plan"]);
    let output = text(&blocked);
    assert!(
        !blocked.status.success(),
        "the commit went through:\n{output}"
    );
    assert!(
        output.contains("Failed") && output.contains("[OO201]: dependency-in-later-phase"),
        "{output}"
    );

    // The mirror's fix hook, from the same installed environment, repairs the plan.
    let mirror_path = mirror.display().to_string();
    let fixed = env.run(
        &dir,
        "pre-commit",
        &[
            "try-repo",
            &mirror_path,
            "odoo-order-fix",
            "--ref",
            &tag,
            "--files",
            "globex.plan.yaml",
        ],
    );
    assert!(!fixed.status.success(), "{}", text(&fixed));
    assert!(
        text(&fixed).contains("files were modified by this hook"),
        "{}",
        text(&fixed)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("globex.plan.yaml")).unwrap(),
        FIXED
    );
    env.ok(&dir, "git", &["add", "globex.plan.yaml"]);
    env.ok(&dir, "git", &["commit", "--quiet", "-m", "the plan, fixed"]);
    let log = env.ok(&dir, "git", &["log", "--oneline"]);
    assert_eq!(log.lines().count(), 2, "{log}");
}

#[test]
fn the_system_hooks_run_the_installed_binary_without_rust() {
    if !has_pre_commit() || dist::wheel().is_none() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let bin = dist::venv_with_wheel(scratch.path());
    let env = NoRust::new(&[&bin]);
    let root = dist::root();
    let head = ok(root, "git", &["rev-parse", "HEAD"]).trim().to_owned();
    let config = read("tests/fixtures/ci/pre-commit-system.yaml")
        .replace(
            "https://github.com/odoo-order/odoo-order",
            &root.display().to_string(),
        )
        .replace(&format!("rev: v{}", dist::VERSION), &format!("rev: {head}"));
    assert!(config.contains(&head), "{config}");
    let dir = scratch.path().join("project");
    std::fs::create_dir_all(dir.join("plans")).unwrap();
    project(&env, &dir, &config);

    // The fix hook moves what it can and fails the commit, as every fixing hook does; the
    // check hook then sees the fixed file.
    std::fs::write(dir.join("plans/globex.yaml"), BROKEN).unwrap();
    std::fs::write(dir.join("plans/acme.yaml"), SOUND).unwrap();
    env.ok(&dir, "git", &["add", "."]);
    let first = env.run(&dir, "git", &["commit", "--quiet", "-m", "plans"]);
    let output = text(&first);
    assert!(!first.status.success(), "{output}");
    assert!(
        output.contains("files were modified by this hook"),
        "{output}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("plans/globex.yaml")).unwrap(),
        FIXED
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("plans/acme.yaml")).unwrap(),
        SOUND
    );
    env.ok(&dir, "git", &["add", "."]);
    let second = env.ok(&dir, "git", &["commit", "--quiet", "-m", "plans, fixed"]);
    assert_eq!(second.matches("Passed").count(), 2, "{second}");

    // What moving cannot repair: the fix hook leaves the file alone, both hooks fail.
    std::fs::write(dir.join("plans/typo.yaml"), UNFIXABLE).unwrap();
    env.ok(&dir, "git", &["add", "."]);
    let blocked = env.run(&dir, "git", &["commit", "--quiet", "-m", "a typo"]);
    let output = text(&blocked);
    assert!(!blocked.status.success(), "{output}");
    assert_eq!(output.matches("Failed").count(), 2, "{output}");
    assert!(output.contains("OO101"), "{output}");
    let log = env.ok(&dir, "git", &["log", "--oneline"]);
    assert_eq!(log.lines().count(), 1, "{log}");
}
