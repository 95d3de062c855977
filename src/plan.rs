//! The plan file (format v1, design §3): its serde model with a byte span on every value, and
//! the loader that turns YAML into a validated [`Plan`] or located [`Problem`]s.
//!
//! Two stages, as in ripgrep's low/high args: [`raw`] holds exactly what the YAML says, checked
//! only for shape by serde; [`Plan`] holds checked values (dates parsed, country codes and ids
//! validated). References between phases and companies are resolved later, in
//! [`crate::graph`], because a dangling reference is a finding (OO106), not a hard error.

use std::path::Path;

use serde_saphyr::{Location, MessageFormatter, UserMessageFormatter};

use crate::country;
use crate::date::Date;
use crate::error::{Error, Problem};
use crate::source::{SourceFile, Span};
use crate::suggest;

/// The serde model of a plan file: what the YAML says, with spans.
///
/// The same types derive the published JSON Schema (`odoo-order schema`, see
/// [`crate::schema`]); `Spanned<T>` is described as `T`.
pub mod raw {
    use schemars::JsonSchema;
    use serde::Deserialize;
    use serde_saphyr::Spanned;

    /// The top level of a plan.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Plan {
        /// The Odoo series, `"17.0"`.
        #[schemars(schema_with = "crate::schema::series")]
        pub odoo: Spanned<String>,
        /// `community` (default) or `enterprise`.
        #[serde(default)]
        #[schemars(with = "Option<Edition>")]
        pub edition: Option<Spanned<Edition>>,
        /// A title for reports.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub project: Option<Spanned<String>>,
        /// Directories of real addons, relative to the plan file.
        #[serde(default)]
        #[schemars(with = "Option<Vec<String>>")]
        pub addons_path: Option<Vec<Spanned<String>>>,
        /// The companies of the database; absent means one implicit company.
        #[serde(default)]
        pub companies: Option<Vec<Company>>,
        /// The go-live phases.
        #[schemars(with = "Vec<Phase>")]
        pub phases: Spanned<Vec<Phase>>,
        /// Accepted findings.
        #[serde(default)]
        pub waivers: Option<Vec<Waiver>>,
    }

    /// The Odoo edition a plan targets.
    #[derive(Debug, Clone, Copy, Deserialize, JsonSchema, PartialEq, Eq, Default)]
    #[serde(rename_all = "lowercase")]
    pub enum Edition {
        /// Odoo Community: Enterprise-only modules are not available.
        #[default]
        Community,
        /// Odoo Enterprise.
        Enterprise,
    }

    /// A company of the database.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Company {
        /// Identifier used by phases and waivers.
        #[schemars(with = "String")]
        pub id: Spanned<String>,
        /// Display name.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub name: Option<Spanned<String>>,
        /// ISO 3166-1 alpha-2 country code.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub country: Option<Spanned<String>>,
    }

    /// A go-live phase.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Phase {
        /// Unique identifier.
        #[schemars(with = "String")]
        pub id: Spanned<String>,
        /// Display name.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub name: Option<Spanned<String>>,
        /// Go-live date, `YYYY-MM-DD`.
        #[serde(default)]
        #[schemars(schema_with = "crate::schema::date")]
        pub go_live: Option<Spanned<String>>,
        /// Phases this one goes live after; absent means the previous phase in the list.
        #[serde(default)]
        #[schemars(with = "Option<Vec<String>>")]
        pub after: Option<Spanned<Vec<Spanned<String>>>>,
        /// Companies whose operations go live in this phase; absent means all.
        #[serde(default)]
        #[schemars(with = "Option<Vec<String>>")]
        pub companies: Option<Spanned<Vec<Spanned<String>>>>,
        /// Modules planned in this phase.
        #[serde(default)]
        #[schemars(schema_with = "crate::schema::modules")]
        pub modules: Option<Spanned<Vec<Spanned<String>>>>,
    }

    /// An accepted finding.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Waiver {
        /// Rule code or name.
        #[schemars(schema_with = "crate::schema::rule")]
        pub rule: Spanned<String>,
        /// Only findings about this module.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub module: Option<Spanned<String>>,
        /// Only findings in this phase.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub phase: Option<Spanned<String>>,
        /// Only findings for this company.
        #[serde(default)]
        #[schemars(with = "Option<String>")]
        pub company: Option<Spanned<String>>,
        /// Why the finding is accepted (required).
        #[schemars(with = "String")]
        pub reason: Spanned<String>,
        /// Last day the waiver applies, `YYYY-MM-DD`.
        #[serde(default)]
        #[schemars(schema_with = "crate::schema::date")]
        pub until: Option<Spanned<String>>,
    }
}

pub use raw::Edition;

/// A value and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its bytes in the file.
    pub span: Span,
}

impl<T> Located<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// A validated plan. Cross-references are not resolved yet (see [`crate::graph`]).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The file the plan was read from.
    pub file: SourceFile,
    /// The Odoo series (`17.0`).
    pub series: Located<String>,
    /// The edition, and where it is written when it is.
    pub edition: Edition,
    /// A title.
    pub project: Option<String>,
    /// Addons directories as written (relative to the plan file).
    pub addons_path: Vec<Located<String>>,
    /// Declared companies, in file order; empty when the plan declares none.
    pub companies: Vec<Company>,
    /// The phases, in file order.
    pub phases: Vec<Phase>,
    /// The waivers, in file order.
    pub waivers: Vec<Waiver>,
}

/// A declared company.
#[derive(Debug, Clone)]
pub struct Company {
    /// Its identifier.
    pub id: Located<String>,
    /// Its display name.
    pub name: Option<String>,
    /// Its country, upper case (`FR`).
    pub country: Option<Located<String>>,
}

/// A go-live phase.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Its identifier.
    pub id: Located<String>,
    /// Its display name.
    pub name: Option<String>,
    /// Its go-live date.
    pub go_live: Option<Located<Date>>,
    /// Its explicit predecessors; `None` means "after the previous phase in the list".
    pub after: Option<Vec<Located<String>>>,
    /// The companies it covers; `None` means all.
    pub companies: Option<Vec<Located<String>>>,
    /// The planned modules, in file order.
    pub modules: Vec<Located<String>>,
}

/// An accepted finding.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// Rule code or name as written.
    pub rule: Located<String>,
    /// Module filter.
    pub module: Option<Located<String>>,
    /// Phase filter.
    pub phase: Option<Located<String>>,
    /// Company filter.
    pub company: Option<Located<String>>,
    /// Why the finding is accepted.
    pub reason: Located<String>,
    /// Last day it applies.
    pub until: Option<Located<Date>>,
}

impl Plan {
    /// Reads and validates a plan file.
    pub fn from_path(path: &Path, display: &str) -> Result<Self, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(path, display, &bytes)
    }

    /// Validates a plan held in memory (stdin, tests). `path` anchors relative `addons_path`.
    pub fn from_bytes(path: &Path, display: &str, bytes: &[u8]) -> Result<Self, Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(SourceFile::new(path, display, text)),
            Err(err) => {
                let valid = err.valid_up_to();
                // Show the valid prefix so the label lands on the first bad byte.
                let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let file = SourceFile::new(path, display, text);
                let problem = Problem::at(
                    "plan::encoding",
                    Span::new(valid, 0),
                    "the plan is not UTF-8 text",
                )
                .label(format!("invalid UTF-8 at byte {valid}"))
                .help("save the file as UTF-8");
                Err(Error::invalid(file, "plan", vec![problem]))
            }
        }
    }

    /// Parses and validates a plan's text.
    pub fn parse(file: SourceFile) -> Result<Self, Error> {
        // We render our own snippets, so the parser need not build its own.
        let options = serde_saphyr::options! { with_snippet: false };
        let raw: raw::Plan = match serde_saphyr::from_str_with_options(file.text(), options) {
            Ok(raw) => raw,
            Err(err) => {
                let problem = yaml_problem(&file, &err);
                return Err(Error::invalid(file, "plan", vec![problem]));
            }
        };
        let mut problems = Vec::new();
        let plan = validate(&file, raw, &mut problems);
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(Error::invalid(file, "plan", problems))
        }
    }

    /// The phase at an index; indices come from this plan, so they are in range.
    pub fn phase(&self, index: usize) -> &Phase {
        &self.phases[index]
    }
}

/// The keys each mapping of the format accepts, for "did you mean" when serde's message does
/// not list them.
const ALL_KEYS: &[&str] = &[
    "odoo",
    "edition",
    "project",
    "addons_path",
    "companies",
    "phases",
    "waivers",
    "id",
    "name",
    "country",
    "go_live",
    "after",
    "modules",
    "rule",
    "module",
    "phase",
    "company",
    "reason",
    "until",
];

pub(crate) fn span_of(location: &Location) -> Span {
    let span = location.span();
    let offset = span.byte_offset().unwrap_or(span.offset());
    let len = span.byte_len().unwrap_or(span.len());
    Span::new(
        usize::try_from(offset).unwrap_or(usize::MAX),
        usize::try_from(len).unwrap_or(0),
    )
}

/// Turns a serde-saphyr error into a located problem with our wording and a "did you mean".
pub(crate) fn yaml_problem(file: &SourceFile, err: &serde_saphyr::Error) -> Problem {
    let message = UserMessageFormatter
        .format_message(err.without_snippet())
        .into_owned();
    let span = err.location().filter(|l| l.line() > 0).map(|l| {
        let span = span_of(&l);
        // Some parser errors carry only line and column; recover the byte offset.
        if span.offset == 0 && (l.line() > 1 || l.column() > 1) {
            let line = usize::try_from(l.line()).unwrap_or(1);
            let column = usize::try_from(l.column()).unwrap_or(1);
            Span::new(file.offset_of(line, column).unwrap_or(0), 0)
        } else {
            span
        }
    });
    let span = span.map(|s| widen_to_token(file, s));
    if let Some((what, found, expected)) = parse_unknown(&message) {
        let candidates: Vec<&str> = if expected.is_empty() {
            ALL_KEYS.to_vec()
        } else {
            expected.iter().map(String::as_str).collect()
        };
        let help = suggest::did_you_mean(&found, candidates.iter().copied())
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                (!expected.is_empty()).then(|| format!("expected one of {}", list(&expected)))
            });
        let code = if what == "field" {
            "plan::unknown-key"
        } else {
            "plan::unknown-value"
        };
        let message = if what == "field" {
            format!("unknown key `{found}`")
        } else {
            format!("unknown value `{found}`")
        };
        return located(span, code, message)
            .label(format!(
                "unknown {}",
                if what == "field" { "key" } else { "value" }
            ))
            .maybe_help(help);
    }
    if message.starts_with("duplicate mapping key") {
        let key = message.split('`').nth(1).unwrap_or("");
        return located(
            span,
            "plan::duplicate-key",
            format!("duplicate key `{key}`"),
        )
        .label("repeated here")
        .help("a mapping may give each key once; remove or merge the repeated key");
    }
    if message.starts_with("missing field") {
        let field = message.split('`').nth(1).unwrap_or("");
        return located(
            span,
            "plan::missing-key",
            format!("missing required key `{field}`"),
        )
        .label(format!("this mapping needs `{field}`"));
    }
    if message.contains("end of") && file.text().trim().is_empty() {
        return Problem::whole_file("plan::empty", "the plan is empty").help(
            "a plan needs at least `odoo:` and `phases:`; `odoo-order init` writes a starter plan",
        );
    }
    let key = span.and_then(|s| key_before(file, s.offset));
    let friendly = friendly_type_message(&message);
    let message = match (key, friendly) {
        (None, Some("a mapping")) if span.is_none_or(|s| s.offset == 0) => {
            "a plan must be a mapping with `odoo:` and `phases:` keys".to_owned()
        }
        (Some(key), Some(expected)) => format!("`{key}` must be {expected}"),
        (None, Some(expected)) => format!("expected {expected}"),
        (_, None) => message,
    };
    located(span, "plan::syntax", message).label("here")
}

fn located(span: Option<Span>, code: &'static str, message: String) -> Problem {
    match span {
        Some(span) => Problem::at(code, span, message),
        None => Problem::whole_file(code, message),
    }
}

/// Parses serde's "unknown field" (or "unknown variant") message: what was found and what
/// was expected.
fn parse_unknown(message: &str) -> Option<(&'static str, String, Vec<String>)> {
    let (what, rest) = if let Some(rest) = message.strip_prefix("unknown field ") {
        ("field", rest)
    } else {
        ("variant", message.strip_prefix("unknown variant ")?)
    };
    let rest = rest.strip_prefix('`')?;
    let end = rest.find('`')?;
    let found = rest[..end].to_owned();
    let tail = &rest[end + 1..];
    let expected = tail
        .split_once("expected one of ")
        .map(|(_, l)| l)
        .or_else(|| tail.split_once("expected ").map(|(_, l)| l))
        .map(|l| {
            l.split(',')
                .map(|s| s.trim().trim_matches('`').to_owned())
                .filter(|s| !s.is_empty() && !s.contains(' '))
                .collect()
        })
        .unwrap_or_default();
    Some((what, found, expected))
}

fn friendly_type_message(message: &str) -> Option<&'static str> {
    let m = message.to_ascii_lowercase();
    Some(if m.contains("sequence") {
        "a list"
    } else if m.contains("mapping") || m.contains("struct") || m.contains("map") {
        "a mapping"
    } else if m.contains("string") || m.contains("scalar") {
        "a single value (a string)"
    } else {
        return None;
    })
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A zero-length span is hard to see; stretch it over the token that starts there.
fn widen_to_token(file: &SourceFile, span: Span) -> Span {
    if span.len > 0 {
        return span;
    }
    let rest = file.text().get(span.offset..).unwrap_or("");
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ']' | '}'))
        .unwrap_or(rest.len());
    Span::new(
        span.offset,
        len.max(usize::from(!rest.is_empty() && len == 0)),
    )
}

/// The mapping key written on the line of `offset`, before it (`modules: 3` gives `modules`).
fn key_before(file: &SourceFile, offset: usize) -> Option<String> {
    let text = file.text();
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let before = text.get(line_start..offset)?;
    let (key, _) = before.rsplit_once(':')?;
    let key = key
        .trim()
        .trim_start_matches("- ")
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| key.to_owned())
}

fn loc<T>(spanned: &serde_saphyr::Spanned<T>) -> Span {
    span_of(&spanned.referenced)
}

fn located_string(s: serde_saphyr::Spanned<String>) -> Located<String> {
    let span = loc(&s);
    Located::new(s.value, span)
}

fn validate(file: &SourceFile, raw: raw::Plan, problems: &mut Vec<Problem>) -> Plan {
    let companies = validate_companies(raw.companies.unwrap_or_default(), problems);
    let phases = validate_phases(raw.phases, problems);
    let waivers = validate_waivers(raw.waivers.unwrap_or_default(), problems);
    Plan {
        file: file.clone(),
        series: located_string(raw.odoo),
        edition: raw.edition.map(|e| e.value).unwrap_or_default(),
        project: raw.project.map(|p| p.value),
        addons_path: raw
            .addons_path
            .unwrap_or_default()
            .into_iter()
            .map(located_string)
            .collect(),
        companies,
        phases,
        waivers,
    }
}

fn validate_companies(raw: Vec<raw::Company>, problems: &mut Vec<Problem>) -> Vec<Company> {
    let mut companies: Vec<Company> = Vec::new();
    for c in raw {
        let id = located_string(c.id);
        check_identifier(&id, "company", problems);
        if let Some(first) = companies.iter().find(|k| k.id.value == id.value) {
            problems.push(
                Problem::at(
                    "plan::duplicate-id",
                    id.span,
                    format!("company `{}` is declared twice", id.value),
                )
                .label("declared again here")
                .related(first.id.span, "first declared here")
                .help("give each company its own id"),
            );
        }
        let country = c.country.map(located_string).and_then(|country| {
            let upper = country.value.to_ascii_uppercase();
            if country::is_iso_alpha2(&upper) {
                Some(Located::new(upper, country.span))
            } else {
                let help = suggest::did_you_mean(&upper, country::ISO_ALPHA2.iter().copied())
                    .map_or_else(
                        || "use an ISO 3166-1 alpha-2 code such as `FR` or `BE`".to_owned(),
                        |s| format!("did you mean `{s}`?"),
                    );
                problems.push(
                    Problem::at(
                        "plan::bad-country",
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
        });
        companies.push(Company {
            id,
            name: c.name.map(|n| n.value),
            country,
        });
    }
    companies
}

fn validate_phases(
    raw: serde_saphyr::Spanned<Vec<raw::Phase>>,
    problems: &mut Vec<Problem>,
) -> Vec<Phase> {
    let phases_span = loc(&raw);
    if raw.value.is_empty() {
        problems.push(
            Problem::at("plan::no-phases", phases_span, "the plan has no phases")
                .label("empty list")
                .help("add at least one phase with an `id` and its `modules`"),
        );
    }
    let mut phases: Vec<Phase> = Vec::with_capacity(raw.value.len());
    for p in raw.value {
        let id = located_string(p.id);
        check_identifier(&id, "phase", problems);
        if let Some(first) = phases.iter().find(|k| k.id.value == id.value) {
            problems.push(
                Problem::at(
                    "plan::duplicate-id",
                    id.span,
                    format!("phase `{}` is declared twice", id.value),
                )
                .label("declared again here")
                .related(first.id.span, "first declared here")
                .help("give each phase its own id"),
            );
        }
        let go_live = p.go_live.and_then(|d| parse_date(&d, problems));
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
        });
    }

    phases
}

fn validate_waivers(raw: Vec<raw::Waiver>, problems: &mut Vec<Problem>) -> Vec<Waiver> {
    let mut waivers = Vec::new();
    for w in raw {
        let reason = located_string(w.reason);
        if reason.value.trim().is_empty() {
            problems.push(
                Problem::at(
                    "plan::waiver-reason",
                    reason.span,
                    "a waiver needs a reason",
                )
                .label("empty reason")
                .help("say why the finding is accepted, so the next reader can judge it"),
            );
        }
        waivers.push(Waiver {
            rule: located_string(w.rule),
            module: w.module.map(located_string),
            phase: w.phase.map(located_string),
            company: w.company.map(located_string),
            reason,
            until: w.until.and_then(|d| parse_date(&d, problems)),
        });
    }

    waivers
}

fn check_identifier(id: &Located<String>, what: &str, problems: &mut Vec<Problem>) {
    if id.value.trim().is_empty() {
        problems.push(
            Problem::at(
                "plan::empty-id",
                id.span,
                format!("a {what} id cannot be empty"),
            )
            .label("empty id"),
        );
    }
}

fn parse_date(
    raw: &serde_saphyr::Spanned<String>,
    problems: &mut Vec<Problem>,
) -> Option<Located<Date>> {
    let span = loc(raw);
    match Date::parse(raw.value.trim()) {
        Ok(date) => Some(Located::new(date, span)),
        Err(message) => {
            problems.push(
                Problem::at("plan::bad-date", span, message)
                    .label("not a YYYY-MM-DD date")
                    .help("write dates as YYYY-MM-DD, e.g. 2026-01-15"),
            );
            None
        }
    }
}
