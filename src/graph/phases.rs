//! The phase graph: which phase goes live before which (from `after`, the list order and
//! go-live dates), its cycles, and the go-live order, asked in constant time per pair.

use std::collections::HashMap;

use fixedbitset::FixedBitSet;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Dangling, PhaseId, PlanGraph};
use crate::source::Span;

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
pub(super) struct Precedence {
    /// Each phase's component.
    pub(super) component: Vec<usize>,
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

impl PlanGraph<'_> {
    pub(super) fn build_phases(&mut self) {
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

    pub(super) fn ancestors_direct(&self, q: PhaseId) -> impl Iterator<Item = PhaseId> + '_ {
        self.phase_graph
            .neighbors_directed(NodeIndex::new(q), petgraph::Incoming)
            .map(NodeIndex::index)
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
}
