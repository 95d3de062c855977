//! `fix`: what moved (or would move), what remains, and the unified diff of `--diff`.

use similar::TextDiff;

use super::style::Style;
use crate::finding::Severity;
use crate::fix::Fixed;
use crate::rules;

/// The account of a fix: the moves, then the errors no move repairs. `applied` says whether
/// the file was written (or whether this is what `--diff` would do).
pub fn summary(fixed: &Fixed, applied: bool, style: Style) -> String {
    let name = fixed.before.name();
    let mut out = String::new();
    let errors_after = fixed.errors_after();
    if fixed.moves.is_empty() {
        if !fixed.added.is_empty() {
            added(&mut out, fixed, applied);
        }
        if fixed.errors_before == 0 {
            if fixed.added.is_empty() {
                out.push_str(&format!("{name}: nothing to fix\n"));
            }
        } else {
            out.push_str(&format!(
                "{name}: no move of a module repairs {}\n",
                count(fixed.errors_before, "error", "errors")
            ));
        }
    } else {
        let verb = if applied { "moved" } else { "would move" };
        out.push_str(&format!(
            "{name}: {verb} {}\n",
            count(fixed.moves.len(), "module", "modules")
        ));
        for m in &fixed.moves {
            out.push_str(&format!(
                "  `{}`: `{}` → `{}` ({})\n",
                m.module, fixed.phase_ids[m.from], fixed.phase_ids[m.to], m.fixes
            ));
        }
        let repaired = fixed.errors_before.saturating_sub(errors_after);
        // Moves that only repair warnings (a module a finding names, moved to its phase) fix
        // no error, and a plan without errors needs no count of them.
        if fixed.errors_before > 0 {
            out.push_str(&format!(
                "{} {}\n",
                if applied { "fixed" } else { "would fix" },
                count(repaired, "error", "errors")
            ));
        }
        if !fixed.added.is_empty() {
            added(&mut out, fixed, applied);
        }
    }
    if fixed.stopped_early {
        out.push_str(
            "note: the plan is large: fix stopped searching before trying every move; run it \
             again to go on\n",
        );
    }
    if fixed
        .outcome
        .findings
        .iter()
        .any(|f| f.code == rules::phase_cycle::CODE)
    {
        out.push_str(
            "note: modules in phases on an `after` cycle stay where they are until the cycle is broken\n",
        );
    }
    if errors_after > 0 {
        for h in &fixed.held {
            out.push_str(&format!("note: `{}` {}\n", h.module, h.why));
        }
        if !fixed.held.is_empty() {
            out.push_str(
                "  fix does not edit what anchors and aliases share: move it by hand if every \
                 place that shares it should change\n",
            );
        }
        out.push_str(&format!(
            "{} {} that moving modules cannot fix:\n",
            count(errors_after, "error", "errors"),
            if errors_after == 1 {
                "remains"
            } else {
                "remain"
            }
        ));
        let file = &fixed.after;
        for f in fixed
            .outcome
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            out.push_str(&format!(
                "  {}
",
                style.red(&super::concise::line(f, file))
            ));
        }
    }
    unadded(&mut out, fixed, style);
    out
}

/// The findings that asked for a module `fix` does not add, each with why.
fn unadded(out: &mut String, fixed: &Fixed, style: Style) {
    if fixed.unadded.is_empty() {
        return;
    }
    let n = fixed.unadded.len();
    out.push_str(&format!(
        "{} {} that fix adds no module for:\n",
        count(n, "finding", "findings"),
        if n == 1 { "remains" } else { "remain" }
    ));
    let file = &fixed.after;
    for (f, why) in &fixed.unadded {
        out.push_str(&format!(
            "  {}\n    {why}\n",
            style.yellow(&super::concise::line(f, file))
        ));
    }
}

/// The modules added, one a line, with the rule each repairs.
fn added(out: &mut String, fixed: &Fixed, applied: bool) {
    out.push_str(&format!(
        "{}: {} {}\n",
        fixed.before.name(),
        if applied { "added" } else { "would add" },
        count(fixed.added.len(), "module", "modules")
    ));
    for a in &fixed.added {
        out.push_str(&format!(
            "  `{}` → `{}` ({})\n",
            a.module, fixed.phase_ids[a.to], a.fixes
        ));
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The change as a unified diff with three lines of context, headed by the file's name; empty
/// when nothing changes.
pub fn diff(fixed: &Fixed, style: Style) -> String {
    let (old, new) = (fixed.before.text(), fixed.after.text());
    if old == new {
        return String::new();
    }
    let name = fixed.before.name();
    let text = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(name, name)
        .to_string();
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let painted = if line.starts_with("+++") || line.starts_with("---") {
            style.bold(body)
        } else if line.starts_with('+') {
            style.green(body)
        } else if line.starts_with('-') {
            style.red(body)
        } else if line.starts_with("@@") {
            style.cyan(body)
        } else {
            body.to_owned()
        };
        out.push_str(&painted);
        out.push('\n');
    }
    out
}
