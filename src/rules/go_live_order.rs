//! OO104 go-live-order.

use petgraph::graph::NodeIndex;

use crate::finding::Finding;
use crate::graph::{PhaseId, PlanGraph};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports a phase whose `go_live` date is earlier than the date of a phase that precedes
    /// it (through `after`, or by coming next in the list). Undated phases in between are
    /// looked through, so each wrong date is reported once, against its nearest dated
    /// predecessor.
    ///
    /// ## Why is this bad?
    /// The dates and the order disagree, so one of them is wrong. Odoo will install whatever
    /// the calendar brings first, and every ordering check odoo-order makes rests on the order
    /// you wrote, not on the dates.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     go_live: 2026-03-01
    ///     modules: [account]
    ///   - id: operations
    ///     go_live: 2026-02-01   # OO104: before `finance`, which precedes it
    ///     modules: [stock]
    /// ```
    ///
    /// ## How to fix
    /// Move the date to the same day as its predecessor or later, or, if the date is right,
    /// change the phase's `after:` (or its place in the list) to the order that is really
    /// planned.
    pub static RULE = {
        code: "OO104",
        name: "go-live-order",
        severity: Error,
        summary: "a phase dated before a phase that precedes it",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let phases = &g.plan.phases;
    for (q, phase) in phases.iter().enumerate() {
        let Some(date) = &phase.go_live else { continue };
        let mut late: Vec<PhaseId> = nearest_dated_predecessors(g, q)
            .into_iter()
            .filter(|&p| {
                phases[p]
                    .go_live
                    .as_ref()
                    .is_some_and(|d| d.value > date.value)
            })
            .collect();
        // The latest predecessor is the one to move the date past.
        late.sort_by_key(|&p| {
            (
                std::cmp::Reverse(phases[p].go_live.as_ref().map(|d| d.value)),
                p,
            )
        });
        let Some(&worst) = late.first() else { continue };
        let Some(worst_date) = phases[worst].go_live.as_ref() else {
            continue;
        };
        let mut finding = Finding::new(
            &RULE,
            date.span,
            format!(
                "phase `{}` goes live on {}, before phase `{}` ({}) that precedes it",
                phase.id.value, date.value, phases[worst].id.value, worst_date.value
            ),
        )
        .label("too early")
        .help(format!(
            "move `{}` to {} or later, or change its `after:` if `{}` really comes first",
            phase.id.value, worst_date.value, phase.id.value
        ))
        .phase(&phase.id.value);
        for &p in &late {
            if let Some(d) = &phases[p].go_live {
                finding = finding.related(
                    d.span,
                    format!("`{}` goes live on {}", phases[p].id.value, d.value),
                    None,
                    Some(&phases[p].id.value),
                );
            }
        }
        out.push(finding);
    }
}

/// The closest dated phases before `q`, looking through undated ones; phases on a cycle with
/// `q` are left to OO105.
fn nearest_dated_predecessors(g: &PlanGraph<'_>, q: PhaseId) -> Vec<PhaseId> {
    let mut seen = vec![false; g.plan.phases.len()];
    let mut stack = vec![q];
    let mut found = Vec::new();
    while let Some(x) = stack.pop() {
        for p in g
            .phase_graph
            .neighbors_directed(NodeIndex::new(x), petgraph::Incoming)
        {
            let p = p.index();
            if seen[p] || g.precedes(q, p) || p == q {
                continue;
            }
            seen[p] = true;
            if g.plan.phases[p].go_live.is_some() {
                found.push(p);
            } else {
                stack.push(p);
            }
        }
    }
    found.sort_unstable();
    found
}
