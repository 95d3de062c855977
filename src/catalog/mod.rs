//! The catalog: what Odoo modules exist in a series and how they install (depends,
//! `auto_install`, edition). Built in as data under `rules/catalog/`, embedded in the binary.
//!
//! The catalog holds installation facts only. What a module *means* for the rollout order (its
//! layer, whether it posts journal entries) is knowledge in [`crate::ruledata`], so that it also
//! applies to modules read from a user's addons tree.

mod builtin;
/// The catalog file format, shared with `build.rs`.
pub mod format;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;

pub use builtin::{SUPPORTED_SERIES, builtin_source, compiled};

use crate::addons::{ScanProblem, ScanResult};
use crate::error::{Error, Problem};
use crate::manifest::AutoInstallSpec;
use crate::source::SourceFile;
use crate::suggest;

/// Whether and when a module installs itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AutoInstall {
    /// Only when asked for or depended on.
    #[default]
    No,
    /// Once all its `depends` are installed.
    All,
    /// Once all of these (a subset of its `depends`) are installed.
    Triggers(Vec<String>),
}

/// Community or Enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Available in Odoo Community.
    #[default]
    Community,
    /// Only in Odoo Enterprise.
    Enterprise,
}

impl Edition {
    /// `community` or `enterprise`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Community => "community",
            Self::Enterprise => "enterprise",
        }
    }
}

/// Where a module's facts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Our built-in catalog.
    Builtin,
    /// Recognised by its name as a localization (`l10n_<cc>`), facts assumed.
    Localization,
    /// A manifest in the user's addons tree.
    Manifest(PathBuf),
}

/// The installation facts of one module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// Technical name (`sale_management`).
    pub name: String,
    /// Modules installed with it (the ones that matter for ordering, for built-in entries).
    pub depends: Vec<String>,
    /// Whether it installs itself.
    pub auto_install: AutoInstall,
    /// Whether Odoo lists it as an application.
    pub application: bool,
    /// Odoo's category (`Accounting/Accounting`).
    pub category: Option<String>,
    /// Community or Enterprise.
    pub edition: Edition,
    /// ISO country codes (lower case) it is bound to, if any.
    pub countries: Vec<String>,
    /// Where the facts come from.
    pub origin: Origin,
    /// Whether the built-in catalog lists this name, so its layer is deliberate even when no
    /// layer names it (a module from the user's tree takes its layer from its dependencies).
    pub curated: bool,
    /// Whether Odoo can install it (`installable` in its manifest).
    pub installable: bool,
}

impl Module {
    /// The modules whose presence makes this one install itself, if it auto-installs.
    pub fn triggers(&self) -> Option<&[String]> {
        match &self.auto_install {
            AutoInstall::No => None,
            AutoInstall::All => Some(&self.depends),
            AutoInstall::Triggers(t) => Some(t),
        }
    }
}

/// Index of a module in a [`Catalog`].
pub type ModuleId = usize;

/// The modules known for one series.
#[derive(Debug, Clone)]
pub struct Catalog {
    series: String,
    /// Sorted by name.
    modules: Vec<Module>,
    index: HashMap<String, ModuleId>,
    localization_depends: Vec<String>,
    country_bound_auto_install: bool,
    /// Whether the facts cover a whole Odoo tree (an addons path holding `base`), so that a
    /// name found nowhere is really missing rather than outside our curated selection.
    complete: bool,
    /// Modules found more than once on the addons path: the manifest Odoo uses, and the
    /// ones it ignores.
    shadowed: BTreeMap<String, (PathBuf, Vec<PathBuf>)>,
}

impl Catalog {
    /// The built-in catalog of a supported series (`17.0`), from the data compiled in.
    pub fn builtin(series: &str) -> Result<Self, Error> {
        let Some(compiled) = compiled(series) else {
            return Err(Error::usage(
                format!("Odoo series `{series}` is not supported"),
                Some(format!("supported series: {}", SUPPORTED_SERIES.join(", "))),
            ));
        };
        let owned = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let modules = compiled
            .modules
            .iter()
            .map(|m| Module {
                name: m.name.to_owned(),
                depends: owned(m.depends),
                auto_install: match m.auto_install {
                    builtin::StaticAuto::No => AutoInstall::No,
                    builtin::StaticAuto::All => AutoInstall::All,
                    builtin::StaticAuto::Triggers(t) => AutoInstall::Triggers(owned(t)),
                },
                application: m.application,
                category: m.category.map(str::to_owned),
                edition: if m.enterprise {
                    Edition::Enterprise
                } else {
                    Edition::Community
                },
                countries: owned(m.countries),
                origin: Origin::Builtin,
                curated: true,
                installable: true,
            })
            .collect();
        let mut catalog = Self::new(
            compiled.series.to_owned(),
            modules,
            owned(compiled.localization_depends),
        );
        catalog.country_bound_auto_install = compiled.country_bound_auto_install;
        Ok(catalog)
    }

    /// Parses a catalog data file (the format of `rules/catalog/*.yaml`).
    pub fn from_yaml(file: &SourceFile) -> Result<Self, Error> {
        let raw: format::RawCatalog = serde_saphyr::from_str(file.text()).map_err(|err| {
            Error::invalid(
                file.clone(),
                "catalog",
                vec![crate::plan::yaml_problem(file, &err)],
            )
        })?;
        let problems = raw.problems();
        if !problems.is_empty() {
            let problems = problems
                .into_iter()
                .map(|p| Problem::whole_file("catalog::invalid", p))
                .collect();
            return Err(Error::invalid(file.clone(), "catalog", problems));
        }
        let modules = raw
            .modules
            .into_iter()
            .map(|(name, m)| Module {
                name,
                auto_install: match m.auto_install {
                    None | Some(format::RawAutoInstall::Flag(false)) => AutoInstall::No,
                    Some(format::RawAutoInstall::Flag(true)) => AutoInstall::All,
                    Some(format::RawAutoInstall::Triggers(t)) => AutoInstall::Triggers(t),
                },
                depends: m.depends,
                application: m.application,
                category: m.category,
                edition: match m.edition {
                    format::RawEdition::Community => Edition::Community,
                    format::RawEdition::Enterprise => Edition::Enterprise,
                },
                countries: m.countries,
                origin: Origin::Builtin,
                curated: true,
                installable: true,
            })
            .collect();
        let mut catalog = Self::new(raw.series, modules, raw.localization.depends);
        catalog.country_bound_auto_install = raw.country_bound_auto_install;
        Ok(catalog)
    }

    /// A catalog from modules; duplicates keep the first.
    pub fn new(
        series: String,
        mut modules: Vec<Module>,
        localization_depends: Vec<String>,
    ) -> Self {
        modules.sort_by(|a, b| a.name.cmp(&b.name));
        modules.dedup_by(|later, first| later.name == first.name);
        let index = modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name.clone(), i))
            .collect();
        Self {
            series,
            modules,
            index,
            localization_depends,
            country_bound_auto_install: false,
            complete: false,
            shadowed: BTreeMap::new(),
        }
    }

    /// The built-in facts with a scanned addons tree laid over them: a manifest's facts win,
    /// as they are what Odoo will read.
    #[must_use]
    pub fn with_addons(mut self, scan: &ScanResult) -> Self {
        let modules: Vec<Module> = scan
            .addons
            .iter()
            .map(|a| {
                let m = &a.manifest;
                Module {
                    name: a.name.clone(),
                    depends: m.depends.clone(),
                    auto_install: match &m.auto_install {
                        AutoInstallSpec::No => AutoInstall::No,
                        AutoInstallSpec::All => AutoInstall::All,
                        AutoInstallSpec::Triggers(t) => AutoInstall::Triggers(t.clone()),
                    },
                    application: m.application,
                    category: Some(m.category.clone()),
                    // Enterprise modules carry Odoo's proprietary licence.
                    edition: if m.license.as_deref().is_some_and(|l| l.starts_with("OEEL")) {
                        Edition::Enterprise
                    } else {
                        Edition::Community
                    },
                    countries: m.countries.clone(),
                    origin: Origin::Manifest(a.path.clone()),
                    curated: self.get(&a.name).is_some(),
                    installable: m.installable,
                }
            })
            .collect();
        let complete = scan.addons.iter().any(|a| a.name == "base");
        for problem in &scan.problems {
            if let ScanProblem::Duplicate { name, path, first } = problem {
                self.shadowed
                    .entry(name.clone())
                    .or_insert_with(|| (first.clone(), Vec::new()))
                    .1
                    .push(path.clone());
            }
        }
        self.overlay(modules);
        self.complete |= complete;
        self
    }

    /// Whether the catalog holds a whole Odoo tree (see [`Catalog::with_addons`]).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Where Odoo finds a module that the addons path holds more than once, and the copies it
    /// ignores.
    pub fn shadowed(&self, name: &str) -> Option<(&PathBuf, &[PathBuf])> {
        self.shadowed
            .get(name)
            .map(|(used, ignored)| (used, ignored.as_slice()))
    }

    /// Whether an auto-install module bound to countries installs only once a company of one of
    /// those countries exists (Odoo 18.0 and later).
    pub fn country_bound_auto_install(&self) -> bool {
        self.country_bound_auto_install
    }

    /// The series (`17.0`).
    pub fn series(&self) -> &str {
        &self.series
    }

    /// Every module, sorted by name.
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    /// A module by name.
    pub fn get(&self, name: &str) -> Option<&Module> {
        self.index.get(name).map(|&i| &self.modules[i])
    }

    /// A module by name, or a localization recognised by its name (`l10n_fr_pos`), whose facts
    /// are assumed: it depends on this series' accounting base.
    pub fn resolve(&self, name: &str) -> Option<Module> {
        if let Some(m) = self.get(name) {
            return Some(m.clone());
        }
        let country = localization_country(name)?;
        Some(Module {
            name: name.to_owned(),
            depends: self.localization_depends.clone(),
            auto_install: AutoInstall::No,
            application: false,
            category: Some("Accounting/Localizations".to_owned()),
            edition: Edition::Community,
            countries: country.into_iter().collect(),
            origin: Origin::Localization,
            curated: false,
            installable: true,
        })
    }

    /// The fiscal localization module of a country (`FR` → `l10n_fr`, `GB` → `l10n_uk`, or
    /// `l10n_<cc>_account` for countries that only have that, like `LB`), if this catalog has one.
    pub fn localization_for(&self, country: &str) -> Option<&Module> {
        let code = if country.eq_ignore_ascii_case("GB") {
            "uk".to_owned()
        } else {
            country.to_ascii_lowercase()
        };
        self.get(&format!("l10n_{code}"))
            .or_else(|| self.get(&format!("l10n_{code}_account")))
    }

    /// Known names close to `name`, best first.
    pub fn suggestions(&self, name: &str) -> Vec<&str> {
        suggest::closest(name, self.modules.iter().map(|m| m.name.as_str()), 3)
    }

    /// Adds or replaces modules (facts read from manifests win over built-in ones).
    pub fn overlay(&mut self, modules: Vec<Module>) {
        let mut all: Vec<Module> = modules;
        all.append(&mut self.modules);
        let rebuilt = Self::new(String::new(), all, Vec::new());
        self.modules = rebuilt.modules;
        self.index = rebuilt.index;
    }
}

/// Regional localization families whose names do not start with a country code.
const REGIONAL_LOCALIZATIONS: &[&str] = &[
    "din5008",
    "eu",
    "gcc",
    "generic",
    "latam",
    "multilang",
    "syscohada",
];

/// The country a localization name stands for (`l10n_be_pos` → `be`); `Some(None)` for a
/// regional family (`l10n_latam_invoice_document`); `None` when the name is not a localization.
pub fn localization_country(name: &str) -> Option<Option<String>> {
    let rest = name.strip_prefix("l10n_")?;
    let head = rest.split('_').next().unwrap_or("");
    if REGIONAL_LOCALIZATIONS.contains(&head) {
        return Some(None);
    }
    // Odoo names the United Kingdom's localization `l10n_uk`, not `l10n_gb`.
    let code = if head == "uk" {
        "GB".to_owned()
    } else {
        head.to_ascii_uppercase()
    };
    (head.len() == 2 && crate::country::is_iso_alpha2(&code))
        .then(|| Some(code.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localizations_are_recognised_by_name() {
        assert_eq!(localization_country("l10n_fr"), Some(Some("fr".to_owned())));
        assert_eq!(
            localization_country("l10n_be_pos_sale"),
            Some(Some("be".to_owned()))
        );
        assert_eq!(localization_country("l10n_uk"), Some(Some("gb".to_owned())));
        assert_eq!(localization_country("l10n_latam_base"), Some(None));
        assert_eq!(localization_country("l10n_zz"), None);
        assert_eq!(localization_country("l10n_frr"), None);
        assert_eq!(localization_country("sale"), None);
    }

    #[test]
    fn compiled_catalogs_match_their_yaml() {
        for series in SUPPORTED_SERIES {
            let (name, text) = builtin_source(series).unwrap();
            let parsed = Catalog::from_yaml(&SourceFile::new(name, name, text)).unwrap();
            let compiled = Catalog::builtin(series).unwrap();
            assert_eq!(parsed.modules(), compiled.modules(), "{series}");
            assert_eq!(parsed.localization_depends, compiled.localization_depends);
            assert_eq!(
                parsed.country_bound_auto_install,
                compiled.country_bound_auto_install
            );
        }
    }

    #[test]
    fn every_supported_series_loads() {
        for series in SUPPORTED_SERIES {
            let catalog = Catalog::builtin(series).unwrap();
            assert_eq!(catalog.series(), *series);
            assert!(catalog.get("account").is_some());
        }
        assert!(Catalog::builtin("16.0").is_err());
    }
}
