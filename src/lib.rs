//! odoo-order: a linter for Odoo ERP implementation plans.

pub mod addons;
pub mod manifest;
