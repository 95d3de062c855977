//! The Python wheel (`pip install odoo-order`) is enough on its own: installed from the wheel
//! `.ci/run` built into a fresh virtual environment, with no Rust toolchain on `PATH`, it runs
//! and checks the example plans as the crate's own binary does.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod dist;
mod support;

use dist::{VERSION, root, venv_with_wheel, wheel, without_rust};

#[test]
fn the_wheel_installs_and_checks_plans_without_rust() {
    let Some(wheel) = wheel() else { return };
    // A binary wheel for any Python 3, named after the PyPI project.
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("odoo_order-{VERSION}-py3-none-")),
        "{name}"
    );

    let scratch = tempfile::tempdir().unwrap();
    let bin = venv_with_wheel(scratch.path());
    let path = dist::path_without_rust(&[&bin]);
    let odoo_order = |args: &[&str]| {
        let out = without_rust("odoo-order", &path)
            .args(args)
            .current_dir(root())
            .env("NO_COLOR", "1")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };

    // The binary found on PATH is the wheel's, of this version.
    let found = dist::run(without_rust("sh", &path).args(["-c", "command -v odoo-order"]));
    assert_eq!(found.trim(), bin.join("odoo-order").display().to_string());
    let (code, out, err) = odoo_order(&["--version"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim(), format!("odoo-order {VERSION}"));

    let (code, out, err) = odoo_order(&["check", "examples/acme-rollout.yaml"]);
    assert_eq!(code, Some(0), "{out}{err}");

    let (code, out, err) = odoo_order(&["check", "examples/crm-first.yaml", "--format", "concise"]);
    assert_eq!(code, Some(1), "{out}{err}");
    // The concise line's layout is the report's business; where and which rule are ours.
    let line = out
        .lines()
        .find(|l| l.starts_with("examples/crm-first.yaml:15:36:") && l.contains("OO201"))
        .unwrap_or_else(|| panic!("no OO201 on line 15:\n{out}"));
    assert!(
        line.contains("`sale_management` depends on `account`"),
        "{line}"
    );
}
