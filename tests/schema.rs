//! `odoo-order schema` against a real JSON Schema validator (Python's `jsonschema`): the schema
//! is valid draft-07, every example, every passing rule fixture and the `init` starter plan
//! validate, and plans with an unknown key or an unknown waiver rule do not. Skipped with a
//! note where Python's `jsonschema` is missing, required when `CI` is set.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Loads YAML the way editors' YAML 1.2 tooling does (dates stay strings) and validates.
const VALIDATE: &str = r#"
import json, sys, yaml, jsonschema
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as f:
        doc = yaml.load(f, Loader=Loader)
    errors = sorted(e.message for e in validator.iter_errors(doc))
    print(path + "\t" + ("ok" if not errors else "; ".join(errors)))
"#;

fn validate(files: &[PathBuf]) -> BTreeMap<PathBuf, String> {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("plan.schema.json");
    std::fs::write(&schema, odoo_order::schema::plan_schema()).unwrap();
    let out = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .arg(&schema)
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (path, verdict) = l.split_once('\t').unwrap();
            (PathBuf::from(path), verdict.to_owned())
        })
        .collect()
}

fn yaml_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(prefix) && name.ends_with(".yaml")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_sound_plan_validates_and_mistakes_do_not() {
    if !support::python_with(&["jsonschema", "yaml"]) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut good = yaml_files(&root.join("examples"), "");
    // The folder's configuration is no plan (docs/config.schema.json is its schema).
    good.retain(|p| !p.ends_with("odoo-order.yaml"));
    for rule in std::fs::read_dir(root.join("tests/fixtures/rules")).unwrap() {
        good.extend(yaml_files(&rule.unwrap().path(), "pass"));
    }
    let dir = tempfile::tempdir().unwrap();
    let starter = dir.path().join("odoo-plan.yaml");
    std::fs::write(&starter, odoo_order::commands::init::STARTER_PLAN).unwrap();
    good.push(starter);
    let custom = dir.path().join("custom-module.yaml");
    std::fs::write(
        &custom,
        "odoo: \"17.0\"\nphases:\n  - id: finance\n    go_live: 2026-01-15\n    modules: [account, mis_builder_our_reports]\n",
    )
    .unwrap();
    good.push(custom);
    assert!(good.len() > 15, "{good:?}");

    let unknown_key = root.join("tests/fixtures/plans/unknown-key.yaml");
    let bad_rule = dir.path().join("bad-waiver.yaml");
    std::fs::write(
        &bad_rule,
        "odoo: \"17.0\"\nphases:\n  - id: a\n    modules: [crm]\nwaivers:\n  - rule: layer-ordre\n    reason: typo\n",
    )
    .unwrap();
    let bad: Vec<PathBuf> = vec![unknown_key.clone(), bad_rule.clone()];

    let verdicts = validate(&[good.clone(), bad].concat());
    for path in &good {
        assert_eq!(verdicts[path], "ok", "{} should validate", path.display());
    }
    assert!(
        verdicts[&unknown_key].contains("'modulse' was unexpected"),
        "{}",
        verdicts[&unknown_key]
    );
    assert!(
        verdicts[&bad_rule].contains("'layer-ordre' is not one of"),
        "{}",
        verdicts[&bad_rule]
    );
}
