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
        for (k, &later) in occs.iter().enumerate() {
            let l = g.occurrences[later];
            let earlier = occs[..k].iter().find_map(|&e| {
                let e_occ = g.occurrences[e];
                let shared = g.phase_companies[l.phase]
                    .iter()
                    .copied()
                    .find(|c| g.covers(e_occ.phase, *c))?;
                Some((e_occ, shared))
            });
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
