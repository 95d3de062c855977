//! Compiles the built-in catalogs (`rules/catalog/*.yaml`) into static data, so that a run
//! pays nothing to parse them: YAML parsing of the 30-40 KB files was three quarters of a
//! small plan's check. The YAML stays the source of truth; `tests/catalog_facts.rs` checks
//! that the compiled data and a runtime parse agree.

// A build script fails by panicking: cargo shows the message and stops the build, which is
// what a broken built-in catalog must do.
#![allow(clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;

#[allow(dead_code)] // the library uses more of the format than the build script
mod format {
    include!("src/catalog/format.rs");
}

use format::{RawAutoInstall, RawCatalog, RawEdition};

const SERIES: &[&str] = &["17.0", "18.0", "19.0"];

fn main() {
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let mut code = String::new();
    for series in SERIES {
        let path = format!("rules/catalog/{series}.yaml");
        println!("cargo:rerun-if-changed={path}");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let raw: RawCatalog =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            raw.series, *series,
            "{path}: `series` does not match the file name"
        );
        let problems = raw.problems();
        assert!(problems.is_empty(), "{path}:\n{}", problems.join("\n"));
        emit(&mut code, series, &raw);
    }
    println!("cargo:rerun-if-changed=src/catalog/format.rs");
    std::fs::write(Path::new(&out_dir).join("catalogs.rs"), code).expect("OUT_DIR is writable");
}

fn strs(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("&[{}]", quoted.join(", "))
}

fn emit(code: &mut String, series: &str, raw: &RawCatalog) {
    let ident = format!("CATALOG_{}", series.replace('.', "_"));
    let _ = writeln!(code, "/// The compiled `rules/catalog/{series}.yaml`.");
    let _ = writeln!(code, "pub static {ident}: StaticCatalog = StaticCatalog {{");
    let _ = writeln!(code, "    series: {series:?},");
    let _ = writeln!(
        code,
        "    country_bound_auto_install: {},",
        raw.country_bound_auto_install
    );
    let _ = writeln!(
        code,
        "    localization_depends: {},",
        strs(&raw.localization.depends)
    );
    let _ = writeln!(code, "    modules: &[");
    for (name, m) in &raw.modules {
        let auto = match &m.auto_install {
            None | Some(RawAutoInstall::Flag(false)) => "StaticAuto::No".to_owned(),
            Some(RawAutoInstall::Flag(true)) => "StaticAuto::All".to_owned(),
            Some(RawAutoInstall::Triggers(t)) => format!("StaticAuto::Triggers({})", strs(t)),
        };
        let _ = writeln!(
            code,
            "        StaticModule {{ name: {name:?}, depends: {}, auto_install: {auto}, application: {}, category: {:?}, enterprise: {}, countries: {} }},",
            strs(&m.depends),
            m.application,
            m.category,
            m.edition == RawEdition::Enterprise,
            strs(&m.countries),
        );
    }
    let _ = writeln!(code, "    ],\n}};");
}
