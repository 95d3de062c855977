//! `odoo-order rules`.

use crate::cli::{RulesArgs, RulesFormat};
use crate::report::{Printer, rules as render};

/// Lists every rule.
pub fn run(args: &RulesArgs, printer: &Printer) -> u8 {
    let text = match args.format {
        RulesFormat::Table => render::table(),
        RulesFormat::Json => render::json(),
        RulesFormat::Markdown => render::markdown_table(),
    };
    printer.out(&text);
    super::EXIT_OK
}
