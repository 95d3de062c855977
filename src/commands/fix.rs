//! `odoo-order fix PLAN... [--diff]`: move modules so that no error remains, and add the module
//! a finding names as its one remedy (see [`crate::fix`]).
//!
//! Exit codes follow `ruff check --fix` and `cargo fmt --check`: without `--diff`, 0 when no
//! error remains after the fix and 1 when some do (what moving modules cannot repair); with
//! `--diff`, 0 only when there is nothing to change and no error, 1 otherwise. 2 is a plan
//! that does not load, or a file that cannot be written (then nothing is written to it).
//!
//! Several plans are fixed one after the other, each on its own, as a pre-commit hook passes
//! them: a plan that fails does not stop the others (its error is printed and the run exits 2),
//! and the exit code is the worst of them.

use std::path::Path;

use crate::cli::FixArgs;
use crate::error::Error;
use crate::plan::Plan;
use crate::report::style::Style;
use crate::report::{Printer, fix as render};

/// Fixes each plan file in place, or shows the diffs. A plan that cannot be fixed is reported
/// where it comes and the others go on, so the run itself never fails: the exit code says it.
pub fn run(args: &FixArgs, printer: &Printer) -> u8 {
    let mut worst = super::EXIT_OK;
    for path in &args.plans {
        let code = one(path, args, printer).unwrap_or_else(|err| {
            // Printed where it happens, between the other plans' accounts, and the run goes on.
            printer.error(&err);
            super::EXIT_ERROR
        });
        worst = worst.max(code);
    }
    worst
}

fn one(path: &Path, args: &FixArgs, printer: &Printer) -> Result<u8, Error> {
    if path.as_os_str() == "-" {
        return Err(Error::usage(
            "`fix` edits a plan file in place and cannot read standard input",
            Some("name the plan file".to_owned()),
        ));
    }
    if path.is_dir() {
        return Err(Error::usage(
            format!("`{}` is a directory", path.display()),
            Some("name the plan files".to_owned()),
        ));
    }
    let plan = Plan::from_path(path, &path.display().to_string())?;
    let mut linter = super::linter(path, &args.sources)?;
    let fixed = crate::fix::fix(&mut linter, &plan)?;
    super::addons_errors(&mut linter, printer)?;
    let style = Style::new(printer.color());
    if args.diff {
        printer.out(&render::diff(&fixed, style));
        printer.err(&render::summary(&fixed, false, style));
        return Ok(if fixed.changes() || fixed.errors_after() > 0 {
            super::EXIT_FINDINGS
        } else {
            super::EXIT_OK
        });
    }
    if fixed.changes() {
        // Only over the text the fix was worked out from: an edit saved meanwhile wins.
        crate::atomic::replace_if_unchanged(
            path,
            fixed.before.text().as_bytes(),
            fixed.after.text().as_bytes(),
        )?;
    }
    printer.out(&render::summary(&fixed, true, style));
    Ok(if fixed.errors_after() > 0 {
        super::EXIT_FINDINGS
    } else {
        super::EXIT_OK
    })
}
