//! Load → graph → rules, for one plan at a time: the pipeline every command shares.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::catalog::{Catalog, SUPPORTED_SERIES};
use crate::check::{self, Outcome, Settings};
use crate::error::{Error, Problem};
use crate::graph::PlanGraph;
use crate::modgraph::ModuleGraph;
use crate::plan::Plan;
use crate::report::FileResult;
use crate::ruledata::RuleData;
use crate::suggest;

/// Holds what is shared between plans: rule data, catalogs per series, settings.
#[derive(Debug)]
pub struct Linter {
    data: RuleData,
    /// One module graph per series, built on first use and shared by every plan of it.
    graphs: BTreeMap<String, Arc<ModuleGraph>>,
    settings: Settings,
}

impl Linter {
    /// A linter with the built-in knowledge.
    pub fn new(settings: Settings) -> Result<Self, Error> {
        Ok(Self {
            data: RuleData::builtin()?,
            graphs: BTreeMap::new(),
            settings,
        })
    }

    /// The ordering knowledge in use.
    pub fn data(&self) -> &RuleData {
        &self.data
    }

    /// The module graph for a plan's series, built once per series.
    pub fn modules_for(&mut self, plan: &Plan) -> Result<Arc<ModuleGraph>, Error> {
        let series = &plan.series.value;
        if let Some(graph) = self.graphs.get(series) {
            return Ok(Arc::clone(graph));
        }
        let catalog = match Catalog::builtin(series) {
            Ok(c) => c,
            Err(Error::Usage { .. }) => return Err(unsupported_series(plan)),
            Err(e) => return Err(e),
        };
        let graph = Arc::new(ModuleGraph::new(catalog, self.data.clone()));
        self.graphs.insert(series.clone(), Arc::clone(&graph));
        Ok(graph)
    }

    /// Checks a loaded plan.
    pub fn check(&mut self, plan: &Plan) -> Result<Outcome, Error> {
        let modules = self.modules_for(plan)?;
        let graph = PlanGraph::with_modules(plan, modules);
        Ok(check::run(&graph, &self.settings))
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
