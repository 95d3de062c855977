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
    /// The module (itself or one it depends on) that makes it post journal entries, and what
    /// it posts.
    pub posts_entries: Option<(String, String)>,
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
            let node = &self.nodes[m];
            let layer = node.facts.as_ref().and_then(|facts| {
                match self.data.layer_by_name(&node.name) {
                    Some(layer) => layer,
                    // A module from the user's tree that no layer names takes the latest layer
                    // of what it extends: a custom `acme_sale_report` goes live with sales.
                    None if facts.curated => None,
                    None => deps.iter().filter_map(|&d| self.nodes[d].layer).max(),
                }
            });
            let posts = posts_entries(&self.data, self.catalog.series(), &self.nodes, m, &deps);
            let node = &mut self.nodes[m];
            node.layer = layer;
            node.posts_entries = posts;
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
        node.layer = node.facts.as_ref().and_then(|_| self.data.layer(name));
        node.posts_entries = self
            .data
            .journal_entries(name)
            .map(|j| {
                (
                    name.to_owned(),
                    j.posts_in(self.catalog.series()).to_owned(),
                )
            })
            .or_else(|| deps.iter().find_map(|d| carried(&self.data, d)));
        node
    }
}

/// What a module posts, itself or through a dependency whose entries carry over.
fn posts_entries(
    data: &RuleData,
    series: &str,
    nodes: &[ModuleNode],
    m: ModId,
    deps: &[ModId],
) -> Option<(String, String)> {
    let name = &nodes[m].name;
    data.journal_entries(name)
        .map(|j| (name.clone(), j.posts_in(series).to_owned()))
        .or_else(|| deps.iter().find_map(|&d| carried(data, &nodes[d])))
}

fn carried(data: &RuleData, dep: &ModuleNode) -> Option<(String, String)> {
    let (source, posts) = dep.posts_entries.as_ref()?;
    data.journal_entries(source)
        .filter(|j| j.carried)
        .map(|_| (source.clone(), posts.clone()))
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
