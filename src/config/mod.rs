//! `odoo-order.yaml`: a team's settings. Found by walking up from each plan, never past the
//! repository's root (the folder holding `.git`), or named with `--config`; merged with the
//! command line (which wins), and cached per directory so that plans under different
//! configuration files get their own settings.
//!
//! Strict like the plan format: an unknown key, rule, level or layer is a located problem with
//! a "did you mean", and every problem of the file is reported at once.
//!
//! `model` is the file's serde model, `provenance` where each setting comes from,
//! `resolve` turns a file and the command line into the settings a plan runs with, and
//! `lookup` finds and caches the file of each directory.

mod lookup;
mod model;
mod provenance;
mod resolve;

pub use lookup::{ConfigId, Configs};
pub use model::SpannedMap;
pub use provenance::{Explained, Origin, Sourced};
pub use resolve::{Config, Overrides};

/// The name of the configuration file looked for in a plan's directory and its ancestors.
pub const FILE_NAME: &str = "odoo-order.yaml";

#[cfg(test)]
mod tests;
