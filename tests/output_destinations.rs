//! Issue 9, item 4: `--format FMT=FILE` and `--write-baseline FILE` write through what the
//! path names instead of renaming a file over it. Devices and FIFOs are written, symbolic
//! links are followed (the link stays), the process's own descriptors are its streams, and no
//! output may overwrite a file the same run reads.

// Test code: a panic is how a test fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

mod support;

use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PLAN: &str = "odoo: \"17.0\"\nphases:\n  - id: p\n    modules: [account]\n";

struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        // A repository root, so that no odoo-order.yaml above the temporary folder applies.
        let dir = support::scratch();
        let root = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(root.join("plans")).unwrap();
        fs::write(root.join("plans/a.yaml"), PLAN).unwrap();
        Self { _dir: dir, root }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_odoo-order"))
            .current_dir(&self.root)
            .args(args)
            .output()
            .unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `report-replaces-device.sh`: a character device (a copy of `/dev/null`, made with mknod
/// as root) stays a device.
#[test]
fn a_device_is_written_not_replaced() {
    let s = Scratch::new();
    let null = s.path("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !made {
        support::skip_unprivileged("mknod needs root (a FIFO is tested below)");
        return;
    }
    for args in [
        &["check", "plans/a.yaml", "--format", "json=null"][..],
        &["check", "plans/a.yaml", "--write-baseline", "null"][..],
    ] {
        let out = s.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            fs::symlink_metadata(&null)
                .unwrap()
                .file_type()
                .is_char_device(),
            "{args:?} replaced the device"
        );
    }
}

/// A FIFO is opened and written: its reader gets the report, and it is still a FIFO.
#[test]
fn a_fifo_is_written_through() {
    let s = Scratch::new();
    let fifo = s.path("report.pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .output()
        .is_ok_and(|o| o.status.success());
    if !made {
        support::skip("mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = s.run(&["check", "plans/a.yaml", "--format", "json=report.pipe"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = reader.join().unwrap();
    assert!(report.contains("\"summary\""), "{report}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// `report-replaces-device.sh`: `sarif=stdout` where `stdout` links to `/proc/self/fd/1`
/// prints the report, and `/dev/stdout` does the same.
#[test]
fn descriptor_paths_are_the_process_streams() {
    if !Path::new("/proc/self/fd").is_dir() {
        support::skip("no /proc/self/fd here");
        return;
    }
    let s = Scratch::new();
    symlink("/proc/self/fd/1", s.path("stdout")).unwrap();
    for target in ["stdout", "/dev/stdout"] {
        let out = s.run(&[
            "check",
            "plans/a.yaml",
            "--format",
            "concise",
            "--format",
            &format!("sarif={target}"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        // The concise summary first, then the SARIF, in the order asked.
        assert!(stdout.starts_with("1 file checked"), "{stdout}");
        assert!(stdout.contains("\"version\": \"2.1.0\""), "{stdout}");
    }
    let link = fs::symlink_metadata(s.path("stdout")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
}

/// A symbolic link to a report file stays a link; the file it leads to gets the report, made
/// with its directories when they do not exist yet.
#[test]
fn symbolic_links_are_followed() {
    let s = Scratch::new();
    symlink("reports/real.json", s.path("report.json")).unwrap();
    symlink("reports/base.json", s.path("base.json")).unwrap();
    let out = s.run(&["check", "plans/a.yaml", "--format", "json=report.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        fs::read_to_string(s.path("reports/real.json"))
            .unwrap()
            .contains("\"summary\"")
    );
    let out = s.run(&["check", "plans/a.yaml", "--write-baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        fs::read_to_string(s.path("reports/base.json"))
            .unwrap()
            .contains("\"version\"")
    );
    for link in ["report.json", "base.json"] {
        assert!(
            fs::symlink_metadata(s.path(link))
                .unwrap()
                .file_type()
                .is_symlink(),
            "{link} was replaced by a file"
        );
    }
    // A report over an existing regular file replaces it, as before.
    let out = s.run(&["check", "plans/a.yaml", "--format", "sarif=report.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        fs::read_to_string(s.path("reports/real.json"))
            .unwrap()
            .contains("2.1.0")
    );
}

/// `report-replaces-device.sh`: `--format sarif=plans/a.yaml` overwrote the plan it checked.
/// Any input of the run, by any name or link, is refused before anything is written.
#[test]
fn inputs_of_the_run_are_never_overwritten() {
    let s = Scratch::new();
    fs::write(s.path("odoo-order.yaml"), "rules:\n  OO203: allow\n").unwrap();
    fs::write(s.path("base.json"), "{\"version\": 1, \"entries\": []}\n").unwrap();
    fs::hard_link(s.path("plans/a.yaml"), s.path("hard.yaml")).unwrap();
    symlink("plans/a.yaml", s.path("soft.yaml")).unwrap();
    let cases: [&[&str]; 7] = [
        &["check", "plans/a.yaml", "--format", "sarif=plans/a.yaml"],
        &["check", "plans", "--format", "json=./plans/../plans/a.yaml"],
        &["check", "plans/a.yaml", "--format", "json=hard.yaml"],
        &["check", "plans/a.yaml", "--format", "json=soft.yaml"],
        &["check", "plans/a.yaml", "--format", "junit=odoo-order.yaml"],
        &["check", "plans/a.yaml", "--write-baseline", "plans/a.yaml"],
        &[
            "check",
            "plans/a.yaml",
            "--baseline",
            "base.json",
            "--format",
            "json=base.json",
        ],
    ];
    for args in cases {
        let out = s.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains("not writing over"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing is reported");
    }
    assert_eq!(fs::read_to_string(s.path("plans/a.yaml")).unwrap(), PLAN);
    assert!(
        fs::read_to_string(s.path("odoo-order.yaml"))
            .unwrap()
            .starts_with("rules:")
    );
    assert!(
        fs::read_to_string(s.path("base.json"))
            .unwrap()
            .contains("\"entries\": []")
    );
    // Reading the configuration from /dev/null and writing a report there is fine.
    let out = s.run(&[
        "check",
        "plans/a.yaml",
        "--config",
        "/dev/null",
        "--format",
        "json=/dev/null",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// Two outputs naming one file would lose the first report.
#[test]
fn two_outputs_cannot_share_a_file() {
    let s = Scratch::new();
    symlink("out.json", s.path("alias.json")).unwrap();
    let out = s.run(&[
        "check",
        "plans/a.yaml",
        "--format",
        "json=out.json",
        "--format",
        "sarif=alias.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("named by two outputs"),
        "{}",
        text(&out.stderr)
    );
    assert!(!s.path("out.json").exists());
}

/// A directory cannot take a report.
#[test]
fn a_directory_is_an_error() {
    let s = Scratch::new();
    let out = s.run(&["check", "plans/a.yaml", "--format", "json=plans"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("directory"),
        "{}",
        text(&out.stderr)
    );
}
