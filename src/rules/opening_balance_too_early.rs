//! OO305 opening-balance-too-early.

use crate::finding::Finding;
use crate::graph::{CompanyId, PlanGraph};
use crate::rules::Context;
use crate::rules::util::{companies_phrase, phase_id};

declare_rule! {
    /// ## What it does
    /// Reports an opening-balances milestone (a milestone whose name contains `opening
    /// balance`, in any case) in a phase that goes live, for a company it covers, before that
    /// company's accounting: neither in the company's accounting phase nor after it, and
    /// accounting not already live in the database (`installed`).
    ///
    /// ## Why is this bad?
    /// Opening balances are a journal entry: they need the chart of accounts, the journals and
    /// the taxes that the accounting go-live sets up. Loaded earlier, they land on accounts
    /// that do not exist yet, or are keyed in twice.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: migration
    ///     milestones: [opening balances]   # OO305: accounting goes live later
    ///   - id: finance
    ///     modules: [account, l10n_fr]
    /// ```
    ///
    /// ## How to fix
    /// Move the milestone to the phase where accounting goes live for the company (or a
    /// later one), or bring accounting forward.
    pub static RULE = {
        code: "OO305",
        name: "opening-balance-too-early",
        severity: Error,
        summary: "an opening-balances milestone in a phase before the company's accounting goes live",
        check: check,
    }
}

/// Whether accounting is live for company `c` once phase `q` is.
fn accounting_live(g: &PlanGraph<'_>, c: CompanyId, q: usize) -> bool {
    g.accounting_preinstalled[c]
        || g.accounting_phases[c]
            .iter()
            .any(|&a| g.is_or_precedes(a, q))
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for (q, phase) in g.plan.phases.iter().enumerate() {
        for milestone in &phase.milestones {
            if !milestone
                .value
                .to_ascii_lowercase()
                .contains("opening balance")
            {
                continue;
            }
            let early: Vec<CompanyId> = g.phase_companies[q]
                .iter()
                .copied()
                .filter(|&c| !accounting_live(g, c, q))
                .collect();
            if early.is_empty() {
                continue;
            }
            let whom = companies_phrase(g, &early);
            let id = phase_id(g, q);
            let later = g.accounting_phases[early[0]]
                .iter()
                .copied()
                .find(|&a| !g.is_or_precedes(a, q));
            let when = later.map_or_else(
                || "accounting is never planned for it".to_owned(),
                |a| format!("accounting goes live only in `{}`", phase_id(g, a)),
            );
            let mut finding = Finding::new(
                &RULE,
                milestone.span,
                format!(
                    "phase `{id}` loads opening balances for {whom}, but {when}"
                ),
            )
            .label("before accounting")
            .help(
                "move the opening balances to the phase where accounting goes live, or bring accounting forward",
            )
            .phase(id)
            .companies(early.iter().map(|&c| g.company_id(c)));
            if let Some(a) = later.and_then(|a| g.accounting_entry(a)) {
                let p = phase_id(g, a.phase);
                finding = finding.related(
                    a.span,
                    format!("accounting goes live here, in `{p}`"),
                    Some(g.name(a.module)),
                    Some(p),
                );
            }
            out.push(finding);
        }
    }
}
