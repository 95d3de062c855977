//! OO102 duplicate-module.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::util::{company_phrase, phase_id};

declare_rule! {
    /// ## What it does
    /// Reports a module planned a second time for a company that an earlier entry already
    /// covers, in the same phase or in another one.
    ///
    /// ## Why is this bad?
    /// A module goes live once per company. Two entries say two different things about when
    /// that happens; the later one is at best dead text, at worst the date the team believes.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: operations
    ///     modules: [stock, account]   # OO102: `account` is already planned in `finance`
    /// ```
    ///
    /// ## How to fix
    /// Keep the entry in the phase where the module really goes live and delete the other. To
    /// roll a module out to another company later, restrict each phase with `companies:`.
    pub static RULE = {
        code: "OO102",
        name: "duplicate-module",
        severity: Error,
        summary: "a module planned twice for the same company",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for occs in &g.planned_in {
        let mut seen = Seen::default();
        for (k, &later) in occs.iter().enumerate() {
            let l = g.occurrences[later];
            let earlier = seen.first_sharing(g, l.phase).map(|e| {
                let e_occ = g.occurrences[occs[e]];
                // The first company of the later phase that the earlier one covers.
                let shared = if g.plan.phases[l.phase].companies.is_none() {
                    g.phase_companies[e_occ.phase].first().copied()
                } else {
                    g.phase_companies[l.phase]
                        .iter()
                        .copied()
                        .find(|&c| g.covers(e_occ.phase, c))
                };
                (e_occ, shared.unwrap_or_default())
            });
            seen.add(g, l.phase, k);
            let Some((first, company)) = earlier else {
                continue;
            };
            let name = g.name(l.module);
            let (p_first, p_later) = (phase_id(g, first.phase), phase_id(g, l.phase));
            let whom = if g.plan.companies.is_empty() {
                String::new()
            } else {
                format!(" for {}", company_phrase(g, company))
            };
            let message = if first.phase == l.phase {
                format!("`{name}` is listed twice in phase `{p_later}`{whom}")
            } else {
                format!("`{name}` is planned twice{whom}: in `{p_first}` and again in `{p_later}`")
            };
            out.push(
                Finding::new(&RULE, l.span, message)
                    .label("planned again here")
                    .help(format!(
                        "remove this entry, or restrict the phases with `companies:` so that each company gets `{name}` once"
                    ))
                    .module(name)
                    .phase(p_later)
                    .company(g.company_id(company))
                    .related(first.span, format!("first planned in `{p_first}`"), Some(name), Some(p_first)),
            );
        }
    }
}

/// The earlier occurrences of one module, by the companies they cover: which is the first to
/// share a company with a later one is found from the later one's own list, not by comparing
/// it with every earlier occurrence (a module planned in thousands of phases for different
/// companies was quadratic). Phases that name no companies cover them all and are not listed
/// company by company.
#[derive(Default)]
struct Seen {
    /// The first occurrence covering any company.
    any: Option<usize>,
    /// The first occurrence of a phase that names no companies (so covers them all).
    all: Option<usize>,
    /// For each company named in a phase's `companies`, the first occurrence covering it.
    named: std::collections::HashMap<usize, usize>,
}

impl Seen {
    fn first_sharing(&self, g: &crate::graph::PlanGraph<'_>, q: usize) -> Option<usize> {
        if g.plan.phases[q].companies.is_none() {
            return if g.phase_companies[q].is_empty() {
                None
            } else {
                self.any
            };
        }
        g.phase_companies[q]
            .iter()
            .filter_map(|c| self.named.get(c).copied().into_iter().chain(self.all).min())
            .min()
    }

    fn add(&mut self, g: &crate::graph::PlanGraph<'_>, q: usize, k: usize) {
        let companies = &g.phase_companies[q];
        if companies.is_empty() {
            return;
        }
        self.any.get_or_insert(k);
        if g.plan.phases[q].companies.is_none() {
            self.all.get_or_insert(k);
        } else {
            for &c in companies.iter() {
                self.named.entry(c).or_insert(k);
            }
        }
    }
}
