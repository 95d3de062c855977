//! The plan file (format v1, design §3): its serde model with a byte span on every value, and
//! the loader that turns YAML into a validated [`Plan`] or located [`Problem`]s.
//!
//! Two stages, as in ripgrep's low/high args: [`raw`] holds exactly what the YAML says, checked
//! only for shape by serde; [`Plan`] holds checked values (dates parsed, country codes and ids
//! validated). References between phases and companies are resolved later, in
//! [`crate::graph`], because a dangling reference is a finding (OO106), not a hard error.

use std::collections::HashMap;
use std::path::Path;

use crate::country;
use crate::date::Date;
use crate::error::{Error, Problem, codes};
use crate::source::{SourceFile, Span};
use crate::suggest;
use crate::yaml;
use crate::yaml::tree::Node;
use serde_saphyr::Spanned;

pub(crate) use crate::yaml::span_of;

/// The serde model of a plan file: what the YAML says, with spans.
///
/// The same types derive the published JSON Schema (`odoo-order schema`, see
/// [`crate::schema`]); `Spanned<T>` is described as `T`. The attributes name nothing of this
/// crate: the schema generator adds the series, rule and module enums itself, so the plan
/// model depends on nothing above it (the catalog and the rule registry depend on it).
pub mod raw {
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use serde::Deserialize;
    use serde_saphyr::Spanned;

    /// `go_live` and `until`: a `YYYY-MM-DD` date.
    fn date(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "null"],
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        })
    }

    /// The top level of a plan.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Plan {
        /// The Odoo series, `"17.0"`.
        #[schemars(with = "String")]
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
        #[schemars(schema_with = "date")]
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
        #[schemars(with = "Option<Vec<String>>")]
        pub modules: Option<Spanned<Vec<Spanned<String>>>>,
    }

    /// An accepted finding.
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Waiver {
        /// Rule code or name.
        #[schemars(with = "String")]
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
        #[schemars(schema_with = "date")]
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
        let bytes = crate::read::read(path, crate::read::PLAN).map_err(|err| Error::Io {
            path: path.to_path_buf(),
            source: err.into_io(),
        })?;
        Self::from_bytes(path, display, &bytes)
    }

    /// Validates a plan held in memory (stdin, tests). `path` anchors relative `addons_path`.
    pub fn from_bytes(path: &Path, display: &str, bytes: &[u8]) -> Result<Self, Error> {
        Self::parse(yaml::decode(path, display, bytes, &yaml::PLAN)?)
    }

    /// Parses and validates a plan's text.
    pub fn parse(file: SourceFile) -> Result<Self, Error> {
        let raw: raw::Plan =
            yaml::parse_or(&file, &yaml::PLAN, |first| every_problem(&file, first))?;
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

/// Every problem of a plan that does not fit the format, not just `first`, the one serde
/// stopped at (see [`yaml::tree::every_problem`]), with, in the parts that have the right
/// shape, bad dates, empty or repeated ids, unknown countries and empty reasons.
fn every_problem(file: &SourceFile, first: Problem) -> Vec<Problem> {
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

fn validate(file: &SourceFile, raw: raw::Plan, problems: &mut Vec<Problem>) -> Plan {
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
    Plan {
        file: file.clone(),
        series: located_string(raw.odoo),
        edition: raw.edition.map(|e| e.value).unwrap_or_default(),
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
        companies.push(Company {
            id,
            name: c.name.map(|n| n.value),
            country,
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
