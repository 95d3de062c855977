// The built-in catalog files under `rules/catalog/`. This file is compiled twice: into the
// library, and into `build.rs`, which turns the files into static data at build time. So it
// uses nothing but `serde` and `std`, and carries no `//!` header.
//
// Three kinds of file:
// - `<series>.facts.yaml`: the manifest facts of every Community addon, generated (never
//   edited) by `tests/catalog_facts.rs` from real manifests;
// - `<series>.yaml`: our curated knowledge of the series: how it installs country-bound
//   modules, the Enterprise modules known by name, each with where it is publicly named, and
//   the Community addons Odoo added to the series after the release the facts were read from;
// - `renames.yaml`: what replaced a module that is gone from a series.

/// `<series>.facts.yaml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFacts {
    /// The Odoo series (`17.0`).
    pub series: String,
    /// Every Community addon, by name.
    pub modules: std::collections::BTreeMap<String, RawFact>,
}

/// One addon's manifest facts; absent fields take Odoo's defaults.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    /// `depends`, in the manifest's order.
    #[serde(default)]
    pub depends: Vec<String>,
    /// `auto_install`: `true` or the list of triggers.
    #[serde(default)]
    pub auto_install: Option<RawAutoInstall>,
    /// `application`.
    #[serde(default)]
    pub application: bool,
    /// `category`; Odoo's default is `Uncategorized`.
    #[serde(default)]
    pub category: Option<String>,
    /// `countries`, lower-case ISO codes.
    #[serde(default)]
    pub countries: Vec<String>,
    /// `installable`; Odoo's default is `true`.
    #[serde(default = "yes")]
    pub installable: bool,
}

fn yes() -> bool {
    true
}

/// `<series>.yaml`: the curated layer of a series.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCurated {
    /// The Odoo series (`17.0`).
    pub series: String,
    /// Whether country-bound auto-install modules wait for a company of their country (18.0+).
    #[serde(default)]
    pub country_bound_auto_install: bool,
    /// Enterprise modules known by name.
    #[serde(default)]
    pub enterprise: std::collections::BTreeMap<String, RawEnterprise>,
    /// Community addons Odoo added to the series in a stable update, after the release whose
    /// manifests the facts were generated from.
    #[serde(default)]
    pub later: std::collections::BTreeMap<String, RawLater>,
}

/// A Community addon added to a series after its release: its manifest facts as we know them,
/// and where the addition is publicly visible.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLater {
    /// Where the addon is publicly seen in the series (the manifest in Odoo's repository, a
    /// page of Odoo's documentation for the series).
    pub source: String,
    /// `depends`, in the manifest's order.
    #[serde(default)]
    pub depends: Vec<String>,
    /// `auto_install`: `true` or the list of triggers.
    #[serde(default)]
    pub auto_install: Option<RawAutoInstall>,
    /// `category`.
    #[serde(default)]
    pub category: Option<String>,
}

/// An Enterprise module: where it is publicly named, and what we know of its manifest.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnterprise {
    /// Where the name is publicly attested (`community: ...`, `depends-of: ...`, `docs: ...`).
    pub source: String,
    /// The Community or Enterprise modules it installs, when known; absent when unknown.
    #[serde(default)]
    pub depends: Option<Vec<String>>,
    /// Whether it is an application.
    #[serde(default)]
    pub application: bool,
    /// Odoo's category, when known.
    #[serde(default)]
    pub category: Option<String>,
}

/// `renames.yaml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRenames {
    /// Gone module → what replaced it.
    pub renames: std::collections::BTreeMap<String, RawRename>,
}

/// What replaced a module, from which series on.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRename {
    /// The first series without the module.
    pub since: String,
    /// The module that took over.
    pub successor: String,
    /// `merged` into an existing module, or `renamed`.
    pub kind: RawRenameKind,
    /// Where the change is publicly visible.
    pub source: String,
}

/// How a module was replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawRenameKind {
    /// Its features moved into an existing module.
    Merged,
    /// The same module under a new name.
    Renamed,
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

/// Problems a YAML parser cannot see in one series' files: a trigger outside `depends`, a
/// dependency on a module the series does not have, an Enterprise name that is a Community
/// addon.
pub fn problems(facts: &RawFacts, curated: &RawCurated) -> Vec<String> {
    let mut out = Vec::new();
    if facts.series != curated.series {
        out.push(format!(
            "the facts are of {} but the curated layer of {}",
            facts.series, curated.series
        ));
    }
    let known = |n: &str| {
        facts.modules.contains_key(n)
            || curated.enterprise.contains_key(n)
            || curated.later.contains_key(n)
    };
    for (name, m) in &facts.modules {
        installs(name, &m.depends, m.auto_install.as_ref(), &known, &mut out);
    }
    for (name, m) in &curated.enterprise {
        if facts.modules.contains_key(name) {
            out.push(format!(
                "`{name}` is listed as Enterprise but is a Community addon"
            ));
        }
        if m.source.trim().is_empty() {
            out.push(format!("`{name}`: an Enterprise name needs its source"));
        }
        for d in m.depends.iter().flatten().filter(|d| !known(d)) {
            out.push(format!(
                "`{name}` depends on `{d}`, which is not in the catalog"
            ));
        }
    }
    for (name, m) in &curated.later {
        if facts.modules.contains_key(name) || curated.enterprise.contains_key(name) {
            out.push(format!(
                "`{name}` is listed as added later but the catalog already has it"
            ));
        }
        if m.source.trim().is_empty() {
            out.push(format!("`{name}`: an addon added later needs its source"));
        }
        installs(name, &m.depends, m.auto_install.as_ref(), &known, &mut out);
    }
    out
}

/// What must hold of an addon's install facts: its triggers among its depends, and its
/// depends in the catalog.
fn installs(
    name: &str,
    depends: &[String],
    auto_install: Option<&RawAutoInstall>,
    known: &dyn Fn(&str) -> bool,
    out: &mut Vec<String>,
) {
    if let Some(RawAutoInstall::Triggers(triggers)) = auto_install {
        for t in triggers.iter().filter(|t| !depends.contains(t)) {
            out.push(format!(
                "`{name}`: auto_install trigger `{t}` is not in its depends"
            ));
        }
    }
    for d in depends.iter().filter(|d| !known(d)) {
        out.push(format!(
            "`{name}` depends on `{d}`, which is not in the catalog"
        ));
    }
}
