//! The result of a run, as data: per file the findings or the hard failure, the stale baseline
//! entries, the counts, and the pass/fail policy. The pipeline ([`crate::linter`],
//! [`crate::batch`], [`crate::baseline`]) builds it; [`crate::report`] renders it and is the
//! only layer above it.

use crate::check::Outcome;
use crate::error::Error;
use crate::finding::{Finding, Severity};
use crate::source::SourceFile;

/// The result of checking one file: findings, or a hard failure.
#[derive(Debug)]
pub enum FileResult {
    /// The plan was checked.
    Checked {
        /// The plan file.
        file: SourceFile,
        /// What the rules found.
        outcome: Outcome,
    },
    /// The file could not be read, parsed or validated.
    Failed(Error),
}

/// The result of a `check` run over any number of files.
#[derive(Debug, Default)]
pub struct CheckRun {
    /// Per file, sorted by path.
    pub files: Vec<FileResult>,
    /// Failures that belong to no plan: manifests on the addons path that could not be read.
    pub errors: Vec<Error>,
    /// Baseline entries that no longer match a finding, when a baseline was applied.
    pub stale: Option<StaleBaseline>,
}

/// Entries of a `--baseline` file that matched no finding in this run: reported as warnings
/// located in the baseline file, so that the baseline only ever shrinks.
#[derive(Debug)]
pub struct StaleBaseline {
    /// The baseline file.
    pub file: SourceFile,
    /// One warning per stale entry, reported under OO108 `unused-waiver`.
    pub findings: Vec<Finding>,
    /// The lowest fail level among the plans the stale entries are about.
    pub fail_on: Severity,
}

/// Counts for the summary line and the JSON `summary` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    /// Files looked at.
    pub files: usize,
    /// Findings at error severity.
    pub errors: usize,
    /// Findings at warning severity.
    pub warnings: usize,
    /// Findings at info severity.
    pub infos: usize,
    /// Findings hidden by waivers.
    pub waived: usize,
    /// Findings hidden by a `--baseline` file.
    pub baselined: usize,
    /// Findings that `odoo-order fix` knows how to repair.
    pub fixable: usize,
    /// Files that could not be checked (not serialised: the JSON lists them under `errors`).
    #[serde(skip)]
    pub failed: usize,
}

impl CheckRun {
    /// The counts over every file.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for result in &self.files {
            match result {
                FileResult::Checked { outcome, .. } => {
                    s.waived += outcome.waived;
                    s.baselined += outcome.baselined;
                }
                FileResult::Failed(_) => s.failed += 1,
            }
        }
        s.failed += self.errors.len();
        s.files += self.errors.len();
        for (_, findings) in self.reported() {
            for f in findings {
                s.fixable += usize::from(fixable(f));
                match f.severity {
                    Severity::Error => s.errors += 1,
                    Severity::Warning => s.warnings += 1,
                    Severity::Info => s.infos += 1,
                }
            }
        }
        s
    }

    /// Every file with findings to report, with them: the checked plans in order, then the
    /// baseline file with its stale entries.
    pub fn reported(&self) -> impl Iterator<Item = (&SourceFile, &[Finding])> {
        let plans = self.files.iter().filter_map(|r| match r {
            FileResult::Checked { file, outcome } => Some((file, outcome.findings.as_slice())),
            FileResult::Failed(_) => None,
        });
        let stale = self.stale.iter().map(|s| (&s.file, s.findings.as_slice()));
        plans.chain(stale)
    }

    /// Whether a finding reached the fail level of its plan's settings, or a stale baseline
    /// entry reached the fail level of the plans it is about.
    pub fn fails(&self) -> bool {
        let plans = self.files.iter().any(|r| match r {
            FileResult::Checked { outcome, .. } => outcome.fails(),
            FileResult::Failed(_) => false,
        });
        let stale = self
            .stale
            .as_ref()
            .is_some_and(|s| !s.findings.is_empty() && Severity::Warning >= s.fail_on);
        plans || stale
    }

    /// Every hard failure: the files that could not be checked, then the run's own.
    pub fn failures(&self) -> impl Iterator<Item = &Error> + '_ {
        self.files
            .iter()
            .filter_map(|r| match r {
                FileResult::Failed(e) => Some(e),
                FileResult::Checked { .. } => None,
            })
            .chain(&self.errors)
    }

    /// Whether any file could not be checked, or a manifest could not be read.
    pub fn has_failures(&self) -> bool {
        self.failures().next().is_some()
    }
}

/// Whether `odoo-order fix` knows how to repair a finding: an error of a rule in the fix
/// module's own list (the search moves modules only to clear errors), or a finding whose rule
/// names the one module that repairs it (see [`crate::fix`]).
pub fn fixable(f: &Finding) -> bool {
    (f.severity == Severity::Error && crate::fix::FIXABLE.contains(&f.code))
        || matches!(f.addition, Some(crate::finding::Addition::Module(_)))
}
