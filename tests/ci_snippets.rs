//! The CI snippets the README shows are files under `tests/fixtures/ci/`, so they cannot rot:
//! the README must contain each verbatim, each must be valid YAML of the right shape, every
//! `odoo-order` command in them must parse with today's command line, and the files they
//! upload must be the ones the commands write. The pre-commit snippet is also the one
//! `tests/precommit.rs` runs for real.

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
    "tests/fixtures/ci/pre-commit-config.yaml",
];

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

#[test]
fn github_code_scanning_uploads_the_sarif_it_writes() {
    let workflow = yaml(&read("tests/fixtures/ci/github-code-scanning.yml"));
    assert_eq!(workflow["permissions"]["security-events"], "write");
    let runs = steps_run(&workflow);
    let written = commands(&runs.iter().map(String::as_str).collect::<Vec<_>>());
    let sarif = written.iter().find(|(f, _)| f == "sarif").unwrap();
    let upload = workflow["jobs"]["odoo-order"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert_eq!(upload["with"]["sarif_file"], sarif.1.as_str());
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

#[test]
fn the_pre_commit_snippet_names_the_hook() {
    let config = yaml(&read("tests/fixtures/ci/pre-commit-config.yaml"));
    let hooks = yaml(&read(".pre-commit-hooks.yaml"));
    let id = &config["repos"][0]["hooks"][0]["id"];
    let hook = hooks
        .as_array()
        .unwrap()
        .iter()
        .find(|h| &h["id"] == id)
        .expect("the snippet's hook id is defined in .pre-commit-hooks.yaml");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "odoo-order check");
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split(' ').collect();
    let mut args = entry.clone();
    args.push("plans/acme.yaml");
    assert!(Cli::try_parse_from(&args).is_ok());
}
