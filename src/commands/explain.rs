//! `odoo-order explain <CODE|NAME>`.

use crate::cli::ExplainArgs;
use crate::error::Error;
use crate::report::{Printer, rules as render};
use crate::rules;

/// Prints a rule's documentation.
pub fn run(args: &ExplainArgs, printer: &Printer) -> Result<u8, Error> {
    let Some(rule) = rules::find(&args.rule) else {
        let help = rules::suggest(&args.rule).map_or_else(
            || "`odoo-order rules` lists every rule".to_owned(),
            |s| format!("did you mean `{s}`?"),
        );
        return Err(Error::usage(
            format!("no rule is called `{}`", args.rule),
            Some(help),
        ));
    };
    printer.out(&render::explain(rule));
    Ok(super::EXIT_OK)
}
