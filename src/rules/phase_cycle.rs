//! OO105 phase-cycle.

use std::collections::VecDeque;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use crate::finding::Finding;
use crate::graph::{PhaseId, PlanGraph};
use crate::rules::Context;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Reports phases whose `after:` lists lead back to themselves, and prints the cycle
    /// (`a → b → a`). Each cycle is reported once, with a label on every `after` entry that
    /// closes it.
    ///
    /// ## Why is this bad?
    /// No calendar can satisfy it: each phase of the cycle waits for another one of them. Every
    /// rule that depends on which phase comes first treats the phases of a cycle as going live
    /// together, so real ordering problems between them go unreported until it is broken.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     after: [sales]        # OO105: finance → sales → finance
    ///     modules: [account]
    ///   - id: sales
    ///     modules: [sale_management]
    /// ```
    ///
    /// ## How to fix
    /// Decide which phase really goes first and remove the `after:` entry that says otherwise.
    /// A phase without `after:` follows the previous phase in the list; `after: []` starts a
    /// parallel track.
    pub static RULE = {
        code: "OO105",
        name: "phase-cycle",
        severity: Error,
        summary: "a cycle in `after`; prints the cycle",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for comp in &g.cycles {
        let start = comp[0];
        let path = cycle_path(g, start, comp);
        let names: Vec<&str> = path
            .iter()
            .map(|&(q, _)| g.plan.phases[q].id.value.as_str())
            .collect();
        let mut text = names.join(" → ");
        text.push_str(" → ");
        text.push_str(names[0]);
        // `path[i].1` is the edge into `path[i].0`; the one into `start` closes the cycle.
        let mut edges: Vec<(PhaseId, Span)> = path.iter().map(|&(q, span)| (q, span)).collect();
        edges.sort_by_key(|&(_, span)| span);
        let Some(&(primary_phase, primary_span)) = edges.first() else {
            continue;
        };
        let message = if path.len() == 1 {
            format!("phase `{}` goes live after itself", names[0])
        } else {
            format!("phases go live after each other in a cycle: {text}")
        };
        let mut finding = Finding::new(&RULE, primary_span, message)
            .label(edge_label(g, primary_phase, primary_span))
            .help("remove the `after:` entry that contradicts the real order; `after: []` starts a parallel track")
            .phase(&g.plan.phases[primary_phase].id.value)
            .chain(names.iter().chain(std::iter::once(&names[0])).map(|s| (*s).to_owned()).collect());
        for &(q, span) in &edges[1..] {
            finding = finding.related(
                span,
                edge_label(g, q, span),
                None,
                Some(&g.plan.phases[q].id.value),
            );
        }
        out.push(finding);
    }
}

fn edge_label(g: &PlanGraph<'_>, q: PhaseId, span: Span) -> String {
    let phase = &g.plan.phases[q];
    if span == phase.id.span {
        format!(
            "`{}` follows the previous phase in the list",
            phase.id.value
        )
    } else {
        format!("`{}` goes live after this", phase.id.value)
    }
}

/// The shortest cycle through `start` inside its component, as (phase, span of the edge into
/// it) in go-live order starting at `start`.
fn cycle_path(g: &PlanGraph<'_>, start: PhaseId, comp: &[PhaseId]) -> Vec<(PhaseId, Span)> {
    let mut prev: Vec<Option<(PhaseId, Span)>> = vec![None; g.plan.phases.len()];
    let mut queue = VecDeque::from([start]);
    let mut closing = None;
    'bfs: while let Some(x) = queue.pop_front() {
        let mut edges: Vec<_> = g
            .phase_graph
            .edges(NodeIndex::new(x))
            .map(|e| (e.target().index(), *e.weight()))
            .collect();
        edges.sort_unstable();
        for (y, span) in edges {
            if !comp.contains(&y) {
                continue;
            }
            if y == start {
                closing = Some((x, span));
                break 'bfs;
            }
            if prev[y].is_none() {
                prev[y] = Some((x, span));
                queue.push_back(y);
            }
        }
    }
    let Some((last, closing_span)) = closing else {
        return vec![(start, g.plan.phases[start].id.span)];
    };
    let mut path = Vec::new();
    let mut x = last;
    while x != start {
        let Some((p, span)) = prev[x] else { break };
        path.push((x, span));
        x = p;
    }
    path.push((start, closing_span));
    path.reverse();
    path
}
