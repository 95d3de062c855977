//! OO109 missing-localization.

use crate::finding::{Finding, Severity};
use crate::graph::{PhaseId, PlanGraph};
use crate::ruledata::Layer;
use crate::rules::Context;
use crate::rules::util::{company_phrase, phase_id};

declare_rule! {
    /// ## What it does
    /// For each company with a `country`, checks that the country's fiscal localization, the
    /// series' chart package for the country (`l10n_fr` in 17.0, `l10n_fr_account` from 18.0
    /// on, `l10n_uk` for `GB`), is installed by the company's first accounting phase: planned,
    /// pulled in by a planned module, or, from 18.0 on, installed with `account` for a company
    /// of its country. HR, payroll and point-of-sale localizations (`l10n_fr_hr_holidays`) are
    /// not charts and do not count. Countries for which the catalog has no chart are not
    /// checked.
    ///
    /// In 17.0, installing `account` installs the chart package of the main company's country
    /// (the first company declared, or the only one) by itself: for that company the finding
    /// is a warning that asks to plan the package explicitly. The 17.0 chart of the United
    /// States is the generic one in `account`: no package is required. Other companies need
    /// their package planned.
    ///
    /// ## Why is this bad?
    /// The chart package installs the chart of accounts, taxes and fiscal positions of the
    /// country. Without it, the company's books cannot be set up on its country's chart, and
    /// once journal entries exist the fiscal localization can no longer be changed: the
    /// company is stuck with the wrong chart or with a costly clean-up.
    ///
    /// ## Example
    /// ```yaml
    /// odoo: "17.0"
    /// companies:
    ///   - id: acme_fr
    ///     country: FR          # main company: `account` installs l10n_fr itself
    ///   - id: acme_be
    ///     country: BE
    /// phases:
    ///   - id: finance
    ///     modules: [account]   # OO109: a warning for acme_fr, an error for acme_be
    /// ```
    ///
    /// ## How to fix
    /// Add the chart package to the company's first accounting phase, next to `account`.
    pub static RULE = {
        code: "OO109",
        name: "missing-localization",
        severity: Error,
        summary: "a company with a country has no chart package (`l10n_<cc>`) installed by its first accounting phase",
        check: check,
    }
}

/// The 17.0 case where `account` brings the chart itself: its post-init hook installs the
/// chart package of the main company's country (the first company declared, or the only one),
/// and the United States' chart in 17.0 is the generic one shipped in `account`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ByAccount {
    /// Nothing comes by itself: the package must be planned.
    No,
    /// `account` installs it for the main company: planning it says so in the plan.
    MainCompany,
    /// `account` holds it (17.0, United States).
    Builtin,
}

fn by_account(g: &PlanGraph<'_>, c: usize, country: &str) -> ByAccount {
    // From 18.0 on (country-bound auto-install), charts are separate packages that install
    // with `account` only for a company of their country, which the simulation already does.
    if g.catalog().country_bound_auto_install() {
        return ByAccount::No;
    }
    if country.eq_ignore_ascii_case("US") {
        ByAccount::Builtin
    } else if c == 0 {
        ByAccount::MainCompany
    } else {
        ByAccount::No
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    // The first accounting phases once per list of them, which companies with the same phases
    // share (many companies times many phases was quadratic).
    let mut firsts: std::collections::HashMap<*const [PhaseId], Vec<PhaseId>> =
        std::collections::HashMap::new();
    for (c, company) in g.companies.iter().enumerate() {
        let Some(country) = company.country.as_deref() else {
            continue;
        };
        // Accounting already live in the database: its chart was chosen when it went live.
        if g.accounting_preinstalled[c] {
            continue;
        }
        let Some(localization) = g.catalog().localization_for(country) else {
            continue;
        };
        let by_account = by_account(g, c, country);
        if by_account == ByAccount::Builtin {
            continue;
        }
        let Some(chart) = g.module_id(&localization.name) else {
            continue;
        };
        let acc = &g.accounting_phases[c];
        // The first accounting phases: those no other accounting phase of the company precedes.
        let first = firsts
            .entry(std::sync::Arc::as_ptr(acc))
            .or_insert_with(|| g.earliest(acc).collect());
        for &a in first.iter() {
            // Installed by then, planned or pulled in (`l10n_fr_pos_cert` installs `l10n_fr`
            // in 17.0) or, from 18.0 on, auto-installed with `account` for the country.
            if g.installs[a].installed.contains(chart) {
                continue;
            }
            let Some(anchor) = g.layer_entry(a, Layer::Accounting) else {
                continue;
            };
            let name = &localization.name;
            let phase = phase_id(g, a);
            let who = company_phrase(g, c);
            let mut finding = if by_account == ByAccount::MainCompany {
                Finding::new(
                    &RULE,
                    anchor.span,
                    format!(
                        "{who} ({country}) gets accounting in phase `{phase}` without `{name}` in the plan; in {} `account` installs it by itself for the main company",
                        g.catalog().series()
                    ),
                )
                .at_most(Severity::Warning)
                .label(format!("`account` installs `{name}` here for the main company"))
                .help(format!(
                    "add `{name}` to phase `{phase}` so the plan shows the chart of accounts it sets up; the chart cannot be replaced once journal entries exist"
                ))
            } else {
                Finding::new(
                    &RULE,
                    anchor.span,
                    format!("{who} ({country}) gets accounting in phase `{phase}` without its localization `{name}`"),
                )
                .label(format!("accounting goes live here without `{name}`"))
                .help(format!(
                    "add `{name}` to phase `{phase}`: the chart of accounts cannot be replaced once journal entries exist"
                ))
            }
            .module(g.name(anchor.module))
            .phase(phase)
            .company(g.company_id(c));
            if let Some(span) = company.span {
                let country_span = g.plan.companies[c]
                    .country
                    .as_ref()
                    .map_or(span, |k| k.span);
                finding =
                    finding.related(country_span, format!("{who} is in {country}"), None, None);
            }
            if let Some(&later) = g.planned_in[chart]
                .iter()
                .find(|&&o| g.covers(g.occurrences[o].phase, c))
            {
                let later = &g.occurrences[later];
                let p = phase_id(g, later.phase);
                finding = finding.related(
                    later.span,
                    format!("`{name}` is planned only later, in `{p}`"),
                    Some(name.as_str()),
                    Some(p),
                );
            }
            out.push(finding);
            break;
        }
    }
}
