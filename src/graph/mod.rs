//! The plan as graphs, built once and shared read-only by every rule:
//!
//! - the **phase graph** (petgraph): an edge `P → Q` when `Q` goes live after `P`;
//! - the **module graph** (petgraph): an edge `M → D` when `M` depends on `D`;
//! - per phase, the **installed set**: the closure under `depends` and `auto_install` of
//!   everything planned in the phase and the phases that precede it, with why each module is
//!   there (planned, pulled in by a dependency chain, auto-installed by its triggers);
//! - per planned module, its **nearest planned dependencies** and the pairs where such a
//!   dependency is planned in a phase that does not precede the module's (OO201's raw data,
//!   which the order rules also read so that one root cause gives one finding).
//!
//! Every closure is computed once here; rules never walk the module graph themselves.

use std::collections::HashMap;
use std::ops::Index;
use std::sync::Arc;

use fixedbitset::FixedBitSet;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::catalog::Catalog;
pub use crate::modgraph::{ModId, ModuleGraph, ModuleNode};
use crate::plan::Plan;
use crate::ruledata::{Layer, RuleData};
use crate::source::Span;

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

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

    /// The modules that depend directly on `m`, sorted.
    pub fn dependents(&self, m: ModId) -> Vec<ModId> {
        let mut v = if m < self.shared.len() {
            self.shared.dependents(m)
        } else {
            Vec::new()
        };
        if let Some(extra) = self.extra_dependents.get(&m) {
            v.extend_from_slice(extra);
        }
        v
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

/// A company, declared or the implicit one of a plan that declares none.
#[derive(Debug, Clone)]
pub struct CompanyNode {
    /// Its id; `None` for the implicit company.
    pub id: Option<String>,
    /// ISO country code, upper case.
    pub country: Option<String>,
    /// Where it is declared.
    pub span: Option<Span>,
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

/// Why a module is installed in a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Listed in the phase (or in a phase of the same cycle).
    Planned(OccId),
    /// Installed because `by` depends on it.
    PulledIn {
        /// The module that depends on it.
        by: ModId,
    },
    /// Installed itself once these were all present.
    AutoInstalled {
        /// Its triggers.
        triggers: Vec<ModId>,
    },
}

/// What a phase adds to the database.
#[derive(Debug, Clone, Default)]
pub struct PhaseInstalls {
    /// Everything installed once the phase is live.
    pub installed: FixedBitSet,
    /// What this phase adds, in the order it is added, with the reason.
    pub added: Vec<(ModId, Reason)>,
}

/// A planned module whose planned dependency goes live in a phase that does not precede it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateDependency {
    /// The planned module.
    pub from: OccId,
    /// The dependency's planned occurrence (the first one, in file order).
    pub to: OccId,
    /// `from`'s module, the modules in between, and `to`'s module.
    pub chain: Vec<ModId>,
}

/// The strongly connected components of the phase graph in topological order, each sorted.
/// Kosaraju yields components in reverse topological order, like Tarjan, but walks without
/// recursion: petgraph's Tarjan recurses once per phase and a long chain of phases overflowed
/// the stack. A component of several phases (or one with a self-loop) is a cycle.
fn sorted_components(graph: &DiGraph<PhaseId, Span>) -> Vec<Vec<PhaseId>> {
    let mut sccs: Vec<Vec<PhaseId>> = kosaraju_scc(graph)
        .into_iter()
        .map(|c| {
            let mut v: Vec<PhaseId> = c.into_iter().map(NodeIndex::index).collect();
            v.sort_unstable();
            v
        })
        .collect();
    sccs.reverse();
    sccs
}

/// Which phase precedes which, without a phases × phases matrix (65,000 empty phases in a
/// chain, under 1 MB of YAML, made one of 530 MB).
///
/// Cycles of `after` are first merged into components. The components then form chains: a
/// component joins the chain of its only predecessor when that predecessor has no other
/// successor. Inside a chain, order is position; a path between two chains leaves the first
/// by its last component and enters the second by its first, so precedence between chains is
/// a bit set per chain over the chains before it (in go-live order). A long chain of phases
/// is then one chain and costs one bit set; only branching and merging cost more.
#[derive(Debug, Clone, Default)]
struct Precedence {
    /// Each phase's component.
    component: Vec<usize>,
    /// Whether each component is a cycle of several phases.
    cyclic: Vec<bool>,
    /// Each component's chain, numbered in go-live order.
    chain: Vec<usize>,
    /// Each component's position in its chain.
    position: Vec<usize>,
    /// For each chain, the chains that precede it (all numbered lower).
    before: Vec<FixedBitSet>,
}

impl Precedence {
    /// `components` in topological order, each sorted.
    fn new(graph: &DiGraph<PhaseId, Span>, components: &[Vec<PhaseId>]) -> Self {
        let mut component = vec![0; graph.node_count()];
        for (k, comp) in components.iter().enumerate() {
            for &q in comp {
                component[q] = k;
            }
        }
        let k = components.len();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); k];
        let mut succs = vec![0_usize; k];
        for edge in graph.raw_edges() {
            let (a, b) = (
                component[edge.source().index()],
                component[edge.target().index()],
            );
            if a != b {
                preds[b].push(a);
            }
        }
        for list in &mut preds {
            list.sort_unstable();
            list.dedup();
            for &a in list.iter() {
                succs[a] += 1;
            }
        }
        let mut chain = vec![0; k];
        let mut position = vec![0; k];
        let mut before: Vec<FixedBitSet> = Vec::new();
        for c in 0..k {
            if let [p] = preds[c][..]
                && succs[p] == 1
            {
                chain[c] = chain[p];
                position[c] = position[p] + 1;
                continue;
            }
            let id = before.len();
            // Only as long as its highest bit: a chain with nothing before it costs nothing.
            let mut set = FixedBitSet::new();
            for &p in &preds[c] {
                set.union_with(&before[chain[p]]);
                set.grow(chain[p] + 1);
                set.insert(chain[p]);
            }
            chain[c] = id;
            before.push(set);
        }
        Self {
            component,
            cyclic: components.iter().map(|c| c.len() > 1).collect(),
            chain,
            position,
            before,
        }
    }

    /// A phase's chain and position in it.
    fn place(&self, q: PhaseId) -> (usize, usize) {
        let c = self.component[q];
        (self.chain[c], self.position[c])
    }

    /// Whether `p` goes live strictly before `q`.
    fn precedes(&self, p: PhaseId, q: PhaseId) -> bool {
        if p == q {
            return false;
        }
        let (from, to) = (self.component[p], self.component[q]);
        if from == to {
            return self.cyclic[from];
        }
        let (chain_from, chain_to) = (self.chain[from], self.chain[to]);
        if chain_from == chain_to {
            self.position[from] < self.position[to]
        } else {
            self.before[chain_to].contains(chain_from)
        }
    }
}

/// A set of phases, built to be asked whether one of them is or precedes a given phase
/// ([`PlanGraph::phase_set`], [`PlanGraph::reached_by`]). A few phases are compared one by one;
/// many are kept as the chains they lie on (see `Precedence`) and their first position on
/// each, so a question costs one pass over a bit set of chains, not one comparison per phase
/// (a module planned in thousands of parallel phases made every module that needs it compare
/// with each).
#[derive(Debug, Clone, Default)]
pub struct PhaseSet {
    /// The phases, when few.
    few: Vec<PhaseId>,
    /// When many: the chains they lie on, and the first position of theirs on each.
    chains: Option<(FixedBitSet, HashMap<usize, usize>)>,
}

/// Up to this many phases, a [`PhaseSet`] compares them one by one.
const FEW_PHASES: usize = 16;

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
    /// Each phase's component's rank in go-live order: a phase precedes only phases of
    /// higher rank.
    rank: Vec<usize>,
}

impl<'a> PlanGraph<'a> {
    /// Builds every graph and analysis for a plan, with a module graph made for it. To check
    /// many plans, build the [`ModuleGraph`] once and use [`PlanGraph::with_modules`].
    pub fn build(plan: &'a Plan, catalog: &Catalog, data: &RuleData) -> Self {
        Self::with_modules(
            plan,
            Arc::new(ModuleGraph::new(catalog.clone(), data.clone())),
        )
    }

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
            rank: Vec::new(),
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

    // ----- phases -------------------------------------------------------------------------

    fn build_phases(&mut self) {
        let plan = self.plan;
        let ids: HashMap<&str, PhaseId> = plan
            .phases
            .iter()
            .enumerate()
            .rev() // the first declaration wins for duplicates
            .map(|(i, p)| (p.id.value.as_str(), i))
            .collect();
        for i in 0..plan.phases.len() {
            self.phase_graph.add_node(i);
        }
        for (q, phase) in plan.phases.iter().enumerate() {
            match &phase.after {
                None if q > 0 => {
                    self.phase_graph.add_edge(
                        NodeIndex::new(q - 1),
                        NodeIndex::new(q),
                        phase.id.span,
                    );
                }
                None => {}
                Some(list) => {
                    for name in list {
                        if let Some(&p) = ids.get(name.value.as_str()) {
                            self.phase_graph.add_edge(
                                NodeIndex::new(p),
                                NodeIndex::new(q),
                                name.span,
                            );
                        } else {
                            self.dangling.push(Dangling {
                                kind: "phase",
                                name: name.value.clone(),
                                span: name.span,
                                phase: q,
                            });
                        }
                    }
                }
            }
        }
        self.after_edges = self.phase_graph.edge_count();
        let mut sccs = sorted_components(&self.phase_graph);
        self.order_by_dates(&sccs);
        if self.phase_graph.edge_count() > self.after_edges {
            sccs = sorted_components(&self.phase_graph);
        }
        for comp in &sccs {
            let cyclic = comp.len() > 1
                || self
                    .phase_graph
                    .contains_edge(NodeIndex::new(comp[0]), NodeIndex::new(comp[0]));
            if cyclic {
                self.cycles.push(comp.clone());
            }
        }
        self.precedence = Precedence::new(&self.phase_graph, &sccs);
        self.rank = self.precedence.component.clone();
        self.phase_order = sccs;
    }

    /// Orders by their dates the phases that `after` leaves concurrent (design §3): an edge
    /// from each dated phase to each phase of the next later date that `after` does not order
    /// either way; precedence through them covers every later date. Equal or missing dates
    /// stay concurrent. Dates that contradict `after` (OO104) would make cycles of these edges:
    /// then none is added, and the order is `after`'s alone. So that a plan of thousands of
    /// parallel phases on two dates does not make millions of edges, past a budget linear in
    /// the plan the remaining dates are left concurrent.
    fn order_by_dates(&mut self, sccs: &[Vec<PhaseId>]) {
        let plan = self.plan;
        let mut dated: Vec<(crate::date::Date, PhaseId)> = plan
            .phases
            .iter()
            .enumerate()
            .filter_map(|(q, p)| p.go_live.as_ref().map(|d| (d.value, q)))
            .collect();
        if dated.len() < 2 {
            return;
        }
        dated.sort_unstable();
        let groups: Vec<&[(crate::date::Date, PhaseId)]> =
            dated.chunk_by(|a, b| a.0 == b.0).collect();
        if groups.len() < 2 {
            return;
        }
        let after = Precedence::new(&self.phase_graph, sccs);
        let before = self.phase_graph.clone();
        let budget = 4 * plan.phases.len() + 64;
        let mut added = 0;
        'groups: for pair in groups.windows(2) {
            for &(_, p) in pair[0] {
                for &(_, q) in pair[1] {
                    if after.precedes(p, q) || after.precedes(q, p) || p == q {
                        continue;
                    }
                    if added == budget {
                        break 'groups;
                    }
                    let span = plan.phases[q]
                        .go_live
                        .as_ref()
                        .map_or(plan.phases[q].id.span, |d| d.span);
                    self.phase_graph
                        .add_edge(NodeIndex::new(p), NodeIndex::new(q), span);
                    added += 1;
                }
            }
        }
        if added > 0 {
            let cycles =
                |g: &DiGraph<PhaseId, Span>| kosaraju_scc(g).iter().filter(|c| c.len() > 1).count();
            if cycles(&self.phase_graph) != cycles(&before) {
                self.phase_graph = before;
            }
        }
    }

    /// Whether the edge into a phase comes from `after` (or the list order), not from dates.
    pub fn is_after_edge(&self, edge: petgraph::graph::EdgeIndex) -> bool {
        edge.index() < self.after_edges
    }

    /// Whether `p` goes live strictly before `q` (a path of `after` leads from `p` to `q`).
    pub fn precedes(&self, p: PhaseId, q: PhaseId) -> bool {
        self.precedence.precedes(p, q)
    }

    /// Whether `p` is `q` or precedes it.
    pub fn is_or_precedes(&self, p: PhaseId, q: PhaseId) -> bool {
        p == q || self.precedence.precedes(p, q)
    }

    /// The cycle of `after` that phase `q` is on, if any (one of [`PlanGraph::cycles`]).
    pub fn cycle_of(&self, q: PhaseId) -> Option<&[PhaseId]> {
        let comp = self.precedence.component[q];
        if !self.precedence.cyclic[comp]
            && !self
                .phase_graph
                .contains_edge(NodeIndex::new(q), NodeIndex::new(q))
        {
            return None;
        }
        Some(self.phase_order[comp].as_slice())
    }

    /// `phases` made ready for [`PlanGraph::reached_by`].
    pub fn phase_set(&self, phases: &[PhaseId]) -> PhaseSet {
        if phases.len() <= FEW_PHASES {
            return PhaseSet {
                few: phases.to_vec(),
                chains: None,
            };
        }
        let mut chains = FixedBitSet::with_capacity(self.precedence.before.len());
        let mut first: HashMap<usize, usize> = HashMap::new();
        for &p in phases {
            let (chain, position) = self.precedence.place(p);
            chains.insert(chain);
            first
                .entry(chain)
                .and_modify(|at| *at = (*at).min(position))
                .or_insert(position);
        }
        PhaseSet {
            few: Vec::new(),
            chains: Some((chains, first)),
        }
    }

    /// Whether a phase of `set` is `q` or precedes it.
    pub fn reached_by(&self, set: &PhaseSet, q: PhaseId) -> bool {
        match &set.chains {
            None => set.few.iter().any(|&p| self.is_or_precedes(p, q)),
            Some((chains, first)) => {
                // On `q`'s own chain, one at or before its position (a cycle is one position,
                // so its other phases count too); else a chain that precedes `q`'s.
                let (chain, position) = self.precedence.place(q);
                first.get(&chain).is_some_and(|&at| at <= position)
                    || !self.precedence.before[chain].is_disjoint(chains)
            }
        }
    }

    /// The phases that precede `q`, in file order. A pass over every phase: for one question
    /// about a pair, [`PlanGraph::precedes`] answers in constant time.
    pub fn ancestors(&self, q: PhaseId) -> impl Iterator<Item = PhaseId> + '_ {
        (0..self.plan.phases.len()).filter(move |&p| self.precedence.precedes(p, q))
    }

    /// Every phase in go-live order: topological over the phase graph, ties broken by file
    /// order (Kahn's algorithm with the smallest phase first). Phases on a cycle come together,
    /// in file order, where their first phase would.
    pub fn go_live_order(&self) -> Vec<PhaseId> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let n = self.plan.phases.len();
        // Components are sorted inside, so a component's key is its first phase.
        let mut component = vec![0; n];
        for (k, comp) in self.phase_order.iter().enumerate() {
            for &q in comp {
                component[q] = k;
            }
        }
        let mut indegree = vec![0_usize; self.phase_order.len()];
        let mut successors: Vec<Vec<usize>> = vec![Vec::new(); self.phase_order.len()];
        for edge in self.phase_graph.raw_edges() {
            let (a, b) = (
                component[edge.source().index()],
                component[edge.target().index()],
            );
            if a != b {
                successors[a].push(b);
                indegree[b] += 1;
            }
        }
        let mut ready: BinaryHeap<Reverse<(PhaseId, usize)>> = self
            .phase_order
            .iter()
            .enumerate()
            .filter(|&(k, _)| indegree[k] == 0)
            .map(|(k, comp)| Reverse((comp[0], k)))
            .collect();
        let mut order = Vec::with_capacity(n);
        while let Some(Reverse((_, k))) = ready.pop() {
            order.extend_from_slice(&self.phase_order[k]);
            for &s in &successors[k] {
                indegree[s] -= 1;
                if indegree[s] == 0 {
                    ready.push(Reverse((self.phase_order[s][0], s)));
                }
            }
        }
        order
    }

    // ----- companies ----------------------------------------------------------------------

    fn build_companies(&mut self) {
        let plan = self.plan;
        if plan.companies.is_empty() {
            self.companies.push(CompanyNode {
                id: None,
                country: None,
                span: None,
            });
        } else {
            self.companies = plan
                .companies
                .iter()
                .map(|c| CompanyNode {
                    id: Some(c.id.value.clone()),
                    country: c.country.as_ref().map(|c| c.value.clone()),
                    span: Some(c.id.span),
                })
                .collect();
        }
        // One list shared by every phase that names no companies: thousands of phases times
        // thousands of companies would otherwise be a list each.
        let all: Arc<[CompanyId]> = (0..self.companies.len()).collect();
        let mut by_id: HashMap<&str, CompanyId> = HashMap::new();
        for (c, company) in plan.companies.iter().enumerate() {
            by_id.entry(company.id.value.as_str()).or_insert(c);
        }
        for (q, phase) in plan.phases.iter().enumerate() {
            let covered = match &phase.companies {
                None => Arc::clone(&all),
                Some(list) => {
                    let mut covered = Vec::new();
                    for name in list {
                        match by_id.get(name.value.as_str()) {
                            Some(&c) => covered.push(c),
                            None => self.dangling.push(Dangling {
                                kind: "company",
                                name: name.value.clone(),
                                span: name.span,
                                phase: q,
                            }),
                        }
                    }
                    covered.sort_unstable();
                    covered.dedup();
                    covered.into()
                }
            };
            self.phase_companies.push(covered);
        }
    }

    /// Whether phase `p` covers company `c`.
    pub fn covers(&self, p: PhaseId, c: CompanyId) -> bool {
        self.phase_companies[p].binary_search(&c).is_ok()
    }

    /// The company's id for findings (`None` for the implicit company).
    pub fn company_id(&self, c: CompanyId) -> Option<&str> {
        self.companies[c].id.as_deref()
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

    /// The modules that depend directly on `m`, sorted by id.
    pub fn dependents(&self, m: ModId) -> Vec<ModId> {
        self.modules.dependents(m)
    }

    // ----- installed sets -----------------------------------------------------------------

    /// The database as `installed` leaves it: each listed module with its dependencies, then
    /// the bridges whose triggers are all there (for every company: the database is live for
    /// all of them).
    fn compute_preinstalled(&mut self) {
        let listed: Vec<ModId> = self
            .plan
            .installed
            .modules
            .iter()
            .map(|m| self.modules.intern(&m.value))
            .collect();
        self.planned_in.resize(self.modules.len(), Vec::new());
        let n = self.modules.len();
        let mut set = FixedBitSet::with_capacity(n);
        let mut by: HashMap<ModId, usize> = HashMap::new();
        for (i, &m) in listed.iter().enumerate() {
            let mut queue = vec![m];
            while let Some(x) = queue.pop() {
                if set.put(x) {
                    continue;
                }
                by.entry(x).or_insert(i);
                queue.extend(self.depends(x));
            }
        }
        if listed.is_empty() {
            self.preinstalled = set;
            self.accounting_preinstalled = vec![false; self.companies.len()];
            return;
        }
        let mut everyone = FixedBitSet::with_capacity(self.companies.len());
        everyone.insert_range(..);
        let shared = Arc::clone(&self.modules.shared);
        loop {
            let mut landed = false;
            for &a in shared.auto_modules() {
                if set.contains(a) {
                    continue;
                }
                if let Some(triggers) = self.ready_triggers(a, &set, Some(&everyone)) {
                    let i = triggers
                        .iter()
                        .filter_map(|t| by.get(t))
                        .max()
                        .copied()
                        .unwrap_or_default();
                    let mut queue = vec![a];
                    while let Some(x) = queue.pop() {
                        if set.put(x) {
                            continue;
                        }
                        by.entry(x).or_insert(i);
                        queue.extend(self.depends(x));
                    }
                    landed = true;
                }
            }
            if !landed {
                break;
            }
        }
        let account = self.modules.id("account").filter(|&a| set.contains(a));
        // Any chart package, for a company whose country's is unknown.
        let some_chart = set.ones().any(|m| {
            self.modules[m].layer == Some(Layer::Accounting)
                && crate::catalog::localization_country(&self.modules[m].name).is_some()
        });
        self.accounting_preinstalled = self
            .companies
            .iter()
            .map(|c| {
                account.is_some()
                    && match c.country.as_deref() {
                        // In 17.0 the United States' chart ships in `account` itself.
                        Some(k)
                            if k.eq_ignore_ascii_case("US")
                                && !self.catalog().country_bound_auto_install() =>
                        {
                            true
                        }
                        Some(k) => self
                            .catalog()
                            .localization_for(k)
                            .and_then(|l| self.modules.id(&l.name))
                            .map_or(some_chart, |l| set.contains(l)),
                        None => some_chart,
                    }
            })
            .collect();
        self.preinstalled = set;
        self.preinstalled_by = by;
    }

    /// Whether company `c` keeps its books outside Odoo when phase `q` goes live
    /// (`accounting: external`, before `accounting_until` or without one; an undated phase is
    /// taken to be before the takeover).
    pub fn books_outside(&self, c: CompanyId, q: PhaseId) -> bool {
        self.plan.companies.get(c).is_some_and(|company| {
            company.books_outside_on(self.plan.phases[q].go_live.as_ref().map(|d| d.value))
        })
    }

    /// Whether module `m` is in the database before the first phase.
    pub fn is_preinstalled(&self, m: ModId) -> bool {
        self.preinstalled.contains(m)
    }

    /// The entry of `installed` that brings `m` into the database, when one does.
    pub fn preinstalled_by(&self, m: ModId) -> Option<usize> {
        self.preinstalled_by.get(&m).copied()
    }

    #[allow(clippy::too_many_lines)] // one walk in go-live order; its steps share its state
    fn compute_installs(&mut self) {
        let n = self.modules.len();
        let shared = Arc::clone(&self.modules.shared);
        let mut installs = vec![PhaseInstalls::default(); self.plan.phases.len()];
        let order = std::mem::take(&mut self.phase_order);
        // Where auto-install is bound to countries, the companies live by each component (in
        // go-live order), so that a bridge's countries are checked without a walk back over
        // every earlier phase.
        let countries = self.catalog().country_bound_auto_install()
            && self.companies.iter().any(|c| c.country.is_some());
        let mut live: Vec<FixedBitSet> = Vec::new();
        for comp in &order {
            if countries {
                let mut companies = FixedBitSet::with_capacity(self.companies.len());
                for &q in comp {
                    for p in self.ancestors_direct(q) {
                        let k = self.precedence.component[p];
                        if k < live.len() {
                            companies.union_with(&live[k]);
                        }
                    }
                    for &c in self.phase_companies[q].iter() {
                        companies.insert(c);
                    }
                }
                live.push(companies);
            }
            let mut set = self.preinstalled.clone();
            set.grow(n);
            let mut preds = 0;
            for &q in comp {
                for p in self.ancestors_direct(q) {
                    if !comp.contains(&p) {
                        set.union_with(&installs[p].installed);
                        preds += 1;
                    }
                }
            }
            let mut added = Vec::new();
            let mut queue: Vec<ModId> = Vec::new();
            for &q in comp {
                for module in &self.plan.phases[q].modules {
                    let Some(m) = self.modules.id(&module.value) else {
                        continue;
                    };
                    if !set.put(m) {
                        let occ = self.planned_in[m]
                            .iter()
                            .copied()
                            .find(|&o| self.occurrences[o].phase == q)
                            .unwrap_or_default();
                        added.push((m, Reason::Planned(occ)));
                        queue.push(m);
                    }
                }
            }
            // Merging several branches can complete a bridge's triggers without adding
            // anything new, so every bridge is a candidate then.
            let mut candidates: Vec<ModId> = if preds > 1 {
                shared.auto_modules().to_vec()
            } else {
                Vec::new()
            };
            loop {
                while let Some(m) = queue.pop() {
                    candidates.extend(shared.triggered_by(m).iter().copied());
                    for d in self.depends(m) {
                        if !set.put(d) {
                            added.push((d, Reason::PulledIn { by: m }));
                            queue.push(d);
                        }
                    }
                }
                candidates.sort_unstable();
                candidates.dedup();
                let mut landed = false;
                for a in std::mem::take(&mut candidates) {
                    if set.contains(a) {
                        continue;
                    }
                    if let Some(triggers) = self.ready_triggers(a, &set, live.last()) {
                        set.insert(a);
                        added.push((a, Reason::AutoInstalled { triggers }));
                        queue.push(a);
                        landed = true;
                    }
                }
                if !landed && queue.is_empty() {
                    break;
                }
            }
            // Phases on a cycle share one installed set; what it adds is told once, at the
            // first of them, so nothing is reported once per phase of the cycle.
            for (k, &q) in comp.iter().enumerate() {
                installs[q] = PhaseInstalls {
                    installed: set.clone(),
                    added: if k == 0 {
                        std::mem::take(&mut added)
                    } else {
                        Vec::new()
                    },
                };
            }
        }
        self.phase_order = order;
        let mut index: Vec<(PhaseId, ModId, usize)> = installs
            .iter()
            .enumerate()
            .flat_map(|(q, i)| {
                i.added
                    .iter()
                    .enumerate()
                    .map(move |(k, (m, _))| (q, *m, k))
            })
            .collect();
        index.sort_unstable();
        self.added_index = index;
        self.installs = installs;
    }

    fn ancestors_direct(&self, q: PhaseId) -> impl Iterator<Item = PhaseId> + '_ {
        self.phase_graph
            .neighbors_directed(NodeIndex::new(q), petgraph::Incoming)
            .map(NodeIndex::index)
    }

    /// The triggers of auto-install module `a` if they are all in `set` (and, where the series
    /// binds auto-install to countries, a company of one of its countries is live by then).
    fn ready_triggers(
        &self,
        a: ModId,
        set: &FixedBitSet,
        live: Option<&FixedBitSet>,
    ) -> Option<Vec<ModId>> {
        let facts = self.modules[a].facts.as_ref()?;
        let mut ids = Vec::new();
        for t in facts.triggers()? {
            let t = self.modules.id(t)?;
            if !set.contains(t) {
                return None;
            }
            ids.push(t);
        }
        if self.catalog().country_bound_auto_install() && !facts.countries.is_empty() {
            let live = |c: CompanyId| live.is_some_and(|l| l.contains(c));
            let in_country = self.companies.iter().enumerate().any(|(c, node)| {
                node.country
                    .as_ref()
                    .is_some_and(|k| facts.countries.iter().any(|f| f.eq_ignore_ascii_case(k)))
                    && live(c)
            });
            if !in_country {
                return None;
            }
        }
        Some(ids)
    }

    /// Why module `m` is in phase `q`'s installed set, if `q` is where it is first installed.
    pub fn reason(&self, q: PhaseId, m: ModId) -> Option<&Reason> {
        let at = self
            .added_index
            .partition_point(|&(p, x, _)| (p, x) < (q, m));
        let &(_, _, k) = self.added_index.get(at).filter(|e| (e.0, e.1) == (q, m))?;
        self.installs[q].added.get(k).map(|(_, r)| r)
    }

    /// The chain from a planned or auto-installed module down to `m`, as `q` installs it.
    pub fn install_chain(&self, q: PhaseId, m: ModId) -> Vec<ModId> {
        let mut chain = vec![m];
        let mut current = m;
        while let Some(Reason::PulledIn { by }) = self.reason(q, current) {
            if chain.contains(by) {
                break;
            }
            chain.push(*by);
            current = *by;
        }
        chain.reverse();
        chain
    }

    /// The planned entry of phase `q` that brings `m` in: `m` itself, or the planned module at
    /// the head of the chain that pulls it in; failing both, the phase's first entry.
    pub fn anchor(&self, q: PhaseId, m: ModId) -> Option<&Occurrence> {
        let head = self.install_chain(q, m)[0];
        self.planned_in[head]
            .iter()
            .map(|&o| &self.occurrences[o])
            .find(|o| o.phase == q)
            .or_else(|| self.occurrences_in(q).next().map(|(_, o)| o))
    }

    /// Every module the plan installs, with the first phase (in file order) that adds it and
    /// why; each module once.
    pub fn first_installs(&self) -> Vec<(PhaseId, ModId, &Reason)> {
        let mut seen = FixedBitSet::with_capacity(self.modules.len());
        let mut out = Vec::new();
        for (q, installs) in self.installs.iter().enumerate() {
            for (m, reason) in &installs.added {
                if !seen.put(*m) {
                    out.push((q, *m, reason));
                }
            }
        }
        out
    }

    /// The first phases (in go-live order) whose installed set holds `m`: where it lands.
    pub fn landing_phases(&self, m: ModId) -> Vec<PhaseId> {
        // Installed sets only grow along `after`, so a phase before `q` holds `m` exactly when
        // a phase right before it does.
        let mut out: Vec<PhaseId> = (0..self.plan.phases.len())
            .filter(|&q| self.installs[q].installed.contains(m))
            .filter(|&q| {
                !self
                    .ancestors_direct(q)
                    .any(|p| self.installs[p].installed.contains(m))
            })
            .collect();
        out.dedup();
        out
    }

    // ----- nearest planned dependencies ---------------------------------------------------

    /// Nearest planned dependencies of every module the planned ones reach, by a post-order
    /// walk from the planned modules only: the cost follows the plan, not the catalog.
    fn compute_nearest(&mut self) {
        let n = self.modules.len();
        let mut nearest: Vec<Vec<(ModId, ModId)>> = vec![Vec::new(); n];
        // 0: not seen, 1: on the stack, 2: done. A dependency still on the stack closes a
        // dependency cycle; it is skipped so the walk ends.
        let mut state = vec![0u8; n];
        let roots: Vec<ModId> = self.occurrences.iter().map(|o| o.module).collect();
        for root in roots {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(ModId, Vec<ModId>)> = vec![(root, self.depends(root))];
            state[root] = 1;
            while let Some((m, pending)) = stack.last_mut() {
                let m = *m;
                if let Some(d) = pending.pop() {
                    if state[d] == 0 && self.planned_in[d].is_empty() {
                        state[d] = 1;
                        let deps = self.depends(d);
                        stack.push((d, deps));
                    }
                    continue;
                }
                stack.pop();
                let mut acc: Vec<(ModId, ModId)> = Vec::new();
                for d in self.depends(m) {
                    if d == m {
                        continue;
                    }
                    if !self.planned_in[d].is_empty() {
                        acc.push((d, d));
                    } else if state[d] == 2 {
                        acc.extend(nearest[d].iter().map(|&(target, _)| (target, d)));
                    }
                }
                // Keep one route per target: the direct one if any, else the lowest id.
                acc.sort_unstable_by_key(|&(target, via)| (target, via != target, via));
                acc.dedup_by_key(|&mut (target, _)| target);
                acc.retain(|&(target, _)| target != m);
                nearest[m] = acc;
                state[m] = 2;
            }
        }
        self.nearest = nearest;
    }

    /// The dependency chain from `from` to the planned module `to` through unplanned ones.
    pub fn dependency_chain(&self, from: ModId, to: ModId) -> Vec<ModId> {
        let mut chain = vec![from];
        let mut current = from;
        while current != to && chain.len() <= self.modules.len() {
            let Some(&(_, via)) = self.nearest[current].iter().find(|(t, _)| *t == to) else {
                break;
            };
            chain.push(via);
            current = via;
        }
        chain
    }

    /// The nearest planned dependencies of a module.
    pub fn nearest_planned(&self, m: ModId) -> impl Iterator<Item = ModId> + '_ {
        self.nearest[m].iter().map(|&(t, _)| t)
    }

    fn compute_late_dependencies(&mut self) {
        let mut late = Vec::new();
        // For each dependency, the first phases that plan it: a module planned in thousands of
        // phases is otherwise compared with each of them for each module that needs it.
        let mut first: HashMap<ModId, PhaseSet> = HashMap::new();
        // `account` is not installed unconfigured by a phase that plans accounting (a chart
        // package, an accounting app): that phase configures the books of its companies, as a
        // parallel track for a second company does.
        let account = self.modules.id("account");
        let mut configures: Vec<Option<bool>> = vec![None; self.plan.phases.len()];
        for (o, occ) in self.occurrences.iter().enumerate() {
            for &(dep, _) in &self.nearest[occ.module] {
                // Already in the database: no phase needs to come first.
                if self.preinstalled.contains(dep) {
                    continue;
                }
                // Nor by a phase whose companies all keep their books outside Odoo then: there
                // `account` is the invoicing engine, and the books come later by design.
                if Some(dep) == account
                    && *configures[occ.phase].get_or_insert_with(|| {
                        self.accounting_entry(occ.phase).is_some()
                            || (!self.plan.companies.is_empty()
                                && self.phase_companies[occ.phase]
                                    .iter()
                                    .all(|&c| self.books_outside(c, occ.phase)))
                    })
                {
                    continue;
                }
                let occs = &self.planned_in[dep];
                let phases = first.entry(dep).or_insert_with(|| {
                    let all: Vec<PhaseId> =
                        occs.iter().map(|&d| self.occurrences[d].phase).collect();
                    self.phase_set(&all)
                });
                let satisfied = self.reached_by(phases, occ.phase);
                if !satisfied {
                    late.push(LateDependency {
                        from: o,
                        to: occs[0],
                        chain: self.dependency_chain(occ.module, dep),
                    });
                }
            }
        }
        self.late_dependencies = late;
    }

    /// Whether OO201 reports the planned occurrence `from` against a dependency in `phase`.
    pub fn has_late_dependency_into(&self, from: OccId, phase: PhaseId) -> bool {
        self.late_dependencies_of(from).iter().any(|l| {
            self.planned_in[self.occurrences[l.to].module]
                .iter()
                .any(|&o| self.occurrences[o].phase == phase)
        })
    }

    /// OO201's pairs for one planned occurrence.
    pub fn late_dependencies_of(&self, from: OccId) -> &[LateDependency] {
        let start = self.late_dependencies.partition_point(|l| l.from < from);
        let end = self.late_dependencies.partition_point(|l| l.from <= from);
        &self.late_dependencies[start..end]
    }

    // ----- per company --------------------------------------------------------------------

    fn compute_accounting_phases(&mut self) {
        let mut phases = self.layer_phases_by_company(Layer::Accounting);
        // While a company's books are kept outside Odoo, an accounting module (`account` as
        // the invoicing engine, `account_peppol` to send invoices) does not take them over.
        for (c, list) in phases.iter_mut().enumerate() {
            if list.iter().any(|&q| self.books_outside(c, q)) {
                let kept: Vec<PhaseId> = list
                    .iter()
                    .copied()
                    .filter(|&q| !self.books_outside(c, q))
                    .collect();
                *list = kept.into();
            }
        }
        self.accounting_phases = phases;
    }

    /// The planned occurrences of a phase, in file order, with their ids.
    pub fn occurrences_in(&self, q: PhaseId) -> impl Iterator<Item = (OccId, &Occurrence)> + '_ {
        let range = self.phase_occurrences[q].clone();
        range.clone().zip(&self.occurrences[range])
    }

    /// The phases covering company `c` where a planned module has layer `layer`.
    pub fn layer_phases(&self, c: CompanyId, layer: Layer) -> Vec<PhaseId> {
        (0..self.plan.phases.len())
            .filter(|&q| self.covers(q, c) && self.layer_entry(q, layer).is_some())
            .collect()
    }

    /// [`PlanGraph::layer_phases`] for every company, in one pass over the phases (one pass
    /// per company made many companies times many phases). Companies with the same phases
    /// share one list: phases that name no companies are everyone's, so thousands of them for
    /// thousands of companies are one list, not a copy each.
    pub fn layer_phases_by_company(&self, layer: Layer) -> Vec<Arc<[PhaseId]>> {
        let mut everyone: Vec<PhaseId> = Vec::new();
        let mut named: Vec<Vec<PhaseId>> = vec![Vec::new(); self.companies.len()];
        for (q, phase) in self.plan.phases.iter().enumerate() {
            let entry = if layer == Layer::Accounting {
                self.accounting_entry(q)
            } else {
                self.layer_entry(q, layer)
            };
            if entry.is_none() {
                continue;
            }
            if phase.companies.is_none() {
                everyone.push(q);
            } else {
                for &c in self.phase_companies[q].iter() {
                    named[c].push(q);
                }
            }
        }
        let mut shared: HashMap<Vec<PhaseId>, Arc<[PhaseId]>> = HashMap::new();
        named
            .into_iter()
            .map(|own| {
                let list = shared.entry(own).or_insert_with_key(|own| {
                    let mut all = everyone.clone();
                    all.extend_from_slice(own);
                    all.sort_unstable();
                    all.dedup();
                    all.into()
                });
                Arc::clone(list)
            })
            .collect()
    }

    /// The modules planned in any of `phases`.
    pub fn modules_planned_in(&self, phases: &[PhaseId]) -> std::collections::HashSet<ModId> {
        phases
            .iter()
            .flat_map(|&q| self.occurrences_in(q).map(|(_, o)| o.module))
            .collect()
    }

    /// Whether OO201 reports the planned occurrence `from` against a dependency planned in
    /// one of the phases whose modules are `planned` ([`PlanGraph::modules_planned_in`]).
    pub fn has_late_dependency_among(
        &self,
        from: OccId,
        planned: &std::collections::HashSet<ModId>,
    ) -> bool {
        self.late_dependencies_of(from)
            .iter()
            .any(|l| planned.contains(&self.occurrences[l.to].module))
    }

    /// The first accounting-layer entry of phase `q` when the phase also installs `account`:
    /// accounting goes live for the phase's companies there. (An Enterprise module whose
    /// dependencies are unknown is taken at its layer's word.)
    pub fn accounting_entry(&self, q: PhaseId) -> Option<&Occurrence> {
        let account = self.modules.id("account");
        let installed = account.is_some_and(|a| self.installs[q].installed.contains(a));
        self.occurrences_in(q).map(|(_, o)| o).find(|o| {
            self.modules[o.module].layer == Some(Layer::Accounting)
                && (installed || self.is_assumed(o.module))
        })
    }

    /// The first entry of phase `q` whose module has layer `layer`.
    pub fn layer_entry(&self, q: PhaseId, layer: Layer) -> Option<&Occurrence> {
        self.occurrences_in(q)
            .map(|(_, o)| o)
            .find(|o| self.modules[o.module].layer == Some(layer))
    }

    /// The phases of `phases` that none of the others precedes: where something goes live
    /// first (several when parallel tracks each have one).
    pub fn earliest<'p>(&'p self, phases: &'p [PhaseId]) -> impl Iterator<Item = PhaseId> + 'p {
        let first = self.antichain(phases);
        phases
            .iter()
            .copied()
            .filter(move |a| first.binary_search(a).is_ok())
    }

    /// The phases of `phases` that none of the others precedes, sorted (phases of a cycle
    /// precede each other, so none of them is one when two are in `phases`). Worked out from
    /// the chains the phases lie on, so the cost is the number of phases times a pass over the
    /// bit set of chains before each, not the square of the number of phases.
    pub fn antichain(&self, phases: &[PhaseId]) -> Vec<PhaseId> {
        let mut sorted = phases.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut chains = FixedBitSet::with_capacity(self.precedence.before.len());
        let mut lowest: HashMap<usize, usize> = HashMap::new();
        let mut per_component: HashMap<usize, usize> = HashMap::new();
        for &p in &sorted {
            let (chain, position) = self.precedence.place(p);
            chains.insert(chain);
            lowest
                .entry(chain)
                .and_modify(|at| *at = (*at).min(position))
                .or_insert(position);
            *per_component
                .entry(self.precedence.component[p])
                .or_insert(0) += 1;
        }
        sorted.retain(|&p| {
            let (chain, position) = self.precedence.place(p);
            per_component[&self.precedence.component[p]] == 1
                && lowest[&chain] == position
                && self.precedence.before[chain].is_disjoint(&chains)
        });
        sorted
    }

    /// Whether a module's dependencies are assumed rather than read (an Enterprise module
    /// known by name only).
    pub fn is_assumed(&self, m: ModId) -> bool {
        self.modules[m]
            .facts
            .as_ref()
            .is_some_and(|f| f.is_assumed())
    }

    /// The module graph shared by every plan of the same catalog.
    pub fn shared(&self) -> &Arc<ModuleGraph> {
        &self.modules.shared
    }
}
