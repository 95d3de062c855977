//! `odoo-order server`: the language server of [`crate::server`], over standard input and
//! output. Exit code 0 after `shutdown` and `exit`, 1 when the client left without `shutdown`
//! (as the protocol asks), 2 when the server could not start (an unreadable `--config`).

use crate::cli::ServerArgs;
use crate::config::Overrides;
use crate::error::Error;
use crate::server::{self, Ending, Options};

/// Serves one client until it leaves.
pub fn run(args: &ServerArgs) -> Result<u8, Error> {
    let overrides = Overrides {
        config: args.sources.config.clone(),
        addons_path: args
            .sources
            .addons_path
            .as_deref()
            .map(super::check::existing_dirs)
            .transpose()?,
        ..Overrides::default()
    };
    let options = Options {
        overrides,
        ..Options::default()
    };
    Ok(match server::run(options)? {
        Ending::Clean => super::EXIT_OK,
        Ending::Abrupt => super::EXIT_FINDINGS,
    })
}
