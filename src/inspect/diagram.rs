//! `graph`: the plan as a diagram model that the DOT and Mermaid renderers share. Phases are
//! clusters in go-live order; planned modules sit in their phase, with edges to their nearest
//! planned dependencies; pulled-in applications of a layer and auto-installed bridges that post
//! journal entries are shown where they land. What a finding is about is flagged.

use std::collections::HashSet;

use fixedbitset::FixedBitSet;

use crate::finding::{Finding, Severity};
use crate::graph::{ModId, OccId, PhaseId, PlanGraph, Reason};
use crate::rules;

/// The whole picture.
#[derive(Debug, Clone, Default)]
pub struct Diagram {
    /// The project title, or the file name.
    pub title: String,
    /// One per phase, in go-live order.
    pub clusters: Vec<Cluster>,
    /// `(later, earlier)` cluster indices for each `after` relation between phases.
    pub order: Vec<(usize, usize)>,
    /// Every module box.
    pub nodes: Vec<Node>,
    /// Every arrow; each points from a module to one it needs.
    pub edges: Vec<Edge>,
}

/// A phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The phase id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its go-live date, `YYYY-MM-DD`.
    pub go_live: Option<String>,
    /// Its explicit `after` list, when it has one.
    pub after: Option<Vec<String>>,
    /// The companies it covers, when the plan declares companies and the phase restricts them.
    pub companies: Option<Vec<String>>,
    /// Its milestones (data migration, opening balances, training), in file order.
    pub milestones: Vec<String>,
    /// Whether a finding is about the phase itself (its date, its place in a cycle, its
    /// emptiness).
    pub flagged: bool,
    /// Whether an error-level finding is located in this phase.
    pub has_errors: bool,
}

/// Why a module box is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// Listed in the phase.
    Planned,
    /// An application installed as a dependency.
    PulledIn,
    /// A bridge that installs itself.
    AutoInstalled,
}

/// A module box in a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The module.
    pub module: String,
    /// The cluster it sits in.
    pub cluster: usize,
    /// The phase it sits in (an index into the plan's phases).
    pub phase: PhaseId,
    /// Why it is drawn.
    pub kind: NodeKind,
    /// Whether the module auto-installs (a bridge), planned or not: drawn dashed.
    pub bridge: bool,
    /// Whether a finding (warning or error) is about it, here.
    pub flagged: bool,
    /// Whether it posts journal entries.
    pub posts_entries: bool,
}

/// What an arrow means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// `from` depends on `to` (directly or through modules nobody planned).
    Depends,
    /// `to` is one of the triggers that install the bridge `from`: drawn dashed.
    Trigger,
}

/// An arrow from a module to one it needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edge {
    /// The node that needs.
    pub from: usize,
    /// The node it needs.
    pub to: usize,
    /// What it means.
    pub kind: EdgeKind,
    /// Whether a finding is about this dependency.
    pub flagged: bool,
    /// The unplanned modules in between, for flagged edges.
    pub via: Vec<String>,
}

/// Builds the diagram from the shared analysis and the plan's findings.
pub fn build(g: &PlanGraph<'_>, findings: &[Finding]) -> Diagram {
    Builder::new(g, findings).build()
}

struct Builder<'g, 'a> {
    g: &'g PlanGraph<'a>,
    /// What the findings (at warning level or above) flag, looked up once per node rather
    /// than by a pass over every finding: that pass made `graph` quadratic (issue 9, item 8).
    flags: Flags<'g>,
    /// The cluster of each phase.
    cluster_of: Vec<usize>,
    /// The node of each planned occurrence.
    occ_node: Vec<usize>,
    /// The last cluster of each phase's cycle (its own cluster when it is on none).
    last_cluster: Vec<usize>,
    /// The nodes of each module, sorted by (cluster, node).
    by_module: Vec<Vec<usize>>,
    /// The edges drawn so far, so that none is drawn twice.
    drawn: HashSet<Edge>,
    d: Diagram,
}

/// The findings of a plan, indexed by what the diagram asks of them.
#[derive(Default)]
struct Flags<'f> {
    /// Phases a finding is about as a whole (no module).
    phases: HashSet<&'f str>,
    /// Phases an error-level finding is located in.
    error_phases: HashSet<&'f str>,
    /// (module, phase) pairs a finding is about.
    modules: HashSet<(&'f str, &'f str)>,
    /// OO202's (module, chain) pairs.
    unplanned: HashSet<(&'f str, &'f [String])>,
}

impl<'f> Flags<'f> {
    fn new(findings: &'f [Finding]) -> Self {
        let mut flags = Self::default();
        for f in findings.iter().filter(|f| f.severity >= Severity::Warning) {
            let (module, phase) = (f.module.as_deref(), f.phase.as_deref());
            if let Some(phase) = phase {
                match module {
                    Some(module) => {
                        flags.modules.insert((module, phase));
                    }
                    None => {
                        flags.phases.insert(phase);
                    }
                }
                if f.severity == Severity::Error {
                    flags.error_phases.insert(phase);
                }
            }
            if let (Some(module), Some(chain), rules::unplanned_dependency::CODE) =
                (module, f.chain.as_deref(), f.code)
            {
                flags.unplanned.insert((module, chain));
            }
        }
        flags
    }
}

impl<'g, 'a> Builder<'g, 'a> {
    fn new(g: &'g PlanGraph<'a>, findings: &'g [Finding]) -> Self {
        Self {
            g,
            flags: Flags::new(findings),
            cluster_of: vec![0; g.plan.phases.len()],
            last_cluster: vec![0; g.plan.phases.len()],
            occ_node: vec![0; g.occurrences.len()],
            by_module: vec![Vec::new(); g.modules.len()],
            drawn: HashSet::new(),
            d: Diagram::default(),
        }
    }

    fn build(mut self) -> Diagram {
        let g = self.g;
        self.d.title = g
            .plan
            .project
            .clone()
            .unwrap_or_else(|| g.plan.file.name().to_owned());
        let order = g.go_live_order();
        for (k, &q) in order.iter().enumerate() {
            self.cluster_of[q] = k;
            self.d.clusters.push(self.cluster(q));
        }
        // The phases of a cycle come together in go-live order; each may be preceded by the
        // ones after it there.
        let mut start = 0;
        while start < order.len() {
            let first = order[start];
            let mut end = start + 1;
            while end < order.len()
                && g.precedes(order[end], first)
                && g.precedes(first, order[end])
            {
                end += 1;
            }
            for &q in &order[start..end] {
                self.last_cluster[q] = end - 1;
            }
            start = end;
        }
        for edge in g.phase_graph.raw_edges() {
            let (p, q) = (edge.source().index(), edge.target().index());
            if p != q {
                self.d.order.push((self.cluster_of[q], self.cluster_of[p]));
            }
        }
        self.d.order.sort_unstable();
        self.d.order.dedup();
        for &q in &order {
            for (o, occ) in g.occurrences_in(q) {
                self.occ_node[o] = self.node(occ.module, q, NodeKind::Planned);
            }
        }
        for &q in &order {
            self.landed(q);
        }
        self.planned_edges();
        self.d
    }

    fn cluster(&self, q: PhaseId) -> Cluster {
        let g = self.g;
        let p = &g.plan.phases[q];
        let id = p.id.value.as_str();
        Cluster {
            id: id.to_owned(),
            name: p.name.clone(),
            go_live: p.go_live.as_ref().map(|d| d.value.to_string()),
            after: p
                .after
                .as_ref()
                .map(|a| a.iter().map(|x| x.value.clone()).collect()),
            companies: p.companies.as_ref().map(|_| super::phase_companies(g, q)),
            milestones: p.milestones.iter().map(|m| m.value.clone()).collect(),
            flagged: self.flags.phases.contains(id),
            has_errors: self.flags.error_phases.contains(id),
        }
    }

    fn node(&mut self, m: ModId, q: PhaseId, kind: NodeKind) -> usize {
        let g = self.g;
        let name = g.name(m);
        let phase = g.plan.phases[q].id.value.as_str();
        let flagged = self.flags.modules.contains(&(name, phase));
        self.d.nodes.push(Node {
            module: name.to_owned(),
            cluster: self.cluster_of[q],
            phase: q,
            kind,
            bridge: g.modules[m]
                .facts
                .as_ref()
                .is_some_and(|f| f.triggers().is_some()),
            flagged,
            posts_entries: g.modules[m].posts_entries.is_some(),
        });
        let n = self.d.nodes.len() - 1;
        let cluster = self.cluster_of[q];
        let list = &mut self.by_module[m];
        let at = list.partition_point(|&x| self.d.nodes[x].cluster <= cluster);
        list.insert(at, n);
        n
    }

    /// The node showing module `m` as installed by phase `q`: the latest of `q` and the phases
    /// before it that draw it.
    ///
    /// A module's nodes are kept sorted by (cluster, node), and a phase that is or precedes
    /// `q` sits in a cluster no later than the last of `q`'s cycle ([`Self::last_cluster`]),
    /// so the answer is found walking back from there, a cluster at a time, usually at the
    /// first: no pass over every phase that draws the module.
    fn shown(&self, m: ModId, q: PhaseId) -> Option<usize> {
        let (g, nodes) = (self.g, &self.d.nodes);
        let list = &self.by_module[m];
        let limit = self.last_cluster[q];
        let mut end = list.partition_point(|&n| nodes[n].cluster <= limit);
        while end > 0 {
            let cluster = nodes[list[end - 1]].cluster;
            let start = list[..end].partition_point(|&n| nodes[n].cluster < cluster);
            // One cluster is one phase: the first node of the group stands for all.
            let first = list[start];
            if g.is_or_precedes(nodes[first].phase, q) {
                return Some(first);
            }
            end = start;
        }
        None
    }

    /// Pulled-in applications and auto-installed bridges of phase `q`, with their edges.
    fn landed(&mut self, q: PhaseId) {
        let g = self.g;
        for (m, reason) in &g.installs[q].added {
            let node = &g.modules[*m];
            let application = node.facts.as_ref().is_some_and(|f| f.application);
            // Applications of a layer, or that post entries, are what a reader must see arrive.
            let matters = node.layer.is_some() || node.posts_entries.is_some();
            match reason {
                Reason::PulledIn { .. } if application && matters => {
                    let chain = g.install_chain(q, *m);
                    let Some(root) = self.shown(chain[0], q) else {
                        continue;
                    };
                    let n = self.node(*m, q, NodeKind::PulledIn);
                    let names: Vec<String> = super::names(g, &chain);
                    let flagged = self
                        .flags
                        .unplanned
                        .contains(&(g.name(*m), names.as_slice()));
                    let via = if flagged { between(&names) } else { Vec::new() };
                    self.push_edge(root, n, EdgeKind::Depends, flagged, via);
                }
                // Bridges are many; the ones that post journal entries are the ones to see.
                Reason::AutoInstalled { triggers } if node.posts_entries.is_some() => {
                    let n = self.node(*m, q, NodeKind::AutoInstalled);
                    for &t in triggers {
                        if let Some(to) = self.shown(t, q) {
                            self.push_edge(n, to, EdgeKind::Trigger, false, Vec::new());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Each planned module to its nearest planned dependencies, without the arrows another
    /// arrow of the same module already implies (unless a finding is about them).
    fn planned_edges(&mut self) {
        let g = self.g;
        let reach = planned_reach(g);
        for (o, occ) in g.occurrences.iter().enumerate() {
            let deps: Vec<ModId> = g.nearest_planned(occ.module).collect();
            let late = g.late_dependencies_of(o);
            for &d in &deps {
                let late_pair = late.iter().find(|l| g.occurrences[l.to].module == d);
                let implied = deps
                    .iter()
                    .any(|&other| other != d && reach.reaches(other, d));
                if implied && late_pair.is_none() {
                    continue;
                }
                let target: Option<OccId> = late_pair.map(|l| l.to).or_else(|| {
                    g.planned_in[d]
                        .iter()
                        .copied()
                        .find(|&t| g.is_or_precedes(g.occurrences[t].phase, occ.phase))
                });
                let Some(target) = target else { continue };
                let via = if late_pair.is_some() {
                    between(&super::names(g, &g.dependency_chain(occ.module, d)))
                } else {
                    Vec::new()
                };
                let (from, to) = (self.occ_node[o], self.occ_node[target]);
                self.push_edge(from, to, EdgeKind::Depends, late_pair.is_some(), via);
            }
        }
    }

    fn push_edge(
        &mut self,
        from: usize,
        to: usize,
        kind: EdgeKind,
        flagged: bool,
        via: Vec<String>,
    ) {
        let edge = Edge {
            from,
            to,
            kind,
            flagged,
            via,
        };
        if from != to && self.drawn.insert(edge.clone()) {
            self.d.edges.push(edge);
        }
    }
}

/// The modules strictly inside a chain.
fn between(chain: &[String]) -> Vec<String> {
    chain
        .get(1..chain.len().saturating_sub(1))
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// For each module, the planned modules it reaches through nearest-planned links: what an arrow
/// to it already implies. One walk in dependency order; a module on a dependency cycle sees
/// what the cycle reaches so far, which is enough to drop arrows, never to invent them.
///
/// The sets are indexed by the modules that are someone's nearest planned dependency, and
/// only modules with such dependencies get one: a plan of thousands of modules nothing
/// depends on (unknown ones, say) costs no quadratic memory.
fn planned_reach(g: &PlanGraph<'_>) -> Reach {
    let n = g.modules.len();
    let mut index = vec![usize::MAX; n];
    let mut targets = 0;
    for m in (0..n).filter(|&m| !g.planned_in[m].is_empty()) {
        for d in g.nearest_planned(m) {
            if index[d] == usize::MAX {
                index[d] = targets;
                targets += 1;
            }
        }
    }
    let mut sets = vec![FixedBitSet::new(); n];
    let mut state = vec![0_u8; n]; // 0 new, 1 on the path, 2 done
    for start in (0..n).filter(|&m| !g.planned_in[m].is_empty()) {
        let mut stack = vec![(start, false)];
        while let Some((x, finished)) = stack.pop() {
            if finished {
                let mut set = FixedBitSet::new();
                for d in g.nearest_planned(x) {
                    if set.is_empty() {
                        set.grow(targets);
                    }
                    set.insert(index[d]);
                    set.union_with(&sets[d]);
                }
                sets[x] = set;
                state[x] = 2;
                continue;
            }
            if state[x] != 0 {
                continue;
            }
            state[x] = 1;
            stack.push((x, true));
            stack.extend(
                g.nearest_planned(x)
                    .filter(|&d| state[d] == 0)
                    .map(|d| (d, false)),
            );
        }
    }
    Reach { index, sets }
}

/// [`planned_reach`]'s answer.
struct Reach {
    /// Each module's bit in the sets, `usize::MAX` for modules no set can hold.
    index: Vec<usize>,
    sets: Vec<FixedBitSet>,
}

impl Reach {
    /// Whether an arrow to `from` already implies one to `to`.
    fn reaches(&self, from: ModId, to: ModId) -> bool {
        let bit = self.index[to];
        bit != usize::MAX && self.sets[from].contains(bit)
    }
}
