//! `--format json`: one object, exactly as design §7 describes. The field names are a public
//! contract that CI scripts read; add fields, never rename them.

use miette::Diagnostic as _;
use serde::Serialize;

use super::{CheckRun, Summary};
use crate::error::{Error, codes};
use crate::finding::Finding;
use crate::rules;
use crate::source::SourceFile;

/// The document.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// Format version.
    pub version: u32,
    /// Every finding, file by file.
    pub findings: Vec<JsonFinding<'a>>,
    /// Files that could not be checked.
    pub errors: Vec<JsonError>,
    /// Counts.
    pub summary: Summary,
}

/// A finding.
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    /// `OO201`.
    pub code: &'a str,
    /// `dependency-in-later-phase`.
    pub rule: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: &'a str,
    /// What is wrong.
    pub message: &'a str,
    /// How to fix it.
    pub help: &'a str,
    /// Whether `odoo-order fix` knows how to repair it.
    pub fixable: bool,
    /// The rule's documentation.
    pub url: String,
    /// The plan file.
    pub path: &'a str,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column just past the end.
    pub end_column: usize,
    /// Byte offset of the start.
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
    /// The module, if the finding is about one.
    pub module: Option<&'a str>,
    /// The phase, if the finding is about one.
    pub phase: Option<&'a str>,
    /// The company, for the per-company rules (null for the implicit company).
    pub company: Option<&'a str>,
    /// Every company the finding stands for (`company` is the first); empty when none.
    pub companies: &'a [String],
    /// The dependency chain, if one explains the finding.
    pub chain: Option<&'a [String]>,
    /// Related locations.
    pub related: Vec<JsonRelated<'a>>,
}

/// A related location.
#[derive(Debug, Serialize)]
pub struct JsonRelated<'a> {
    /// The file.
    pub path: &'a str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is there.
    pub message: &'a str,
    /// The module written there, if any.
    pub module: Option<&'a str>,
    /// Its phase, if any.
    pub phase: Option<&'a str>,
}

/// A file that could not be checked.
#[derive(Debug, Serialize)]
pub struct JsonError {
    /// The file.
    pub path: String,
    /// 1-based line; null when the problem is about the whole file (or is no file's), so that
    /// it cannot be mistaken for a real 1:1.
    pub line: Option<usize>,
    /// 1-based column, in characters; null with `line`.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// A stable identifier (`plan::unknown-key`, `io`).
    pub code: String,
    /// How to fix it, when known.
    pub help: Option<String>,
}

/// A finding as JSON.
pub fn finding<'a>(f: &'a Finding, file: &'a SourceFile) -> JsonFinding<'a> {
    let start = file.line_col(f.span.offset);
    let end = file.line_col(f.span.end());
    JsonFinding {
        code: f.code,
        rule: f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        help: &f.help,
        fixable: super::fixable(f),
        url: rules::find(f.code)
            .map(rules::Rule::url)
            .unwrap_or_default(),
        path: file.name(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        offset: f.span.offset,
        length: f.span.len,
        module: f.module.as_deref(),
        phase: f.phase.as_deref(),
        company: f.company.as_deref(),
        companies: &f.companies,
        chain: f.chain.as_deref(),
        related: f
            .related
            .iter()
            .map(|r| {
                let at = file.line_col(r.span.offset);
                JsonRelated {
                    path: file.name(),
                    line: at.line,
                    column: at.column,
                    message: &r.message,
                    module: r.module.as_deref(),
                    phase: r.phase.as_deref(),
                }
            })
            .collect(),
    }
}

/// A hard failure as JSON entries, one per problem.
pub fn errors(err: &Error) -> Vec<JsonError> {
    match err {
        Error::Invalid(inv) => inv
            .problems
            .iter()
            .map(|p| {
                let at = inv.location(p);
                JsonError {
                    path: inv.file.name().to_owned(),
                    line: at.map(|at| at.line),
                    column: at.map(|at| at.column),
                    message: p.message.clone(),
                    code: p.code.to_owned(),
                    help: p.help.clone(),
                }
            })
            .collect(),
        Error::Io { path, source } | Error::Write { path, source } => vec![JsonError {
            path: path.display().to_string(),
            line: None,
            column: None,
            message: format!("{err}: {source}"),
            code: codes::IO.to_owned(),
            help: None,
        }],
        Error::NoPlans { path } => vec![JsonError {
            path: path.display().to_string(),
            line: None,
            column: None,
            message: err.to_string(),
            code: codes::NO_PLANS.to_owned(),
            help: err.help().map(|h| h.to_string()),
        }],
        Error::Usage { help, .. } => vec![JsonError {
            path: String::new(),
            line: None,
            column: None,
            message: err.to_string(),
            code: codes::USAGE.to_owned(),
            help: help.clone(),
        }],
    }
}

/// Builds the document for a run.
pub fn report(run: &CheckRun) -> JsonReport<'_> {
    let mut findings = Vec::new();
    let mut errs = Vec::new();
    for e in run.failures() {
        errs.extend(errors(e));
    }
    for (file, reported) in run.reported() {
        findings.extend(reported.iter().map(|f| finding(f, file)));
    }
    JsonReport {
        version: 1,
        findings,
        errors: errs,
        summary: run.summary(),
    }
}

/// Renders a run as pretty-printed JSON with a trailing newline.
pub fn render_run(run: &CheckRun) -> String {
    let mut text = serde_json::to_string_pretty(&report(run))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
