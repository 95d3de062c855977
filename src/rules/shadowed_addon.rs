//! OO205 shadowed-addon.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::util::phase_id;
use crate::source::display_path;

declare_rule! {
    /// ## What it does
    /// Reports a module the plan installs that the addons path holds more than once. Odoo
    /// uses the first copy on the path and ignores the others; the finding names both, so
    /// you can tell whether the copy Odoo picks is the one you mean.
    ///
    /// ## Why is this bad?
    /// Two copies of a module usually mean a fork next to its original, or an old vendored
    /// copy next to a new one. Which one goes live then depends on the order of the addons
    /// path on the server, and a reordering silently swaps the code (and its dependencies).
    ///
    /// ## Example
    /// ```yaml
    /// addons_path: [../vendor, ../oca/sale-workflow]   # both hold sale_order_type
    /// phases:
    ///   - id: sales
    ///     modules: [sale_order_type]   # OO205
    /// ```
    ///
    /// ## How to fix
    /// Remove the copy that should not be deployed, or order the addons path so that the
    /// right one comes first and delete the other from the deployment.
    pub static RULE = {
        code: "OO205",
        name: "shadowed-addon",
        severity: Warning,
        summary: "a module the plan installs is found twice on the addons path; Odoo uses the first",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for (q, m, _) in g.first_installs() {
        let name = g.name(m);
        let Some((used, ignored)) = g.catalog().shadowed(name) else {
            continue;
        };
        let Some(anchor) = g.anchor(q, m) else {
            continue;
        };
        let ignored: Vec<String> = ignored
            .iter()
            .map(|p| format!("`{}`", display_path(p)))
            .collect();
        out.push(
            Finding::new(
                &RULE,
                anchor.span,
                format!(
                    "`{name}` is on the addons path more than once: Odoo uses `{}` and ignores {}",
                    display_path(used),
                    ignored.join(", ")
                ),
            )
            .label(format!("installs `{name}`"))
            .help("delete the copy that should not be deployed, or reorder the addons path so the right one comes first")
            .module(name)
            .phase(phase_id(g, q)),
        );
    }
}
