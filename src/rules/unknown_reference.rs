//! OO106 unknown-reference.

use crate::finding::Finding;
use crate::plan::Located;
use crate::rules::{self, Context};
use std::collections::HashSet;

use crate::suggest::Suggester;

declare_rule! {
    /// ## What it does
    /// Reports a name that points at nothing: a phase's `after:` naming a phase that does not
    /// exist, a phase's `companies:` naming an undeclared company, or a waiver naming an
    /// unknown rule, phase, company or module.
    ///
    /// ## Why is this bad?
    /// A dangling reference silently changes the plan's meaning: a misspelt `after:` entry
    /// drops an ordering constraint, a misspelt company leaves that company out of the phase,
    /// and a misspelt waiver hides nothing while looking like it does.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: operations
    ///     after: [finanse]      # OO106: did you mean `finance`?
    ///     modules: [stock]
    /// ```
    ///
    /// ## How to fix
    /// Correct the name (the help suggests the closest one), or declare the missing phase or
    /// company.
    pub static RULE = {
        code: "OO106",
        name: "unknown-reference",
        severity: Error,
        summary: "`after`, `companies` or a waiver names something that does not exist",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let plan = g.plan;
    // One suggester per kind of name, built on first use (most plans need none): each distinct
    // misspelling is answered once, over a bounded set of candidates (issue 9: ten thousand
    // misspelt `after:` entries each scanned every phase id).
    let new_phases = || Suggester::new(plan.phases.iter().map(|p| p.id.value.as_str()));
    let new_companies = || Suggester::new(plan.companies.iter().map(|c| c.id.value.as_str()));
    let new_modules = || {
        Suggester::new(
            plan.phases
                .iter()
                .flat_map(|p| p.modules.iter().map(|m| m.value.as_str())),
        )
    };
    let (mut phases, mut companies, mut modules) = (None, None, None);
    for d in &g.dangling {
        let phase = &plan.phases[d.phase].id.value;
        let (message, suggestion) = if d.kind == "phase" {
            (
                format!(
                    "phase `{phase}` goes live after `{}`, which is not a phase of this plan",
                    d.name
                ),
                phases.get_or_insert_with(new_phases).did_you_mean(&d.name),
            )
        } else {
            (
                format!(
                    "phase `{phase}` names company `{}`, which is not declared",
                    d.name
                ),
                companies
                    .get_or_insert_with(new_companies)
                    .did_you_mean(&d.name),
            )
        };
        let help = suggestion.map_or_else(
            || {
                if d.kind == "phase" {
                    "name a phase declared under `phases:`".to_owned()
                } else {
                    "declare the company under `companies:`, or correct the name".to_owned()
                }
            },
            |s| format!("did you mean `{s}`?"),
        );
        out.push(
            Finding::new(&RULE, d.span, message)
                .label(format!("unknown {}", d.kind))
                .help(help)
                .phase(phase),
        );
    }

    if plan.waivers.is_empty() {
        return;
    }
    let phase_ids: HashSet<&str> = plan.phases.iter().map(|p| p.id.value.as_str()).collect();
    let company_ids: HashSet<&str> = plan.companies.iter().map(|c| c.id.value.as_str()).collect();
    for w in &plan.waivers {
        if rules::find(&w.rule.value).is_none() {
            let help = rules::suggest(&w.rule.value).map_or_else(
                || "name a rule by code or name; `odoo-order rules` lists them".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            push_waiver(out, &w.rule, "rule", help);
        }
        if let Some(p) = &w.phase
            && !phase_ids.contains(p.value.as_str())
        {
            let help = suggest_or(
                phases.get_or_insert_with(new_phases),
                &p.value,
                "name a phase of this plan",
            );
            push_waiver(out, p, "phase", help);
        }
        if let Some(c) = &w.company
            && !company_ids.contains(c.value.as_str())
        {
            let help = suggest_or(
                companies.get_or_insert_with(new_companies),
                &c.value,
                "name a company declared under `companies:`",
            );
            push_waiver(out, c, "company", help);
        }
        if let Some(m) = &w.module {
            let known = g
                .module_id(&m.value)
                .is_some_and(|id| g.modules[id].is_known() || !g.planned_in[id].is_empty());
            if !known {
                let help = suggest_or(
                    modules.get_or_insert_with(new_modules),
                    &m.value,
                    "name a module of this plan or of the catalog",
                );
                push_waiver(out, m, "module", help);
            }
        }
    }
}

fn suggest_or(suggester: &mut Suggester<'_>, name: &str, fallback: &str) -> String {
    suggester
        .did_you_mean(name)
        .map_or_else(|| fallback.to_owned(), |s| format!("did you mean `{s}`?"))
}

fn push_waiver(out: &mut Vec<Finding>, what: &Located<String>, kind: &str, help: String) {
    out.push(
        Finding::new(
            &RULE,
            what.span,
            format!("waiver names {kind} `{}`, which does not exist", what.value),
        )
        .label(format!("unknown {kind}"))
        .help(help),
    );
}
