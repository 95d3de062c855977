//! One line per finding, `path:line:col: CODE message`, for editors, grep and tests.

use super::{CheckRun, summary_line};
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
            out.push_str(&line(f, file));
            out.push('\n');
        }
    }
    out.push_str(&summary_line(&run.summary()));
    out.push('\n');
    (out, err)
}

/// One finding as `path:line:col: CODE message`, the shape every one-line listing uses.
pub fn line(f: &Finding, file: &SourceFile) -> String {
    let at = file.line_col(f.span.offset);
    format!(
        "{}:{}:{}: {} {}",
        file.name(),
        at.line,
        at.column,
        f.code,
        f.message
    )
}

/// A hard failure in the same one-line shape, one line per problem.
pub fn render_error(err: &Error) -> String {
    let mut out = String::new();
    match err {
        Error::Invalid(inv) => {
            for p in &inv.problems {
                let at = inv.location(p);
                out.push_str(&format!(
                    "{}:{}:{}: error[{}] {}\n",
                    inv.file.name(),
                    at.line,
                    at.column,
                    p.code,
                    p.message
                ));
            }
        }
        Error::Io { path, source } | Error::Write { path, source } => {
            out.push_str(&format!("{}: error[io] {err}: {source}\n", path.display()));
        }
        Error::NoPlans { path } => {
            out.push_str(&format!("{}: error[no_plans] {err}\n", path.display()));
        }
        other @ Error::Usage { .. } => out.push_str(&format!("error: {other}\n")),
    }
    out
}
