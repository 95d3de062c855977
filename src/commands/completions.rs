//! `odoo-order completions <SHELL>`: a completion script, generated from the same clap
//! definition that parses the command line.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::report::Printer;

/// Prints the completion script of a shell.
pub fn run(args: &CompletionsArgs, printer: &Printer) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "odoo-order", &mut script);
    printer.out(&String::from_utf8_lossy(&script));
    super::EXIT_OK
}
