//! One line per finding, `path:line:col: CODE message`, for editors, grep and tests.

use super::{CheckRun, FileResult, summary_line};
use crate::error::Error;

/// Renders a run: findings to standard output, failures to standard error.
pub fn render_run(run: &CheckRun) -> (String, String) {
    let (mut out, mut err) = (String::new(), String::new());
    for result in &run.files {
        match result {
            FileResult::Checked { file, outcome } => {
                for f in &outcome.findings {
                    let at = file.line_col(f.span.offset);
                    out.push_str(&format!(
                        "{}:{}:{}: {} {}\n",
                        file.name(),
                        at.line,
                        at.column,
                        f.code,
                        f.message
                    ));
                }
            }
            FileResult::Failed(e) => err.push_str(&render_error(e)),
        }
    }
    for e in &run.errors {
        err.push_str(&render_error(e));
    }
    out.push_str(&summary_line(&run.summary()));
    out.push('\n');
    (out, err)
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
        other @ Error::Usage { .. } => out.push_str(&format!("error: {other}\n")),
    }
    out
}
