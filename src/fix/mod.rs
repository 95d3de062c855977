//! `fix`: moves modules so that no error remains, each to the earliest phase where it raises
//! no error, adds the one module a finding names (`add`: the module that meets an e-invoicing
//! mandate), and edits the plan's text in place.
//!
//! `search` decides the moves on simulated plans; [`layout`] reads where the plan's lists and
//! comments are written, and `edit` turns the moves into text edits there. Before anyone
//! writes it, `verify` reads the edited text back: every phase must list exactly the modules
//! the simulation put there, nothing else may mean anything different, and every comment of
//! the original must still be in it. Otherwise `fix` writes nothing and names the list it could
//! not edit.
//!
//! Anchors and aliases: a list or an item that an alias repeats elsewhere (`modules: &m [..]`
//! with `modules: *m`, or `- &acc account` with `- *acc`) is shared by two places of the plan.
//! Moving a module out of one would silently move it out of the other too, so `fix` leaves
//! shared items and lists where they are and says so when an error remains because of it.
//! Properties that nothing shares (`&a mrp` never aliased, `!!str mrp`) move with their item.

pub(crate) mod add;
pub(crate) mod edit;
pub mod layout;
pub(crate) mod search;
pub(crate) mod verify;

pub use add::Added;
pub use search::{FIXABLE, Held, Move, Pins};

use crate::check::Outcome;
use crate::error::{Error, Problem, codes};
use crate::finding::{Addition, Finding, Severity};
use crate::graph::PhaseId;
use crate::linter::Linter;
use crate::plan::Plan;
use crate::source::{SourceFile, Span};
use layout::Layout;
use verify::Mismatch;

/// What `fix` would do to a plan.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// Each module that moves, from the phase that lists it to the one it ends in, in the
    /// order they were found (file order within each round of the search).
    pub moves: Vec<Move>,
    /// Each module added to a phase (the one module that meets a finding's rule, such as an
    /// e-invoicing mandate's), in finding order.
    pub added: Vec<Added>,
    /// Modules a move would have helped but that stay, because an alias shares them.
    pub held: Vec<Held>,
    /// The findings that remain and that asked for a module `fix` does not add, with why.
    pub unadded: Vec<(Finding, String)>,
    /// Whether the search stopped at its budget (see `search::BUDGET`) before trying
    /// everything: running `fix` again may move more.
    pub stopped_early: bool,
    /// The plan before.
    pub before: SourceFile,
    /// The plan after (the same text when nothing moves).
    pub after: SourceFile,
    /// Error findings before.
    pub errors_before: usize,
    /// The findings of the fixed plan.
    pub outcome: Outcome,
    /// The plan's phase ids, for naming the phases of [`Move`]s.
    pub phase_ids: Vec<String>,
}

impl Fixed {
    /// Whether the text changes.
    pub fn changes(&self) -> bool {
        self.before.text() != self.after.text()
    }

    /// The error findings that remain.
    pub fn errors_after(&self) -> usize {
        errors(&self.outcome)
    }
}

fn errors(outcome: &Outcome) -> usize {
    outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

/// How many times the search runs on its own result. A search can leave moves that only its
/// result makes visible; running it again until it finds nothing makes `fix` idempotent.
const ROUNDS: usize = 4;

/// Works out the fix for a loaded plan, without writing anything.
pub fn fix(linter: &mut Linter, plan: &Plan) -> Result<Fixed, Error> {
    fix_within(linter, plan, search::BUDGET)
}

/// [`fix`] with another search budget (see `search::BUDGET`).
pub fn fix_within(linter: &mut Linter, plan: &Plan, budget: usize) -> Result<Fixed, Error> {
    let mut budget = budget;
    let mut current = plan.clone();
    let mut journeys: Vec<Move> = Vec::new();
    let mut held: Vec<Held> = Vec::new();
    let mut stopped_early = false;
    let mut errors_before = None;
    let mut outcome = None;
    let mut added = Vec::new();
    // Additions first: the module a finding names then takes part in the search like every
    // planned module (its dependencies planned later are moved as any other's).
    if let Some(price) = budget.checked_sub(search::cost(&current, 0)) {
        budget = price;
        let layout = Layout::read(current.file.text());
        let pins = pins(&current, layout.as_ref());
        let (before, wanted) = linter.analyse(&current, |g, outcome| {
            (errors(outcome), add::wanted(g, &outcome.findings, &pins))
        })?;
        errors_before = Some(before);
        held.extend(wanted.held.iter().cloned());
        if !wanted.is_empty() {
            let layout = layout.map_err(|why| cannot_read(plan, &why))?;
            current = apply_round(&current, &layout, &wanted.moves, &wanted.added)?;
            journeys.extend(wanted.moves);
            added = wanted.added;
        }
    } else {
        stopped_early = true;
    }
    for round in 0..ROUNDS {
        // A round reads, lints, edits and reloads the whole plan: after the first, it is paid
        // from the search budget too, so a huge plan stops rather than goes round again.
        if round > 0 {
            let price = 3 * search::cost(&current, 0);
            let Some(left) = budget.checked_sub(price) else {
                stopped_early = true;
                break;
            };
            budget = left;
        }
        let layout = Layout::read(current.file.text());
        let pins = pins(&current, layout.as_ref());
        let found = search::search(linter, &current, &pins, &mut budget)?;
        stopped_early |= found.stopped_early;
        errors_before.get_or_insert_with(|| errors(&found.outcome));
        for h in found.held {
            if !held.contains(&h) {
                held.push(h);
            }
        }
        if found.moves.is_empty() {
            outcome = Some(found.outcome);
            break;
        }
        let layout = layout.map_err(|why| cannot_read(plan, &why))?;
        current = apply_round(&current, &layout, &found.moves, &[])?;
        for m in found.moves {
            match journeys
                .iter_mut()
                .find(|j| j.module == m.module && j.to == m.from)
            {
                Some(j) => {
                    j.to = m.to;
                    j.fixes = m.fixes;
                }
                None => journeys.push(m),
            }
        }
        journeys.retain(|j| j.from != j.to);
    }
    let outcome = match outcome {
        Some(o) => o,
        None => linter.analyse(&current, |_, o| o.clone())?,
    };
    let errors_before = errors_before.unwrap_or_else(|| errors(&outcome));
    let unadded = outcome
        .findings
        .iter()
        .filter_map(|f| {
            let why = match f.addition.as_ref()? {
                Addition::Refused(why) => why.clone(),
                Addition::Module(m) => held.iter().find(|h| h.module == *m).map_or_else(
                    || format!("`{m}` was added, yet the finding remains"),
                    |h| format!("`{m}` {}", h.why),
                ),
            };
            Some((f.clone(), why))
        })
        .collect();
    Ok(Fixed {
        moves: journeys,
        added,
        held,
        unadded,
        stopped_early,
        before: plan.file.clone(),
        after: current.file.clone(),
        errors_before,
        outcome,
        phase_ids: plan.phases.iter().map(|p| p.id.value.clone()).collect(),
    })
}

/// What the text keeps in place: shared items, and shared or unreadable lists.
fn pins(plan: &Plan, layout: Result<&Layout, &String>) -> Pins {
    let total: usize = plan.phases.iter().map(|p| p.modules.len()).sum();
    let n = plan.phases.len();
    let layout = match layout {
        Ok(l) if l.phases.len() == n => l,
        Ok(_) => {
            let why = "the plan's phases are written in a way fix does not edit".to_owned();
            return Pins {
                pinned: vec![Some(format!("stays where it is: {why}")); total],
                closed: vec![Some(format!("could move, but {why}")); n],
            };
        }
        Err(why) => {
            let why = format!("fix cannot read where the plan's lists are written ({why})");
            return Pins {
                pinned: vec![Some(format!("stays where it is: {why}")); total],
                closed: vec![Some(format!("could move, but {why}")); n],
            };
        }
    };
    let mut out = Pins::default();
    for (phase, written) in plan.phases.iter().zip(&layout.phases) {
        let id = &phase.id.value;
        let whole = written.shared.clone().or_else(|| {
            let items = written.items().len();
            let listed = phase.modules.len();
            (items != listed || matches!(written.modules, layout::Modules::Other))
                .then(|| "the list is written in a way fix does not edit".to_owned())
        });
        if let Some(why) = whole {
            out.closed
                .push(Some(format!("could go to `{id}`, but there {why}")));
            out.pinned.extend(std::iter::repeat_n(
                Some(format!("stays in `{id}`: {why}")),
                phase.modules.len(),
            ));
        } else {
            out.closed.push(None);
            out.pinned.extend(written.items().iter().map(|item| {
                item.shared
                    .as_ref()
                    .map(|why| format!("stays in `{id}`: {why}"))
            }));
        }
    }
    out
}

/// Applies one round of moves and additions to the plan's text, reads the result back, and
/// loads it.
fn apply_round(
    plan: &Plan,
    layout: &Layout,
    moves: &[Move],
    added: &[Added],
) -> Result<Plan, Error> {
    let by_hand: Vec<Change> = moves
        .iter()
        .map(|m| Change {
            module: m.module.clone(),
            from: Some(m.from),
            to: m.to,
        })
        .chain(added.iter().map(|a| Change {
            module: a.module.clone(),
            from: None,
            to: a.to,
        }))
        .collect();
    let mut placement: Vec<PhaseId> = Vec::new();
    let mut index: Vec<usize> = Vec::new();
    for (q, phase) in plan.phases.iter().enumerate() {
        placement.extend(std::iter::repeat_n(q, phase.modules.len()));
        index.extend(0..phase.modules.len());
    }
    let mut changed = vec![false; plan.phases.len()];
    for m in moves {
        placement[m.occurrence] = m.to;
        changed[m.from] = true;
        changed[m.to] = true;
    }
    let mut predicted = search::placed_plan(plan, &placement);
    for a in added {
        changed[a.to] = true;
        let span = predicted.phases[a.to].id.span;
        predicted.phases[a.to]
            .modules
            .push(crate::plan::Located::new(a.module.clone(), span));
    }
    let added: Vec<(PhaseId, String)> = added.iter().map(|a| (a.to, a.module.clone())).collect();
    let edits: Vec<edit::Moved> = moves
        .iter()
        .map(|m| edit::Moved {
            from: m.from,
            index: index[m.occurrence],
            to: m.to,
        })
        .collect();
    let text = plan.file.text();
    let edited = edit::apply_with(text, layout, &edits, &added).map_err(|r| {
        cannot_edit(
            plan,
            &by_hand,
            r.span,
            &format!(
                "`fix` cannot edit the `modules` of phase `{}`: {}",
                phase_name(plan, r.phase),
                r.why
            ),
        )
    })?;
    let expected: Vec<Vec<String>> = predicted
        .phases
        .iter()
        .map(|p| p.modules.iter().map(|m| m.value.clone()).collect())
        .collect();
    verify::check(text, layout, &edited, &expected, &changed)
        .map_err(|m| mismatch(plan, layout, &by_hand, &m))?;
    let after = SourceFile::new(plan.file.path(), plan.file.name(), edited);
    Plan::parse(after).map_err(|e| {
        mismatch(
            plan,
            layout,
            &by_hand,
            &Mismatch::DoesNotLoad(e.to_string()),
        )
    })
}

fn phase_name(plan: &Plan, q: PhaseId) -> &str {
    plan.phases.get(q).map_or("?", |p| p.id.value.as_str())
}

fn quoted_list(names: &[String]) -> String {
    if names.is_empty() {
        return "nothing".to_owned();
    }
    names
        .iter()
        .map(|n| format!("`{}`", n.escape_debug()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One change to a phase's list, for naming what to do by hand: a module moved from a phase,
/// or added (`from` is `None`).
struct Change {
    module: String,
    from: Option<PhaseId>,
    to: PhaseId,
}

impl Change {
    /// The phase whose list changes first: the one it leaves, else the one it joins.
    fn source(&self) -> PhaseId {
        self.from.unwrap_or(self.to)
    }
}

/// The refusal for an edit that did not read back as planned.
fn mismatch(plan: &Plan, layout: &Layout, moves: &[Change], m: &Mismatch) -> Error {
    let list_of = |q: PhaseId| {
        layout
            .phases
            .get(q)
            .map_or(Span::new(0, 0), edit::list_span)
    };
    let first = moves.first().map_or(0, |m| m.to);
    let (span, message) = match m {
        Mismatch::DoesNotLoad(why) => {
            let mut phases: Vec<PhaseId> = moves.iter().flat_map(|m| [m.source(), m.to]).collect();
            phases.sort_unstable();
            phases.dedup();
            let names: Vec<String> = phases
                .iter()
                .map(|&q| format!("`{}`", phase_name(plan, q)))
                .collect();
            (
                list_of(moves.first().map_or(0, Change::source)),
                format!(
                    "`fix` cannot edit the `modules` of {} {} as written: the edited text would \
                     not load ({why})",
                    if names.len() == 1 { "phase" } else { "phases" },
                    names.join(", ")
                ),
            )
        }
        Mismatch::Modules {
            phase,
            expected,
            found,
        } => (
            list_of(*phase),
            format!(
                "`fix` cannot edit the `modules` of phase `{}` as written: read back, it would \
                 list {} instead of {}",
                phase_name(plan, *phase),
                quoted_list(found),
                quoted_list(expected)
            ),
        ),
        Mismatch::Elsewhere(Some(q)) => (
            Span::new(layout.phases.get(*q).map_or(0, |p| p.start), 0),
            format!(
                "`fix` cannot edit phase `{}` as written: more than its `modules` would change",
                phase_name(plan, *q)
            ),
        ),
        Mismatch::Elsewhere(None) => (
            list_of(first),
            "`fix` cannot edit this plan as written: more than the moved modules would change"
                .to_owned(),
        ),
        Mismatch::Comment(c) => (
            *c,
            format!(
                "`fix` cannot move the modules without losing the comment `{}` (line {})",
                plan.file.slice(*c).trim_end(),
                plan.file.line_col(c.offset).line
            ),
        ),
    };
    cannot_edit(plan, moves, span, &message)
}

/// A located refusal: nothing is written, and the user learns what to move by hand.
fn cannot_edit(plan: &Plan, moves: &[Change], span: Span, message: &str) -> Error {
    let by_hand: Vec<String> = moves
        .iter()
        .map(|m| match m.from {
            Some(from) => format!(
                "`{}` from `{}` to `{}`",
                m.module,
                phase_name(plan, from),
                phase_name(plan, m.to)
            ),
            None => format!("add `{}` to `{}`", m.module, phase_name(plan, m.to)),
        })
        .collect();
    let problem = Problem::at(
        codes::FIX_CANNOT_EDIT,
        span,
        format!("{message}; nothing was written"),
    )
    .label("fix cannot edit this")
    .help(format!("move by hand: {}", by_hand.join(", ")));
    Error::invalid(plan.file.clone(), "plan", vec![problem])
}

fn cannot_read(plan: &Plan, why: &str) -> Error {
    let problem = Problem::whole_file(
        codes::FIX_CANNOT_EDIT,
        format!(
            "`fix` cannot read where this plan's lists are written ({why}); nothing was written"
        ),
    );
    Error::invalid(plan.file.clone(), "plan", vec![problem])
}
