//! One file per subcommand. Each gathers data and hands it to [`crate::report`] to print.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod explain;
pub(crate) mod fix;
pub(crate) mod graph;
pub mod init;
pub(crate) mod installs;
pub(crate) mod man;
pub(crate) mod modules;
pub(crate) mod rules;
pub(crate) mod schema;
pub(crate) mod server;
pub(crate) mod why;

use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::plan::Plan;
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
        Command::Rules(args) => Ok(rules::run(&args, &printer)),
        Command::Schema(args) => Ok(schema::run(&args, &printer)),
        Command::Init(args) => init::run(&args, &printer),
        Command::Completions(args) => Ok(completions::run(&args, &printer)),
        Command::Installs(args) => installs::run(&args, &printer),
        Command::Why(args) => why::run(&args, &printer),
        Command::Graph(args) => graph::run(&args, &printer),
        Command::Fix(args) => Ok(fix::run(&args, &printer)),
        Command::Modules(args) => modules::run(&args, &printer),
        Command::Server(args) => server::run(&args),
        Command::Man => Ok(man::run(&printer)),
    };
    result.unwrap_or_else(|err| {
        printer.error(&err);
        EXIT_ERROR
    })
}

/// All of standard input (a plan given as `-`).
pub(crate) fn read_stdin() -> Result<Vec<u8>, Error> {
    crate::read::read_stream(std::io::stdin().lock(), crate::read::PLAN).map_err(|err| Error::Io {
        path: PathBuf::from("-"),
        source: err.into_io(),
    })
}

/// Loads the one plan a view command (`installs`, `why`, `graph`) works on; `-` reads it from
/// standard input.
pub(crate) fn load_plan(path: &Path) -> Result<Plan, Error> {
    if path.as_os_str() == "-" {
        return Plan::from_bytes(Path::new("<stdin>"), "<stdin>", &read_stdin()?);
    }
    if path.is_dir() {
        return Err(Error::usage(
            format!("`{}` is a directory", path.display()),
            Some("name one plan file".to_owned()),
        ));
    }
    Plan::from_path(path, &path.display().to_string())
}

/// A linter set up for one plan as `check` would set it up: the configuration found above
/// the plan (or `--config`), its severities, layers, extra rules and addons path, and
/// `--addons-path` over all of them.
pub(crate) fn linter(
    plan: &Path,
    sources: &crate::cli::PlanSources,
) -> Result<crate::linter::Linter, Error> {
    let overrides = crate::config::Overrides {
        config: sources.config.clone(),
        addons_path: sources
            .addons_path
            .as_deref()
            .map(check::existing_dirs)
            .transpose()?,
        ..crate::config::Overrides::default()
    };
    let mut configs = crate::config::Configs::new(overrides)?;
    let id = if plan.as_os_str() == "-" {
        configs.for_dir(&std::env::current_dir().unwrap_or_default())?
    } else {
        configs.for_file(plan)?
    };
    let config = configs.get(id);
    let linter = crate::linter::Linter::with_data(config.settings.clone(), config.data.clone());
    Ok(match configs.addons_override() {
        Some(paths) => linter.with_addons_path(paths.to_vec()),
        None => linter,
    })
}

/// Manifests of the addons path that could not be read are hard failures, as for `check`:
/// every one is printed, and the last is returned so that the command exits 2.
pub(crate) fn addons_errors(
    linter: &mut crate::linter::Linter,
    printer: &Printer,
) -> Result<(), Error> {
    let mut errors = linter.take_addons_errors();
    let Some(last) = errors.pop() else {
        return Ok(());
    };
    for err in &errors {
        printer.error(err);
    }
    Err(last)
}
