//! OO202 unplanned-dependency.

use crate::finding::{Finding, chain_text};
use crate::graph::Reason;
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::util::phase_id;

declare_rule! {
    /// ## What it does
    /// Reports an application that belongs to a layer (`account`, `stock`, `purchase`, ...)
    /// and that the plan never lists, although a planned module pulls it in as a dependency.
    /// The finding points at the planned module of the first phase that installs it and shows
    /// the chain. `account` pulled in by a phase that plans an accounting module
    /// (`account_accountant`, the chart package) is configured there and is not reported.
    ///
    /// ## Why is this bad?
    /// Nobody is scheduled to configure an application that arrives as a side effect. It runs
    /// with default settings from the day it is installed: `stock` with default warehouses and
    /// routes, `account` with a generic chart.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: shop
    ///     modules: [point_of_sale]   # OO202: pulls in `stock`, planned nowhere
    /// ```
    ///
    /// ## How to fix
    /// Plan the application explicitly, in the phase that pulls it in or an earlier one, so
    /// that its configuration is part of the rollout.
    pub static RULE = {
        code: "OO202",
        name: "unplanned-dependency",
        severity: Warning,
        summary: "an application of a layer is pulled in by a planned module but planned nowhere: it runs unconfigured",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    // With no accounting planned at all, OO301 reports the root cause for each company.
    let any_accounting = g
        .occurrences
        .iter()
        .any(|o| g.modules[o.module].layer == Some(Layer::Accounting));
    let mut reported = vec![false; g.modules.len()];
    // Phases in file order; a module is added to a phase only where it is first installed.
    let pulled = g.installs.iter().enumerate().flat_map(|(q, i)| {
        i.added
            .iter()
            .filter(|(_, r)| matches!(r, Reason::PulledIn { .. }))
            .map(move |(m, _)| (q, *m))
    });
    for (q, m) in pulled {
        let node = &g.modules[m];
        let Some(layer) = node.layer else { continue };
        if reported[m]
            || !node.facts.as_ref().is_some_and(|f| f.application)
            || !g.planned_in[m].is_empty()
        {
            continue;
        }
        if layer == Layer::Accounting && !any_accounting {
            continue;
        }
        // A phase that plans an accounting module (`account_accountant`, the chart package)
        // is where accounting is configured: `account` pulled in there is part of that work.
        if layer == Layer::Accounting && g.accounting_entry(q).is_some() {
            continue;
        }
        reported[m] = true;
        let chain = g.install_chain(q, m);
        let head = chain[0];
        let anchor = g.planned_in[head]
            .iter()
            .map(|&o| &g.occurrences[o])
            .find(|o| o.phase == q)
            .or_else(|| g.occurrences_in(q).next().map(|(_, o)| o));
        let Some(anchor) = anchor else { continue };
        let names: Vec<String> = chain.iter().map(|&x| g.name(x).to_owned()).collect();
        let phase = phase_id(g, q);
        out.push(
            Finding::new(
                &RULE,
                anchor.span,
                format!(
                    "`{}` is installed in phase `{phase}` as a dependency ({}) but planned in no phase: it will run unconfigured",
                    node.name,
                    chain_text(&names)
                ),
            )
            .label(format!("pulls in `{}`", node.name))
            .help(format!("plan `{}` in `{phase}` or an earlier phase, so that its configuration is part of the rollout", node.name))
            .module(&node.name)
            .phase(phase)
            .chain(names),
        );
    }
}
