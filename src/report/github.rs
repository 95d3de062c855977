//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=OO201 dependency-in-later-phase::…`).
//!
//! GitHub shows at most 10 error and 10 warning annotations per step (and 50 per job). Every
//! annotation is still emitted, errors first so that the ones GitHub keeps are the ones that
//! fail the build, and a plain line then says how many fell past the limit. Emitting all
//! rather than capping keeps the log complete for whatever else reads it (a GitHub Enterprise
//! server with other limits, reviewdog, a later raise of the limit); the note keeps the cut
//! from being silent.

use super::escape::escape;
use super::{CheckRun, plural};
use crate::error::{Error, codes};
use crate::finding::Severity;
use crate::source::SourceFile;

/// Annotations of one kind GitHub shows per step.
pub const ANNOTATIONS_PER_KIND: usize = 10;

/// Escapes the message of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Error,
    Warning,
    Notice,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Notice => "notice",
        }
    }
}

struct Annotation {
    kind: Kind,
    properties: Vec<(&'static str, String)>,
    message: String,
}

impl Annotation {
    /// The workflow command. Values from the input are escaped first (a control character in a
    /// module name would reach the log as is), then for the command syntax.
    fn render(&self) -> String {
        let properties: Vec<String> = self
            .properties
            .iter()
            .map(|(k, v)| format!("{k}={}", escape_property(&escape(v))))
            .collect();
        format!(
            "::{} {}::{}\n",
            self.kind.as_str(),
            properties.join(","),
            escape_data(&self.message)
        )
    }
}

fn span_properties(file: &SourceFile, offset: usize, end: usize) -> Vec<(&'static str, String)> {
    let start = file.line_col(offset);
    let stop = file.line_col(end);
    vec![
        ("file", file.name().to_owned()),
        ("line", start.line.to_string()),
        ("col", start.column.to_string()),
        ("endLine", stop.line.to_string()),
        ("endColumn", stop.column.to_string()),
    ]
}

/// The message, escaped, and its help on a line of its own: the one line break that is ours.
fn with_help(message: &str, help: Option<&str>) -> String {
    match help.filter(|h| !h.is_empty()) {
        Some(help) => format!("{}\nhelp: {}", escape(message), escape(help)),
        None => escape(message).into_owned(),
    }
}

fn failure(err: &Error, out: &mut Vec<Annotation>) {
    if let Error::Invalid(inv) = err {
        for p in &inv.problems {
            let mut properties = match p.span {
                Some(span) => span_properties(&inv.file, span.offset, span.end()),
                None => vec![("file", inv.file.name().to_owned())],
            };
            properties.push(("title", p.code.to_owned()));
            out.push(Annotation {
                kind: Kind::Error,
                properties,
                message: with_help(&p.message, p.help.as_deref()),
            });
        }
        return;
    }
    let (path, title, message) = match err {
        Error::Io { path, source } | Error::Write { path, source } => {
            (Some(path), codes::IO, format!("{err}: {source}"))
        }
        Error::NoPlans { path } => (Some(path), codes::NO_PLANS, err.to_string()),
        _ => (None, codes::USAGE, err.to_string()),
    };
    let mut properties: Vec<(&'static str, String)> = path
        .map(|p| ("file", crate::paths::slash(p)))
        .into_iter()
        .collect();
    properties.push(("title", title.to_owned()));
    out.push(Annotation {
        kind: Kind::Error,
        properties,
        message: escape(&message).into_owned(),
    });
}

/// Renders a run as workflow commands, errors first, then a note of what GitHub will not show.
pub fn render_run(run: &CheckRun) -> String {
    let mut annotations = Vec::new();
    for err in run.failures() {
        failure(err, &mut annotations);
    }
    for (file, findings) in run.reported() {
        for f in findings {
            let mut properties = span_properties(file, f.span.offset, f.span.end());
            properties.push(("title", format!("{} {}", f.code, f.rule)));
            annotations.push(Annotation {
                kind: match f.severity {
                    Severity::Error => Kind::Error,
                    Severity::Warning => Kind::Warning,
                    Severity::Info => Kind::Notice,
                },
                properties,
                message: with_help(&f.message, Some(&f.help)),
            });
        }
    }
    // Stable: within a kind, files and positions keep their order.
    annotations.sort_by_key(|a| a.kind);
    let mut out: String = annotations.iter().map(Annotation::render).collect();
    let count = |kind| annotations.iter().filter(|a| a.kind == kind).count();
    let over = |n: usize| n.saturating_sub(ANNOTATIONS_PER_KIND);
    let (errors, warnings) = (over(count(Kind::Error)), over(count(Kind::Warning)));
    if errors + warnings > 0 {
        out.push_str(&format!(
            "odoo-order: GitHub shows at most {ANNOTATIONS_PER_KIND} error and \
             {ANNOTATIONS_PER_KIND} warning annotations per step, so the last {} and {} above \
             are not annotated: read them in this log, or upload `--format sarif` to code \
             scanning, which has no such limit\n",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_reads_as_syntax() {
        assert_eq!(
            escape_data("100% sure\r\nnext: a, b"),
            "100%25 sure%0D%0Anext: a, b"
        );
        assert_eq!(
            escape_property("plan::unknown-key, a%b\n"),
            "plan%3A%3Aunknown-key%2C a%25b%0A"
        );
    }
}
