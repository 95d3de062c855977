//! From the raw serde model to a checked [`Plan`]: dates parsed, ids, countries, currencies
//! and reasons checked, the `installed` list read (inline or from an Apps list file), and,
//! when serde stops at the first problem, every other problem found in the parts that have
//! the right shape.

use std::collections::HashMap;
use std::path::Path;

use serde_saphyr::Spanned;

use super::{
    Accounting, Company, Installed, InstalledFile, Located, Phase, Plan, Waiver, raw, span_of,
};
use crate::country;
use crate::date::Date;
use crate::error::{Error, Problem, codes};
use crate::source::{SourceFile, Span};
use crate::suggest;
use crate::yaml;
use crate::yaml::tree::Node;

/// Every problem of a plan that does not fit the format, not just `first`, the one serde
/// stopped at (see [`yaml::tree::every_problem`]), with, in the parts that have the right
/// shape, bad dates, empty or repeated ids, unknown countries and empty reasons.
pub(super) fn every_problem(file: &SourceFile, first: Problem) -> Vec<Problem> {
    let schema = || {
        schemars::generate::SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<raw::Plan>()
            .to_value()
    };
    yaml::tree::every_problem(file, first, schema, &yaml::PLAN, validate_tree)
}

/// The checks of [`validate`] that need no serde type, on the parts of a tree that have the
/// shape they need.
fn validate_tree(root: &Spanned<Node>, problems: &mut Vec<Problem>) {
    let text = |node: &Spanned<Node>| {
        node.value
            .as_str()
            .map(|s| Located::new(s.to_owned(), yaml::tree::span(node)))
    };
    let field = |node: &Spanned<Node>, key: &str| node.value.get(key).and_then(text);
    let list = |key: &str| root.value.get(key).map_or(&[][..], |n| n.value.items());
    for entry in list("addons_path").iter().filter_map(text) {
        if entry.value.trim().is_empty() {
            problems.push(empty_addons_path(
                entry.span,
                codes::PLAN_ADDONS_PATH,
                "plan file",
            ));
        }
    }
    let mut ids = Ids::new("company");
    for company in list("companies") {
        if let Some(id) = field(company, "id") {
            ids.note(&id, problems);
        }
        if let Some(country) = field(company, "country") {
            check_country(&country, problems);
        }
        if let Some(currency) = field(company, "currency") {
            check_currency(&currency, problems);
        }
        if let Some(until) = field(company, "accounting_until") {
            let accounting = match field(company, "accounting")
                .as_ref()
                .map(|a| a.value.as_str())
            {
                Some("external") => Some(Accounting::External),
                Some("odoo") => Some(Accounting::Odoo),
                _ => None,
            };
            check_accounting_until(until.span, accounting, problems);
            parse_date(&until, problems);
        }
    }
    if let Some(phases) = root.value.get("phases")
        && matches!(&phases.value, Node::Seq(items) if items.is_empty())
    {
        no_phases(yaml::tree::span(phases), problems);
    }
    let mut ids = Ids::new("phase");
    for phase in list("phases") {
        if let Some(id) = field(phase, "id") {
            ids.note(&id, problems);
        }
        if let Some(date) = field(phase, "go_live") {
            parse_date(&date, problems);
        }
    }
    for waiver in list("waivers") {
        if let Some(reason) = field(waiver, "reason") {
            check_reason(&reason, problems);
        }
        if let Some(date) = field(waiver, "until") {
            parse_date(&date, problems);
        }
    }
}

fn loc<T>(spanned: &serde_saphyr::Spanned<T>) -> Span {
    span_of(&spanned.referenced)
}

fn located_string(s: serde_saphyr::Spanned<String>) -> Located<String> {
    let span = loc(&s);
    Located::new(s.value, span)
}

/// `elsewhere` receives the problems of the file `installed: {from: ...}` names, which are
/// located in that file.
pub(super) fn validate(
    file: &SourceFile,
    raw: raw::Plan,
    problems: &mut Vec<Problem>,
    elsewhere: &mut Option<Error>,
) -> Plan {
    let addons_path: Vec<Located<String>> = raw
        .addons_path
        .unwrap_or_default()
        .into_iter()
        .map(located_string)
        .collect();
    for entry in addons_path.iter().filter(|e| e.value.trim().is_empty()) {
        problems.push(empty_addons_path(
            entry.span,
            codes::PLAN_ADDONS_PATH,
            "plan file",
        ));
    }
    let companies = validate_companies(raw.companies.unwrap_or_default(), problems);
    let phases = validate_phases(raw.phases, problems);
    let waivers = validate_waivers(raw.waivers.unwrap_or_default(), problems);
    let installed = raw
        .installed
        .map(|node| read_installed(file, &node, problems, elsewhere))
        .unwrap_or_default();
    Plan {
        file: file.clone(),
        series: located_string(raw.odoo),
        edition: raw.edition.map(|e| e.value).unwrap_or_default(),
        hosting: raw.hosting.as_ref().map(|h| h.value).unwrap_or_default(),
        hosting_span: raw.hosting.as_ref().map(loc),
        installed,
        project: raw.project.map(|p| p.value),
        addons_path,
        companies,
        phases,
        waivers,
    }
}

/// An empty `addons_path` entry: joined to a directory it would silently mean that directory
/// (or, for a plan named without a folder, report that `.` does not exist).
pub(crate) fn empty_addons_path(span: Span, code: &'static str, relative_to: &str) -> Problem {
    Problem::at(code, span, "an `addons_path` entry cannot be empty")
        .label("empty path")
        .help(format!(
            "name an addons directory, relative to the {relative_to}; write `.` for the \
             {relative_to}'s own directory"
        ))
}

fn validate_companies(raw: Vec<raw::Company>, problems: &mut Vec<Problem>) -> Vec<Company> {
    let mut companies: Vec<Company> = Vec::new();
    let mut ids = Ids::new("company");
    for c in raw {
        let id = located_string(c.id);
        ids.note(&id, problems);
        let country = c
            .country
            .map(located_string)
            .and_then(|country| check_country(&country, problems));
        let currency = c
            .currency
            .map(located_string)
            .and_then(|currency| check_currency(&currency, problems));
        let accounting = c.accounting.as_ref().map(|a| a.value);
        let accounting_until = c.accounting_until.and_then(|d| {
            let d = located_string(d);
            check_accounting_until(d.span, accounting, problems);
            parse_date(&d, problems)
        });
        companies.push(Company {
            id,
            name: c.name.map(|n| n.value),
            country,
            currency,
            valuation: c.valuation.map(|v| v.value),
            accounting: accounting.unwrap_or(Accounting::Odoo),
            accounting_span: c.accounting.as_ref().map(loc),
            accounting_until,
        });
    }
    companies
}

/// The ids of phases or companies declared so far: an empty or repeated one is a problem.
struct Ids {
    what: &'static str,
    /// First declaration of each id: a lookup per id, not a scan of those before it.
    first_of: HashMap<String, Span>,
}

impl Ids {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            first_of: HashMap::new(),
        }
    }

    fn note(&mut self, id: &Located<String>, problems: &mut Vec<Problem>) {
        check_identifier(id, self.what, problems);
        if let Some(&first) = self.first_of.get(&id.value) {
            problems.push(
                Problem::at(
                    codes::PLAN_DUPLICATE_ID,
                    id.span,
                    format!("{} `{}` is declared twice", self.what, id.value),
                )
                .label("declared again here")
                .related(first, "first declared here")
                .help(format!("give each {} its own id", self.what)),
            );
        } else {
            self.first_of.insert(id.value.clone(), id.span);
        }
    }
}

/// A company's country, upper case, when it is an ISO 3166-1 alpha-2 code.
fn check_country(
    country: &Located<String>,
    problems: &mut Vec<Problem>,
) -> Option<Located<String>> {
    let upper = country.value.to_ascii_uppercase();
    if country::is_iso_alpha2(&upper) {
        return Some(Located::new(upper, country.span));
    }
    let help = suggest::did_you_mean(&upper, country::ISO_ALPHA2.iter().copied()).map_or_else(
        || "use an ISO 3166-1 alpha-2 code such as `FR` or `BE`".to_owned(),
        |s| format!("did you mean `{s}`?"),
    );
    problems.push(
        Problem::at(
            codes::PLAN_BAD_COUNTRY,
            country.span,
            format!(
                "`{}` is not an ISO 3166-1 alpha-2 country code",
                country.value
            ),
        )
        .label("unknown country")
        .help(help),
    );
    None
}

/// A company's currency, upper case, when it is an ISO 4217 code.
fn check_currency(
    currency: &Located<String>,
    problems: &mut Vec<Problem>,
) -> Option<Located<String>> {
    let upper = currency.value.trim().to_ascii_uppercase();
    if ISO_4217.binary_search(&upper.as_str()).is_ok() {
        return Some(Located::new(upper, currency.span));
    }
    let help = suggest::did_you_mean(&upper, ISO_4217.iter().copied()).map_or_else(
        || "use an ISO 4217 code such as `EUR` or `USD`".to_owned(),
        |s| format!("did you mean `{s}`?"),
    );
    problems.push(
        Problem::at(
            codes::PLAN_BAD_CURRENCY,
            currency.span,
            format!("`{}` is not an ISO 4217 currency code", currency.value),
        )
        .label("unknown currency")
        .help(help),
    );
    None
}

/// `accounting_until` says when Odoo takes over books kept elsewhere: without
/// `accounting: external` it means nothing, and is refused rather than ignored.
fn check_accounting_until(span: Span, accounting: Option<Accounting>, problems: &mut Vec<Problem>) {
    if accounting != Some(Accounting::External) {
        problems.push(
            Problem::at(
                codes::PLAN_ACCOUNTING_UNTIL,
                span,
                "`accounting_until` is only meaningful with `accounting: external`",
            )
            .label("takeover date without external books")
            .help(
                "add `accounting: external` to the company if its books are kept outside Odoo \
                 until this date, or remove `accounting_until`",
            ),
        );
    }
}

/// How much of an installed-modules file is read: an Apps list export of every module of a
/// full Odoo tree with summaries is a few MiB.
const INSTALLED_FILE: crate::read::Kind = crate::read::Kind {
    noun: "installed-modules list",
    limit: 16 * 1024 * 1024,
    regular_only: false,
};

/// `installed`: a list of technical names, or `{from: file}` read relative to the plan.
fn read_installed(
    plan: &SourceFile,
    node: &Spanned<Node>,
    problems: &mut Vec<Problem>,
    elsewhere: &mut Option<Error>,
) -> Installed {
    let shape = |span: Span| {
        Problem::at(
            codes::PLAN_SYNTAX,
            span,
            "`installed` must be a list of module names or `{from: file}`",
        )
        .label("here")
        .help("write `installed: [crm, sale_management]` or `installed: {from: apps.csv}`")
    };
    match &node.value {
        Node::Null => Installed::default(),
        Node::Seq(items) => {
            let mut modules = Vec::new();
            for item in items {
                let span = yaml::tree::span(item);
                match item.value.as_str() {
                    Some(name) if crate::apps_list::is_technical_name(name.trim()) => {
                        modules.push(Located::new(name.trim().to_owned(), span));
                    }
                    Some(name) => problems.push(
                        Problem::at(
                            codes::INSTALLED_BAD_NAME,
                            span,
                            format!("`{name}` cannot be a module's technical name"),
                        )
                        .label("not a technical name")
                        .help("technical names are ASCII letters, digits and underscores"),
                    ),
                    None => problems.push(shape(span)),
                }
            }
            Installed {
                modules,
                from: None,
            }
        }
        Node::Map(entries) => {
            let mut from = None;
            for (key, value) in entries {
                match (key.value.as_str(), value.value.as_str()) {
                    (Some("from"), Some(path)) => {
                        from = Some(Located::new(path.to_owned(), yaml::tree::span(value)));
                    }
                    (Some("from"), None) => problems.push(shape(yaml::tree::span(value))),
                    (other, _) => problems.push(
                        Problem::at(
                            codes::PLAN_UNKNOWN_KEY,
                            yaml::tree::span(key),
                            format!("unknown key `{}`", other.unwrap_or("?")),
                        )
                        .label("unknown key")
                        .help("`installed` as a mapping takes only `from`"),
                    ),
                }
            }
            let Some(path) = from else {
                problems.push(shape(yaml::tree::span(node)));
                return Installed::default();
            };
            read_installed_file(plan, path, problems, elsewhere)
        }
        Node::Scalar(_) => {
            problems.push(shape(yaml::tree::span(node)));
            Installed::default()
        }
    }
}

fn read_installed_file(
    plan: &SourceFile,
    path: Located<String>,
    problems: &mut Vec<Problem>,
    elsewhere: &mut Option<Error>,
) -> Installed {
    let none = Installed::default();
    if path.value.trim().is_empty() {
        problems.push(
            Problem::at(
                codes::PLAN_INSTALLED_FILE,
                path.span,
                "`from` cannot be empty",
            )
            .label("empty path")
            .help("name the file, relative to the plan file"),
        );
        return none;
    }
    let base = plan.path().parent().unwrap_or_else(|| Path::new(""));
    let full = base.join(&path.value);
    let bytes = match crate::read::read(&full, INSTALLED_FILE) {
        Ok(bytes) => bytes,
        Err(err) => {
            let err = err.into_io();
            problems.push(
                Problem::at(
                    codes::PLAN_INSTALLED_FILE,
                    path.span,
                    format!(
                        "cannot read the installed-modules list `{}`: {err}",
                        full.display()
                    ),
                )
                .label("cannot be read")
                .help("the path is relative to the plan file"),
            );
            return none;
        }
    };
    let display = full.display().to_string();
    let file = match yaml::decode(&full, &display, &bytes, &INSTALLED_WORDS) {
        Ok(file) => file,
        Err(err) => {
            elsewhere.get_or_insert(err);
            return none;
        }
    };
    match crate::apps_list::parse(file.text()) {
        Ok(list) => Installed {
            modules: list
                .modules
                .into_iter()
                .map(|l| Located::new(l.name, l.span))
                .collect(),
            from: Some(InstalledFile { path, file }),
        },
        Err(found) => {
            elsewhere.get_or_insert(Error::invalid(file, INSTALLED_FILE.noun, found));
            none
        }
    }
}

/// The words of an installed-modules list, for its encoding error.
const INSTALLED_WORDS: yaml::Words = yaml::Words {
    noun: "installed-modules list",
    encoding: codes::INSTALLED_ENCODING,
    ..yaml::PLAN
};

fn no_phases(span: Span, problems: &mut Vec<Problem>) {
    problems.push(
        Problem::at(codes::PLAN_NO_PHASES, span, "the plan has no phases")
            .label("empty list")
            .help("add at least one phase with an `id` and its `modules`"),
    );
}

fn check_reason(reason: &Located<String>, problems: &mut Vec<Problem>) {
    if reason.value.trim().is_empty() {
        problems.push(
            Problem::at(
                codes::PLAN_WAIVER_REASON,
                reason.span,
                "a waiver needs a reason",
            )
            .label("empty reason")
            .help("say why the finding is accepted, so the next reader can judge it"),
        );
    }
}

fn validate_phases(
    raw: serde_saphyr::Spanned<Vec<raw::Phase>>,
    problems: &mut Vec<Problem>,
) -> Vec<Phase> {
    let phases_span = loc(&raw);
    if raw.value.is_empty() {
        no_phases(phases_span, problems);
    }
    let mut phases: Vec<Phase> = Vec::with_capacity(raw.value.len());
    let mut ids = Ids::new("phase");
    for p in raw.value {
        let id = located_string(p.id);
        ids.note(&id, problems);
        let go_live = p
            .go_live
            .and_then(|d| parse_date(&located_string(d), problems));
        phases.push(Phase {
            id,
            name: p.name.map(|n| n.value),
            go_live,
            after: p
                .after
                .map(|a| a.value.into_iter().map(located_string).collect()),
            companies: p
                .companies
                .map(|c| c.value.into_iter().map(located_string).collect()),
            modules: p
                .modules
                .map(|m| m.value.into_iter().map(located_string).collect())
                .unwrap_or_default(),
            milestones: p
                .milestones
                .unwrap_or_default()
                .into_iter()
                .map(located_string)
                .collect(),
        });
    }

    phases
}

fn validate_waivers(raw: Vec<raw::Waiver>, problems: &mut Vec<Problem>) -> Vec<Waiver> {
    let mut waivers = Vec::new();
    for w in raw {
        let reason = located_string(w.reason);
        check_reason(&reason, problems);
        waivers.push(Waiver {
            rule: located_string(w.rule),
            module: w.module.map(located_string),
            phase: w.phase.map(located_string),
            company: w.company.map(located_string),
            reason,
            until: w
                .until
                .and_then(|d| parse_date(&located_string(d), problems)),
        });
    }

    waivers
}

fn check_identifier(id: &Located<String>, what: &str, problems: &mut Vec<Problem>) {
    if id.value.trim().is_empty() {
        problems.push(
            Problem::at(
                codes::PLAN_EMPTY_ID,
                id.span,
                format!("a {what} id cannot be empty"),
            )
            .label("empty id"),
        );
    }
}

fn parse_date(raw: &Located<String>, problems: &mut Vec<Problem>) -> Option<Located<Date>> {
    let span = raw.span;
    match Date::parse(raw.value.trim()) {
        Ok(date) => Some(Located::new(date, span)),
        Err(message) => {
            problems.push(
                Problem::at(codes::PLAN_BAD_DATE, span, message)
                    .label("not a YYYY-MM-DD date")
                    .help("write dates as YYYY-MM-DD, e.g. 2026-01-15"),
            );
            None
        }
    }
}

/// ISO 4217 currency codes, sorted: the active list, its fund and metal codes, and the codes
/// withdrawn since 2020 that Odoo still ships as currencies (`HRK`, `SLL`, `ZWL`, `ANG`), so an
/// existing database's currency is not refused.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR",
    "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW",
    "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
    "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
    "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG",
    "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

#[cfg(test)]
mod currency_tests {
    #[test]
    fn the_currency_list_is_sorted_for_binary_search() {
        assert!(super::ISO_4217.windows(2).all(|w| w[0] < w[1]));
        assert!(super::ISO_4217.binary_search(&"EUR").is_ok());
        assert!(super::ISO_4217.binary_search(&"EUX").is_err());
    }
}
