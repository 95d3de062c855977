//! The pipeline the server shares with `check`: each document's configuration (the nearest
//! `odoo-order.yaml`, or `--config`), a [`Linter`] per configuration with its module graphs
//! built once, and the load → graph → rules run on the document's current text.
//!
//! Nothing here knows the protocol: the features read an [`Analysis`] and ask the
//! [`Workspace`] for a plan's graph, its fix or a series' catalog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::documents::{self, Document, Kind};
use crate::catalog::Catalog;
use crate::check::Outcome;
use crate::config::{Config, ConfigId, Configs, Overrides};
use crate::error::Error;
use crate::fix::{self, Fixed};
use crate::graph::{ModuleGraph, PlanGraph};
use crate::linter::Linter;
use crate::plan::Plan;

/// A plan that loaded and was checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The plan, read from the document's text.
    pub plan: Plan,
    /// What `check` reports for it, with its configuration.
    pub outcome: Outcome,
    /// The configuration it was checked with.
    pub config: ConfigId,
}

/// What the server knows of one version of a document.
#[derive(Debug)]
pub struct Analysis {
    /// What the document is.
    pub kind: Kind,
    /// The plan and its findings, when it loaded.
    pub checked: Option<Checked>,
    /// Hard failures: the document's own (YAML syntax, unknown key), or those of a file it
    /// depends on (its configuration, a manifest of its addons path).
    pub errors: Vec<Error>,
}

/// The configurations, linters and catalogs every document shares.
#[derive(Debug)]
pub struct Workspace {
    overrides: Overrides,
    configs: Configs,
    linters: BTreeMap<ConfigId, Linter>,
    /// Module graphs of the built-in catalogs, for completing in a plan that has never loaded.
    builtin: BTreeMap<String, Arc<ModuleGraph>>,
}

impl Workspace {
    /// A workspace with the command line's `--config` and `--addons-path`.
    pub fn new(overrides: Overrides) -> Result<Self, Error> {
        let configs = Configs::new(overrides.clone())?;
        Ok(Self {
            overrides,
            configs,
            linters: BTreeMap::new(),
            builtin: BTreeMap::new(),
        })
    }

    /// Forgets every configuration and module graph: a configuration, rules file or manifest
    /// changed on disk.
    pub fn reset(&mut self) {
        // `--config` was readable at start; if it is gone now, keep what was loaded.
        if let Ok(configs) = Configs::new(self.overrides.clone()) {
            self.configs = configs;
        }
        self.linters.clear();
        self.builtin.clear();
    }

    fn config_for(&mut self, path: Option<&Path>) -> Result<ConfigId, Error> {
        match path {
            Some(path) => self.configs.for_file(path),
            None => self
                .configs
                .for_dir(&std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))),
        }
    }

    /// What a document is: its name, its configuration's `include`/`exclude`, its text.
    pub fn kind(&mut self, doc: &Document) -> Kind {
        let (includes, excludes) = match (&doc.path, self.config_for(doc.path.as_deref())) {
            (Some(path), Ok(id)) => {
                let config = self.configs.get(id);
                (config.includes(path), config.excludes(path))
            }
            _ => (false, false),
        };
        documents::kind(doc.path.as_deref(), doc.file.text(), includes, excludes)
    }

    /// Analyses a document's current text.
    pub fn analyse(&mut self, doc: &Document) -> Analysis {
        let kind = self.kind(doc);
        let mut analysis = Analysis {
            kind,
            checked: None,
            errors: Vec::new(),
        };
        match kind {
            Kind::Other => {}
            Kind::Config => {
                let path = doc.file.path();
                if let Err(err) =
                    Config::from_bytes(path, doc.file.text().as_bytes(), &self.overrides)
                {
                    analysis.errors.push(err);
                }
            }
            Kind::Plan => match self.check(doc) {
                Ok((checked, mut errors)) => {
                    analysis.checked = Some(checked);
                    analysis.errors.append(&mut errors);
                }
                Err(err) => analysis.errors.push(err),
            },
        }
        analysis
    }

    fn check(&mut self, doc: &Document) -> Result<(Checked, Vec<Error>), Error> {
        let config = self.config_for(doc.path.as_deref())?;
        let plan = Plan::parse(doc.file.clone())?;
        let linter = self.linter(config);
        let outcome = linter.check(&plan);
        // Manifests that could not be read belong to the plan whose check built the graph.
        let addons = linter.take_addons_errors();
        Ok((
            Checked {
                plan,
                outcome: outcome?,
                config,
            },
            addons,
        ))
    }

    /// The linter of a configuration, made on first use.
    pub fn linter(&mut self, config: ConfigId) -> &mut Linter {
        let configs = &self.configs;
        let overrides = &self.overrides;
        self.linters.entry(config).or_insert_with(|| {
            let c = configs.get(config);
            let linter = Linter::with_data(c.settings.clone(), c.data.clone());
            match &overrides.addons_path {
                Some(paths) => linter.with_addons_path(paths.clone()),
                None => linter,
            }
        })
    }

    /// Runs `f` on a checked plan's graph.
    pub fn with_graph<R>(
        &mut self,
        checked: &Checked,
        f: impl FnOnce(&PlanGraph<'_>) -> R,
    ) -> Option<R> {
        let modules = self
            .linter(checked.config)
            .modules_for(&checked.plan)
            .ok()?;
        let graph = PlanGraph::with_modules(&checked.plan, modules);
        Some(f(&graph))
    }

    /// The modules a plan may name: its series' catalog, with its addons path.
    pub fn modules_of(&mut self, plan: &Plan, config: ConfigId) -> Option<Arc<ModuleGraph>> {
        self.linter(config).modules_for(plan).ok()
    }

    /// A series' built-in catalog, for a document that has never loaded as a plan.
    pub fn builtin(&mut self, series: &str) -> Option<Arc<ModuleGraph>> {
        if let Some(graph) = self.builtin.get(series) {
            return Some(Arc::clone(graph));
        }
        let catalog = Catalog::builtin(series).ok()?;
        let data = crate::ruledata::RuleData::builtin().ok()?;
        let graph = Arc::new(ModuleGraph::new(catalog, data));
        self.builtin.insert(series.to_owned(), Arc::clone(&graph));
        Some(graph)
    }

    /// What `odoo-order fix` would do to a checked plan.
    pub fn fix(&mut self, checked: &Checked, budget: usize) -> Result<Fixed, Error> {
        fix::fix_within(self.linter(checked.config), &checked.plan, budget)
    }
}
