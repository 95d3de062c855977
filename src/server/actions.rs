//! Code actions for the finding under the cursor: the moves `odoo-order fix` would make for it
//! (and the whole fix), the replacement a "did you mean" proposes (OO101, OO106), and a waiver
//! for it with a reason to write. Every edit is read back before it is offered: a move through
//! `fix`'s own check, a waiver by loading the edited plan and matching the finding with it.

use crate::check;
use crate::error::Problem;
use crate::finding::Finding;
use crate::fix::edit::{self, Moved};
use crate::fix::layout::Layout;
use crate::fix::{Fixed, Move, verify};
use crate::plan::Plan;
use crate::rules;
use crate::source::{SourceFile, Span};
use crate::yaml;

/// What an action does to the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The title the client shows.
    pub title: String,
    /// A quick fix, or the fix-all of a whole file.
    pub fix_all: bool,
    /// Whether it is the one obvious fix.
    pub preferred: bool,
    /// The byte range replaced, and the text put there.
    pub edit: (Span, String),
}

/// The names a finding's "did you mean" proposes: its backquoted names when the help starts
/// with "did you mean" (OO101 and OO106), or the successor of a renamed module ("plan `x`
/// instead").
pub fn suggestions(f: &Finding) -> Vec<String> {
    if !matches!(
        f.code,
        rules::unknown_module::CODE | rules::unknown_reference::CODE
    ) {
        return Vec::new();
    }
    let help = f.help.as_str();
    if help.starts_with("plan `") && help.contains("` instead") {
        return quoted(help.split(" instead").next().unwrap_or(""));
    }
    help.strip_prefix("did you mean ")
        .map(quoted)
        .unwrap_or_default()
}

/// The backquoted names of a text.
fn quoted(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// "Replace `x` with `y`" for each name a "did you mean" proposes.
pub fn did_you_mean(plan: &Plan, f: &Finding) -> Vec<Action> {
    replacements(&plan.file, f.span, suggestions(f))
}

/// The same for a hard error of the file itself: an unknown key or value (`go_lve`,
/// `edition: comunity`) with the "did you mean" its help gives.
pub fn problem_did_you_mean(file: &SourceFile, p: &Problem) -> Vec<Action> {
    let (Some(span), Some(help)) = (p.span, &p.help) else {
        return Vec::new();
    };
    let unknown = [yaml::PLAN, yaml::CONFIG, yaml::BASELINE, yaml::RULES]
        .iter()
        .any(|kind| p.code == kind.unknown_key || p.code == kind.unknown_value);
    if !unknown {
        return Vec::new();
    }
    let names = help
        .strip_prefix("did you mean ")
        .map(quoted)
        .unwrap_or_default();
    replacements(file, span, names)
}

fn replacements(file: &SourceFile, span: Span, names: Vec<String>) -> Vec<Action> {
    let written = file.slice(span);
    let (quote, inner) = match written.as_bytes() {
        [q @ (b'"' | b'\''), .., last] if last == q && written.len() >= 2 => {
            (char::from(*q).to_string(), &written[1..written.len() - 1])
        }
        _ => (String::new(), written),
    };
    if inner.is_empty() || inner.contains(|c: char| c.is_whitespace() || "[]{},:#".contains(c)) {
        return Vec::new();
    }
    let one = names.len() == 1;
    names
        .into_iter()
        .filter(|name| {
            name.chars()
                .all(|c| c.is_alphanumeric() || "_-.".contains(c))
        })
        .map(|name| Action {
            title: format!("Replace `{inner}` with `{name}`"),
            fix_all: false,
            preferred: one,
            edit: (span, format!("{quote}{name}{quote}")),
        })
        .collect()
}

/// Whether a move is one `fix` makes for this finding: it repairs the finding's rule and
/// moves a module the finding is about.
fn concerns(m: &Move, f: &Finding) -> bool {
    m.fixes == f.code
        && (f.module.as_deref() == Some(m.module.as_str())
            || f.related
                .iter()
                .any(|r| r.module.as_deref() == Some(m.module.as_str()))
            || f.chain.iter().flatten().any(|c| *c == m.module)
            || f.message.contains(&format!("`{}`", m.module)))
}

/// The moves `fix` makes for the finding, each offered alone, plus the whole fix.
pub fn moves(plan: &Plan, fixed: &Fixed, f: &Finding) -> Vec<Action> {
    let text = plan.file.text();
    let Ok(layout) = Layout::read(text) else {
        return Vec::new();
    };
    let mine: Vec<&Move> = fixed.moves.iter().filter(|m| concerns(m, f)).collect();
    let mut out: Vec<Action> = mine
        .iter()
        .filter_map(|m| {
            let edited = one_move(plan, &layout, m)?;
            Some(Action {
                title: format!(
                    "Move `{}` from `{}` to `{}` (as `odoo-order fix` would)",
                    m.module, fixed.phase_ids[m.from], fixed.phase_ids[m.to]
                ),
                fix_all: false,
                preferred: false,
                edit: diff(text, &edited),
            })
        })
        .collect();
    if out.len() == 1 && fixed.moves.len() == 1 {
        out[0].preferred = true;
    } else if !mine.is_empty()
        && let Some(all) = fix_all(plan, fixed)
    {
        out.push(Action {
            fix_all: false,
            ..all
        });
    }
    out
}

/// Every move of `fix` at once.
pub fn fix_all(plan: &Plan, fixed: &Fixed) -> Option<Action> {
    if !fixed.changes() || fixed.before.text() != plan.file.text() {
        return None;
    }
    let n = fixed.moves.len();
    Some(Action {
        title: format!(
            "Apply `odoo-order fix` to the plan ({n} {})",
            if n == 1 { "move" } else { "moves" }
        ),
        fix_all: true,
        preferred: false,
        edit: diff(plan.file.text(), fixed.after.text()),
    })
}

/// The plan's text with one move made, checked the way `fix` checks its own edits.
fn one_move(plan: &Plan, layout: &Layout, m: &Move) -> Option<String> {
    let index = plan
        .phases
        .get(m.from)?
        .modules
        .iter()
        .position(|x| x.value == m.module)?;
    plan.phases.get(m.to)?;
    let text = plan.file.text();
    let moved = Moved {
        from: m.from,
        index,
        to: m.to,
    };
    let edited = edit::apply(text, layout, &[moved]).ok()?;
    let mut expected: Vec<Vec<String>> = plan
        .phases
        .iter()
        .map(|p| p.modules.iter().map(|x| x.value.clone()).collect())
        .collect();
    let name = expected[m.from].remove(index);
    expected[m.to].push(name);
    let changed: Vec<bool> = (0..expected.len())
        .map(|q| q == m.from || q == m.to)
        .collect();
    verify::check(text, layout, &edited, &expected, &changed).ok()?;
    Some(edited)
}

/// A waiver for the finding, appended to the plan's `waivers` (made when absent), with a
/// reason to replace. Offered only when the edited plan loads and its new waiver covers the
/// finding.
pub fn waiver(plan: &Plan, f: &Finding) -> Option<Action> {
    if f.code == rules::unused_waiver::CODE {
        return None;
    }
    let text = plan.file.text();
    let eol = if text.contains("\r\n") {
        "\r\n"
    } else if text.contains('\r') {
        "\r"
    } else {
        "\n"
    };
    let mut fields: Vec<(&str, String)> = vec![("rule", f.rule.to_owned())];
    for (key, value) in [
        ("module", &f.module),
        ("phase", &f.phase),
        ("company", &f.company),
    ] {
        if let Some(v) = value {
            fields.push((key, v.clone()));
        }
    }
    fields.push(("reason", REASON.to_owned()));
    let edit = insert_waiver(text, &fields, eol)?;
    let mut edited = text.to_owned();
    edited.replace_range(edit.0.offset..edit.0.end(), &edit.1);
    let after = Plan::parse(SourceFile::new(plan.file.path(), plan.file.name(), edited)).ok()?;
    let added = after.waivers.last()?;
    if after.waivers.len() != plan.waivers.len() + 1 || !check::matches(added, f) {
        return None;
    }
    let mut what = format!("Waive {} `{}`", f.code, f.rule);
    if let Some(m) = &f.module {
        what.push_str(&format!(" for `{m}`"));
    }
    if let Some(p) = &f.phase {
        what.push_str(&format!(" in `{p}`"));
    }
    Some(Action {
        title: format!("{what} (add a waiver)"),
        fix_all: false,
        preferred: false,
        edit,
    })
}

/// The reason a new waiver starts with, for its author to replace.
pub const REASON: &str = "TODO: say why this finding is accepted";

/// A value as YAML reads it back as the same string.
fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars().all(|c| c.is_alphanumeric() || "_-.".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::Value::String(s.to_owned()).to_string()
    }
}

/// Where and what to insert for a new waiver: at the end of a block `waivers:` list, into an
/// empty one, at the end of a one-line flow list, or as a new `waivers:` at the end of the
/// file.
fn insert_waiver(text: &str, fields: &[(&str, String)], eol: &str) -> Option<(Span, String)> {
    let block = |indent: usize| {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        for (i, (key, value)) in fields.iter().enumerate() {
            let lead = if i == 0 { "- " } else { "  " };
            out.push_str(&format!("{pad}{lead}{key}: {}{eol}", scalar(value)));
        }
        out
    };
    let lines = line_spans(text);
    let Some(key_line) = lines
        .iter()
        .position(|&(s, e)| text[s..e].starts_with("waivers:"))
    else {
        let sep = if text.is_empty() || text.ends_with(['\n', '\r']) {
            ""
        } else {
            eol
        };
        return Some((
            Span::new(text.len(), 0),
            format!("{sep}waivers:{eol}{}", block(2)),
        ));
    };
    let (start, end) = lines[key_line];
    let after_key = start + "waivers:".len();
    let rest = text[after_key..end].split(" #").next().unwrap_or("").trim();
    match rest {
        "" => {
            // The block: every following line that is blank, a comment, or indented.
            let mut last_item_line = None;
            let mut indent = None;
            for (i, &(s, e)) in lines.iter().enumerate().skip(key_line + 1) {
                let line = &text[s..e];
                let body = line.trim_start();
                if !line.is_empty() && !line.starts_with([' ', '\t', '#', '-']) {
                    break;
                }
                if body.is_empty() || body.starts_with('#') {
                    continue;
                }
                if body.starts_with('-') && indent.is_none() {
                    indent = Some(line.len() - body.len());
                }
                last_item_line = Some(i);
            }
            let after = last_item_line.unwrap_or(key_line);
            let at = lines.get(after + 1).map_or(text.len(), |&(s, _)| s);
            let sep = if at == text.len() && !text.ends_with(['\n', '\r']) {
                eol
            } else {
                ""
            };
            Some((
                Span::new(at, 0),
                format!("{sep}{}", block(indent.unwrap_or(2))),
            ))
        }
        "[]" | "~" | "null" => Some((
            Span::new(after_key, end - after_key),
            format!("{eol}{}", block(2).trim_end_matches(eol)),
        )),
        flow if flow.starts_with('[') && flow.ends_with(']') => {
            let close = after_key + text[after_key..end].rfind(']')?;
            let entries: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}: {}", scalar(v)))
                .collect();
            Some((Span::new(close, 0), format!(", {{{}}}", entries.join(", "))))
        }
        _ => None,
    }
}

/// Each line's start and end (line break excluded).
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let file = SourceFile::new("", "", text);
    (0..file.line_count())
        .filter_map(|i| file.line_span(i))
        .map(|s| (s.offset, s.end()))
        .collect()
}

/// The one replacement that turns `before` into `after`: the bytes between their common
/// prefix and common suffix, on character boundaries.
pub fn diff(before: &str, after: &str) -> (Span, String) {
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix)
        || !after.is_char_boundary(after.len() - suffix)
    {
        suffix -= 1;
    }
    (
        Span::new(prefix, before.len() - suffix - prefix),
        after[prefix..after.len() - suffix].to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_replacement() {
        assert_eq!(diff("abc", "abc"), (Span::new(3, 0), String::new()));
        assert_eq!(diff("a b c", "a x c"), (Span::new(2, 1), "x".to_owned()));
        assert_eq!(diff("aa", "aaa"), (Span::new(2, 0), "a".to_owned()));
        // Never inside a character: `é` and `è` share their first byte.
        assert_eq!(diff("é", "è"), (Span::new(0, 2), "è".to_owned()));
    }

    #[test]
    fn values_stay_strings() {
        assert_eq!(scalar("layer-order"), "layer-order");
        assert_eq!(scalar("2026"), "\"2026\"");
        assert_eq!(scalar("no"), "\"no\"");
        assert_eq!(scalar("a b"), "\"a b\"");
    }
}
