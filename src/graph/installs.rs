//! What each phase installs: the closure under `depends` and `auto_install` of what is
//! planned up to it, starting from what `installed` holds before the first phase, with why
//! each module is there.

use std::collections::HashMap;
use std::sync::Arc;

use fixedbitset::FixedBitSet;

use super::{CompanyId, ModId, OccId, Occurrence, PhaseId, PlanGraph};
use crate::ruledata::Layer;

/// Why a module is installed in a phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Listed in the phase (or in a phase of the same cycle).
    Planned(OccId),
    /// Installed because `by` depends on it.
    PulledIn {
        /// The module that depends on it.
        by: ModId,
    },
    /// Installed itself once these were all present.
    AutoInstalled {
        /// Its triggers.
        triggers: Vec<ModId>,
    },
}

/// What a phase adds to the database.
#[derive(Debug, Clone, Default)]
pub struct PhaseInstalls {
    /// Everything installed once the phase is live.
    pub installed: FixedBitSet,
    /// What this phase adds, in the order it is added, with the reason.
    pub added: Vec<(ModId, Reason)>,
}

impl PlanGraph<'_> {
    /// The database as `installed` leaves it: each listed module with its dependencies, then
    /// the bridges whose triggers are all there (for every company: the database is live for
    /// all of them).
    pub(super) fn compute_preinstalled(&mut self) {
        let listed: Vec<ModId> = self
            .plan
            .installed
            .modules
            .iter()
            .map(|m| self.modules.intern(&m.value))
            .collect();
        self.planned_in.resize(self.modules.len(), Vec::new());
        let n = self.modules.len();
        let mut set = FixedBitSet::with_capacity(n);
        let mut by: HashMap<ModId, usize> = HashMap::new();
        for (i, &m) in listed.iter().enumerate() {
            let mut queue = vec![m];
            while let Some(x) = queue.pop() {
                if set.put(x) {
                    continue;
                }
                by.entry(x).or_insert(i);
                queue.extend(self.depends(x));
            }
        }
        if listed.is_empty() {
            self.preinstalled = set;
            self.accounting_preinstalled = vec![false; self.companies.len()];
            return;
        }
        let mut everyone = FixedBitSet::with_capacity(self.companies.len());
        everyone.insert_range(..);
        let shared = Arc::clone(&self.modules.shared);
        loop {
            let mut landed = false;
            for &a in shared.auto_modules() {
                if set.contains(a) {
                    continue;
                }
                if let Some(triggers) = self.ready_triggers(a, &set, Some(&everyone)) {
                    let i = triggers
                        .iter()
                        .filter_map(|t| by.get(t))
                        .max()
                        .copied()
                        .unwrap_or_default();
                    let mut queue = vec![a];
                    while let Some(x) = queue.pop() {
                        if set.put(x) {
                            continue;
                        }
                        by.entry(x).or_insert(i);
                        queue.extend(self.depends(x));
                    }
                    landed = true;
                }
            }
            if !landed {
                break;
            }
        }
        let account = self.modules.id("account").filter(|&a| set.contains(a));
        // Any chart package, for a company whose country's is unknown.
        let some_chart = set.ones().any(|m| {
            self.modules[m].layer == Some(Layer::Accounting)
                && crate::catalog::localization_country(&self.modules[m].name).is_some()
        });
        self.accounting_preinstalled = self
            .companies
            .iter()
            .map(|c| {
                account.is_some()
                    && match c.country.as_deref() {
                        // In 17.0 the United States' chart ships in `account` itself.
                        Some(k)
                            if k.eq_ignore_ascii_case("US")
                                && !self.catalog().country_bound_auto_install() =>
                        {
                            true
                        }
                        Some(k) => self
                            .catalog()
                            .localization_for(k)
                            .and_then(|l| self.modules.id(&l.name))
                            .map_or(some_chart, |l| set.contains(l)),
                        None => some_chart,
                    }
            })
            .collect();
        self.preinstalled = set;
        self.preinstalled_by = by;
    }

    /// Whether module `m` is in the database before the first phase.
    pub fn is_preinstalled(&self, m: ModId) -> bool {
        self.preinstalled.contains(m)
    }

    /// The entry of `installed` that brings `m` into the database, when one does.
    pub fn preinstalled_by(&self, m: ModId) -> Option<usize> {
        self.preinstalled_by.get(&m).copied()
    }

    #[allow(clippy::too_many_lines)] // one walk in go-live order; its steps share its state
    pub(super) fn compute_installs(&mut self) {
        let n = self.modules.len();
        let shared = Arc::clone(&self.modules.shared);
        let mut installs = vec![PhaseInstalls::default(); self.plan.phases.len()];
        let order = std::mem::take(&mut self.phase_order);
        // Where auto-install is bound to countries, the companies live by each component (in
        // go-live order), so that a bridge's countries are checked without a walk back over
        // every earlier phase.
        let countries = self.catalog().country_bound_auto_install()
            && self.companies.iter().any(|c| c.country.is_some());
        let mut live: Vec<FixedBitSet> = Vec::new();
        for comp in &order {
            if countries {
                let mut companies = FixedBitSet::with_capacity(self.companies.len());
                for &q in comp {
                    for p in self.ancestors_direct(q) {
                        let k = self.precedence.component[p];
                        if k < live.len() {
                            companies.union_with(&live[k]);
                        }
                    }
                    for &c in self.phase_companies[q].iter() {
                        companies.insert(c);
                    }
                }
                live.push(companies);
            }
            let mut set = self.preinstalled.clone();
            set.grow(n);
            let mut preds = 0;
            for &q in comp {
                for p in self.ancestors_direct(q) {
                    if !comp.contains(&p) {
                        set.union_with(&installs[p].installed);
                        preds += 1;
                    }
                }
            }
            let mut added = Vec::new();
            let mut queue: Vec<ModId> = Vec::new();
            for &q in comp {
                for module in &self.plan.phases[q].modules {
                    let Some(m) = self.modules.id(&module.value) else {
                        continue;
                    };
                    if !set.put(m) {
                        let occ = self.planned_in[m]
                            .iter()
                            .copied()
                            .find(|&o| self.occurrences[o].phase == q)
                            .unwrap_or_default();
                        added.push((m, Reason::Planned(occ)));
                        queue.push(m);
                    }
                }
            }
            // Merging several branches can complete a bridge's triggers without adding
            // anything new, so every bridge is a candidate then.
            let mut candidates: Vec<ModId> = if preds > 1 {
                shared.auto_modules().to_vec()
            } else {
                Vec::new()
            };
            loop {
                while let Some(m) = queue.pop() {
                    candidates.extend(shared.triggered_by(m).iter().copied());
                    for d in self.depends(m) {
                        if !set.put(d) {
                            added.push((d, Reason::PulledIn { by: m }));
                            queue.push(d);
                        }
                    }
                }
                candidates.sort_unstable();
                candidates.dedup();
                let mut landed = false;
                for a in std::mem::take(&mut candidates) {
                    if set.contains(a) {
                        continue;
                    }
                    if let Some(triggers) = self.ready_triggers(a, &set, live.last()) {
                        set.insert(a);
                        added.push((a, Reason::AutoInstalled { triggers }));
                        queue.push(a);
                        landed = true;
                    }
                }
                if !landed && queue.is_empty() {
                    break;
                }
            }
            // Phases on a cycle share one installed set; what it adds is told once, at the
            // first of them, so nothing is reported once per phase of the cycle.
            for (k, &q) in comp.iter().enumerate() {
                installs[q] = PhaseInstalls {
                    installed: set.clone(),
                    added: if k == 0 {
                        std::mem::take(&mut added)
                    } else {
                        Vec::new()
                    },
                };
            }
        }
        self.phase_order = order;
        let mut index: Vec<(PhaseId, ModId, usize)> = installs
            .iter()
            .enumerate()
            .flat_map(|(q, i)| {
                i.added
                    .iter()
                    .enumerate()
                    .map(move |(k, (m, _))| (q, *m, k))
            })
            .collect();
        index.sort_unstable();
        self.added_index = index;
        self.installs = installs;
    }

    /// The triggers of auto-install module `a` if they are all in `set` (and, where the series
    /// binds auto-install to countries, a company of one of its countries is live by then).
    fn ready_triggers(
        &self,
        a: ModId,
        set: &FixedBitSet,
        live: Option<&FixedBitSet>,
    ) -> Option<Vec<ModId>> {
        let facts = self.modules[a].facts.as_ref()?;
        let mut ids = Vec::new();
        for t in facts.triggers()? {
            let t = self.modules.id(t)?;
            if !set.contains(t) {
                return None;
            }
            ids.push(t);
        }
        if self.catalog().country_bound_auto_install() && !facts.countries.is_empty() {
            let live = |c: CompanyId| live.is_some_and(|l| l.contains(c));
            let in_country = self.companies.iter().enumerate().any(|(c, node)| {
                node.country
                    .as_ref()
                    .is_some_and(|k| facts.countries.iter().any(|f| f.eq_ignore_ascii_case(k)))
                    && live(c)
            });
            if !in_country {
                return None;
            }
        }
        Some(ids)
    }

    /// Why module `m` is in phase `q`'s installed set, if `q` is where it is first installed.
    pub fn reason(&self, q: PhaseId, m: ModId) -> Option<&Reason> {
        let at = self
            .added_index
            .partition_point(|&(p, x, _)| (p, x) < (q, m));
        let &(_, _, k) = self.added_index.get(at).filter(|e| (e.0, e.1) == (q, m))?;
        self.installs[q].added.get(k).map(|(_, r)| r)
    }

    /// The chain from a planned or auto-installed module down to `m`, as `q` installs it.
    pub fn install_chain(&self, q: PhaseId, m: ModId) -> Vec<ModId> {
        let mut chain = vec![m];
        let mut current = m;
        while let Some(Reason::PulledIn { by }) = self.reason(q, current) {
            if chain.contains(by) {
                break;
            }
            chain.push(*by);
            current = *by;
        }
        chain.reverse();
        chain
    }

    /// The planned entry of phase `q` that brings `m` in: `m` itself, or the planned module at
    /// the head of the chain that pulls it in; failing both, the phase's first entry.
    pub fn anchor(&self, q: PhaseId, m: ModId) -> Option<&Occurrence> {
        let head = self.install_chain(q, m)[0];
        self.planned_in[head]
            .iter()
            .map(|&o| &self.occurrences[o])
            .find(|o| o.phase == q)
            .or_else(|| self.occurrences_in(q).next().map(|(_, o)| o))
    }

    /// Every module the plan installs, with the first phase (in file order) that adds it and
    /// why; each module once.
    pub fn first_installs(&self) -> Vec<(PhaseId, ModId, &Reason)> {
        let mut seen = FixedBitSet::with_capacity(self.modules.len());
        let mut out = Vec::new();
        for (q, installs) in self.installs.iter().enumerate() {
            for (m, reason) in &installs.added {
                if !seen.put(*m) {
                    out.push((q, *m, reason));
                }
            }
        }
        out
    }

    /// The first phases (in go-live order) whose installed set holds `m`: where it lands.
    pub fn landing_phases(&self, m: ModId) -> Vec<PhaseId> {
        // Installed sets only grow along `after`, so a phase before `q` holds `m` exactly when
        // a phase right before it does.
        let mut out: Vec<PhaseId> = (0..self.plan.phases.len())
            .filter(|&q| self.installs[q].installed.contains(m))
            .filter(|&q| {
                !self
                    .ancestors_direct(q)
                    .any(|p| self.installs[p].installed.contains(m))
            })
            .collect();
        out.dedup();
        out
    }
}
