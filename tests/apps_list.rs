//! Installed-modules files as users hand them over (`tests/fixtures/installed/`): Odoo's Apps
//! list exported with labels (CRLF, every field quoted, a summary spanning two lines) and
//! import-compatible (stored values), the same list re-saved by a spreadsheet (semicolons and
//! a BOM), a plain list, and broken files. Every fixture names the same installed modules.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a panic is a test failure"
)]

use std::path::Path;

use odoo_order::apps_list::{self, Format, codes};
use odoo_order::source::Span;

/// The modules the fixtures list as installed, to upgrade or to remove, in file order.
const INSTALLED: [&str; 5] = [
    "crm",
    "sale_management",
    "contacts",
    "mail",
    "report_legacy",
];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/installed")
        .join(name);
    std::fs::read_to_string(&path).unwrap()
}

fn read(name: &str) -> (String, apps_list::AppsList) {
    let text = fixture(name);
    let list = apps_list::parse(&text).unwrap_or_else(|p| panic!("{name}: {p:#?}"));
    (text, list)
}

fn assert_lists_the_installed(name: &str, format: Format) {
    let (text, list) = read(name);
    assert_eq!(list.format, format, "{name}");
    let names: Vec<&str> = list.modules.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, INSTALLED, "{name}");
    for l in &list.modules {
        assert_eq!(&text[l.span.offset..l.span.end()], l.name, "{name}");
    }
}

#[test]
fn odoo_label_export() {
    assert_lists_the_installed(
        "odoo-labels.csv",
        Format::Csv {
            filtered_by_state: true,
        },
    );
}

#[test]
fn odoo_import_compatible_export() {
    assert_lists_the_installed(
        "odoo-import-compatible.csv",
        Format::Csv {
            filtered_by_state: true,
        },
    );
}

#[test]
fn spreadsheet_resaved_export() {
    let text = fixture("spreadsheet-resaved.csv");
    assert!(text.starts_with('\u{feff}'), "the fixture keeps its BOM");
    assert_lists_the_installed(
        "spreadsheet-resaved.csv",
        Format::Csv {
            filtered_by_state: true,
        },
    );
}

#[test]
fn plain_list() {
    assert_lists_the_installed("plain.txt", Format::List);
}

#[test]
fn a_header_without_a_name_column() {
    let problems = apps_list::parse(&fixture("no-name-column.csv")).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, codes::NO_NAME_COLUMN);
    assert_eq!(problems[0].span, Some(Span::new(0, 31)));
}

#[test]
fn an_unterminated_quote() {
    let text = fixture("unterminated-quote.csv");
    let problems = apps_list::parse(&text).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, codes::UNTERMINATED_QUOTE);
    // A download cut short inside the last summary: its opening quote is never closed.
    let at = problems[0].span.unwrap().offset;
    assert_eq!(&text[at..], "\"Quotes, orders, inv");
}
