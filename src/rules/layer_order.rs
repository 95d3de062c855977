//! OO302 layer-order.

use crate::finding::Finding;
use crate::graph::{CompanyId, OccId, PhaseId, PlanGraph};
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::accounting_not_first::before_accounting;
use crate::rules::util::{companies_phrase, occ_module, occ_phase, phase_id};

declare_rule! {
    /// ## What it does
    /// For each company, checks the order of the layers after accounting: operations
    /// (inventory, manufacturing, projects), then purchase and sales, then CRM. Reports a
    /// module of a later layer that goes live in a phase that no phase of an earlier layer
    /// (for the same company) is or precedes. A layer the company never plans imposes nothing.
    /// Findings that OO301 or OO201 already make are not repeated.
    ///
    /// ## Why is this bad?
    /// It is consultancy practice rather than an Odoo constraint, hence a warning: each layer
    /// builds on the data of the one before. Sales quote products whose stock and routes
    /// operations defined; CRM feeds opportunities into a sales process that must already
    /// exist. Inverting them means configuring twice or migrating data between phases.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: leads
    ///     modules: [crm]               # OO302: before the sales layer
    ///   - id: sales
    ///     modules: [sale_management]
    /// ```
    ///
    /// ## How to fix
    /// Move the module to the phase of the earlier layer or a later one. If the order is
    /// deliberate (the sales team already works in a CRM), waive it with the reason.
    pub static RULE = {
        code: "OO302",
        name: "layer-order",
        severity: Warning,
        summary: "for a company, operations → purchase/sales → CRM inverted",
        check: check,
    }
}

const ORDERED: [Layer; 3] = [Layer::Operations, Layer::Commercial, Layer::Crm];

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let phases_of: Vec<Vec<Vec<PhaseId>>> = (0..g.companies.len())
        .map(|c| ORDERED.iter().map(|&l| g.layer_phases(c, l)).collect())
        .collect();
    for (o, occ) in g.occurrences.iter().enumerate() {
        let Some(layer) = g.modules[occ.module].layer else {
            continue;
        };
        let Some(rank) = ORDERED.iter().position(|&l| l == layer) else {
            continue;
        };
        // Companies grouped by the earlier layer's first phase they are inverted against.
        let mut groups: Vec<((usize, PhaseId), Vec<CompanyId>)> = Vec::new();
        for &c in &g.phase_companies[occ.phase] {
            if before_accounting(g, c, o) {
                continue;
            }
            let inverted = (0..rank).find(|&r| {
                let earlier = &phases_of[c][r];
                !earlier.is_empty()
                    && !earlier.iter().any(|&s| g.is_or_precedes(s, occ.phase))
                    && !earlier.iter().any(|&s| g.has_late_dependency_into(o, s))
            });
            let Some(r) = inverted else { continue };
            let earlier = &phases_of[c][r];
            let first = g.earliest(earlier).next().unwrap_or(earlier[0]);
            match groups.iter_mut().find(|(key, _)| *key == (r, first)) {
                Some((_, cs)) => cs.push(c),
                None => groups.push(((r, first), vec![c])),
            }
        }
        for ((r, first), cs) in groups {
            out.push(inverted_finding(g, o, layer, ORDERED[r], first, &cs));
        }
    }
}

fn inverted_finding(
    g: &PlanGraph<'_>,
    o: OccId,
    layer: Layer,
    earlier_layer: Layer,
    first: PhaseId,
    cs: &[CompanyId],
) -> Finding {
    let (module, phase) = (occ_module(g, o), occ_phase(g, o));
    let earlier_phase = phase_id(g, first);
    let whom = companies_phrase(g, cs);
    let mut finding = Finding::new(
        &RULE,
        g.occurrences[o].span,
        format!("`{module}` ({layer}) goes live for {whom} in phase `{phase}`, before the {earlier_layer} layer (phase `{earlier_phase}`)"),
    )
    .label(format!("{layer} before {earlier_layer}"))
    .help(format!("move `{module}` to `{earlier_phase}` or a later phase; if this order is deliberate, waive it with the reason"))
    .module(module)
    .phase(phase)
    .companies(cs.iter().map(|&c| g.company_id(c)));
    if let Some(e) = g.layer_entry(first, earlier_layer) {
        finding = finding.related(
            e.span,
            format!("the {earlier_layer} layer goes live here, in `{earlier_phase}`"),
            Some(g.name(e.module)),
            Some(earlier_phase),
        );
    }
    finding
}
