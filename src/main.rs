//! The `odoo-order` binary.
fn main() {}
