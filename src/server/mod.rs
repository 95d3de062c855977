//! `odoo-order server`: a language server (LSP over standard input and output) for plans and
//! `odoo-order.yaml`. It reuses `check`'s pipeline as is (configuration lookup, plan loading
//! with spans, the module graph, the rules, `fix`'s search) and adds only what an editor needs
//! on top: documents kept in sync with the client, positions in the client's encoding, and the
//! features, one file each.
//!
//! The rest of the crate sees [`run`] and [`serve`] only.

mod actions;
mod analysis;
mod completion;
mod context;
mod definition;
mod diagnostics;
mod dispatch;
mod documents;
mod hover;
mod locate;
mod position;
mod transport;

use std::time::Duration;

pub use dispatch::Ending;
pub use lsp_server::Connection;

use crate::config::Overrides;
use crate::error::Error;

/// How long a document must go without a change before it is checked again. A burst of
/// keystrokes (or the several changes one edit command sends) is checked once; 25 ms plus
/// the check itself stays under the 50 ms a keystroke may take to show its diagnostics.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--config` and `--addons-path`, which win over what each plan's directory says.
    pub overrides: Overrides,
    /// See [`DEBOUNCE`].
    pub debounce: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            overrides: Overrides::default(),
            debounce: DEBOUNCE,
        }
    }
}

/// Serves a client over standard input and output until it says `exit` or closes the input.
pub fn run(options: Options) -> Result<Ending, Error> {
    let (connection, threads) = transport::stdio().map_err(|source| Error::Io {
        path: "<stdio>".into(),
        source,
    })?;
    let ending = serve(connection, options);
    threads.finish();
    ending
}

/// Serves a client over a connection (tests and benchmarks use an in-memory one).
pub fn serve(connection: Connection, options: Options) -> Result<Ending, Error> {
    dispatch::serve(connection, options)
}
