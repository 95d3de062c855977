//! Rule documentation in every shape: `explain`, the `rules` table and JSON, the README's
//! rule table and `docs/rules.md`, all generated from the rules' doc comments.

use serde::Serialize;

use crate::rules::{RULES, Rule};

/// `odoo-order explain`: a heading, the metadata, then the doc comment.
pub fn explain(rule: &Rule) -> String {
    format!(
        "# {} {}\n\nDefault severity: {}. {}\n\n{}",
        rule.code,
        rule.name,
        rule.default_severity,
        capitalise(rule.summary),
        rule.documentation()
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str() + "."
    })
}

/// A plain-text table.
pub fn table() -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!(
            "{}  {:<width$}  {:<7}  {}\n",
            r.code,
            r.name,
            r.default_severity.as_str(),
            r.summary
        ));
    }
    out
}

#[derive(Serialize)]
struct JsonRule {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    url: String,
    explanation: String,
}

/// A JSON array of every rule.
pub fn json() -> String {
    let rules: Vec<JsonRule> = RULES
        .iter()
        .map(|r| JsonRule {
            code: r.code,
            name: r.name,
            severity: r.default_severity.as_str(),
            summary: r.summary,
            url: r.url(),
            explanation: r.documentation(),
        })
        .collect();
    serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
}

/// The rule table of `docs/rules.md` (and `rules --format markdown`), each code linking to its
/// section on the same page.
pub fn markdown_table() -> String {
    linked_table("")
}

/// The README's rule table, each code linking to its section of `docs/rules.md`.
pub fn readme_table() -> String {
    linked_table("docs/rules.md")
}

fn linked_table(page: &str) -> String {
    let mut out = String::from("| code | name | default | what it reports |\n|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [{}]({page}#{}) | `{}` | {} | {} |\n",
            r.code,
            r.anchor(),
            r.name,
            r.default_severity,
            r.summary.replace('|', "\\|")
        ));
    }
    out
}

/// The reference of `docs/rules.md`: one section per rule, whose heading gives the anchor
/// [`Rule::anchor`] names, its doc comment with headings demoted under the rule's own.
pub fn markdown_reference() -> String {
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!("## {} {}\n\n", r.code, r.name));
        out.push_str(&format!(
            "Default severity: **{}**.\n\n",
            r.default_severity
        ));
        for line in r.documentation().lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                out.push_str("### ");
                out.push_str(heading);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
