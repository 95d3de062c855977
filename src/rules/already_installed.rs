//! OO110 already-installed.

use crate::finding::Finding;
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::util::{occ_module, occ_phase};

declare_rule! {
    /// ## What it does
    /// Reports a planned module that the database already has: listed in `installed`, or
    /// installed there by a module that is (a dependency, or a bridge whose triggers are all
    /// installed). The finding points at the phase entry and at the `installed` entry that
    /// brings the module in. An accounting module that only came in as a dependency (`account`
    /// under `sale`) is not reported: planning it says where the books are set up, which
    /// installing the invoicing engine did not do.
    ///
    /// ## Why is this bad?
    /// A module installs once per database. Planning one that is already live says it goes
    /// live in that phase when it has been live all along: its order is not what the plan
    /// claims, and the phase's real content is its configuration or its use by more people,
    /// which the module list does not say.
    ///
    /// ## Example
    /// ```yaml
    /// installed: [crm, sale_management]
    /// phases:
    ///   - id: finance
    ///     modules: [account, l10n_be]
    ///   - id: sales
    ///     modules: [sale_management]   # OO110: already installed
    /// ```
    ///
    /// ## How to fix
    /// Remove the entry from the phase. If the phase changes how the module is used (new
    /// companies, a new process), say so in the phase's `milestones`.
    pub static RULE = {
        code: "OO110",
        name: "already-installed",
        severity: Warning,
        summary: "a planned module is already installed in the database (`installed`)",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let installed = &g.plan.installed;
    for (o, occ) in g.occurrences.iter().enumerate() {
        if !g.is_preinstalled(occ.module) {
            continue;
        }
        let by = g.preinstalled_by(occ.module);
        let listed = by.is_some_and(|i| installed.modules[i].value == g.name(occ.module));
        if !listed && g.modules[occ.module].layer == Some(Layer::Accounting) {
            continue;
        }
        let (module, phase) = (occ_module(g, o), occ_phase(g, o));
        let mut finding = Finding::new(
            &RULE,
            occ.span,
            format!("`{module}` is planned in phase `{phase}`, but the database already has it"),
        )
        .label("already installed")
        .help(format!(
            "remove `{module}` from `{phase}`; say what the phase changes about it in `milestones`"
        ))
        .module(module)
        .phase(phase);
        if let Some(i) = by {
            let by = &installed.modules[i].value;
            let label = match (&installed.from, by == module) {
                (Some(from), true) => {
                    format!("`{module}` is installed, as `{}` lists", from.path.value)
                }
                (Some(from), false) => format!(
                    "`{by}`, which `{}` lists as installed, installs `{module}`",
                    from.path.value
                ),
                (None, true) => format!("`{module}` is installed"),
                (None, false) => format!("`{by}` is installed, and installs `{module}`"),
            };
            finding = finding.related(installed.plan_span(i), label, Some(by.as_str()), None);
        }
        out.push(finding);
    }
}
