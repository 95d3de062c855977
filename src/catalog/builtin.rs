//! The built-in catalogs: `rules/catalog/<series>.yaml`, compiled into static data by
//! `build.rs` (see there for why), and kept embedded as text for `Catalog::from_yaml`.

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

/// The compiled catalog of a series.
pub fn compiled(series: &str) -> Option<&'static StaticCatalog> {
    match series {
        "17.0" => Some(&CATALOG_17_0),
        "18.0" => Some(&CATALOG_18_0),
        "19.0" => Some(&CATALOG_19_0),
        _ => None,
    }
}

/// A catalog as `build.rs` compiles it.
#[derive(Debug)]
pub struct StaticCatalog {
    /// The series.
    pub series: &'static str,
    /// Whether country-bound auto-install waits for a company of the country.
    pub country_bound_auto_install: bool,
    /// What a localization recognised by name depends on.
    pub localization_depends: &'static [&'static str],
    /// The modules, sorted by name.
    pub modules: &'static [StaticModule],
}

/// A module as `build.rs` compiles it.
#[derive(Debug)]
pub struct StaticModule {
    /// Technical name.
    pub name: &'static str,
    /// Catalog modules it installs.
    pub depends: &'static [&'static str],
    /// Auto-install.
    pub auto_install: StaticAuto,
    /// Whether it is an application.
    pub application: bool,
    /// Odoo's category.
    pub category: Option<&'static str>,
    /// Enterprise only.
    pub enterprise: bool,
    /// Countries it is bound to.
    pub countries: &'static [&'static str],
}

/// Auto-install, compiled.
#[derive(Debug)]
pub enum StaticAuto {
    /// No.
    No,
    /// Once every dependency is installed.
    All,
    /// Once these are.
    Triggers(&'static [&'static str]),
}

include!(concat!(env!("OUT_DIR"), "/catalogs.rs"));
