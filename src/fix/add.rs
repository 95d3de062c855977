//! Adding the module a finding names (OO306: the module that meets an e-invoicing mandate) to
//! the phase the finding points at, before the search moves anything.
//!
//! The rule decides whether a module is the mechanical remedy ([`Addition::Module`]) or a
//! choice left to the user ([`Addition::Refused`]: several modules would do, or the only one
//! is Enterprise and the plan targets Community, or the plan lists it in a phase it cannot
//! leave). Here, a module the plan already lists elsewhere moves to the phase instead of being
//! listed twice; what an alias shares stays where it is, as for every move.

use super::search::{Held, Move, Pins};
use crate::finding::{Addition, Finding};
use crate::graph::{PhaseId, PlanGraph};

/// A module added to a phase's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The module.
    pub module: String,
    /// The phase it is added to.
    pub to: PhaseId,
    /// The rule whose finding it repairs.
    pub fixes: &'static str,
}

/// What the findings of a plan ask to add: new items, moves of items the plan already lists,
/// and what stays as it is because of [`Pins`] or the phases' companies.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// Modules to append to a phase, in finding order.
    pub added: Vec<Added>,
    /// Modules the plan lists in another phase, to move to the finding's phase.
    pub moves: Vec<Move>,
    /// What a finding asked for but the text or the companies do not allow.
    pub held: Vec<Held>,
}

impl Wanted {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.moves.is_empty()
    }
}

/// Works out the additions the findings of `g`'s plan ask for. The rule has already refused a
/// move that would change which companies get the module or empty a phase.
pub fn wanted(g: &PlanGraph<'_>, findings: &[Finding], pins: &Pins) -> Wanted {
    let plan = g.plan;
    let mut out = Wanted::default();
    for f in findings {
        let Some(Addition::Module(module)) = &f.addition else {
            continue;
        };
        let Some(q) = f
            .phase
            .as_deref()
            .and_then(|p| plan.phases.iter().position(|x| x.id.value == *p))
        else {
            continue;
        };
        if out.added.iter().any(|a| a.module == *module && a.to == q)
            || out.moves.iter().any(|m| m.module == *module)
            || out.held.iter().any(|h| h.module == *module)
        {
            continue;
        }
        let mut hold = |phase: PhaseId, why: String| {
            out.held.push(Held {
                module: module.clone(),
                phase,
                why,
            });
        };
        // The first place the plan lists it, as an occurrence number and a place in its list.
        let mut occurrence = 0;
        let mut listed = None;
        for (p, phase) in plan.phases.iter().enumerate() {
            if let Some(i) = phase.modules.iter().position(|m| m.value == *module) {
                listed = Some((occurrence + i, p));
                break;
            }
            occurrence += phase.modules.len();
        }
        if let Some(why) = pins.closed.get(q).and_then(Option::as_ref) {
            hold(q, why.clone());
            continue;
        }
        match listed {
            None => out.added.push(Added {
                module: module.clone(),
                to: q,
                fixes: f.code,
            }),
            Some((_, p)) if p == q => {}
            Some((o, p)) => {
                if let Some(why) = pins.pinned.get(o).and_then(Option::as_ref) {
                    hold(p, why.clone());
                } else {
                    out.moves.push(Move {
                        occurrence: o,
                        module: module.clone(),
                        from: p,
                        to: q,
                        fixes: f.code,
                    });
                }
            }
        }
    }
    out
}
