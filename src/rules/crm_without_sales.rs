//! OO303 crm-without-sales.

use crate::finding::Finding;
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::util::{company_phrase, occ_module, occ_phase};

declare_rule! {
    /// ## What it does
    /// Reports a company for which CRM is planned but no sales module ever is: no `sale`, nor
    /// any planned module that brings `sale` with it (`sale_management`, `website_sale`, ...).
    ///
    /// ## Why is this bad?
    /// CRM is the top of the sales funnel; its opportunities end in quotations. Without sales
    /// the funnel stops at the lead, revenue is tracked outside Odoo, and CRM was started at
    /// the wrong end of the rollout.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: leads
    ///     modules: [crm]     # OO303: no sales module for this company
    /// ```
    ///
    /// ## How to fix
    /// Plan `sale_management` for the company before CRM. If the company only tracks leads in
    /// Odoo on purpose, waive the finding with that reason.
    pub static RULE = {
        code: "OO303",
        name: "crm-without-sales",
        severity: Warning,
        summary: "CRM planned for a company that never gets a sales module",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let Some(sale) = g.module_id("sale") else {
        return;
    };
    // Everything that installs `sale`: one walk backwards over the dependency edges.
    let brings_sale = g.installers_of(sale);
    // Per company, from the phases: a phase that names no companies covers them all, and the
    // lists that phases name are as long as the plan is. One pass over the occurrences, not
    // one per company (many companies times many modules was quadratic).
    let n = g.companies.len();
    let mut has_sales = vec![false; n];
    let mut first_crm: Vec<Option<usize>> = vec![None; n];
    let (mut sales_for_all, mut crm_for_all) = (false, None);
    for (o, occ) in g.occurrences.iter().enumerate() {
        let sells = brings_sale[occ.module];
        let crm = g.modules[occ.module].layer == Some(Layer::Crm);
        if !sells && !crm {
            continue;
        }
        if g.plan.phases[occ.phase].companies.is_none() {
            sales_for_all |= sells;
            if crm && crm_for_all.is_none() {
                crm_for_all = Some(o);
            }
            continue;
        }
        for &c in g.phase_companies[occ.phase].iter() {
            has_sales[c] |= sells;
            if crm && first_crm[c].is_none() {
                first_crm[c] = Some(o);
            }
        }
    }
    for c in 0..n {
        if sales_for_all || has_sales[c] {
            continue;
        }
        let first = match (first_crm[c], crm_for_all) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let Some(o) = first else {
            continue;
        };
        let whom = company_phrase(g, c);
        let module = occ_module(g, o);
        out.push(
            Finding::new(&RULE, g.occurrences[o].span, format!("`{module}` is planned for {whom}, which never gets a sales module"))
                .label("CRM without sales")
                .help(format!("plan `sale_management` for {whom} before CRM, or waive this if only leads are tracked in Odoo"))
                .module(module)
                .phase(occ_phase(g, o))
                .company(g.company_id(c)),
        );
    }
}
