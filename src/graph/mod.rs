//! The plan as graphs, built once and shared read-only by every rule:
//!
//! - the **phase graph** (petgraph): an edge `P → Q` when `Q` goes live after `P`
//!   (`phases.rs`: precedence, cycles, go-live order);
//! - the **companies** each phase covers (`companies.rs`);
//! - the **module graph** (petgraph): an edge `M → D` when `M` depends on `D` (the shared
//!   [`ModuleGraph`] with this plan's unknown names on top, [`Modules`], here);
//! - per phase, the **installed set**: the closure under `depends` and `auto_install` of
//!   everything planned in the phase and the phases that precede it, with why each module is
//!   there (planned, pulled in by a dependency chain, auto-installed by its triggers)
//!   (`installs.rs`, with what `installed` holds before the first phase);
//! - per planned module, its **nearest planned dependencies** and the pairs where such a
//!   dependency is planned in a phase that does not precede the module's (OO201's raw data,
//!   which the order rules also read so that one root cause gives one finding), and the
//!   walks over dependents that rules and views share (`dependencies.rs`);
//! - per company, where each **layer** (accounting first) goes live (`layers.rs`).
//!
//! Every closure is computed once here; rules never walk the module graph themselves. This
//! file holds the type, its construction in order, and the module overlay; each analysis
//! adds its fields' computation and queries to [`PlanGraph`] from its own file.

mod companies;
mod dependencies;
mod installs;
mod layers;
mod phases;

use std::collections::HashMap;
use std::ops::Index;
use std::sync::Arc;

use fixedbitset::FixedBitSet;
use petgraph::graph::DiGraph;

use crate::catalog::Catalog;
pub use crate::modgraph::{ModId, ModuleGraph, ModuleNode};
use crate::plan::Plan;
use crate::ruledata::RuleData;
use crate::source::Span;

pub use companies::CompanyNode;
pub use dependencies::LateDependency;
pub use installs::{PhaseInstalls, Reason};
pub use phases::PhaseSet;
use phases::Precedence;

/// Index of a phase, in file order.
pub type PhaseId = usize;
/// Index of a company in [`PlanGraph::companies`].
pub type CompanyId = usize;
/// Index of a planned module occurrence in [`PlanGraph::occurrences`].
pub type OccId = usize;

/// The modules a plan involves: the shared catalog graph's, then the names only this plan
/// uses (unknown modules). Indexed by [`ModId`].
#[derive(Debug, Clone)]
pub struct Modules {
    shared: Arc<ModuleGraph>,
    extra: Vec<ModuleNode>,
    extra_deps: Vec<Vec<ModId>>,
    extra_index: HashMap<String, ModId>,
    /// For each module, the extra modules that depend on it, in id order.
    extra_dependents: HashMap<ModId, Vec<ModId>>,
}

impl Modules {
    fn new(shared: Arc<ModuleGraph>) -> Self {
        Self {
            shared,
            extra: Vec::new(),
            extra_deps: Vec::new(),
            extra_index: HashMap::new(),
            extra_dependents: HashMap::new(),
        }
    }

    /// How many modules there are.
    pub fn len(&self) -> usize {
        self.shared.len() + self.extra.len()
    }

    /// Every module, by id.
    pub fn iter(&self) -> impl Iterator<Item = &ModuleNode> + '_ {
        self.shared.nodes().iter().chain(&self.extra)
    }

    /// A module by name.
    pub fn id(&self, name: &str) -> Option<ModId> {
        self.shared
            .id(name)
            .or_else(|| self.extra_index.get(name).copied())
    }

    /// A module's direct dependencies, sorted.
    pub fn depends(&self, m: ModId) -> Vec<ModId> {
        match m.checked_sub(self.shared.len()) {
            None => self.shared.depends(m),
            Some(e) => self.extra_deps.get(e).cloned().unwrap_or_default(),
        }
    }

    /// Adds a name the shared graph does not hold; its dependencies are interned first.
    fn intern(&mut self, name: &str) -> ModId {
        if let Some(id) = self.id(name) {
            return id;
        }
        let facts = self.shared.catalog().resolve(name);
        let names: Vec<String> = facts
            .as_ref()
            .map(|f| f.depends.clone())
            .unwrap_or_default();
        let mut deps: Vec<ModId> = names
            .iter()
            .filter(|d| d.as_str() != name)
            .map(|d| self.intern(d))
            .collect();
        deps.sort_unstable();
        deps.dedup();
        let dep_nodes: Vec<&ModuleNode> = deps.iter().map(|&d| &self[d]).collect();
        let node = self.shared.extra_node(name, &dep_nodes);
        let id = self.len();
        for &d in &deps {
            self.extra_dependents.entry(d).or_default().push(id);
        }
        self.extra.push(node);
        self.extra_deps.push(deps);
        self.extra_index.insert(name.to_owned(), id);
        id
    }
}

impl Index<ModId> for Modules {
    type Output = ModuleNode;

    fn index(&self, m: ModId) -> &ModuleNode {
        let shared = self.shared.nodes();
        shared
            .get(m)
            .unwrap_or_else(|| &self.extra[m - shared.len()])
    }
}

/// A module listed in a phase's `modules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    /// The module.
    pub module: ModId,
    /// The phase that lists it.
    pub phase: PhaseId,
    /// The list item.
    pub span: Span,
}

/// A name that does not resolve (OO106).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dangling {
    /// What kind of thing was expected: `phase` or `company`.
    pub kind: &'static str,
    /// The name as written.
    pub name: String,
    /// Where.
    pub span: Span,
    /// The phase whose `after` or `companies` holds it.
    pub phase: PhaseId,
}

/// The plan's graphs and shared analyses.
#[derive(Debug)]
pub struct PlanGraph<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Phase order: node `i` is phase `i`; edge weight is the span that creates it. The first
    /// [`PlanGraph::is_after_edge`] edges come from `after` (or the list order), the rest from
    /// go-live dates that order phases `after` leaves concurrent.
    pub phase_graph: DiGraph<PhaseId, Span>,
    /// How many edges of `phase_graph` come from `after`.
    after_edges: usize,
    /// Which phase precedes which, in memory linear in the plan for chains and trees.
    precedence: Precedence,
    /// Sets of phases that precede each other in a cycle of `after` (each has ≥ 2 phases or a
    /// self-loop).
    pub cycles: Vec<Vec<PhaseId>>,
    /// Companies; exactly one (implicit) when the plan declares none.
    pub companies: Vec<CompanyNode>,
    /// The companies each phase covers.
    pub phase_companies: Vec<Arc<[CompanyId]>>,
    /// Names in `after` and `companies` that resolve to nothing.
    pub dangling: Vec<Dangling>,
    /// Every module involved: the catalog's, then those only this plan names.
    pub modules: Modules,
    /// Every planned occurrence, in file order.
    pub occurrences: Vec<Occurrence>,
    /// For each module, its occurrences in file order.
    pub planned_in: Vec<Vec<OccId>>,
    /// For each phase, what it installs.
    pub installs: Vec<PhaseInstalls>,
    /// For the modules the plan reaches, their nearest planned dependencies and the next
    /// module on the way; empty for the rest.
    nearest: Vec<Vec<(ModId, ModId)>>,
    /// OO201's pairs, ordered by `from` then `to`.
    pub late_dependencies: Vec<LateDependency>,
    /// For each company, the phases that cover it, plan an accounting-layer module and install
    /// `account`: where accounting goes live for it.
    pub accounting_phases: Vec<Arc<[PhaseId]>>,
    /// What the database holds before the first phase: the plan's `installed` modules and
    /// everything they install (dependencies, bridges whose triggers they complete).
    pub preinstalled: FixedBitSet,
    /// For each module of [`PlanGraph::preinstalled`], the index in `installed` of the first
    /// entry that brings it.
    preinstalled_by: HashMap<ModId, usize>,
    /// For each company, whether its accounting is live before the first phase: `installed`
    /// holds `account` and the company's chart package.
    pub accounting_preinstalled: Vec<bool>,
    /// Strongly connected components of the phase graph, in go-live (topological) order.
    phase_order: Vec<Vec<PhaseId>>,
    /// The occurrences of each phase (contiguous: occurrences are numbered in file order).
    phase_occurrences: Vec<std::ops::Range<OccId>>,
    /// Where each (phase, module) pair is in the phase's `added` list, sorted: [`PlanGraph::reason`]
    /// is asked once per link of every chain, so a scan of the list made chains quadratic.
    added_index: Vec<(PhaseId, ModId, usize)>,
}

impl<'a> PlanGraph<'a> {
    /// Builds every graph and analysis for a plan on a shared module graph.
    pub fn with_modules(plan: &'a Plan, shared: Arc<ModuleGraph>) -> Self {
        let mut g = Self {
            plan,
            phase_graph: DiGraph::new(),
            after_edges: 0,
            precedence: Precedence::default(),
            cycles: Vec::new(),
            companies: Vec::new(),
            phase_companies: Vec::new(),
            dangling: Vec::new(),
            modules: Modules::new(shared),
            occurrences: Vec::new(),
            planned_in: Vec::new(),
            installs: Vec::new(),
            nearest: Vec::new(),
            late_dependencies: Vec::new(),
            accounting_phases: Vec::new(),
            preinstalled: FixedBitSet::new(),
            preinstalled_by: HashMap::new(),
            accounting_preinstalled: Vec::new(),
            phase_order: Vec::new(),
            phase_occurrences: Vec::new(),
            added_index: Vec::new(),
        };
        g.build_phases();
        g.build_companies();
        g.build_modules();
        g.compute_preinstalled();
        g.compute_installs();
        g.compute_nearest();
        g.compute_late_dependencies();
        g.compute_accounting_phases();
        g
    }

    // ----- modules ------------------------------------------------------------------------

    fn build_modules(&mut self) {
        let plan = self.plan;
        for (q, phase) in plan.phases.iter().enumerate() {
            let start = self.occurrences.len();
            for module in &phase.modules {
                let id = self.modules.intern(&module.value);
                let occ = self.occurrences.len();
                self.occurrences.push(Occurrence {
                    module: id,
                    phase: q,
                    span: module.span,
                });
                if self.planned_in.len() <= id {
                    self.planned_in.resize(id + 1, Vec::new());
                }
                self.planned_in[id].push(occ);
            }
            self.phase_occurrences.push(start..self.occurrences.len());
        }
        self.planned_in.resize(self.modules.len(), Vec::new());
    }

    /// The catalog the plan is checked against.
    pub fn catalog(&self) -> &Catalog {
        self.modules.shared.catalog()
    }

    /// The ordering knowledge in use.
    pub fn data(&self) -> &RuleData {
        self.modules.shared.data()
    }

    /// A module by name.
    pub fn module_id(&self, name: &str) -> Option<ModId> {
        self.modules.id(name)
    }

    /// A module's name.
    pub fn name(&self, m: ModId) -> &str {
        &self.modules[m].name
    }

    /// A module's direct dependencies, sorted by id.
    pub fn depends(&self, m: ModId) -> Vec<ModId> {
        self.modules.depends(m)
    }

    /// The modules that depend directly on `m`, sorted by id: the shared graph's, then the
    /// plan's own names (numbered after them).
    pub fn dependents(&self, m: ModId) -> Vec<ModId> {
        let modules = &self.modules;
        let mut v = if m < modules.shared.len() {
            modules.shared.dependents(m)
        } else {
            Vec::new()
        };
        if let Some(extra) = modules.extra_dependents.get(&m) {
            v.extend_from_slice(extra);
        }
        v
    }

    /// The planned occurrences of a phase, in file order, with their ids.
    pub fn occurrences_in(&self, q: PhaseId) -> impl Iterator<Item = (OccId, &Occurrence)> + '_ {
        let range = self.phase_occurrences[q].clone();
        range.clone().zip(&self.occurrences[range])
    }

    /// Whether a module's dependencies are assumed rather than read (an Enterprise module
    /// known by name only).
    pub fn is_assumed(&self, m: ModId) -> bool {
        self.modules[m]
            .facts
            .as_ref()
            .is_some_and(|f| f.is_assumed())
    }
}
