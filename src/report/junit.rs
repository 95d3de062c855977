//! `--format junit`: JUnit XML, which GitLab, Jenkins, Azure DevOps and most CI dashboards read.
//!
//! One `testsuite` per plan file. Each finding is a `testcase`: a `failure` when it reaches
//! the plan's fail level (so the test report agrees with the exit code), a passing test case
//! with the finding in `system-out` below it. A clean file is one passing test case; a file
//! that could not be read is an `error`. Test case names leave out line numbers, so a
//! dashboard's history of a finding survives lines moving. No timestamps: output is
//! deterministic.

use super::{CheckRun, FileResult};
use crate::error::{Error, codes};
use crate::finding::{Finding, Severity};
use crate::source::SourceFile;

/// Escapes text for XML 1.0 content and attribute values; characters XML cannot carry at all
/// (most control characters) become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

struct Suite {
    name: String,
    cases: Vec<String>,
    failures: usize,
    errors: usize,
}

impl Suite {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            cases: Vec::new(),
            failures: 0,
            errors: 0,
        }
    }

    fn render(&self) -> String {
        let mut out = format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n",
            escape(&self.name),
            self.cases.len(),
            self.failures,
            self.errors
        );
        for case in &self.cases {
            out.push_str(case);
        }
        out.push_str("  </testsuite>\n");
        out
    }
}

fn case_name(f: &Finding) -> String {
    let mut about = Vec::new();
    if let Some(m) = &f.module {
        about.push(format!("module {m}"));
    }
    if let Some(p) = &f.phase {
        about.push(format!("phase {p}"));
    }
    if let Some(c) = &f.company {
        about.push(format!("company {c}"));
    }
    if about.is_empty() {
        format!("{} {}", f.code, f.rule)
    } else {
        format!("{} {} ({})", f.code, f.rule, about.join(", "))
    }
}

fn finding_suite(file: &SourceFile, findings: &[Finding], fail_on: Severity) -> Suite {
    let mut suite = Suite::new(file.name());
    let class = escape(file.name());
    if findings.is_empty() {
        suite.cases.push(format!(
            "    <testcase classname=\"{class}\" name=\"no findings\" file=\"{class}\"/>\n"
        ));
    }
    for f in findings {
        let at = file.line_col(f.span.offset);
        let body = format!(
            "{}:{}:{}: {} {} {}\n{}\nhelp: {}",
            file.name(),
            at.line,
            at.column,
            f.severity,
            f.code,
            f.rule,
            f.message,
            f.help
        );
        let open = format!(
            "    <testcase classname=\"{class}\" name=\"{}\" file=\"{class}\" line=\"{}\">\n",
            escape(&case_name(f)),
            at.line
        );
        let inner = if f.severity >= fail_on {
            suite.failures += 1;
            format!(
                "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                escape(f.code),
                escape(&f.message),
                escape(&body)
            )
        } else {
            format!("      <system-out>{}</system-out>\n", escape(&body))
        };
        suite.cases.push(format!("{open}{inner}    </testcase>\n"));
    }
    suite
}

fn error_suite(err: &Error) -> Suite {
    let (name, lines): (String, Vec<(String, String)>) = match err {
        Error::Invalid(inv) => (
            inv.file.name().to_owned(),
            inv.problems
                .iter()
                .map(|p| {
                    let at = inv
                        .location(p)
                        .map(|at| format!(":{}:{}", at.line, at.column))
                        .unwrap_or_default();
                    let text = format!("{}{at}: {}", inv.file.name(), p.message);
                    (p.code.to_owned(), text)
                })
                .collect(),
        ),
        Error::Io { path, source } | Error::Write { path, source } => (
            crate::paths::slash(path),
            vec![(codes::IO.to_owned(), format!("{err}: {source}"))],
        ),
        Error::NoPlans { path } => (
            crate::paths::slash(path),
            vec![(codes::NO_PLANS.to_owned(), err.to_string())],
        ),
        Error::Usage { .. } => (
            "odoo-order".to_owned(),
            vec![(codes::USAGE.to_owned(), err.to_string())],
        ),
    };
    let mut suite = Suite::new(&name);
    let class = escape(&name);
    let message = lines.first().map(|(_, t)| t.clone()).unwrap_or_default();
    let kind = lines.first().map(|(c, _)| c.clone()).unwrap_or_default();
    let body: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
    suite.errors = 1;
    suite.cases.push(format!(
        "    <testcase classname=\"{class}\" name=\"load\" file=\"{class}\">\n      <error type=\"{}\" message=\"{}\">{}</error>\n    </testcase>\n",
        escape(&kind),
        escape(&message),
        escape(&body.join("\n"))
    ));
    suite
}

/// Renders a run as one `testsuites` document.
pub fn render_run(run: &CheckRun) -> String {
    let mut suites = Vec::new();
    for result in &run.files {
        suites.push(match result {
            FileResult::Checked { file, outcome } => {
                finding_suite(file, &outcome.findings, outcome.fail_on)
            }
            FileResult::Failed(err) => error_suite(err),
        });
    }
    suites.extend(run.errors.iter().map(error_suite));
    if let Some(stale) = &run.stale {
        suites.push(finding_suite(&stale.file, &stale.findings, stale.fail_on));
    }
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(|s| s.failures).sum();
    let errors: usize = suites.iter().map(|s| s.errors).sum();
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"odoo-order\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n"
    );
    for suite in &suites {
        out.push_str(&suite.render());
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}\n"
        );
    }
}
