//! `odoo-order init [PATH]`: writes a commented starter plan that checks clean, opening with
//! the `# yaml-language-server: $schema=` line editors read. It never replaces an existing
//! file, and writes atomically.

use crate::cli::InitArgs;
use crate::error::Error;
use crate::paths;
use crate::report::Printer;

/// The starter plan: accounting first, then operations, sales and CRM, with the bridges
/// listed where they land, so `check` has nothing to report on it.
pub const STARTER_PLAN: &str = include_str!("starter-plan.yaml");

/// The plan `init` writes: the schema line first, then the starter plan.
pub fn starter_plan() -> String {
    crate::schema::plan_modeline() + STARTER_PLAN
}

/// Writes the starter plan.
pub fn run(args: &InitArgs, printer: &Printer) -> Result<u8, Error> {
    let path = &args.path;
    if path.exists() {
        return Err(Error::usage(
            format!("`{}` already exists", paths::display(path)),
            Some("odoo-order init never replaces a file: name another path, e.g. `odoo-order init plans/acme.plan.yaml`".to_owned()),
        ));
    }
    crate::atomic::write_new(path, starter_plan().as_bytes())?;
    let shown = paths::display(path);
    printer.out(&format!(
        "wrote {shown}: edit it, then run `odoo-order check {shown}`\n"
    ));
    Ok(super::EXIT_OK)
}
