//! `odoo-order installs PLAN`: what Odoo installs, phase by phase.

use crate::cli::{InstallsArgs, ViewFormat};
use crate::error::Error;
use crate::inspect::installs;
use crate::report::style::Style;
use crate::report::{Printer, installs as render};

/// Shows each phase's installs, in go-live order. Always exits 0 once the plan loads: it is a
/// view, not a check.
pub fn run(args: &InstallsArgs, printer: &Printer) -> Result<u8, Error> {
    let plan = super::load_plan(&args.plan)?;
    let mut linter = super::linter(&args.plan, &args.sources)?;
    let view = linter.analyse(&plan, |g, _| installs::build(g))?;
    super::addons_errors(&mut linter, printer)?;
    printer.out(&match args.format {
        ViewFormat::Human => render::human(&view, Style::new(printer.color())),
        ViewFormat::Json => render::json(&view),
    });
    Ok(super::EXIT_OK)
}
