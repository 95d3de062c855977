//! The default format: miette's graphical report, one per finding, then a summary line.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::escape::escape;
use super::snippet::{self, Label, Snippet, wrap_options};
use super::style::Style;
use super::{CheckRun, plural, summary_lines};
use crate::error::{Error, Problem};
use crate::finding::{Finding, Severity, chain_text};
use crate::rules;
use crate::source::SourceFile;

/// A finding paired with the excerpt of its file, as miette wants it. Everything from the
/// input is escaped.
#[derive(Debug)]
pub struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    snippet: Snippet,
    code: String,
    url: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    /// Wraps a finding of `file`, for a report `width` columns wide.
    pub fn new(finding: &'a Finding, file: &SourceFile, width: usize) -> Self {
        let primary = Label::new(
            finding.span,
            Some(finding.label.clone()).filter(|l| !l.is_empty()),
            true,
        );
        let related = finding
            .related
            .iter()
            .map(|r| Label::new(r.span, Some(r.message.clone()), false));
        Self {
            finding,
            snippet: Snippet::new(
                file,
                std::iter::once(primary).chain(related).collect(),
                width,
            ),
            code: format!(
                "{}[{}]: {}{}",
                severity_word(finding.severity),
                finding.code,
                finding.rule,
                if super::fixable(finding) { " [*]" } else { "" }
            ),
            url: rules::find(finding.code).map(rules::Rule::url),
        }
    }
}

/// The severity as the word that opens a header: `error[OO201]`, as rustc writes it, so that a
/// colourless log tells an error from an info without the glyph.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(&self.finding.message))
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
        let mut lines = Vec::new();
        if let Some(chain) = f
            .chain
            .as_ref()
            .filter(|c| c.len() > 2 && !f.message.contains(&chain_text(c)))
        {
            lines.push(format!("chain: {}", escape(&chain_text(chain))));
        }
        if !f.help.is_empty() {
            lines.push(escape(&f.help).into_owned());
        }
        lines.extend(omitted_note(&self.snippet));
        help(&lines)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url
            .as_ref()
            .map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.snippet)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.snippet.labels()))
    }
}

/// A [`Problem`] of an invalid file, with the excerpt it points at (none for a problem about
/// the whole file, which names the file in its message instead).
#[derive(Debug)]
pub struct ProblemDiagnostic<'a> {
    problem: &'a Problem,
    code: String,
    message: String,
    snippet: Option<Snippet>,
}

impl<'a> ProblemDiagnostic<'a> {
    /// Pairs a problem with the file it is about, for a report `width` columns wide.
    pub fn new(file: &SourceFile, problem: &'a Problem, width: usize) -> Self {
        let snippet = problem.span.map(|span| {
            let primary = Label::new(span, Some(problem.label.clone()), true);
            let related = problem
                .related
                .iter()
                .map(|(span, label)| Label::new(*span, Some(label.clone()), false));
            Snippet::new(
                file,
                std::iter::once(primary).chain(related).collect(),
                width,
            )
        });
        let message = match snippet {
            Some(_) => escape(&problem.message).into_owned(),
            None => format!("{}: {}", escape(file.name()), escape(&problem.message)),
        };
        Self {
            problem,
            code: format!("error[{}]", problem.code),
            message,
            snippet,
        }
    }
}

impl fmt::Display for ProblemDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProblemDiagnostic<'_> {}

impl Diagnostic for ProblemDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut lines: Vec<String> = self
            .problem
            .help
            .iter()
            .map(|h| escape(h).into_owned())
            .collect();
        lines.extend(self.snippet.as_ref().and_then(omitted_note));
        help(&lines)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let snippet = self.snippet.as_ref()?;
        Some(Box::new(snippet.labels()))
    }
}

/// Any other hard failure (a usage, I/O or discovery error, with no excerpt to show) as
/// `error: message: cause`, then its help: the first word says what it is, as in cargo and
/// ripgrep, not an internal tag. Everything is escaped: paths and names on the command line
/// can hold control characters too.
fn plain_error(out: &mut String, err: &Error, color: bool, width: usize) {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let text = textwrap::fill(
        &escape(&message),
        wrap_options(width)
            .initial_indent("error: ")
            .subsequent_indent("  "),
    );
    // The indent is the first word: colour it once wrapped, so the width counts no escapes.
    out.push_str(&text.replacen("error", &Style::new(color).red_bold("error"), 1));
    out.push('\n');
    if let Some(help) = err.help() {
        out.push_str(&textwrap::fill(
            &escape(&help.to_string()),
            wrap_options(width)
                .initial_indent("  help: ")
                .subsequent_indent("        "),
        ));
        out.push('\n');
    }
}

/// The note under a diagnostic whose excerpt could not draw every label.
fn omitted_note(snippet: &Snippet) -> Option<String> {
    let n = snippet.omitted();
    (n > 0).then(|| {
        format!(
            "{} not drawn here; `--format json` lists every one",
            plural(n, "more location is", "more locations are")
        )
    })
}

fn help<'b>(lines: &[String]) -> Option<Box<dyn fmt::Display + 'b>> {
    (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
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
        .with_context_lines(snippet::CONTEXT_LINES)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// Appends one diagnostic to `out`.
fn render_into(out: &mut String, handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic) {
    // Writing into a String cannot fail; a renderer bug would only lose this one report.
    let _ = handler.render_report(out, diagnostic);
}

/// Renders one finding.
pub fn render_finding(finding: &Finding, file: &SourceFile, color: bool, width: usize) -> String {
    let mut out = String::new();
    render_into(
        &mut out,
        &handler(color, width),
        &FindingDiagnostic::new(finding, file, width),
    );
    out
}

/// Renders a hard failure, every problem of an invalid file in turn.
pub fn render_error(err: &Error, color: bool, width: usize) -> String {
    let mut out = String::new();
    error_into(&mut out, err, color, width);
    out
}

fn error_into(out: &mut String, err: &Error, color: bool, width: usize) {
    match err {
        Error::Invalid(inv) => {
            let handler = handler(color, width);
            for p in &inv.problems {
                render_into(out, &handler, &ProblemDiagnostic::new(&inv.file, p, width));
            }
        }
        other => plain_error(out, other, color, width),
    }
}

/// Renders a whole run: findings to standard output, failures to standard error, both
/// coloured or neither.
pub fn render_run(run: &CheckRun, color: bool, width: usize) -> (String, String) {
    render_streams(run, color, color, width)
}

/// Renders a whole run: findings to standard output, failures to standard error, each
/// coloured or not as its own stream is.
pub fn render_streams(
    run: &CheckRun,
    color: bool,
    color_err: bool,
    width: usize,
) -> (String, String) {
    let handler = handler(color, width);
    let (mut out, mut err) = (String::new(), String::new());
    for e in run.failures() {
        error_into(&mut err, e, color_err, width);
    }
    for (file, findings) in run.reported() {
        for f in findings {
            render_into(&mut out, &handler, &FindingDiagnostic::new(f, file, width));
            out.push('\n');
        }
    }
    // The summary wraps like every other text, its continuation indented under the count.
    for line in summary_lines(&run.summary()).lines() {
        out.push_str(&textwrap::fill(
            line,
            wrap_options(width).subsequent_indent("  "),
        ));
        out.push('\n');
    }
    (out, err)
}
