//! `installs` says, phase by phase and company by company, which journal entries Odoo starts
//! posting, as the company's books and valuation make them (issue 13 item 3), and shows the
//! live database a plan starts from (`installed`, item 1).
//!
//! The facts behind the expectations: a company's stock valuation is manual (periodic) unless
//! its product categories say automated; only automated valuation posts an entry per stock move
//! (Odoo's inventory valuation documentation; `property_valuation` defaults to
//! `manual_periodic` in `stock_account`). `purchase` posts vendor bills and `sale` customer
//! invoices, whatever the valuation.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod support;

use assert_cmd::Command;
use serde_json::Value;

/// The `installs --format json` document of a plan.
fn installs(plan: &str) -> Value {
    let dir = support::scratch();
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, plan).unwrap();
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .current_dir(dir.path())
        .args(["installs", "plan.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn phase<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no phase `{id}` in {doc:#}"))
}

fn entries_for<'a>(phase: &'a Value, company: &str) -> &'a Value {
    phase["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["company"] == company)
        .unwrap_or_else(|| panic!("no entries for `{company}` in {phase:#}"))
}

fn modules(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p.get("module").unwrap_or(p).as_str().unwrap())
        .collect()
}

const TWO_VALUATIONS: &str = r#"odoo: "17.0"
companies:
  - id: perpetual_nl
    country: NL
    valuation: perpetual
  - id: periodic_be
    country: BE
phases:
  - id: finance
    go_live: 2026-01-05
    modules: [account, l10n_nl, l10n_be]
  - id: supply
    go_live: 2026-02-02
    after: [finance]
    modules: [purchase_stock]
"#;

#[test]
fn stock_valuers_post_only_for_a_perpetual_company() {
    let doc = installs(TWO_VALUATIONS);
    let supply = phase(&doc, "supply");
    let nl = entries_for(supply, "perpetual_nl");
    assert_eq!(nl["books"], "odoo");
    assert_eq!(nl["accounting_since"], "finance");
    assert_eq!(nl["valuation"], "perpetual");
    let posts = modules(&nl["posts"]);
    for m in ["purchase", "purchase_stock", "stock_account"] {
        assert!(
            posts.contains(&m),
            "{m} should post for perpetual_nl: {posts:?}"
        );
    }
    assert!(modules(&nl["no_entry_per_move"]).is_empty());

    let be = entries_for(supply, "periodic_be");
    assert_eq!(be["valuation"], "periodic");
    assert_eq!(be["valuation_stated"], false);
    assert_eq!(modules(&be["posts"]), ["purchase"]);
    let silent = modules(&be["no_entry_per_move"]);
    assert!(
        silent.contains(&"stock_account") && silent.contains(&"purchase_stock"),
        "{silent:?}"
    );
}

#[test]
fn the_readable_view_says_it_per_company() {
    let dir = support::scratch();
    std::fs::write(dir.path().join("plan.yaml"), TWO_VALUATIONS).unwrap();
    let out = Command::cargo_bin("odoo-order")
        .unwrap()
        .current_dir(dir.path())
        .args(["installs", "plan.yaml"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("journal entries for `perpetual_nl` (accounting live since `finance`; perpetual valuation)"),
        "{text}"
    );
    assert!(
        text.contains(
            "no entry per stock move under periodic valuation: purchase_stock, stock_account"
        ),
        "{text}"
    );
}

#[test]
fn external_books_and_accounting_not_yet_configured_are_named() {
    let doc = installs(
        r#"odoo: "17.0"
companies:
  - id: outside_be
    country: BE
    accounting: external
    accounting_until: 2027-01-01
  - id: later_fr
    country: FR
phases:
  - id: sales
    go_live: 2026-03-02
    modules: [sale_management]
  - id: books
    go_live: 2027-01-01
    after: [sales]
    companies: [outside_be, later_fr]
    modules: [account, l10n_be, l10n_fr]
"#,
    );
    let sales = phase(&doc, "sales");
    let outside = entries_for(sales, "outside_be");
    assert_eq!(outside["books"], "external");
    assert_eq!(outside["books_until"], "2027-01-01");
    assert_eq!(modules(&outside["posts"]), ["sale"]);
    let later = entries_for(sales, "later_fr");
    assert_eq!(later["books"], "not-configured");
    assert_eq!(modules(&later["posts"]), ["sale"]);
    // Once accounting goes live nothing new starts posting: `sale` already did.
    let books = phase(&doc, "books");
    assert!(modules(&entries_for(books, "later_fr")["posts"]).is_empty());
    assert_eq!(entries_for(books, "later_fr")["books"], "odoo");
}

#[test]
fn a_module_installed_for_one_company_starts_posting_for_another_when_its_phase_comes() {
    let doc = installs(
        r#"odoo: "17.0"
companies:
  - id: first_be
    country: BE
  - id: second_be
    country: BE
phases:
  - id: finance
    go_live: 2026-01-05
    modules: [account, l10n_be]
  - id: sales_first
    go_live: 2026-02-02
    after: [finance]
    companies: [first_be]
    modules: [sale_management]
  - id: sales_second
    go_live: 2026-04-01
    after: [sales_first]
    companies: [second_be]
    modules: [sale_management]
"#,
    );
    assert_eq!(
        modules(&entries_for(phase(&doc, "sales_first"), "first_be")["posts"]),
        ["sale"]
    );
    assert_eq!(
        modules(&entries_for(phase(&doc, "sales_second"), "second_be")["posts"]),
        ["sale"]
    );
}

#[test]
fn the_live_database_is_shown_before_the_first_phase() {
    let doc = installs(
        r#"odoo: "17.0"
installed: [account, l10n_be, sale_management]
companies:
  - id: live_be
    country: BE
phases:
  - id: stock
    go_live: 2026-09-01
    modules: [sale_stock]
"#,
    );
    let pre = &doc["preinstalled"];
    assert_eq!(
        modules(&pre["listed"]),
        ["account", "l10n_be", "sale_management"]
    );
    let all = modules(&pre["modules"]);
    // `sale_management` depends on `sale`, which Odoo installs with it.
    assert!(all.contains(&"sale"), "{all:?}");
    assert_eq!(modules(&pre["accounting_live_for"]), ["live_be"]);
    assert!(modules(&pre["posts_entries"]).contains(&"sale"));
    // Already live: `sale` does not start posting again in the first phase.
    let stock = entries_for(phase(&doc, "stock"), "live_be");
    assert_eq!(stock["books"], "odoo");
    assert_eq!(stock["accounting_since"], Value::Null);
    assert!(!modules(&stock["posts"]).contains(&"sale"));
}

#[test]
fn a_plan_without_installed_has_no_preinstalled_block() {
    let doc = installs(TWO_VALUATIONS);
    assert!(doc.get("preinstalled").is_none(), "{doc:#}");
}

#[test]
fn a_module_another_company_uses_does_not_start_posting_for_one_that_never_plans_it() {
    let doc = installs(
        r#"odoo: "17.0"
companies:
  - id: shops_de
    country: DE
  - id: office_fr
    country: FR
phases:
  - id: finance
    go_live: 2026-01-05
    companies: [shops_de]
    modules: [account, l10n_de]
  - id: shop
    go_live: 2026-02-02
    after: [finance]
    companies: [shops_de]
    modules: [point_of_sale]
  - id: finance_fr
    go_live: 2026-03-02
    after: [shop]
    companies: [office_fr]
    modules: [l10n_fr]
"#,
    );
    assert!(
        modules(&entries_for(phase(&doc, "shop"), "shops_de")["posts"]).contains(&"point_of_sale")
    );
    let fr = entries_for(phase(&doc, "finance_fr"), "office_fr");
    assert!(!modules(&fr["posts"]).contains(&"point_of_sale"), "{fr:#}");
}
