//! OO109 missing-localization.

use crate::catalog::localization_country;
use crate::finding::Finding;
use crate::graph::{PhaseId, PlanGraph};
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::util::{company_phrase, phase_id};

declare_rule! {
    /// ## What it does
    /// For each company with a `country`, checks that the country's fiscal localization
    /// (`l10n_fr` for `FR`, `l10n_uk` for `GB`, or one of its `l10n_<cc>_*` modules) is planned
    /// for that company in its first accounting phase or before it. From Odoo 18.0 on, a chart
    /// that installs itself for a company of its country (`l10n_fr_account` with `account`)
    /// counts as planned. Countries for which the catalog has no localization are not checked.
    ///
    /// ## Why is this bad?
    /// The localization installs the chart of accounts, taxes and fiscal positions of the
    /// country. Without it, Odoo configures a generic chart, and once journal entries exist
    /// the chart of accounts can no longer be replaced: the company is stuck with the wrong one
    /// or with a costly clean-up.
    ///
    /// ## Example
    /// ```yaml
    /// companies:
    ///   - id: acme_fr
    ///     country: FR
    /// phases:
    ///   - id: finance
    ///     modules: [account]     # OO109: no `l10n_fr`
    /// ```
    ///
    /// ## How to fix
    /// Add the localization to the company's first accounting phase, next to `account`.
    pub static RULE = {
        code: "OO109",
        name: "missing-localization",
        severity: Error,
        summary: "a company with a country has no `l10n_<cc>` planned at or before its first accounting phase",
        check: check,
    }
}

/// From 18.0 on, a country's chart installs itself with `account` once a company of that
/// country exists (`l10n_fr_account`): nothing to plan then, the phase already has it.
fn auto_installed(g: &PlanGraph<'_>, phase: PhaseId, country: &str) -> bool {
    g.catalog().country_bound_auto_install()
        && g.installs[phase].installed.ones().any(|m| {
            let node = &g.modules[m];
            node.facts
                .as_ref()
                .is_some_and(|f| f.triggers().is_some() && !f.countries.is_empty())
                && localization_country(&node.name).flatten().as_deref() == Some(country)
        })
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    // The localization entries of each country, found in one pass over the plan rather than
    // one per company; and the first accounting phases once per list of them, which companies
    // with the same phases share (many companies times many phases was quadratic).
    let mut by_country: std::collections::HashMap<String, Vec<&crate::graph::Occurrence>> =
        std::collections::HashMap::new();
    for o in &g.occurrences {
        if let Some(Some(country)) = localization_country(g.name(o.module)) {
            by_country.entry(country).or_default().push(o);
        }
    }
    let mut firsts: std::collections::HashMap<*const [PhaseId], Vec<PhaseId>> =
        std::collections::HashMap::new();
    for (c, company) in g.companies.iter().enumerate() {
        let Some(country) = company.country.as_deref() else {
            continue;
        };
        let Some(localization) = g.catalog().localization_for(country) else {
            continue;
        };
        let acc = &g.accounting_phases[c];
        let lower = country.to_ascii_lowercase();
        let local_occs: Vec<_> = by_country
            .get(&lower)
            .map(|occs| occs.iter().filter(|o| g.covers(o.phase, c)).collect())
            .unwrap_or_default();
        // The first accounting phases: those no other accounting phase of the company precedes.
        let first = firsts
            .entry(std::sync::Arc::as_ptr(acc))
            .or_insert_with(|| g.earliest(acc).collect());
        for &a in first.iter() {
            if local_occs.iter().any(|o| g.is_or_precedes(o.phase, a))
                || auto_installed(g, a, &lower)
            {
                continue;
            }
            let Some(anchor) = g.layer_entry(a, Layer::Accounting) else {
                continue;
            };
            let name = &localization.name;
            let phase = phase_id(g, a);
            let mut finding = Finding::new(
                &RULE,
                anchor.span,
                format!(
                    "{} ({country}) gets accounting in phase `{phase}` without its localization `{name}`",
                    company_phrase(g, c)
                ),
            )
            .label(format!("accounting goes live here without `{name}`"))
            .help(format!(
                "add `{name}` to phase `{phase}`: the chart of accounts cannot be replaced once journal entries exist"
            ))
            .module(g.name(anchor.module))
            .phase(phase)
            .company(g.company_id(c));
            if let Some(span) = company.span {
                let country_span = g.plan.companies[c]
                    .country
                    .as_ref()
                    .map_or(span, |k| k.span);
                finding = finding.related(
                    country_span,
                    format!("{} is in {country}", company_phrase(g, c)),
                    None,
                    None,
                );
            }
            if let Some(later) = local_occs.first() {
                let p = phase_id(g, later.phase);
                finding = finding.related(
                    later.span,
                    format!("`{}` is planned only later, in `{p}`", g.name(later.module)),
                    Some(g.name(later.module)),
                    Some(p),
                );
            }
            out.push(finding);
            break;
        }
    }
}
