//! `--format gitlab`: GitLab Code Quality JSON (the Code Climate issue subset GitLab reads).
//!
//! Each fingerprint hashes (rule, company, phase, module, path) with `crate::fingerprint`, so
//! GitLab keeps recognising a finding when lines move above it and only reports it as new or
//! resolved when it really is. Severities map to GitLab's scale: info → `info`, warning →
//! `minor`, error → `critical` (data-integrity damage), a plan that cannot be read → `blocker`.

use serde::Serialize;

use super::CheckRun;
use crate::error::{Error, codes};
use crate::finding::Severity;
use crate::fingerprint;

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content>,
    categories: [&'static str; 1],
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "critical",
    }
}

fn failures(err: &Error, out: &mut Vec<Issue>) {
    let issue =
        |code: &str, path: String, line: usize, message: String, help: Option<String>| Issue {
            kind: "issue",
            check_name: code.to_owned(),
            fingerprint: fingerprint::of_fields(&[code, &path, &message]),
            description: message,
            content: help.map(|body| Content { body }),
            categories: ["Bug Risk"],
            severity: "blocker",
            location: Location {
                path,
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
        };
    match err {
        Error::Invalid(inv) => {
            for p in &inv.problems {
                // GitLab requires a line; a whole-file problem is shown on the first.
                let line = inv.location(p).map_or(1, |at| at.line);
                let path = inv.file.name().to_owned();
                out.push(issue(p.code, path, line, p.message.clone(), p.help.clone()));
            }
        }
        Error::Io { path, source } | Error::Write { path, source } => {
            let message = format!("{err}: {source}");
            out.push(issue(
                codes::IO,
                crate::paths::slash(path),
                1,
                message,
                None,
            ));
        }
        Error::NoPlans { path } => {
            out.push(issue(
                codes::NO_PLANS,
                crate::paths::slash(path),
                1,
                err.to_string(),
                None,
            ));
        }
        Error::Usage { help, .. } => {
            out.push(issue(
                codes::USAGE,
                String::new(),
                1,
                err.to_string(),
                help.clone(),
            ));
        }
    }
}

/// Renders a run as a Code Quality report: a JSON array of issues.
pub fn render_run(run: &CheckRun) -> String {
    let mut issues = Vec::new();
    for err in run.failures() {
        failures(err, &mut issues);
    }
    for (file, findings) in run.reported() {
        let prints = fingerprint::of_findings(file.name(), findings);
        for (f, print) in findings.iter().zip(prints) {
            let start = file.line_col(f.span.offset);
            let end = file.line_col(f.span.end());
            issues.push(Issue {
                kind: "issue",
                check_name: format!("{} {}", f.code, f.rule),
                description: f.message.clone(),
                content: (!f.help.is_empty()).then(|| Content {
                    body: f.help.clone(),
                }),
                categories: ["Bug Risk"],
                fingerprint: print,
                severity: severity(f.severity),
                location: Location {
                    path: file.name().to_owned(),
                    lines: Lines {
                        begin: start.line,
                        end: end.line,
                    },
                },
            });
        }
    }
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}
