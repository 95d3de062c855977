//! One file per subcommand. Each gathers data and hands it to [`crate::report`] to print.

pub mod check;
pub mod completions;
pub mod explain;
pub mod init;
pub mod modules;
pub mod rules;
pub mod schema;

use crate::cli::{Cli, Command};
use crate::report::Printer;

/// Exit code: nothing at or above the fail level.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the fail level.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, I/O, parse or configuration error, or nothing to check.
pub const EXIT_ERROR: u8 = 2;

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let printer = Printer::new(cli.color);
    let result = match cli.command {
        Command::Check(args) => check::run(&args, &printer),
        Command::Explain(args) => explain::run(&args, &printer),
        Command::Rules(args) => rules::run(&args, &printer),
        Command::Schema => schema::run(&printer),
        Command::Init(args) => init::run(&args, &printer),
        Command::Completions(args) => completions::run(&args, &printer),
        Command::Modules(args) => modules::run(&args, &printer),
    };
    result.unwrap_or_else(|err| {
        printer.error(&err);
        EXIT_ERROR
    })
}
