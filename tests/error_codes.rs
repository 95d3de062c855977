//! The hard-error code registry (`odoo_order::error::codes`): every code once, pinned, and used
//! by name. The rule codes have the same contract in `tests/registry.rs`.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use odoo_order::config::{Config, Overrides};
use odoo_order::error::{Error, codes};
use odoo_order::yaml;

/// The registry as a reviewer reads it: one code a line. A new, renamed or removed code shows
/// here as a snapshot diff, since CI scripts and editors may match these codes.
#[test]
fn every_code_is_registered_once() {
    let mut seen = BTreeSet::new();
    let mut listing = String::new();
    for (code, summary) in codes::ALL {
        assert!(seen.insert(*code), "`{code}` is registered twice");
        assert!(!summary.is_empty(), "`{code}` has no summary");
        let shape_ok = match code.split_once("::") {
            Some((kind, name)) => {
                [
                    "plan",
                    "config",
                    "baseline",
                    "rules",
                    "manifest",
                    "fix",
                    "installed",
                ]
                .contains(&kind)
                    && !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
            }
            None => ["io", "no_plans", "usage"].contains(code),
        };
        assert!(shape_ok, "`{code}` is not `kind::kebab-name`");
        writeln!(listing, "{code:<26} {summary}").unwrap();
    }
    insta::assert_snapshot!("registry", listing);
}

/// Each YAML file kind's loader reports problems in its own family of registered codes: a
/// rules data file is never told it has a `plan::` problem.
#[test]
fn each_yaml_kind_uses_its_own_registered_codes() {
    for (words, kind) in [
        (yaml::PLAN, "plan"),
        (yaml::CONFIG, "config"),
        (yaml::BASELINE, "baseline"),
        (yaml::RULES, "rules"),
    ] {
        let mut kind_codes = vec![
            words.encoding,
            words.unknown_key,
            words.unknown_value,
            words.duplicate_key,
            words.missing_key,
            words.syntax,
        ];
        if !words.empty.0.is_empty() {
            kind_codes.push(words.empty.0);
        }
        for code in kind_codes {
            assert!(registered(code), "{kind}: `{code}` is not registered");
            assert!(
                code.starts_with(&format!("{kind}::")),
                "{kind}: `{code}` belongs to another kind"
            );
        }
    }
}

/// The `Error` variants name their code in a `#[diagnostic(code(...))]` attribute, which cannot
/// refer to a constant: this keeps them equal to the registry.
#[test]
fn error_variants_report_their_registered_codes() {
    let io = || std::io::Error::other("test");
    let cases = [
        (
            Error::Io {
                path: PathBuf::from("x"),
                source: io(),
            },
            codes::IO,
        ),
        (
            Error::Write {
                path: PathBuf::from("x"),
                source: io(),
            },
            codes::IO,
        ),
        (
            Error::NoPlans {
                path: PathBuf::from("x"),
            },
            codes::NO_PLANS,
        ),
        (Error::usage("x", None), codes::USAGE),
    ];
    for (err, code) in cases {
        let shown = err.code().map(|c| c.to_string());
        assert_eq!(shown.as_deref(), Some(code), "{err:?}");
    }
    let manifest = odoo_order::manifest::parse("[").unwrap_err();
    let shown = manifest.code().map(|c| c.to_string());
    assert_eq!(shown.as_deref(), Some(codes::MANIFEST_INVALID));
}

/// Issue 10, item 2: a bad rules data file named by `extra_rules` is reported in its own words
/// and codes, located in that file.
#[test]
fn a_bad_extra_rules_file_has_a_rules_code() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("extra.yaml"),
        "layerz:\n  accounting: [x]\n",
    )
    .unwrap();
    let config = dir.path().join("odoo-order.yaml");
    std::fs::write(&config, "extra_rules: [extra.yaml]\n").unwrap();
    let err = Config::load(&config, &Overrides::default()).expect_err("the rules file is bad");
    let Error::Invalid(invalid) = err else {
        panic!("not an invalid file: {err:?}");
    };
    assert_eq!(
        invalid.file.name().rsplit(['/', '\\']).next(),
        Some("extra.yaml")
    );
    assert_eq!(invalid.kind, yaml::RULES.noun);
    let found: Vec<&str> = invalid.problems.iter().map(|p| p.code).collect();
    assert_eq!(found, [codes::RULES_UNKNOWN_KEY]);
}

/// Call sites name the registry's constants: a `"kind::name"` string anywhere else in `src/`
/// is a code that escaped the registry.
#[test]
fn no_code_is_written_as_a_string_outside_the_registry() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let registry = src.join("error").join("codes.rs");
    let mut stray = Vec::new();
    for file in rust_files(&src) {
        if file == registry {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // A `#[diagnostic(code(...))]` attribute cannot name a constant; the test above
        // keeps those equal to the registry.
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.contains("#[diagnostic("))
        {
            for code in codes::ALL
                .iter()
                .map(|(c, _)| *c)
                .filter(|c| c.contains("::"))
            {
                if line.contains(&format!("\"{code}\"")) {
                    stray.push(format!("{}:{}: {code}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        stray.is_empty(),
        "use `codes::*` instead:\n{}",
        stray.join("\n")
    );
}

fn registered(code: &str) -> bool {
    codes::ALL.iter().any(|(c, _)| *c == code)
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// A `"kind::name"` string in `src/` that the registry does not list is a code that was never
/// registered: the test above only catches registered codes written out again.
#[test]
fn every_code_shaped_string_in_src_is_registered() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut unregistered = Vec::new();
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        // Comments may show the shape itself.
        for (n, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim_start().starts_with("//"))
        {
            for literal in line.split('"').skip(1).step_by(2) {
                if looks_like_code(literal) && !registered(literal) {
                    unregistered.push(format!("{}:{}: {literal}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        unregistered.is_empty(),
        "register these in src/error/codes.rs:\n{}",
        unregistered.join("\n")
    );
}

/// Issue 10, item 2: the three codes without a kind (`io`, `no_plans`, `usage`) are not
/// code-shaped, so the scan above cannot see them written out: the formats once spelt them
/// as loose strings, five times each. Only the registry spells them.
#[test]
fn codes_without_a_kind_are_written_only_in_the_registry() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let registry = src.join("error").join("codes.rs");
    let bare: Vec<String> = codes::ALL
        .iter()
        .filter(|(code, _)| !code.contains("::"))
        .map(|(code, _)| format!("\"{code}\""))
        .collect();
    assert_eq!(bare.len(), 3, "{bare:?}");
    let mut loose = Vec::new();
    for file in rust_files(&src).into_iter().filter(|f| *f != registry) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if bare.iter().any(|b| line.contains(b.as_str())) {
                loose.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        loose.is_empty(),
        "name these through src/error/codes.rs:\n{}",
        loose.join("\n")
    );
}

/// `kind::name`: a lowercase kind, `::`, a kebab-case name (Rust paths in strings have
/// upper-case or `_` in their last segment far more often than not; codes never do).
fn looks_like_code(s: &str) -> bool {
    let Some((kind, name)) = s.split_once("::") else {
        return false;
    };
    !kind.is_empty()
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        && !name.is_empty()
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn code_shapes_are_told_from_other_strings() {
    assert!(looks_like_code("installed::bad-name"));
    assert!(looks_like_code("plan::unknown-key"));
    assert!(!looks_like_code("std::fmt::Write"));
    assert!(!looks_like_code("usage"));
    assert!(!looks_like_code("crate::Error"));
}
