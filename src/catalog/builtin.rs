//! The built-in catalogs, embedded from `rules/catalog/<series>.yaml`, and their file format.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::Edition;

/// The series with a built-in catalog, oldest first.
pub const SUPPORTED_SERIES: &[&str] = &["17.0", "18.0", "19.0"];

/// The embedded catalog file of a series: its display name and text.
pub fn builtin_source(series: &str) -> Option<(&'static str, &'static str)> {
    match series {
        "17.0" => Some((
            "rules/catalog/17.0.yaml",
            include_str!("../../rules/catalog/17.0.yaml"),
        )),
        "18.0" => Some((
            "rules/catalog/18.0.yaml",
            include_str!("../../rules/catalog/18.0.yaml"),
        )),
        "19.0" => Some((
            "rules/catalog/19.0.yaml",
            include_str!("../../rules/catalog/19.0.yaml"),
        )),
        _ => None,
    }
}

/// A catalog data file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalog {
    pub series: String,
    /// Whether country-bound auto-install modules wait for a company of their country (18.0+).
    #[serde(default)]
    pub country_bound_auto_install: bool,
    pub localization: RawLocalization,
    pub modules: BTreeMap<String, RawModule>,
}

/// How a localization recognised by name (not listed) is modelled.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLocalization {
    pub depends: Vec<String>,
}

/// One module's entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModule {
    #[serde(default)]
    pub depends: Vec<String>,
    #[serde(default)]
    pub auto_install: Option<RawAutoInstall>,
    #[serde(default)]
    pub application: bool,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub edition: Edition,
    #[serde(default)]
    pub countries: Vec<String>,
}

/// `auto_install: true` or `auto_install: [trigger, ...]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawAutoInstall {
    Flag(bool),
    Triggers(Vec<String>),
}
