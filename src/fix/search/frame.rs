//! What the search holds fixed while it moves modules: the phases, their order, their
//! companies, and what each original occurrence is.

use std::collections::HashMap;

use crate::graph::{CompanyId, PhaseId, PlanGraph};

/// What stays true whatever moves: the phases, their order and their companies.
pub(super) struct Frame {
    /// Position of each phase in go-live order.
    pub(super) rank: Vec<usize>,
    /// Phases in go-live order.
    pub(super) order: Vec<PhaseId>,
    /// The phases each phase goes live right after (`after`, or the previous phase).
    pub(super) predecessors: Vec<Vec<PhaseId>>,
    /// The phases that go live right after each phase.
    pub(super) successors: Vec<Vec<PhaseId>>,
    /// The companies each phase covers.
    pub(super) companies: Vec<std::sync::Arc<[CompanyId]>>,
    /// Phases on a cycle of `after`: their order means nothing until the cycle is broken, so
    /// nothing moves into or out of them.
    pub(super) on_cycle: Vec<bool>,
    /// Phase id → phase (the first of duplicates).
    pub(super) phase_ids: HashMap<String, PhaseId>,
    /// Each original occurrence: its module name and its phase.
    pub(super) occurrences: Vec<(String, PhaseId)>,
    /// Whether each original occurrence's dependencies are unknown (an Enterprise module known
    /// by name only), so that no rule can tell it needs a module that moved.
    pub(super) assumed: Vec<bool>,
    /// Whether each original occurrence is an accounting module (`account`, a chart package):
    /// they move together, into a phase that then plans accounting, or not at all.
    pub(super) accounting: Vec<bool>,
}

impl Frame {
    pub(super) fn new(g: &PlanGraph<'_>) -> Self {
        let n = g.plan.phases.len();
        let order = g.go_live_order();
        let mut rank = vec![0; n];
        for (i, &q) in order.iter().enumerate() {
            rank[q] = i;
        }
        let mut phase_ids = HashMap::new();
        for (q, p) in g.plan.phases.iter().enumerate() {
            phase_ids.entry(p.id.value.clone()).or_insert(q);
        }
        // Precedence is reachability in the phase graph; a matrix of it would be quadratic in
        // the number of phases, so each proposal walks the graph instead.
        let mut predecessors = vec![Vec::new(); n];
        let mut successors = vec![Vec::new(); n];
        for edge in g.phase_graph.raw_edges() {
            let (p, q) = (edge.source().index(), edge.target().index());
            successors[p].push(q);
            predecessors[q].push(p);
        }
        Self {
            rank,
            order,
            predecessors,
            successors,
            companies: g.phase_companies.clone(),
            on_cycle: (0..n).map(|q| g.cycle_of(q).is_some()).collect(),
            phase_ids,
            occurrences: g
                .occurrences
                .iter()
                .map(|o| (g.name(o.module).to_owned(), o.phase))
                .collect(),
            assumed: g
                .occurrences
                .iter()
                .map(|o| g.is_assumed(o.module))
                .collect(),
            accounting: g
                .occurrences
                .iter()
                .map(|o| g.modules[o.module].layer == Some(crate::ruledata::Layer::Accounting))
                .collect(),
        }
    }
}
