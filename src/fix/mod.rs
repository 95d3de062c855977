//! `fix`: moves modules so that no error remains, each to the earliest phase where it raises
//! no error, and edits the plan's text in place.
//!
//! [`search`] decides the moves on simulated plans; [`edit`] turns them into text edits at the
//! loader's spans. The edited text is parsed and checked again before anyone writes it: it must
//! load, and have no more errors than the simulation predicted.

pub mod edit;
pub mod search;

pub use search::{FIXABLE, Move};

use crate::check::Outcome;
use crate::error::Error;
use crate::finding::Severity;
use crate::linter::Linter;
use crate::plan::Plan;
use crate::source::{SourceFile, Span};

/// What `fix` would do to a plan.
#[derive(Debug, Clone)]
pub struct Fixed {
    /// Each module that moves, from the phase that lists it to the one it ends in, in the
    /// order they were found (file order within each round of the search).
    pub moves: Vec<Move>,
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
    let errors_before = linter.analyse(plan, |_, o| errors(o))?;
    let mut current = plan.clone();
    let mut journeys: Vec<Move> = Vec::new();
    for _ in 0..ROUNDS {
        let moves = search::search(linter, &current)?;
        if moves.is_empty() {
            break;
        }
        current = apply_round(linter, &current, &moves)?;
        for m in moves {
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
    let outcome = linter.analyse(&current, |_, o| o.clone())?;
    Ok(Fixed {
        moves: journeys,
        before: plan.file.clone(),
        after: current.file.clone(),
        errors_before,
        outcome,
        phase_ids: plan.phases.iter().map(|p| p.id.value.clone()).collect(),
    })
}

/// Applies one round of moves to the plan's text and loads the result, which must have no
/// more errors than the simulation predicted.
fn apply_round(linter: &mut Linter, plan: &Plan, moves: &[Move]) -> Result<Plan, Error> {
    let mut placement: Vec<usize> = plan
        .phases
        .iter()
        .enumerate()
        .flat_map(|(q, phase)| phase.modules.iter().map(move |_| q))
        .collect();
    for m in moves {
        placement[m.occurrence] = m.to;
    }
    let predicted = linter.analyse(&search::placed_plan(plan, &placement), |_, o| errors(o))?;
    let items: Vec<Span> = plan
        .phases
        .iter()
        .flat_map(|p| p.modules.iter().map(|m| m.span))
        .collect();
    let edits: Vec<edit::Moved> = moves
        .iter()
        .map(|m| edit::Moved {
            from: m.from,
            item: items[m.occurrence],
            to: m.to,
        })
        .collect();
    let unsafe_edit = |why: String| {
        Error::usage(
            format!(
                "`fix` could not edit `{}` safely ({why}); nothing was written",
                plan.file.name()
            ),
            Some("this is a bug in odoo-order: please report it with the plan".to_owned()),
        )
    };
    let text = edit::apply(plan.file.text(), &edits).map_err(unsafe_edit)?;
    let after = SourceFile::new(plan.file.path(), plan.file.name(), text);
    let fixed = Plan::parse(after)
        .map_err(|e| unsafe_edit(format!("the edited plan does not load: {e}")))?;
    let found = linter.analyse(&fixed, |_, o| errors(o))?;
    if found > predicted {
        return Err(unsafe_edit(format!(
            "the edited plan has {found} errors where {predicted} were expected"
        )));
    }
    Ok(fixed)
}
