//! Go to definition: from a phase named in `after:` or a waiver to that phase's `id`, from a
//! company named in a phase's `companies:` or a waiver to its declaration, and from a module
//! read from the addons path to its manifest. A plan being typed that does not load is read
//! from its text (see [`super::context`]).

use std::path::PathBuf;

use super::context;
use super::locate::{self, Target};
use crate::catalog::{Catalog, Origin};
use crate::plan::Plan;
use crate::source::Span;

/// Where a name is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// In the same document.
    Here(Span),
    /// Another file (a manifest).
    File(PathBuf),
}

/// The definition of the name at `offset` in a plan that loaded.
pub fn in_plan(plan: &Plan, catalog: Option<&Catalog>, offset: usize) -> Option<Definition> {
    let here = |span| Some(Definition::Here(span));
    match locate::at(plan, offset)? {
        Target::PhaseId(q) => here(plan.phases[q].id.span),
        Target::PhaseRef(name) => here(plan.phases[locate::phase(plan, &name.value)?].id.span),
        Target::CompanyId(c) => here(plan.companies[c].id.span),
        Target::CompanyRef(name) => {
            here(plan.companies[locate::company(plan, &name.value)?].id.span)
        }
        Target::Module { name, .. } | Target::WaiverModule(name) => {
            match &catalog?.get(&name.value)?.origin {
                Origin::Manifest(path) => Some(Definition::File(path.clone())),
                Origin::Builtin => None,
            }
        }
        Target::Rule(_) => None,
    }
}

/// The definition of the phase or company named at `offset`, read from the text alone.
pub fn in_text(text: &str, offset: usize) -> Option<Definition> {
    let word = context::word_at(text, offset)?;
    let cursor = context::at(text, word.end())?;
    let declared = context::declared(text);
    let list = match (cursor.key.as_str(), cursor.top_level) {
        ("after" | "phase", false) => &declared.phases,
        ("companies" | "company", false) => &declared.companies,
        _ => return None,
    };
    let name = &text[word.offset..word.end()];
    list.iter()
        .find(|(id, _)| id == name)
        .map(|(_, span)| Definition::Here(*span))
}
