//! What the distribution tests share: the wheel `.ci/run` built, a fresh virtual environment
//! with it installed, and a `PATH` with no Rust toolchain on it, so that a test proves the
//! wheel alone is enough.
//!
//! The wheel is `target/wheels/odoo_order-<version>-*.whl` (or under `ODOO_ORDER_WHEELS`);
//! `.ci/run` builds it with `maturin build --release --out target/wheels`. Without it the test
//! is skipped with a note, unless `CI` is set: then it fails (`support::skip`; each test file
//! that has `mod dist;` also has `mod support;`).

// Each test file uses some of these; a panic is how a test fails; the skip note is the point.
#![allow(dead_code, clippy::panic, clippy::unwrap_used)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The version every distribution artifact carries: Cargo.toml's, the one place it is written.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The folder of wheels `.ci/run` builds (also where pip finds them).
pub fn wheel_dir() -> PathBuf {
    std::env::var_os("ODOO_ORDER_WHEELS")
        .map_or_else(|| root().join("target/wheels"), PathBuf::from)
}

/// The folder of the wheels pip needs to build a pre-commit mirror offline (setuptools);
/// `.ci/run` downloads them.
pub fn build_deps_dir() -> PathBuf {
    wheel_dir().join("build-deps")
}

/// The wheel of this version, or `None` (after a note) when it has not been built or is older
/// than the sources it is built from (a test of it would test old code); panics under CI, where
/// `.ci/run` builds it first.
pub fn wheel() -> Option<PathBuf> {
    let prefix = format!("odoo_order-{VERSION}-");
    let found = std::fs::read_dir(wheel_dir()).ok().and_then(|entries| {
        entries.filter_map(Result::ok).map(|e| e.path()).find(|p| {
            p.extension().is_some_and(|e| e == "whl")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix))
        })
    });
    let what = format!(
        "the wheel {prefix}*.whl in {} (`maturin build --release --out target/wheels`)",
        wheel_dir().display()
    );
    let problem = match &found {
        None => "is not built here",
        Some(wheel) if modified(wheel) < newest_source() => "is older than the sources",
        Some(_) => return found,
    };
    crate::support::skip(&format!("{what} {problem}"));
    None
}

fn modified(path: &Path) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
}

/// When the newest file the wheel is built from was changed.
fn newest_source() -> std::time::SystemTime {
    let mut newest = std::time::SystemTime::UNIX_EPOCH;
    let mut todo: Vec<PathBuf> = [
        "src",
        "rules",
        "build.rs",
        "Cargo.toml",
        "Cargo.lock",
        "pyproject.toml",
    ]
    .iter()
    .map(|p| root().join(p))
    .collect();
    while let Some(path) = todo.pop() {
        if path.is_dir() {
            todo.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            newest = newest.max(modified(&path));
        }
    }
    newest
}

/// Whether the wheels pip needs to build a pre-commit mirror offline are there (setuptools,
/// which pip asks for a `pyproject.toml` without a build backend); like [`wheel`], a note or
/// (under CI) a panic when they are not.
pub fn build_deps() -> bool {
    let found = std::fs::read_dir(build_deps_dir()).is_ok_and(|entries| {
        entries.filter_map(Result::ok).map(|e| e.path()).any(|p| {
            p.extension().is_some_and(|e| e == "whl")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("setuptools-"))
        })
    });
    if !found {
        let what = format!(
            "a setuptools wheel in {} (`pip download --no-deps --only-binary=:all: --dest {0} setuptools`)",
            build_deps_dir().display()
        );
        crate::support::skip(&format!("{what} is not here"));
    }
    found
}

/// `PATH` without any folder that holds a Rust toolchain (`cargo`, `rustc`, `rustup`), with
/// `first` in front.
pub fn path_without_rust(first: &[&Path]) -> OsString {
    let current = std::env::var_os("PATH").unwrap_or_default();
    let kept = std::env::split_paths(&current).filter(|dir| {
        !["cargo", "rustc", "rustup"]
            .iter()
            .any(|tool| dir.join(tool).exists())
    });
    std::env::join_paths(first.iter().map(|p| p.to_path_buf()).chain(kept)).unwrap()
}

/// A command that sees no Rust toolchain: `PATH` from [`path_without_rust`] and none of the
/// variables cargo sets for the tests it runs. Checks that `cargo` is really out of reach.
pub fn without_rust(program: impl AsRef<std::ffi::OsStr>, path: &OsString) -> Command {
    let mut cmd = Command::new(program);
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO") || key.starts_with("RUSTUP") || key.starts_with("RUSTC") {
            cmd.env_remove(&*key);
        }
    }
    cmd.env("PATH", path);
    let probe = Command::new("sh")
        .args(["-c", "command -v cargo || command -v rustc"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        !probe.status.success(),
        "a Rust toolchain is still on PATH: {}",
        String::from_utf8_lossy(&probe.stdout)
    );
    cmd
}

/// A fresh virtual environment in `dir` with the wheel installed from `wheel_dir()` alone (no
/// index); returns its scripts folder.
pub fn venv_with_wheel(dir: &Path) -> PathBuf {
    let venv = dir.join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    let bin = venv.join("bin");
    run(Command::new(bin.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--no-index", "--find-links"])
        .arg(wheel_dir())
        .arg(format!("odoo-order=={VERSION}")));
    bin
}

/// Runs a command that must succeed; returns its standard output and error.
pub fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", cmd.get_program().display()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}
