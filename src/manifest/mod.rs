//! Odoo `__manifest__.py` files, read as the Python literal they are and never executed.
//!
//! Odoo loads a manifest with `ast.literal_eval(f.read())`, so this module accepts what that
//! call accepts for the values a manifest can hold, and reports the rest as a [`ManifestError`]
//! with a line and column. It never panics, whatever the input: every byte access is checked
//! and nesting is capped at [`MAX_DEPTH`], as in Python.
//!
//! [`literal`] reads the Python literal (strings, numbers, containers, in its submodules);
//! [`schema`] reads the manifest fields Odoo defines from the parsed value.

use miette::{Diagnostic, SourceSpan};

use crate::source::{SourceFile, Span};

pub mod literal;
pub mod schema;

pub use literal::{PyNode, PyValue, parse, parse_bytes};
pub use schema::{AutoInstallSpec, Manifest};

/// How deep lists, tuples, dicts, sets and parentheses may nest before parsing gives up.
///
/// Python's tokenizer refuses more than 200 nested brackets, so no manifest Odoo can load
/// nests deeper (real ones nest three levels: `assets` → bundle → directive tuple). The cap
/// keeps hostile input from exhausting the stack: at 200, an unoptimised build needs about
/// 1.1 MiB of a thread's 2 MiB.
pub const MAX_DEPTH: usize = 200;

/// Why a manifest could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Diagnostic)]
#[error("{message}")]
// The registry's `codes::MANIFEST_INVALID`: an attribute cannot name a constant, so
// `tests/error_codes.rs` keeps the two equal.
#[diagnostic(code("manifest::invalid"))]
pub struct ManifestError {
    /// What is wrong, lowercase, identifiers in backticks.
    pub message: String,
    /// Byte offset of the problem in the source.
    pub offset: usize,
    /// 1-based line of `offset` (`\n`, `\r\n` and `\r` each end a line, as in Python).
    pub line: usize,
    /// 1-based column of `offset`, counted in characters.
    pub column: usize,
    /// The bytes the problem is about, for a miette label; the caller attaches the source.
    #[label("here")]
    pub span: SourceSpan,
}

impl ManifestError {
    /// An error about `span` of `source`; line and column are computed from `source`, by the
    /// crate's one line table, so a manifest position reads like a plan position.
    pub fn new(source: &str, span: Span, message: impl Into<String>) -> Self {
        // A parse stops at its first error, so the line table is built once per failed file.
        let at = SourceFile::new("", "", source).line_col(span.offset);
        ManifestError {
            message: message.into(),
            offset: span.offset,
            line: at.line,
            column: at.column,
            span: span.into(),
        }
    }
}

#[cfg(test)]
mod tests;
