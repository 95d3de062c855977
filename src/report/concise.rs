//! One line per finding, `path:line:col: SEVERITY CODE message`, for editors, grep, problem
//! matchers (`errorformat`) and tests. A finding `odoo-order fix` can repair has `[*]` before
//! its message, as in ruff. Hard failures keep their own shape, `path:line:col: error[CODE]
//! message`, which scripts already read.

use super::escape::escape;
use super::human::severity_word;
use super::{CheckRun, fixable, summary_lines};
use crate::error::Error;
use crate::finding::Finding;
use crate::source::SourceFile;

/// Renders a run: findings to standard output, failures to standard error.
pub fn render_run(run: &CheckRun) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    for e in run.failures() {
        err.push_str(&render_error(e));
    }
    for (file, findings) in run.reported() {
        for f in findings {
            out.push_str(&shaped(f, file, fixable(f)));
            out.push('\n');
        }
    }
    out.push_str(&summary_lines(&run.summary()));
    (out, err)
}

/// One finding as `path:line:col: SEVERITY CODE message`, the shape every one-line listing
/// uses. What comes from the input is escaped, so that a line break in a name cannot forge
/// another line.
pub fn line(f: &Finding, file: &SourceFile) -> String {
    shaped(f, file, false)
}

fn shaped(f: &Finding, file: &SourceFile, fixable: bool) -> String {
    let at = file.line_col(f.span.offset);
    format!(
        "{}:{}:{}: {} {} {}{}",
        escape(file.name()),
        at.line,
        at.column,
        severity_word(f.severity),
        f.code,
        if fixable { "[*] " } else { "" },
        escape(&f.message)
    )
}

/// A hard failure in the same one-line shape, one line per problem. A problem about the whole
/// file (no real position) is `path: error[code] message`, never a made-up `1:1`.
pub fn render_error(err: &Error) -> String {
    let mut lines = Vec::new();
    match err {
        Error::Invalid(inv) => {
            for p in &inv.problems {
                let at = inv
                    .location(p)
                    .map(|at| format!(":{}:{}", at.line, at.column))
                    .unwrap_or_default();
                lines.push(format!(
                    "{}{at}: error[{}] {}",
                    inv.file.name(),
                    p.code,
                    p.message
                ));
            }
        }
        Error::Io { path, source } | Error::Write { path, source } => {
            lines.push(format!("{}: error[io] {err}: {source}", path.display()));
        }
        Error::NoPlans { path } => {
            lines.push(format!("{}: error[no_plans] {err}", path.display()));
        }
        other @ Error::Usage { .. } => lines.push(format!("error: {other}")),
    }
    let mut out = String::new();
    for line in &lines {
        out.push_str(&escape(line));
        out.push('\n');
    }
    out
}
