//! `why`: the chains that bring a module into each phase, and the findings about it.

use serde::Serialize;

use super::escape::escape;
use super::json::{JsonFinding, finding};
use super::style::Style;
use crate::finding::chain_text;
use crate::inspect::Posting;
use crate::inspect::why::{How, Why, WhyPhase};
use crate::source::SourceFile;

/// The view with every name from the plan escaped for the terminal ([`super::escape`]); the
/// findings are escaped by the concise line that shows them, and JSON keeps the names as
/// they are.
fn escaped(view: &Why) -> Why {
    let one = |s: &String| escape(s).into_owned();
    let all = |v: &Vec<String>| v.iter().map(one).collect::<Vec<_>>();
    let mut view = view.clone();
    view.path = one(&view.path);
    view.module = one(&view.module);
    view.triggers = view.triggers.as_ref().map(all);
    view.planned_in = all(&view.planned_in);
    if let Some(p) = &mut view.posts_entries {
        p.module = one(&p.module);
        p.through = one(&p.through);
        p.posts = one(&p.posts);
    }
    for p in &mut view.phases {
        p.id = one(&p.id);
        p.since = all(&p.since);
        p.triggers = all(&p.triggers);
        p.chains = p.chains.iter().map(all).collect();
    }
    view
}

/// The readable answer.
pub fn human(view: &Why, file: &SourceFile, style: Style) -> String {
    let view = &escaped(view);
    let m = &view.module;
    let mut out = format!("{}: why `{m}`\n", view.path);
    let mut facts = Vec::new();
    if !view.known {
        facts.push("no catalog knows it, so what it depends on is unknown".to_owned());
    }
    facts.push(if view.planned_in.is_empty() {
        "planned in no phase".to_owned()
    } else {
        format!("planned in {}", quoted(&view.planned_in))
    });
    if let Some(triggers) = &view.triggers {
        facts.push(format!(
            "installs itself once {} {} installed",
            quoted(triggers),
            is_are(triggers.len())
        ));
    }
    match &view.posts_entries {
        Some(p) if p.through == *m => facts.push(format!("posts {}", p.posts)),
        Some(p) => facts.push(format!("posts {} through `{}`", p.posts, p.through)),
        None => facts.push("posts no journal entries".to_owned()),
    }
    for fact in facts {
        out.push_str(&format!("  {}\n", style.dim(&fact)));
    }
    if view.phases.is_empty() {
        out.push_str(&format!("\nno phase installs `{m}`\n"));
    }
    for phase in &view.phases {
        out.push('\n');
        out.push_str(&phase_block(m, phase, style));
    }
    out.push('\n');
    if view.findings.is_empty() {
        out.push_str(&format!("no finding mentions `{m}`\n"));
    } else {
        out.push_str(&format!("findings that mention `{m}`:\n"));
        for f in &view.findings {
            let text = super::concise::line(f, file);
            let text = match f.severity {
                crate::finding::Severity::Error => style.red(&text),
                crate::finding::Severity::Warning => style.yellow(&text),
                crate::finding::Severity::Info => text,
            };
            out.push_str(&format!("  {text}\n"));
        }
    }
    out
}

fn quoted(items: &[String]) -> String {
    crate::finding::name_list(items)
}

fn phase_block(m: &str, phase: &WhyPhase, style: Style) -> String {
    let id = style.bold(&phase.id);
    let head = match phase.how {
        How::Planned => format!("{id}: installed here, where it is planned"),
        How::PulledIn => format!("{id}: installed here as a dependency"),
        How::AutoInstalled => format!(
            "{id}: installs itself here, once {} {} installed",
            quoted(&phase.triggers),
            is_are(phase.triggers.len())
        ),
        How::AlreadyInstalled => format!(
            "{id}: already installed (by {}); needed here too",
            quoted(&phase.since)
        ),
    };
    let mut out = format!("{head}\n");
    for chain in &phase.chains {
        let line = if chain.len() == 1 {
            format!("{m} (listed in this phase)")
        } else {
            chain_text(chain)
        };
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// The JSON document.
#[derive(Debug, Serialize)]
struct WhyJson<'a> {
    version: u32,
    path: &'a str,
    module: &'a str,
    known: bool,
    planned_in: &'a [String],
    triggers: Option<&'a [String]>,
    posts_entries: Option<&'a Posting>,
    phases: &'a [WhyPhase],
    findings: Vec<JsonFinding<'a>>,
}

/// The answer as JSON, pretty-printed, with a trailing newline.
pub fn json(view: &Why, file: &SourceFile) -> String {
    super::to_json(&WhyJson {
        version: 1,
        path: &view.path,
        module: &view.module,
        known: view.known,
        planned_in: &view.planned_in,
        triggers: view.triggers.as_deref(),
        posts_entries: view.posts_entries.as_ref(),
        phases: &view.phases,
        findings: view.findings.iter().map(|f| finding(f, file)).collect(),
    })
}

/// The verb after a list of module names: "once `account` is installed", "once `sale` and
/// `stock` are installed".
fn is_are(count: usize) -> &'static str {
    if count == 1 { "is" } else { "are" }
}

#[cfg(test)]
mod tests {
    use super::is_are;

    #[test]
    fn one_trigger_is_installed_several_are() {
        assert_eq!(is_are(1), "is");
        assert_eq!(is_are(2), "are");
    }
}
