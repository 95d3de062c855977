//! `odoo-order modules`: a table for people, `{"modules": [...]}` for scripts.

use serde::Serialize;
use serde_json::Value;

use crate::catalog::{AutoInstall, Edition, Module, Origin};
use crate::modgraph::{ModuleGraph, ModuleNode};
use crate::source::display_path;

#[derive(Serialize)]
struct JsonModule<'a> {
    name: &'a str,
    depends: &'a [String],
    /// `manifest` (read from one), `curated` (our knowledge of an Enterprise module) or
    /// `unknown` (an Enterprise module known by name only: `depends` is empty).
    depends_source: &'static str,
    /// `false`, `true`, or the list of triggers.
    auto_install: Value,
    application: bool,
    category: Option<&'a str>,
    /// `false` when the manifest says Odoo cannot install it.
    installable: bool,
    layer: Option<&'static str>,
    posts_entries: bool,
    edition: &'static str,
    /// `builtin` or the manifest's path.
    source: String,
    /// For a built-in Enterprise module, where its name is publicly attested.
    named_in: Option<&'static str>,
    /// For an Enterprise module attested for another series only, that series.
    named_for: Option<&'static str>,
}

#[derive(Serialize)]
struct JsonModules<'a> {
    modules: Vec<JsonModule<'a>>,
}

/// The modules a catalog knows (not the names its modules mention but nobody defines).
fn known(graph: &ModuleGraph) -> impl Iterator<Item = &ModuleNode> + '_ {
    graph.nodes().iter().filter(|n| n.facts.is_some())
}

fn source(origin: &Origin) -> String {
    match origin {
        Origin::Builtin => "builtin".to_owned(),
        Origin::Manifest(path) => display_path(path),
    }
}

fn depends_source(f: &Module) -> &'static str {
    match (&f.origin, f.edition, f.depends_known) {
        (_, _, false) => "unknown",
        (Origin::Builtin, Edition::Enterprise, true) => "curated",
        _ => "manifest",
    }
}

/// `{"modules": [...]}`, sorted by name.
pub fn json(graph: &ModuleGraph) -> String {
    let modules = known(graph)
        .filter_map(|n| {
            let f = n.facts.as_ref()?;
            Some(JsonModule {
                name: &n.name,
                depends: &f.depends,
                depends_source: depends_source(f),
                auto_install: match &f.auto_install {
                    AutoInstall::No => Value::Bool(false),
                    AutoInstall::All => Value::Bool(true),
                    AutoInstall::Triggers(t) => Value::from(t.clone()),
                },
                application: f.application,
                category: f.category.as_deref(),
                installable: f.installable,
                layer: n.layer.map(crate::ruledata::Layer::as_str),
                posts_entries: n.posts_entries.is_some(),
                edition: f.edition.as_str(),
                source: source(&f.origin),
                named_in: f.named_in,
                named_for: f.named_for,
            })
        })
        .collect();
    serde_json::to_string_pretty(&JsonModules { modules }).unwrap_or_default() + "\n"
}

/// A table: one module a line, then a count.
pub fn table(graph: &ModuleGraph) -> String {
    let rows: Vec<[String; 6]> = known(graph)
        .filter_map(|n| {
            let f = n.facts.as_ref()?;
            let auto = match &f.auto_install {
                AutoInstall::No => "-".to_owned(),
                AutoInstall::All => f.depends.join(","),
                AutoInstall::Triggers(t) => t.join(","),
            };
            Some([
                n.name.clone(),
                n.layer.map_or("-", |l| l.as_str()).to_owned(),
                auto,
                if n.posts_entries.is_some() {
                    "yes"
                } else {
                    "-"
                }
                .to_owned(),
                f.edition.as_str().to_owned(),
                source(&f.origin),
            ])
        })
        .collect();
    let header = [
        "MODULE",
        "LAYER",
        "AUTO-INSTALL ON",
        "POSTS",
        "EDITION",
        "SOURCE",
    ];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i == 5 {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<w$}  "));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(header);
    for row in &rows {
        out.push_str(&line([
            &row[0], &row[1], &row[2], &row[3], &row[4], &row[5],
        ]));
    }
    out.push_str(&format!("{} modules\n", rows.len()));
    out
}
