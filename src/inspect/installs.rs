//! `installs`: for each phase in go-live order, what Odoo installs when it goes live.

use serde::Serialize;

use super::{Posting, names, phase_companies, posting, predecessors};
use crate::graph::{PhaseId, PlanGraph, Reason};

/// What a plan installs, phase by phase. Serialises as the `installs --format json` document,
/// whose field names are a public contract: add fields, never rename them.
#[derive(Debug, Clone, Serialize)]
pub struct Installs {
    /// Format version.
    pub version: u32,
    /// The plan file, as named on the command line.
    pub path: String,
    /// Every phase, in go-live order.
    pub phases: Vec<PhaseInstalls>,
}

/// What one phase installs. Each module appears in the first phase that installs it only.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseInstalls {
    /// The phase id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its go-live date, `YYYY-MM-DD`.
    pub go_live: Option<String>,
    /// The companies it covers (empty when the plan declares none).
    pub companies: Vec<String>,
    /// The phases it goes live directly after.
    pub after: Vec<String>,
    /// Its milestones (data migration, opening balances, training), in file order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<String>,
    /// Modules listed in the phase that it installs, in file order.
    pub planned: Vec<String>,
    /// Modules installed as dependencies, each with the chain from a planned (or
    /// auto-installed) module.
    pub pulled_in: Vec<PulledIn>,
    /// Modules that install themselves once their triggers are present.
    pub auto_installed: Vec<AutoInstalled>,
    /// Modules listed in the phase that a phase before it (in go-live order) installs first.
    pub already_installed: Vec<AlreadyInstalled>,
    /// Modules listed in the phase that no catalog knows: what they pull in is unknown.
    pub unknown: Vec<String>,
    /// The modules this phase installs that post journal entries.
    pub posts_entries: Vec<Posting>,
    /// For a phase on an `after` cycle: the phase of the cycle whose entry lists what the
    /// cycle installs (they all go live together).
    pub installed_with: Option<String>,
}

/// A module installed because a module of the phase depends on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PulledIn {
    /// The module.
    pub module: String,
    /// From the planned or auto-installed module down to this one.
    pub chain: Vec<String>,
}

/// A bridge that installs itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutoInstalled {
    /// The module.
    pub module: String,
    /// The modules whose presence installs it.
    pub triggers: Vec<String>,
}

/// A planned module that is installed before its phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlreadyInstalled {
    /// The module.
    pub module: String,
    /// The phase that installs it first.
    pub phases: Vec<String>,
}

impl Installs {
    /// Every module the plan installs, counted once.
    pub fn module_count(&self) -> usize {
        self.phases
            .iter()
            .map(|p| p.planned.len() + p.pulled_in.len() + p.auto_installed.len())
            .sum()
    }

    /// Every module the plan installs that posts journal entries.
    pub fn posting_count(&self) -> usize {
        self.phases.iter().map(|p| p.posts_entries.len()).sum()
    }
}

/// Builds the view from the shared analysis. Phases come in go-live order; a module is
/// listed under the first of them that installs it (two phases of parallel tracks may both
/// install it; the one earlier in go-live order lists it).
pub fn build(g: &PlanGraph<'_>) -> Installs {
    let mut listed: Vec<Option<PhaseId>> = vec![None; g.modules.len()];
    let mut phases = Vec::new();
    for q in g.go_live_order() {
        phases.push(phase(g, q, &mut listed));
    }
    Installs {
        version: 1,
        path: g.plan.file.name().to_owned(),
        phases,
    }
}

fn phase(g: &PlanGraph<'_>, q: PhaseId, listed: &mut [Option<PhaseId>]) -> PhaseInstalls {
    let p = &g.plan.phases[q];
    let mut planned = Vec::new();
    let mut pulled_in = Vec::new();
    let mut auto_installed = Vec::new();
    let mut posts_entries = Vec::new();
    let mut unknown = Vec::new();
    for (m, reason) in &g.installs[q].added {
        if listed[*m].is_some() {
            continue;
        }
        listed[*m] = Some(q);
        match reason {
            Reason::Planned(_) => {
                planned.push(g.name(*m).to_owned());
                if !g.modules[*m].is_known() {
                    unknown.push(g.name(*m).to_owned());
                }
            }
            Reason::PulledIn { .. } => pulled_in.push(PulledIn {
                module: g.name(*m).to_owned(),
                chain: names(g, &g.install_chain(q, *m)),
            }),
            Reason::AutoInstalled { triggers } => auto_installed.push(AutoInstalled {
                module: g.name(*m).to_owned(),
                triggers: names(g, triggers),
            }),
        }
        posts_entries.extend(posting(g, *m));
    }
    let installed_with = g
        .cycle_of(q)
        .and_then(|c| c.iter().copied().min())
        .filter(|&first| first != q)
        .map(|first| g.plan.phases[first].id.value.clone());
    let mut already_installed: Vec<AlreadyInstalled> = Vec::new();
    if installed_with.is_none() {
        for (_, occ) in g.occurrences_in(q) {
            let m = occ.module;
            let name = g.name(m);
            let Some(first) = listed[m].filter(|&f| f != q) else {
                continue;
            };
            if !already_installed.iter().any(|a| a.module == name) {
                already_installed.push(AlreadyInstalled {
                    module: name.to_owned(),
                    phases: vec![g.plan.phases[first].id.value.clone()],
                });
            }
        }
    }
    PhaseInstalls {
        id: p.id.value.clone(),
        name: p.name.clone(),
        go_live: p.go_live.as_ref().map(|d| d.value.to_string()),
        companies: phase_companies(g, q),
        after: predecessors(g, q),
        milestones: p.milestones.iter().map(|m| m.value.clone()).collect(),
        planned,
        pulled_in,
        auto_installed,
        already_installed,
        unknown,
        posts_entries,
        installed_with,
    }
}
