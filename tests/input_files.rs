//! What odoo-order reads, and what it refuses to read (issue 9, items 6 and 7): walks and
//! addons scans take regular files only, every file has a size cap, and a symbolic link that
//! leaves the walked directory or the addons directory never has its target's text printed.
//!
//! FIFOs and symbolic links are made at run time in a temporary directory: they cannot be
//! committed as fixtures.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Output;
use std::time::Duration;

mod support;

use assert_cmd::Command;

const PLAN: &str = "odoo: \"17.0\"\nphases:\n  - id: p\n    modules: [account]\n";

fn odoo_order(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("odoo-order")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("MY_CI_SECRET", "hunter2")
        // A blocked read is a failure, not a hung test run.
        .timeout(Duration::from_mins(1))
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// `manifest-fifo.sh`: a manifest that is a named pipe blocked the scan forever. Odoo's
/// `os.path.isfile` says it is no manifest; neither is it for us.
#[cfg(unix)]
#[test]
fn a_fifo_manifest_is_no_manifest() {
    let dir = support::scratch();
    mkfifo(&dir.path().join("addons/evil/__manifest__.py"));
    write(
        &dir.path().join("addons/sale_custom/__manifest__.py"),
        "{'depends': ['sale']}",
    );
    let out = odoo_order(
        dir.path(),
        &["modules", "--addons-path", "addons", "--format", "json"],
    );
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("sale_custom"), "{shown}");
    assert!(!shown.contains("\"evil\""), "{shown}");
}

/// `manifest-dev-zero.sh`: a manifest symlinked to `/dev/zero` grew to 2 GiB and aborted.
/// A device is no manifest; and a regular file over 1 MiB is refused with a clear error.
#[cfg(unix)]
#[test]
fn a_device_manifest_is_skipped_and_a_huge_one_is_refused() {
    let dir = support::scratch();
    std::fs::create_dir_all(dir.path().join("addons/evil")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("addons/evil/__manifest__.py"))
        .unwrap();
    write(&dir.path().join("plan.yaml"), PLAN);
    let out = odoo_order(
        dir.path(),
        &[
            "check",
            "plan.yaml",
            "--addons-path",
            "addons",
            "--format",
            "concise",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let huge = format!("{{'name': '{}'}}", "x".repeat(1024 * 1024));
    write(&dir.path().join("addons/big/__manifest__.py"), &huge);
    let out = odoo_order(
        dir.path(),
        &[
            "check",
            "plan.yaml",
            "--addons-path",
            "addons",
            "--format",
            "concise",
        ],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains(
            "addons/big/__manifest__.py: error[io] cannot read `addons/big/__manifest__.py`: \
             the file is larger than 1 MiB, the most odoo-order reads for a manifest"
        ),
        "{shown}"
    );
}

/// A plan named on the command line may be a pipe or a device, but it is read up to a cap:
/// `/dev/zero` is refused instead of eating memory.
#[cfg(unix)]
#[test]
fn an_endless_plan_is_refused_at_the_cap() {
    let dir = support::scratch();
    let out = odoo_order(dir.path(), &["check", "/dev/zero", "--format", "concise"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("the file is larger than 4 MiB, the most odoo-order reads for a plan"),
        "{shown}"
    );
}

/// A configuration and a baseline are capped too.
#[test]
fn large_configs_and_baselines_are_refused() {
    let dir = support::scratch();
    write(&dir.path().join("plan.yaml"), PLAN);
    let padding = format!("# {}\n", "x".repeat(80)).repeat(17 * 1024 * 1024 / 83);
    write(&dir.path().join("base.json"), &padding);
    let out = odoo_order(
        dir.path(),
        &[
            "check",
            "plan.yaml",
            "--baseline",
            "base.json",
            "--format",
            "concise",
        ],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        // Words only: the message wraps at the terminal's width.
        shown
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("the most odoo-order reads for a baseline"),
        "{shown}"
    );
    write(&dir.path().join("odoo-order.yaml"), &padding);
    let out = odoo_order(dir.path(), &["check", "plan.yaml", "--format", "concise"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("the most odoo-order reads for a configuration"),
        "{shown}"
    );
}

/// A FIFO named like a plan in a walked directory is not a plan: the walk neither blocks on
/// it nor reports it.
#[cfg(unix)]
#[test]
fn a_walk_skips_fifos() {
    let dir = support::scratch();
    mkfifo(&dir.path().join("repo/plans/pipe.yaml"));
    write(&dir.path().join("repo/plans/real.yaml"), PLAN);
    let out = odoo_order(dir.path(), &["check", "repo", "--format", "concise"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.starts_with("1 file checked"), "{shown}");
}

/// `symlink-leak.sh`, walk half: `plans/y.yaml -> /etc/passwd` printed the line around the
/// parse error. A link that leaves the walked directory is not followed, and says so.
#[cfg(unix)]
#[test]
fn a_walk_does_not_follow_links_out_of_its_directory() {
    let dir = support::scratch();
    let secret = dir.path().join("secret.yaml");
    write(&secret, "token: MY_CI_SECRET=hunter2\n");
    write(&dir.path().join("walk/plans/real.yaml"), PLAN);
    std::os::unix::fs::symlink(&secret, dir.path().join("walk/plans/y.yaml")).unwrap();
    // A link that stays inside the walked directory is followed, and its plan counted once.
    std::os::unix::fs::symlink("real.yaml", dir.path().join("walk/plans/alias.yaml")).unwrap();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = odoo_order(dir.path(), &["check", "walk", "--format", format]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {shown}");
        assert!(!shown.contains("hunter2"), "{format}: {shown}");
        assert!(shown.contains("walk/plans/y.yaml"), "{format}: {shown}");
    }
    let out = odoo_order(dir.path(), &["check", "walk", "--format", "concise"]);
    assert!(
        text(&out).contains(
            "walk/plans/y.yaml: error[io] cannot read `walk/plans/y.yaml`: it is a symbolic link \
             that leads outside `walk`"
        ),
        "{}",
        text(&out)
    );
    assert!(text(&out).starts_with("1 file checked"), "{}", text(&out));
    // Named on the command line, the target is the user's choice and is read.
    let out = odoo_order(dir.path(), &["check", "secret.yaml", "--format", "concise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("unknown key `token`"), "{}", text(&out));
}

/// `symlink-leak.sh`, addons half: a manifest linked to `/proc/self/environ` printed the
/// environment around the parse error, CI secrets included. Links are followed as Odoo
/// follows them, but what a link outside the addons directory reaches is never shown.
#[cfg(unix)]
#[test]
fn a_manifest_outside_the_addons_directory_is_never_shown() {
    let dir = support::scratch();
    let secret = dir.path().join("elsewhere/environ");
    write(&secret, "PATH=/usr/bin\0MY_CI_SECRET=hunter2\0");
    std::fs::create_dir_all(dir.path().join("addons/x")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("addons/x/__manifest__.py")).unwrap();
    if Path::new("/proc/self/environ").exists() {
        std::fs::create_dir_all(dir.path().join("addons/y")).unwrap();
        std::os::unix::fs::symlink(
            "/proc/self/environ",
            dir.path().join("addons/y/__manifest__.py"),
        )
        .unwrap();
    }
    // A module directory linked from elsewhere is still a module (a common addons layout).
    write(
        &dir.path().join("repos/oca/linked/__manifest__.py"),
        "{'depends': ['sale']}",
    );
    std::os::unix::fs::symlink(
        dir.path().join("repos/oca/linked"),
        dir.path().join("addons/linked"),
    )
    .unwrap();
    write(
        &dir.path().join("plan.yaml"),
        "odoo: \"17.0\"\naddons_path: [addons]\nphases:\n  - id: p\n    modules: [account, linked]\n",
    );
    for format in [
        "human", "concise", "json", "sarif", "github", "gitlab", "junit",
    ] {
        let out = odoo_order(dir.path(), &["check", "plan.yaml", "--format", format]);
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {shown}");
        assert!(!shown.contains("hunter2"), "{format}: {shown}");
        assert!(!shown.contains("PATH"), "{format}: {shown}");
    }
    let out = odoo_order(dir.path(), &["check", "plan.yaml", "--format", "concise"]);
    assert!(!text(&out).contains("OO101"), "{}", text(&out));
    assert!(
        text(&out).contains(
            "addons/x/__manifest__.py: error[manifest::invalid] `addons/x/__manifest__.py` \
             is not a valid manifest (line 1, column 14); its text is not shown"
        ),
        "{}",
        text(&out)
    );
    // A broken manifest inside the addons directory is still shown in context.
    write(
        &dir.path().join("addons/z/__manifest__.py"),
        "{'depends': 'sale'}\n",
    );
    let out = odoo_order(dir.path(), &["check", "plan.yaml", "--color", "never"]);
    assert!(text(&out).contains("{'depends': 'sale'}"), "{}", text(&out));
}

/// The same for a configuration found by walking up that links outside its directory, and for
/// an `extra_rules` file outside the configuration's directory: a pull request controls both.
#[cfg(unix)]
#[test]
fn configurations_never_show_what_lies_outside() {
    let dir = support::scratch();
    let secret = dir.path().join("elsewhere/secret.yaml");
    write(&secret, "MY_CI_SECRET: hunter2\n");
    write(&dir.path().join("a/plan.yaml"), PLAN);
    std::os::unix::fs::symlink(&secret, dir.path().join("a/odoo-order.yaml")).unwrap();
    write(&dir.path().join("b/plan.yaml"), PLAN);
    write(
        &dir.path().join("b/odoo-order.yaml"),
        &format!("extra_rules: [{}]\n", secret.display()),
    );
    for plan in ["a/plan.yaml", "b/plan.yaml"] {
        for format in ["human", "concise", "json"] {
            let out = odoo_order(dir.path(), &["check", plan, "--format", format]);
            let shown = text(&out);
            assert_eq!(out.status.code(), Some(2), "{plan} {format}: {shown}");
            assert!(!shown.contains("hunter2"), "{plan} {format}: {shown}");
            assert!(!shown.contains("MY_CI_SECRET"), "{plan} {format}: {shown}");
            // The human report wraps its message; read it as one line of words.
            let words = shown
                .replace('│', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                words.contains("its text is not"),
                "{plan} {format}: {shown}"
            );
        }
    }
    // Inside its own directory, a broken rules file is shown in context as before.
    write(&dir.path().join("b/rules.yaml"), "layerz: {}\n");
    write(
        &dir.path().join("b/odoo-order.yaml"),
        "extra_rules: [rules.yaml]\n",
    );
    let out = odoo_order(dir.path(), &["check", "b/plan.yaml", "--color", "never"]);
    assert!(
        text(&out).contains("unknown key `layerz`"),
        "{}",
        text(&out)
    );
}
