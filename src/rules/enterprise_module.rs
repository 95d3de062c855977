//! OO107 enterprise-module.

use crate::catalog::{Edition, Origin};
use crate::finding::{Finding, Severity, name_list};
use crate::graph::{ModId, PlanGraph};
use crate::plan;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports an Odoo Enterprise module planned in a plan whose `edition` is `community` (the
    /// default when `edition:` is absent). odoo-order knows Enterprise modules by name, each
    /// from where it is publicly named (Odoo Community code, Odoo's documentation, public
    /// modules that depend on it).
    ///
    /// In an `enterprise` plan, it says once, as an `info`, which planned Enterprise modules
    /// have dependencies odoo-order does not know: what they install is left out of the
    /// simulation until their manifests are read. A name publicly attested for another
    /// supported series only is accepted (what is attested for a series is never all it has),
    /// and the note asks to check that the plan's series has it.
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
    /// a Community or OCA alternative. In an Enterprise plan, give odoo-order the Enterprise
    /// checkout with `--addons-path` so that the real manifests are read.
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
        unknown_depends(g, out);
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

/// Whether a module is an Enterprise module of the built-in catalog known by name only.
fn depends_unknown(g: &PlanGraph<'_>, m: ModId) -> bool {
    g.modules[m].facts.as_ref().is_some_and(|f| {
        f.edition == Edition::Enterprise && f.origin == Origin::Builtin && !f.depends_known
    })
}

/// One note per plan: the planned Enterprise modules whose dependencies are unknown.
fn unknown_depends(g: &PlanGraph<'_>, out: &mut Vec<Finding>) {
    let mut seen: Vec<ModId> = Vec::new();
    let mut firsts = Vec::new();
    for occ in &g.occurrences {
        if depends_unknown(g, occ.module) && !seen.contains(&occ.module) {
            seen.push(occ.module);
            firsts.push(occ);
        }
    }
    let Some((first, rest)) = firsts.split_first() else {
        return;
    };
    let names: Vec<&str> = firsts.iter().map(|o| g.name(o.module)).collect();
    let message = if let [one] = names.as_slice() {
        format!(
            "the dependencies of the Enterprise module `{one}` are unknown: what it installs is left out of the simulation"
        )
    } else {
        format!(
            "the dependencies of {} Enterprise modules are unknown ({}): what they install is left out of the simulation",
            names.len(),
            name_list(&names)
        )
    };
    let series = g.catalog().series();
    let elsewhere: Vec<String> = firsts
        .iter()
        .filter_map(|o| {
            let facts = g.modules[o.module].facts.as_ref()?;
            facts
                .named_for
                .map(|s| format!("`{}` is named for Odoo {s} only", g.name(o.module)))
        })
        .collect();
    let message = if elsewhere.is_empty() {
        message
    } else {
        format!(
            "{message}; {}: check that Enterprise {series} has {}",
            elsewhere.join(", "),
            if elsewhere.len() == 1 { "it" } else { "them" }
        )
    };
    let phase = &g.plan.phases[first.phase].id.value;
    let mut finding = Finding::new(&RULE, first.span, message)
        .at_most(Severity::Info)
        .label("dependencies unknown")
        .help("give odoo-order the Enterprise checkout with `--addons-path` (or `addons_path:` in the plan) so that the real manifests are read")
        .phase(phase);
    if rest.is_empty() {
        finding = finding.module(names[0]);
    }
    for occ in rest {
        finding = finding.related(
            occ.span,
            "dependencies unknown",
            Some(g.name(occ.module)),
            Some(&g.plan.phases[occ.phase].id.value),
        );
    }
    out.push(finding);
}
