//! OO204 missing-dependency.

use crate::finding::{Finding, chain_text};
use crate::rules::Context;
use crate::rules::util::phase_id;

declare_rule! {
    /// ## What it does
    /// Reports a module the plan installs that Odoo cannot install: a dependency found nowhere
    /// on the addons path, or a module whose manifest says `installable: False`. The finding
    /// points at the planned module that pulls it in and shows the chain. Missing dependencies
    /// are only reported when the addons path holds a whole Odoo tree (it has `base`): without
    /// one, a name outside odoo-order's built-in selection may well exist in Odoo.
    ///
    /// ## Why is this bad?
    /// The go-live fails on the day: Odoo refuses to install a module whose dependency it
    /// cannot find, and everything planned with it stays uninstalled. A module marked
    /// uninstallable is usually not migrated to this Odoo series yet.
    ///
    /// ## Example
    /// ```yaml
    /// odoo: "17.0"
    /// addons_path: [../odoo/addons, ../oca/sale-workflow]
    /// phases:
    ///   - id: sales
    ///     modules: [sale_order_custom]   # OO204: depends on `sale_extra`, found nowhere
    /// ```
    ///
    /// ## How to fix
    /// Add the repository that holds the dependency to the addons path (and to the
    /// deployment), or drop the module that needs it. For an uninstallable module, wait for
    /// its migration to this series or plan an alternative.
    pub static RULE = {
        code: "OO204",
        name: "missing-dependency",
        severity: Error,
        summary: "a module the plan installs cannot be found on the addons path or is not installable",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let complete = g.catalog().is_complete();
    for (q, m, _) in g.first_installs() {
        let node = &g.modules[m];
        let (problem, help) = match &node.facts {
            None if complete && g.planned_in[m].is_empty() => (
                "found nowhere on the addons path",
                format!(
                    "add the repository that holds `{}` to the addons path, or plan a module that does not need it",
                    node.name
                ),
            ),
            Some(facts) if !facts.installable => (
                "marked `installable: False` in its manifest",
                format!(
                    "wait for `{}` to be migrated to this series, or plan an alternative",
                    node.name
                ),
            ),
            _ => continue,
        };
        let Some(anchor) = g.anchor(q, m) else {
            continue;
        };
        let chain: Vec<String> = g
            .install_chain(q, m)
            .iter()
            .map(|&x| g.name(x).to_owned())
            .collect();
        let phase = phase_id(g, q);
        let via = if chain.len() > 1 {
            format!(", needed by {}", chain_text(&chain))
        } else {
            String::new()
        };
        out.push(
            Finding::new(
                &RULE,
                anchor.span,
                format!(
                    "`{}` cannot be installed in phase `{phase}`: it is {problem}{via}",
                    node.name
                ),
            )
            .label(format!("needs `{}`", node.name))
            .help(help)
            .module(&node.name)
            .phase(phase)
            .chain(chain),
        );
    }
}
