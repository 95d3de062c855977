//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Relative URIs under the
//! `%SRCROOT%` base, every rule in `tool.driver.rules` with its documentation and `helpUri`,
//! related locations, the dependency chain as a code flow, and line-free
//! `partialFingerprints` so an alert survives lines moving. Hard failures are tool execution
//! notifications and make `executionSuccessful` false.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CheckRun, invalid_file};
use crate::error::{Error, codes};
use crate::finding::{Finding, Severity};
use crate::fingerprint;
use crate::rules::{RULES, Rule};
use crate::source::{SourceFile, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// The key of our line-free fingerprint in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "odooOrder/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: Properties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Properties {
    tags: Vec<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification {
    level: &'static str,
    message: Text,
    descriptor: Id,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Id {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_flows: Vec<CodeFlow>,
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(clippy::struct_field_names)] // SARIF's own name: `location.physicalLocation`
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodeFlow {
    message: Text,
    thread_flows: Vec<ThreadFlow>,
}

#[derive(Serialize)]
struct ThreadFlow {
    locations: Vec<ThreadFlowLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ThreadFlowLocation {
    location: Location,
    nesting_level: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative ones under `%SRCROOT%` (the repository root for GitHub),
/// absolute ones as `file://` URIs.
fn artifact(path: &str) -> ArtifactLocation {
    let encoded: String = path
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{encoded}"),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encoded,
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn location(file: &SourceFile, span: Span, id: Option<usize>, message: Option<&str>) -> Location {
    let start = file.line_col(span.offset);
    let end = file.line_col(span.end());
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(file.name()),
            region: Some(Region {
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
            }),
        },
        message: message.map(|m| Text { text: m.to_owned() }),
    }
}

/// The paragraph under a heading of a rule's documentation (`## What it does`).
fn section(doc: &str, heading: &str) -> String {
    let start = doc.find(heading).map_or(0, |i| i + heading.len());
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].trim().replace('\n', " ")
}

fn group(code: &str) -> &'static str {
    match code.as_bytes().get(2) {
        Some(b'1') => "plan-structure",
        Some(b'2') => "installation-graph",
        _ => "implementation-order",
    }
}

fn descriptor(rule: &Rule) -> Descriptor {
    let doc = rule.documentation();
    Descriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_owned(),
        },
        full_description: Text {
            text: section(&doc, "## What it does"),
        },
        help: Some(Help {
            text: doc.clone(),
            markdown: doc,
        }),
        help_uri: Some(rule.url()),
        default_configuration: Configuration {
            level: level(rule.default_severity),
        },
        properties: Properties {
            tags: vec!["odoo", group(rule.code)],
        },
    }
}

/// The chain `a → b → c` as one thread flow: each step at the node that names the module when
/// the plan names it, else at the finding.
fn code_flow(f: &Finding, file: &SourceFile) -> Option<CodeFlow> {
    let chain = f.chain.as_ref().filter(|c| c.len() > 1)?;
    let locations = chain
        .iter()
        .enumerate()
        .map(|(i, module)| {
            let span = if i == 0 {
                f.span
            } else {
                f.related
                    .iter()
                    .find(|r| r.module.as_deref() == Some(module.as_str()))
                    .map_or(f.span, |r| r.span)
            };
            let text = if i == 0 {
                format!("`{module}` is planned here")
            } else {
                format!("`{}` depends on `{module}`", chain[i - 1])
            };
            ThreadFlowLocation {
                location: location(file, span, None, Some(&text)),
                nesting_level: 0,
            }
        })
        .collect();
    Some(CodeFlow {
        message: Text {
            text: format!("dependency chain: {}", crate::finding::chain_text(chain)),
        },
        thread_flows: vec![ThreadFlow { locations }],
    })
}

fn result(f: &Finding, file: &SourceFile, fingerprint: String, rule_index: usize) -> SarifResult {
    let text = if f.help.is_empty() {
        f.message.clone()
    } else {
        format!("{}\nhelp: {}", f.message, f.help)
    };
    SarifResult {
        rule_id: f.code,
        rule_index,
        level: level(f.severity),
        message: Text { text },
        locations: vec![location(file, f.span, None, None)],
        related_locations: f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| location(file, r.span, Some(i + 1), Some(&r.message)))
            .collect(),
        code_flows: code_flow(f, file).into_iter().collect(),
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
    }
}

fn notifications(err: &Error) -> Vec<Notification> {
    if let Some(inv) = invalid_file(err) {
        return inv
            .problems
            .iter()
            .map(|p| Notification {
                level: "error",
                message: Text {
                    text: p.message.clone(),
                },
                descriptor: Id {
                    id: p.code.to_owned(),
                },
                locations: match p.span {
                    Some(span) => vec![location(&inv.file, span, None, None)],
                    None => vec![Location {
                        id: None,
                        physical_location: PhysicalLocation {
                            artifact_location: artifact(inv.file.name()),
                            region: None,
                        },
                        message: None,
                    }],
                },
            })
            .collect();
    }
    let (id, path, text) = match err {
        Error::Io { path, source } | Error::Write { path, source } => {
            (codes::IO, Some(path), format!("{err}: {source}"))
        }
        Error::NoPlans { path } => (codes::NO_PLANS, Some(path), err.to_string()),
        _ => (codes::USAGE, None, err.to_string()),
    };
    vec![Notification {
        level: "error",
        message: Text { text },
        descriptor: Id { id: id.to_owned() },
        locations: path
            .map(|p| Location {
                id: None,
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&crate::paths::slash(p)),
                    region: None,
                },
                message: None,
            })
            .into_iter()
            .collect(),
    }]
}

/// Renders a run as one SARIF log.
pub fn render_run(run: &CheckRun) -> String {
    let rules: Vec<Descriptor> = RULES.iter().map(|r| descriptor(r)).collect();
    let mut results = Vec::new();
    for (file, findings) in run.reported() {
        let prints = fingerprint::of_findings(file.name(), findings);
        for (f, print) in findings.iter().zip(prints) {
            let index = RULES.iter().position(|r| r.code == f.code).unwrap_or(0);
            results.push(result(f, file, print, index));
        }
    }
    let notes: Vec<Notification> = run.failures().flat_map(notifications).collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "odoo-order",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            invocations: vec![Invocation {
                execution_successful: notes.is_empty(),
                tool_execution_notifications: notes,
            }],
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    let mut text =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        let a = artifact("plans/acme rollout.yaml");
        assert_eq!(a.uri, "plans/acme%20rollout.yaml");
        assert_eq!(a.uri_base_id, Some(SRCROOT));
        let b = artifact("/srv/plans/é.yaml");
        assert_eq!(b.uri, "file:///srv/plans/%C3%A9.yaml");
        assert_eq!(b.uri_base_id, None);
    }
}
