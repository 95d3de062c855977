//! The CI formats beyond what `tests/cmd/ci-formats.md` shows: SARIF's structure as GitHub code
//! scanning needs it, fingerprints that survive lines moving, escaping with hostile names, and
//! JUnit output that a real XML parser accepts.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::process::Command;

use odoo_order::check::Settings;
use odoo_order::linter::Linter;
use odoo_order::report::{self, CheckRun};
use odoo_order::rules::RULES;
use serde_json::Value;

fn run_of(name: &str, text: &str) -> CheckRun {
    let mut linter = Linter::new(Settings::default()).unwrap();
    CheckRun {
        files: vec![linter.check_bytes(Path::new(name), name, text.as_bytes())],
        ..CheckRun::default()
    }
}

const LATE_SALES: &str = "odoo: \"17.0\"\nphases:\n  - id: kickoff\n    modules: [sale_management, purchase]\n  - id: finance\n    modules: [account]\n";

#[test]
fn sarif_has_what_code_scanning_needs() {
    let sarif: Value = serde_json::from_str(&report::sarif::render_run(&run_of(
        "plans/a.yaml",
        LATE_SALES,
    )))
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (descriptor, rule) in rules.iter().zip(RULES) {
        assert_eq!(descriptor["id"], rule.code);
        assert!(
            descriptor["helpUri"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        assert!(
            !descriptor["fullDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert!(
            descriptor["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## How to fix")
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:#?}");
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "plans/a.yaml");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        assert!(result["partialFingerprints"]["odooOrder/v1"].is_string());
        assert!(!result["relatedLocations"].as_array().unwrap().is_empty());
    }
    // sale_management → sale → account_payment → account: one thread flow step per module,
    // each at a real location, the last at the node where `account` is planned.
    let flow = &results[0]["codeFlows"][0]["threadFlows"][0]["locations"];
    let steps = flow.as_array().unwrap();
    assert_eq!(steps.len(), 4);
    assert!(
        steps
            .iter()
            .all(|s| s["location"]["physicalLocation"]["region"]["startLine"].is_u64())
    );
    assert_eq!(
        steps[3]["location"]["physicalLocation"]["region"]["startLine"],
        6
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let broken: Value =
        serde_json::from_str(&report::sarif::render_run(&run_of("b.yaml", "odoo: [\n"))).unwrap();
    let invocation = &broken["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
}

fn fingerprints(json: &str, pointer: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(json).unwrap();
    let items = if pointer.is_empty() {
        value.as_array().unwrap().clone()
    } else {
        value.pointer(pointer).unwrap().as_array().unwrap().clone()
    };
    items
        .iter()
        .map(|i| {
            i.pointer("/fingerprint")
                .or_else(|| i.pointer("/partialFingerprints/odooOrder~1v1"))
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn fingerprints_survive_lines_moving() {
    let moved = format!("# a comment\n# and another\n{LATE_SALES}");
    let before = run_of("plans/a.yaml", LATE_SALES);
    let after = run_of("plans/a.yaml", &moved);
    let gitlab = |run| fingerprints(&report::gitlab::render_run(run), "");
    let sarif = |run| fingerprints(&report::sarif::render_run(run), "/runs/0/results");
    assert_eq!(gitlab(&before), gitlab(&after));
    assert_eq!(sarif(&before), sarif(&after));
    let lines = |run| {
        let v: Value = serde_json::from_str(&report::gitlab::render_run(run)).unwrap();
        v[0]["location"]["lines"]["begin"].clone()
    };
    assert_ne!(lines(&before), lines(&after), "the lines did move");
    let prints = gitlab(&before);
    assert_eq!(prints.len(), 2);
    assert_ne!(prints[0], prints[1]);
    assert_ne!(
        gitlab(&run_of("plans/b.yaml", LATE_SALES)),
        prints,
        "the path counts"
    );
}

const HOSTILE: &str =
    "odoo: \"17.0\"\nphases:\n  - id: finance\n    modules: [account, \"50%,a:b<c&d>'e'\\\"\"]\n";

#[test]
fn github_commands_escape_properties_and_data() {
    let out = report::github::render_run(&run_of("plans/a,b:c%.yaml", HOSTILE));
    let line = out.lines().find(|l| l.contains("OO101")).unwrap();
    assert!(
        line.starts_with("::error file=plans/a%2Cb%3Ac%25.yaml,line=4,col=24,"),
        "{line}"
    );
    let (_, message) = line.split_once("::unknown module").unwrap();
    assert!(
        message.contains("50%25,a:b<c&d>"),
        "data escapes `%` only: {message}"
    );
    assert!(!message.contains('\n'));
}

#[test]
fn junit_is_well_formed_xml() {
    if !support::python_with(&["xml.dom.minidom"]) {
        return;
    }
    let xml = report::junit::render_run(&run_of("plans/<a&b>.yaml", HOSTILE));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xml");
    std::fs::write(&path, &xml).unwrap();
    let check = "import sys, xml.dom.minidom as m\nd = m.parse(sys.argv[1])\nprint(len(d.getElementsByTagName('testcase')), len(d.getElementsByTagName('failure')))";
    let out = Command::new("python3")
        .args(["-c", check])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "1 1", "{xml}");
}
