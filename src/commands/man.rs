//! `odoo-order man`: the man page, in roff, generated from the same clap definition that
//! parses the command line (hidden: packagers run it, users read `man odoo-order`).

use clap::CommandFactory;

use crate::cli::Cli;
use crate::report::Printer;

/// Prints the man page of `odoo-order` and of each subcommand, one after the other.
pub fn run(printer: &Printer) -> u8 {
    printer.out(&page());
    super::EXIT_OK
}

/// The roff text: the main page, then a section per subcommand.
pub fn page() -> String {
    let mut command = Cli::command();
    command.build();
    let mut roff = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = clap_mangen::Man::new(command.clone()).render(&mut roff);
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub = sub
            .clone()
            .display_name(format!("odoo-order-{}", sub.get_name()))
            .bin_name(format!("odoo-order {}", sub.get_name()));
        let _ = clap_mangen::Man::new(sub).render(&mut roff);
    }
    String::from_utf8_lossy(&roff).into_owned()
}
