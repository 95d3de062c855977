//! Issue 9, item 10: a report that cannot be written to standard output is an I/O error
//! (exit 2, with a message), not a silent success; a reader that stops early (`| head`) is not
//! an error, as in ripgrep.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Read as _;
use std::process::{Command, Stdio};

mod support;

const PLAN: &str = "odoo: \"17.0\"\nphases:\n  - id: p\n    modules: [account]\n";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_odoo-order")
}

/// A plan in a repository root of its own, so that no odoo-order.yaml above the temporary
/// folder applies.
fn plan() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = support::scratch();
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, PLAN).unwrap();
    (dir, path)
}

/// `stdout-write-error.sh`: SARIF to a full device.
#[test]
fn a_full_device_is_an_io_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        support::skip("no /dev/full here");
        return;
    };
    let (_dir, plan) = plan();
    let out = Command::new(bin())
        .args(["check", "--format", "sarif"])
        .arg(&plan)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cannot write `<stdout>`"), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
}

/// `stdout-write-error.sh`: JSON to a closed standard output (`>&-`).
#[test]
fn a_closed_stdout_is_an_io_error() {
    if !std::path::Path::new("/proc/self/fdinfo").is_dir() {
        support::skip("a closed stdout is detected through /proc (Linux)");
        return;
    }
    let (_dir, plan) = plan();
    let out = Command::new("sh")
        .args(["-c", "\"$0\" check --format json \"$1\" >&-", bin()])
        .arg(&plan)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("standard output is closed"), "{err}");
    // `> /dev/null` is a choice, not a closed output.
    let out = Command::new(bin())
        .args(["check", "--format", "json"])
        .arg(&plan)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(out.stderr.is_empty());
}

/// A reader that goes away (`| head -1`) ends the output quietly; the exit code is the run's.
#[test]
fn a_broken_pipe_is_quiet() {
    let dir = support::scratch();
    // Enough findings that the output outgrows the pipe's buffer.
    let mut text = String::from("odoo: \"17.0\"\nphases:\n");
    for i in 0..2_000 {
        text.push_str(&format!("  - id: p{i}\n    modules: [nope{i}]\n"));
    }
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, text).unwrap();
    let mut child = Command::new(bin())
        .arg("check")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0_u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.is_empty(), "{err}");
}
