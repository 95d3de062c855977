//! Baselines: adopt odoo-order on an existing plan repository without fixing everything first.
//!
//! `--write-baseline FILE` records today's findings by (path, rule, company, phase, module),
//! never by line, with a count per key so that repeated findings are handled. `--baseline FILE`
//! hides exactly that many findings per key and reports the rest. An entry that no longer
//! matches (the finding was fixed, or fewer remain) is reported as a warning located in the
//! baseline file, so `--fail-on warning` makes CI insist that the baseline only shrinks.
//! Entries about plans that were not checked in this run (pre-commit passes only the changed
//! files) are left alone.
//!
//! The file is JSON with a `version`, sorted, with paths relative to the baseline file so it
//! works from any directory. It is read with the same span-keeping loader as plans, so a
//! corrupt baseline is a located error (exit 2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::error::{Error, Problem, codes};
use crate::finding::{Finding, Severity};
use crate::outcome::{CheckRun, FileResult, StaleBaseline};
use crate::paths;
use crate::read;
use crate::rules::{self, Rule};
use crate::source::{SourceFile, Span};
use crate::yaml;

/// The format version this release reads and writes.
pub const VERSION: u32 = 1;

/// The identity of a finding in a baseline: (path relative to the baseline, rule code,
/// company, phase, module).
type Key = (
    String,
    &'static str,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The file as written.
#[derive(Debug, Serialize)]
struct WrittenFile {
    version: u32,
    entries: Vec<WrittenEntry>,
}

/// The file as read, with spans for diagnostics.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadFile {
    version: Spanned<u32>,
    entries: Vec<ReadEntry>,
}

/// An entry as written.
#[derive(Debug, Serialize)]
struct WrittenEntry {
    path: String,
    code: &'static str,
    rule: &'static str,
    company: Option<String>,
    phase: Option<String>,
    module: Option<String>,
    count: usize,
}

/// An entry as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadEntry {
    path: String,
    code: Spanned<String>,
    #[serde(default)]
    #[allow(dead_code)] // written for the reader's sake; the code is what counts
    rule: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    phase: Option<String>,
    #[serde(default)]
    module: Option<String>,
    count: Spanned<usize>,
}

/// A loaded baseline.
#[derive(Debug)]
pub struct Baseline {
    file: SourceFile,
    dir: PathBuf,
    /// Key → (recorded count, where the entry's code is written).
    entries: BTreeMap<Key, (usize, Span)>,
}

fn key_of(path: String, f: &Finding) -> Key {
    (
        path,
        f.code,
        f.company.clone(),
        f.phase.clone(),
        f.module.clone(),
    )
}

/// A plan's path as a baseline next to `dir` records it.
fn key_path(plan: &Path, dir: &Path) -> String {
    paths::slash(&paths::relative_to(plan, dir))
}

fn dir_of(path: &Path) -> PathBuf {
    paths::absolute(path)
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf)
}

impl Baseline {
    /// Reads and validates a baseline file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = read::read(path, read::BASELINE).map_err(|err| Error::Io {
            path: path.to_path_buf(),
            source: err.into_io(),
        })?;
        let file = yaml::decode(path, &paths::display(path), &bytes, &yaml::BASELINE)?;
        let raw: ReadFile = yaml::parse(&file, &yaml::BASELINE)?;
        let span = yaml::span_of;
        let mut problems = Vec::new();
        if raw.version.value != VERSION {
            problems.push(
                Problem::at(
                    codes::BASELINE_VERSION,
                    span(&raw.version.referenced),
                    format!(
                        "baseline version {} is not supported; this odoo-order reads version {VERSION}",
                        raw.version.value
                    ),
                )
                .label("unsupported version")
                .help("write the baseline again with `--write-baseline`"),
            );
        }
        let mut entries = BTreeMap::new();
        for entry in raw.entries {
            let code_span = span(&entry.code.referenced);
            let Some(rule) = rules::find(&entry.code.value).map(|r: &'static Rule| r.code) else {
                let help =
                    rules::suggest(&entry.code.value).map(|s| format!("did you mean `{s}`?"));
                problems.push(
                    Problem::at(
                        codes::BASELINE_UNKNOWN_RULE,
                        code_span,
                        format!("no rule is called `{}`", entry.code.value),
                    )
                    .label("unknown rule")
                    .maybe_help(help),
                );
                continue;
            };
            if entry.count.value == 0 {
                problems.push(
                    Problem::at(
                        codes::BASELINE_COUNT,
                        span(&entry.count.referenced),
                        "an entry's count must be at least 1",
                    )
                    .label("zero"),
                );
                continue;
            }
            let key = (entry.path, rule, entry.company, entry.phase, entry.module);
            entries
                .entry(key)
                .and_modify(|(count, _)| *count += entry.count.value)
                .or_insert((entry.count.value, code_span));
        }
        if !problems.is_empty() {
            return Err(Error::invalid(file, "baseline", problems));
        }
        Ok(Self {
            dir: dir_of(path),
            file,
            entries,
        })
    }

    /// Hides the recorded findings of every checked plan, counts them per plan, and records
    /// the entries of checked plans that matched fewer findings than they recorded.
    pub fn apply(&self, run: &mut CheckRun) {
        let mut left: BTreeMap<&Key, usize> =
            self.entries.iter().map(|(k, (n, _))| (k, *n)).collect();
        // Per checked plan: its fail level and the level OO108 runs at (None: off).
        let mut checked: BTreeMap<String, (Severity, Option<Severity>)> = BTreeMap::new();
        for result in &mut run.files {
            let FileResult::Checked { file, outcome } = result else {
                continue;
            };
            let path = key_path(file.path(), &self.dir);
            let before = outcome.findings.len();
            outcome
                .findings
                .retain(|f| match left.get_mut(&key_of(path.clone(), f)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                });
            outcome.baselined += before - outcome.findings.len();
            let (level, unused) = checked
                .entry(path)
                .or_insert((outcome.fail_on, outcome.unused_waiver));
            *level = (*level).min(outcome.fail_on);
            *unused = (*unused).max(outcome.unused_waiver);
        }
        let mut findings = Vec::new();
        let mut fail_on = Severity::Error;
        for (key, (recorded, span)) in &self.entries {
            let remaining = left.get(key).copied().unwrap_or(0);
            let Some((level, Some(severity))) = checked.get(&key.0) else {
                continue;
            };
            if remaining == 0 {
                continue;
            }
            fail_on = fail_on.min(*level);
            findings.push(stale(key, *recorded, remaining, *span, *severity));
        }
        if !findings.is_empty() {
            findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            run.stale = Some(StaleBaseline {
                file: self.file.clone(),
                findings,
                fail_on,
            });
        }
    }
}

/// The warning for an entry that matched `recorded - remaining` findings of `recorded`.
fn stale(key: &Key, recorded: usize, remaining: usize, span: Span, severity: Severity) -> Finding {
    let (path, code, company, phase, module) = key;
    let mut about = Vec::new();
    if let Some(m) = module {
        about.push(format!("module `{m}`"));
    }
    if let Some(p) = phase {
        about.push(format!("phase `{p}`"));
    }
    if let Some(c) = company {
        about.push(format!("company `{c}`"));
    }
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join(", "))
    };
    let message = if remaining == recorded {
        format!("baseline entry for `{code}`{about} in `{path}` matches no finding any more")
    } else {
        let found = recorded - remaining;
        format!(
            "baseline entry for `{code}`{about} in `{path}` records {recorded} findings, but {found} {} left",
            if found == 1 { "is" } else { "are" }
        )
    };
    // A baseline entry is a waiver kept outside the plan: one that matches nothing is the
    // same problem as an unused waiver, under the same code, so `-A OO108` and `fail_on`
    // treat both alike.
    let rule = &crate::rules::unused_waiver::RULE;
    let mut finding = Finding {
        code: rule.code,
        rule: rule.name,
        severity,
        message,
        label: "stale entry".to_owned(),
        help: "remove the entry, or write the baseline again with `--write-baseline`, so that \
               the baseline only shrinks"
            .to_owned(),
        span,
        module: module.clone(),
        phase: phase.clone(),
        company: company.clone(),
        companies: Vec::new(),
        chain: None,
        related: Vec::new(),
        addition: None,
    };
    finding.companies = finding.company.iter().cloned().collect();
    finding
}

/// What a written baseline holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Distinct keys.
    pub entries: usize,
    /// Findings recorded.
    pub findings: usize,
}

/// Every finding of the run (before any baseline is applied) as a baseline file whose plan
/// paths are relative to `dir`, the directory the file will be read from.
pub fn render(run: &CheckRun, dir: &Path) -> (String, Written) {
    let mut counts: BTreeMap<Key, (&'static str, usize)> = BTreeMap::new();
    let mut findings = 0;
    for result in &run.files {
        if let FileResult::Checked { file, outcome } = result {
            let plan = key_path(file.path(), dir);
            for f in &outcome.findings {
                counts
                    .entry(key_of(plan.clone(), f))
                    .or_insert((f.rule, 0))
                    .1 += 1;
                findings += 1;
            }
        }
    }
    let entries: Vec<WrittenEntry> = counts
        .into_iter()
        .map(
            |((path, code, company, phase, module), (rule, count))| WrittenEntry {
                path,
                code,
                rule,
                company,
                phase,
                module,
                count,
            },
        )
        .collect();
    let written = Written {
        entries: entries.len(),
        findings,
    };
    let file = WrittenFile {
        version: VERSION,
        entries,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    (text, written)
}
