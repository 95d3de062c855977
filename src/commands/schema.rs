//! `odoo-order schema [--config]`: the JSON Schema of the plan, or of odoo-order.yaml, for
//! editors.

use crate::cli::SchemaArgs;
use crate::report::Printer;

/// Prints the JSON Schema of the plan format, or of the configuration file.
pub fn run(args: &SchemaArgs, printer: &Printer) -> u8 {
    printer.out(&if args.config {
        crate::schema::config_schema()
    } else {
        crate::schema::plan_schema()
    });
    super::EXIT_OK
}
