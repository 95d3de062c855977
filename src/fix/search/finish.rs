//! What the search does once it has its best placement: extensions follow the module they
//! extend, every move the result does not need is undone, and the placement becomes moves.

use std::collections::{HashMap, HashSet};

use super::{Move, OccId, Placement, Score, Search};
use crate::error::Error;
use crate::graph::PhaseId;
use crate::rules;

impl Search<'_> {
    /// Moves along, to where a module was postponed, the modules of its old phase that extend
    /// it by name and whose dependencies are unknown (`sale_stock_renting` after
    /// `sale_renting`): no rule sees that they need it, but Odoo's naming does. Kept only if
    /// no error comes of it.
    pub(super) fn follow_extensions(
        &mut self,
        original: &[PhaseId],
        placement: Placement,
        score: Score,
    ) -> Result<(Placement, Score), Error> {
        let words = |name: &str| {
            name.split('_')
                .map(str::to_owned)
                .collect::<HashSet<String>>()
        };
        // Modules known by name only are few: grouped by phase, each moved module looks at its
        // old phase's only, not at every occurrence of the plan.
        let mut by_phase: HashMap<PhaseId, Vec<OccId>> = HashMap::new();
        for (x, &q) in placement.iter().enumerate() {
            if self.frame.assumed[x] && !self.pins.pinned.get(x).is_some_and(Option::is_some) {
                by_phase.entry(q).or_default().push(x);
            }
        }
        let mut trial = placement.clone();
        let mut followed: Vec<(OccId, &'static str)> = Vec::new();
        for (o, (&from, &to)) in original.iter().zip(&placement).enumerate() {
            if from == to || self.frame.rank[to] < self.frame.rank[from] {
                continue;
            }
            let Some(candidates) = by_phase.get(&from) else {
                continue;
            };
            let moved = words(&self.frame.occurrences[o].0);
            for &x in candidates {
                let name = &self.frame.occurrences[x].0;
                if x == o
                    || trial[x] != from
                    || *name == self.frame.occurrences[o].0
                    || !moved.is_subset(&words(name))
                {
                    continue;
                }
                trial[x] = to;
                followed.push((
                    x,
                    self.reasons
                        .get(&o)
                        .copied()
                        .unwrap_or(rules::accounting_not_first::CODE),
                ));
            }
        }
        if trial == placement || !self.afford() {
            return Ok((placement, score));
        }
        let sim = self.simulate(trial)?;
        if sim.score.errors > score.errors {
            return Ok((placement, score));
        }
        for (x, why) in followed {
            self.reasons.entry(x).or_insert(why);
        }
        Ok((sim.placement, sim.score))
    }

    /// Undoes, one at a time, every move the result does not need.
    pub(super) fn prune(
        &mut self,
        original: &[PhaseId],
        mut placement: Placement,
        mut score: Score,
    ) -> Result<Placement, Error> {
        for o in 0..placement.len() {
            if placement[o] == original[o] {
                continue;
            }
            // Accounting modules that moved together (accounting brought forward) are undone
            // together: `account` never stays apart from its chart package.
            let unit: Vec<OccId> = if self.frame.accounting[o] {
                (0..placement.len())
                    .filter(|&x| {
                        self.frame.accounting[x]
                            && original[x] == original[o]
                            && placement[x] == placement[o]
                    })
                    .collect()
            } else {
                vec![o]
            };
            if unit[0] != o {
                continue;
            }
            if !self.afford() {
                break;
            }
            let mut trial = placement.clone();
            for &x in &unit {
                trial[x] = original[x];
            }
            let sim = self.simulate(trial)?;
            if sim.score <= score {
                placement = sim.placement;
                score = sim.score;
            }
        }
        Ok(placement)
    }

    pub(super) fn moves(&self, original: &[PhaseId], placement: &[PhaseId]) -> Vec<Move> {
        (0..original.len())
            .filter(|&o| original[o] != placement[o])
            .map(|o| {
                let (from, to) = (original[o], placement[o]);
                Move {
                    occurrence: o,
                    module: self.frame.occurrences[o].0.clone(),
                    from,
                    to,
                    fixes: self
                        .reasons
                        .get(&o)
                        .copied()
                        .unwrap_or(rules::dependency_in_later_phase::CODE),
                }
            })
            .collect()
    }
}
