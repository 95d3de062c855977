//! Where a rule lets a module go: the phases before or after others, walked in the phase graph
//! for each proposal (a precedence matrix would be quadratic in the phases).

use std::collections::HashMap;

use super::{Allowed, Search};
use crate::graph::{CompanyId, PhaseId};

impl Search<'_> {
    /// The phases reachable from `from` (themselves included), forwards or backwards.
    pub(super) fn reach(
        &self,
        from: impl IntoIterator<Item = PhaseId>,
        forwards: bool,
    ) -> Vec<bool> {
        let edges = if forwards {
            &self.frame.successors
        } else {
            &self.frame.predecessors
        };
        let mut seen = vec![false; edges.len()];
        let mut stack: Vec<PhaseId> = Vec::new();
        for p in from {
            if !seen[p] {
                seen[p] = true;
                stack.push(p);
            }
        }
        while let Some(p) = stack.pop() {
            for &q in &edges[p] {
                if !seen[q] {
                    seen[q] = true;
                    stack.push(q);
                }
            }
        }
        seen
    }

    /// The phases a rule lets the module go to, in linear time per proposal.
    pub(super) fn allowed(
        &self,
        allowed: &Allowed,
        accounting: &[std::sync::Arc<[PhaseId]>],
    ) -> Vec<bool> {
        let n = self.frame.successors.len();
        match allowed {
            Allowed::After(phases) => {
                let mut count = vec![0_usize; n];
                for &d in phases {
                    for (t, reached) in self.reach([d], true).into_iter().enumerate() {
                        count[t] += usize::from(reached);
                    }
                }
                count.into_iter().map(|c| c == phases.len()).collect()
            }
            Allowed::Before(q) => self.reach([*q], false),
            Allowed::At(q) => (0..n).map(|t| t == *q).collect(),
            Allowed::AfterAccounting => {
                // Once per distinct list of accounting phases, and once per distinct list of
                // companies: a reach per company made thousands of companies times thousands
                // of phases, in time and memory.
                let mut class_of: HashMap<*const [PhaseId], usize> = HashMap::new();
                let mut live: Vec<Vec<bool>> = Vec::new();
                let class: Vec<usize> = accounting
                    .iter()
                    .map(|phases| {
                        *class_of
                            .entry(std::sync::Arc::as_ptr(phases))
                            .or_insert_with(|| {
                                live.push(self.reach(phases.iter().copied(), true));
                                live.len() - 1
                            })
                    })
                    .collect();
                let mut classes_of: HashMap<*const [CompanyId], Vec<usize>> = HashMap::new();
                (0..n)
                    .map(|t| {
                        let companies = &self.frame.companies[t];
                        let classes = classes_of
                            .entry(std::sync::Arc::as_ptr(companies))
                            .or_insert_with(|| {
                                let mut ks: Vec<usize> = companies
                                    .iter()
                                    .map(|&c| class.get(c).copied().unwrap_or(usize::MAX))
                                    .collect();
                                ks.sort_unstable();
                                ks.dedup();
                                ks
                            });
                        classes.iter().all(|&k| live.get(k).is_some_and(|l| l[t]))
                    })
                    .collect()
            }
        }
    }
}
