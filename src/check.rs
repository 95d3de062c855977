//! The rules engine: runs the enabled rules over a `PlanGraph`, applies configured
//! severities and the plan's waivers, and returns the findings in a stable order.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::date::Date;
use crate::finding::{Finding, Severity};
use crate::graph::PlanGraph;
use crate::plan::Waiver;
use crate::rules::{self, Context, RULES, Rule, WaiverUse};

/// Per-rule severities, the fail level, the addons path and the clock: what a configuration
/// (`odoo-order.yaml` merged with the command line, see [`crate::config`]) resolves to.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Rule code → severity; `None` turns the rule off. Rules not listed use their default.
    pub severities: BTreeMap<&'static str, Option<Severity>>,
    /// The lowest severity that fails the run for plans checked with these settings.
    pub fail_on: Severity,
    /// Addons directories from the configuration (`addons_path`, resolved against the
    /// configuration file's directory), for plans that name no `addons_path` of their own;
    /// `--addons-path` wins over both (see [`crate::linter::Linter`]).
    pub addons_path: Vec<PathBuf>,
    /// The date waivers expire against.
    pub today: Date,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            severities: BTreeMap::new(),
            fail_on: Severity::Error,
            addons_path: Vec::new(),
            today: Date::today(),
        }
    }
}

impl Settings {
    /// The severity a rule runs at, or `None` when it is off.
    pub fn severity(&self, rule: &Rule) -> Option<Severity> {
        self.severities
            .get(rule.code)
            .copied()
            .unwrap_or(Some(rule.default_severity))
    }
}

/// The result of checking one plan.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Reported findings, sorted by position then code.
    pub findings: Vec<Finding>,
    /// How many findings waivers hid.
    pub waived: usize,
    /// How many findings a `--baseline` file hid.
    pub baselined: usize,
    /// The lowest severity that fails the run for this plan ([`Settings::fail_on`]).
    pub fail_on: Severity,
    /// The severity of OO108 `unused-waiver` for this plan (`None`: off); a `--baseline`
    /// entry about the plan that matches nothing is reported at it.
    pub unused_waiver: Option<Severity>,
}

impl Default for Outcome {
    fn default() -> Self {
        Self {
            findings: Vec::new(),
            waived: 0,
            baselined: 0,
            fail_on: Severity::Error,
            unused_waiver: Some(rules::unused_waiver::RULE.default_severity),
        }
    }
}

impl Outcome {
    /// Whether a finding at or above this plan's fail level was reported.
    pub fn fails(&self) -> bool {
        self.findings.iter().any(|f| f.severity >= self.fail_on)
    }
}

/// Runs every enabled rule on a plan.
pub fn run(graph: &PlanGraph<'_>, settings: &Settings) -> Outcome {
    run_rules(graph, settings, RULES)
}

/// Runs the given rules only (rule fixtures test one rule at a time).
pub fn run_rules(graph: &PlanGraph<'_>, settings: &Settings, rules: &[&Rule]) -> Outcome {
    let mut cx = Context {
        graph,
        today: settings.today,
        waiver_use: &[],
    };
    let mut findings = Vec::new();
    for rule in rules.iter().filter(|r| !r.after_waivers) {
        run_one(rule, &cx, settings, &mut findings);
    }

    let waivers = &graph.plan.waivers;
    let mut uses: Vec<WaiverUse> = waivers
        .iter()
        .map(|w| WaiverUse {
            matched: 0,
            expired: w.until.as_ref().is_some_and(|u| u.value < settings.today),
            rule_enabled: rules::find(&w.rule.value)
                .is_some_and(|r| settings.severity(r).is_some()),
        })
        .collect();
    let before = findings.len();
    let index = WaiverIndex::new(waivers, &uses);
    findings.retain(|f| match index.first_match(f) {
        Some(i) => {
            uses[i].matched += 1;
            false
        }
        None => true,
    });
    let waived = before - findings.len();

    cx.waiver_use = &uses;
    for rule in rules.iter().filter(|r| r.after_waivers) {
        run_one(rule, &cx, settings, &mut findings);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    Outcome {
        findings,
        waived,
        baselined: 0,
        fail_on: settings.fail_on,
        unused_waiver: settings.severity(&rules::unused_waiver::RULE),
    }
}

fn run_one(rule: &Rule, cx: &Context<'_>, settings: &Settings, out: &mut Vec<Finding>) {
    let Some(severity) = settings.severity(rule) else {
        return;
    };
    let start = out.len();
    (rule.check)(cx, out);
    for f in &mut out[start..] {
        // A finding the rule reported below its default (`Finding::at_most`) keeps that cap.
        f.severity = if f.severity < rule.default_severity {
            severity.min(f.severity)
        } else {
            severity
        };
    }
}

/// A waiver's rule code and the values of its filters (`None`: not set).
type WaiverKey<'w> = (
    &'static str,
    Option<&'w str>,
    Option<&'w str>,
    Option<&'w str>,
);

/// The plan's waivers by rule and filters: the first waiver that covers a finding is found in
/// a few look-ups, not a pass over every waiver (and a search of the rule table for each), so
/// many findings and many waivers cost their sum, not their product.
struct WaiverIndex<'w> {
    /// (code, phase, module, company) → the first live waiver with exactly those filters.
    first: std::collections::HashMap<WaiverKey<'w>, usize>,
}

impl<'w> WaiverIndex<'w> {
    fn new(waivers: &'w [Waiver], uses: &[WaiverUse]) -> Self {
        let mut first = std::collections::HashMap::new();
        for (i, (w, u)) in waivers.iter().zip(uses).enumerate() {
            let Some(rule) = rules::find(&w.rule.value) else {
                continue;
            };
            if u.expired {
                continue;
            }
            let value =
                |f: &'w Option<crate::plan::Located<String>>| f.as_ref().map(|f| f.value.as_str());
            first
                .entry((
                    rule.code,
                    value(&w.phase),
                    value(&w.module),
                    value(&w.company),
                ))
                .or_insert(i);
        }
        Self { first }
    }

    /// The first waiver, in file order, that covers `f` (see [`matches`]).
    fn first_match(&self, f: &Finding) -> Option<usize> {
        let mut best: Option<usize> = None;
        let phases = [f.phase.as_deref(), None];
        let modules = [f.module.as_deref(), None];
        let companies = std::iter::once(None)
            .chain(f.company.as_deref().map(Some))
            .chain(f.companies.iter().map(|c| Some(c.as_str())));
        for company in companies {
            for phase in phases.iter().take(1 + usize::from(f.phase.is_some())) {
                for module in modules.iter().take(1 + usize::from(f.module.is_some())) {
                    // Without a value on the finding, only the waivers without that filter.
                    let phase = if f.phase.is_some() { *phase } else { None };
                    let module = if f.module.is_some() { *module } else { None };
                    if let Some(&i) = self.first.get(&(f.code, phase, module, company)) {
                        best = Some(best.map_or(i, |b| b.min(i)));
                    }
                }
            }
        }
        best
    }
}

/// Whether a waiver covers a finding: same rule, and every filter it sets agrees.
pub fn matches(waiver: &Waiver, finding: &Finding) -> bool {
    let rule = rules::find(&waiver.rule.value);
    let same = |filter: &Option<crate::plan::Located<String>>, value: &Option<String>| {
        filter
            .as_ref()
            .is_none_or(|f| value.as_deref() == Some(f.value.as_str()))
    };
    let company = waiver.company.as_ref().is_none_or(|c| {
        finding.company.as_deref() == Some(c.value.as_str()) || finding.companies.contains(&c.value)
    });
    rule.is_some_and(|r| r.code == finding.code)
        && same(&waiver.module, &finding.module)
        && same(&waiver.phase, &finding.phase)
        && company
}
