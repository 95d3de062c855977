//! OO301 accounting-not-first.

use crate::finding::Finding;
use std::cell::RefCell;
use std::collections::HashSet;

use crate::graph::{CompanyId, ModId, OccId, PhaseId, PhaseSet, PlanGraph};
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::util::{companies_phrase, occ_module, occ_phase, phase_id, short_list};

declare_rule! {
    /// ## What it does
    /// For each company, reports a module of a later layer (operations, purchase and sales,
    /// CRM) or a module that posts journal entries, when it goes live in a phase that is
    /// neither the company's accounting phase nor after it. A company for which accounting is
    /// never planned gets one finding. Going live with everything in one phase (a big bang) is
    /// allowed. Pairs that OO201 already reports are not reported again.
    ///
    /// ## Why is this bad?
    /// Odoo writes journal entries on its own: stock moves under automated valuation, vendor
    /// bills, customer invoices, point-of-sale sessions, expenses. Before accounting is
    /// configured for the company (chart of accounts, taxes, journals, localization) those
    /// entries land on missing or wrong accounts, and the localization and currency can no
    /// longer be changed once entries exist. Accounting goes first.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: warehouse
    ///     modules: [stock]      # OO301: before accounting
    ///   - id: finance
    ///     modules: [account, l10n_fr]
    /// ```
    ///
    /// ## How to fix
    /// Move accounting (`account` and the localization) into the first phase that covers the
    /// company, or move the module to the accounting phase or a later one.
    pub static RULE = {
        code: "OO301",
        name: "accounting-not-first",
        severity: Error,
        summary: "for a company, a later-layer module goes live in a phase that is neither accounting's phase nor after it (or accounting is never planned)",
        check: check,
    }
}

/// Whether a planned module needs the company's accounting before it goes live.
pub(crate) fn needs_accounting(g: &PlanGraph<'_>, o: OccId) -> bool {
    let node = &g.modules[g.occurrences[o].module];
    match node.layer {
        Some(Layer::Accounting) => false,
        Some(_) => true,
        None => node.posts_entries.is_some(),
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let without: Vec<CompanyId> = (0..g.companies.len())
        .filter(|&c| g.accounting_phases[c].is_empty())
        .collect();
    if !without.is_empty() {
        never_planned(g, &without, out);
    }
    // Companies with the same accounting phases get the same answer for every module, so it
    // is worked out once per such class and module, not once per company (many companies
    // times many modules was quadratic).
    let classes = Classes::new(g);
    let mut memo: Vec<(OccId, Option<PhaseId>)> = vec![(usize::MAX, None); classes.first.len()];
    for (o, occ) in g.occurrences.iter().enumerate() {
        if !needs_accounting(g, o) {
            continue;
        }
        // The companies this go-live is too early for, grouped by the accounting phase they
        // wait for, so one module in one phase gives one finding however many companies.
        let mut groups: Vec<(PhaseId, Vec<CompanyId>)> = Vec::new();
        let mut group_of: std::collections::HashMap<PhaseId, usize> =
            std::collections::HashMap::new();
        for &c in g.phase_companies[occ.phase].iter() {
            let k = classes.of[c];
            if memo[k].0 != o {
                memo[k] = (o, classes.too_early(g, k, o));
            }
            let Some(first) = memo[k].1 else { continue };
            let i = *group_of.entry(first).or_insert_with(|| {
                groups.push((first, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(c);
        }
        for (first_acc, cs) in groups {
            out.push(too_early(g, o, first_acc, &cs));
        }
    }
}

/// Companies grouped by their accounting phases.
pub(crate) struct Classes<'g> {
    /// Each company's class.
    pub of: Vec<usize>,
    /// Each class's accounting phases (sorted).
    pub phases: Vec<&'g [PhaseId]>,
    /// Each class's accounting phases, ready for [`PlanGraph::reached_by`].
    pub sets: Vec<PhaseSet>,
    /// For each class, the modules planned in its accounting phases, worked out when first
    /// needed.
    planned: RefCell<Vec<Option<HashSet<ModId>>>>,
    /// Each class's first accounting phase, if any.
    pub first: Vec<Option<PhaseId>>,
}

impl<'g> Classes<'g> {
    pub fn new(g: &'g PlanGraph<'_>) -> Self {
        // Companies with the same accounting phases share one list (see
        // `PlanGraph::layer_phases_by_company`), so the list's address names the class.
        let mut index: std::collections::HashMap<*const [PhaseId], usize> =
            std::collections::HashMap::new();
        let mut out = Self {
            of: Vec::with_capacity(g.companies.len()),
            phases: Vec::new(),
            sets: Vec::new(),
            planned: RefCell::new(Vec::new()),
            first: Vec::new(),
        };
        for acc in &g.accounting_phases {
            let k = *index.entry(std::sync::Arc::as_ptr(acc)).or_insert_with(|| {
                out.phases.push(acc);
                out.sets.push(g.phase_set(acc));
                out.first
                    .push(g.earliest(acc).next().or_else(|| acc.first().copied()));
                out.phases.len() - 1
            });
            out.of.push(k);
        }
        out
    }

    /// Whether OO301 applies to occurrence `o` for the companies of class `k`: they have an
    /// accounting phase, and none is or precedes the occurrence's phase.
    pub fn before_accounting(&self, g: &PlanGraph<'_>, k: usize, o: OccId) -> bool {
        let q = g.occurrences[o].phase;
        !self.phases[k].is_empty() && !g.reached_by(&self.sets[k], q)
    }

    /// The accounting phase occurrence `o` goes live too early for, for class `k`.
    fn too_early(&self, g: &PlanGraph<'_>, k: usize, o: OccId) -> Option<PhaseId> {
        if !self.before_accounting(g, k, o) {
            return None;
        }
        if !g.late_dependencies_of(o).is_empty() {
            let mut planned = self.planned.borrow_mut();
            if planned.len() < self.phases.len() {
                planned.resize(self.phases.len(), None);
            }
            let modules = planned[k].get_or_insert_with(|| g.modules_planned_in(self.phases[k]));
            if g.has_late_dependency_among(o, modules) {
                return None;
            }
        }
        self.first[k]
    }
}

fn too_early(g: &PlanGraph<'_>, o: OccId, first_acc: PhaseId, cs: &[CompanyId]) -> Finding {
    let occ = &g.occurrences[o];
    let (module, phase) = (occ_module(g, o), occ_phase(g, o));
    let acc_phase = phase_id(g, first_acc);
    let whom = companies_phrase(g, cs);
    let relation = if g.precedes(occ.phase, first_acc) {
        format!("before accounting goes live in `{acc_phase}`")
    } else {
        format!("which does not come after accounting's phase `{acc_phase}`")
    };
    let why = g.modules[occ.module]
        .posts_entries
        .as_ref()
        .map_or_else(String::new, |(_, what)| format!(" (it posts {what})"));
    let mut finding = Finding::new(&RULE, occ.span, format!("`{module}` goes live for {whom} in phase `{phase}`, {relation}{why}"))
        .label(format!("before accounting for {whom}"))
        .help(format!("move `{module}` to `{acc_phase}` or a later phase, or bring accounting forward into `{phase}`"))
        .module(module)
        .phase(phase)
        .companies(cs.iter().map(|&c| g.company_id(c)));
    if let Some(a) = g.layer_entry(first_acc, Layer::Accounting) {
        finding = finding.related(
            a.span,
            format!("accounting goes live here, in `{acc_phase}`"),
            Some(g.name(a.module)),
            Some(acc_phase),
        );
    }
    finding
}

/// How many other modules a "never planned" finding points at, besides the first. The message
/// counts them all; labels for all of them would make one root cause megabytes of output.
const MAX_RELATED: usize = 5;

/// Accounting planned for none of `without`: one root cause, so one finding naming every such
/// company, pointing at the first modules that go live without it (issue 9: one finding per
/// company, each with a label per module, made 7.9 MB of JSON from a 25 KiB plan).
fn never_planned(g: &PlanGraph<'_>, without: &[CompanyId], out: &mut Vec<Finding>) {
    let mut lacking = vec![false; g.companies.len()];
    for &c in without {
        lacking[c] = true;
    }
    // The phases that go live for at least one company without accounting.
    let phases: Vec<bool> = g
        .phase_companies
        .iter()
        .map(|cs| cs.iter().any(|&c| lacking[c]))
        .collect();
    let needing: Vec<OccId> = (0..g.occurrences.len())
        .filter(|&o| phases[g.occurrences[o].phase] && needs_accounting(g, o))
        .collect();
    let Some((&first, rest)) = needing.split_first() else {
        return;
    };
    // Only the companies some of those modules go live for.
    let mut live = vec![false; g.phase_companies.len()];
    for &o in &needing {
        live[g.occurrences[o].phase] = true;
    }
    let mut concerned = vec![false; g.companies.len()];
    // Phases that name no companies share one list: it is read once, not once per phase.
    let mut seen: std::collections::HashSet<*const [CompanyId]> = std::collections::HashSet::new();
    for (cs, _) in g
        .phase_companies
        .iter()
        .zip(&live)
        .filter(|(_, live)| **live)
    {
        if seen.insert(std::sync::Arc::as_ptr(cs)) {
            for &c in cs.iter() {
                concerned[c] = true;
            }
        }
    }
    let companies: Vec<CompanyId> = without.iter().copied().filter(|&c| concerned[c]).collect();
    let whom = companies_phrase(g, &companies);
    let it = if companies.len() > 1 { "them" } else { "it" };
    let names: Vec<&str> = needing.iter().map(|&o| occ_module(g, o)).collect();
    let shown = short_list(&names);
    let mut finding = Finding::new(
        &RULE,
        g.occurrences[first].span,
        format!("accounting is never planned for {whom}, yet {shown} go live for {it}"),
    )
    .label(format!("goes live without accounting for {whom}"))
    .help(format!(
        "plan `account` (and the country's localization) in the first phase that covers {whom}"
    ))
    .module(occ_module(g, first))
    .phase(occ_phase(g, first))
    .companies(companies.iter().map(|&c| g.company_id(c)));
    for &o in rest.iter().take(MAX_RELATED) {
        finding = finding.related(
            g.occurrences[o].span,
            "also without accounting",
            Some(occ_module(g, o)),
            Some(occ_phase(g, o)),
        );
    }
    out.push(finding);
}
