// The catalog file format (`rules/catalog/<series>.yaml`). This file is compiled twice: into
// the library, and into `build.rs`, which turns the built-in catalogs into static data at
// build time. So it uses nothing but `serde` and `std`, and carries no `//!` header.

/// A catalog data file.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCatalog {
    /// The Odoo series (`17.0`).
    pub series: String,
    /// Whether country-bound auto-install modules wait for a company of their country (18.0+).
    #[serde(default)]
    pub country_bound_auto_install: bool,
    /// How a localization recognised by its name is modelled.
    pub localization: RawLocalization,
    /// The modules, by name.
    pub modules: std::collections::BTreeMap<String, RawModule>,
}

/// How a localization recognised by name (not listed) is modelled.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLocalization {
    /// What it is assumed to depend on.
    pub depends: Vec<String>,
}

/// One module's entry.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModule {
    /// Catalog modules it installs.
    #[serde(default)]
    pub depends: Vec<String>,
    /// `true` or a list of triggers.
    #[serde(default)]
    pub auto_install: Option<RawAutoInstall>,
    /// Whether it is an application.
    #[serde(default)]
    pub application: bool,
    /// Odoo's category.
    #[serde(default)]
    pub category: Option<String>,
    /// `community` (default) or `enterprise`.
    #[serde(default)]
    pub edition: RawEdition,
    /// Lower-case ISO codes it is bound to.
    #[serde(default)]
    pub countries: Vec<String>,
}

/// `auto_install: true` or `auto_install: [trigger, ...]`.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum RawAutoInstall {
    /// `true` (all depends are triggers) or `false`.
    Flag(bool),
    /// The triggers, a subset of `depends`.
    Triggers(Vec<String>),
}

/// The edition as written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawEdition {
    /// Odoo Community.
    #[default]
    Community,
    /// Odoo Enterprise only.
    Enterprise,
}

impl RawCatalog {
    /// Problems a YAML parser cannot see: a trigger outside `depends`, a dependency on a
    /// module the catalog does not list.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, m) in &self.modules {
            if let Some(RawAutoInstall::Triggers(triggers)) = &m.auto_install {
                for t in triggers.iter().filter(|t| !m.depends.contains(t)) {
                    out.push(format!(
                        "`{name}`: auto_install trigger `{t}` is not in its depends"
                    ));
                }
            }
            for d in m.depends.iter().filter(|d| !self.modules.contains_key(*d)) {
                out.push(format!(
                    "`{name}` depends on `{d}`, which the catalog does not list"
                ));
            }
        }
        out
    }
}
