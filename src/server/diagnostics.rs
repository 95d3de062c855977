//! Findings and hard failures as LSP diagnostics: the same findings as `check`, with their
//! configured severities, the rule's code and documentation link, the related nodes, and a
//! tag where the client can show one (an unused waiver or a repeated module is unnecessary, a
//! renamed or merged module deprecated).

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Range, Uri,
};

use super::analysis::Analysis;
use super::documents::{Document, uri_of};
use super::position::{Encoding, range};
use crate::error::{Error, InvalidFile, Problem};
use crate::finding::{Finding, Severity};
use crate::rules;

/// What diagnostics name as their source.
pub const SOURCE: &str = "odoo-order";

/// Every diagnostic of an analysed document, in the order `check` reports them.
pub fn of(doc: &Document, analysis: &Analysis, encoding: Encoding) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for err in &analysis.errors {
        errors(doc, err, encoding, &mut out);
    }
    if let Some(checked) = &analysis.checked {
        let series = checked.plan.series.value.as_str();
        for f in &checked.outcome.findings {
            out.push(finding(doc, f, series, encoding));
        }
    }
    out
}

/// One finding.
pub fn finding(doc: &Document, f: &Finding, series: &str, encoding: Encoding) -> Diagnostic {
    let mut message = f.message.clone();
    if !f.help.is_empty() {
        message.push_str("\nhelp: ");
        message.push_str(&f.help);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(doc.uri.clone(), range(&doc.file, r.span, encoding)),
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: range(&doc.file, f.span, encoding),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_owned())),
        code_description: rules::find(f.code)
            .and_then(|r| r.url().parse::<Uri>().ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: tags(f, series),
        data: None,
    }
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Unnecessary: a waiver that hides nothing, a module listed again. Deprecated: a module the
/// plan's series replaced by another (renamed or merged).
fn tags(f: &Finding, series: &str) -> Option<Vec<DiagnosticTag>> {
    let tag = match f.code {
        rules::unused_waiver::CODE | rules::duplicate_module::CODE => DiagnosticTag::UNNECESSARY,
        rules::unknown_module::CODE
            if f.module
                .as_deref()
                .is_some_and(|m| crate::catalog::elsewhere(series, m).replaced_by.is_some()) =>
        {
            DiagnosticTag::DEPRECATED
        }
        _ => return None,
    };
    Some(vec![tag])
}

/// A hard failure. Problems of the document itself are located in it; a failure of another
/// file (its configuration, a manifest) is shown at the top of the document, with the place
/// in that file as related information.
fn errors(doc: &Document, err: &Error, encoding: Encoding, out: &mut Vec<Diagnostic>) {
    match err {
        Error::Invalid(inv) if inv.file.path() == doc.file.path() => {
            for p in &inv.problems {
                out.push(own_problem(doc, p, encoding));
            }
        }
        Error::Invalid(inv) => {
            for p in &inv.problems {
                out.push(other_file_problem(inv, p, encoding));
            }
        }
        other => {
            let mut message = other.to_string();
            if let Some(source) = std::error::Error::source(other) {
                message.push_str(&format!(": {source}"));
            }
            if let Some(help) = miette::Diagnostic::help(other) {
                message.push_str(&format!("\nhelp: {help}"));
            }
            let code = miette::Diagnostic::code(other).map(|c| c.to_string());
            out.push(hard(Range::default(), code, message, None));
        }
    }
}

fn own_problem(doc: &Document, p: &Problem, encoding: Encoding) -> Diagnostic {
    let at = p
        .span
        .map_or_else(Range::default, |s| range(&doc.file, s, encoding));
    let mut message = p.message.clone();
    if let Some(help) = &p.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = p
        .related
        .iter()
        .map(|(span, label)| DiagnosticRelatedInformation {
            location: Location::new(doc.uri.clone(), range(&doc.file, *span, encoding)),
            message: label.clone(),
        })
        .collect();
    hard(at, Some(p.code.to_owned()), message, Some(related))
}

fn other_file_problem(inv: &InvalidFile, p: &Problem, encoding: Encoding) -> Diagnostic {
    let at = inv.location(p);
    let place = at.map_or_else(String::new, |at| format!(":{}:{}", at.line, at.column));
    let mut message = format!(
        "{} `{}{place}` is not valid: {}",
        inv.kind,
        inv.file.name(),
        p.message
    );
    if let Some(help) = &p.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related = uri_of(inv.file.path()).map(|uri| {
        let at = p
            .span
            .map_or_else(Range::default, |s| range(&inv.file, s, encoding));
        vec![DiagnosticRelatedInformation {
            location: Location::new(uri, at),
            message: p.label.clone(),
        }]
    });
    hard(Range::default(), Some(p.code.to_owned()), message, related)
}

fn hard(
    range: Range,
    code: Option<String>,
    message: String,
    related: Option<Vec<DiagnosticRelatedInformation>>,
) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        code: code.map(NumberOrString::String),
        code_description: None,
        source: Some(SOURCE.to_owned()),
        message,
        related_information: related.filter(|r| !r.is_empty()),
        tags: None,
        data: None,
    }
}
