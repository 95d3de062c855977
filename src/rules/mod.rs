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
        $(#[doc = $doc])*
        $vis static $ident: $crate::rules::Rule = $crate::rules::Rule {
            code: $code,
            name: $name,
            default_severity: $crate::finding::Severity::$severity,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            after_waivers: false $(|| $after)?,
            check: $check,
        };
    };
}

pub mod accounting_not_first;
pub mod already_installed;
pub mod auto_install_bridge;
pub mod books_outside_odoo;
pub mod crm_without_sales;
pub mod dependency_in_later_phase;
pub mod duplicate_module;
pub mod einvoicing_mandate;
pub mod empty_phase;
pub mod enterprise_module;
pub mod go_live_order;
pub mod layer_order;
pub mod missing_dependency;
pub mod missing_localization;
pub mod not_on_odoo_online;
pub mod opening_balance_too_early;
pub mod phase_cycle;
pub mod shadowed_addon;
pub mod unknown_module;
pub mod unknown_reference;
pub mod unplanned_dependency;
pub mod unused_waiver;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &unknown_module::RULE,
    &duplicate_module::RULE,
    &empty_phase::RULE,
    &go_live_order::RULE,
    &phase_cycle::RULE,
    &unknown_reference::RULE,
    &enterprise_module::RULE,
    &unused_waiver::RULE,
    &missing_localization::RULE,
    &already_installed::RULE,
    &not_on_odoo_online::RULE,
    &dependency_in_later_phase::RULE,
    &unplanned_dependency::RULE,
    &auto_install_bridge::RULE,
    &missing_dependency::RULE,
    &shadowed_addon::RULE,
    &accounting_not_first::RULE,
    &layer_order::RULE,
    &crm_without_sales::RULE,
    &books_outside_odoo::RULE,
    &opening_balance_too_early::RULE,
    &einvoicing_mandate::RULE,
];

/// A rule by code (`OO201`, any case) or name (`dependency-in-later-phase`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
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

    /// The anchor of the rule's section in the README.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.code.to_ascii_lowercase(), self.name)
    }

    /// Where the rule is documented online.
    pub fn url(&self) -> String {
        format!("{}#{}", crate::DOCS_URL, self.anchor())
    }
}

/// Shared wording and lookups for the rules.
pub(crate) mod util {
    use crate::graph::{OccId, PlanGraph};

    /// The module name of an occurrence.
    pub fn occ_module<'a>(g: &'a PlanGraph<'_>, o: OccId) -> &'a str {
        g.name(g.occurrences[o].module)
    }

    /// The phase id of an occurrence.
    pub fn occ_phase<'a>(g: &'a PlanGraph<'_>, o: OccId) -> &'a str {
        &g.plan.phases[g.occurrences[o].phase].id.value
    }

    /// A phase's id.
    pub fn phase_id<'a>(g: &'a PlanGraph<'_>, q: usize) -> &'a str {
        &g.plan.phases[q].id.value
    }

    /// "company `acme_fr`" or "the company" when the plan declares none.
    pub fn company_phrase(g: &PlanGraph<'_>, c: usize) -> String {
        companies_phrase(g, &[c])
    }

    /// "company `a`", "companies `a` and `b`", or "the company" when the plan declares none;
    /// past four, "companies `a`, `b`, `c` and 17 more" (findings list them all in `companies`).
    pub fn companies_phrase(g: &PlanGraph<'_>, cs: &[usize]) -> String {
        let ids: Vec<&str> = cs.iter().filter_map(|&c| g.company_id(c)).collect();
        match ids.as_slice() {
            [] => "the company".to_owned(),
            [one] => format!("company `{one}`"),
            many => format!("companies {}", short_list(many)),
        }
    }

    /// Names as a list for a message, the first three and a count past four: a message stays a
    /// line however large the plan.
    pub fn short_list(names: &[&str]) -> String {
        if names.len() > 4 {
            format!(
                "{} and {} more",
                crate::finding::name_list(&names[..3]).replace(" and ", ", "),
                names.len() - 3
            )
        } else {
            crate::finding::name_list(names)
        }
    }
}
