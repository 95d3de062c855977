//! OO107 enterprise-module.

use crate::catalog::Edition;
use crate::finding::Finding;
use crate::plan;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports an Odoo Enterprise module planned in a plan whose `edition` is `community` (the
    /// default when `edition:` is absent).
    ///
    /// ## Why is this bad?
    /// Enterprise modules are not part of Odoo Community: the go-live would fail on the day,
    /// or the plan was written for a subscription the client does not have.
    ///
    /// ## Example
    /// ```yaml
    /// odoo: "17.0"
    /// phases:
    ///   - id: support
    ///     modules: [helpdesk]   # OO107: Enterprise only
    /// ```
    ///
    /// ## How to fix
    /// Set `edition: enterprise` if the client has an Enterprise subscription; otherwise plan
    /// a Community or OCA alternative.
    pub static RULE = {
        code: "OO107",
        name: "enterprise-module",
        severity: Error,
        summary: "an Enterprise-only module in a `community` plan",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    if g.plan.edition == plan::Edition::Enterprise {
        return;
    }
    for occ in &g.occurrences {
        let node = &g.modules[occ.module];
        if node
            .facts
            .as_ref()
            .is_some_and(|f| f.edition == Edition::Enterprise)
        {
            out.push(
                Finding::new(
                    &RULE,
                    occ.span,
                    format!("`{}` is an Odoo Enterprise module, but the plan targets Community", node.name),
                )
                .label("Enterprise only")
                .help("set `edition: enterprise` if the client has a subscription, or plan a Community alternative")
                .module(&node.name)
                .phase(&g.plan.phases[occ.phase].id.value),
            );
        }
    }
}
