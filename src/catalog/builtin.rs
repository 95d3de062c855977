//! The built-in catalogs: `rules/catalog/<series>.facts.yaml` (generated manifest facts),
//! `rules/catalog/<series>.yaml` (curated) and `rules/catalog/renames.yaml`, compiled into
//! static data by `build.rs` (see there for why).

/// The series with a built-in catalog, oldest first.
pub const SUPPORTED_SERIES: &[&str] = &["17.0", "18.0", "19.0"];

/// The compiled catalog of a series.
pub fn compiled(series: &str) -> Option<&'static StaticCatalog> {
    match series {
        "17.0" => Some(&CATALOG_17_0),
        "18.0" => Some(&CATALOG_18_0),
        "19.0" => Some(&CATALOG_19_0),
        _ => None,
    }
}

/// Every compiled catalog, oldest series first.
pub fn all() -> [&'static StaticCatalog; 3] {
    [&CATALOG_17_0, &CATALOG_18_0, &CATALOG_19_0]
}

/// The position of a supported series, oldest first.
pub fn series_rank(series: &str) -> Option<usize> {
    SUPPORTED_SERIES.iter().position(|s| *s == series)
}

/// A catalog as `build.rs` compiles it.
#[derive(Debug)]
pub struct StaticCatalog {
    /// The series.
    pub series: &'static str,
    /// Whether country-bound auto-install waits for a company of the country.
    pub country_bound_auto_install: bool,
    /// The modules, sorted by name.
    pub modules: &'static [StaticModule],
}

impl StaticCatalog {
    /// A module by name.
    pub fn get(&self, name: &str) -> Option<&'static StaticModule> {
        self.modules
            .binary_search_by(|m| m.name.cmp(name))
            .ok()
            .map(|i| &self.modules[i])
    }
}

/// A module as `build.rs` compiles it.
#[derive(Debug)]
pub struct StaticModule {
    /// Technical name.
    pub name: &'static str,
    /// `depends` as in the manifest (for Enterprise modules, what we know of it).
    pub depends: &'static [&'static str],
    /// Whether `depends` is known (false for an Enterprise module known by name only).
    pub depends_known: bool,
    /// Auto-install.
    pub auto_install: StaticAuto,
    /// Whether it is an application.
    pub application: bool,
    /// Odoo's category.
    pub category: Option<&'static str>,
    /// Countries it is bound to.
    pub countries: &'static [&'static str],
    /// Whether Odoo can install it.
    pub installable: bool,
    /// For an Enterprise module, where its name is publicly attested; `None` for Community.
    pub enterprise_source: Option<&'static str>,
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

/// A module gone from a series, and what replaced it.
#[derive(Debug)]
pub struct StaticRename {
    /// The module that is gone.
    pub name: &'static str,
    /// The first series without it.
    pub since: &'static str,
    /// The module that took over.
    pub successor: &'static str,
    /// Merged into an existing module (rather than renamed).
    pub merged: bool,
    /// Where the change is publicly visible.
    pub source: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/catalogs.rs"));
