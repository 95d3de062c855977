//! `odoo-order modules`: the catalog the rules see, built in or read from an addons tree.

use crate::addons;
use crate::catalog::{Catalog, SUPPORTED_SERIES};
use crate::cli::{ModulesArgs, ModulesFormat};
use crate::commands::check::existing_dirs;
use crate::error::Error;
use crate::modgraph::ModuleGraph;
use crate::report::{Printer, modules as render};
use crate::ruledata::RuleData;
use crate::suggest;

/// Lists a catalog with what the ordering knowledge says of each module.
pub fn run(args: &ModulesArgs, printer: &Printer) -> Result<u8, Error> {
    let mut catalog = Catalog::builtin(&args.series).map_err(|_| {
        let hint = suggest::did_you_mean(&args.series, SUPPORTED_SERIES.iter().copied())
            .map_or_else(String::new, |s| format!("did you mean `{s}`? "));
        Error::usage(
            format!("Odoo series `{}` is not supported", args.series),
            Some(format!(
                "{hint}supported series: {}",
                SUPPORTED_SERIES.join(", ")
            )),
        )
    })?;
    let mut failures = Vec::new();
    if let Some(paths) = &args.addons_path {
        let scan = addons::scan(&existing_dirs(paths)?);
        failures.extend(scan.problems.iter().filter_map(crate::linter::scan_error));
        catalog = catalog.with_addons(&scan);
    }
    let graph = ModuleGraph::new(catalog, RuleData::builtin()?);
    let text = match args.format {
        ModulesFormat::Table => render::table(&graph),
        ModulesFormat::Json => render::json(&graph),
    };
    printer.out(&text);
    for failure in &failures {
        printer.error(failure);
    }
    Ok(if failures.is_empty() {
        super::EXIT_OK
    } else {
        super::EXIT_ERROR
    })
}
