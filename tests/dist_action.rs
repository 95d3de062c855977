//! The GitHub Action's steps, run here as the runner runs a composite action's `bash` steps
//! (`bash --noprofile --norc -eo pipefail`, inputs through `env`, `GITHUB_PATH` and
//! `GITHUB_OUTPUT` files), with pip offline on the wheel `.ci/run` built and no Rust on `PATH`:
//! the install step puts the action's version of odoo-order on `PATH`, the check step passes
//! the inputs as arguments (and never runs them as shell code), and the SARIF it writes is the
//! file the upload step sends.
//!
//! Skipped with a note where the wheel has not been built, required when `CI` is set.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod dist;
mod support;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use serde_json::Value;

const SOUND: &str = "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account]\n  - id: operations\n    modules: [stock, stock_account]\n";
const BROKEN: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: [sale_management]\n  - id: finance\n    modules: [account]\n";

/// The action's steps and inputs, and the runner's files for one job.
struct Runner {
    steps: Vec<Value>,
    defaults: BTreeMap<String, String>,
    temp: tempfile::TempDir,
    workspace: PathBuf,
    github_path: PathBuf,
}

/// What one step did.
struct Ran {
    code: i32,
    log: String,
    outputs: BTreeMap<String, String>,
}

impl Runner {
    fn new() -> Self {
        let action: Value = serde_saphyr::from_str(
            &std::fs::read_to_string(dist::root().join("action.yml")).unwrap(),
        )
        .unwrap();
        let defaults = action["inputs"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, input)| (name.clone(), input["default"].as_str().unwrap().to_owned()))
            .collect();
        let temp = tempfile::tempdir().unwrap();
        let workspace = temp.path().join("workspace");
        // A checkout, as `actions/checkout` leaves it: a repository root, so no configuration
        // above the temporary folder reaches the plans the test writes.
        std::fs::create_dir_all(workspace.join(".git")).unwrap();
        let github_path = temp.path().join("github_path");
        std::fs::write(&github_path, "").unwrap();
        Self {
            steps: action["runs"]["steps"].as_array().unwrap().clone(),
            defaults,
            temp,
            workspace,
            github_path,
        }
    }

    fn step(&self, name: &str) -> &Value {
        self.steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no step `{name}`"))
    }

    /// `${{ inputs.NAME }}` replaced by the input's value; no other expression is expected.
    fn expand(&self, text: &str, with: &[(&str, &str)]) -> String {
        let mut out = text.to_owned();
        for (name, default) in &self.defaults {
            let value = with
                .iter()
                .find(|(n, _)| n == name)
                .map_or(default.as_str(), |(_, v)| v);
            out = out.replace(&format!("${{{{ inputs.{name} }}}}"), value);
        }
        assert!(
            !out.contains("${{"),
            "an expression this test cannot evaluate: {out}"
        );
        out
    }

    /// `PATH` as the runner builds it: what steps added to `GITHUB_PATH`, latest first, then
    /// the machine's, without Rust.
    fn path(&self) -> OsString {
        let added = std::fs::read_to_string(&self.github_path).unwrap();
        let added: Vec<PathBuf> = added.lines().rev().map(PathBuf::from).collect();
        let added: Vec<&Path> = added.iter().map(PathBuf::as_path).collect();
        dist::path_without_rust(&added)
    }

    fn run(&self, name: &str, with: &[(&str, &str)]) -> Ran {
        let step = self.step(name);
        assert_eq!(step["shell"], "bash", "{name}");
        let script = self.temp.path().join("step.sh");
        std::fs::write(&script, step["run"].as_str().unwrap()).unwrap();
        let outputs = self.temp.path().join("github_output");
        std::fs::write(&outputs, "").unwrap();
        let dir = step["working-directory"].as_str().map_or_else(
            || self.workspace.clone(),
            |d| self.workspace.join(self.expand(d, with)),
        );
        let mut cmd = dist::without_rust("bash", &self.path());
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(dir)
            .env("RUNNER_TEMP", self.temp.path())
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("GITHUB_PATH", &self.github_path)
            .env("GITHUB_OUTPUT", &outputs)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", dist::wheel_dir())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS");
        if let Some(env) = step["env"].as_object() {
            for (key, value) in env {
                cmd.env(key, self.expand(value.as_str().unwrap(), with));
            }
        }
        let out = cmd.output().unwrap();
        let outputs = std::fs::read_to_string(&outputs)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Ran {
            code: out.status.code().unwrap(),
            log: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            outputs,
        }
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.workspace.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn the_action_installs_odoo_order_and_checks_with_its_inputs() {
    if dist::wheel().is_none() {
        return;
    }
    let runner = Runner::new();

    let install = runner.run("Install odoo-order", &[]);
    assert_eq!(install.code, 0, "{}", install.log);
    assert!(
        install
            .log
            .contains(&format!("odoo-order {}", dist::VERSION)),
        "{}",
        install.log
    );

    // Defaults: every plan under the workspace, the human report.
    runner.write("plans/acme.yaml", SOUND);
    let clean = runner.run("Check the plans", &[]);
    assert_eq!(clean.code, 0, "{}", clean.log);
    assert!(
        clean.log.starts_with("odoo-order check .\n"),
        "{}",
        clean.log
    );
    assert_eq!(clean.outputs["exit-code"], "0");

    // Several paths on several lines, SARIF for the upload, more arguments, from a subfolder.
    runner.write("erp/plans/acme.yaml", SOUND);
    runner.write("erp/globex.plan.yaml", BROKEN);
    let with = [
        ("working-directory", "erp"),
        ("paths", "plans/\nglobex.plan.yaml\n"),
        ("sarif", "odoo-order.sarif"),
        ("args", "--fail-on warning"),
    ];
    let found = runner.run("Check the plans", &with);
    assert_eq!(found.code, 1, "{}", found.log);
    assert!(
        found.log.starts_with(
            "odoo-order check plans/ globex.plan.yaml --format concise --format sarif=odoo-order.sarif --fail-on warning\n"
        ),
        "{}",
        found.log
    );
    assert!(found.log.contains("OO201"), "{}", found.log);
    assert_eq!(found.outputs["exit-code"], "1");
    // The file the upload step sends is the one the check wrote, and it holds the finding.
    let upload = runner.step("Upload the findings to code scanning");
    let sent = runner.expand(upload["with"]["sarif_file"].as_str().unwrap(), &with);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(runner.workspace.join(sent)).unwrap())
            .unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "OO201"), "{sarif}");

    // Formats chosen by hand replace the default report.
    let human = runner.run(
        "Check the plans",
        &[
            ("paths", "erp/globex.plan.yaml"),
            ("format", "human\njson=odoo-order.json"),
        ],
    );
    assert_eq!(human.code, 1, "{}", human.log);
    assert!(
        human.log.starts_with(
            "odoo-order check erp/globex.plan.yaml --format human --format json=odoo-order.json\n"
        ),
        "{}",
        human.log
    );
    assert!(runner.workspace.join("odoo-order.json").exists());
}

#[test]
fn inputs_are_arguments_never_shell_code() {
    if dist::wheel().is_none() {
        return;
    }
    let runner = Runner::new();
    assert_eq!(runner.run("Install odoo-order", &[]).code, 0);
    let ran = runner.run(
        "Check the plans",
        &[("paths", "$(touch pwned) *"), ("args", "`touch pwned2`")],
    );
    assert!(!runner.workspace.join("pwned").exists(), "{}", ran.log);
    assert!(!runner.workspace.join("pwned2").exists(), "{}", ran.log);
    // odoo-order got them as words, and says so.
    assert_eq!(ran.code, 2, "{}", ran.log);
    assert!(ran.log.contains("$(touch"), "{}", ran.log);
}
