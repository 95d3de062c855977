//! Views of a plan for the commands that show it rather than judge it (`installs`, `why`,
//! `graph`): plain data built from the shared `PlanGraph` analysis,
//! which the renderers in [`crate::report`] turn into text, JSON, DOT or Mermaid.
//!
//! Nothing here walks the dependency graph per module: the installed sets, the reasons and the
//! nearest planned dependencies come from `crate::graph`, computed once per plan.

pub mod diagram;
pub mod installs;
pub mod why;

use serde::Serialize;

use crate::graph::{ModId, PhaseId, PlanGraph};

/// A module that posts journal entries, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posting {
    /// The module.
    pub module: String,
    /// The module whose entries it posts: itself, or one it carries (`sale_stock` through
    /// `stock_account`).
    pub through: String,
    /// What it posts.
    pub posts: String,
}

/// The posting facts of a module, if it posts journal entries.
pub(crate) fn posting(g: &PlanGraph<'_>, m: ModId) -> Option<Posting> {
    g.modules[m]
        .posts_entries
        .as_ref()
        .map(|(through, posts)| Posting {
            module: g.name(m).to_owned(),
            through: through.clone(),
            posts: posts.clone(),
        })
}

/// The ids of the companies a phase covers; empty when the plan declares none.
pub(crate) fn phase_companies(g: &PlanGraph<'_>, q: PhaseId) -> Vec<String> {
    g.phase_companies[q]
        .iter()
        .filter_map(|&c| g.company_id(c).map(str::to_owned))
        .collect()
}

/// The phases a phase goes live directly after by `after` (or the list order), in file order.
pub(crate) fn predecessors(g: &PlanGraph<'_>, q: PhaseId) -> Vec<String> {
    use petgraph::visit::EdgeRef as _;
    // Only `after` (or the list order): an order that dates add is not what the plan says.
    let mut ps: Vec<PhaseId> = g
        .phase_graph
        .edges_directed(petgraph::graph::NodeIndex::new(q), petgraph::Incoming)
        .filter(|e| g.is_after_edge(e.id()))
        .map(|e| e.source().index())
        .collect();
    ps.sort_unstable();
    ps.dedup();
    ps.into_iter()
        .map(|p| g.plan.phases[p].id.value.clone())
        .collect()
}

/// Names of modules.
pub(crate) fn names(g: &PlanGraph<'_>, ms: &[ModId]) -> Vec<String> {
    ms.iter().map(|&m| g.name(m).to_owned()).collect()
}
