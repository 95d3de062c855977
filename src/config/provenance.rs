//! Where each setting comes from (default, a line of a file, a flag), for `--show-config`.

use std::fmt;
use std::path::PathBuf;

use serde_saphyr::Spanned;

use crate::finding::Severity;
use crate::ruledata::Layer;
use crate::rules::Rule;
use crate::source::{SourceFile, Span};

/// Where a setting's value comes from, for `--show-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built in.
    Default,
    /// A configuration file, at a 1-based line.
    File {
        /// The file as reports name it.
        name: String,
        /// The line.
        line: usize,
    },
    /// A command-line flag, as written (`-A layer-order`).
    CommandLine(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Default => f.write_str("default"),
            Self::File { name, line } => write!(f, "{name}:{line}"),
            Self::CommandLine(flag) => write!(f, "command line ({flag})"),
        }
    }
}

/// A setting with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it comes from.
    pub origin: Origin,
}

/// The resolved settings, each with its origin: what `--show-config` prints.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The configuration file as reports name it, if there is one.
    pub file: Option<String>,
    /// The level that fails the run.
    pub fail_on: Sourced<Severity>,
    /// Every rule and its level (`None` is off).
    pub rules: Vec<(&'static Rule, Sourced<Option<Severity>>)>,
    /// Layer overrides: module name or `prefix*` pattern, and its layer (`None` pins it to none).
    pub layers: Vec<(String, Sourced<Option<Layer>>)>,
    /// Extra rules data files, resolved.
    pub extra_rules: Vec<Sourced<PathBuf>>,
    /// Addons directories, resolved.
    pub addons_path: Vec<Sourced<PathBuf>>,
    /// Extra globs for plan files in directory walks.
    pub include: Vec<Sourced<String>>,
    /// Globs for files that directory walks skip.
    pub exclude: Vec<Sourced<String>>,
}

pub(super) fn span_of<T>(s: &Spanned<T>) -> Span {
    crate::yaml::span_of(&s.referenced)
}

/// Turns a span of the configuration file into an origin for `--show-config`.
pub(super) struct Origins<'a>(pub(super) Option<&'a SourceFile>);

impl Origins<'_> {
    pub(super) fn of<T>(&self, spanned: &Spanned<T>) -> Origin {
        match self.0 {
            Some(f) => Origin::File {
                name: f.name().to_owned(),
                line: f.line_col(span_of(spanned).offset).line,
            },
            None => Origin::Default,
        }
    }
}
