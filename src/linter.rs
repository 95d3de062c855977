//! Load → graph → rules, for one plan at a time: the pipeline every command shares.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::addons::{self, ScanProblem};
use crate::source::{SourceFile, display_path};

use crate::catalog::{Catalog, SUPPORTED_SERIES};
use crate::check::{self, Outcome, Settings};
use crate::error::{Error, Problem, codes};
use crate::graph::PlanGraph;
use crate::modgraph::ModuleGraph;
use crate::outcome::FileResult;
use crate::plan::Plan;
use crate::ruledata::RuleData;
use crate::suggest;

/// Holds what is shared between plans: rule data, module graphs, settings.
#[derive(Debug)]
pub struct Linter {
    data: RuleData,
    /// One module graph per series and addons path, built on first use and shared by every
    /// plan that uses them: a thousand plans on one tree scan it once.
    graphs: BTreeMap<(String, Vec<PathBuf>), Arc<ModuleGraph>>,
    settings: Settings,
    /// `--addons-path`: wins over a plan's own `addons_path`.
    addons_override: Option<Vec<PathBuf>>,
    /// Manifests that could not be read, reported once per run however many plans use them.
    addons_errors: Vec<Error>,
}

impl Linter {
    /// A linter with the built-in knowledge.
    pub fn new(settings: Settings) -> Result<Self, Error> {
        Ok(Self::with_data(settings, RuleData::builtin()?))
    }

    /// A linter with the given ordering knowledge: the built-in data refined by a
    /// configuration's `extra_rules` and `layers` (see [`crate::config::Config`]).
    pub fn with_data(settings: Settings, data: RuleData) -> Self {
        Self {
            data,
            graphs: BTreeMap::new(),
            settings,
            addons_override: None,
            addons_errors: Vec::new(),
        }
    }

    /// Uses these addons directories for every plan (`--addons-path`), whatever the plans say.
    #[must_use]
    pub fn with_addons_path(mut self, paths: Vec<PathBuf>) -> Self {
        self.addons_override = Some(paths);
        self
    }

    /// The manifests that could not be read so far; each is reported once.
    pub fn take_addons_errors(&mut self) -> Vec<Error> {
        std::mem::take(&mut self.addons_errors)
    }

    /// The addons directories a plan is checked with: `--addons-path`, else the plan's own
    /// `addons_path` relative to the plan file (each checked to exist), else the
    /// configuration's `addons_path` ([`Settings::addons_path`], checked when it was loaded).
    fn addons_path_for(&self, plan: &Plan) -> Result<Vec<PathBuf>, Error> {
        if let Some(paths) = &self.addons_override {
            return Ok(paths.clone());
        }
        if plan.addons_path.is_empty() {
            return Ok(self.settings.addons_path.clone());
        }
        let base = plan.file.path().parent().unwrap_or_else(|| Path::new(""));
        let mut problems = Vec::new();
        let mut paths = Vec::new();
        for entry in &plan.addons_path {
            let path = base.join(&entry.value);
            if path.is_dir() && !crate::addons::holds_modules(&path) {
                problems.push(
                    Problem::at(
                        codes::PLAN_ADDONS_PATH,
                        entry.span,
                        format!(
                            "`{}` is not an addons directory: no module in its subfolders",
                            display_path(&path)
                        ),
                    )
                    .label("no module below")
                    .help(crate::addons::not_addons_dir_help(
                        &path,
                        "`addons_path` takes a list",
                    )),
                );
            } else if path.is_dir() {
                paths.push(path);
            } else {
                problems.push(
                    Problem::at(
                        codes::PLAN_ADDONS_PATH,
                        entry.span,
                        format!("addons directory `{}` does not exist", display_path(&path)),
                    )
                    .label("not a directory")
                    .help("paths in `addons_path` are relative to the plan file"),
                );
            }
        }
        if problems.is_empty() {
            Ok(paths)
        } else {
            Err(Error::invalid(plan.file.clone(), "plan", problems))
        }
    }

    /// The module graph for a plan's series and addons path, built once for each.
    pub fn modules_for(&mut self, plan: &Plan) -> Result<Arc<ModuleGraph>, Error> {
        let series = &plan.series.value;
        let paths = self.addons_path_for(plan)?;
        let key = (series.clone(), paths);
        if let Some(graph) = self.graphs.get(&key) {
            return Ok(Arc::clone(graph));
        }
        let mut catalog = match Catalog::builtin(series) {
            Ok(c) => c,
            Err(Error::Usage { .. }) => return Err(unsupported_series(plan)),
            Err(e) => return Err(e),
        };
        if !key.1.is_empty() {
            let scan = addons::scan(&key.1);
            self.addons_errors
                .extend(scan.problems.iter().filter_map(scan_error));
            catalog = catalog.with_addons(&scan);
        }
        let graph = Arc::new(ModuleGraph::new(catalog, self.data.clone()));
        self.graphs.insert(key, Arc::clone(&graph));
        Ok(graph)
    }

    /// Checks a loaded plan.
    pub fn check(&mut self, plan: &Plan) -> Result<Outcome, Error> {
        let modules = self.modules_for(plan)?;
        unknown_installed(plan, modules.catalog())?;
        let graph = PlanGraph::with_modules(plan, modules);
        Ok(check::run(&graph, &self.settings))
    }

    /// Builds a plan's graph, runs the rules on it, and hands both to `f`: for the commands
    /// that show the graph next to the findings (`installs`, `why`, `graph`, `fix`).
    pub fn analyse<R>(
        &mut self,
        plan: &Plan,
        f: impl FnOnce(&PlanGraph<'_>, &Outcome) -> R,
    ) -> Result<R, Error> {
        let modules = self.modules_for(plan)?;
        unknown_installed(plan, modules.catalog())?;
        let graph = PlanGraph::with_modules(plan, modules);
        let outcome = check::run(&graph, &self.settings);
        Ok(f(&graph, &outcome))
    }

    /// Loads and checks a plan file.
    pub fn check_path(&mut self, path: &Path, display: &str) -> FileResult {
        self.finish(Plan::from_path(path, display))
    }

    /// Checks a plan held in memory (standard input, tests).
    pub fn check_bytes(&mut self, path: &Path, display: &str, bytes: &[u8]) -> FileResult {
        self.finish(Plan::from_bytes(path, display, bytes))
    }

    fn finish(&mut self, plan: Result<Plan, Error>) -> FileResult {
        match plan.and_then(|plan| {
            let outcome = self.check(&plan)?;
            Ok((plan, outcome))
        }) {
            Ok((plan, outcome)) => FileResult::Checked {
                file: plan.file,
                outcome,
            },
            Err(err) => FileResult::Failed(err),
        }
    }
}

/// A name in `installed` that no catalog knows is a hard error, not a finding: the database's
/// state is a fact the plan starts from, and a misspelt name would silently leave a module out
/// of it.
fn unknown_installed(plan: &Plan, catalog: &Catalog) -> Result<(), Error> {
    let installed = &plan.installed;
    let problems: Vec<Problem> = installed
        .modules
        .iter()
        .filter(|m| catalog.resolve(&m.value).is_none())
        .map(|m| {
            let help =
                suggest::did_you_mean(&m.value, catalog.modules().iter().map(|c| c.name.as_str()))
                    .map_or_else(
                        || {
                            "check the technical name, or add the directory that holds it to \
                     `addons_path`"
                                .to_owned()
                        },
                        |s| format!("did you mean `{s}`?"),
                    );
            Problem::at(
                codes::PLAN_UNKNOWN_INSTALLED,
                m.span,
                format!(
                    "`{}` is listed as installed, but no catalog of Odoo {} knows it",
                    m.value, plan.series.value
                ),
            )
            .label("unknown module")
            .help(help)
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(match &installed.from {
        Some(from) => Error::invalid(from.file.clone(), "installed-modules list", problems),
        None => Error::invalid(plan.file.clone(), "plan", problems),
    })
}

fn unsupported_series(plan: &Plan) -> Error {
    let series = &plan.series;
    let help = suggest::did_you_mean(&series.value, SUPPORTED_SERIES.iter().copied()).map_or_else(
        || format!("supported series: {}", SUPPORTED_SERIES.join(", ")),
        |s| {
            format!(
                "did you mean `{s}`? supported series: {}",
                SUPPORTED_SERIES.join(", ")
            )
        },
    );
    Error::invalid(
        plan.file.clone(),
        "plan",
        vec![
            Problem::at(
                codes::PLAN_UNSUPPORTED_SERIES,
                series.span,
                format!("Odoo series `{}` is not supported", series.value),
            )
            .label("unsupported series")
            .help(help),
        ],
    )
}

/// A manifest that could not be used, as a hard failure. A module found twice is not one:
/// Odoo uses the first, and the rules report it where a plan installs it (OO205).
pub fn scan_error(problem: &ScanProblem) -> Option<Error> {
    Some(match problem {
        ScanProblem::Duplicate { .. } => return None,
        ScanProblem::MissingPath { path } => Error::usage(
            format!("addons directory `{}` does not exist", display_path(path)),
            Some("`--addons-path` takes existing directories, separated by commas".to_owned()),
        ),
        ScanProblem::Unreadable { path, error } => Error::Io {
            path: path.clone(),
            source: std::io::Error::new(error.kind(), error.to_string()),
        },
        ScanProblem::InvalidName { path } => Error::usage(
            format!(
                "`{}` cannot be a module: its name is not UTF-8",
                path.display()
            ),
            Some("rename the directory, or move it off the addons path".to_owned()),
        ),
        ScanProblem::Hidden { path, line, column } => {
            // No text: the file lies outside the addons directory and may be anything.
            let file = SourceFile::new(path, display_path(path), "");
            let problem = Problem::whole_file(
                codes::MANIFEST_INVALID,
                format!(
                    "`{}` is not a valid manifest (line {line}, column {column}); its text is not \
                     shown because a symbolic link leads outside the addons directory to it",
                    display_path(path)
                ),
            )
            .help(
                "a manifest must be one Python dict literal; Odoo cannot load this module either",
            );
            Error::invalid(file, "manifest", vec![problem])
        }
        ScanProblem::Parse { path, text, error } => {
            let file = SourceFile::new(path, display_path(path), text.as_str());
            let span = crate::source::Span::new(error.offset, error.span.len());
            let problem = Problem::at(
                codes::MANIFEST_INVALID,
                span,
                format!("invalid manifest: {}", error.message),
            )
            .label("here")
            .help(
                "a manifest must be one Python dict literal; Odoo cannot load this module either",
            );
            Error::invalid(file, "manifest", vec![problem])
        }
    })
}
