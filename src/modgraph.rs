//! The module graph of one catalog, with what the ordering knowledge says of each module
//! (layer, journal entries). It does not depend on any plan, so it is built once per catalog
//! and shared by every plan checked against it: a run over a thousand plans pays for it once.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::catalog::{Catalog, Module};
use crate::ruledata::{Layer, RuleData};

/// Index of a module: first the catalog's, then (per plan) the names only a plan uses.
pub type ModId = usize;

/// A module as the rules see it.
#[derive(Debug, Clone)]
pub struct ModuleNode {
    /// Technical name.
    pub name: String,
    /// Catalog facts, shared with the catalog; `None` when no catalog knows the module.
    pub facts: Option<Arc<Module>>,
    /// Its layer, if any.
    pub layer: Option<Layer>,
    /// The module that makes it post journal entries (itself: a module that merely depends on
    /// one that posts, posts nothing), and what it posts.
    pub posts_entries: Option<(String, String)>,
    /// Which of the applications that matter to the books it installs, itself or through its
    /// dependencies.
    pub reaches: Reaches,
}

/// The applications that matter to the books, as a set: what a module installs of them
/// through its `depends` (itself included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reaches(u8);

impl Reaches {
    /// `account`.
    pub const ACCOUNT: Self = Self(1);
    /// `stock`.
    pub const STOCK: Self = Self(2);
    /// `sale`.
    pub const SALE: Self = Self(4);
    /// `purchase`.
    pub const PURCHASE: Self = Self(8);
    /// `point_of_sale`.
    pub const POINT_OF_SALE: Self = Self(16);
    /// `hr` (a payroll or HR localization is no chart of accounts).
    pub const HR: Self = Self(32);

    /// The application a module name is, if any.
    pub fn of(name: &str) -> Self {
        match name {
            "account" => Self::ACCOUNT,
            "stock" => Self::STOCK,
            "sale" => Self::SALE,
            "purchase" => Self::PURCHASE,
            "point_of_sale" => Self::POINT_OF_SALE,
            "hr" => Self::HR,
            _ => Self(0),
        }
    }

    /// The application a module's name says it extends (`sale_subscription` → `sale`).
    pub fn by_family(name: &str) -> Self {
        match name.split('_').next().unwrap_or_default() {
            "account" => Self::ACCOUNT,
            "stock" | "mrp" => Self::STOCK,
            "sale" => Self::SALE,
            "purchase" => Self::PURCHASE,
            "pos" => Self::POINT_OF_SALE,
            "hr" => Self::HR,
            _ => Self(0),
        }
    }

    /// Whether every application of `other` is in this set.
    pub fn has(self, other: Self) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    /// Both sets.
    #[must_use]
    pub fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

impl ModuleNode {
    /// Whether a catalog (or the localization naming scheme) knows this module.
    pub fn is_known(&self) -> bool {
        self.facts.is_some()
    }

    /// A node for `name`, resolved against the catalog, without layer or journal knowledge.
    fn resolve(catalog: &Catalog, name: &str) -> Self {
        Self {
            name: name.to_owned(),
            facts: catalog.resolve(name),
            layer: None,
            posts_entries: None,
            reaches: Reaches::default(),
        }
    }
}

/// The catalog's modules as a graph: node `i` is module `i`, edges point at dependencies.
#[derive(Debug)]
pub struct ModuleGraph {
    catalog: Catalog,
    data: RuleData,
    nodes: Vec<ModuleNode>,
    index: HashMap<String, ModId>,
    graph: DiGraph<ModId, ()>,
    /// For each module, the auto-install modules that list it as a trigger.
    reverse_triggers: Vec<Vec<ModId>>,
    /// Every auto-install module.
    auto_modules: Vec<ModId>,
}

impl ModuleGraph {
    /// Builds the graph of a catalog and annotates it with the ordering knowledge.
    pub fn new(catalog: Catalog, data: RuleData) -> Self {
        let mut g = Self {
            catalog,
            data,
            nodes: Vec::new(),
            index: HashMap::new(),
            graph: DiGraph::new(),
            reverse_triggers: Vec::new(),
            auto_modules: Vec::new(),
        };
        // Catalog modules first, in name order, so ids are deterministic; then the names
        // their depends mention that the catalog lacks.
        let names: Vec<String> = g.catalog.modules().iter().map(|m| m.name.clone()).collect();
        for name in &names {
            g.intern(name);
        }
        let mut next = 0;
        let mut seen = HashSet::new();
        while next < g.nodes.len() {
            let deps: Vec<String> = g.nodes[next]
                .facts
                .as_ref()
                .map(|f| f.depends.clone())
                .unwrap_or_default();
            // A repeated `depends` entry adds no edge. Checked with a set: petgraph's
            // `update_edge` scans the node's edges each time, quadratic in a manifest's
            // `depends` (issue 9: 80,000 entries took 5.5 s).
            seen.clear();
            for dep in deps {
                let d = g.intern(&dep);
                if seen.insert(d) {
                    g.graph
                        .add_edge(NodeIndex::new(next), NodeIndex::new(d), ());
                }
            }
            next += 1;
        }
        g.annotate();
        g.index_triggers();
        g
    }

    fn intern(&mut self, name: &str) -> ModId {
        if let Some(&id) = self.index.get(name) {
            return id;
        }
        let id = self.nodes.len();
        self.nodes.push(ModuleNode::resolve(&self.catalog, name));
        self.index.insert(name.to_owned(), id);
        self.graph.add_node(id);
        id
    }

    /// Layers and journal entries, dependencies first so that what a module inherits from
    /// them is known when it is reached.
    fn annotate(&mut self) {
        for m in self.dependency_order() {
            let deps = self.depends(m);
            let dep_nodes: Vec<&ModuleNode> = deps.iter().map(|&d| &self.nodes[d]).collect();
            let (layer, reaches) = annotation(&self.data, &self.nodes[m], &dep_nodes);
            let posts = posts_entries(&self.data, self.catalog.series(), &self.nodes[m].name);
            let node = &mut self.nodes[m];
            node.layer = layer;
            node.posts_entries = posts;
            node.reaches = reaches;
        }
    }

    fn index_triggers(&mut self) {
        self.reverse_triggers = vec![Vec::new(); self.nodes.len()];
        for (m, node) in self.nodes.iter().enumerate() {
            if let Some(triggers) = node.facts.as_ref().and_then(|m| m.triggers()) {
                self.auto_modules.push(m);
                for t in triggers {
                    if let Some(&t) = self.index.get(t) {
                        self.reverse_triggers[t].push(m);
                    }
                }
            }
        }
    }

    /// Modules in dependency order (dependencies first); modules on a dependency cycle come in
    /// an arbitrary but fixed order.
    fn dependency_order(&self) -> Vec<ModId> {
        // Components come out with dependencies first for edges M → D. Kosaraju rather than
        // Tarjan: petgraph's Tarjan recurses once per node, which a long dependency chain in
        // an addons tree turns into a stack overflow.
        kosaraju_scc(&self.graph)
            .into_iter()
            .flatten()
            .map(NodeIndex::index)
            .collect()
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The ordering knowledge.
    pub fn data(&self) -> &RuleData {
        &self.data
    }

    /// How many modules the graph holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The modules, by id.
    pub fn nodes(&self) -> &[ModuleNode] {
        &self.nodes
    }

    /// A module by name.
    pub fn id(&self, name: &str) -> Option<ModId> {
        self.index.get(name).copied()
    }

    /// A module's direct dependencies, sorted.
    pub fn depends(&self, m: ModId) -> Vec<ModId> {
        let mut v: Vec<ModId> = self
            .graph
            .neighbors(NodeIndex::new(m))
            .map(NodeIndex::index)
            .collect();
        v.sort_unstable();
        v
    }

    /// The modules that depend directly on `m`, sorted.
    pub fn dependents(&self, m: ModId) -> Vec<ModId> {
        let mut v: Vec<ModId> = self
            .graph
            .neighbors_directed(NodeIndex::new(m), petgraph::Incoming)
            .map(NodeIndex::index)
            .collect();
        v.sort_unstable();
        v
    }

    /// The auto-install modules that list `m` as a trigger.
    pub fn triggered_by(&self, m: ModId) -> &[ModId] {
        self.reverse_triggers.get(m).map_or(&[], Vec::as_slice)
    }

    /// Every auto-install module.
    pub fn auto_modules(&self) -> &[ModId] {
        &self.auto_modules
    }

    /// A node for a name this graph does not hold (a plan's unknown module), annotated like
    /// the others.
    pub fn extra_node(&self, name: &str, deps: &[&ModuleNode]) -> ModuleNode {
        let mut node = ModuleNode::resolve(&self.catalog, name);
        // An unknown module's layer would be a guess from its name; OO101 reports the root
        // cause and the order rules stay quiet about it.
        let (layer, reaches) = annotation(&self.data, &node, deps);
        node.layer = node.facts.as_ref().and(layer);
        node.reaches = reaches;
        node.posts_entries = posts_entries(&self.data, self.catalog.series(), name);
        node
    }
}

/// A module's layer and what it installs of the applications that matter to the books, from
/// its name, its facts and its dependencies' annotations.
fn annotation(
    data: &RuleData,
    node: &ModuleNode,
    deps: &[&ModuleNode],
) -> (Option<Layer>, Reaches) {
    let mut reaches = deps
        .iter()
        .fold(Reaches::of(&node.name), |r, d| r.with(d.reaches));
    let Some(facts) = node.facts.as_ref() else {
        return (None, reaches);
    };
    // An Enterprise module known by name only: Odoo names an extension after the application
    // it extends (`sale_subscription`, `pos_iot`, `mrp_workorder`), which it depends on.
    if facts.is_assumed() {
        reaches = reaches.with(Reaches::by_family(&node.name));
    }
    let layer = match data.layer_by_name(&node.name) {
        // Only a chart of accounts and the accounting around it make a localization part of
        // accounting: its name says nothing of that (`l10n_fr_hr_holidays` is an HR module,
        // `l10n_fr` depends on `base` only from 18.0 on), its dependencies do.
        Some(Some(Layer::Accounting))
            if node.name.starts_with("l10n_") && data.exact_layer(&node.name).is_none() =>
        {
            localization_layer(&node.name, facts, reaches)
        }
        Some(layer) => layer,
        // A module from the user's tree that no layer names takes the latest layer of what it
        // extends: a custom `acme_sale_report` goes live with sales.
        None if facts.curated => None,
        None => deps.iter().filter_map(|d| d.layer).max(),
    };
    (layer, reaches)
}

/// The layer of a localization module: a point-of-sale localization goes live with the point
/// of sale, an HR or payroll one with no layer, a module that installs no `account` (a
/// country's base data) with none; the rest is accounting. For an Enterprise module known by
/// name only, its name is all there is to go by.
fn localization_layer(name: &str, facts: &Module, reaches: Reaches) -> Option<Layer> {
    let words = || name.split('_').skip(2);
    if facts.is_assumed() {
        return if words().any(|w| w == "pos") {
            Some(Layer::Commercial)
        } else if words().any(|w| w == "hr" || w == "payroll") {
            None
        } else {
            Some(Layer::Accounting)
        };
    }
    if reaches.has(Reaches::POINT_OF_SALE) {
        Some(Layer::Commercial)
    } else if reaches.has(Reaches::HR) || !reaches.has(Reaches::ACCOUNT) {
        None
    } else {
        Some(Layer::Accounting)
    }
}

/// What a module posts itself. Entries do not carry over to dependents: `sale_purchase_stock`
/// depends on `stock_account` and posts nothing; the modules that value stock moves themselves
/// are listed in the data (`carried: true`).
fn posts_entries(data: &RuleData, series: &str, name: &str) -> Option<(String, String)> {
    data.journal_entries(name)
        .map(|j| (name.to_owned(), j.posts_in(series).to_owned()))
}

impl Module {
    /// Whether its dependencies are unknown (an Enterprise module known by name only), so
    /// what it installs is left out of the simulation.
    pub fn is_assumed(&self) -> bool {
        !self.depends_known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_dependency_is_one_edge() {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join("acme/__manifest__.py");
        std::fs::create_dir_all(module.parent().unwrap()).unwrap();
        std::fs::write(
            &module,
            "{'depends': ['sale', 'account', 'sale', 'acme_missing', 'sale', 'acme_missing']}",
        )
        .unwrap();
        let scan = crate::addons::scan(&[dir.path().to_path_buf()]);
        assert!(scan.problems.is_empty(), "{:?}", scan.problems);
        let catalog = Catalog::builtin("17.0").unwrap().with_addons(&scan);
        let g = ModuleGraph::new(catalog, RuleData::builtin().unwrap());
        let acme = g.id("acme").unwrap();
        let names: Vec<&str> = g
            .depends(acme)
            .into_iter()
            .map(|d| g.nodes()[d].name.as_str())
            .collect();
        let mut expected = vec!["account", "acme_missing", "sale"];
        expected.sort_by_key(|n| g.id(n));
        assert_eq!(names, expected);
        let sale = g.id("sale").unwrap();
        assert_eq!(g.dependents(sale).iter().filter(|&&d| d == acme).count(), 1);
    }
}
