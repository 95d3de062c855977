//! OO201 dependency-in-later-phase.

use crate::finding::{Finding, chain_text, name_list};
use crate::graph::{LateDependency, PlanGraph};
use crate::modgraph::Reaches;
use crate::rules::Context;
use crate::rules::util::{occ_module, occ_phase};

declare_rule! {
    /// ## What it does
    /// Reports a planned module that depends, directly or through modules nobody planned, on a
    /// module planned in another phase that does not go live before it. The finding shows the
    /// dependency chain (`sale_management → sale → account`). Only the nearest planned
    /// dependency on each chain is reported: the rest of the chain is that module's business.
    ///
    /// ## Why is this bad?
    /// Odoo installs a module's dependencies with it. The dependency does not wait for its own
    /// phase: it is installed, unconfigured, in the earlier one. When it is `account`, invoices
    /// (and, under automated (perpetual) valuation, stock moves) start writing journal entries
    /// on a chart of accounts nobody has set up, and some of those settings can never be
    /// changed afterwards.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: kickoff
    ///     modules: [sale_management]   # OO201: installs `account` now
    ///   - id: finance
    ///     modules: [account]
    /// ```
    ///
    /// ## How to fix
    /// Plan the dependency in the same phase or an earlier one, or move the module to the
    /// dependency's phase or later. For parallel tracks, make the module's phase go live
    /// `after:` the dependency's.
    pub static RULE = {
        code: "OO201",
        name: "dependency-in-later-phase",
        severity: Error,
        summary: "a module's dependency is planned in a phase that does not precede it: Odoo installs it earlier, unconfigured",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let mut start = 0;
    // One finding per planned module: moving it fixes every late dependency at once.
    while start < g.late_dependencies.len() {
        let from = g.late_dependencies[start].from;
        let group = g.late_dependencies_of(from);
        start += group.len();
        out.push(finding(g, group));
    }
}

fn finding(g: &PlanGraph<'_>, group: &[LateDependency]) -> Finding {
    let first = &group[0];
    let from = &g.occurrences[first.from];
    let (module, phase) = (occ_module(g, first.from), occ_phase(g, first.from));
    let deps: Vec<&str> = group.iter().map(|l| occ_module(g, l.to)).collect();
    let mut dep_phases: Vec<&str> = Vec::new();
    for l in group {
        let p = occ_phase(g, l.to);
        if !dep_phases.contains(&p) {
            dep_phases.push(p);
        }
    }
    let all_later = group
        .iter()
        .all(|l| g.precedes(from.phase, g.occurrences[l.to].phase));
    let described: Vec<String> = group
        .iter()
        .map(|l| {
            let dep = occ_module(g, l.to);
            if l.chain.len() > 2 {
                let names: Vec<&str> = l.chain.iter().map(|&m| g.name(m)).collect();
                format!("`{dep}` ({})", chain_text(&names))
            } else {
                format!("`{dep}`")
            }
        })
        .collect();
    let what = join(&described);
    let message = match (group.len(), all_later) {
        (1, true) => format!(
            "`{module}` depends on {what}, which is planned for the later phase `{}`: Odoo installs it with `{module}`, unconfigured",
            dep_phases[0]
        ),
        (1, false) => format!(
            "`{module}` depends on {what}, which is planned for phase `{}`, which does not go live before `{phase}`: Odoo installs it with `{module}`, unconfigured",
            dep_phases[0]
        ),
        _ => {
            let phases = match dep_phases.as_slice() {
                [one] => format!("phase `{one}`, which does"),
                many => format!("phases {}, which do", name_list(many)),
            };
            format!(
                "`{module}` depends on {what}, planned in {phases} not go live before `{phase}`: Odoo installs them with `{module}`, unconfigured"
            )
        }
    };
    // The nearest planned dependency may hide the one that matters most: `l10n_fr` planned
    // later also brings `account`, months before its phase.
    let mut message = message;
    if let Some(account) = g.module_id("account")
        && !deps.contains(&"account")
        && g.reason(from.phase, account).is_some()
        && group.iter().any(|l| {
            g.modules[g.occurrences[l.to].module]
                .reaches
                .has(Reaches::ACCOUNT)
        })
    {
        message.push_str(&format!(
            "; the same chain installs `account` in `{phase}`, before accounting is configured"
        ));
    }
    let help = if all_later {
        format!(
            "plan {} in `{phase}` or an earlier phase, or move `{module}` to {} or later",
            name_list(&deps),
            name_list(&dep_phases).replace(" and ", " or ")
        )
    } else {
        let after: Vec<&str> = dep_phases.clone();
        format!(
            "plan {} in `{phase}` or an earlier phase, or make `{phase}` go live after them (`after: [{}]`)",
            name_list(&deps),
            after.join(", ")
        )
    };
    let chain: Vec<String> = first.chain.iter().map(|&m| g.name(m).to_owned()).collect();
    let mut finding = Finding::new(&RULE, from.span, message)
        .label(format!("installs {} in `{phase}`", name_list(&deps)))
        .help(help)
        .module(module)
        .phase(phase)
        .chain(chain);
    for l in group {
        let (dep, dep_phase) = (occ_module(g, l.to), occ_phase(g, l.to));
        finding = finding.related(
            g.occurrences[l.to].span,
            format!("`{dep}` is planned here, in `{dep_phase}`"),
            Some(dep),
            Some(dep_phase),
        );
    }
    finding
}

/// "a", "a and b", "a, b and c" for already formatted items.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
