//! Compiles the built-in catalogs (`rules/catalog/`) into static data, so that a run pays
//! nothing to parse them: YAML parsing of the catalog files would cost more than checking a
//! small plan. Per series, the generated manifest facts (`<series>.facts.yaml`) and the
//! curated layer (`<series>.yaml`) become one sorted module table; `renames.yaml` becomes one
//! table for all series. The YAML files stay the source of truth.

// A build script fails by panicking: cargo shows the message and stops the build, which is
// what a broken built-in catalog must do.
#![allow(clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)] // the library uses more of the format than the build script
mod format {
    include!("src/catalog/format.rs");
}

use format::{RawAutoInstall, RawCurated, RawFacts, RawRenameKind, RawRenames};

const SERIES: &[&str] = &["17.0", "18.0", "19.0"];

fn read<T: serde::de::DeserializeOwned>(path: &str) -> T {
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let mut code = String::new();
    for series in SERIES {
        let facts: RawFacts = read(&format!("rules/catalog/{series}.facts.yaml"));
        let curated: RawCurated = read(&format!("rules/catalog/{series}.yaml"));
        assert_eq!(
            facts.series, *series,
            "rules/catalog/{series}.facts.yaml: `series` does not match the file name"
        );
        let problems = format::problems(&facts, &curated);
        assert!(
            problems.is_empty(),
            "rules/catalog/{series}:\n{}",
            problems.join("\n")
        );
        emit(&mut code, series, &facts, &curated);
    }
    let renames: RawRenames = read("rules/catalog/renames.yaml");
    emit_renames(&mut code, &renames);
    println!("cargo:rerun-if-changed=src/catalog/format.rs");
    std::fs::write(Path::new(&out_dir).join("catalogs.rs"), code).expect("OUT_DIR is writable");
}

fn strs(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}

/// One `StaticModule` line; `enterprise` carries the source and whether depends are known.
struct Line<'a> {
    name: &'a str,
    depends: &'a [String],
    auto: String,
    application: bool,
    category: Option<&'a str>,
    countries: &'a [String],
    installable: bool,
    enterprise: Option<(&'a str, bool)>,
}

fn auto(spec: Option<&RawAutoInstall>) -> String {
    match spec {
        None | Some(RawAutoInstall::Flag(false)) => "StaticAuto::No".to_owned(),
        Some(RawAutoInstall::Flag(true)) => "StaticAuto::All".to_owned(),
        Some(RawAutoInstall::Triggers(t)) => format!("StaticAuto::Triggers({})", strs(t)),
    }
}

fn emit(code: &mut String, series: &str, facts: &RawFacts, curated: &RawCurated) {
    let mut lines: Vec<Line<'_>> = Vec::new();
    for (name, m) in &facts.modules {
        lines.push(Line {
            name,
            depends: &m.depends,
            auto: auto(m.auto_install.as_ref()),
            application: m.application,
            category: Some(m.category.as_deref().unwrap_or("Uncategorized")),
            countries: &m.countries,
            installable: m.installable,
            enterprise: None,
        });
    }
    for (name, m) in &curated.enterprise {
        lines.push(Line {
            name,
            depends: m.depends.as_deref().unwrap_or_default(),
            auto: "StaticAuto::No".to_owned(),
            application: m.application,
            category: m.category.as_deref(),
            countries: &[],
            installable: true,
            enterprise: Some((&m.source, m.depends.is_some())),
        });
    }
    // An addon added to the series later is a Community addon like the others; its source
    // stays in the YAML, where the tests check it.
    for (name, m) in &curated.later {
        lines.push(Line {
            name,
            depends: &m.depends,
            auto: auto(m.auto_install.as_ref()),
            application: false,
            category: Some(m.category.as_deref().unwrap_or("Uncategorized")),
            countries: &[],
            installable: true,
            enterprise: None,
        });
    }
    lines.sort_by(|a, b| a.name.cmp(b.name));

    let ident = format!("CATALOG_{}", series.replace('.', "_"));
    let _ = writeln!(
        code,
        "/// The compiled `rules/catalog/{series}.facts.yaml` and `rules/catalog/{series}.yaml`."
    );
    let _ = writeln!(code, "pub static {ident}: StaticCatalog = StaticCatalog {{");
    let _ = writeln!(code, "    series: {series:?},");
    let _ = writeln!(
        code,
        "    country_bound_auto_install: {},",
        curated.country_bound_auto_install
    );
    let _ = writeln!(code, "    modules: &[");
    for l in &lines {
        let (source, depends_known) = match l.enterprise {
            Some((source, known)) => (format!("Some({source:?})"), known),
            None => ("None".to_owned(), true),
        };
        let _ = writeln!(
            code,
            "        StaticModule {{ name: {:?}, depends: {}, depends_known: {depends_known}, auto_install: {}, application: {}, category: {:?}, countries: {}, installable: {}, enterprise_source: {source} }},",
            l.name,
            strs(l.depends),
            l.auto,
            l.application,
            l.category,
            strs(l.countries),
            l.installable,
        );
    }
    let _ = writeln!(code, "    ],\n}};");
}

fn emit_renames(code: &mut String, raw: &RawRenames) {
    let _ = writeln!(
        code,
        "/// The compiled `rules/catalog/renames.yaml`, by name."
    );
    let _ = writeln!(code, "pub static RENAMES: &[StaticRename] = &[");
    for (name, r) in &raw.renames {
        assert!(
            SERIES.contains(&r.since.as_str()),
            "rules/catalog/renames.yaml: `{name}`: `since: {}` is not a supported series",
            r.since
        );
        assert!(
            !r.source.trim().is_empty(),
            "rules/catalog/renames.yaml: `{name}` needs its source"
        );
        let _ = writeln!(
            code,
            "    StaticRename {{ name: {name:?}, since: {:?}, successor: {:?}, merged: {}, source: {:?} }},",
            r.since,
            r.successor,
            r.kind == RawRenameKind::Merged,
            r.source,
        );
    }
    let _ = writeln!(code, "];");
}
