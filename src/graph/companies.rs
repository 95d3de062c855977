//! The companies of a plan and the phases that cover each.

use std::collections::HashMap;
use std::sync::Arc;

use super::{CompanyId, Dangling, PhaseId, PlanGraph};
use crate::source::Span;

/// A company, declared or the implicit one of a plan that declares none.
#[derive(Debug, Clone)]
pub struct CompanyNode {
    /// Its id; `None` for the implicit company.
    pub id: Option<String>,
    /// ISO country code, upper case.
    pub country: Option<String>,
    /// Where it is declared.
    pub span: Option<Span>,
}

impl PlanGraph<'_> {
    pub(super) fn build_companies(&mut self) {
        let plan = self.plan;
        if plan.companies.is_empty() {
            self.companies.push(CompanyNode {
                id: None,
                country: None,
                span: None,
            });
        } else {
            self.companies = plan
                .companies
                .iter()
                .map(|c| CompanyNode {
                    id: Some(c.id.value.clone()),
                    country: c.country.as_ref().map(|c| c.value.clone()),
                    span: Some(c.id.span),
                })
                .collect();
        }
        // One list shared by every phase that names no companies: thousands of phases times
        // thousands of companies would otherwise be a list each.
        let all: Arc<[CompanyId]> = (0..self.companies.len()).collect();
        let mut by_id: HashMap<&str, CompanyId> = HashMap::new();
        for (c, company) in plan.companies.iter().enumerate() {
            by_id.entry(company.id.value.as_str()).or_insert(c);
        }
        for (q, phase) in plan.phases.iter().enumerate() {
            let covered = match &phase.companies {
                None => Arc::clone(&all),
                Some(list) => {
                    let mut covered = Vec::new();
                    for name in list {
                        match by_id.get(name.value.as_str()) {
                            Some(&c) => covered.push(c),
                            None => self.dangling.push(Dangling {
                                kind: "company",
                                name: name.value.clone(),
                                span: name.span,
                                phase: q,
                            }),
                        }
                    }
                    covered.sort_unstable();
                    covered.dedup();
                    covered.into()
                }
            };
            self.phase_companies.push(covered);
        }
    }

    /// Whether phase `p` covers company `c`.
    pub fn covers(&self, p: PhaseId, c: CompanyId) -> bool {
        self.phase_companies[p].binary_search(&c).is_ok()
    }

    /// The company's id for findings (`None` for the implicit company).
    pub fn company_id(&self, c: CompanyId) -> Option<&str> {
        self.companies[c].id.as_deref()
    }

    /// Whether company `c` keeps its books outside Odoo when phase `q` goes live
    /// (`accounting: external`, before `accounting_until` or without one; an undated phase is
    /// taken to be before the takeover).
    pub fn books_outside(&self, c: CompanyId, q: PhaseId) -> bool {
        self.plan.companies.get(c).is_some_and(|company| {
            company.books_outside_on(self.plan.phases[q].go_live.as_ref().map(|d| d.value))
        })
    }
}
