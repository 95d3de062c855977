//! `odoo-order graph PLAN`: the plan as a diagram, or its go-live dates as a Gantt chart.

use crate::cli::{GraphArgs, GraphFormat};
use crate::error::Error;
use crate::inspect::diagram;
use crate::report::{Printer, graph as render};

/// Prints the diagram. Exits 0: the findings are drawn, not reported.
pub fn run(args: &GraphArgs, printer: &Printer) -> Result<u8, Error> {
    if args.gantt && args.format == Some(GraphFormat::Dot) {
        return Err(Error::usage(
            "`--gantt` draws a Mermaid chart; it has no DOT form",
            Some("drop `--format dot`".to_owned()),
        ));
    }
    let plan = super::load_plan(&args.plan)?;
    let mut linter = super::linter(&args.plan, &args.sources)?;
    let d = linter.analyse(&plan, |g, outcome| diagram::build(g, &outcome.findings))?;
    super::addons_errors(&mut linter, printer)?;
    let text = if args.gantt {
        render::gantt(&d).map_err(|message| {
            Error::usage(
                format!("`{}`: {message}", plan.file.name()),
                Some("give the phases `go_live:` dates (YYYY-MM-DD)".to_owned()),
            )
        })?
    } else {
        match args.format.unwrap_or(GraphFormat::Mermaid) {
            GraphFormat::Mermaid => render::mermaid(&d),
            GraphFormat::Dot => render::dot(&d),
        }
    };
    printer.out(&text);
    Ok(super::EXIT_OK)
}
