//! `odoo-order schema`: the plan's JSON Schema, for editors.

use crate::error::Error;
use crate::report::Printer;

/// Prints the JSON Schema of the plan format.
pub fn run(printer: &Printer) -> Result<u8, Error> {
    printer.out(&crate::schema::plan_schema());
    Ok(super::EXIT_OK)
}
