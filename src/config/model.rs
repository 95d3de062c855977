//! The serde model of the configuration file: what `odoo-order.yaml` may say, before any
//! check that needs more than its shape.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// The top level.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub rules: Option<SpannedMap<String, Level>>,
    #[serde(default)]
    pub fail_on: Option<Spanned<FailLevel>>,
    #[serde(default)]
    pub layers: Option<SpannedMap<LayerName, Vec<Spanned<String>>>>,
    #[serde(default)]
    pub extra_rules: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub addons_path: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub exclude: Option<Vec<Spanned<String>>>,
}

/// A rule's level, in the words of `-A`/`-W`/`-D`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Allow,
    Info,
    Warn,
    Deny,
}

/// The `fail_on` levels, as `--fail-on` spells them.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailLevel {
    Error,
    Warning,
    Info,
}

/// A layer of `rules/layers.yaml`, or `none`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerName {
    Accounting,
    Operations,
    Commercial,
    Crm,
    None,
}

/// A YAML mapping kept in file order with the span of every key and value (serde-saphyr's
/// `Spanned` is not `Ord`, so it cannot key a `BTreeMap`).
#[derive(Debug)]
pub struct SpannedMap<K, V>(pub Vec<(Spanned<K>, Spanned<V>)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for MapVisitor<K, V> {
            type Value = SpannedMap<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(SpannedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}
