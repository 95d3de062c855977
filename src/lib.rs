//! odoo-order: a linter for Odoo ERP implementation plans.
