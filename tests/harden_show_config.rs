//! `check --show-config` prints input text (module names, globs, file names) escaped like every
//! other human output, and what it prints is still a configuration with the same values
//! (issue 9 leftover).

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

mod support;

#[test]
fn show_config_escapes_control_characters_and_stays_a_configuration() {
    let dir = support::scratch();
    // YAML's `\e` and `\a` escapes put raw control characters into the values.
    let config =
        "layers:\n  crm: [\"acme\\e[2Jwipe\"]\ninclude: [\"plans/\\e]0;title\\a*.yaml\"]\n";
    std::fs::write(dir.path().join("odoo-order.yaml"), config).unwrap();
    std::fs::write(
        dir.path().join("plan.yaml"),
        "odoo: \"17.0\"\nphases:\n  - id: p\n    modules: [account]\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["check", "--show-config", "plan.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "a control character reached the terminal:\n{text:?}"
    );
    assert!(text.contains("acme\\u001b[2Jwipe"), "{text}");
    assert!(
        text.contains("plans/\\u001b]0;title\\u0007*.yaml"),
        "{text}"
    );

    // Read back, the printed configuration holds the same values.
    let again = dir.path().join("again.yaml");
    std::fs::write(&again, &text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_odoo-order"))
        .args(["check", "--show-config", "--config"])
        .arg(&again)
        .arg("plan.yaml")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let reread = String::from_utf8(output.stdout).unwrap();
    let values = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.trim_start().starts_with("- "))
            .map(|l| l.split('#').next().unwrap().trim().to_owned())
            .collect()
    };
    assert_eq!(values(&reread), values(&text), "{reread}");
}
