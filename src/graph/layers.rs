//! Where each layer of the implementation (accounting first) goes live, per company.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Occurrence, PhaseId, PlanGraph};
use crate::ruledata::Layer;

impl PlanGraph<'_> {
    pub(super) fn compute_accounting_phases(&mut self) {
        let mut phases = self.layer_phases_by_company(Layer::Accounting);
        // While a company's books are kept outside Odoo, an accounting module (`account` as
        // the invoicing engine, `account_peppol` to send invoices) does not take them over.
        for (c, list) in phases.iter_mut().enumerate() {
            if list.iter().any(|&q| self.books_outside(c, q)) {
                let kept: Vec<PhaseId> = list
                    .iter()
                    .copied()
                    .filter(|&q| !self.books_outside(c, q))
                    .collect();
                *list = kept.into();
            }
        }
        self.accounting_phases = phases;
    }

    /// For every company, the phases covering it where a planned module has layer `layer` (for
    /// accounting, where [`PlanGraph::accounting_entry`] finds one), in one pass over the
    /// phases (one pass per company made many companies times many phases). Companies with the same phases
    /// share one list: phases that name no companies are everyone's, so thousands of them for
    /// thousands of companies are one list, not a copy each.
    pub fn layer_phases_by_company(&self, layer: Layer) -> Vec<Arc<[PhaseId]>> {
        let mut everyone: Vec<PhaseId> = Vec::new();
        let mut named: Vec<Vec<PhaseId>> = vec![Vec::new(); self.companies.len()];
        for (q, phase) in self.plan.phases.iter().enumerate() {
            let entry = if layer == Layer::Accounting {
                self.accounting_entry(q)
            } else {
                self.layer_entry(q, layer)
            };
            if entry.is_none() {
                continue;
            }
            if phase.companies.is_none() {
                everyone.push(q);
            } else {
                for &c in self.phase_companies[q].iter() {
                    named[c].push(q);
                }
            }
        }
        let mut shared: HashMap<Vec<PhaseId>, Arc<[PhaseId]>> = HashMap::new();
        named
            .into_iter()
            .map(|own| {
                let list = shared.entry(own).or_insert_with_key(|own| {
                    let mut all = everyone.clone();
                    all.extend_from_slice(own);
                    all.sort_unstable();
                    all.dedup();
                    all.into()
                });
                Arc::clone(list)
            })
            .collect()
    }

    /// The first accounting-layer entry of phase `q` when the phase also installs `account`:
    /// accounting goes live for the phase's companies there. (An Enterprise module whose
    /// dependencies are unknown is taken at its layer's word.)
    pub fn accounting_entry(&self, q: PhaseId) -> Option<&Occurrence> {
        let account = self.modules.id("account");
        let installed = account.is_some_and(|a| self.installs[q].installed.contains(a));
        self.occurrences_in(q).map(|(_, o)| o).find(|o| {
            self.modules[o.module].layer == Some(Layer::Accounting)
                && (installed || self.is_assumed(o.module))
        })
    }

    /// The first entry of phase `q` whose module has layer `layer`.
    pub fn layer_entry(&self, q: PhaseId, layer: Layer) -> Option<&Occurrence> {
        self.occurrences_in(q)
            .map(|(_, o)| o)
            .find(|o| self.modules[o.module].layer == Some(layer))
    }
}
