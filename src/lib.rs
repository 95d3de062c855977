//! odoo-order: a linter for Odoo ERP implementation plans.
//!
//! Data flows one way: [`plan`] loads the YAML with spans, the phase graph (`graph`) and
//! [`modgraph`] build the phase and module graphs and every closure once, [`rules`] report
//! [`finding`]s through the [`check`] engine, the run's result model (`outcome`) collects them,
//! and [`report`] renders it. [`commands`] wires the command line ([`cli`]) to that pipeline.
//! `ARCHITECTURE.md` at the repository root draws the layers.
//!
//! The public modules are the surface the binary (`src/main.rs`), the integration tests and the
//! benches use; the `pub(crate)` ones are used inside the crate only, so the compiler reports
//! what nothing calls in them. A module becomes public when a test or bench needs it, not
//! before.

pub mod rules;

pub mod addons;
pub mod apps_list;
pub(crate) mod atomic;
pub mod baseline;
pub(crate) mod batch;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub(crate) mod country;
pub mod date;
pub mod discover;
pub mod einvoicing;
pub mod error;
pub mod finding;
pub(crate) mod fingerprint;
pub mod fix;
pub(crate) mod graph;
pub mod inspect;
pub mod linter;
pub mod manifest;
pub mod modgraph;
pub(crate) mod outcome;
pub(crate) mod output;
pub(crate) mod paths;
pub mod plan;
pub(crate) mod read;
pub mod report;
pub mod ruledata;
pub mod schema;
pub mod server;
pub mod source;
pub(crate) mod suggest;
pub mod yaml;

/// Where each rule's documentation lives (`docs/rules.md`, one section per rule).
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");
