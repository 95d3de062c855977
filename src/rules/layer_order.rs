//! OO302 layer-order.

use crate::finding::Finding;
use crate::graph::{CompanyId, OccId, PhaseId, PhaseSet, PlanGraph};
use crate::ruledata::Layer;
use crate::rules::Context;
use std::collections::HashMap;

use crate::rules::util::{
    Classes, Need, bridge_installers, companies_phrase, need, occ_module, occ_phase, phase_id,
};

declare_rule! {
    /// ## What it does
    /// For each company, checks the order of the layers: operations (inventory,
    /// manufacturing, projects), then purchase and sales, then CRM. Reports a module of a later
    /// layer that goes live in a phase that no phase of an earlier layer (for the same company)
    /// is or precedes. A layer the company never plans imposes nothing. A module that neither
    /// posts journal entries nor installs accounting, stock, sales, purchase or point of sale
    /// (`maintenance`, `project` alone, CRM) before the company's accounting phase is reported
    /// here too; the rest is OO301's. Findings that OO301 or OO201 already make are not
    /// repeated.
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
        summary: "for a company, operations → purchase/sales → CRM inverted, or a module that touches no books before accounting",
        check: check,
    }
}

const ORDERED: [Layer; 3] = [Layer::Operations, Layer::Commercial, Layer::Crm];

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let by_layer: Vec<Vec<std::sync::Arc<[PhaseId]>>> = ORDERED
        .iter()
        .map(|&l| g.layer_phases_by_company(l))
        .collect();
    // Companies with the same accounting and layer phases get the same answer for every
    // module: it is worked out once per such class and module, not once per company.
    let accounting = Classes::new(g);
    // Companies with the same phases share one list, so addresses name the class.
    let mut index: HashMap<(usize, [*const [PhaseId]; 3]), usize> = HashMap::new();
    let mut classes: Vec<(usize, [&[PhaseId]; 3])> = Vec::new();
    // For each class and earlier layer: its phases as a set, its first phase, and the modules
    // planned in it (worked out when first needed).
    let mut firsts: Vec<[Earlier; 3]> = Vec::new();
    let class_of: Vec<usize> = (0..g.companies.len())
        .map(|c| {
            let key = (accounting.of[c], [0, 1, 2].map(|r| &by_layer[r][c][..]));
            let address = (key.0, key.1.map(std::ptr::from_ref));
            *index.entry(address).or_insert_with(|| {
                classes.push(key);
                firsts.push(key.1.map(|phases| {
                    Earlier {
                        set: g.phase_set(phases),
                        first: g
                            .earliest(phases)
                            .next()
                            .or_else(|| phases.first().copied()),
                        planned: None,
                    }
                }));
                classes.len() - 1
            })
        })
        .collect();
    let mut memo: Vec<(OccId, Option<(Layer, PhaseId)>)> = vec![(usize::MAX, None); classes.len()];
    let bridges = bridge_installers(g);
    for (o, occ) in g.occurrences.iter().enumerate() {
        let Some(layer) = g.modules[occ.module].layer else {
            continue;
        };
        let Some(rank) = ORDERED.iter().position(|&l| l == layer) else {
            continue;
        };
        // Touching no books, it may go live before accounting: practice, reported here.
        let practice = matches!(need(g, o, &bridges), Some(Need::Practice));
        // Companies grouped by the earlier layer's first phase they are inverted against.
        let mut groups: Vec<((Layer, PhaseId), Vec<CompanyId>)> = Vec::new();
        let mut group_of: HashMap<(Layer, PhaseId), usize> = HashMap::new();
        for &c in g.phase_companies[occ.phase].iter() {
            let k = class_of[c];
            if memo[k].0 != o {
                let (acc, phases_of) = classes[k];
                memo[k] = (
                    o,
                    inverted(
                        g,
                        &accounting,
                        acc,
                        &phases_of[..rank],
                        &mut firsts[k],
                        o,
                        practice,
                    ),
                );
            }
            let Some(key) = memo[k].1 else { continue };
            // Before accounting while the books are kept outside Odoo is not an inversion.
            if key.0 == Layer::Accounting && g.books_outside(c, occ.phase) {
                continue;
            }
            let i = *group_of.entry(key).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(c);
        }
        for ((earlier, first), cs) in groups {
            out.push(inverted_finding(g, o, layer, earlier, first, &cs));
        }
    }
}

/// The earlier layer (and its first phase) that occurrence `o` goes live before, for the
/// companies of accounting class `acc` whose earlier layers go live in `earlier_layers`.
/// Before accounting, a module that touches the books is OO301's; one that does not
/// (`practice`) is reported here.
fn inverted(
    g: &PlanGraph<'_>,
    accounting: &Classes<'_>,
    acc: usize,
    earlier_layers: &[&[PhaseId]],
    firsts: &mut [Earlier],
    o: OccId,
    practice: bool,
) -> Option<(Layer, PhaseId)> {
    if accounting.before_accounting(g, acc, o) {
        if !practice || !g.late_dependencies_of(o).is_empty() {
            return None;
        }
        return Some((Layer::Accounting, accounting.first[acc]?));
    }
    let q = g.occurrences[o].phase;
    let late = !g.late_dependencies_of(o).is_empty();
    let r = earlier_layers
        .iter()
        .zip(firsts.iter_mut())
        .position(|(earlier, e)| {
            !earlier.is_empty()
                && !g.reached_by(&e.set, q)
                && !same_day(g, e.first, q)
                && (!late
                    || !g.has_late_dependency_among(
                        o,
                        e.planned
                            .get_or_insert_with(|| g.modules_planned_in(earlier)),
                    ))
        })?;
    Some((ORDERED[r], firsts[r].first?))
}

/// Whether two phases go live on the same date: parallel tracks that start together invert
/// nothing.
fn same_day(g: &PlanGraph<'_>, p: Option<PhaseId>, q: PhaseId) -> bool {
    let date = |x: PhaseId| g.plan.phases[x].go_live.as_ref().map(|d| d.value);
    p.is_some_and(|p| date(p).is_some() && date(p) == date(q))
}

/// An earlier layer's phases for a class of companies.
struct Earlier {
    /// The phases, ready for `PlanGraph::reached_by`.
    set: PhaseSet,
    /// The first of them.
    first: Option<PhaseId>,
    /// The modules planned in them, once needed.
    planned: Option<std::collections::HashSet<crate::graph::ModId>>,
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
    let help = if earlier_layer == Layer::Accounting {
        format!(
            "`{module}` posts no journal entry and installs no accounting, so this is practice rather than data integrity: move it to `{earlier_phase}` or a later phase, or waive it with the reason"
        )
    } else {
        format!(
            "move `{module}` to `{earlier_phase}` or a later phase; if this order is deliberate, waive it with the reason"
        )
    };
    let mut finding = Finding::new(
        &RULE,
        g.occurrences[o].span,
        format!("`{module}` ({layer}) goes live for {whom} in phase `{phase}`, before the {earlier_layer} layer (phase `{earlier_phase}`)"),
    )
    .label(format!("{layer} before {earlier_layer}"))
    .help(help)
    .module(module)
    .phase(phase)
    .companies(cs.iter().map(|&c| g.company_id(c)));
    let entry = if earlier_layer == Layer::Accounting {
        g.accounting_entry(first)
    } else {
        g.layer_entry(first, earlier_layer)
    };
    if let Some(e) = entry {
        finding = finding.related(
            e.span,
            format!("the {earlier_layer} layer goes live here, in `{earlier_phase}`"),
            Some(g.name(e.module)),
            Some(earlier_phase),
        );
    }
    finding
}
