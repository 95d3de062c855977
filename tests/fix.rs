//! `odoo-order fix` end to end, on copies of every fixture and example: fixable plans become
//! error-free, nothing gets worse, comments survive, a second run changes nothing, `--diff`
//! writes nothing, and a file that cannot be written is an error that loses nothing.
//! The fixed text of each `tests/fixtures/fix/` plan is snapshotted as a diff.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

mod support;

use assert_cmd::Command;
use odoo_order::check::Settings;
use odoo_order::finding::Severity;
use odoo_order::linter::Linter;
use odoo_order::plan::Plan;
use odoo_order::report::fix::diff;
use odoo_order::report::style::Style;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of a plan in a fresh scratch repository root (see `support::scratch`), so that no
/// `odoo-order.yaml` above the temporary folder reaches it; removed when dropped.
struct Scratch {
    _root: tempfile::TempDir,
    dir: PathBuf,
    path: PathBuf,
}

/// Every plan in the repository that loads.
fn plans() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![
        root().join("examples"),
        root().join("tests/fixtures/fix"),
        root().join("tests/fixtures/views"),
    ];
    for entry in fs::read_dir(root().join("tests/fixtures/rules")).unwrap() {
        dirs.push(entry.unwrap().path());
    }
    for dir in dirs {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "yaml")
                && Plan::from_path(&path, "plan.yaml").is_ok()
            {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() > 30, "fixtures not found");
    out
}

fn errors(path: &Path) -> usize {
    let mut linter = Linter::new(Settings::default()).unwrap();
    let plan = Plan::from_path(path, "plan.yaml").unwrap();
    linter
        .check(&plan)
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.find('#')
                .map(|i| l[i..].trim_start_matches('#').trim().to_owned())
        })
        .filter(|c| !c.is_empty())
        .collect()
}

fn fix(path: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .arg("fix")
        .arg(path)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A copy of a plan next to the original, so that its relative `addons_path` still resolves;
/// removed when dropped, even if the test fails.
struct Sibling(PathBuf);

impl Sibling {
    fn of(path: &Path) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            ".fix-test-{}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            path.file_name().unwrap().to_string_lossy()
        );
        let to = path.with_file_name(name);
        fs::copy(path, &to).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self(to)
    }
}

impl Drop for Sibling {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Copies a plan into a fresh scratch directory under the same name.
fn copy(path: &Path) -> Scratch {
    let root = support::scratch();
    let dir = root.path().join("plans");
    fs::create_dir(&dir).unwrap();
    let to = dir.join(path.file_name().unwrap());
    fs::copy(path, &to).unwrap();
    Scratch {
        _root: root,
        dir,
        path: to,
    }
}

#[test]
fn fixes_are_sound_idempotent_and_keep_comments() {
    for original in plans() {
        let name = original.strip_prefix(root()).unwrap().display().to_string();
        let copy = Sibling::of(&original);
        let path = copy.0.clone();
        let before_text = fs::read_to_string(&path).unwrap();
        let before = errors(&path);
        let (code, out, err) = fix(&path, &[]);
        let after_text = fs::read_to_string(&path).unwrap();
        let after = errors(&path);
        assert!(err.is_empty(), "{name}: {err}");
        assert_eq!(code, i32::from(after > 0), "{name}: exit code\n{out}");
        assert!(
            after <= before,
            "{name}: {before} errors became {after}\n{out}"
        );
        for comment in comments(&before_text) {
            assert!(
                after_text.contains(&comment),
                "{name}: lost the comment `{comment}`\n{after_text}"
            );
        }
        // A second run has nothing left to do.
        let (again, out2, _) = fix(&path, &[]);
        assert_eq!(again, code, "{name}: second run\n{out2}");
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            after_text,
            "{name}: not idempotent"
        );
        assert!(!out2.contains("moved"), "{name}: second run moved\n{out2}");
        let (_, diff_out, _) = fix(&path, &["--diff"]);
        assert!(
            diff_out.is_empty(),
            "{name}: a diff after fixing\n{diff_out}"
        );
    }
}

#[test]
fn fixable_plans_become_error_free() {
    for name in [
        "tests/fixtures/fix/localization-late.yaml",
        "tests/fixtures/rules/OO201/fail.yaml",
        "tests/fixtures/rules/OO201/fail-parallel.yaml",
        "tests/fixtures/rules/OO301/fail.yaml",
        "tests/fixtures/fix/block.yaml",
        "tests/fixtures/fix/flow-lines.yaml",
        "tests/fixtures/fix/new-key.yaml",
    ] {
        let scratch = copy(&root().join(name));
        let path = scratch.path.clone();
        assert!(errors(&path) > 0, "{name} has nothing to fix");
        let (code, out, _) = fix(&path, &[]);
        assert_eq!(code, 0, "{name}\n{out}");
        assert_eq!(
            errors(&path),
            0,
            "{name}\n{}",
            fs::read_to_string(&path).unwrap()
        );
        assert!(out.contains("moved"), "{name}\n{out}");
    }
}

/// `fix` weighs both remedies for OO301, postponing the modules or bringing accounting
/// forward, and takes the one that moves fewer modules; `account` and its chart package move
/// together or not at all, and never alone into a phase that plans no accounting.
#[test]
fn fix_takes_the_remedy_that_moves_fewer_modules() {
    for (name, expected) in [
        ("remedy-forward.yaml", vec![("account", "operations")]),
        ("remedy-postpone.yaml", vec![("stock", "finance")]),
        (
            "remedy-tie.yaml",
            vec![("stock", "finance"), ("mrp", "finance")],
        ),
        ("account-stays.yaml", vec![("hr_expense", "finance")]),
        (
            "extension-follows.yaml",
            vec![
                ("sale_renting", "finance"),
                ("sale_stock_renting", "finance"),
            ],
        ),
    ] {
        let path = root().join("tests/fixtures/fix").join(name);
        let plan = Plan::from_path(&path, name).unwrap();
        let mut linter = Linter::new(Settings::default()).unwrap();
        let fixed = odoo_order::fix::fix(&mut linter, &plan).unwrap();
        let moves: Vec<(&str, &str)> = fixed
            .moves
            .iter()
            .map(|m| (m.module.as_str(), fixed.phase_ids[m.to].as_str()))
            .collect();
        assert_eq!(moves, expected, "{name}");
        assert_eq!(fixed.errors_after(), 0, "{name}");
    }
}

#[test]
fn unfixable_errors_are_reported_and_left_alone() {
    for name in [
        "tests/fixtures/rules/OO105/fail-self.yaml",
        // The only earlier phase also covers `acme_be`: fix never changes which companies
        // get a module, so `l10n_fr` stays where it is.
        "tests/fixtures/rules/OO109/fail-later.yaml",
        "tests/fixtures/rules/OO301/fail-never.yaml",
        "tests/fixtures/rules/OO101/fail.yaml",
        "tests/fixtures/rules/OO102/fail.yaml",
        "tests/fixtures/rules/OO104/fail.yaml",
    ] {
        let scratch = copy(&root().join(name));
        let path = scratch.path.clone();
        let before = fs::read_to_string(&path).unwrap();
        let (code, out, _) = fix(&path, &[]);
        assert_eq!(code, 1, "{name}\n{out}");
        assert_eq!(fs::read_to_string(&path).unwrap(), before, "{name} changed");
        assert!(
            out.contains("that moving modules cannot fix"),
            "{name}\n{out}"
        );
    }
}

#[test]
fn diff_writes_nothing_and_says_so_in_its_exit_code() {
    let scratch = copy(&root().join("examples/crm-first.yaml"));
    let path = scratch.path.clone();
    let before = fs::read(&path).unwrap();
    let (code, out, err) = fix(&path, &["--diff"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("--- "), "{out}");
    assert!(out.contains("\n+++ "), "{out}");
    assert!(err.contains("would move"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
    let leftovers = fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "--diff left a file behind");

    // A sound plan: no diff, exit 0.
    let sound_copy = copy(&root().join("examples/acme-rollout.yaml"));
    let sound = sound_copy.path.clone();
    let (code, out, err) = fix(&sound, &["--diff"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
}

#[test]
fn a_read_only_plan_is_an_error_and_loses_nothing() {
    let scratch = copy(&root().join("tests/fixtures/rules/OO301/fail.yaml"));
    let path = scratch.path.clone();
    let before = fs::read(&path).unwrap();
    let mut perms = fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms.clone()).unwrap();
    let (code, _, err) = fix(&path, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
    let leftovers = fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "a temporary file was left behind");
    #[allow(clippy::permissions_set_readonly_false)] // the test cleans up after itself
    perms.set_readonly(false);
    fs::set_permissions(&path, perms).unwrap();
}

#[test]
fn standard_input_and_unloadable_plans_are_usage_errors() {
    let (code, _, err) = fix(Path::new("-"), &[]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = fix(&root().join("tests/fixtures/plans/unknown-key.yaml"), &[]);
    assert_eq!(code, 2, "{err}");
}

/// The fixed text of each layout fixture, as the diff `--diff` prints.
#[test]
fn fixed_layouts() {
    insta::glob!("fixtures/fix/*.yaml", |path| {
        let mut linter = Linter::new(Settings::default()).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let plan = Plan::from_path(path, name).unwrap();
        let fixed = odoo_order::fix::fix(&mut linter, &plan).unwrap();
        insta::assert_snapshot!(diff(&fixed, Style::new(false)));
    });
}

/// Issue 9: a root-run `fix` (pre-commit in a container, on a checkout owned by someone else)
/// gave the plan to root and split its hard links. It now writes through the existing file.
#[cfg(unix)]
#[test]
fn fix_keeps_owner_group_mode_and_hard_links() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let scratch = copy(&root().join("tests/fixtures/rules/OO301/fail.yaml"));
    let path = scratch.path.clone();
    let other = scratch.dir.join("other-name.yaml");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
    fs::hard_link(&path, &other).unwrap();
    let owned = std::os::unix::fs::chown(&path, Some(65534), Some(65534)).is_ok();
    if !owned {
        // Not `support::skip`: CI runs unprivileged (it installs tools with sudo), so this part
        // cannot be required there; the note is written past the harness's capture all the
        // same, as `skip` writes its own.
        let _ = writeln!(
            std::io::stderr(),
            "note: skipping the owner part of fix_keeps_owner_group_mode_and_hard_links: \
             changing a file's owner needs root"
        );
    }
    let before = fs::metadata(&path).unwrap();
    let (code, out, err) = fix(&path, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let after = fs::metadata(&path).unwrap();
    assert_eq!(
        (after.uid(), after.gid(), after.mode(), after.ino()),
        (before.uid(), before.gid(), before.mode(), before.ino())
    );
    assert_ne!(
        fs::read(&path).unwrap(),
        fs::read(root().join("tests/fixtures/rules/OO301/fail.yaml")).unwrap()
    );
    assert_eq!(fs::read(&other).unwrap(), fs::read(&path).unwrap());
    assert_eq!(
        fs::read_dir(&scratch.dir).unwrap().count(),
        2,
        "a file was left behind"
    );
}

/// Twenty runs at once on one plan: every one succeeds, the plan ends fixed exactly once, and
/// no temporary file is left.
#[test]
fn concurrent_runs_agree() {
    let original = root().join("tests/fixtures/fix/block.yaml");
    let alone = copy(&original);
    let (code, _, _) = fix(&alone.path, &[]);
    let expected = fs::read_to_string(&alone.path).unwrap();
    let scratch = copy(&original);
    let children: Vec<_> = (0..20)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("odoo-order"))
                .arg("fix")
                .arg(&scratch.path)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(fs::read_to_string(&scratch.path).unwrap(), expected);
    assert_eq!(fs::read_dir(&scratch.dir).unwrap().count(), 1);
}

/// Issue 9: a comment that travelled to the end of a line in a CRLF file landed after the
/// line break. Every line break of the fixed file is the file's own.
#[test]
fn crlf_files_stay_crlf() {
    let text = "# rollout\r\nodoo: \"17.0\"\r\nphases:\r\n  - id: warehouse\r\n    modules:\r\n      - stock     # valuation starts here\r\n  - id: finance\r\n    modules: [account, l10n_fr]\r\n  - id: sales\r\n    modules: [sale_management]\r\n";
    let dir = support::scratch();
    let path = dir.path().join("plan.yaml");
    fs::write(&path, text).unwrap();
    let (code, out, err) = fix(&path, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let fixed = fs::read_to_string(&path).unwrap();
    assert!(
        fixed.contains("modules: [account, l10n_fr, stock]  # valuation starts here\r\n"),
        "{fixed:?}"
    );
    assert_eq!(
        fixed.matches('\n').count(),
        fixed.matches("\r\n").count(),
        "{fixed:?}"
    );
    assert!(!fixed.replace("\r\n", "").contains('\r'), "{fixed:?}");
}

/// The search has a budget, so that a plan with thousands of misplaced modules is fixed
/// within seconds: out of budget, it keeps what it found and says it stopped early.
#[test]
fn a_search_out_of_budget_says_so() {
    let path = root().join("tests/fixtures/fix/block.yaml");
    let plan = Plan::from_path(&path, "block.yaml").unwrap();
    let mut linter = Linter::new(Settings::default()).unwrap();
    let starved = odoo_order::fix::fix_within(&mut linter, &plan, 0).unwrap();
    assert!(starved.stopped_early);
    assert!(starved.moves.is_empty());
    let summary = odoo_order::report::fix::summary(&starved, false, Style::new(false));
    assert!(summary.contains("stopped searching"), "{summary}");
    let full = odoo_order::fix::fix(&mut linter, &plan).unwrap();
    assert!(!full.stopped_early);
    // `stock` moves; `crm` before accounting is practice (OO302, a warning) and stays.
    assert_eq!(full.moves.len(), 1);
    let summary = odoo_order::report::fix::summary(&full, false, Style::new(false));
    assert!(!summary.contains("stopped searching"), "{summary}");
}
