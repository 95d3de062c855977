//! OO304 books-outside-odoo.

use crate::finding::Finding;
use crate::graph::{CompanyId, ModId, OccId, PlanGraph};
use crate::plan::{Accounting, Valuation};
use crate::rules::Context;
use crate::rules::util::{company_phrase, occ_module, occ_phase, short_list};

declare_rule! {
    /// ## What it does
    /// For a company whose books are kept outside Odoo (`accounting: external`), lists the
    /// modules that will post journal entries in Odoo while the books are elsewhere: before
    /// `accounting_until`, or at any time without one. A module posts what it writes itself
    /// and what the modules it installs write (`sale_management` invoices through `sale`);
    /// stock valuation counts only under `valuation: perpetual`. One finding per company. Those
    /// modules are not "accounting not first" (OO301); from `accounting_until` on they are
    /// judged as usual, so Odoo's accounting must be planned in a phase going live no later
    /// than that date.
    ///
    /// ## Why is this bad?
    /// Invoices, vendor bills, point-of-sale sessions or stock valuation posted in Odoo are
    /// entries the outside books do not have. Unless they are exported to the accountant (or
    /// an interface carries them), the two sets of books disagree from the first invoice, and
    /// the receivables, payables and VAT returns are built twice by hand.
    ///
    /// ## Example
    /// ```yaml
    /// companies:
    ///   - id: acme_be
    ///     country: BE
    ///     accounting: external
    ///     accounting_until: 2027-01-01
    /// phases:
    ///   - id: sales
    ///     go_live: 2026-04-01
    ///     modules: [sale_management]   # OO304: invoices posted in Odoo until 2027
    ///   - id: finance
    ///     go_live: 2027-01-01
    ///     modules: [account, l10n_be]
    /// ```
    ///
    /// ## How to fix
    /// Plan the export or interface to the outside books (a milestone of the phase), keep
    /// invoicing out of Odoo until the takeover, or bring Odoo's accounting forward. Once the
    /// exchange is in place, waive the finding with that reason.
    pub static RULE = {
        code: "OO304",
        name: "books-outside-odoo",
        severity: Warning,
        summary: "a company keeps its books outside Odoo while modules of the plan post journal entries in Odoo for it",
        check: check,
    }
}

/// How many other modules a finding points at, besides the first.
const MAX_RELATED: usize = 5;

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let g = cx.graph;
    for (c, company) in g.plan.companies.iter().enumerate() {
        if company.accounting != Accounting::External {
            continue;
        }
        let perpetual = company.valuation == Some(Valuation::Perpetual);
        let posting = posting(g, c, perpetual);
        let Some(&(first, _, _)) = posting.first() else {
            continue;
        };
        let whom = company_phrase(g, c);
        let mut names: Vec<&str> = Vec::new();
        for &(_, m, _) in &posting {
            if !names.contains(&g.name(m)) {
                names.push(g.name(m));
            }
        }
        let when = company
            .accounting_until
            .as_ref()
            .map_or_else(String::new, |d| format!(" until {}", d.value));
        let what: Vec<String> = posting
            .iter()
            .take(3)
            .map(|&(o, m, ref what)| {
                let by = occ_module(g, o);
                if by == g.name(m) {
                    format!("`{by}`: {what}")
                } else {
                    format!("`{}` through `{by}`: {what}", g.name(m))
                }
            })
            .collect();
        let mut finding = Finding::new(
            &RULE,
            g.occurrences[first].span,
            format!(
                "{whom} keeps its books outside Odoo{when}, yet {} will post journal entries in Odoo for it ({})",
                short_list(&names),
                what.join("; ")
            ),
        )
        .label(format!("posts entries while {whom}'s books are elsewhere"))
        .help(
            "plan an export or interface of these entries to the outside books (or keep invoicing out of Odoo until the takeover), or bring Odoo's accounting forward",
        )
        .module(occ_module(g, first))
        .phase(occ_phase(g, first))
        .company(g.company_id(c));
        let mut seen = vec![first];
        for &(o, _, _) in &posting {
            if seen.len() > MAX_RELATED {
                break;
            }
            if !seen.contains(&o) {
                seen.push(o);
                finding = finding.related(
                    g.occurrences[o].span,
                    "also posts entries",
                    Some(occ_module(g, o)),
                    Some(occ_phase(g, o)),
                );
            }
        }
        if let Some(span) = company.accounting_span {
            finding = finding.related(
                span,
                format!("{whom}'s books are kept outside Odoo"),
                None,
                None,
            );
        }
        out.push(finding);
    }
}

/// The modules that post entries for company `c` while its books are outside Odoo: each with
/// the planned entry that brings it in and what it posts, in the order the phases add them.
fn posting(g: &PlanGraph<'_>, c: CompanyId, perpetual: bool) -> Vec<(OccId, ModId, String)> {
    let mut out = Vec::new();
    for q in g.go_live_order() {
        if !g.covers(q, c) || !g.books_outside(c, q) {
            continue;
        }
        for (m, _) in &g.installs[q].added {
            let Some((_, what)) = &g.modules[*m].posts_entries else {
                continue;
            };
            // Stock valuation is only posted under automated (perpetual) valuation.
            if !perpetual && what.contains("(perpetual)") {
                continue;
            }
            let Some(anchor) = g.anchor(q, *m) else {
                continue;
            };
            let o = g
                .occurrences_in(q)
                .find(|(_, occ)| *occ == anchor)
                .map(|(o, _)| o);
            if let Some(o) = o {
                out.push((o, *m, what.clone()));
            }
        }
    }
    out
}
