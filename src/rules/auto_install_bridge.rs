//! OO203 auto-install-bridge.

use crate::finding::{Finding, name_list};
use crate::graph::Reason;
use crate::rules::Context;
use crate::rules::util::phase_id;

declare_rule! {
    /// ## What it does
    /// Tells where each bridge module lands: a module that installs itself once all its
    /// triggers are installed (`stock_account` once `stock` and `account` are, `sale_stock`,
    /// `purchase_stock`, `mrp_account`, `sale_crm`, `project_account`, ...), and whether it
    /// posts journal entries. Bridges the plan lists in the phase where they land are not
    /// reported: nothing about them is a surprise.
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

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for (q, installs) in g.installs.iter().enumerate() {
        for (m, reason) in &installs.added {
            let Reason::AutoInstalled { triggers } = reason else {
                continue;
            };
            let mut distinct = triggers.clone();
            distinct.sort_unstable();
            distinct.dedup();
            if distinct.len() < 2 {
                continue;
            }
            if g.planned_in[*m]
                .iter()
                .any(|&o| g.occurrences[o].phase == q)
            {
                continue;
            }
            // Point at what this phase adds that completes the triggers.
            let anchor = triggers.iter().find_map(|&t| {
                g.reason(q, t)?;
                let head = g.install_chain(q, t)[0];
                g.planned_in[head]
                    .iter()
                    .map(|&o| &g.occurrences[o])
                    .find(|o| o.phase == q)
            });
            let Some(anchor) = anchor.or_else(|| g.occurrences_in(q).next().map(|(_, o)| o)) else {
                continue;
            };
            let name = g.name(*m);
            let phase = phase_id(g, q);
            let names: Vec<&str> = triggers.iter().map(|&t| g.name(t)).collect();
            let posts = g.modules[*m].posts_entries.as_ref().map_or_else(
                || "; it posts no journal entries itself".to_owned(),
                |(source, what)| {
                    if source == name {
                        format!("; it posts journal entries ({what})")
                    } else {
                        format!("; it posts journal entries through `{source}` ({what})")
                    }
                },
            );
            let planned_later = g.planned_in[*m]
                .iter()
                .map(|&o| &g.occurrences[o])
                .find(|o| g.precedes(q, o.phase));
            let mut finding = Finding::new(
                &RULE,
                anchor.span,
                format!("`{name}` auto-installs in phase `{phase}` once {} are installed{posts}", name_list(&names)),
            )
            .label(format!("completes the triggers of `{name}`"))
            .help(format!(
                "configure what `{name}` needs before `{phase}` goes live, then list `{name}` in `{phase}` to record it"
            ))
            .module(name)
            .phase(phase);
            if let Some(later) = planned_later {
                let p = phase_id(g, later.phase);
                finding = finding.related(
                    later.span,
                    format!("planned here, in `{p}`, but installed earlier"),
                    Some(name),
                    Some(p),
                );
            }
            out.push(finding);
        }
    }
}
