//! OO103 empty-phase.

use crate::finding::Finding;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports a phase that plans no modules and names no `milestones`.
    ///
    /// ## Why is this bad?
    /// A go-live with nothing going live is usually a placeholder that was never filled in,
    /// or a phase whose modules were moved away. It still orders the phases around it, so a
    /// forgotten one silently delays every phase that comes after it.
    ///
    /// ## Example
    /// ```yaml
    /// phases:
    ///   - id: finance
    ///     modules: [account]
    ///   - id: operations     # OO103: no modules
    ///   - id: sales
    ///     modules: [sale_management]
    /// ```
    ///
    /// ## How to fix
    /// List the modules that go live in the phase, or delete it. If it is a real step
    /// without modules (a data migration, a training week), say so in its `milestones`.
    pub static RULE = {
        code: "OO103",
        name: "empty-phase",
        severity: Warning,
        summary: "a phase with no modules and no milestones",
        check: check,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for phase in &cx.plan().phases {
        if phase.modules.is_empty() && phase.milestones.is_empty() {
            out.push(
                Finding::new(
                    &RULE,
                    phase.id.span,
                    format!("phase `{}` plans no modules", phase.id.value),
                )
                .label("empty phase")
                .help("list the modules that go live in this phase, or its `milestones` (data migration, training), or remove it")
                .phase(&phase.id.value),
            );
        }
    }
}
