//! The `odoo-order` binary: parse the command line, run, exit. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = odoo_order::cli::Cli::parse();
    let code = odoo_order::commands::run(cli);
    ExitCode::from(odoo_order::report::finish(code))
}
