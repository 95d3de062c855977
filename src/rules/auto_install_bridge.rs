//! OO203 auto-install-bridge.

use crate::finding::{Finding, name_list};
use crate::graph::Reason;
use crate::graph::{ModId, Occurrence, PlanGraph};
use crate::rules::Context;
use crate::rules::util::{phase_id, short_list};

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
    /// nobody plans its configuration either, and some bridges post journal entries: under
    /// automated (perpetual) valuation, the stock valuation accounts on product categories,
    /// for instance, must be set before the first stock move after `stock_account` lands.
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
///
/// Infrastructure does not make a bridge join layers: a trigger that installs itself
/// (`account_edi_ubl_cii` with `account`, `sale_stock` with sales and inventory) is already
/// reported where it lands, so `sale_edi_ubl` and `website_sale_stock` are glue. A
/// localization's own bridge that posts nothing (`l10n_din5008_sale`, the DIN 5008 document
/// layout for sales) comes with the localization the company plans.
fn is_reported_bridge(g: &PlanGraph<'_>, m: ModId, triggers: &[ModId], q: usize) -> bool {
    let posts = g.modules[m].posts_entries.is_some();
    if !posts && g.name(m).starts_with("l10n_") {
        return false;
    }
    let auto = |t: ModId| {
        g.modules[t]
            .facts
            .as_ref()
            .is_some_and(|f| f.triggers().is_some())
    };
    let mut layers: Vec<_> = triggers
        .iter()
        .filter(|&&t| !auto(t))
        .filter_map(|&t| g.modules[t].layer)
        .collect();
    layers.sort_unstable();
    layers.dedup();
    let mut distinct = triggers.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() >= 2
        && (layers.len() >= 2 || posts)
        && !g.planned_in[m].iter().any(|&o| g.occurrences[o].phase == q)
}

/// The planned entry of phase `q` whose arrival completes the triggers: of the planned
/// entries that bring a trigger in (through its dependencies, or through the triggers of a
/// bridge that is itself a trigger), the one listed last, since the bridge waits for it.
fn anchor<'g>(g: &'g PlanGraph<'_>, q: usize, triggers: &[ModId]) -> Option<&'g Occurrence> {
    triggers
        .iter()
        .filter_map(|&t| completer(g, q, t, 0))
        .max_by_key(|o| o.span.offset)
        .or_else(|| g.occurrences_in(q).next().map(|(_, o)| o))
}

/// How deep bridges of bridges are followed: `purchase_stock` waits for `stock_account`,
/// itself a bridge; chains of bridges are short in every Odoo series.
const BRIDGE_DEPTH: usize = 4;

/// The planned entry of phase `q` that brings module `t` in, if `q` brings it in.
fn completer<'g>(g: &'g PlanGraph<'_>, q: usize, t: ModId, depth: usize) -> Option<&'g Occurrence> {
    let planned_here = |m: ModId| {
        g.planned_in[m]
            .iter()
            .map(|&o| &g.occurrences[o])
            .find(|o| o.phase == q)
    };
    match g.reason(q, t)? {
        Reason::Planned(o) => Some(&g.occurrences[*o]),
        Reason::PulledIn { .. } => {
            let head = g.install_chain(q, t)[0];
            match g.reason(q, head) {
                Some(Reason::AutoInstalled { triggers }) if depth < BRIDGE_DEPTH => triggers
                    .iter()
                    .filter_map(|&x| completer(g, q, x, depth + 1))
                    .max_by_key(|o| o.span.offset),
                _ => planned_here(head),
            }
        }
        Reason::AutoInstalled { triggers } if depth < BRIDGE_DEPTH => triggers
            .iter()
            .filter_map(|&x| completer(g, q, x, depth + 1))
            .max_by_key(|o| o.span.offset),
        Reason::AutoInstalled { .. } => None,
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
            "`{}` auto-installs in phase `{phase}` once {} {} installed{posts}",
            names[0],
            name_list(&triggers),
            if triggers.len() == 1 { "is" } else { "are" }
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
            many => format!("; {} post journal entries", short_list(many)),
        };
        format!(
            "{} bridges auto-install in phase `{phase}`: {}{posts}",
            landings.len(),
            short_list(&names)
        )
    };
    // Past four, the first three and a count: a dozen bridges in one sentence is unreadable,
    // and every label still names its own bridge.
    let listed = short_list(&names);
    let mut finding = Finding::new(&RULE, first.anchor.span, message)
        .label(format!("completes the triggers of {listed}"))
        .help(format!(
            "configure what {listed} need{} before `{phase}` goes live, then list {it} in `{phase}` to record {it}",
            if landings.len() == 1 { "s" } else { "" },
            it = if landings.len() == 1 { "it" } else { "them" }
        ))
        .module(names[0])
        .phase(phase);
    // One label per planned entry, naming every bridge it completes, in order of arrival.
    let mut by_anchor: Vec<(&Occurrence, Vec<&str>)> = Vec::new();
    for l in &landings[1..] {
        if l.anchor.span == first.anchor.span {
            continue;
        }
        match by_anchor.iter_mut().find(|(a, _)| a.span == l.anchor.span) {
            Some((_, names)) => names.push(g.name(l.module)),
            None => by_anchor.push((l.anchor, vec![g.name(l.module)])),
        }
    }
    for (anchor, names) in by_anchor {
        finding = finding.related(
            anchor.span,
            format!("completes the triggers of {}", short_list(&names)),
            Some(g.name(anchor.module)),
            Some(phase),
        );
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
