//! OO201 dependency-in-later-phase.

use crate::finding::{Finding, chain_text};
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
    /// and stock valuation start writing journal entries on a chart of accounts nobody has set
    /// up, and some of those settings can never be changed afterwards.
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
    for late in &g.late_dependencies {
        let (from, to) = (&g.occurrences[late.from], &g.occurrences[late.to]);
        let (module, phase) = (occ_module(g, late.from), occ_phase(g, late.from));
        let (dep, dep_phase) = (occ_module(g, late.to), occ_phase(g, late.to));
        let chain: Vec<String> = late.chain.iter().map(|&m| g.name(m).to_owned()).collect();
        let when = if g.precedes(from.phase, to.phase) {
            format!("the later phase `{dep_phase}`")
        } else {
            format!("phase `{dep_phase}`, which does not go live before `{phase}`")
        };
        let through = if chain.len() > 2 {
            format!(" ({})", chain_text(&chain))
        } else {
            String::new()
        };
        let help = if g.precedes(from.phase, to.phase) {
            format!(
                "plan `{dep}` in `{phase}` or an earlier phase, or move `{module}` to `{dep_phase}` or later"
            )
        } else {
            format!(
                "plan `{dep}` in `{phase}` or an earlier phase, or make `{phase}` go live after `{dep_phase}` (`after: [{dep_phase}]`)"
            )
        };
        out.push(
            Finding::new(
                &RULE,
                from.span,
                format!("`{module}` depends on `{dep}`{through}, which is planned for {when}: Odoo installs it with `{module}`, unconfigured"),
            )
            .label(format!("installs `{dep}` in `{phase}`"))
            .help(help)
            .module(module)
            .phase(phase)
            .chain(chain)
            .related(to.span, format!("`{dep}` is planned here, in `{dep_phase}`"), Some(dep), Some(dep_phase)),
        );
    }
}
