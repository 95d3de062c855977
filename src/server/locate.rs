//! What the cursor is on in a plan that loaded: a module entry, a phase or company id or a
//! reference to one, a waiver's rule. Hover and go-to-definition start here.

use crate::plan::{Located, Plan};

/// A node of the plan under the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'p> {
    /// A module listed in a phase's `modules`.
    Module {
        /// The phase that lists it.
        phase: usize,
        /// The entry.
        name: &'p Located<String>,
    },
    /// A waiver's `module`.
    WaiverModule(&'p Located<String>),
    /// A phase's own `id`.
    PhaseId(usize),
    /// A phase named in an `after` list or a waiver's `phase`.
    PhaseRef(&'p Located<String>),
    /// A company's own `id`.
    CompanyId(usize),
    /// A company named in a phase's `companies` or a waiver's `company`.
    CompanyRef(&'p Located<String>),
    /// A waiver's `rule`.
    Rule(&'p Located<String>),
}

fn on<T>(node: &Located<T>, offset: usize) -> bool {
    // The end counts: a cursor just after a name is on it, as editors place it after typing.
    node.span.offset <= offset && offset <= node.span.end()
}

/// The node at a byte offset, if any.
pub fn at(plan: &Plan, offset: usize) -> Option<Target<'_>> {
    for (i, company) in plan.companies.iter().enumerate() {
        if on(&company.id, offset) {
            return Some(Target::CompanyId(i));
        }
    }
    for (q, phase) in plan.phases.iter().enumerate() {
        if on(&phase.id, offset) {
            return Some(Target::PhaseId(q));
        }
        if let Some(r) = phase.after.iter().flatten().find(|r| on(r, offset)) {
            return Some(Target::PhaseRef(r));
        }
        if let Some(r) = phase.companies.iter().flatten().find(|r| on(r, offset)) {
            return Some(Target::CompanyRef(r));
        }
        if let Some(m) = phase.modules.iter().find(|m| on(m, offset)) {
            return Some(Target::Module { phase: q, name: m });
        }
    }
    for w in &plan.waivers {
        if on(&w.rule, offset) {
            return Some(Target::Rule(&w.rule));
        }
        if let Some(m) = w.module.as_ref().filter(|m| on(m, offset)) {
            return Some(Target::WaiverModule(m));
        }
        if let Some(p) = w.phase.as_ref().filter(|p| on(p, offset)) {
            return Some(Target::PhaseRef(p));
        }
        if let Some(c) = w.company.as_ref().filter(|c| on(c, offset)) {
            return Some(Target::CompanyRef(c));
        }
    }
    None
}

/// The phase a name refers to.
pub fn phase(plan: &Plan, name: &str) -> Option<usize> {
    plan.phases.iter().position(|p| p.id.value == name)
}

/// The company a name refers to.
pub fn company(plan: &Plan, name: &str) -> Option<usize> {
    plan.companies.iter().position(|c| c.id.value == name)
}
