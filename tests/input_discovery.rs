//! The pre-commit hook hands `check` the same files a directory walk would pick (issue 9:
//! `*.plan.yml` was skipped by both). The hook's `files`/`exclude` patterns are Python regular
//! expressions, so Python's `re` (what pre-commit uses) judges them.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use odoo_order::discover::is_plan_name;

/// A `key: '...'` line of `.pre-commit-hooks.yaml`.
fn pattern(hooks: &str, key: &str) -> String {
    let line = hooks
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"));
    line.trim_matches('\'').to_owned()
}

/// What a walk of the repository root keeps, by name and folder (without configuration).
fn walk_keeps(path: &str) -> bool {
    let path = Path::new(path);
    let name = path.file_name().unwrap().to_str().unwrap();
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let in_plans = path
        .parent()
        .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "plans"));
    name != "odoo-order.yaml" && (is_plan_name(name) || (in_plans && yaml))
}

#[test]
fn the_hook_selects_what_a_walk_selects() {
    if !support::python_with(&["re"]) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks = std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    let (files, exclude) = (pattern(&hooks, "files"), pattern(&hooks, "exclude"));
    let paths = [
        "plan.yaml",
        "plan.yml",
        "odoo-plan.yaml",
        "sub/odoo-plan.yml",
        "acme.plan.yaml",
        "globex.plan.yml",
        "clients/acme.plan.yml",
        "plans/a.yaml",
        "plans/b.yml",
        "clients/plans/c.yaml",
        "plans/odoo-order.yaml",
        "odoo-order.yaml",
        "notes.yaml",
        "docs/example.yml",
        ".plan.yaml",
        "sub/.plan.yml",
        "plan.yaml.bak",
        "myplan.yaml",
        "plans.yaml",
    ];
    let script = "import re, sys\n\
        files, exclude = sys.argv[1], sys.argv[2]\n\
        for p in sys.argv[3:]:\n    \
            print(int(bool(re.search(files, p)) and not re.search(exclude, p)))\n";
    let out = Command::new("python3")
        .args(["-c", script, &files, &exclude])
        .args(paths)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts = String::from_utf8(out.stdout).unwrap();
    let hook: Vec<bool> = verdicts.lines().map(|l| l == "1").collect();
    assert_eq!(hook.len(), paths.len());
    for (path, by_hook) in paths.iter().zip(hook) {
        assert_eq!(by_hook, walk_keeps(path), "{path}: hook {by_hook}");
    }
    assert!(walk_keeps("globex.plan.yml"));
}
