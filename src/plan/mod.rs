//! The plan file (format v1, design §3): its serde model with a byte span on every value, and
//! the loader that turns YAML into a validated [`Plan`] or located
//! [`Problem`](crate::error::Problem)s.
//!
//! Two stages, as in ripgrep's low/high args: [`raw`] holds exactly what the YAML says, checked
//! only for shape by serde; [`Plan`] holds checked values (dates parsed, country codes and ids
//! validated, in `validate.rs`). References between phases and companies are resolved later, in
//! `crate::graph`, because a dangling reference is a finding (OO106), not a hard error.

use std::path::Path;

use crate::date::Date;
use crate::error::Error;
use crate::source::{SourceFile, Span};
use crate::yaml;

pub(crate) use crate::yaml::span_of;
pub(crate) use validate::empty_addons_path;
use validate::{every_problem, validate};

pub mod raw;
mod validate;

pub use raw::{Accounting, Edition, Hosting, Valuation};

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

/// A validated plan. Cross-references are not resolved yet (see `crate::graph`).
#[derive(Debug, Clone)]
pub struct Plan {
    /// The file the plan was read from.
    pub file: SourceFile,
    /// The Odoo series (`17.0`).
    pub series: Located<String>,
    /// The edition, and where it is written when it is.
    pub edition: Edition,
    /// Where the database runs.
    pub hosting: Hosting,
    /// Where `hosting` is written, when it is.
    pub hosting_span: Option<Span>,
    /// The modules already installed in the client's database.
    pub installed: Installed,
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
    /// Its currency, upper case (`EUR`).
    pub currency: Option<Located<String>>,
    /// How it values stock, when the plan says.
    pub valuation: Option<Valuation>,
    /// Where it keeps its books.
    pub accounting: Accounting,
    /// Where `accounting` is written, when it is.
    pub accounting_span: Option<Span>,
    /// With external books, the day Odoo takes them over.
    pub accounting_until: Option<Located<Date>>,
}

impl Company {
    /// Whether the books are kept outside Odoo on `day` (`None`: a phase without a date,
    /// which is taken to be before the takeover when there is one).
    pub fn books_outside_on(&self, day: Option<Date>) -> bool {
        if self.accounting != Accounting::External {
            return false;
        }
        match (&self.accounting_until, day) {
            (None, _) | (Some(_), None) => true,
            (Some(until), Some(day)) => day < until.value,
        }
    }
}

/// The modules a plan says are already installed (`installed`).
#[derive(Debug, Clone, Default)]
pub struct Installed {
    /// Each name with its place: in the plan, or in [`Installed::from`]'s file.
    pub modules: Vec<Located<String>>,
    /// The file the names were read from, when `installed` is `{from: ...}`.
    pub from: Option<InstalledFile>,
}

/// The file an `installed: {from: ...}` names.
#[derive(Debug, Clone)]
pub struct InstalledFile {
    /// The path as written in the plan, and where.
    pub path: Located<String>,
    /// Its text.
    pub file: SourceFile,
}

impl Installed {
    /// Where the plan lists module `i`: its item, or the `from:` value for a file.
    pub fn plan_span(&self, i: usize) -> Span {
        self.from
            .as_ref()
            .map_or(self.modules[i].span, |f| f.path.span)
    }
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
    /// Its milestones (data migration, opening balances, training), in file order.
    pub milestones: Vec<Located<String>>,
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
        let mut elsewhere = None;
        let plan = validate(&file, raw, &mut problems, &mut elsewhere);
        if !problems.is_empty() {
            Err(Error::invalid(file, "plan", problems))
        } else if let Some(err) = elsewhere {
            Err(err)
        } else {
            Ok(plan)
        }
    }
}
