//! The default format: miette's graphical report, one per finding, then a summary line.

use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{CheckRun, FileResult, summary_line};
use crate::error::{Error, ProblemDiagnostic};
use crate::finding::{Finding, Severity, chain_text};
use crate::rules;
use crate::source::SourceFile;

/// A finding paired with its file, as miette wants it.
#[derive(Debug)]
pub struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: NamedSource<Arc<str>>,
    code: String,
    url: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    /// Wraps a finding of `file`.
    pub fn new(finding: &'a Finding, file: &SourceFile) -> Self {
        Self {
            finding,
            source: file.named_source(),
            code: format!("{} {}", finding.code, finding.rule),
            url: rules::find(finding.code).map(rules::Rule::url),
        }
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let f = self.finding;
        let mut help = f.help.clone();
        if let Some(chain) = f
            .chain
            .as_ref()
            .filter(|c| c.len() > 2 && !f.message.contains(&chain_text(c)))
        {
            help = format!("chain: {}\n{help}", chain_text(chain));
        }
        (!help.is_empty()).then(|| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.finding;
        let primary = LabeledSpan::new_primary_with_span(
            Some(f.label.clone()).filter(|l| !l.is_empty()),
            f.span,
        );
        let related = f
            .related
            .iter()
            .map(|r| LabeledSpan::new_with_span(Some(r.message.clone()), r.span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

fn handler(color: bool, width: usize) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_urls(false)
        .without_syntax_highlighting()
}

fn render(diagnostic: &dyn Diagnostic, color: bool, width: usize) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail; a renderer bug would only lose this one report.
    let _ = handler(color, width).render_report(&mut out, diagnostic);
    out
}

/// Renders one finding.
pub fn render_finding(finding: &Finding, file: &SourceFile, color: bool, width: usize) -> String {
    render(&FindingDiagnostic::new(finding, file), color, width)
}

/// Renders a hard failure, every problem of an invalid file in turn.
pub fn render_error(err: &Error, color: bool, width: usize) -> String {
    match err {
        Error::Invalid(inv) => inv
            .problems
            .iter()
            .map(|p| render(&ProblemDiagnostic::new(&inv.file, p), color, width))
            .collect(),
        other => render(other, color, width),
    }
}

/// Renders a whole run: findings to standard output, failures to standard error.
pub fn render_run(run: &CheckRun, color: bool, width: usize) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    for result in &run.files {
        match result {
            FileResult::Checked { file, outcome } => {
                for f in &outcome.findings {
                    out.push_str(&render_finding(f, file, color, width));
                    out.push('\n');
                }
            }
            FileResult::Failed(e) => err.push_str(&render_error(e, color, width)),
        }
    }
    for e in &run.errors {
        err.push_str(&render_error(e, color, width));
    }
    out.push_str(&summary_line(&run.summary()));
    out.push('\n');
    (out, err)
}
