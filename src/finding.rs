//! Findings: what the rules report, as data. Renderers in [`crate::report`] turn them into
//! text, JSON, SARIF and the rest; nothing here prints.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::rules::Rule;
use crate::source::Span;

/// How serious a finding is. Ordered, so `fail_on` can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never wrong by itself.
    Info,
    /// Likely a mistake, or against consultancy practice.
    Warning,
    /// Data-integrity damage or a plan Odoo cannot carry out as written.
    Error,
}

impl Severity {
    /// `info`, `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location of a finding: where a related module or phase is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub span: Span,
    /// What it is, for the label.
    pub message: String,
    /// The module written there, if any.
    pub module: Option<String>,
    /// The phase it is in, if any.
    pub phase: Option<String>,
}

/// One problem a rule found in a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable code (`OO201`).
    pub code: &'static str,
    /// The rule's name (`dependency-in-later-phase`).
    pub rule: &'static str,
    /// Its severity after configuration.
    pub severity: Severity,
    /// What is wrong, naming modules and phases.
    pub message: String,
    /// The primary label's text.
    pub label: String,
    /// What to do about it.
    pub help: String,
    /// The offending node.
    pub span: Span,
    /// The module it is about.
    pub module: Option<String>,
    /// The phase it is about.
    pub phase: Option<String>,
    /// The company it is about, for the per-company rules: the first of `companies`.
    pub company: Option<String>,
    /// Every company the finding concerns, when one finding stands for several (the same
    /// module in the same phase, wrong for each company the phase covers).
    pub companies: Vec<String>,
    /// The dependency chain that explains it.
    pub chain: Option<Vec<String>>,
    /// Related nodes.
    pub related: Vec<Related>,
    /// What `odoo-order fix` can add to repair it, for the rules whose remedy is a missing
    /// module rather than a misplaced one.
    pub addition: Option<Addition>,
}

/// A module a finding's remedy adds to its phase, or why no module is added mechanically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Addition {
    /// `fix` adds this module to the finding's phase.
    Module(String),
    /// No module is added: the choice is the user's, for this reason.
    Refused(String),
}

impl Finding {
    /// A finding of `rule` at `span`, with the rule's default severity.
    pub fn new(rule: &Rule, span: Span, message: impl Into<String>) -> Self {
        Self {
            code: rule.code,
            rule: rule.name,
            severity: rule.default_severity,
            message: message.into(),
            label: String::new(),
            help: String::new(),
            span,
            module: None,
            phase: None,
            company: None,
            companies: Vec::new(),
            chain: None,
            related: Vec::new(),
            addition: None,
        }
    }

    /// Reports the finding below its rule's default severity, for a case the rule is less
    /// sure of (OO101 for a name an Enterprise plan may well hold). Configuration can lower it
    /// further, never raise it back above this.
    #[must_use]
    pub fn at_most(mut self, severity: Severity) -> Self {
        self.severity = self.severity.min(severity);
        self
    }

    /// Sets the primary label.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the help.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// Sets the module.
    #[must_use]
    pub fn module(mut self, module: impl Into<String>) -> Self {
        self.module = Some(module.into());
        self
    }

    /// Sets the phase.
    #[must_use]
    pub fn phase(mut self, phase: impl Into<String>) -> Self {
        self.phase = Some(phase.into());
        self
    }

    /// Sets the company (no-op for `None`, the implicit company).
    #[must_use]
    pub fn company(mut self, company: Option<&str>) -> Self {
        self.company = company.map(str::to_owned);
        self.companies = self.company.iter().cloned().collect();
        self
    }

    /// Sets the companies a finding stands for; the first becomes `company`.
    #[must_use]
    pub fn companies<'a>(mut self, companies: impl IntoIterator<Item = Option<&'a str>>) -> Self {
        self.companies = companies.into_iter().flatten().map(str::to_owned).collect();
        self.company = self.companies.first().cloned();
        self
    }

    /// Sets the dependency chain.
    #[must_use]
    pub fn chain(mut self, chain: Vec<String>) -> Self {
        self.chain = Some(chain);
        self
    }

    /// Sets what `fix` adds to repair it, or why it adds nothing.
    #[must_use]
    pub fn addition(mut self, addition: Addition) -> Self {
        self.addition = Some(addition);
        self
    }

    /// Adds a related node.
    #[must_use]
    pub fn related(
        mut self,
        span: Span,
        message: impl Into<String>,
        module: Option<&str>,
        phase: Option<&str>,
    ) -> Self {
        self.related.push(Related {
            span,
            message: message.into(),
            module: module.map(str::to_owned),
            phase: phase.map(str::to_owned),
        });
        self
    }

    /// The order findings are reported in: by position, then code, then message.
    pub fn sort_key(&self) -> (usize, &str, &str, usize) {
        (self.span.offset, self.code, &self.message, self.span.len)
    }
}

/// Formats names as a readable list of code spans: "`a`, `b` and `c`".
pub fn name_list<S: AsRef<str>>(names: &[S]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.as_ref())).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Formats a dependency chain: `point_of_sale → stock_account → stock`.
pub fn chain_text<S: AsRef<str>>(chain: &[S]) -> String {
    chain
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(name_list::<&str>(&[]), "");
        assert_eq!(name_list(&["a"]), "`a`");
        assert_eq!(name_list(&["a", "b", "c"]), "`a`, `b` and `c`");
        assert_eq!(chain_text(&["a", "b"]), "a → b");
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
    }
}
