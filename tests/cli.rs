//! Command-line behaviour end to end: exit codes, formats, hard errors, `explain`, `rules`,
//! and every example plan. Cases live in `tests/cmd/` (trycmd); regenerate expected output with
//! `TRYCMD=overwrite cargo test --test cli` and review the diff.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .case("tests/cmd/*.md")
        .case("tests/cmd/*.toml");
}

/// A new example cannot go unchecked: each file in `examples/` appears in `tests/cmd/examples.md`.
#[test]
fn every_example_is_checked() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = std::fs::read_to_string(root.join("tests/cmd/examples.md")).unwrap();
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The folder's configuration names the examples as plans for `check examples/`.
        if name != "odoo-order.yaml" && path.extension().is_some_and(|e| e == "yaml" || e == "yml")
        {
            assert!(
                cases.contains(&format!("$ odoo-order check examples/{name}")),
                "examples/{name} is not checked in tests/cmd/examples.md"
            );
        }
    }
}

/// `init` writes a plan that checks clean, creating the folders it needs (issue 4).
#[test]
fn the_starter_plan_checks_clean() {
    let dir = support::scratch();
    let plan = dir.path().join("plans/acme.plan.yaml");
    assert_cmd::Command::cargo_bin("odoo-order")
        .unwrap()
        .arg("init")
        .arg(&plan)
        .assert()
        .success();
    assert!(plan.is_file());
    assert_cmd::Command::cargo_bin("odoo-order")
        .unwrap()
        .args(["check", "--format", "concise"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("1 file checked: 0 errors, 0 warnings, 0 infos\n");
}

/// Completion scripts come from the same clap definition, so new flags are in them.
#[test]
fn completions_know_the_new_flags() {
    let out = assert_cmd::Command::cargo_bin("odoo-order")
        .unwrap()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--baseline",
        "--write-baseline",
        "--show-config",
        "--config",
    ] {
        assert!(
            script.contains(flag),
            "{flag} missing from the bash completions"
        );
    }
}

/// Threads only change the speed: the report of many plans is the same with one thread or two
/// (issue 4, speed; enough plans that two threads are really used).
#[test]
fn threads_do_not_change_the_report() {
    let dir = support::scratch();
    let plans = dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    let phases = [
        "[account]",
        "[sale_management]",
        "[stock, crm]",
        "[purchase, l10n_fr]",
    ];
    for i in 0..300 {
        let (a, b) = (phases[i % 4], phases[(i / 4) % 4]);
        let text = format!(
            "odoo: \"17.0\"\nphases:\n  - id: one\n    modules: {a}\n  - id: two\n    modules: {b}\n"
        );
        std::fs::write(plans.join(format!("p{i:03}.yaml")), text).unwrap();
    }
    let report = |threads: &str| {
        let out = assert_cmd::Command::cargo_bin("odoo-order")
            .unwrap()
            .args(["check", "--format", "concise", "--threads", threads])
            .arg(&plans)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let one = report("1");
    assert!(one.contains("300 files checked"), "{one}");
    assert!(one.lines().count() > 300, "the plans have findings");
    assert_eq!(one, report("2"));
}
