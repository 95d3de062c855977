//! Hover: what the plan's graph knows of the node under the cursor. On a module, its facts
//! (application, layer, edition, journal entries), what it installs in its phase (itself,
//! what it pulls in, the bridges it completes) and the findings about it; on a phase, its
//! go-live, its companies and the phases it comes after; on a company, its country and the
//! phases that cover it; on a waiver's rule, the rule.

use std::fmt::Write as _;

use super::locate::{self, Target};
use crate::catalog::{AutoInstall, Origin};
use crate::check::Outcome;
use crate::finding::Finding;
use crate::graph::{ModId, PhaseId, PlanGraph, Reason};
use crate::plan::Plan;
use crate::rules;

/// Lists longer than this are cut, with a count of the rest: a hover stays readable.
const LIST_MAX: usize = 12;

/// The Markdown for the node at `offset`, and the byte range it covers.
pub fn hover(
    g: &PlanGraph<'_>,
    outcome: &Outcome,
    offset: usize,
) -> Option<(String, crate::source::Span)> {
    let plan = g.plan;
    let target = locate::at(plan, offset)?;
    let (text, span) = match target {
        Target::Module { phase, name } => {
            let m = g.module_id(&name.value)?;
            (module(g, outcome, m, Some(phase)), name.span)
        }
        Target::WaiverModule(name) => {
            let m = g.module_id(&name.value)?;
            (module(g, outcome, m, None), name.span)
        }
        Target::PhaseId(q) => (phase(g, outcome, q), plan.phases[q].id.span),
        Target::PhaseRef(name) => (
            phase(g, outcome, locate::phase(plan, &name.value)?),
            name.span,
        ),
        Target::CompanyId(c) => (
            company(g, &plan.companies[c].id.value)?,
            plan.companies[c].id.span,
        ),
        Target::CompanyRef(name) => (company(g, &name.value)?, name.span),
        Target::Rule(name) => (rule(&name.value)?, name.span),
    };
    Some((text, span))
}

/// A name in inline code, whatever it holds.
fn code(s: &str) -> String {
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn code_list<S: AsRef<str>>(names: &[S]) -> String {
    let mut shown: Vec<String> = names
        .iter()
        .take(LIST_MAX)
        .map(|n| code(n.as_ref()))
        .collect();
    if names.len() > LIST_MAX {
        shown.push(format!("and {} more", names.len() - LIST_MAX));
    }
    shown.join(", ")
}

fn phase_name(plan: &Plan, q: PhaseId) -> String {
    code(&plan.phases[q].id.value)
}

fn module(g: &PlanGraph<'_>, outcome: &Outcome, m: ModId, q: Option<PhaseId>) -> String {
    let node = &g.modules[m];
    let mut out = format!("### {} (module)\n\n", code(&node.name));
    let mut facts: Vec<String> = Vec::new();
    match &node.facts {
        Some(f) => {
            facts.push(
                if f.application {
                    "application"
                } else {
                    "technical module"
                }
                .to_owned(),
            );
            facts.push(format!("edition: {}", f.edition.as_str()));
            if let Some(category) = &f.category {
                facts.push(format!("category: {category}"));
            }
        }
        None => facts.push(format!(
            "unknown to the Odoo {} catalog",
            g.catalog().series()
        )),
    }
    facts.push(match node.layer {
        Some(layer) => format!("layer: {layer}"),
        None => "no layer (unconstrained)".to_owned(),
    });
    let _ = writeln!(out, "{}\n", facts.join(" · "));
    match &node.posts_entries {
        Some((through, posts)) if *through == node.name => {
            let _ = writeln!(out, "Posts journal entries: {posts}.\n");
        }
        Some((through, posts)) => {
            let _ = writeln!(
                out,
                "Posts journal entries through {}: {posts}.\n",
                code(through)
            );
        }
        None => out.push_str("Posts no journal entries.\n\n"),
    }
    if let Some(f) = &node.facts {
        if let Some(triggers) = f.triggers() {
            let how = match &f.auto_install {
                AutoInstall::All => "all its dependencies",
                _ => "its triggers",
            };
            let _ = writeln!(
                out,
                "Installs itself once {how} are installed: {}.\n",
                code_list(triggers)
            );
        }
        if let Origin::Manifest(path) = &f.origin {
            let _ = writeln!(out, "Manifest: {}\n", code(&crate::paths::display(path)));
        }
    }
    if let Some(q) = q {
        installs_in(g, m, q, &mut out);
    }
    let about: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| {
            f.module.as_deref() == Some(node.name.as_str())
                && (q.is_none()
                    || f.phase.is_none()
                    || f.phase.as_deref() == q.map(|q| g.plan.phases[q].id.value.as_str()))
        })
        .collect();
    findings(&about, &mut out);
    out
}

/// What the module brings into its phase: itself, the modules it pulls in, the bridges.
fn installs_in(g: &PlanGraph<'_>, m: ModId, q: PhaseId, out: &mut String) {
    let plan = g.plan;
    let _ = writeln!(out, "**In phase {}**\n", phase_name(plan, q));
    match g.reason(q, m) {
        Some(Reason::Planned(_)) => out.push_str("- installed in this phase, as planned\n"),
        Some(Reason::PulledIn { by }) => {
            let _ = writeln!(
                out,
                "- installed in this phase, pulled in by {}",
                code(g.name(*by))
            );
        }
        Some(Reason::AutoInstalled { .. }) => {
            out.push_str("- installs itself in this phase\n");
        }
        None => {
            let earlier: Vec<&str> = g
                .landing_phases(m)
                .into_iter()
                .filter(|&p| p != q)
                .map(|p| plan.phases[p].id.value.as_str())
                .collect();
            if earlier.is_empty() {
                out.push_str("- installed with its phase's cycle of `after`\n");
            } else {
                let _ = writeln!(out, "- already installed by {}", code_list(&earlier));
            }
        }
    }
    let mut brought: Vec<ModId> = vec![m];
    let mut pulled: Vec<String> = Vec::new();
    for (d, reason) in &g.installs[q].added {
        if matches!(reason, Reason::PulledIn { .. }) {
            let chain = g.install_chain(q, *d);
            if chain.first() == Some(&m) {
                brought.push(*d);
                let names: Vec<&str> = chain.iter().map(|&c| g.name(c)).collect();
                pulled.push(format!("{} ({})", code(g.name(*d)), names.join(" → ")));
            }
        }
    }
    if !pulled.is_empty() {
        let more = pulled.len().saturating_sub(LIST_MAX);
        pulled.truncate(LIST_MAX);
        let _ = write!(out, "- pulls in: {}", pulled.join(", "));
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        out.push('\n');
    }
    // Bridges: what installs itself once two or more modules are there, one of them brought
    // by this module (`sale_stock` once `sale` and `stock_account` are). Modules that follow a
    // single trigger (`auth_totp` with `web`) are only counted.
    let mut bridges: Vec<String> = Vec::new();
    let mut followers = 0;
    for (b, reason) in &g.installs[q].added {
        let Reason::AutoInstalled { triggers } = reason else {
            continue;
        };
        if !triggers.iter().any(|t| brought.contains(t)) {
            continue;
        }
        let mut distinct = triggers.clone();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 2 {
            followers += 1;
            continue;
        }
        let names: Vec<String> = triggers.iter().map(|&t| code(g.name(t))).collect();
        let posts = if g.modules[*b].posts_entries.is_some() {
            ", posts journal entries"
        } else {
            ""
        };
        bridges.push(format!(
            "{} (once {} {} installed{posts})",
            code(g.name(*b)),
            crate::finding::name_list(&names).replace('`', ""),
            if names.len() == 1 { "is" } else { "are" }
        ));
    }
    if !bridges.is_empty() {
        let more = bridges.len().saturating_sub(LIST_MAX);
        bridges.truncate(LIST_MAX);
        let _ = write!(out, "- bridges it completes: {}", bridges.join(", "));
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        out.push('\n');
    }
    if followers > 0 {
        let _ = writeln!(
            out,
            "- and {followers} {} that install themselves with it",
            if followers == 1 { "module" } else { "modules" }
        );
    }
    out.push('\n');
}

fn findings(about: &[&Finding], out: &mut String) {
    if about.is_empty() {
        return;
    }
    out.push_str("**Findings**\n\n");
    for f in about.iter().take(LIST_MAX) {
        let _ = writeln!(
            out,
            "- {} {} `{}`: {}",
            f.severity, f.code, f.rule, f.message
        );
    }
    if about.len() > LIST_MAX {
        let _ = writeln!(out, "- and {} more", about.len() - LIST_MAX);
    }
}

fn phase(g: &PlanGraph<'_>, outcome: &Outcome, q: PhaseId) -> String {
    let plan = g.plan;
    let p = &plan.phases[q];
    let mut out = format!("### {} (phase)", code(&p.id.value));
    if let Some(name) = &p.name {
        let _ = write!(out, ": {name}");
    }
    out.push_str("\n\n");
    let _ = writeln!(
        out,
        "- goes live: {}",
        p.go_live
            .as_ref()
            .map_or_else(|| "no date".to_owned(), |d| d.value.to_string())
    );
    let companies: Vec<&str> = g.phase_companies[q]
        .iter()
        .filter_map(|&c| g.company_id(c))
        .collect();
    if p.companies.is_none() || plan.companies.is_empty() {
        out.push_str("- companies: every company\n");
    } else {
        let _ = writeln!(out, "- companies: {}", code_list(&companies));
    }
    let direct = crate::inspect::predecessors(g, q);
    let after = match (&p.after, direct.is_empty()) {
        (Some(list), _) if list.is_empty() => {
            "nothing (`after: []` starts a parallel track)".to_owned()
        }
        (_, true) => "nothing: it is the first phase".to_owned(),
        (Some(_), false) => code_list(&direct),
        (None, false) => format!("{} (the previous phase in the list)", code_list(&direct)),
    };
    let _ = writeln!(out, "- goes live after: {after}");
    let all: Vec<&str> = g
        .ancestors(q)
        .map(|a| plan.phases[a].id.value.as_str())
        .collect();
    if all.len() > direct.len() {
        let _ = writeln!(out, "- preceded by: {}", code_list(&all));
    }
    let installed: usize = g.installs[q].added.len();
    let _ = writeln!(
        out,
        "- plans {} modules; Odoo installs {installed} modules when it goes live\n",
        p.modules.len()
    );
    let about: Vec<&Finding> = outcome
        .findings
        .iter()
        .filter(|f| f.span.offset < p.id.span.end() && p.id.span.offset < f.span.end())
        .collect();
    findings(&about, &mut out);
    out
}

fn company(g: &PlanGraph<'_>, id: &str) -> Option<String> {
    let plan = g.plan;
    let c = g
        .companies
        .iter()
        .position(|c| c.id.as_deref() == Some(id))?;
    let declared = plan.companies.iter().find(|d| d.id.value == id)?;
    let mut out = format!("### {} (company)", code(id));
    if let Some(name) = &declared.name {
        let _ = write!(out, ": {name}");
    }
    out.push_str("\n\n");
    if let Some(country) = &declared.country {
        let _ = writeln!(out, "- country: {}", country.value);
    }
    let covering: Vec<&str> = g
        .go_live_order()
        .into_iter()
        .filter(|&q| g.covers(q, c))
        .map(|q| plan.phases[q].id.value.as_str())
        .collect();
    let _ = writeln!(
        out,
        "- phases: {}",
        if covering.is_empty() {
            "none".to_owned()
        } else {
            code_list(&covering)
        }
    );
    let accounting: Vec<&str> = g
        .earliest(&g.accounting_phases[c])
        .map(|q| plan.phases[q].id.value.as_str())
        .collect();
    let _ = writeln!(
        out,
        "- accounting goes live in: {}",
        if accounting.is_empty() {
            "no phase".to_owned()
        } else {
            code_list(&accounting)
        }
    );
    Some(out)
}

fn rule(name: &str) -> Option<String> {
    let r = rules::find(name)?;
    Some(format!(
        "### {} {} (rule)\n\n{}\n\nDefault severity: {}. [Documentation]({})\n",
        r.code,
        code(r.name),
        r.summary,
        r.default_severity,
        r.url()
    ))
}
