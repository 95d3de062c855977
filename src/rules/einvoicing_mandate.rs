//! OO306 einvoicing-mandate.

use crate::catalog::Edition;
use crate::einvoicing;
use crate::finding::{Addition, Finding};
use crate::graph::{CompanyId, ModId, PhaseId, PlanGraph};
use crate::modgraph::Reaches;
use crate::rules::Context;
use crate::rules::util::{company_phrase, phase_id};

declare_rule! {
    /// ## What it does
    /// For a company with a country whose law makes e-invoicing mandatory (the mandates of
    /// `rules/einvoicing.yaml`: Belgium's Peppol B2B from 2026-01-01, Italy's exchange system, Mexico's
    /// CFDI, ...), reports the first phase that goes live on or after the mandate's date, has
    /// the company invoice from Odoo (`sale` or `point_of_sale` installed: sales, point of
    /// sale, webshop, subscriptions and rental all install one of them), and has no module
    /// meeting the mandate installed at or before it. Only mandates that bind every company
    /// of the country, with an established date and a module in the plan's series, are judged;
    /// a phase without a `go_live` date says nothing.
    ///
    /// ## Why is this bad?
    /// From that date an invoice the law wants structured and sent over the mandated network
    /// is not a valid invoice as a PDF by e-mail: the customer may refuse it and the company
    /// faces penalties. The module that sends them needs registration (a Peppol participant
    /// id, Italian exchange-system credentials, a PAC certificate) that takes time, so it belongs in the plan.
    ///
    /// ## Example
    /// ```yaml
    /// companies:
    ///   - id: acme_be
    ///     country: BE
    /// phases:
    ///   - id: launch
    ///     go_live: 2026-03-02
    ///     modules: [account, l10n_be, sale_management]   # OO306: no account_peppol
    /// ```
    ///
    /// ## How to fix
    /// Add the mandate's module (`account_peppol` for Belgium) to the phase, or to an
    /// earlier one. `odoo-order explain` on the rule and `rules/einvoicing.yaml` name the
    /// module per country and series, with their sources.
    ///
    /// `odoo-order fix` adds it to the phase, or moves it there when the plan lists it in a
    /// later phase. It leaves the finding, and says why, when the choice is not mechanical:
    /// several modules would meet the mandate, the only one is Enterprise and the plan's
    /// edition is community, or moving it would empty its phase or change which companies
    /// get it.
    pub static RULE = {
        code: "OO306",
        name: "einvoicing-mandate",
        severity: Warning,
        summary: "a company invoices from Odoo after its country's e-invoicing mandate binds it, without the module that meets it",
        check: check,
    }
}

/// The applications through which a company invoices from Odoo.
const INVOICING: &[&str] = &["sale", "point_of_sale"];

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    let series = g.catalog().series().to_owned();
    let invoicing: Vec<ModId> = INVOICING.iter().filter_map(|n| g.module_id(n)).collect();
    if invoicing.is_empty() {
        return;
    }
    let order = g.go_live_order();
    for (c, company) in g.companies.iter().enumerate() {
        let Some(country) = company.country.as_deref() else {
            continue;
        };
        if einvoicing::mandates_for(country, &series).next().is_none() {
            continue;
        }
        let mut reported: Vec<&str> = Vec::new();
        for &q in &order {
            let Some(go_live) = g.plan.phases[q].go_live.as_ref().map(|d| d.value) else {
                continue;
            };
            let installed = &g.installs[q].installed;
            if !g.covers(q, c) || !invoicing.iter().any(|&m| installed.contains(m)) {
                continue;
            }
            let has = |name: &str| g.module_id(name).is_some_and(|m| installed.contains(m));
            for mandate in einvoicing::unmet(country, &series, go_live, has) {
                if reported.contains(&mandate.id.as_str()) {
                    continue;
                }
                reported.push(&mandate.id);
                out.push(finding(g, c, q, mandate, &series));
            }
        }
    }
}

fn finding(
    g: &PlanGraph<'_>,
    c: CompanyId,
    q: PhaseId,
    mandate: &einvoicing::Mandate,
    series: &str,
) -> Finding {
    let phase = phase_id(g, q);
    let plan_phase = &g.plan.phases[q];
    // The phase's first entry that invoices (installs sales or point of sale), else its
    // first entry, else its id.
    let anchor = g
        .occurrences_in(q)
        .map(|(_, o)| o)
        .find(|o| {
            let r = g.modules[o.module].reaches;
            r.has(Reaches::SALE) || r.has(Reaches::POINT_OF_SALE)
        })
        .or_else(|| g.occurrences_in(q).next().map(|(_, o)| o));
    let span = anchor.map_or(plan_phase.id.span, |o| o.span);
    let modules: Vec<String> = mandate
        .modules_for(series)
        .iter()
        .map(|m| format!("`{}`", m.name))
        .collect();
    let modules = modules.join(" or ");
    let whom = company_phrase(g, c);
    let country = g.companies[c].country.as_deref().unwrap_or_default();
    let since = mandate
        .effective
        .map(|d| format!(" since {d}"))
        .unwrap_or_default();
    let go_live = plan_phase
        .go_live
        .as_ref()
        .map(|d| d.value.to_string())
        .unwrap_or_default();
    let first = mandate
        .modules_for(series)
        .first()
        .map_or("", |m| m.name.as_str());
    let mut finding = Finding::new(
        &RULE,
        span,
        format!(
            "{whom} ({country}) invoices from Odoo from phase `{phase}` ({go_live}), when {} binds it{since}, but {modules} is not installed by then",
            mandate.name
        ),
    )
    .label(format!("invoices without {modules}"))
    .help({
        let docs = mandate
            .docs
            .first()
            .map_or("see rules/einvoicing.yaml", String::as_str);
        let enterprise_only = mandate.modules_for(series).iter().all(|m| m.edition == Edition::Enterprise);
        if enterprise_only && g.plan.edition == crate::plan::Edition::Community {
            format!(
                "`{first}` meets it but is an Enterprise module and the plan targets Community: \
                 plan Enterprise (`edition: enterprise`) and add `{first}` to phase `{phase}` or \
                 an earlier one, or plan another way to send these invoices ({docs})"
            )
        } else {
            format!("add `{first}` to phase `{phase}` or an earlier one ({docs})")
        }
    })
    .phase(phase)
    .company(g.company_id(c));
    if let Some(o) = anchor {
        finding = finding.module(g.name(o.module));
    }
    finding = finding.addition(addition(g, q, mandate, series));
    if let Some(k) = g.plan.companies.get(c).and_then(|k| k.country.as_ref()) {
        finding = finding.related(k.span, format!("{whom} is in {country}"), None, None);
    }
    finding
}

/// The module `fix` adds for an unmet mandate: the one module the data names for the series,
/// when the plan's edition has it and the catalog knows it. Otherwise the choice is the
/// user's, and the reason says why.
fn addition(
    g: &PlanGraph<'_>,
    q: PhaseId,
    mandate: &einvoicing::Mandate,
    series: &str,
) -> Addition {
    let module = match sole_module(mandate, series, g.plan.edition) {
        Ok(m) => m,
        Err(why) => return Addition::Refused(why),
    };
    if g.catalog().get(&module.name).is_none() {
        return Addition::Refused(format!(
            "the {series} catalog does not know `{}`, the module that meets {}",
            module.name, mandate.name
        ));
    }
    // Planned in another phase (later, or for other companies): `fix` moves it rather than
    // list it twice, as long as the move changes nothing else.
    let planned = g
        .module_id(&module.name)
        .and_then(|m| g.planned_in[m].first())
        .map(|&o| g.occurrences[o].phase);
    if let Some(p) = planned {
        let (here, there) = (phase_id(g, q), phase_id(g, p));
        if g.phase_companies[p] != g.phase_companies[q] {
            return Addition::Refused(format!(
                "`{}` is planned in `{there}`, which covers other companies than `{here}`: \
                 moving it would change which companies get it",
                module.name
            ));
        }
        let from = &g.plan.phases[p];
        if from.modules.len() == 1 && from.milestones.is_empty() {
            return Addition::Refused(format!(
                "`{}` is all that `{there}` plans: moving it to `{here}` would leave `{there}` \
                 empty, so move it by hand and drop or refill `{there}`",
                module.name
            ));
        }
    }
    Addition::Module(module.name.clone())
}

/// The one module of `series` that meets the mandate on `edition`, or why there is none to
/// add without asking: several would do, or the only one is Enterprise on a Community plan.
fn sole_module<'m>(
    mandate: &'m einvoicing::Mandate,
    series: &str,
    edition: crate::plan::Edition,
) -> Result<&'m einvoicing::MandateModule, String> {
    let modules = mandate.modules_for(series);
    let module = match modules {
        [] => {
            return Err(format!(
                "no module is known to meet {} in {series}",
                mandate.name
            ));
        }
        [module] => module,
        _ => {
            let names: Vec<String> = modules.iter().map(|m| format!("`{}`", m.name)).collect();
            return Err(format!(
                "{} modules meet {} in {series} ({}): which one is the client's choice",
                modules.len(),
                mandate.name,
                names.join(", ")
            ));
        }
    };
    if module.edition == Edition::Enterprise && edition == crate::plan::Edition::Community {
        return Err(format!(
            "`{}`, the module that meets {}, is Enterprise only and the plan's edition is \
             community: the client needs Enterprise or another way to send these invoices",
            module.name, mandate.name
        ));
    }
    Ok(module)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Edition as PlanEdition;

    fn mandate(modules: &[(&str, Edition)]) -> einvoicing::Mandate {
        let mut m = einvoicing::builtin()
            .mandates_for("BE", "17.0")
            .next()
            .cloned()
            .unwrap_or_else(|| panic!("the built-in data has a Belgian mandate for 17.0"));
        m.modules.insert(
            "17.0".to_owned(),
            modules
                .iter()
                .map(|&(name, edition)| einvoicing::MandateModule {
                    name: name.to_owned(),
                    edition,
                })
                .collect(),
        );
        m
    }

    #[test]
    fn one_module_is_the_remedy() {
        let m = mandate(&[("account_peppol", Edition::Community)]);
        let module = sole_module(&m, "17.0", PlanEdition::Community).map(|m| m.name.as_str());
        assert_eq!(module, Ok("account_peppol"));
    }

    #[test]
    fn several_modules_are_the_clients_choice() {
        let m = mandate(&[("a_edi", Edition::Community), ("b_edi", Edition::Community)]);
        let why = sole_module(&m, "17.0", PlanEdition::Enterprise).map(|m| m.name.as_str());
        let why = why.err().unwrap_or_default();
        assert!(why.contains("2 modules meet"), "{why}");
        assert!(why.contains("`a_edi`, `b_edi`"), "{why}");
    }

    #[test]
    fn an_enterprise_module_is_not_added_to_a_community_plan() {
        let m = mandate(&[("l10n_mx_edi", Edition::Enterprise)]);
        let community = sole_module(&m, "17.0", PlanEdition::Community).map(|m| m.name.as_str());
        assert!(community.is_err_and(|why| why.contains("Enterprise only")));
        let enterprise = sole_module(&m, "17.0", PlanEdition::Enterprise).map(|m| m.name.as_str());
        assert_eq!(enterprise, Ok("l10n_mx_edi"));
    }
}
