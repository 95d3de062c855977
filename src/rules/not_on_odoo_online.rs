//! OO111 not-on-odoo-online.

use crate::finding::Finding;
use crate::graph::{ModId, PlanGraph};
use crate::plan::{Edition, Hosting};
use crate::rules::Context;
use crate::rules::util::phase_id;

declare_rule! {
    /// ## What it does
    /// With `hosting: online`, reports each module the plan installs that is not an official
    /// Odoo module: one that only the addons path provides (an OCA module, a custom one),
    /// planned or pulled in by a planned module. Also reports `edition: community` with
    /// `hosting: online`. On `odoo-sh` and `on-premise` every installable module is allowed.
    ///
    /// ## Why is this bad?
    /// Odoo Online (Odoo's hosted service) runs Odoo's own Enterprise modules and nothing else: a database
    /// there cannot install a module from an addons path, and it is always Enterprise. A plan
    /// that counts on one cannot go live as written: the module, or the hosting, has to change.
    ///
    /// ## Example
    /// ```yaml
    /// hosting: online
    /// edition: enterprise
    /// addons_path: [addons-oca]
    /// phases:
    ///   - id: finance
    ///     modules: [account, l10n_fr, mis_builder]   # OO111: an OCA module
    /// ```
    ///
    /// ## How to fix
    /// Replace the module with an official one (or drop it), or host the database on Odoo.sh
    /// or on premise, where addons paths are allowed. Write `edition: enterprise` for a plan on
    /// Odoo Online.
    pub static RULE = {
        code: "OO111",
        name: "not-on-odoo-online",
        severity: Error,
        summary: "with `hosting: online`, a module only an addons path provides (OCA, custom), or the Community edition",
        check: check,
    }
}

/// Whether Odoo ships the module: the built-in catalog lists it, whether or not the addons
/// path holds a copy.
fn is_official(g: &PlanGraph<'_>, m: ModId) -> bool {
    g.modules[m]
        .facts
        .as_ref()
        .is_none_or(|f| f.curated || f.origin == crate::catalog::Origin::Builtin)
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let plan = g.plan;
    if plan.hosting != Hosting::Online {
        return;
    }
    let hosting = plan.hosting_span;
    if plan.edition == Edition::Community
        && let Some(span) = hosting
    {
        out.push(
            Finding::new(
                &RULE,
                span,
                "the plan is for Odoo Online, which runs the Enterprise edition, but says `edition: community`",
            )
            .label("Odoo Online is Enterprise")
            .help("write `edition: enterprise`, or host the Community edition on premise or on Odoo.sh"),
        );
    }
    for q in g.go_live_order() {
        for (m, _) in &g.installs[q].added {
            if is_official(g, *m) {
                continue;
            }
            let Some(anchor) = g.anchor(q, *m) else {
                continue;
            };
            let name = g.name(*m);
            let by = g.name(anchor.module);
            let phase = phase_id(g, q);
            let what = if by == name {
                format!("`{name}` is not an official Odoo module")
            } else {
                format!("`{by}` installs `{name}`, which is not an official Odoo module")
            };
            let mut finding = Finding::new(
                &RULE,
                anchor.span,
                format!("{what}: Odoo Online cannot install it (phase `{phase}`)"),
            )
            .label("not available on Odoo Online")
            .help(format!(
                "replace `{name}` with an official module, or host the database on Odoo.sh or on premise"
            ))
            .module(name)
            .phase(phase);
            if let Some(span) = hosting {
                finding = finding.related(span, "hosted on Odoo Online", None, None);
            }
            out.push(finding);
        }
    }
}
