//! Hard failures: the input could not be read, parsed or validated, or the command line is
//! unusable. These end in exit code 2; rule findings are data and live in [`crate::finding`].

use std::fmt;
use std::path::PathBuf;

use miette::Diagnostic;

pub mod codes;

use crate::source::{LineCol, SourceFile, Span};

/// One located thing wrong with an input file (a plan, a config, a rules data file, a manifest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A stable identifier such as `plan::unknown-key`, shown as the diagnostic code.
    pub code: &'static str,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// Where; `None` when the problem concerns the whole file.
    pub span: Option<Span>,
    /// The text of the label under the span.
    pub label: String,
    /// How to fix it, e.g. a "did you mean".
    pub help: Option<String>,
    /// Other places involved, such as the first definition of a duplicate id.
    pub related: Vec<(Span, String)>,
}

impl Problem {
    /// A problem at a span.
    pub fn at(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            span: Some(span),
            label: "here".to_owned(),
            help: None,
            related: Vec::new(),
        }
    }

    /// A problem about a whole file.
    pub fn whole_file(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            span: None,
            label: String::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// Sets the label text.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help text when there is one.
    #[must_use]
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a secondary location.
    #[must_use]
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }
}

/// Every problem found in one file, with the file so that each can be shown in context.
#[derive(Debug, Clone)]
pub struct InvalidFile {
    /// The file.
    pub file: SourceFile,
    /// What kind of file it is, for the headline (`plan`, `configuration`, ...).
    pub kind: &'static str,
    /// At least one problem, in file order.
    pub problems: Vec<Problem>,
}

impl InvalidFile {
    /// Where a problem starts, as 1-based line and column; `None` for a problem about the
    /// whole file, which has no position (reports must not show it as a real 1:1).
    pub fn location(&self, problem: &Problem) -> Option<LineCol> {
        problem.span.map(|s| self.file.line_col(s.offset))
    }
}

impl fmt::Display for InvalidFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => f.write_str(&one.message),
            many => write!(
                f,
                "`{}` is not a valid {} ({} problems)",
                self.file.name(),
                self.kind,
                many.len()
            ),
        }
    }
}

impl std::error::Error for InvalidFile {}

/// Why a command could not do its job.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("cannot read `{}`", path.display())]
    #[diagnostic(code(io))]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A file could not be written.
    #[error("cannot write `{}`", path.display())]
    #[diagnostic(code(io))]
    Write {
        /// The path.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// A directory named on the command line holds no plan: never a silent green.
    #[error("no plan found in `{}`", path.display())]
    #[diagnostic(
        code(no_plans),
        help(
            "plans are named `plan.yaml`, `*.plan.yaml` or `odoo-plan.yaml` (or `.yml`), or are \
             `*.yaml` files in a `plans` folder; `include` globs in odoo-order.yaml add other names"
        )
    )]
    NoPlans {
        /// The directory.
        path: PathBuf,
    },
    /// A file was read but is not valid: YAML syntax, unknown keys, wrong types, bad values.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidFile>),
    /// The command line asks for something that cannot be done.
    #[error("{message}")]
    #[diagnostic(code(usage))]
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        #[help]
        help: Option<String>,
    },
}

impl Diagnostic for InvalidFile {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match self.problems.as_slice() {
            [one] => Some(Box::new(one.code)),
            _ => None,
        }
    }
}

impl Error {
    /// A usage error with a hint.
    pub fn usage(message: impl Into<String>, help: Option<String>) -> Self {
        Self::Usage {
            message: message.into(),
            help,
        }
    }

    /// An invalid-file error.
    pub fn invalid(file: SourceFile, kind: &'static str, problems: Vec<Problem>) -> Self {
        Self::Invalid(Box::new(InvalidFile {
            file,
            kind,
            problems,
        }))
    }
}
