//! `why`: every chain that brings one module into each phase, and the findings about it.

use serde::Serialize;

use super::{Posting, names, posting};
use crate::finding::Finding;
use crate::graph::{ModId, PhaseId, PlanGraph, Reason};

/// Why a module is in the plan's database.
#[derive(Debug, Clone)]
pub struct Why {
    /// The plan file, as named on the command line.
    pub path: String,
    /// The module asked about.
    pub module: String,
    /// Whether a catalog knows it.
    pub known: bool,
    /// Its triggers, if it installs itself.
    pub triggers: Option<Vec<String>>,
    /// Whether (and through what) it posts journal entries.
    pub posts_entries: Option<Posting>,
    /// The phases that list it, in file order.
    pub planned_in: Vec<String>,
    /// The phases it matters in, in go-live order.
    pub phases: Vec<WhyPhase>,
    /// The findings that name it (as their module, in their chain, or in a related location).
    pub findings: Vec<Finding>,
}

/// How a module enters a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// Listed in the phase.
    Planned,
    /// A module of the phase depends on it.
    PulledIn,
    /// Its triggers are all installed once the phase is live.
    AutoInstalled,
    /// An earlier phase installed it; modules of this phase need it too.
    AlreadyInstalled,
}

/// One phase in which the module is installed, or needed.
#[derive(Debug, Clone, Serialize)]
pub struct WhyPhase {
    /// The phase id.
    pub id: String,
    /// How the module enters this phase.
    pub how: How,
    /// For `already_installed`: the phases that installed it first.
    pub since: Vec<String>,
    /// For `auto_installed`: the triggers.
    pub triggers: Vec<String>,
    /// Each module listed in (or auto-installed by) the phase that needs it, with the shortest
    /// dependency chain from it down to the module; `[module]` when it is listed itself.
    pub chains: Vec<Vec<String>>,
}

/// Builds the view for module `m` from the shared analysis and the plan's findings.
pub fn build(g: &PlanGraph<'_>, m: ModId, findings: &[Finding]) -> Why {
    let name = g.name(m);
    let toward = g.shortest_toward(m);
    let chain_from = |root: ModId| -> Option<Vec<ModId>> {
        if root != m && toward[root].is_none() {
            return None;
        }
        let mut chain = vec![root];
        let mut at = root;
        while let Some(next) = toward[at] {
            chain.push(next);
            at = next;
        }
        Some(chain)
    };
    // The phases that first install the module: `since` lists those before each phase, and
    // a walk back over every earlier phase for each phase was quadratic.
    let landings: Vec<PhaseId> = (0..g.plan.phases.len())
        .filter(|&p| g.reason(p, m).is_some())
        .collect();
    let mut phases = Vec::new();
    for q in g.go_live_order() {
        // What the phase lists brings the module; a bridge that installs itself in the phase
        // is only named when nothing listed explains it.
        // In the order found, each once (a set, since a phase may list thousands of modules).
        let mut chains: Vec<Vec<ModId>> = Vec::new();
        let mut seen: std::collections::HashSet<Vec<ModId>> = std::collections::HashSet::new();
        for (_, o) in g.occurrences_in(q) {
            if let Some(chain) = chain_from(o.module).filter(|c| seen.insert(c.clone())) {
                chains.push(chain);
            }
        }
        if chains.is_empty() {
            for (x, r) in &g.installs[q].added {
                // The module auto-installing itself is told by its triggers, not as a chain:
                // `[module]` would read as listed in the phase.
                if *x == m {
                    continue;
                }
                if let (Reason::AutoInstalled { .. }, Some(chain)) = (r, chain_from(*x))
                    && seen.insert(chain.clone())
                {
                    chains.push(chain);
                }
            }
        }
        let (how, triggers, since) = match g.reason(q, m) {
            Some(Reason::Planned(_)) => (How::Planned, Vec::new(), Vec::new()),
            Some(Reason::PulledIn { .. }) => (How::PulledIn, Vec::new(), Vec::new()),
            Some(Reason::AutoInstalled { triggers }) => {
                (How::AutoInstalled, names(g, triggers), Vec::new())
            }
            None if chains.is_empty() || !g.installs[q].installed.contains(m) => continue,
            None => (
                How::AlreadyInstalled,
                Vec::new(),
                first_installed(g, &landings, q),
            ),
        };
        phases.push(WhyPhase {
            id: g.plan.phases[q].id.value.clone(),
            how,
            since,
            triggers,
            chains: chains.iter().map(|c| names(g, c)).collect(),
        });
    }
    let mentions = |f: &&Finding| {
        f.module.as_deref() == Some(name)
            || f.chain
                .as_ref()
                .is_some_and(|c| c.iter().any(|x| x == name))
            || f.related.iter().any(|r| r.module.as_deref() == Some(name))
    };
    Why {
        path: g.plan.file.name().to_owned(),
        module: name.to_owned(),
        known: g.modules[m].is_known(),
        triggers: g.modules[m]
            .facts
            .as_ref()
            .and_then(|f| f.triggers())
            .map(<[String]>::to_vec),
        posts_entries: posting(g, m),
        planned_in: g.planned_in[m]
            .iter()
            .map(|&o| g.plan.phases[g.occurrences[o].phase].id.value.clone())
            .collect(),
        phases,
        findings: findings.iter().filter(mentions).cloned().collect(),
    }
}

/// The phases before `q` among `landings`, those whose go-live first installs the module.
fn first_installed(g: &PlanGraph<'_>, landings: &[PhaseId], q: PhaseId) -> Vec<String> {
    landings
        .iter()
        .copied()
        .filter(|&p| g.precedes(p, q))
        .map(|p| g.plan.phases[p].id.value.clone())
        .collect()
}
