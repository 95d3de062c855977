//! Terminal and log conventions (issue 11, items 4 and 7): the width, colour per the
//! environment, severity words, repository-relative paths in machine formats, the automatic
//! GitHub annotations, the schema line of `init`, the man page and the completions.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Output;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `odoo-order` with the environment of a plain pipe: no colour forced, no width, not in
/// GitHub Actions.
fn cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("odoo-order").unwrap();
    for var in [
        "COLUMNS",
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "CLICOLOR",
        "GITHUB_ACTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.current_dir(root());
    cmd
}

fn run(cmd: &mut assert_cmd::Command) -> (Output, String, String) {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    (out, stdout, stderr)
}

/// Words only, whatever the wrapping: what a reader sees once line breaks and the report's
/// margins are gone.
fn words(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches([' ', '│', '×', '⚠', '☞']).trim())
        .map(|l| l.strip_prefix("help:").unwrap_or(l))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// At 80 columns (no terminal, no `COLUMNS`), every message and help of the human report
/// reads whole: no word is cut at a hyphen, a slash or in its middle, and no wrapped line
/// passes the width unless it is one unbreakable word.
#[test]
fn nothing_breaks_mid_word_at_80_columns() {
    for plan in [
        "examples/crm-first.yaml",
        "tests/fixtures/plans/many-findings.yaml",
        "tests/fixtures/rules/OO301/fail.yaml",
    ] {
        let (_, human, _) = run(cmd().args(["check", plan]));
        let (_, json, _) = run(cmd().args(["check", plan, "--format", "json"]));
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let text = words(&human);
        for finding in json["findings"].as_array().unwrap() {
            for field in ["message", "help"] {
                let expected = words(finding[field].as_str().unwrap());
                assert!(
                    text.contains(&expected),
                    "{plan}: `{expected}` is cut in:\n{human}"
                );
            }
        }
        for line in human.lines() {
            let prose = line.starts_with("  help:")
                || line.starts_with("        ")
                || line.starts_with("  × ")
                || line.starts_with("  ⚠ ")
                || line.starts_with("  ☞ ")
                || line.starts_with("  │ ");
            let width = line.chars().count();
            assert!(
                !prose || width <= 80 || !line.trim().contains(' '),
                "{plan}: a {width}-column line:\n{line}"
            );
        }
    }
}

/// Hard errors wrap at 80 columns too, at spaces only.
#[test]
fn hard_errors_wrap_at_spaces() {
    for args in [
        &[
            "check",
            "tests/fixtures/plans/no-such-plan-with-a-rather-long-name.yaml",
        ][..],
        &[
            "check",
            "tests/fixtures/rules/OO201/fail.yaml",
            "--addons-path",
            "tests/fixtures/addons",
        ],
        &["init", "README.md"],
    ] {
        let (out, _, err) = run(cmd().args(args));
        assert_eq!(out.status.code(), Some(2));
        assert!(err.starts_with("error: "), "{err}");
        for line in err.lines() {
            let width = line.chars().count();
            assert!(
                width <= 80 || !line.trim().contains(' '),
                "a {width}-column line:\n{line}"
            );
        }
    }
}

/// The header says the severity in a word, rustc's way; concise lines too.
#[test]
fn severities_are_words() {
    let (_, human, _) = run(cmd().args(["check", "tests/fixtures/plans/warnings-only.yaml"]));
    assert!(human.contains("warning[OO302]: layer-order\n"), "{human}");
    assert!(
        human.contains("info[OO203]: auto-install-bridge\n"),
        "{human}"
    );
    let (_, human, _) = run(cmd().args(["check", "tests/fixtures/rules/OO201/fail.yaml"]));
    assert!(
        human.contains("error[OO201]: dependency-in-later-phase [*]\n"),
        "{human}"
    );
    let (_, concise, _) = run(cmd().args([
        "check",
        "tests/fixtures/plans/warnings-only.yaml",
        "--format",
        "concise",
    ]));
    for line in concise.lines().filter(|l| l.contains(": ")).take(2) {
        let after = line.splitn(4, ':').nth(3).unwrap();
        assert!(
            after.starts_with(" warning OO") || after.starts_with(" info OO"),
            "{line}"
        );
    }
}

/// `FORCE_COLOR` and `CLICOLOR_FORCE` colour a pipe (CI logs render colour); `NO_COLOR` and
/// `--color never` win over them.
#[test]
fn colour_follows_the_environment() {
    let plan = "tests/fixtures/rules/OO201/fail.yaml";
    let coloured = |out: &str| out.contains("\x1b[");
    let (_, uncoloured, _) = run(cmd().args(["check", plan]));
    assert!(!coloured(&uncoloured));
    let (_, forced, _) = run(cmd().args(["check", plan]).env("FORCE_COLOR", "1"));
    assert!(coloured(&forced));
    let (_, forced, _) = run(cmd().args(["check", plan]).env("CLICOLOR_FORCE", "1"));
    assert!(coloured(&forced));
    let (_, refused, _) = run(cmd()
        .args(["check", plan])
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1"));
    assert!(!coloured(&refused));
    let (_, never, _) = run(cmd()
        .args(["check", plan, "--color", "never"])
        .env("FORCE_COLOR", "1"));
    assert!(!coloured(&never));
    // Standard error is coloured on its own account: the hard error's `error` too.
    let (_, _, err) = run(cmd()
        .args(["check", "no-such.yaml"])
        .env("FORCE_COLOR", "1"));
    assert!(
        err.starts_with("\x1b[1;31merror\x1b[0m: cannot read"),
        "{err:?}"
    );
}

/// A scratch repository: `.git`, and a plan with an error two folders down.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let plans = dir.path().join("erp/plans");
    std::fs::create_dir_all(&plans).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/rules/OO201/fail.yaml"),
        plans.join("acme.yaml"),
    )
    .unwrap();
    dir
}

/// Run from a subfolder, every machine format names the plan from the repository root, where
/// GitHub and GitLab look for it; the human and concise reports keep the name as typed.
#[test]
fn machine_formats_name_files_from_the_repository_root() {
    let repo = repository();
    let erp = repo.path().join("erp");
    let check = |format: &str| {
        let (_, out, _) = run(cmd().current_dir(&erp).args([
            "check",
            "plans/acme.yaml",
            "--config",
            "/dev/null",
            "--format",
            format,
        ]));
        out
    };
    let sarif: serde_json::Value = serde_json::from_str(&check("sarif")).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "erp/plans/acme.yaml");
    assert!(check("github").contains("::error file=erp/plans/acme.yaml,line=5"));
    let json: serde_json::Value = serde_json::from_str(&check("json")).unwrap();
    assert_eq!(json["findings"][0]["path"], "erp/plans/acme.yaml");
    assert!(check("gitlab").contains("\"path\": \"erp/plans/acme.yaml\""));
    assert!(check("junit").contains("erp/plans/acme.yaml"));
    assert!(check("concise").starts_with("plans/acme.yaml:5:15: error OO201"));

    // `--root` names another root.
    let (_, out, _) = run(cmd().current_dir(&erp).args([
        "check",
        "plans/acme.yaml",
        "--config",
        "/dev/null",
        "--format",
        "github",
        "--root",
        ".",
    ]));
    assert!(out.contains("::error file=plans/acme.yaml,line=5"), "{out}");
}

/// Inside GitHub Actions, the human report gets annotations, unless `--no-annotations`; a run
/// whose reports all go to files (the SARIF upload) gets none, and says its summary on
/// standard error.
#[test]
fn automatic_annotations_can_be_turned_off() {
    let plan = "tests/fixtures/rules/OO201/fail.yaml";
    let (_, out, _) = run(cmd().args(["check", plan]).env("GITHUB_ACTIONS", "true"));
    assert!(out.contains("::error file="), "{out}");
    let (_, out, _) = run(cmd()
        .args(["check", plan, "--no-annotations"])
        .env("GITHUB_ACTIONS", "true"));
    assert!(!out.contains("::error"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("x.sarif");
    let (status, out, err) = run(cmd()
        .args(["check", plan, "--format"])
        .arg(format!("sarif={}", sarif.display()))
        .env("GITHUB_ACTIONS", "true"));
    assert_eq!(status.status.code(), Some(1));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "1 file checked: 1 error, 0 warnings, 1 info\n\
         [*] 1 of them can be fixed with `odoo-order fix`\n"
    );
    assert!(sarif.is_file());
}

/// The schema line `init` writes names this version's schema file, and the file in `docs/`
/// is what `odoo-order schema` prints; the configuration's too.
#[test]
fn init_writes_the_schema_line_of_a_fresh_schema() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("odoo-plan.yaml");
    cmd().arg("init").arg(&plan).assert().success();
    let text = std::fs::read_to_string(&plan).unwrap();
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "# yaml-language-server: $schema=https://raw.githubusercontent.com/odoo-order/odoo-order/v{}/docs/plan.schema.json",
            env!("CARGO_PKG_VERSION")
        )
    );
    for (args, file) in [
        (&["schema"][..], "docs/plan.schema.json"),
        (&["schema", "--config"][..], "docs/config.schema.json"),
    ] {
        let (_, printed, _) = run(cmd().args(args));
        let kept = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            printed == kept,
            "{file} is stale: run `odoo-order {} > {file}`",
            args.join(" ")
        );
    }
}

/// The man page comes from the clap definition: every subcommand and the new flags are in it.
#[test]
fn the_man_page_is_generated_from_the_command_line() {
    let (out, page, _) = run(cmd().arg("man"));
    assert!(out.status.success());
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH odoo-order 1"));
    for needle in [
        ".TH odoo-order-check 1",
        ".TH odoo-order-fix 1",
        "\\-\\-statistics",
        "\\-\\-no\\-annotations",
        "dependency\\-in\\-later\\-phase",
    ] {
        assert!(page.contains(needle), "{needle} is not in the man page");
    }
    assert!(
        !page.contains(".TH odoo-order-man"),
        "the man subcommand is hidden"
    );
}

/// Completion scripts offer the format names and the rule names.
#[test]
fn completions_offer_formats_and_rules() {
    let (_, script, _) = run(cmd().args(["completions", "fish"]));
    for value in [
        "sarif",
        "gitlab",
        "junit",
        "dependency-in-later-phase",
        "crm-without-sales",
    ] {
        assert!(script.contains(value), "{value} is not completed");
    }
    let (_, help, _) = run(cmd().args(["check", "--help"]));
    for value in ["sarif", "junit", "dependency-in-later-phase"] {
        assert!(help.contains(value), "{value} is not in `check --help`");
    }
}

/// An addons path with no module below it is refused, naming what was expected, and the
/// addons directories below it are offered.
#[test]
fn an_addons_path_without_modules_is_an_error() {
    let (out, _, err) = run(cmd().args([
        "check",
        "tests/fixtures/rules/OO201/fail.yaml",
        "--addons-path",
        "tests/fixtures/addons",
    ]));
    assert_eq!(out.status.code(), Some(2));
    let err = words(&err);
    assert!(
        err.starts_with("error: `tests/fixtures/addons` is not an addons directory"),
        "{err}"
    );
    assert!(err.contains("`__manifest__.py`"), "{err}");
    assert!(
        err.contains(
            "did you mean `tests/fixtures/addons/broken`, `tests/fixtures/addons/core`, \
             `tests/fixtures/addons/custom`, `tests/fixtures/addons/vendor`?"
        ),
        "{err}"
    );
    let (out, _, _) = run(cmd().args([
        "check",
        "tests/fixtures/rules/OO201/fail.yaml",
        "--addons-path",
        "tests/fixtures/addons/core",
    ]));
    assert_ne!(out.status.code(), Some(2));
}

/// The VS Code problem matcher in `docs/editors.md` reads every line of the concise report
/// with its real severity, findings and hard errors alike.
#[test]
fn the_documented_problem_matcher_reads_the_concise_report() {
    let doc = std::fs::read_to_string(root().join("docs/editors.md")).unwrap();
    let block = doc
        .split("```json")
        .map(|b| b.split("```").next().unwrap())
        .find(|b| b.contains("problemMatcher"))
        .unwrap();
    let tasks: serde_json::Value = serde_json::from_str(block).unwrap();
    let matchers = tasks["tasks"][0]["problemMatcher"].as_array().unwrap();
    let patterns: Vec<(regex_automata::meta::Regex, usize)> = matchers
        .iter()
        .map(|m| {
            let p = &m["pattern"];
            let regex = regex_automata::meta::Regex::new(p["regexp"].as_str().unwrap()).unwrap();
            (
                regex,
                usize::try_from(p["severity"].as_u64().unwrap()).unwrap(),
            )
        })
        .collect();
    let severity_of = |line: &str| -> Option<String> {
        patterns.iter().find_map(|(regex, group)| {
            let mut caps = regex.create_captures();
            regex.captures(line, &mut caps);
            caps.get_group(*group)
                .map(|span| line[span.range()].to_owned())
        })
    };
    let (_, out, err) = run(cmd().args([
        "check",
        "tests/fixtures/plans/warnings-only.yaml",
        "tests/fixtures/rules/OO201/fail.yaml",
        "tests/fixtures/plans/unknown-key.yaml",
        "--format",
        "concise",
    ]));
    let mut seen = Vec::new();
    for line in out.lines().chain(err.lines()) {
        if line.contains(" checked: ") || line.starts_with("[*]") {
            continue;
        }
        let severity = severity_of(line).unwrap_or_else(|| panic!("no pattern reads `{line}`"));
        seen.push(severity);
    }
    for word in ["error", "warning", "info"] {
        assert!(
            seen.iter().any(|s| s == word),
            "no {word} in {seen:?}:\n{out}{err}"
        );
    }
}
