//! `odoo-order why PLAN MODULE`: the chains that bring a module into each phase.

use crate::cli::{ViewFormat, WhyArgs};
use crate::error::Error;
use crate::inspect::why;
use crate::report::style::Style;
use crate::report::{Printer, why as render};
use crate::suggest;

/// Explains one module. A module neither the plan nor its catalog knows is a usage error with
/// a "did you mean"; otherwise it exits 0, findings or not: it is a view, not a check.
pub fn run(args: &WhyArgs, printer: &Printer) -> Result<u8, Error> {
    let plan = super::load_plan(&args.plan)?;
    let mut linter = super::linter(&args.plan, &args.sources)?;
    let view = linter.analyse(&plan, |g, outcome| {
        let Some(m) = g.module_id(&args.module) else {
            let help =
                suggest::did_you_mean(&args.module, g.modules.iter().map(|m| m.name.as_str()))
                    .map_or_else(
                        || "`odoo-order installs` lists what the plan installs".to_owned(),
                        |s| format!("did you mean `{s}`?"),
                    );
            return Err(Error::usage(
                format!(
                    "no module `{}` in `{}` or the Odoo {} catalog",
                    args.module,
                    plan.file.name(),
                    plan.series.value
                ),
                Some(help),
            ));
        };
        Ok(why::build(g, m, &outcome.findings))
    })??;
    super::addons_errors(&mut linter, printer)?;
    printer.out(&match args.format {
        ViewFormat::Human => render::human(&view, &plan.file, Style::new(printer.color())),
        ViewFormat::Json => render::json(&view, &plan.file),
    });
    Ok(super::EXIT_OK)
}
