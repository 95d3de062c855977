//! OO108 unused-waiver.

use crate::finding::Finding;
use crate::rules::{self, Context};

declare_rule! {
    /// ## What it does
    /// Reports a waiver that hid no finding in this run, and a waiver whose `until:` date has
    /// passed (an expired waiver hides nothing any more). With `--baseline`, an entry of the
    /// baseline file that no longer matches the findings it recorded is reported the same way,
    /// located in the baseline file.
    ///
    /// ## Why is this bad?
    /// A waiver that matches nothing is noise at best; at worst it was meant for a finding it
    /// no longer matches (a renamed phase, a moved module) and gives a false sense that a
    /// known risk is tracked. An expired waiver means the accepted risk needs a fresh decision.
    ///
    /// ## Example
    /// ```yaml
    /// waivers:
    ///   - rule: layer-order
    ///     module: crm
    ///     reason: sales team already works in CRM on the legacy system
    ///     until: 2026-09-30     # OO108 once that day has passed
    /// ```
    ///
    /// ## How to fix
    /// Delete a waiver that no longer matches anything. For an expired one, fix the finding
    /// it was hiding, or renew `until:` with a reason that still holds.
    pub static RULE = {
        code: "OO108",
        name: "unused-waiver",
        severity: Warning,
        summary: "a waiver that matches no finding, or has expired",
        check: check,
        after_waivers: true,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (w, used) in cx.plan().waivers.iter().zip(cx.waiver_use) {
        let Some(rule) = rules::find(&w.rule.value) else {
            continue;
        };
        if let (true, Some(until)) = (used.expired, &w.until) {
            out.push(
                Finding::new(&RULE, until.span, format!("waiver for `{}` expired on {}", rule.name, until.value))
                    .label("expired")
                    .help("fix the finding it was hiding, or renew `until:` with a reason that still holds")
                    .related(w.rule.span, "the expired waiver", None, None),
            );
        } else if used.matched == 0 && used.rule_enabled {
            out.push(
                Finding::new(
                    &RULE,
                    w.rule.span,
                    format!("waiver for `{}` matches no finding", rule.name),
                )
                .label("unused waiver")
                .help("remove the waiver, or correct its `module`, `phase` or `company` filter"),
            );
        }
    }
}
