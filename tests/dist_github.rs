//! The release workflow, the GitHub Action and the README's CI snippets against the published
//! JSON Schemas of GitHub workflows and actions and of GitLab CI (`SchemaStore`'s, as the
//! Python package `check-jsonschema` vendors them), and against what a release must do: build every platform's
//! wheel and binary with checksums, publish only from a tag, by trusted publishing.
//!
//! Skipped with a note where `check-jsonschema` is missing, required when `CI` is set.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod dist;
mod support;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const RELEASE: &str = ".github/workflows/release.yml";
const ACTION: &str = "action.yml";
const WORKFLOW_SNIPPETS: &[&str] = &[
    "tests/fixtures/ci/github-code-scanning.yml",
    "tests/fixtures/ci/github-annotations.yml",
];
const GITLAB_SNIPPET: &str = "tests/fixtures/ci/gitlab-ci.yml";

fn read(path: &str) -> String {
    std::fs::read_to_string(dist::root().join(path)).unwrap()
}

fn yaml(path: &str) -> Value {
    serde_saphyr::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn has_check_jsonschema() -> bool {
    support::require(
        "check-jsonschema",
        Command::new("check-jsonschema").arg("--version"),
    )
}

fn check_jsonschema(schema: &str, files: &[impl AsRef<Path>]) -> Output {
    Command::new("check-jsonschema")
        .args(["--builtin-schema", schema])
        .args(files.iter().map(AsRef::as_ref))
        .current_dir(dist::root())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn every_workflow_and_action_matches_its_published_schema() {
    if !has_check_jsonschema() {
        return;
    }
    let root = dist::root();
    let workflows: Vec<_> = std::iter::once(RELEASE)
        .chain(WORKFLOW_SNIPPETS.iter().copied())
        .map(|p| root.join(p))
        .collect();
    let action = [root.join(ACTION)];
    let gitlab = [root.join(GITLAB_SNIPPET)];
    let cases: [(&str, &[_]); 3] = [
        ("vendor.github-workflows", &workflows),
        ("vendor.github-actions", &action),
        ("vendor.gitlab-ci", &gitlab),
    ];
    for (schema, files) in cases {
        let out = check_jsonschema(schema, files);
        assert!(out.status.success(), "{schema}:\n{}", text(&out));
    }
}

/// The validation bites: one misspelt key in each file makes it fail.
#[test]
fn the_schemas_reject_a_misspelt_key() {
    if !has_check_jsonschema() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "vendor.github-workflows",
            RELEASE,
            "    runs-on: ubuntu-latest\n",
            "    run-on: ubuntu-latest\n",
        ),
        (
            "vendor.github-actions",
            ACTION,
            "  using: composite\n",
            "  using: compsite\n",
        ),
        (
            "vendor.github-actions",
            ACTION,
            "      shell: bash\n",
            "      shel: bash\n",
        ),
    ];
    for (schema, path, good, bad) in cases {
        let text = read(path);
        assert!(text.contains(good), "{path} has no `{good}`");
        let broken = dir.path().join(Path::new(path).file_name().unwrap());
        std::fs::write(&broken, text.replacen(good, bad, 1)).unwrap();
        let out = check_jsonschema(schema, &[&broken]);
        assert!(!out.status.success(), "{path} with `{bad}` passed");
    }
}

fn jobs(workflow: &Value) -> &serde_json::Map<String, Value> {
    workflow["jobs"].as_object().unwrap()
}

fn steps(job: &Value) -> &Vec<Value> {
    job["steps"].as_array().unwrap()
}

fn uses<'a>(job: &'a Value, action: &str) -> Option<&'a Value> {
    steps(job).iter().find(|s| {
        s["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{action}@")))
    })
}

fn runs(job: &Value) -> String {
    steps(job)
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_tag_builds_every_platform_with_checksums() {
    let workflow = yaml(RELEASE);
    let tags = workflow["on"]["push"]["tags"].as_array().unwrap();
    assert!(
        tags.iter().all(|t| t.as_str().unwrap().starts_with('v')),
        "{tags:?}"
    );
    assert_eq!(workflow["permissions"], serde_json::json!({}));

    let build = &jobs(&workflow)["build"];
    let matrix = build["strategy"]["matrix"]["include"].as_array().unwrap();
    let targets: Vec<&str> = matrix
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "no {target} in {targets:?}");
    }
    let maturin = uses(build, "PyO3/maturin-action").expect("maturin-action builds the wheels");
    assert_eq!(maturin["with"]["target"], "${{ matrix.target }}");
    let args = maturin["with"]["args"].as_str().unwrap();
    assert!(
        args.contains("--release") && args.contains("--locked"),
        "{args}"
    );
    // The binary archived is the one the wheel holds, with its checksum.
    let script = runs(build);
    assert!(
        script.contains("target/$TARGET/release/odoo-order"),
        "{script}"
    );
    assert!(
        script.contains("sha256sum") && script.contains(".sha256"),
        "{script}"
    );
    // Wheels that can run where they were built are installed and run before publishing.
    assert!(script.contains("odoo-order==$VERSION") && script.contains("check examples/"));
    assert!(
        uses(&jobs(&workflow)["sdist"], "PyO3/maturin-action").unwrap()["with"]["command"]
            == "sdist"
    );
}

#[test]
fn only_a_tag_publishes_and_only_what_was_built() {
    let workflow = yaml(RELEASE);
    let jobs = jobs(&workflow);
    for name in ["pypi", "crates-io", "github-release", "pre-commit-mirror"] {
        let job = &jobs[name];
        assert_eq!(
            job["if"], "${{ github.event_name == 'push' }}",
            "{name} must not publish from a manual run"
        );
    }
    let needs = |name: &str| -> Vec<String> {
        jobs[name]["needs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect()
    };
    for name in ["pypi", "crates-io"] {
        let needed = needs(name);
        assert!(
            needed.contains(&"build".to_owned()) && needed.contains(&"sdist".to_owned()),
            "{name}: {needed:?}"
        );
        // Trusted publishing: a short-lived OIDC token, no stored secret.
        assert_eq!(jobs[name]["permissions"]["id-token"], "write", "{name}");
    }
    assert!(uses(&jobs["pypi"], "pypa/gh-action-pypi-publish").is_some());
    assert!(uses(&jobs["crates-io"], "rust-lang/crates-io-auth-action").is_some());
    assert!(runs(&jobs["crates-io"]).contains("cargo publish --locked"));
    // The mirror pins a version that must already be on PyPI.
    assert!(needs("pre-commit-mirror").contains(&"pypi".to_owned()));
    let release = runs(&jobs["github-release"]);
    assert!(release.contains("SHA256SUMS") && release.contains("gh release create"));
    assert_eq!(jobs["github-release"]["permissions"]["contents"], "write");
    // The version job refuses a tag that is not Cargo.toml's version.
    let version = runs(&jobs["version"]);
    assert!(
        version.contains("\"v$version\"") && version.contains("exit 1"),
        "{version}"
    );
}

#[test]
fn the_action_installs_its_own_version_and_can_upload_sarif() {
    let action = yaml(ACTION);
    assert_eq!(action["runs"]["using"], "composite");
    let inputs = action["inputs"].as_object().unwrap();
    for name in [
        "paths",
        "format",
        "args",
        "sarif",
        "working-directory",
        "version",
    ] {
        assert!(inputs.contains_key(name), "no input `{name}`");
    }
    assert_eq!(inputs["version"]["default"], dist::VERSION);
    let steps = action["runs"]["steps"].as_array().unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("an upload-sarif step");
    assert!(
        upload["if"]
            .as_str()
            .unwrap()
            .contains("inputs.sarif != ''"),
        "the upload is optional"
    );
    // Inputs reach scripts through `env` only: an expression inside `run` would be spliced
    // into the script before the shell sees it.
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "an expression in a script:\n{run}");
        }
    }
}
