//! Load → graph → rules, for one plan at a time: the pipeline every command shares.

use std::collections::BTreeMap;
use std::path::Path;

use crate::catalog::{Catalog, SUPPORTED_SERIES};
use crate::check::{self, Outcome, Settings};
use crate::error::{Error, Problem};
use crate::graph::PlanGraph;
use crate::plan::Plan;
use crate::report::FileResult;
use crate::ruledata::RuleData;
use crate::suggest;

/// Holds what is shared between plans: rule data, catalogs per series, settings.
#[derive(Debug)]
pub struct Linter {
    data: RuleData,
    catalogs: BTreeMap<String, Catalog>,
    settings: Settings,
}

impl Linter {
    /// A linter with the built-in knowledge.
    pub fn new(settings: Settings) -> Result<Self, Error> {
        Ok(Self {
            data: RuleData::builtin()?,
            catalogs: BTreeMap::new(),
            settings,
        })
    }

    /// The ordering knowledge in use.
    pub fn data(&self) -> &RuleData {
        &self.data
    }

    /// The catalog for a plan's series, loaded once per series.
    pub fn catalog_for(&mut self, plan: &Plan) -> Result<&Catalog, Error> {
        let series = &plan.series.value;
        if !self.catalogs.contains_key(series) {
            let catalog = match Catalog::builtin(series) {
                Ok(c) => c,
                Err(Error::Usage { .. }) => return Err(unsupported_series(plan)),
                Err(e) => return Err(e),
            };
            self.catalogs.insert(series.clone(), catalog);
        }
        self.catalogs
            .get(series)
            .ok_or_else(|| unsupported_series(plan))
    }

    /// Checks a loaded plan.
    pub fn check(&mut self, plan: &Plan) -> Result<Outcome, Error> {
        let settings = self.settings.clone();
        self.catalog_for(plan)?;
        let catalog = &self.catalogs[&plan.series.value];
        let graph = PlanGraph::build(plan, catalog, &self.data);
        Ok(check::run(&graph, &settings))
    }

    /// Builds a plan's graph, runs the rules on it, and hands both to `f`: for the commands
    /// that show the graph next to the findings (`installs`, `why`, `graph`, `fix`).
    pub fn analyse<R>(
        &mut self,
        plan: &Plan,
        f: impl FnOnce(&PlanGraph<'_>, &Outcome) -> R,
    ) -> Result<R, Error> {
        self.catalog_for(plan)?;
        let catalog = &self.catalogs[&plan.series.value];
        let graph = PlanGraph::build(plan, catalog, &self.data);
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
                "plan::unsupported-series",
                series.span,
                format!("Odoo series `{}` is not supported", series.value),
            )
            .label("unsupported series")
            .help(help),
        ],
    )
}
