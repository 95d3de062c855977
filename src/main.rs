//! The `odoo-order` binary: parse the command line, run, exit. Everything else is in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = odoo_order::cli::Cli::from_env();
    let code = odoo_order::commands::run(cli);
    ExitCode::from(odoo_order::report::finish(code))
}
