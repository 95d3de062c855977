//! The rule registry. One rule per file; each file declares its rule with `declare_rule!`,
//! whose doc comment is the rule's documentation (`explain`, the README table and the JSON
//! list are generated from it).
//!
//! Codes are stable and never reused: 1xx plan structure, 2xx installation graph, 3xx
//! implementation order (design §5).

use crate::date::Date;
use crate::finding::{Finding, Severity};
use crate::graph::PlanGraph;

/// A rule: metadata and its check.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, `OO` and three digits.
    pub code: &'static str,
    /// Kebab-case name of the problem.
    pub name: &'static str,
    /// Severity unless configuration says otherwise.
    pub default_severity: Severity,
    /// One line for tables.
    pub summary: &'static str,
    /// The doc comment: What it does / Why is this bad? / Example / How to fix.
    pub doc: &'static str,
    /// Whether the rule runs after waivers are applied (it reports on waivers).
    pub after_waivers: bool,
    /// The check.
    pub check: fn(&Context<'_>, &mut Vec<Finding>),
}

/// How a plan's waivers were used, for the rules that run after waivers are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WaiverUse {
    /// How many findings it hid.
    pub matched: usize,
    /// Whether its `until` date has passed.
    pub expired: bool,
    /// Whether the rule it names is enabled (a waiver for a disabled rule is moot, not unused).
    pub rule_enabled: bool,
}

/// What a rule may read.
#[derive(Debug)]
pub struct Context<'a> {
    /// The plan, its graphs and analyses.
    pub graph: &'a PlanGraph<'a>,
    /// The date waivers expire against.
    pub today: Date,
    /// Per waiver, in file order; empty before waivers are applied.
    pub waiver_use: &'a [WaiverUse],
}

impl Context<'_> {
    /// The plan.
    pub fn plan(&self) -> &crate::plan::Plan {
        self.graph.plan
    }
}

/// Declares a rule: the doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub static RULE = {
///         code: "OO101", name: "unknown-module", severity: Error,
///         summary: "a module no catalog knows", check: check,
///     }
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis static $ident:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            summary: $summary:literal,
            check: $check:path
            $(, after_waivers: $after:literal)? $(,)?
        }
    ) => {
        /// The rule's code: code outside `rules/` names a rule through this constant (it can be
        /// a `match` pattern), never by spelling the code out.
        $vis const CODE: &str = $code;

        $(#[doc = $doc])*
        $vis static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: CODE,
            name: $name,
            default_severity: $crate::finding::Severity::$severity,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            after_waivers: false $(|| $after)?,
            check: $check,
        };
    };
}

/// Declares each rule's module and lists its `RULE` in [`RULES`]: adding a rule is its file
/// and one line here, in code order.
macro_rules! registry {
    ($($rule:ident),* $(,)?) => {
        $(pub mod $rule;)*

        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$rule::RULE),*];
    };
}

registry! {
    unknown_module,
    duplicate_module,
    empty_phase,
    go_live_order,
    phase_cycle,
    unknown_reference,
    enterprise_module,
    unused_waiver,
    missing_localization,
    already_installed,
    not_on_odoo_online,
    dependency_in_later_phase,
    unplanned_dependency,
    auto_install_bridge,
    missing_dependency,
    shadowed_addon,
    accounting_not_first,
    layer_order,
    crm_without_sales,
    books_outside_odoo,
    opening_balance_too_early,
    einvoicing_mandate,
}

pub(crate) mod util;

/// A rule by code (`OO201`, any case) or name (`dependency-in-later-phase`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// Whether a rule is one of the implementation-order rules, the 3xx series (design §5).
pub fn is_implementation_order(code: &str) -> bool {
    code.starts_with("OO3")
}

/// The closest rule code or name, for "did you mean".
pub fn suggest(code_or_name: &str) -> Option<&'static str> {
    crate::suggest::did_you_mean(code_or_name, RULES.iter().flat_map(|r| [r.code, r.name]))
}

impl Rule {
    /// The documentation with the one space rustdoc keeps after `///` removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_owned() + "\n"
    }

    /// The anchor of the rule's section in `docs/rules.md`.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.code.to_ascii_lowercase(), self.name)
    }

    /// Where the rule is documented online.
    pub fn url(&self) -> String {
        format!("{}#{}", crate::DOCS_URL, self.anchor())
    }
}
