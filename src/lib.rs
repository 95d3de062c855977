//! odoo-order: a linter for Odoo ERP implementation plans.
//!
//! Data flows one way: [`plan`] loads the YAML with spans, [`graph`] builds the phase and module
//! graphs and every closure once, [`rules`] report [`finding`]s through the [`check`] engine,
//! and [`report`] renders them. [`commands`] wires the command line to that pipeline.

pub mod rules;

pub mod addons;
pub mod apps_list;
pub mod atomic;
pub mod baseline;
pub mod batch;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod country;
pub mod date;
pub mod discover;
pub mod einvoicing;
pub mod error;
pub mod finding;
pub mod fingerprint;
pub mod fix;
pub mod graph;
pub mod inspect;
pub mod linter;
pub mod manifest;
pub mod modgraph;
pub mod outcome;
pub mod output;
pub mod paths;
pub mod plan;
pub mod read;
pub mod report;
pub mod ruledata;
pub mod schema;
pub mod server;
pub mod source;
pub mod suggest;
pub mod yaml;

/// Where each rule's documentation lives (the README's rule reference).
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/README.md");
