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
    /// The moves, in file order of the modules moved.
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

/// Works out the fix for a loaded plan, without writing anything.
pub fn fix(linter: &mut Linter, plan: &Plan) -> Result<Fixed, Error> {
    let before = linter.analyse(plan, |_, o| o.clone())?;
    let moves = search::search(linter, plan)?;
    let placement = {
        let mut p: Vec<usize> = plan
            .phases
            .iter()
            .enumerate()
            .flat_map(|(q, phase)| phase.modules.iter().map(move |_| q))
            .collect();
        for m in &moves {
            p[m.occurrence] = m.to;
        }
        p
    };
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
    let fixed = Plan::parse(after.clone())
        .map_err(|e| unsafe_edit(format!("the edited plan does not load: {e}")))?;
    let outcome = linter.analyse(&fixed, |_, o| o.clone())?;
    if errors(&outcome) > predicted {
        return Err(unsafe_edit(format!(
            "the edited plan has {} errors where {predicted} were expected",
            errors(&outcome)
        )));
    }
    Ok(Fixed {
        moves,
        before: plan.file.clone(),
        after,
        errors_before: errors(&before),
        outcome,
        phase_ids: plan.phases.iter().map(|p| p.id.value.clone()).collect(),
    })
}
