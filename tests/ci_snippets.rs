//! The CI snippets the README shows are files under `tests/fixtures/ci/`, so they cannot rot:
//! the README must contain each verbatim, each must be valid YAML of the right shape, every
//! `odoo-order` command in them must parse with today's command line, the files they upload
//! must be the ones the commands write, and every version they pin must be this one. The
//! pre-commit snippets are also the ones `tests/precommit.rs` runs for real, and
//! `tests/dist_github.rs` validates the workflows against GitHub's published schema.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use clap::Parser;
use odoo_order::cli::{Cli, Command};
use serde_json::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

const SNIPPETS: &[&str] = &[
    "tests/fixtures/ci/github-code-scanning.yml",
    "tests/fixtures/ci/github-annotations.yml",
    "tests/fixtures/ci/gitlab-ci.yml",
    "tests/fixtures/ci/pre-commit-mirror.yaml",
    "tests/fixtures/ci/pre-commit-system.yaml",
    "tests/fixtures/ci/pre-commit-config.yaml",
];

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[test]
fn the_readme_shows_each_snippet_verbatim() {
    let readme = read("README.md");
    for path in SNIPPETS {
        let block = format!("```yaml\n{}```", read(path));
        assert!(
            readme.contains(&block),
            "README.md must show {path} verbatim in a ```yaml block"
        );
    }
}

/// Every `odoo-order …` command of a snippet, parsed; returns the `FORMAT=FILE` targets.
fn commands(lines: &[&str]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for line in lines {
        let Some(rest) = line.trim().strip_prefix("odoo-order ") else {
            continue;
        };
        let args: Vec<&str> = std::iter::once("odoo-order")
            .chain(rest.split_whitespace())
            .collect();
        let cli = Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("`{line}`: {e}"));
        let Command::Check(check) = cli.command else {
            panic!("`{line}` is not `check`");
        };
        for spec in check.formats {
            if let Some(file) = spec.file {
                files.push((
                    format!("{:?}", spec.format).to_lowercase(),
                    file.display().to_string(),
                ));
            }
        }
    }
    files
}

fn steps_run(workflow: &Value) -> Vec<String> {
    workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap().clone())
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect()
}

/// The command line `action.yml` runs for these inputs, as its check step assembles it.
fn action_command(with: &Value) -> Vec<String> {
    let input = |name: &str| with[name].as_str().unwrap_or("").to_owned();
    let mut args = vec!["odoo-order".to_owned(), "check".to_owned()];
    let paths = input("paths");
    args.extend(
        (if paths.is_empty() {
            "."
        } else {
            paths.as_str()
        })
        .split_whitespace()
        .map(str::to_owned),
    );
    let sarif = input("sarif");
    let mut formats: Vec<String> = input("format")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if !sarif.is_empty() && formats.is_empty() {
        formats.push("concise".to_owned());
    }
    if !sarif.is_empty() {
        formats.push(format!("sarif={sarif}"));
    }
    for format in formats {
        args.extend(["--format".to_owned(), format]);
    }
    args.extend(input("args").split_whitespace().map(str::to_owned));
    args
}

#[test]
fn github_code_scanning_uses_the_action_of_this_version() {
    let workflow = yaml(&read("tests/fixtures/ci/github-code-scanning.yml"));
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let step = workflow["jobs"]["odoo-order"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("odoo-order/odoo-order@"))
        })
        .expect("a step that uses the action");
    assert_eq!(step["uses"], format!("odoo-order/odoo-order@v{VERSION}"));
    let action = yaml(&read("action.yml"));
    for name in step["with"].as_object().unwrap().keys() {
        assert!(
            action["inputs"].get(name).is_some(),
            "action.yml has no input `{name}`"
        );
    }
    // The action uploads the SARIF it writes (tests/dist_action.rs runs it).
    assert!(
        step["with"]["sarif"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let args = action_command(&step["with"]);
    let cli = Cli::try_parse_from(&args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    let Command::Check(check) = cli.command else {
        panic!("{args:?} is not `check`");
    };
    assert!(
        check
            .formats
            .iter()
            .any(|f| f.file.as_deref() == Some(Path::new(step["with"]["sarif"].as_str().unwrap())))
    );
}

#[test]
fn github_annotations_need_no_format_flag() {
    let workflow = yaml(&read("tests/fixtures/ci/github-annotations.yml"));
    let runs = steps_run(&workflow);
    let lines: Vec<&str> = runs.iter().map(String::as_str).collect();
    assert!(lines.iter().any(|l| l.starts_with("odoo-order check")));
    // Human output on the terminal: annotations join it inside GitHub Actions.
    assert!(commands(&lines).is_empty());
}

#[test]
fn gitlab_keeps_the_reports_it_writes() {
    let job = &yaml(&read("tests/fixtures/ci/gitlab-ci.yml"))["odoo-order"];
    let script: Vec<&str> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let written = commands(&script);
    let reports = &job["artifacts"]["reports"];
    for (format, key) in [("gitlab", "codequality"), ("junit", "junit")] {
        let file = &written.iter().find(|(f, _)| f == format).unwrap().1;
        assert_eq!(reports[key], file.as_str(), "{format}");
    }
    assert_eq!(job["artifacts"]["when"], "always");
}

/// The hooks a pre-commit snippet names, each with the definition its repository gives it.
fn hooks_of(snippet: &str, hooks_file: &str) -> Vec<Value> {
    let config = yaml(&read(snippet));
    let hooks = yaml(&read(hooks_file));
    config["repos"][0]["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            hooks
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["id"] == h["id"])
                .unwrap_or_else(|| panic!("{snippet}: {} is not in {hooks_file}", h["id"]))
                .clone()
        })
        .collect()
}

#[test]
fn the_pre_commit_snippets_name_their_hooks() {
    for (snippet, hooks_file, language) in [
        (
            "tests/fixtures/ci/pre-commit-config.yaml",
            ".pre-commit-hooks.yaml",
            "rust",
        ),
        (
            "tests/fixtures/ci/pre-commit-system.yaml",
            ".pre-commit-hooks.yaml",
            "system",
        ),
        (
            "tests/fixtures/ci/pre-commit-mirror.yaml",
            ".github/pre-commit-mirror/.pre-commit-hooks.yaml",
            "python",
        ),
    ] {
        for hook in hooks_of(snippet, hooks_file) {
            assert_eq!(hook["language"], language, "{snippet}: {}", hook["id"]);
            let mut args: Vec<&str> = hook["entry"].as_str().unwrap().split(' ').collect();
            assert!(
                matches!(args[..], ["odoo-order", "check" | "fix"]),
                "{}",
                hook["entry"]
            );
            // pre-commit appends the staged files.
            args.extend(["plans/acme.yaml", "plans/globex.yaml"]);
            assert!(Cli::try_parse_from(&args).is_ok(), "{args:?}");
        }
    }
}

/// Each kind of hook (building, `-system`, the mirror's) checks and fixes the same files.
#[test]
fn every_kind_of_hook_sees_the_same_files() {
    let ours = yaml(&read(".pre-commit-hooks.yaml"));
    let mirror = yaml(&read(".github/pre-commit-mirror/.pre-commit-hooks.yaml"));
    let all: Vec<&Value> = ours
        .as_array()
        .unwrap()
        .iter()
        .chain(mirror.as_array().unwrap())
        .collect();
    assert_eq!(all.len(), 6);
    for hook in &all {
        assert_eq!(hook["files"], all[0]["files"], "{}", hook["id"]);
        assert_eq!(hook["exclude"], all[0]["exclude"], "{}", hook["id"]);
        let id = hook["id"].as_str().unwrap();
        let entry = if id.starts_with("odoo-order-fix") {
            "odoo-order fix"
        } else {
            "odoo-order check"
        };
        assert_eq!(hook["entry"], entry, "{id}");
    }
    for id in ["odoo-order", "odoo-order-fix"] {
        assert!(
            mirror.as_array().unwrap().iter().any(|h| h["id"] == id),
            "{id}"
        );
        for suffix in ["", "-system"] {
            let id = format!("{id}{suffix}");
            assert!(
                ours.as_array()
                    .unwrap()
                    .iter()
                    .any(|h| h["id"] == id.as_str()),
                "{id}"
            );
        }
    }
}

#[test]
fn every_snippet_pins_this_version() {
    let pins = [
        ("rev: v", "\n"),
        ("odoo-order/odoo-order@v", "\n"),
        ("odoo-order==", "\n"),
    ];
    for path in SNIPPETS {
        let text = read(path);
        let mut found = 0;
        for (before, after) in pins {
            for (at, _) in text.match_indices(before) {
                let rest = &text[at + before.len()..];
                let pinned = &rest[..rest.find(after).unwrap()];
                assert_eq!(pinned, VERSION, "{path}: {before}{pinned}");
                found += 1;
            }
        }
        // The GitLab and GitHub snippets pin by pip or by tag, the pre-commit ones by `rev`.
        assert!(found > 0, "{path} pins no version");
    }
}
