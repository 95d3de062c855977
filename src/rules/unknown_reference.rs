//! OO106 unknown-reference.

use crate::finding::Finding;
use crate::plan::Located;
use crate::rules::{self, Context};
use crate::suggest::did_you_mean;

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
    let phase_ids = || plan.phases.iter().map(|p| p.id.value.as_str());
    let company_ids = || plan.companies.iter().map(|c| c.id.value.as_str());
    for d in &g.dangling {
        let phase = &plan.phases[d.phase].id.value;
        let (message, suggestion) = if d.kind == "phase" {
            (
                format!(
                    "phase `{phase}` goes live after `{}`, which is not a phase of this plan",
                    d.name
                ),
                did_you_mean(&d.name, phase_ids()),
            )
        } else {
            (
                format!(
                    "phase `{phase}` names company `{}`, which is not declared",
                    d.name
                ),
                did_you_mean(&d.name, company_ids()),
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

    for w in &plan.waivers {
        if rules::find(&w.rule.value).is_none() {
            let help = rules::suggest(&w.rule.value).map_or_else(
                || "name a rule by code or name; `odoo-order rules` lists them".to_owned(),
                |s| format!("did you mean `{s}`?"),
            );
            push_waiver(out, &w.rule, "rule", help);
        }
        if let Some(p) = &w.phase
            && !phase_ids().any(|id| id == p.value)
        {
            push_waiver(
                out,
                p,
                "phase",
                suggest_or(&p.value, phase_ids(), "name a phase of this plan"),
            );
        }
        if let Some(c) = &w.company
            && !company_ids().any(|id| id == c.value)
        {
            push_waiver(
                out,
                c,
                "company",
                suggest_or(
                    &c.value,
                    company_ids(),
                    "name a company declared under `companies:`",
                ),
            );
        }
        if let Some(m) = &w.module {
            let known = g
                .module_id(&m.value)
                .is_some_and(|id| g.modules[id].is_known() || !g.planned_in[id].is_empty());
            if !known {
                let planned = plan
                    .phases
                    .iter()
                    .flat_map(|p| p.modules.iter().map(|m| m.value.as_str()));
                push_waiver(
                    out,
                    m,
                    "module",
                    suggest_or(
                        &m.value,
                        planned,
                        "name a module of this plan or of the catalog",
                    ),
                );
            }
        }
    }
}

fn suggest_or<'a>(name: &str, candidates: impl Iterator<Item = &'a str>, fallback: &str) -> String {
    did_you_mean(name, candidates)
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
