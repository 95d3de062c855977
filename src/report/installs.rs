//! `installs`: the readable tree (in the manner of `cargo tree`) and the JSON document.

use std::collections::BTreeMap;

use super::escape::escape;
use super::style::Style;
use crate::inspect::Posting;
use crate::inspect::installs::{Books, CompanyEntries, Installs, PhaseInstalls, Preinstalled};

/// The readable view: one block per phase, in go-live order; under each planned (or
/// auto-installed) module, the tree of what it pulls in.
pub fn human(view: &Installs, style: Style) -> String {
    let view = &escaped(view);
    let mut out = format!(
        "{}: what Odoo installs, phase by phase in go-live order\n",
        view.path
    );
    if let Some(pre) = &view.preinstalled {
        out.push('\n');
        out.push_str(&preinstalled_block(pre, style));
    }
    for phase in &view.phases {
        out.push('\n');
        out.push_str(&phase_block(phase, style));
    }
    let (modules, posting) = (view.module_count(), view.posting_count());
    out.push_str(&format!(
        "\n{} installed over {}; {} of them {} journal entries\n",
        plural(modules, "module", "modules"),
        plural(view.phases.len(), "phase", "phases"),
        posting,
        if posting == 1 { "posts" } else { "post" },
    ));
    out
}

/// The view with every name from the plan escaped for the terminal ([`super::escape`]); the
/// JSON document keeps them as they are.
fn escaped(view: &Installs) -> Installs {
    let one = |s: &String| escape(s).into_owned();
    let all = |v: &Vec<String>| v.iter().map(one).collect::<Vec<_>>();
    let mut view = view.clone();
    view.path = one(&view.path);
    for p in &mut view.phases {
        p.id = one(&p.id);
        p.name = p.name.as_ref().map(one);
        p.go_live = p.go_live.as_ref().map(one);
        p.companies = all(&p.companies);
        p.after = all(&p.after);
        p.milestones = all(&p.milestones);
        p.planned = all(&p.planned);
        p.unknown = all(&p.unknown);
        p.installed_with = p.installed_with.as_ref().map(one);
        for x in &mut p.pulled_in {
            x.module = one(&x.module);
            x.chain = all(&x.chain);
        }
        for x in &mut p.auto_installed {
            x.module = one(&x.module);
            x.triggers = all(&x.triggers);
        }
        for x in &mut p.already_installed {
            x.module = one(&x.module);
            x.phases = all(&x.phases);
        }
        for x in &mut p.posts_entries {
            escape_posting(x);
        }
        for e in &mut p.entries {
            e.company = e.company.as_ref().map(one);
            e.accounting_since = e.accounting_since.as_ref().map(one);
            e.books_until = e.books_until.as_ref().map(one);
            e.posts.iter_mut().for_each(escape_posting);
            e.no_entry_per_move = all(&e.no_entry_per_move);
        }
    }
    if let Some(pre) = &mut view.preinstalled {
        pre.listed = all(&pre.listed);
        pre.modules = all(&pre.modules);
        pre.accounting_live_for = all(&pre.accounting_live_for);
        pre.posts_entries.iter_mut().for_each(escape_posting);
    }
    view
}

fn escape_posting(x: &mut Posting) {
    x.module = escape(&x.module).into_owned();
    x.through = escape(&x.through).into_owned();
    x.posts = escape(&x.posts).into_owned();
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn heading(phase: &PhaseInstalls) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(name) = &phase.name {
        parts.push(name.clone());
    }
    parts.push(phase.go_live.as_ref().map_or_else(
        || "no go-live date".to_owned(),
        |d| format!("goes live {d}"),
    ));
    if !phase.after.is_empty() {
        parts.push(format!("after {}", phase.after.join(", ")));
    }
    if !phase.companies.is_empty() {
        parts.push(format!("for {}", phase.companies.join(", ")));
    }
    parts
}

fn phase_block(phase: &PhaseInstalls, style: Style) -> String {
    let mut out = format!(
        "{}  {}\n",
        style.bold(&phase.id),
        style.dim(&heading(phase).join(" · "))
    );
    if let Some(first) = &phase.installed_with {
        out.push_str(&format!(
            "  goes live together with `{first}` (their `after` lists form a cycle): see there\n"
        ));
        return out;
    }
    if !phase.milestones.is_empty() {
        out.push_str(&format!("  milestones: {}\n", phase.milestones.join(", ")));
    }
    if phase.planned.is_empty() && phase.already_installed.is_empty() {
        out.push_str("  nothing planned\n");
    }
    out.push_str(&trees(phase, style));
    out.push_str(&footer(phase, style));
    out
}

/// The planned, pulled-in and auto-installed modules, each root with the tree of what it
/// pulls in.
fn trees(phase: &PhaseInstalls, style: Style) -> String {
    let mut out = String::new();
    // Each pulled-in module hangs under the module just before it in its chain.
    let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in &phase.pulled_in {
        if let [.., parent, _] = p.chain.as_slice() {
            children
                .entry(parent.as_str())
                .or_default()
                .push(p.module.as_str());
        }
    }
    // Sets, not scans of the lists for each module: 60,000 unknown modules in one phase made
    // the view quadratic.
    let unknown: std::collections::HashSet<&str> =
        phase.unknown.iter().map(String::as_str).collect();
    let posting = phase.posting_modules();
    let label = |module: &str| -> String {
        let mut text = module.to_owned();
        if unknown.contains(module) {
            text.push_str(&style.dim(" (unknown module: its dependencies are not known)"));
        }
        if posting.contains(module) {
            text.push_str(&style.yellow(" (posts journal entries)"));
        }
        text
    };
    if !phase.planned.is_empty() {
        out.push_str("  planned\n");
        for module in &phase.planned {
            out.push_str(&format!("    {}\n", label(module)));
            tree(&mut out, &children, module, "    ", &label);
        }
    }
    // A module pulled in through one that an earlier phase lists has no parent here.
    let shown: std::collections::HashSet<&str> = phase
        .planned
        .iter()
        .chain(phase.auto_installed.iter().map(|a| &a.module))
        .chain(phase.pulled_in.iter().map(|p| &p.module))
        .map(String::as_str)
        .collect();
    let orphans: Vec<_> = phase
        .pulled_in
        .iter()
        .filter(|p| p.chain.len() < 2 || !shown.contains(&p.chain[p.chain.len() - 2].as_str()))
        .collect();
    if !orphans.is_empty() {
        out.push_str("  pulled in\n");
        for p in orphans {
            out.push_str(&format!(
                "    {}{}\n",
                label(&p.module),
                style.dim(&format!(" ({})", crate::finding::chain_text(&p.chain)))
            ));
            tree(&mut out, &children, &p.module, "    ", &label);
        }
    }
    if !phase.auto_installed.is_empty() {
        out.push_str("  auto-installed\n");
        for a in &phase.auto_installed {
            out.push_str(&format!(
                "    {}{}\n",
                label(&a.module),
                style.dim(&format!(
                    " once {} {} installed",
                    crate::finding::name_list(&a.triggers),
                    if a.triggers.len() == 1 { "is" } else { "are" }
                ))
            ));
            tree(&mut out, &children, &a.module, "    ", &label);
        }
    }
    out
}

/// What the phase lists but does not install, and what it posts.
fn footer(phase: &PhaseInstalls, style: Style) -> String {
    let mut out = String::new();
    for a in &phase.already_installed {
        out.push_str(&format!(
            "  {}\n",
            style.yellow(&format!(
                "`{}` is planned here but already installed in {}",
                a.module,
                crate::finding::name_list(&a.phases)
            ))
        ));
    }
    for entries in &phase.entries {
        out.push_str(&company_entries(entries, style));
    }
    out
}

/// The live database the plan starts from.
fn preinstalled_block(pre: &Preinstalled, style: Style) -> String {
    let mut out = format!(
        "{}  {}\n",
        style.bold("installed"),
        style.dim("already live before the first phase, for every company")
    );
    out.push_str(&format!("  listed: {}\n", pre.listed.join(", ")));
    let more = pre.modules.len().saturating_sub(pre.listed.len());
    if more > 0 {
        out.push_str(&format!(
            "  {}\n",
            style.dim(&format!(
                "with {} they install (dependencies and bridges): {} in the database",
                plural(more, "module", "modules"),
                pre.modules.len()
            ))
        ));
    }
    out.push_str(&if pre.accounting_live_for.is_empty() {
        "  accounting: not installed\n".to_owned()
    } else {
        format!(
            "  accounting live for: {}\n",
            pre.accounting_live_for.join(", ")
        )
    });
    if !pre.posts_entries.is_empty() {
        out.push_str(&format!(
            "  {}\n",
            style.yellow("already posts journal entries")
        ));
        for p in &pre.posts_entries {
            out.push_str(&posting_line(p));
        }
    }
    out
}

/// What a phase starts posting for one company, under the state of its books.
fn company_entries(entries: &CompanyEntries, style: Style) -> String {
    if entries.posts.is_empty() && entries.no_entry_per_move.is_empty() {
        return String::new();
    }
    let who = entries
        .company
        .as_ref()
        .map_or_else(String::new, |c| format!(" for `{c}`"));
    let books = match entries.books {
        Books::Odoo => entries.accounting_since.as_ref().map_or_else(
            || "accounting live (installed)".to_owned(),
            |p| format!("accounting live since `{p}`"),
        ),
        Books::NotConfigured => "accounting not configured yet".to_owned(),
        Books::External => entries.books_until.as_ref().map_or_else(
            || "books kept outside Odoo".to_owned(),
            |d| format!("books kept outside Odoo until {d}"),
        ),
    };
    let valuation = if entries.valuation_stated {
        format!("{} valuation", entries.valuation)
    } else {
        format!("{} valuation, Odoo's default", entries.valuation)
    };
    let mut out = format!(
        "  {}\n",
        style.yellow(&format!("journal entries{who}"))
            + &style.dim(&format!(" ({books}; {valuation})"))
    );
    for p in &entries.posts {
        out.push_str(&posting_line(p));
    }
    if !entries.no_entry_per_move.is_empty() {
        out.push_str(&format!(
            "    {}\n",
            style.dim(&format!(
                "no entry per stock move under periodic valuation: {}",
                entries.no_entry_per_move.join(", ")
            ))
        ));
    }
    out
}

fn posting_line(p: &Posting) -> String {
    let through = if p.through == p.module {
        String::new()
    } else {
        format!(" (through `{}`)", p.through)
    };
    format!("    {}: {}{through}\n", p.module, p.posts)
}

/// Draws the modules pulled in under `parent`, with `cargo tree`'s connectors.
fn tree(
    out: &mut String,
    children: &BTreeMap<&str, Vec<&str>>,
    parent: &str,
    indent: &str,
    label: &dyn Fn(&str) -> String,
) {
    let Some(kids) = children.get(parent) else {
        return;
    };
    for (i, kid) in kids.iter().enumerate() {
        let last = i + 1 == kids.len();
        out.push_str(&format!(
            "{indent}{}{}\n",
            if last { "└── " } else { "├── " },
            label(kid)
        ));
        let deeper = format!("{indent}{}", if last { "    " } else { "│   " });
        tree(out, children, kid, &deeper, label);
    }
}

/// The JSON document, pretty-printed, with a trailing newline.
pub fn json(view: &Installs) -> String {
    super::to_json(view)
}
