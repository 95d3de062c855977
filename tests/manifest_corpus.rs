//! Our manifest parser against Python's own `ast.literal_eval`, on every manifest of the
//! shared addons corpus: the whole value tree, then the typed fields with Odoo's defaults.
//!
//! Needs `../shared/corpus/addons-17.0` and `python3`. Without either, a developer's run says
//! so on the terminal (not in captured output) and passes, since a fresh clone has neither;
//! under CI (`CI` set) the tests fail instead, so a missing corpus never passes as green.

// Helpers outside `#[test]` functions are not covered by clippy.toml's test allowances: in a
// test a panic is the failure report, and the skip note belongs on the test's output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

use odoo_order::addons;
use odoo_order::manifest::{self, AutoInstallSpec, Manifest, PyNode, PyValue};
use serde_json::{Value, json};

/// Reads every manifest the way Odoo does (text mode, UTF-8, universal newlines, then
/// `ast.literal_eval`) and prints one JSON object keyed by path relative to the corpus.
/// Types JSON cannot tell apart are tagged: `{"tuple": [...]}`, `{"set": [...]}` (sorted),
/// `{"dict": [[k, v], ...]}` (Python's order, duplicates resolved), floats by their bits.
const PYTHON: &str = r#"
import ast, glob, json, os, struct, sys, warnings
warnings.simplefilter("ignore")  # invalid escapes such as "\会" warn but are kept

def canon(t):
    return json.dumps(t, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

def tag(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if -2**63 <= v < 2**63 else {"bigint": str(v)}
    if isinstance(v, float):
        return {"float_bits": struct.unpack("<q", struct.pack("<d", v))[0]}
    if isinstance(v, list):
        return [tag(x) for x in v]
    if isinstance(v, tuple):
        return {"tuple": [tag(x) for x in v]}
    if isinstance(v, (set, frozenset)):
        return {"set": sorted((tag(x) for x in v), key=canon)}
    if isinstance(v, dict):
        return {"dict": [[tag(k), tag(x)] for k, x in v.items()]}
    return {"unsupported": type(v).__name__}

def fields(d):
    ai = d.get("auto_install", False)
    return {
        "name": d.get("name"),
        "depends": list(d.get("depends", [])),
        "auto_install": ai if isinstance(ai, bool) else list(dict.fromkeys(ai)),
        "application": d.get("application", False),
        "category": d.get("category", "Uncategorized"),
        "countries": list(d.get("countries", [])),
        "installable": d.get("installable", True),
        "version": d.get("version"),
        "license": d.get("license"),
    }

root = sys.argv[1]
out = {}
for path in sorted(glob.glob(os.path.join(root, "*", "*", "__manifest__.py"))):
    rel = os.path.relpath(path, root)
    try:
        with open(path, encoding="utf-8") as f:
            value = ast.literal_eval(f.read())
        out[rel] = {"value": tag(value), "fields": fields(value)}
    except Exception as e:
        out[rel] = {"error": repr(e)}
json.dump(out, sys.stdout, ensure_ascii=False)
"#;

/// Skips a test for want of `what`: a failure under CI, else a note on the terminal.
fn skip(what: &str) {
    support::skip(&format!(
        "{what}: the manifest parser cannot be checked against the corpus"
    ));
}

fn corpus() -> Option<PathBuf> {
    support::shared("corpus/addons-17.0")
}

/// Python's verdict on every corpus manifest, or `None` (with a note) without python3.
fn python_view(corpus: &Path) -> Option<BTreeMap<String, Value>> {
    let output = match Command::new("python3")
        .arg("-c")
        .arg(PYTHON)
        .arg(corpus)
        .output()
    {
        Ok(output) => output,
        Err(e) => {
            skip(&format!("cannot run python3: {e}"));
            return None;
        }
    };
    assert!(
        output.status.success(),
        "the Python reference script failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("python3 printed JSON"))
}

/// Our value in the same tagged shape as the Python script prints.
fn tag(node: &PyNode) -> Value {
    match &node.value {
        PyValue::None => Value::Null,
        PyValue::Bool(b) => json!(b),
        PyValue::Int(i) => json!(i),
        PyValue::Float(x) => json!({ "float_bits": x.to_bits().cast_signed() }),
        PyValue::Str(s) => json!(s),
        PyValue::List(items) => Value::Array(items.iter().map(tag).collect()),
        PyValue::Tuple(items) => json!({ "tuple": items.iter().map(tag).collect::<Vec<_>>() }),
        PyValue::Set(items) => {
            let mut set: Vec<Value> = Vec::new();
            for value in items.iter().map(tag) {
                if !set.contains(&value) {
                    set.push(value);
                }
            }
            set.sort_by_cached_key(|v| serde_json::to_string(v).unwrap());
            json!({ "set": set })
        }
        PyValue::Dict(entries) => {
            // A repeated key keeps its first position and takes the last value, as in Python.
            let mut dict: Vec<(Value, Value)> = Vec::new();
            for (k, v) in entries {
                let (k, v) = (tag(k), tag(v));
                match dict.iter_mut().find(|(seen, _)| *seen == k) {
                    Some(entry) => entry.1 = v,
                    None => dict.push((k, v)),
                }
            }
            json!({ "dict": dict.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>() })
        }
    }
}

fn fields(m: &Manifest) -> Value {
    json!({
        "name": m.name,
        "depends": m.depends,
        "auto_install": match &m.auto_install {
            AutoInstallSpec::No => json!(false),
            AutoInstallSpec::All => json!(true),
            AutoInstallSpec::Triggers(t) => json!(t),
        },
        "application": m.application,
        "category": m.category,
        "countries": m.countries,
        "installable": m.installable,
        "version": m.version,
        "license": m.license,
    })
}

/// The path to the first place where two tagged trees differ, and both sides there.
fn first_difference(ours: &Value, theirs: &Value, path: &str) -> Option<String> {
    match (ours, theirs) {
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(x, y, &format!("{path}[{i}]"))),
        (Value::Object(a), Value::Object(b)) if a.len() == b.len() => {
            a.iter().find_map(|(k, x)| {
                b.get(k).map_or_else(
                    || Some(format!("{path}.{k}: only ours has it")),
                    |y| first_difference(x, y, &format!("{path}.{k}")),
                )
            })
        }
        _ if ours == theirs => None,
        _ => Some(format!("{path}: ours {ours}, python {theirs}")),
    }
}

#[test]
fn every_corpus_manifest_matches_python_literal_eval() {
    let Some(corpus) = corpus() else { return };
    let Some(python) = python_view(&corpus) else {
        return;
    };
    assert!(python.len() > 800, "only {} manifests found", python.len());
    let mut failures = Vec::new();
    for (rel, expected) in &python {
        let source = std::fs::read(corpus.join(rel)).unwrap();
        let ours = manifest::parse_bytes(&source);
        if let Some(error) = expected.get("error") {
            if ours.is_ok() {
                failures.push(format!("{rel}: python fails ({error}), we parse it"));
            }
            continue;
        }
        let node = match ours {
            Ok(node) => node,
            Err(e) => {
                failures.push(format!("{rel}:{}:{}: {}", e.line, e.column, e.message));
                continue;
            }
        };
        if let Some(diff) = first_difference(&tag(&node), &expected["value"], "") {
            failures.push(format!("{rel}: value{diff}"));
        }
        let text = std::str::from_utf8(&source).unwrap();
        match Manifest::from_node(text, &node) {
            Ok(m) => {
                if let Some(diff) = first_difference(&fields(&m), &expected["fields"], "") {
                    failures.push(format!("{rel}: fields{diff}"));
                }
            }
            Err(e) => failures.push(format!("{rel}:{}:{}: {}", e.line, e.column, e.message)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} manifests differ from Python:\n{}",
        failures.len(),
        python.len(),
        failures.join("\n")
    );
}

#[test]
fn scanning_the_corpus_finds_every_manifest_without_problems() {
    let Some(corpus) = corpus() else { return };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    paths.sort();
    let result = addons::scan(&paths);
    assert!(
        result.problems.is_empty(),
        "{:#?}",
        result
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    assert_eq!(result.addons.len(), 853);
    assert!(result.addons.windows(2).all(|w| w[0].name < w[1].name));
    let account = result.addons.iter().find(|a| a.name == "account").unwrap();
    assert!(account.manifest.application);
    assert!(account.path.ends_with("odoo/account/__manifest__.py"));
    let bridge = result
        .addons
        .iter()
        .find(|a| a.name == "sale_stock")
        .unwrap();
    assert_eq!(bridge.manifest.auto_install, AutoInstallSpec::All);
}

/// The typed view of every Odoo module in the corpus against `../shared/odoo/17.0.json`,
/// facts read from Odoo 17.0 by another tool with Odoo's defaults applied.
#[test]
fn odoo_modules_agree_with_the_shared_17_0_facts() {
    let Some(corpus) = corpus() else { return };
    let facts_path = corpus.join("../../odoo/17.0.json");
    let Ok(facts) = std::fs::read(&facts_path) else {
        skip(&format!("{} is absent", facts_path.display()));
        return;
    };
    let facts: Value = serde_json::from_slice(&facts).unwrap();
    let facts = facts["addons"].as_object().unwrap();
    let result = addons::scan(&[corpus.join("odoo")]);
    assert!(result.problems.is_empty());
    let mut compared = 0;
    let mut failures = Vec::new();
    for addon in &result.addons {
        let Some(expected) = facts.get(&addon.name) else {
            failures.push(format!("{}: not in 17.0.json", addon.name));
            continue;
        };
        let m = &addon.manifest;
        let auto_install = match &m.auto_install {
            AutoInstallSpec::No => json!(false),
            AutoInstallSpec::All => json!(true),
            // The facts list triggers sorted; Odoo keeps them as a set.
            AutoInstallSpec::Triggers(t) => {
                let mut t = t.clone();
                t.sort();
                json!(t)
            }
        };
        let ours = json!({
            "depends": m.depends,
            "category": m.category,
            "application": m.application,
            "auto_install": auto_install,
            "installable": m.installable,
            "countries": m.countries,
            "version": m.version.as_deref().unwrap_or("1.0"),
            "license": m.license.as_deref().unwrap_or("LGPL-3"),
        });
        if let Some(diff) = first_difference(&ours, expected, "") {
            failures.push(format!("{}: {diff}", addon.name));
        }
        compared += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared > 500, "only {compared} compared");
}
