//! Which modules to move where: a search over simulated plans.
//!
//! Each round runs the rules on the plan as it stands, takes the error findings a move can
//! repair (OO201, OO301, OO109), and for each proposes a move in the direction the rule
//! implies: the module later, or its late dependency (or the missing localization) earlier.
//! A proposal goes to the earliest phase, in go-live order, where the module raises no error
//! itself (and no order warning, where such a phase exists). Each proposal is simulated on a
//! copy of the plan; the best one (fewest errors, then fewest order warnings, then fewest
//! warnings, then the earliest target) is taken if it does not add errors. A bounded number of
//! moves that keep the error count level is allowed, so that a module can follow its
//! dependency, but the result is the best plan seen, never a worse one. A last pass undoes
//! every move the result does not need, so the plan keeps as much of its author's layout as
//! possible.
//!
//! What an alias shares ([`Pins`]) never moves and never receives a module. The search costs
//! one lint of the whole plan per trial, so it weighs at most [`PROPOSALS`] proposals a move and
//! stops at a budget ([`BUDGET`]); memory stays linear in the plan (precedence is walked in the
//! phase graph, never stored as a matrix).
//!
//! `frame` holds what stays fixed while modules move, `reach` works out the phases a rule
//! allows, and `finish` turns the best placement into the fewest moves.

use std::collections::{HashMap, HashSet};

use crate::check::Outcome;
use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::graph::{OccId, PhaseId};
use crate::linter::Linter;
use crate::plan::Plan;
use crate::rules;
use frame::Frame;

mod finish;
mod frame;
mod reach;

/// One module moved from one phase to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The planned occurrence, numbered in the file order of the plan the search ran on.
    pub occurrence: OccId,
    /// The module.
    pub module: String,
    /// The phase that lists it now.
    pub from: PhaseId,
    /// The phase it moves to.
    pub to: PhaseId,
    /// The rule whose error the move repairs.
    pub fixes: &'static str,
}

/// The rules whose errors a move can repair.
pub const FIXABLE: &[&str] = &[
    rules::dependency_in_later_phase::CODE,
    rules::accounting_not_first::CODE,
    rules::missing_localization::CODE,
];

/// The counts a simulated plan is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    errors: usize,
    order_warnings: usize,
    warnings: usize,
}

fn score(findings: &[Finding]) -> Score {
    let count = |p: &dyn Fn(&Finding) -> bool| findings.iter().filter(|f| p(f)).count();
    Score {
        errors: count(&|f| f.severity == Severity::Error),
        order_warnings: count(&|f| f.severity == Severity::Warning && is_order(f)),
        warnings: count(&|f| f.severity == Severity::Warning),
    }
}

/// Order findings: the implementation-order rules (3xx).
fn is_order(f: &Finding) -> bool {
    rules::is_implementation_order(f.code)
}

/// Where each original occurrence is planned.
type Placement = Vec<PhaseId>;

/// The plan with each occurrence in its placed phase: those that stay keep their order, the
/// moved ones are appended to their new phase in file order (as the text edits append them).
pub(crate) fn placed_plan(plan: &Plan, placement: &[PhaseId]) -> Plan {
    let mut out = plan.clone();
    let mut items = Vec::with_capacity(placement.len());
    for (q, phase) in out.phases.iter_mut().enumerate() {
        for module in phase.modules.drain(..) {
            items.push((q, module));
        }
    }
    for (o, (from, module)) in items.iter().enumerate() {
        if placement[o] == *from {
            out.phases[*from].modules.push(module.clone());
        }
    }
    for (o, (from, module)) in items.into_iter().enumerate() {
        if placement[o] != from {
            out.phases[placement[o]].modules.push(module);
        }
    }
    out
}

/// Where a rule lets a module go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Allowed {
    /// At or after each of these phases (its dependencies').
    After(Vec<PhaseId>),
    /// At or before this phase (the phase that needs it).
    Before(PhaseId),
    /// At or after an accounting phase of every company the phase covers.
    AfterAccounting,
    /// Exactly this phase.
    At(PhaseId),
}

/// A proposed move and the direction its rule allows.
struct Proposal {
    occurrence: OccId,
    fixes: &'static str,
    allowed: Allowed,
}

/// The outcome of a simulated placement.
struct Simulated {
    placement: Placement,
    findings: Vec<Finding>,
    score: Score,
    /// For each company, its accounting phases under this placement.
    accounting: Vec<std::sync::Arc<[PhaseId]>>,
}

/// What one step of the search works out once.
struct Step {
    /// Every (occurrence, phase) simulated in this step.
    tried: HashSet<(OccId, PhaseId)>,
    /// The phases each rule direction allows, in go-live order.
    allowed: HashMap<Allowed, std::rc::Rc<[PhaseId]>>,
    /// The phases each module is placed in.
    placed: HashMap<String, HashSet<PhaseId>>,
    /// The companies of each OO109 finding of the plan the step starts from: a finding with
    /// the same companies after a move was not raised by it (a set, since comparing every
    /// finding of a trial with every finding before it was quadratic in the companies).
    localizations: HashSet<Vec<String>>,
}

/// At most this many proposals are weighed for each move, in file order: a plan with
/// thousands of misplaced modules is fixed a move at a time among the first of them rather
/// than by weighing them all each time.
pub const PROPOSALS: usize = 64;

/// What the plan's text lets the search move: an item that an alias repeats, or a list
/// shared with another phase, stays where it is, since moving it would change another part of
/// the plan too.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    /// For each occurrence (in file order), why it may not move, if it may not.
    pub pinned: Vec<Option<String>>,
    /// For each phase, why no module may move into it, if none may.
    pub closed: Vec<Option<String>>,
}

/// A module the search would have moved, left where it is because of [`Pins`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The module.
    pub module: String,
    /// The phase that lists it.
    pub phase: PhaseId,
    /// Why it stays.
    pub why: String,
}

/// What the search found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The moves, in file order.
    pub moves: Vec<Move>,
    /// What it would have moved but may not.
    pub held: Vec<Held>,
    /// Whether it ran out of its budget before trying everything.
    pub stopped_early: bool,
    /// The findings of the plan it searched, as `check` reports them.
    pub outcome: Outcome,
}

/// How much simulating a search may do, in plan sizes ([`cost`]) summed over the plans it
/// simulates. Each trial lints a whole plan, so without a bound a plan with thousands of
/// misplaced modules would take hours; with it, `fix` stays within about a second on any plan
/// under 1 MB and says when it stopped early (a second run goes on from there). Ordinary plans
/// use a small fraction of it.
pub const BUDGET: usize = 100_000;

/// What linting a plan costs, in the units of [`BUDGET`]: everything the analysis and the
/// rules walk (occurrences, phases and their `after` references, companies, waivers) and the
/// findings they report. Counting only occurrences and phases let a plan of 40,000 companies
/// and a few phases afford thousands of trials of a tenth of a second each.
pub fn cost(plan: &Plan, findings: usize) -> usize {
    let phases: usize = plan
        .phases
        .iter()
        .map(|p| {
            1 + p.modules.len()
                + p.after.as_ref().map_or(0, Vec::len)
                + p.companies.as_ref().map_or(0, Vec::len)
        })
        .sum();
    phases + plan.companies.len() + plan.waivers.len() + findings + 1
}

struct Search<'l> {
    linter: &'l mut Linter,
    plan: &'l Plan,
    pins: &'l Pins,
    /// What simulating may still cost (see [`BUDGET`]).
    budget: &'l mut usize,
    stopped_early: bool,
    frame: Frame,
    /// What one simulation costs ([`cost`]).
    cost: usize,
    /// Occurrences a proposal wanted to move but that stay, with why.
    held: std::collections::BTreeMap<OccId, String>,
    /// Every (occurrence, phase) the search has placed something in, so it never loops.
    visited: HashSet<(OccId, PhaseId)>,
    /// The rule behind the latest move of each occurrence.
    reasons: HashMap<OccId, &'static str>,
}

/// Finds the moves that leave the fewest errors, never moving what `pins` holds and simulating
/// no more than `budget` allows (see [`BUDGET`]). Finds no move when none helps.
pub fn search(
    linter: &mut Linter,
    plan: &Plan,
    pins: &Pins,
    budget: &mut usize,
) -> Result<Found, Error> {
    // One analysis gives the findings and, when a move could help, what the search needs.
    let (outcome, start) = linter.analyse(plan, |g, outcome| {
        let fixable = outcome
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error && FIXABLE.contains(&f.code));
        let start = fixable.then(|| (Frame::new(g), g.accounting_phases.clone()));
        (outcome.clone(), start)
    })?;
    let Some((frame, accounting)) = start else {
        return Ok(Found {
            outcome,
            ..Found::default()
        });
    };
    let findings = outcome.findings.clone();
    let original: Placement = frame.occurrences.iter().map(|(_, q)| *q).collect();
    let mut s = Search {
        cost: cost(plan, findings.len()),
        linter,
        plan,
        pins,
        budget,
        stopped_early: false,
        visited: original.iter().copied().enumerate().collect(),
        frame,
        held: std::collections::BTreeMap::new(),
        reasons: HashMap::new(),
    };
    let mut current = Simulated {
        score: score(&findings),
        findings,
        placement: original.clone(),
        accounting,
    };
    let initial_errors = current.score.errors;
    let mut best = (current.score, 0, current.placement.clone());
    // Each accepted move either removes an error or spends one of the level moves; every
    // (occurrence, phase) pair is tried at most once.
    let bound = 4 * original.len() + 8;
    let mut level_moves = 0;
    for _ in 0..bound {
        let Some(next) = s.best_step(&current)? else {
            break;
        };
        if next.score.errors > current.score.errors {
            break;
        }
        if next.score.errors == current.score.errors {
            level_moves += 1;
            if level_moves > 3 {
                break;
            }
        } else {
            level_moves = 0;
        }
        current = next;
        let moved = moved_count(&original, &current.placement);
        if (current.score, moved) < (best.0, best.1) {
            best = (current.score, moved, current.placement.clone());
        }
        if current.score.errors == 0 {
            break;
        }
    }
    // `fix` repairs errors: a search that removes none changes nothing, whatever it did to
    // warnings on the way.
    let held = s
        .held
        .iter()
        .map(|(&o, why)| Held {
            module: s.frame.occurrences[o].0.clone(),
            phase: original[o],
            why: why.clone(),
        })
        .collect();
    if best.0.errors >= initial_errors {
        return Ok(Found {
            moves: Vec::new(),
            held,
            stopped_early: s.stopped_early,
            outcome,
        });
    }
    let (placement, score) = s.follow_extensions(&original, best.2, best.0)?;
    let placement = s.prune(&original, placement, score)?;
    Ok(Found {
        moves: s.moves(&original, &placement),
        held,
        stopped_early: s.stopped_early,
        outcome,
    })
}

fn moved_count(original: &[PhaseId], placement: &[PhaseId]) -> usize {
    original
        .iter()
        .zip(placement)
        .filter(|(a, b)| a != b)
        .count()
}

impl Search<'_> {
    /// Takes the cost of one simulation from the budget, if it is there.
    fn afford(&mut self) -> bool {
        if let Some(left) = self.budget.checked_sub(self.cost) {
            *self.budget = left;
            true
        } else {
            self.stopped_early = true;
            false
        }
    }

    fn simulate(&mut self, placement: Placement) -> Result<Simulated, Error> {
        let plan = placed_plan(self.plan, &placement);
        let (findings, accounting) = self.linter.analyse(&plan, |g, outcome: &Outcome| {
            (outcome.findings.clone(), g.accounting_phases.clone())
        })?;
        Ok(Simulated {
            score: score(&findings),
            findings,
            placement,
            accounting,
        })
    }

    /// The first occurrence planning each module in each phase under `placement`.
    fn where_placed(&self, placement: &[PhaseId]) -> HashMap<(PhaseId, &str), OccId> {
        let mut index = HashMap::with_capacity(placement.len());
        for (o, &q) in placement.iter().enumerate() {
            index
                .entry((q, self.frame.occurrences[o].0.as_str()))
                .or_insert(o);
        }
        index
    }

    fn proposals(&self, current: &Simulated) -> Vec<Proposal> {
        let mut out = Vec::new();
        let placed = self.where_placed(&current.placement);
        let occurrence = |module: &str, phase: &str| {
            let &q = self.frame.phase_ids.get(phase)?;
            placed.get(&(q, module)).copied()
        };
        for f in &current.findings {
            if f.severity != Severity::Error || !FIXABLE.contains(&f.code) {
                continue;
            }
            let (Some(module), Some(phase)) = (f.module.as_deref(), f.phase.as_deref()) else {
                continue;
            };
            let Some(&q) = self.frame.phase_ids.get(phase) else {
                continue;
            };
            let subject = occurrence(module, phase);
            let related: Vec<(OccId, PhaseId)> = f
                .related
                .iter()
                .filter_map(|r| {
                    let (m, p) = (r.module.as_deref()?, r.phase.as_deref()?);
                    let o = occurrence(m, p)?;
                    Some((o, current.placement[o]))
                })
                .collect();
            let mut propose = |occurrence: OccId, allowed: Allowed| {
                out.push(Proposal {
                    occurrence,
                    fixes: f.code,
                    allowed,
                });
            };
            match f.code {
                // The module later, after its dependencies; or each dependency earlier.
                rules::dependency_in_later_phase::CODE => {
                    if let Some(o) = subject {
                        let mut after: Vec<PhaseId> = related.iter().map(|&(_, p)| p).collect();
                        after.sort_unstable();
                        after.dedup();
                        propose(o, Allowed::After(after));
                    }
                    for &(d, _) in &related {
                        // `account` or a chart package never goes alone into a phase that
                        // plans no accounting for its companies (months early, unconfigured):
                        // only into the phase that needs it when that phase is an accounting
                        // phase of every company it covers.
                        if self.frame.accounting[d] {
                            let plans_accounting = self.frame.companies[q].iter().all(|&c| {
                                current.accounting.get(c).is_some_and(|a| a.contains(&q))
                            });
                            if plans_accounting {
                                propose(d, Allowed::At(q));
                            }
                        } else {
                            propose(d, Allowed::Before(q));
                        }
                    }
                }
                // The module to accounting's phase or later, for every company.
                rules::accounting_not_first::CODE => {
                    if let Some(o) = subject {
                        propose(o, Allowed::AfterAccounting);
                    }
                }
                // The localization planned too late, to the accounting phase or earlier.
                rules::missing_localization::CODE => {
                    for &(l, _) in &related {
                        propose(l, Allowed::Before(q));
                    }
                }
                _ => {}
            }
            if out.len() >= PROPOSALS {
                break;
            }
        }
        out
    }

    /// The best single move from `current`, if any proposal finds a phase.
    fn best_step(&mut self, current: &Simulated) -> Result<Option<Simulated>, Error> {
        // Fewest errors first, then the fewest modules moved, postponing before bringing
        // accounting forward, then the fewest warnings, then the earliest target.
        type Key = (usize, usize, usize, Score, usize);
        let mut best: Option<(Key, &'static str, Simulated)> = None;
        let mut step = Step {
            tried: HashSet::new(),
            allowed: HashMap::new(),
            placed: HashMap::new(),
            localizations: current
                .findings
                .iter()
                .filter(|f| f.code == rules::missing_localization::CODE)
                .map(|f| f.companies.clone())
                .collect(),
        };
        for (o, &q) in current.placement.iter().enumerate() {
            step.placed
                .entry(self.frame.occurrences[o].0.clone())
                .or_default()
                .insert(q);
        }
        for proposal in self.proposals(current) {
            if self.stopped_early {
                break;
            }
            let Some((target, sim)) = self.target(current, &proposal, &mut step)? else {
                continue;
            };
            let key = (sim.score.errors, 1, 0, sim.score, self.frame.rank[target]);
            if best.as_ref().is_none_or(|(k, _, _)| key < *k) {
                best = Some((key, proposal.fixes, sim));
            }
        }
        // Both remedies for the OO301 errors of a phase at once: postpone all its modules that
        // wait for the same accounting phase into it, or bring that company's accounting
        // forward, all its accounting modules together. Judged like every move, then by how
        // many modules move (the remedy that moves fewer wins), postponing on a tie.
        for (group, q, kind) in self.remedies(current) {
            if self.stopped_early || !self.afford() {
                break;
            }
            let mut placement = current.placement.clone();
            for &o in &group {
                placement[o] = q;
            }
            let sim = self.simulate(placement)?;
            let key = (
                sim.score.errors,
                group.len(),
                kind,
                sim.score,
                self.frame.rank[q],
            );
            if best.as_ref().is_none_or(|(k, _, _)| key < *k) {
                best = Some((key, rules::accounting_not_first::CODE, sim));
            }
        }
        let Some((_, fixes, sim)) = best else {
            return Ok(None);
        };
        for (o, &q) in sim.placement.iter().enumerate() {
            if q != current.placement[o] {
                self.reasons.insert(o, fixes);
            }
            self.visited.insert((o, q));
        }
        Ok(Some(sim))
    }

    /// For each phase with OO301 errors and the accounting phase they wait for, the two
    /// remedies as (occurrences, target, kind): its waiting modules into the accounting phase
    /// (kind 0), or the accounting modules of that phase into it (kind 1). Only when both
    /// phases cover the same companies (so a module's companies never change, and the target
    /// then plans accounting for exactly them), neither is on a cycle, nothing is pinned, and
    /// the move was not tried before.
    fn remedies(&mut self, current: &Simulated) -> Vec<(Vec<OccId>, PhaseId, usize)> {
        let placed = self.where_placed(&current.placement);
        let mut waiting: Vec<((PhaseId, PhaseId), Vec<OccId>)> = Vec::new();
        for f in &current.findings {
            if f.severity != Severity::Error || f.code != rules::accounting_not_first::CODE {
                continue;
            }
            let Some(&q) = f.phase.as_deref().and_then(|p| self.frame.phase_ids.get(p)) else {
                continue;
            };
            let Some(&a) = f
                .related
                .first()
                .and_then(|r| r.phase.as_deref())
                .and_then(|p| self.frame.phase_ids.get(p))
            else {
                continue;
            };
            let Some(&o) = f.module.as_deref().and_then(|m| placed.get(&(q, m))) else {
                continue;
            };
            match waiting.iter_mut().find(|(k, _)| *k == (q, a)) {
                Some((_, os)) => os.push(o),
                None => waiting.push(((q, a), vec![o])),
            }
        }
        let pinned = |o: OccId| self.pins.pinned.get(o).is_some_and(Option::is_some);
        let closed = |t: PhaseId| self.pins.closed.get(t).is_some_and(Option::is_some);
        let mut out = Vec::new();
        for ((q, a), later) in waiting {
            if a == q
                || self.frame.on_cycle[a]
                || self.frame.on_cycle[q]
                || self.frame.companies[a] != self.frame.companies[q]
            {
                continue;
            }
            if later.len() > 1 && !closed(a) && !later.iter().any(|&o| pinned(o)) {
                out.push((later, a, 0));
            }
            let group: Vec<OccId> = (0..current.placement.len())
                .filter(|&o| current.placement[o] == a && self.frame.accounting[o])
                .collect();
            if !group.is_empty()
                && !closed(q)
                && !group.iter().any(|&o| pinned(o))
                && !group.iter().all(|&o| self.visited.contains(&(o, q)))
            {
                out.push((group, q, 1));
            }
            if out.len() >= PROPOSALS {
                break;
            }
        }
        out
    }

    /// The earliest phase the proposal allows where the moved module raises no new error (and
    /// no order warning, if such a phase exists), simulated. Only phases that cover exactly the
    /// companies the module was planned for are candidates: a move never changes which
    /// companies get a module, so a fix cannot roll out a point of sale to a company that did
    /// not plan one.
    fn target(
        &mut self,
        current: &Simulated,
        p: &Proposal,
        step: &mut Step,
    ) -> Result<Option<(PhaseId, Simulated)>, Error> {
        let o = p.occurrence;
        let (module, origin) = self.frame.occurrences[o].clone();
        let from = current.placement[o];
        if self.frame.on_cycle[from] {
            return Ok(None);
        }
        if let Some(why) = self.pins.pinned.get(o).and_then(Option::as_ref) {
            self.held.entry(o).or_insert_with(|| why.clone());
            return Ok(None);
        }
        let origin_companies = self.frame.companies[origin].clone();
        // The phases the rule allows, in go-live order, worked out once a step for each rule
        // direction.
        let allowed = if let Some(list) = step.allowed.get(&p.allowed) {
            std::rc::Rc::clone(list)
        } else {
            let set = self.allowed(&p.allowed, &current.accounting);
            let list: std::rc::Rc<[PhaseId]> = self
                .frame
                .order
                .iter()
                .copied()
                .filter(|&t| set[t])
                .collect();
            step.allowed
                .insert(p.allowed.clone(), std::rc::Rc::clone(&list));
            list
        };
        let no_phases = HashSet::new();
        let present = step.placed.get(&module).unwrap_or(&no_phases);
        {
            let mut fallback = None;
            let mut closed: Option<String> = None;
            for &t in allowed.iter() {
                let covers = &self.frame.companies[t];
                let fits = *covers == origin_companies;
                if t == from
                    || self.frame.on_cycle[t]
                    || !fits
                    || present.contains(&t)
                    || self.visited.contains(&(o, t))
                {
                    continue;
                }
                if let Some(why) = self.pins.closed.get(t).and_then(Option::as_ref) {
                    closed.get_or_insert_with(|| why.clone());
                    continue;
                }
                if !step.tried.insert((o, t)) {
                    continue;
                }
                let mut placement = current.placement.clone();
                placement[o] = t;
                if !self.afford() {
                    return Ok(fallback);
                }
                let sim = self.simulate(placement)?;
                let phase = &self.plan.phases[t].id.value;
                let own: Vec<&Finding> = sim
                    .findings
                    .iter()
                    .filter(|f| {
                        f.module.as_deref() == Some(module.as_str())
                            && f.phase.as_deref() == Some(phase)
                    })
                    .collect();
                // OO109 points at the first accounting module of a phase and reports one
                // finding per company: one that a company already had is not raised by this
                // module, even when it now points at it.
                let raised = |f: &&&Finding| -> bool {
                    f.severity == Severity::Error
                        && !(f.code == rules::missing_localization::CODE
                            && step.localizations.contains(&f.companies))
                };
                if own.iter().any(|f| raised(&f)) {
                    continue;
                }
                if !own
                    .iter()
                    .any(|f| f.severity == Severity::Warning && is_order(f))
                {
                    return Ok(Some((t, sim)));
                }
                if fallback.is_none() {
                    fallback = Some((t, sim));
                }
            }
            if fallback.is_some() {
                return Ok(fallback);
            }
            if let Some(why) = closed {
                self.held.entry(o).or_insert(why);
            }
        }
        Ok(None)
    }
}
