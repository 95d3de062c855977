//! OO203 auto-install-bridge.

use crate::finding::{Finding, name_list};
use crate::graph::Reason;
use crate::graph::{ModId, Occurrence, PlanGraph};
use crate::rules::Context;
use crate::rules::util::phase_id;

declare_rule! {
    /// ## What it does
    /// Tells where each bridge module lands: a module that installs itself once all its
    /// triggers are installed (`stock_account` once `stock` and `account` are, `sale_stock`,
    /// `purchase_stock`, `mrp_account`, `sale_crm`, `project_account`, ...), and whether it
    /// posts journal entries. Bridges the plan lists in the phase where they land are not
    /// reported: nothing about them is a surprise. Neither is glue that posts nothing and does
    /// not join two layers (`crm_sms`, `account_qr_code_sepa`, `pos_sale`). The bridges that
    /// land in one phase are reported together, once per phase.
    ///
    /// ## Why is this bad?
    /// It is not bad by itself, which is why it is an `info`. But nobody plans a bridge, so
    /// nobody plans its configuration either, and several bridges post journal entries: stock
    /// valuation accounts on product categories, for instance, must be set before the first
    /// stock move after `stock_account` lands.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: operations
    ///     modules: [stock]       # OO203: `stock_account` auto-installs here
    /// ```
    ///
    /// ## How to fix
    /// Nothing to fix when it is expected: make sure what the bridge needs (valuation
    /// accounts, journals) is configured before that go-live, then list the bridge in that
    /// phase to record that it is planned. To silence the rule altogether, use `-A OO203`.
    pub static RULE = {
        code: "OO203",
        name: "auto-install-bridge",
        severity: Info,
        summary: "where each bridge lands, and whether it posts journal entries",
        check: check,
    }
}

/// A bridge that lands in a phase, and what the phase adds that completes its triggers.
struct Landing<'g> {
    module: ModId,
    triggers: &'g [ModId],
    anchor: &'g Occurrence,
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for q in 0..g.installs.len() {
        let landings: Vec<Landing<'_>> = g.installs[q]
            .added
            .iter()
            .filter_map(|(m, reason)| {
                let Reason::AutoInstalled { triggers } = reason else {
                    return None;
                };
                is_reported_bridge(g, *m, triggers, q).then_some(())?;
                Some(Landing {
                    module: *m,
                    triggers,
                    anchor: anchor(g, q, triggers)?,
                })
            })
            .collect();
        if landings.is_empty() {
            continue;
        }
        out.push(finding(g, q, &landings));
    }
}

/// Bridges join layers or post journal entries. Glue between a layer and infrastructure
/// (`crm_sms`, `account_qr_code_sepa`) or inside one layer that posts nothing (`pos_sale`)
/// needs no planning of its own; a bridge planned where it lands is no surprise either.
fn is_reported_bridge(g: &PlanGraph<'_>, m: ModId, triggers: &[ModId], q: usize) -> bool {
    let mut layers: Vec<_> = triggers
        .iter()
        .filter_map(|&t| g.modules[t].layer)
        .collect();
    layers.sort_unstable();
    layers.dedup();
    let mut distinct = triggers.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() >= 2
        && (layers.len() >= 2 || g.modules[m].posts_entries.is_some())
        && !g.planned_in[m].iter().any(|&o| g.occurrences[o].phase == q)
}

/// The planned entry of phase `q` whose arrival completes the triggers.
fn anchor<'g>(g: &'g PlanGraph<'_>, q: usize, triggers: &[ModId]) -> Option<&'g Occurrence> {
    let arriving = triggers.iter().find(|&&t| g.reason(q, t).is_some());
    match arriving {
        Some(&t) => g.anchor(q, t),
        None => g.occurrences_in(q).next().map(|(_, o)| o),
    }
}

fn posting(g: &PlanGraph<'_>, m: ModId) -> Option<String> {
    let (source, what) = g.modules[m].posts_entries.as_ref()?;
    Some(if source == g.name(m) {
        format!("posts journal entries ({what})")
    } else {
        format!("posts journal entries through `{source}` ({what})")
    })
}

/// One finding per phase: the phase's go-live is the one thing to prepare for.
fn finding(g: &PlanGraph<'_>, q: usize, landings: &[Landing<'_>]) -> Finding {
    let phase = phase_id(g, q);
    let first = &landings[0];
    let names: Vec<&str> = landings.iter().map(|l| g.name(l.module)).collect();
    let message = if let [only] = landings {
        let triggers: Vec<&str> = only.triggers.iter().map(|&t| g.name(t)).collect();
        let posts = posting(g, only.module).map_or_else(
            || "; it posts no journal entries itself".to_owned(),
            |p| format!("; it {p}"),
        );
        format!(
            "`{}` auto-installs in phase `{phase}` once {} are installed{posts}",
            names[0],
            name_list(&triggers)
        )
    } else {
        let posting_ones: Vec<&str> = landings
            .iter()
            .filter(|l| posting(g, l.module).is_some())
            .map(|l| g.name(l.module))
            .collect();
        let posts = match posting_ones.as_slice() {
            [] => "; none of them posts journal entries itself".to_owned(),
            [one] => format!(
                "; `{one}` {}",
                posting(
                    g,
                    landings
                        .iter()
                        .find(|l| g.name(l.module) == *one)
                        .map_or(first.module, |l| l.module)
                )
                .unwrap_or_default()
            ),
            many => format!("; {} post journal entries", name_list(many)),
        };
        format!(
            "{} bridges auto-install in phase `{phase}`: {}{posts}",
            landings.len(),
            name_list(&names)
        )
    };
    let listed = name_list(&names);
    let mut finding = Finding::new(&RULE, first.anchor.span, message)
        .label(format!("completes the triggers of {listed}"))
        .help(format!(
            "configure what {listed} need{} before `{phase}` goes live, then list {it} in `{phase}` to record {it}",
            if landings.len() == 1 { "s" } else { "" },
            it = if landings.len() == 1 { "it" } else { "them" }
        ))
        .module(names[0])
        .phase(phase);
    for l in &landings[1..] {
        if l.anchor.span != first.anchor.span {
            finding = finding.related(
                l.anchor.span,
                format!("completes the triggers of `{}`", g.name(l.module)),
                Some(g.name(l.anchor.module)),
                Some(phase),
            );
        }
    }
    for l in landings {
        let name = g.name(l.module);
        if let Some(later) = g.planned_in[l.module]
            .iter()
            .map(|&o| &g.occurrences[o])
            .find(|o| g.precedes(q, o.phase))
        {
            let p = phase_id(g, later.phase);
            finding = finding.related(
                later.span,
                format!("`{name}` is planned here, in `{p}`, but installed earlier"),
                Some(name),
                Some(p),
            );
        }
    }
    finding
}
