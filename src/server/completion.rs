//! Completion of the values a plan names: modules from the catalog of its series (with its
//! addons path), phase ids in `after:` and a waiver's `phase:`, company ids, rules in a
//! waiver's `rule:`, and the few fixed values (`odoo:`, `edition:`, `country:`).

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Range, TextEdit};

use super::context::Cursor;
use crate::catalog::SUPPORTED_SERIES;
use crate::graph::ModuleGraph;
use crate::rules::RULES;

/// What completion can offer in one document.
#[derive(Debug, Default)]
pub struct Sources<'a> {
    /// The catalog of the plan's series, with its addons path.
    pub modules: Option<&'a ModuleGraph>,
    /// The phase ids the plan declares, in file order.
    pub phases: Vec<String>,
    /// The company ids it declares.
    pub companies: Vec<String>,
}

/// The items for a cursor; `range` is the word typed so far, which an item replaces.
pub fn items(cursor: &Cursor, sources: &Sources<'_>, range: Range) -> Vec<CompletionItem> {
    let item = |label: &str, kind: CompletionItemKind, detail: Option<String>| CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range,
            label.to_owned(),
        ))),
        ..CompletionItem::default()
    };
    match (cursor.key.as_str(), cursor.top_level) {
        ("modules" | "module", false) => {
            sources.modules.map_or_else(Vec::new, |g| modules(g, range))
        }
        ("after" | "phase", false) => sources
            .phases
            .iter()
            .map(|p| item(p, CompletionItemKind::REFERENCE, Some("phase".to_owned())))
            .collect(),
        ("companies" | "company", false) => sources
            .companies
            .iter()
            .map(|c| item(c, CompletionItemKind::REFERENCE, Some("company".to_owned())))
            .collect(),
        ("rule", false) => RULES
            .iter()
            .flat_map(|r| {
                let detail = format!(
                    "{} {} ({}): {}",
                    r.code, r.name, r.default_severity, r.summary
                );
                [
                    item(
                        r.name,
                        CompletionItemKind::ENUM_MEMBER,
                        Some(detail.clone()),
                    ),
                    item(r.code, CompletionItemKind::ENUM_MEMBER, Some(detail)),
                ]
            })
            .collect(),
        ("odoo", true) => SUPPORTED_SERIES
            .iter()
            .map(|s| {
                item(
                    s,
                    CompletionItemKind::ENUM_MEMBER,
                    Some("Odoo series".to_owned()),
                )
            })
            .collect(),
        ("edition", true) => ["community", "enterprise"]
            .iter()
            .map(|e| item(e, CompletionItemKind::ENUM_MEMBER, None))
            .collect(),
        ("country", false) => crate::country::ISO_ALPHA2
            .iter()
            .map(|c| item(c, CompletionItemKind::ENUM_MEMBER, None))
            .collect(),
        _ => Vec::new(),
    }
}

/// Every installable module the catalog knows, with what it is.
fn modules(g: &ModuleGraph, range: Range) -> Vec<CompletionItem> {
    g.nodes()
        .iter()
        .filter_map(|node| {
            let facts = node.facts.as_ref().filter(|f| f.installable)?;
            // One line of facts, no documentation: a catalog is hundreds of items per request.
            let mut detail = vec![if facts.application {
                "application"
            } else {
                "module"
            }];
            if let Some(layer) = node.layer {
                detail.push(layer.as_str());
            }
            detail.push(facts.edition.as_str());
            if node.posts_entries.is_some() {
                detail.push("posts journal entries");
            }
            if let Some(category) = &facts.category {
                detail.push(category);
            }
            Some(CompletionItem {
                label: node.name.clone(),
                kind: Some(CompletionItemKind::MODULE),
                detail: Some(detail.join(" · ")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    range,
                    node.name.clone(),
                ))),
                ..CompletionItem::default()
            })
        })
        .collect()
}
