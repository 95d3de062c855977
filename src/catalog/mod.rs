//! The catalog: what Odoo modules exist in a series and how they install (depends,
//! `auto_install`, edition). Built in as data under `rules/catalog/`, compiled into the binary:
//! every Community addon with its manifest facts, and the Enterprise modules known by name.
//!
//! The catalog holds installation facts only. What a module *means* for the rollout order (its
//! layer, whether it posts journal entries) is knowledge in [`crate::ruledata`], so that it also
//! applies to modules read from a user's addons tree.

mod builtin;
/// The catalog file format, shared with `build.rs`.
pub mod format;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

pub use builtin::{SUPPORTED_SERIES, StaticRename, series_rank};

use crate::addons::{ScanProblem, ScanResult};
use crate::error::Error;
use crate::manifest::AutoInstallSpec;

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
    /// A manifest in the user's addons tree.
    Manifest(PathBuf),
}

/// The installation facts of one module.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent manifest facts (application, installable) and provenance flags, not states"
)]
pub struct Module {
    /// Technical name (`sale_management`).
    pub name: String,
    /// The modules its manifest depends on, in the manifest's order.
    pub depends: Vec<String>,
    /// Whether `depends` is known: false for an Enterprise module known by name only, whose
    /// manifest odoo-order has not read.
    pub depends_known: bool,
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
    /// For a built-in Enterprise module, where its name is publicly attested.
    pub named_in: Option<&'static str>,
    /// For a built-in Enterprise module attested for another series only, that series: known
    /// by name here too, since the evidence for a series is never complete.
    pub named_for: Option<&'static str>,
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

    fn from_static(m: &builtin::StaticModule) -> Self {
        let owned = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        Self {
            name: m.name.to_owned(),
            depends: owned(m.depends),
            depends_known: m.depends_known,
            auto_install: match m.auto_install {
                builtin::StaticAuto::No => AutoInstall::No,
                builtin::StaticAuto::All => AutoInstall::All,
                builtin::StaticAuto::Triggers(t) => AutoInstall::Triggers(owned(t)),
            },
            application: m.application,
            category: m.category.map(str::to_owned),
            edition: if m.enterprise_source.is_some() {
                Edition::Enterprise
            } else {
                Edition::Community
            },
            countries: owned(m.countries),
            origin: Origin::Builtin,
            curated: true,
            installable: m.installable,
            named_in: m.enterprise_source,
            named_for: None,
        }
    }
}

/// Index of a module in a [`Catalog`].
pub type ModuleId = usize;

/// The modules known for one series.
#[derive(Debug, Clone)]
pub struct Catalog {
    series: String,
    /// Sorted by name, names unique: a lookup is a binary search (cheaper to build than a
    /// hash index over the ~750 modules of a series, and as fast to query). Shared with the
    /// module graph, which would otherwise copy every module.
    modules: Vec<Arc<Module>>,
    country_bound_auto_install: bool,
    /// Whether the facts cover a whole Odoo tree, Enterprise and custom modules included (an
    /// addons path holding `base`), so that a dependency found nowhere is really missing.
    complete: bool,
    /// Modules found more than once on the addons path: the manifest Odoo uses, and the
    /// ones it ignores.
    shadowed: BTreeMap<String, (PathBuf, Vec<PathBuf>)>,
}

impl Catalog {
    /// The built-in catalog of a supported series (`17.0`), from the data compiled in.
    pub fn builtin(series: &str) -> Result<Self, Error> {
        let Some(compiled) = builtin::compiled(series) else {
            return Err(Error::usage(
                format!("Odoo series `{series}` is not supported"),
                Some(format!("supported series: {}", SUPPORTED_SERIES.join(", "))),
            ));
        };
        let mut modules: Vec<Module> = compiled.modules.iter().map(Module::from_static).collect();
        // Enterprise names attested for another series only: what the public evidence names
        // for one series is not all that series has, so a plan of this one may well use them.
        // The nearest series' entry is taken.
        let rank = series_rank(series).unwrap_or_default();
        let mut others: Vec<&builtin::StaticCatalog> = builtin::all()
            .into_iter()
            .filter(|c| c.series != compiled.series)
            .collect();
        others.sort_by_key(|c| {
            let r = series_rank(c.series).unwrap_or_default();
            (r.abs_diff(rank), std::cmp::Reverse(r))
        });
        for other in others {
            for m in other
                .modules
                .iter()
                .filter(|m| m.enterprise_source.is_some())
            {
                // `Catalog::new` keeps the first of duplicates: the nearest series'.
                if compiled.get(m.name).is_none() {
                    let mut borrowed = Module::from_static(m);
                    borrowed.named_for = Some(other.series);
                    // Its depends are another series' knowledge: not claimed here.
                    borrowed.depends = Vec::new();
                    borrowed.depends_known = false;
                    modules.push(borrowed);
                }
            }
        }
        let mut catalog = Self::new(compiled.series.to_owned(), modules);
        catalog.country_bound_auto_install = compiled.country_bound_auto_install;
        Ok(catalog)
    }

    /// A catalog from modules; duplicates keep the first (the sort is stable).
    pub fn new(series: String, modules: Vec<Module>) -> Self {
        Self::from_shared(series, modules.into_iter().map(Arc::new).collect())
    }

    fn from_shared(series: String, mut modules: Vec<Arc<Module>>) -> Self {
        modules.sort_by(|a, b| a.name.cmp(&b.name));
        modules.dedup_by(|later, first| later.name == first.name);
        Self {
            series,
            modules,
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
                    depends_known: true,
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
                    named_in: None,
                    named_for: None,
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
    pub fn modules(&self) -> &[Arc<Module>] {
        &self.modules
    }

    /// A module by name.
    pub fn get(&self, name: &str) -> Option<&Module> {
        self.modules
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .map(|i| &*self.modules[i])
    }

    /// A module by name, shared (the module graph keeps a handle on it).
    pub fn resolve(&self, name: &str) -> Option<Arc<Module>> {
        self.modules
            .binary_search_by(|m| m.name.as_str().cmp(name))
            .ok()
            .map(|i| Arc::clone(&self.modules[i]))
    }

    /// The fiscal localization of a country in this series: its chart package, the module that
    /// installs the country's chart of accounts (`l10n_fr` in 17.0, `l10n_fr_account` from
    /// 18.0 on, `l10n_uk` for `GB`). Decided from the manifests: a module of the series'
    /// naming (`l10n_<cc>_account`, else `l10n_<cc>`) bound to the country that installs
    /// `account`. `None` when the catalog has none for the country.
    pub fn localization_for(&self, country: &str) -> Option<&Module> {
        let lower = country.to_ascii_lowercase();
        let code = if lower == "gb" { "uk" } else { lower.as_str() };
        [format!("l10n_{code}_account"), format!("l10n_{code}")]
            .iter()
            .filter_map(|name| self.get(name))
            .find(|m| {
                (m.countries.is_empty()
                    || m.countries.iter().any(|c| c.eq_ignore_ascii_case(&lower)))
                    && self.installs_account(m)
            })
    }

    /// Whether installing `module` installs `account` (its `depends`, transitively).
    fn installs_account(&self, module: &Module) -> bool {
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut stack: Vec<&Module> = vec![module];
        while let Some(m) = stack.pop() {
            if m.name == "account" {
                return true;
            }
            for d in &m.depends {
                if seen.insert(d.as_str())
                    && let Some(dep) = self.get(d)
                {
                    stack.push(dep);
                }
            }
        }
        false
    }

    /// Adds or replaces modules (facts read from manifests win over built-in ones).
    pub fn overlay(&mut self, modules: Vec<Module>) {
        let mut all: Vec<Arc<Module>> = modules.into_iter().map(Arc::new).collect();
        all.append(&mut self.modules);
        self.modules = Self::from_shared(String::new(), all).modules;
    }
}

/// What the built-in catalogs of the other supported series know of a name that a series
/// lacks: it is a Community module there, it was replaced, or it is the new name of one of this
/// series. (Enterprise names of other series are in every series' catalog.)
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Elsewhere {
    /// The series where it is a Community addon, oldest first.
    pub community: Vec<&'static str>,
    /// What replaced it, when it is gone by this series.
    pub replaced_by: Option<Replacement>,
    /// What it was called in this series, when it is a later series' new name for a module.
    pub formerly: Option<Replacement>,
}

/// One side of a rename or merge between series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// The other module (the successor, or the former name).
    pub module: &'static str,
    /// The first series where the successor takes over.
    pub since: &'static str,
    /// Merged into an existing module, rather than renamed.
    pub merged: bool,
    /// Where the change is publicly visible.
    pub source: &'static str,
}

impl Elsewhere {
    /// Whether any other series knows the name.
    pub fn is_known(&self) -> bool {
        !self.community.is_empty() || self.replaced_by.is_some() || self.formerly.is_some()
    }
}

/// Every built-in rename or merge (`rules/catalog/renames.yaml`), by name.
pub fn renames() -> &'static [StaticRename] {
    builtin::RENAMES
}

/// What the other built-in series say of `name` for a plan of `series` (see [`Elsewhere`]).
pub fn elsewhere(series: &str, name: &str) -> Elsewhere {
    let mut out = Elsewhere::default();
    let Some(rank) = series_rank(series) else {
        return out;
    };
    for catalog in builtin::all() {
        if catalog.series == series {
            continue;
        }
        if catalog
            .get(name)
            .is_some_and(|m| m.enterprise_source.is_none())
        {
            out.community.push(catalog.series);
        }
    }
    let here = builtin::compiled(series);
    for r in builtin::RENAMES {
        let since = series_rank(r.since).unwrap_or(usize::MAX);
        if r.name == name && since <= rank {
            out.replaced_by = Some(Replacement {
                module: r.successor,
                since: r.since,
                merged: r.merged,
                source: r.source,
            });
        } else if r.successor == name
            && !r.merged
            && since > rank
            && here.is_some_and(|c| c.get(r.name).is_some())
        {
            out.formerly = Some(Replacement {
                module: r.name,
                since: r.since,
                merged: r.merged,
                source: r.source,
            });
        }
    }
    out
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
    fn every_supported_series_loads() {
        for series in SUPPORTED_SERIES {
            let catalog = Catalog::builtin(series).unwrap();
            assert_eq!(catalog.series(), *series);
            assert!(catalog.get("account").is_some());
        }
        assert!(Catalog::builtin("16.0").is_err());
    }
}
