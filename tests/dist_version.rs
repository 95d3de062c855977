//! The version is written in one place, Cargo.toml: the wheel takes it from there
//! (`dynamic`), and every file that must name it (the action's default, the pre-commit mirror's
//! pin, the README's pinned snippets) names this one, so that raising it is one edit plus what
//! this test lists. CHANGELOG.md keeps an Unreleased section, as Keep a Changelog does.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod dist;
mod support;

use dist::VERSION;

fn read(path: &str) -> String {
    std::fs::read_to_string(dist::root().join(path)).unwrap()
}

/// Every version written after `before` (up to the first character that cannot be part of one).
fn pinned<'a>(text: &'a str, before: &str) -> Vec<&'a str> {
    text.match_indices(before)
        .map(|(at, _)| {
            let rest = &text[at + before.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches('.')
        })
        .collect()
}

#[test]
fn the_wheel_takes_cargo_s_version() {
    let pyproject = read("pyproject.toml");
    assert!(
        pyproject.contains("dynamic = [\"version\"]"),
        "pyproject.toml must take its version from Cargo.toml"
    );
    assert!(
        !pyproject
            .lines()
            .any(|l| l.trim_start().starts_with("version")),
        "pyproject.toml writes a version of its own"
    );
    assert!(pyproject.contains("bindings = \"bin\""));
}

#[test]
fn every_file_that_names_the_version_names_this_one() {
    let places: &[(&str, &[&str])] = &[
        (
            ".github/pre-commit-mirror/pyproject.toml",
            &["\"odoo-order=="],
        ),
        (".github/pre-commit-mirror/README.md", &["rev: v"]),
        (
            "README.md",
            &[
                "odoo-order==",
                "odoo-order/odoo-order@v",
                "rev: v",
                "pins odoo-order's version (",
            ],
        ),
    ];
    for (path, markers) in places {
        let text = read(path);
        let mut found = 0;
        for marker in *markers {
            for version in pinned(&text, marker) {
                assert_eq!(version, VERSION, "{path}: `{marker}{version}`");
                found += 1;
            }
        }
        assert!(found > 0, "{path} names no version");
    }
    // The action installs its own version unless told otherwise.
    let action: serde_json::Value = serde_saphyr::from_str(&read("action.yml")).unwrap();
    assert_eq!(
        action["inputs"]["version"]["default"], VERSION,
        "action.yml"
    );
}

#[test]
fn the_changelog_keeps_an_unreleased_section() {
    let changelog = read("CHANGELOG.md");
    let sections: Vec<&str> = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .collect();
    assert_eq!(sections.first(), Some(&"[Unreleased]"), "{sections:?}");
    assert!(
        changelog.contains("\n[Unreleased]: "),
        "a link for [Unreleased]"
    );
    // Released versions are `## [x.y.z] - YYYY-MM-DD`, newest first, none above this one.
    for section in &sections[1..] {
        let Some((version, _)) = section.strip_prefix('[').and_then(|s| s.split_once("] - "))
        else {
            panic!("`## {section}` is not `## [x.y.z] - date`");
        };
        assert!(
            changelog.contains(&format!("\n[{version}]: ")),
            "a link for [{version}]"
        );
    }
}
