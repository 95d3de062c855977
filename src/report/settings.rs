//! `check --show-config`: the resolved settings, and where each comes from (default,
//! `file:line`, or the command line). The output is itself a valid `odoo-order.yaml`, with the
//! origins as comments.

use std::path::PathBuf;

use crate::config::{Explained, Origin, Sourced};
use crate::finding::Severity;
use crate::paths;
use crate::report::escape::{escape, needs_escape};

/// The column origins start at.
const COMMENT_COLUMN: usize = 40;

/// A line and its comment. Values in `text` are already quoted ([`yaml_string`]); the
/// comment names files and lines from the input, so it is escaped like every human output.
fn line(out: &mut String, text: &str, comment: &str) {
    let pad = COMMENT_COLUMN.saturating_sub(text.chars().count()).max(1);
    out.push_str(&format!("{text}{}# {}\n", " ".repeat(pad), escape(comment)));
}

fn level(severity: Option<Severity>) -> &'static str {
    match severity {
        None => "allow",
        Some(Severity::Info) => "info",
        Some(Severity::Warning) => "warn",
        Some(Severity::Error) => "deny",
    }
}

fn list<T>(
    out: &mut String,
    key: &str,
    items: &[Sourced<T>],
    show: impl Fn(&T) -> String,
    default: &str,
) {
    if items.is_empty() {
        line(out, &format!("{key}: []"), default);
        return;
    }
    out.push_str(&format!("{key}:\n"));
    for item in items {
        line(
            out,
            &format!("  - {}", yaml_string(&show(&item.value))),
            &item.origin.to_string(),
        );
    }
}

/// Quotes a string when YAML would otherwise read it as something else. A string holding a
/// character that must not reach a terminal raw ([`needs_escape`]) is double-quoted with YAML's
/// own escapes, so the output stays a valid configuration with the same value.
fn yaml_string(s: &str) -> String {
    if s.chars().any(needs_escape) {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if needs_escape(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        return out;
    }
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !s.starts_with(['-', '.']);
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// Renders one configuration and the plans it applies to.
pub fn render(explained: &Explained, plans: usize) -> String {
    let mut out = String::new();
    let plural = if plans == 1 { "plan" } else { "plans" };
    match &explained.file {
        Some(file) => out.push_str(&format!(
            "# settings for {plans} {plural}, from {}\n",
            escape(file)
        )),
        None => out.push_str(&format!(
            "# settings for {plans} {plural}: no odoo-order.yaml applies, defaults\n"
        )),
    }
    line(
        &mut out,
        &format!("fail_on: {}", explained.fail_on.value),
        &explained.fail_on.origin.to_string(),
    );
    out.push_str("rules:\n");
    for (rule, sourced) in &explained.rules {
        let origin = match &sourced.origin {
            Origin::Default => format!("{}, default", rule.code),
            other => format!("{}, {other}", rule.code),
        };
        line(
            &mut out,
            &format!("  {}: {}", rule.name, level(sourced.value)),
            &origin,
        );
    }
    if explained.layers.is_empty() {
        line(&mut out, "layers: {}", "default: rules/layers.yaml");
    } else {
        out.push_str("layers:\n");
        let mut by_layer: Vec<(&str, &str, String)> = explained
            .layers
            .iter()
            .map(|(name, s)| {
                let layer = s.value.map_or("none", |l| l.as_str());
                (layer, name.as_str(), s.origin.to_string())
            })
            .collect();
        by_layer.sort_by_key(|(layer, _, _)| *layer);
        let mut current = "";
        for (layer, name, origin) in by_layer {
            if layer != current {
                out.push_str(&format!("  {layer}:\n"));
                current = layer;
            }
            line(&mut out, &format!("    - {}", yaml_string(name)), &origin);
        }
    }
    let path = |p: &PathBuf| paths::display(p);
    list(
        &mut out,
        "extra_rules",
        &explained.extra_rules,
        path,
        "default",
    );
    list(
        &mut out,
        "addons_path",
        &explained.addons_path,
        path,
        "default",
    );
    list(
        &mut out,
        "include",
        &explained.include,
        String::clone,
        "default: plan.yaml, *.plan.yaml, odoo-plan.yaml, plans/**/*.yaml (each also .yml)",
    );
    list(
        &mut out,
        "exclude",
        &explained.exclude,
        String::clone,
        "default: what .gitignore ignores",
    );
    out
}
