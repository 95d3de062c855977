//! Dependencies between planned modules: each planned module's nearest planned dependencies,
//! the pairs planned in the wrong order (OO201's data), and the walks over dependents that
//! rules and views share.

use std::collections::{HashMap, VecDeque};

use super::{ModId, OccId, PhaseId, PhaseSet, PlanGraph};

/// A planned module whose planned dependency goes live in a phase that does not precede it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateDependency {
    /// The planned module.
    pub from: OccId,
    /// The dependency's planned occurrence (the first one, in file order).
    pub to: OccId,
    /// `from`'s module, the modules in between, and `to`'s module.
    pub chain: Vec<ModId>,
}

impl PlanGraph<'_> {
    /// Nearest planned dependencies of every module the planned ones reach, by a post-order
    /// walk from the planned modules only: the cost follows the plan, not the catalog.
    pub(super) fn compute_nearest(&mut self) {
        let n = self.modules.len();
        let mut nearest: Vec<Vec<(ModId, ModId)>> = vec![Vec::new(); n];
        // 0: not seen, 1: on the stack, 2: done. A dependency still on the stack closes a
        // dependency cycle; it is skipped so the walk ends.
        let mut state = vec![0u8; n];
        let roots: Vec<ModId> = self.occurrences.iter().map(|o| o.module).collect();
        for root in roots {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(ModId, Vec<ModId>)> = vec![(root, self.depends(root))];
            state[root] = 1;
            while let Some((m, pending)) = stack.last_mut() {
                let m = *m;
                if let Some(d) = pending.pop() {
                    if state[d] == 0 && self.planned_in[d].is_empty() {
                        state[d] = 1;
                        let deps = self.depends(d);
                        stack.push((d, deps));
                    }
                    continue;
                }
                stack.pop();
                let mut acc: Vec<(ModId, ModId)> = Vec::new();
                for d in self.depends(m) {
                    if d == m {
                        continue;
                    }
                    if !self.planned_in[d].is_empty() {
                        acc.push((d, d));
                    } else if state[d] == 2 {
                        acc.extend(nearest[d].iter().map(|&(target, _)| (target, d)));
                    }
                }
                // Keep one route per target: the direct one if any, else the lowest id.
                acc.sort_unstable_by_key(|&(target, via)| (target, via != target, via));
                acc.dedup_by_key(|&mut (target, _)| target);
                acc.retain(|&(target, _)| target != m);
                nearest[m] = acc;
                state[m] = 2;
            }
        }
        self.nearest = nearest;
    }

    /// The dependency chain from `from` to the planned module `to` through unplanned ones.
    pub fn dependency_chain(&self, from: ModId, to: ModId) -> Vec<ModId> {
        let mut chain = vec![from];
        let mut current = from;
        while current != to && chain.len() <= self.modules.len() {
            let Some(&(_, via)) = self.nearest[current].iter().find(|(t, _)| *t == to) else {
                break;
            };
            chain.push(via);
            current = via;
        }
        chain
    }

    /// The nearest planned dependencies of a module.
    pub fn nearest_planned(&self, m: ModId) -> impl Iterator<Item = ModId> + '_ {
        self.nearest[m].iter().map(|&(t, _)| t)
    }

    pub(super) fn compute_late_dependencies(&mut self) {
        let mut late = Vec::new();
        // For each dependency, the first phases that plan it: a module planned in thousands of
        // phases is otherwise compared with each of them for each module that needs it.
        let mut first: HashMap<ModId, PhaseSet> = HashMap::new();
        // `account` is not installed unconfigured by a phase that plans accounting (a chart
        // package, an accounting app): that phase configures the books of its companies, as a
        // parallel track for a second company does.
        let account = self.modules.id("account");
        let mut configures: Vec<Option<bool>> = vec![None; self.plan.phases.len()];
        for (o, occ) in self.occurrences.iter().enumerate() {
            for &(dep, _) in &self.nearest[occ.module] {
                // Already in the database: no phase needs to come first.
                if self.preinstalled.contains(dep) {
                    continue;
                }
                // Nor by a phase whose companies all keep their books outside Odoo then: there
                // `account` is the invoicing engine, and the books come later by design.
                if Some(dep) == account
                    && *configures[occ.phase].get_or_insert_with(|| {
                        self.accounting_entry(occ.phase).is_some()
                            || (!self.plan.companies.is_empty()
                                && self.phase_companies[occ.phase]
                                    .iter()
                                    .all(|&c| self.books_outside(c, occ.phase)))
                    })
                {
                    continue;
                }
                let occs = &self.planned_in[dep];
                let phases = first.entry(dep).or_insert_with(|| {
                    let all: Vec<PhaseId> =
                        occs.iter().map(|&d| self.occurrences[d].phase).collect();
                    self.phase_set(&all)
                });
                let satisfied = self.reached_by(phases, occ.phase);
                if !satisfied {
                    late.push(LateDependency {
                        from: o,
                        to: occs[0],
                        chain: self.dependency_chain(occ.module, dep),
                    });
                }
            }
        }
        self.late_dependencies = late;
    }

    /// OO201's pairs for one planned occurrence.
    pub fn late_dependencies_of(&self, from: OccId) -> &[LateDependency] {
        let start = self.late_dependencies.partition_point(|l| l.from < from);
        let end = self.late_dependencies.partition_point(|l| l.from <= from);
        &self.late_dependencies[start..end]
    }

    /// The modules planned in any of `phases`.
    pub fn modules_planned_in(&self, phases: &[PhaseId]) -> std::collections::HashSet<ModId> {
        phases
            .iter()
            .flat_map(|&q| self.occurrences_in(q).map(|(_, o)| o.module))
            .collect()
    }

    /// Whether OO201 reports the planned occurrence `from` against a dependency planned in
    /// one of the phases whose modules are `planned` ([`PlanGraph::modules_planned_in`]).
    pub fn has_late_dependency_among(
        &self,
        from: OccId,
        planned: &std::collections::HashSet<ModId>,
    ) -> bool {
        self.late_dependencies_of(from)
            .iter()
            .any(|l| planned.contains(&self.occurrences[l.to].module))
    }

    /// For every module, the next module on a shortest dependency path to `target` (`None` when
    /// it does not depend on `target`, and for `target` itself). One breadth-first walk backwards
    /// from the target, lowest ids first, so chains are deterministic.
    pub fn shortest_toward(&self, target: ModId) -> Vec<Option<ModId>> {
        let mut toward: Vec<Option<ModId>> = vec![None; self.modules.len()];
        let mut seen = vec![false; self.modules.len()];
        seen[target] = true;
        let mut queue = VecDeque::from([target]);
        while let Some(x) = queue.pop_front() {
            for y in self.dependents(x) {
                if !seen[y] {
                    seen[y] = true;
                    toward[y] = Some(x);
                    queue.push_back(y);
                }
            }
        }
        toward
    }

    /// Every module that installs `target`: itself and everything that depends on it, directly
    /// or not.
    pub fn installers_of(&self, target: ModId) -> Vec<bool> {
        let mut brings = vec![false; self.modules.len()];
        brings[target] = true;
        for (m, next) in self.shortest_toward(target).into_iter().enumerate() {
            brings[m] |= next.is_some();
        }
        brings
    }
}
