//! OO301 accounting-not-first.

use crate::finding::Finding;

use crate::graph::{CompanyId, OccId, PhaseId, PlanGraph};
use crate::plan::Valuation;
use crate::rules::Context;
use crate::rules::util::{
    Classes, Need, STOCK, bridge_installers, companies_phrase, need, occ_module, occ_phase,
    phase_id, short_list,
};

declare_rule! {
    /// ## What it does
    /// For each company, reports a module that touches the books when it goes live in a phase
    /// that is neither the company's accounting phase nor after it: a module that posts
    /// journal entries itself, one that installs `account` (directly, through its
    /// dependencies, or through an auto-install bridge it completes), and the
    /// accounting-sensitive applications (inventory, sales, purchase, point of sale) and what
    /// installs them. Accounting goes live for a company in the first phase that covers it,
    /// installs `account` and plans an accounting module. A company for which accounting is
    /// never planned gets one finding. Going live with everything in one phase (a big bang)
    /// is allowed. Other modules of a later layer before accounting (`maintenance`, `project`
    /// alone, CRM) are practice, reported as OO302. Pairs that OO201 already reports are not
    /// reported again.
    ///
    /// ## Why is this bad?
    /// Each finding says the reason that holds for its module. Inventory: receipts validated
    /// before accounting get no valuation layers, so the opening stock must be revalued, and
    /// under automated (perpetual) valuation stock moves post on accounts nobody configured
    /// once `stock_account` is installed; a company's `valuation`, and whether the phase
    /// installs `stock_account`, choose which of the two its finding says. Point of sale: a
    /// session cannot be opened without a chart of accounts. Sales and
    /// purchase: customer invoices and vendor bills need the chart of accounts, taxes and
    /// journals. Expenses and payroll post their own entries. Once journal entries exist, the
    /// fiscal localization and the company currency can no longer be changed.
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
        summary: "for a company, a module that touches the books (posts entries, installs `account`, or is inventory, sales, purchase or point of sale) goes live before accounting (or accounting is never planned)",
        check: check,
    }
}

/// Inventory before accounting for a company with the given valuation. `valued` says whether
/// the phase installs `stock_account`: without it nothing values the moves yet, so even under
/// automated valuation no entry posts, and what goes wrong is the missing valuation.
fn stock_reason(valuation: Option<Valuation>, valued: bool) -> &'static str {
    match valuation {
        _ if !valued => {
            "receipts before accounting get no valuation layers; the opening stock must be revalued"
        }
        None => STOCK,
        Some(Valuation::Perpetual) => {
            "stock moves post valuation entries on unconfigured accounts (automated, perpetual valuation)"
        }
        Some(Valuation::Periodic) => {
            "receipts before accounting get no valuation layers; the opening stock must be revalued"
        }
    }
}

/// The companies one finding covers: the accounting phase they wait for, and for inventory
/// their valuation.
type GroupKey = (PhaseId, Option<Valuation>);

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    // A company whose books are already kept in the live database: nothing the plan adds
    // comes before its accounting.
    // Books kept outside Odoo with no takeover date: what posts in Odoo is OO304's.
    let without: Vec<CompanyId> = (0..g.companies.len())
        .filter(|&c| {
            g.accounting_phases[c].is_empty()
                && !g.accounting_preinstalled[c]
                && !g.plan.companies.get(c).is_some_and(|k| {
                    k.accounting == crate::plan::Accounting::External
                        && k.accounting_until.is_none()
                })
        })
        .collect();
    if !without.is_empty() {
        never_planned(g, &without, out);
    }
    // Companies with the same accounting phases get the same answer for every module, so it
    // is worked out once per such class and module, not once per company (many companies
    // times many modules was quadratic).
    let classes = Classes::new(g);
    let bridges = bridge_installers(g);
    let mut memo: Vec<(OccId, Option<PhaseId>)> = vec![(usize::MAX, None); classes.first.len()];
    for (o, occ) in g.occurrences.iter().enumerate() {
        let Some(Need::Books(why)) = need(g, o, &bridges) else {
            continue;
        };
        // The companies this go-live is too early for, grouped by the accounting phase they
        // wait for, so one module in one phase gives one finding however many companies.
        // Inventory's reason depends on each company's valuation, so it is part of the key.
        let stock = why == STOCK;
        // Without `stock_account` in the phase nothing values the moves, whatever the
        // valuation: every company then gets the same reason, and one finding.
        let valued = stock
            && g
                .module_id("stock_account")
                .is_some_and(|m| g.installs[occ.phase].installed.contains(m));
        let mut groups: Vec<(GroupKey, Vec<CompanyId>)> = Vec::new();
        let mut group_of: std::collections::HashMap<GroupKey, usize> =
            std::collections::HashMap::new();
        for &c in g.phase_companies[occ.phase].iter() {
            // Books already in the live database, or still kept outside Odoo (OO304).
            if g.accounting_preinstalled[c] || g.books_outside(c, occ.phase) {
                continue;
            }
            let k = classes.of[c];
            if memo[k].0 != o {
                memo[k] = (o, classes.too_early(g, k, o));
            }
            let Some(first) = memo[k].1 else { continue };
            let valuation = if valued {
                g.plan.companies.get(c).and_then(|k| k.valuation)
            } else {
                None
            };
            let key = (first, valuation);
            let i = *group_of.entry(key).or_insert_with(|| {
                groups.push((key, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(c);
        }
        for ((first_acc, valuation), cs) in groups {
            let why = if stock {
                stock_reason(valuation, valued)
            } else {
                &why
            };
            out.push(too_early(g, o, first_acc, &cs, why));
        }
    }
}

fn too_early(
    g: &PlanGraph<'_>,
    o: OccId,
    first_acc: PhaseId,
    cs: &[CompanyId],
    why: &str,
) -> Finding {
    let occ = &g.occurrences[o];
    let (module, phase) = (occ_module(g, o), occ_phase(g, o));
    let acc_phase = phase_id(g, first_acc);
    let whom = companies_phrase(g, cs);
    let relation = if g.precedes(occ.phase, first_acc) {
        format!("before accounting goes live in `{acc_phase}`")
    } else {
        format!("which does not come after accounting's phase `{acc_phase}`")
    };
    let mut finding = Finding::new(&RULE, occ.span, format!("`{module}` goes live for {whom} in phase `{phase}`, {relation}: {why}"))
        .label(format!("before accounting for {whom}"))
        .help(format!("move `{module}` to `{acc_phase}` or a later phase, or bring accounting forward into `{phase}`"))
        .module(module)
        .phase(phase)
        .companies(cs.iter().map(|&c| g.company_id(c)));
    if let Some(a) = g.accounting_entry(first_acc) {
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
    // The phases that go live for at least one company without accounting (and whose books
    // are in Odoo by then).
    let phases: Vec<bool> = g
        .phase_companies
        .iter()
        .enumerate()
        .map(|(q, cs)| cs.iter().any(|&c| lacking[c] && !g.books_outside(c, q)))
        .collect();
    let bridges = bridge_installers(g);
    let needing: Vec<OccId> = (0..g.occurrences.len())
        .filter(|&o| {
            phases[g.occurrences[o].phase] && matches!(need(g, o, &bridges), Some(Need::Books(_)))
        })
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
        format!(
            "accounting is never planned for {whom}, yet {shown} {} live for {it}",
            if names.len() == 1 { "goes" } else { "go" }
        ),
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
