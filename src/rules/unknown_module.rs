//! OO101 unknown-module.

use crate::finding::{Finding, name_list};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports a planned module that neither the built-in catalog of the plan's Odoo series
    /// nor the addons path knows, and suggests the closest known names. Localizations are
    /// recognised by their name (`l10n_<country>` and `l10n_<country>_*`).
    ///
    /// ## Why is this bad?
    /// An unknown name is usually a typo. Odoo refuses to install a module it cannot find, and
    /// odoo-order cannot tell what the module depends on, so every ordering check that involves
    /// it is blind.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: sales
    ///     modules: [sale_managment]   # OO101: did you mean `sale_management`?
    /// ```
    ///
    /// ## How to fix
    /// Correct the spelling. For an OCA or custom module, give odoo-order its addons directory
    /// with `--addons-path` (or `addons_path:` in the plan) so that its manifest is read.
    pub static RULE = {
        code: "OO101",
        name: "unknown-module",
        severity: Error,
        summary: "a module no catalog knows; suggests close names",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for occ in &g.occurrences {
        let node = &g.modules[occ.module];
        if node.is_known() {
            continue;
        }
        let suggestions = g.catalog().suggestions(&node.name);
        let help = if suggestions.is_empty() {
            "check the spelling; for an OCA or custom module, add its addons directory with `--addons-path`".to_owned()
        } else {
            format!(
                "did you mean {}?",
                name_list(&suggestions).replace(" and ", " or ")
            )
        };
        out.push(
            Finding::new(&RULE, occ.span, format!("unknown module `{}`", node.name))
                .label(format!("not in the Odoo {} catalog", g.catalog().series()))
                .help(help)
                .module(&node.name)
                .phase(&g.plan.phases[occ.phase].id.value),
        );
    }
}
