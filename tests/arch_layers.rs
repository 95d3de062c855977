//! The layering of `src/`, read from the source text the way a reviewer would check it: data
//! flows one way (the pipeline never reaches up into the renderers), and rule codes are named
//! through the rule registry, never spelled out, outside `src/rules/`.
//!
//! Both are import or spelling rules that the compiler does not enforce, so a scan keeps them.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted, as paths relative to the crate root with `/`.
fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, fs::read_to_string(&path).unwrap()));
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 50, "the scan found too few files in src/");
    files
}

/// The code of a line, without a `//` comment (doc comments link to other layers freely).
fn code(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed.starts_with("//") {
        return "";
    }
    line.find(" //").map_or(line, |at| &line[..at])
}

/// Files above the pipeline: the front ends (command line, commands, language server) and the
/// presentation (renderers, and where their text is written).
const ABOVE_THE_PIPELINE: &[&str] = &[
    "src/main.rs",
    "src/lib.rs",
    "src/cli.rs",
    "src/commands/",
    "src/server/",
    "src/report/",
    "src/output.rs",
];

/// Whether a file's code names the `report` module: a path through `crate::report`, or
/// `report` inside a grouped `use crate::{...}`.
fn names_report(text: &str) -> Option<(usize, String)> {
    let mut in_group = false;
    for (n, line) in text.lines().enumerate() {
        let code = code(line);
        if code.contains("use crate::{") {
            in_group = true;
        }
        let in_group_token = in_group
            && code
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == "report");
        if code.contains("crate::report") || in_group_token {
            return Some((n + 1, line.trim().to_owned()));
        }
        if in_group && code.contains("};") {
            in_group = false;
        }
    }
    None
}

#[test]
fn the_pipeline_never_imports_the_renderers() {
    let mut offenders = Vec::new();
    for (path, text) in sources() {
        if ABOVE_THE_PIPELINE.iter().any(|p| path.starts_with(p)) {
            continue;
        }
        if let Some((line, code)) = names_report(&text) {
            offenders.push(format!("{path}:{line}: {code}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "the pipeline builds data; only the layers above it may use `crate::report` \
         (the run's result model is `crate::outcome`):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_layering_scan_sees_an_import_of_the_renderers() {
    assert!(names_report("use crate::report::FileResult;\n").is_some());
    assert!(names_report("use crate::{\n    finding,\n    report::Printer,\n};\n").is_some());
    assert!(names_report("//! Rendered by [`crate::report`].\nuse crate::outcome;\n").is_none());
    assert!(names_report("use crate::{finding, reporter};\n").is_none());
}

/// The first `"OO` + three digits string literal in a file's code outside its tests: a rule
/// code spelled out, which a renamed or split rule would leave behind silently.
fn spelled_rule_code(text: &str) -> Option<(usize, String)> {
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = code(line);
        let bytes = code.as_bytes();
        let spelled = bytes
            .windows(6)
            .any(|w| w.starts_with(b"\"OO") && w[3..].iter().all(u8::is_ascii_digit));
        if spelled {
            return Some((n + 1, line.trim().to_owned()));
        }
    }
    None
}

#[test]
fn rule_codes_are_named_through_the_registry_outside_the_rules() {
    let mut offenders = Vec::new();
    for (path, text) in sources() {
        let test_file = path.ends_with("/tests.rs") || path.contains("/tests/");
        if path.starts_with("src/rules/") || test_file {
            continue;
        }
        if let Some((line, code)) = spelled_rule_code(&text) {
            offenders.push(format!("{path}:{line}: {code}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "name a rule by its registry constant (`rules::unknown_module::CODE`) or \
         `rules::find`, not by its code in a string:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_rule_code_scan_sees_a_spelled_code() {
    assert!(spelled_rule_code("    if f.code == \"OO108\" {\n").is_some());
    assert!(spelled_rule_code("const FIXABLE: &[&str] = &[\"OO201\"];\n").is_some());
    assert!(spelled_rule_code("/// OO101 reports it (`\"OO101\"`)\n").is_none());
    assert!(
        spelled_rule_code("#[cfg(test)]\nmod tests { const C: &str = \"OO101\"; }\n").is_none()
    );
    assert!(spelled_rule_code("let code = rules::unknown_module::CODE;\n").is_none());
}

/// The rule modules: every file of `src/rules/` but the registry and the shared helpers.
fn rule_modules(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("src/rules/")?.strip_suffix(".rs"))
        .filter(|name| !matches!(*name, "mod" | "util") && !name.contains('/'))
        .map(str::to_owned)
        .collect()
}

/// The first line of `text`'s code (outside its tests) that names a rule module of `rules`
/// other than `own`: `rules::name::…`, `super::name::…`, or `name` in a grouped
/// `use crate::rules::{…}`.
fn names_other_rule(text: &str, own: &str, rules: &[String]) -> Option<(usize, String)> {
    let mut in_group = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = code(line);
        if code.contains("rules::{") {
            in_group = true;
        }
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .collect();
        let hit = rules.iter().filter(|r| r.as_str() != own).any(|r| {
            words.iter().any(|w| {
                w.contains(&format!("rules::{r}::"))
                    || w.starts_with(&format!("super::{r}::"))
                    || (in_group && w == r)
            })
        });
        if hit {
            return Some((n + 1, line.trim().to_owned()));
        }
        if in_group && code.contains('}') {
            in_group = false;
        }
    }
    None
}

#[test]
fn no_rule_imports_another_rule() {
    let files = sources();
    let rules = rule_modules(&files);
    assert!(rules.len() > 10, "the scan found too few rule files");
    let mut offenders = Vec::new();
    for (path, text) in &files {
        let Some(own) = path
            .strip_prefix("src/rules/")
            .and_then(|p| p.strip_suffix(".rs"))
        else {
            continue;
        };
        if !rules.iter().any(|r| r == own) {
            continue;
        }
        if let Some((line, code)) = names_other_rule(text, own, &rules) {
            offenders.push(format!("{path}:{line}: {code}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "a rule reads what it shares with other rules from `rules::util`, not from another \
         rule's file (rename or split that rule and this one breaks):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_rule_import_scan_sees_another_rule() {
    let rules = vec!["layer_order".to_owned(), "accounting_not_first".to_owned()];
    let own = "layer_order";
    assert!(
        names_other_rule(
            "use crate::rules::accounting_not_first::{Classes, need};\n",
            own,
            &rules
        )
        .is_some()
    );
    assert!(
        names_other_rule(
            "use crate::rules::{\n    Context,\n    accounting_not_first,\n};\n",
            own,
            &rules
        )
        .is_some()
    );
    assert!(names_other_rule("use super::accounting_not_first::STOCK;\n", own, &rules).is_some());
    assert!(names_other_rule("use crate::rules::util::{Classes, need};\n", own, &rules).is_none());
    assert!(names_other_rule("use crate::rules::layer_order::CODE;\n", own, &rules).is_none());
    assert!(
        names_other_rule(
            "//! Unlike [`crate::rules::accounting_not_first`], ...\n",
            own,
            &rules
        )
        .is_none()
    );
}
