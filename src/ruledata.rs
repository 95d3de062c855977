//! Ordering knowledge kept as data in `rules/`: which layer each module belongs to and which
//! modules post journal entries on their own. The built-in files are embedded; configuration
//! can add files in the same format, later files refining earlier ones.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::error::Error;
use crate::source::SourceFile;
use crate::yaml;

/// The implementation layers, in the order a rollout should bring them live (design §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// Chart of accounts, taxes, journals, localization.
    Accounting,
    /// Inventory, manufacturing, projects.
    Operations,
    /// Purchase, sales, point of sale, e-commerce.
    Commercial,
    /// Leads and opportunities.
    Crm,
}

impl Layer {
    /// Every layer, in rollout order.
    pub const ALL: [Self; 4] = [
        Self::Accounting,
        Self::Operations,
        Self::Commercial,
        Self::Crm,
    ];

    /// The name used in data files and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accounting => "accounting",
            Self::Operations => "operations",
            Self::Commercial => "commercial",
            Self::Crm => "crm",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rules data file: any of its sections may be absent.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleData {
    /// Layer name → module names or `prefix*` patterns; `none` pins modules to no layer.
    #[serde(default)]
    layers: BTreeMap<LayerKey, Vec<String>>,
    /// Module → why it posts journal entries on its own.
    #[serde(default)]
    journal_entries: BTreeMap<String, RawJournalEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LayerKey {
    Accounting,
    Operations,
    Commercial,
    Crm,
    None,
}

impl LayerKey {
    fn layer(self) -> Option<Layer> {
        match self {
            Self::Accounting => Some(Layer::Accounting),
            Self::Operations => Some(Layer::Operations),
            Self::Commercial => Some(Layer::Commercial),
            Self::Crm => Some(Layer::Crm),
            Self::None => None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJournalEntry {
    /// What it posts, for messages.
    posts: String,
    /// Whether every module that depends on it posts them too (`stock_account`).
    #[serde(default)]
    carried: bool,
    /// What it posts in a given series, where that differs (`"19.0": ...`).
    #[serde(default)]
    series: BTreeMap<String, String>,
}

/// Why a module posts journal entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntries {
    /// What it posts (`stock valuation entries for every stock move`).
    pub posts: String,
    /// Whether modules that depend on it post them too.
    pub carried: bool,
    /// What it posts in the series where that differs from `posts`.
    pub by_series: BTreeMap<String, String>,
}

impl JournalEntries {
    /// What it posts in `series`.
    pub fn posts_in(&self, series: &str) -> &str {
        self.by_series.get(series).unwrap_or(&self.posts)
    }
}

/// The merged knowledge from every rules data file.
#[derive(Debug, Clone, Default)]
pub struct RuleData {
    exact: BTreeMap<String, Option<Layer>>,
    /// `prefix*` patterns: the longest that matches a name wins.
    prefixes: BTreeMap<String, Option<Layer>>,
    journal: BTreeMap<String, JournalEntries>,
}

/// The built-in rules data files, in the order they apply.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("rules/layers.yaml", include_str!("../rules/layers.yaml")),
    (
        "rules/journal-entries.yaml",
        include_str!("../rules/journal-entries.yaml"),
    ),
];

impl RuleData {
    /// The built-in knowledge.
    pub fn builtin() -> Result<Self, Error> {
        let mut data = Self::default();
        for (name, text) in BUILTIN_FILES {
            data.add_file(&SourceFile::new(name, *name, *text))?;
        }
        Ok(data)
    }

    /// Merges one rules data file; its entries win over earlier ones for the same name.
    pub fn add_file(&mut self, file: &SourceFile) -> Result<(), Error> {
        let raw: RawRuleData = yaml::parse(file, &yaml::RULES)?;
        for (key, names) in raw.layers {
            for name in names {
                self.set_layer(&name, key.layer());
            }
        }
        for (module, entry) in raw.journal_entries {
            self.journal.insert(
                module,
                JournalEntries {
                    posts: entry.posts,
                    carried: entry.carried,
                    by_series: entry.series,
                },
            );
        }
        Ok(())
    }

    /// Puts a module name or `prefix*` pattern in a layer (or in none).
    pub fn set_layer(&mut self, pattern: &str, layer: Option<Layer>) {
        if let Some(prefix) = pattern.strip_suffix('*') {
            self.prefixes.insert(prefix.to_owned(), layer);
        } else {
            self.exact.insert(pattern.to_owned(), layer);
        }
    }

    /// The layer a module belongs to by its name: an exact entry, else the longest matching
    /// prefix pattern; `None` when it is in no layer.
    pub fn layer_by_name(&self, module: &str) -> Option<Option<Layer>> {
        if let Some(layer) = self.exact.get(module) {
            return Some(*layer);
        }
        // The name's own prefixes, longest first: a few map lookups per name, however many
        // patterns a configuration adds (issue 9: twenty thousand took seconds when each
        // lookup scanned them all).
        let mut ends = module
            .char_indices()
            .map(|(i, _)| i)
            .chain([module.len()])
            .rev();
        ends.find_map(|end| self.prefixes.get(&module[..end]))
            .copied()
    }

    /// The layer an exact entry (not a `prefix*` pattern) gives a module, if one names it.
    pub fn exact_layer(&self, module: &str) -> Option<Option<Layer>> {
        self.exact.get(module).copied()
    }

    /// The layer of a module, by name only (`None` when unconstrained).
    pub fn layer(&self, module: &str) -> Option<Layer> {
        self.layer_by_name(module).flatten()
    }

    /// Why a module posts journal entries itself, if it does.
    pub fn journal_entries(&self, module: &str) -> Option<&JournalEntries> {
        self.journal.get(module)
    }

    /// Every module listed as posting journal entries, sorted.
    pub fn journal_modules(&self) -> impl Iterator<Item = (&str, &JournalEntries)> {
        self.journal.iter().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_layers_follow_the_design() {
        let data = RuleData::builtin().unwrap();
        assert_eq!(data.layer("account"), Some(Layer::Accounting));
        assert_eq!(data.layer("l10n_fr"), Some(Layer::Accounting));
        assert_eq!(data.layer("stock"), Some(Layer::Operations));
        assert_eq!(data.layer("mrp_account"), Some(Layer::Operations));
        assert_eq!(data.layer("sale_management"), Some(Layer::Commercial));
        assert_eq!(data.layer("point_of_sale"), Some(Layer::Commercial));
        assert_eq!(data.layer("sale_crm"), Some(Layer::Crm));
        assert_eq!(data.layer("crm"), Some(Layer::Crm));
        assert_eq!(data.layer("mail"), None);
        assert_eq!(data.layer("hr"), None);
        assert!(
            data.journal_entries("stock_account")
                .is_some_and(|j| j.carried)
        );
    }

    #[test]
    fn later_files_win_and_longest_prefix_wins() {
        let mut data = RuleData::default();
        data.add_file(&SourceFile::new(
            "a",
            "a",
            "layers:\n  commercial: ['sale*']\n  crm: ['sale_crm*']\n",
        ))
        .unwrap();
        assert_eq!(data.layer("sale_crm_extra"), Some(Layer::Crm));
        assert_eq!(data.layer("sale_stock"), Some(Layer::Commercial));
        data.add_file(&SourceFile::new(
            "b",
            "b",
            "layers:\n  none: [sale_stock]\n",
        ))
        .unwrap();
        assert_eq!(data.layer("sale_stock"), None);
        let err = data
            .add_file(&SourceFile::new("c", "c", "layer: {}\n"))
            .unwrap_err();
        assert!(err.to_string().contains("unknown key `layer`"), "{err}");
    }

    #[test]
    fn prefix_patterns_match_on_character_boundaries_and_a_bare_star_matches_all() {
        let mut data = RuleData::default();
        data.set_layer("*", Some(Layer::Operations));
        data.set_layer("é*", Some(Layer::Crm));
        data.set_layer("éa*", Some(Layer::Commercial));
        data.set_layer("éa*", None);
        assert_eq!(data.layer("stock"), Some(Layer::Operations));
        assert_eq!(data.layer("éb"), Some(Layer::Crm));
        assert_eq!(data.layer("éab"), None);
        assert_eq!(data.layer(""), Some(Layer::Operations));
    }
}
