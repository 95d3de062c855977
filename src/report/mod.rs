//! Every renderer, and the only code that writes to stdout or stderr.
//!
//! Renderers build strings (so tests can compare them); [`Printer`] writes them. Output is
//! deterministic: files in the order they were given, findings sorted by position and code.

pub mod concise;
pub(crate) mod escape;
pub mod fix;
pub mod github;
pub mod gitlab;
pub mod graph;
pub mod human;
pub mod installs;
pub mod json;
pub mod junit;
pub(crate) mod modules;
pub mod rules;
pub mod sarif;
pub(crate) mod settings;
pub mod snippet;
pub mod style;
pub mod why;

use std::io::{IsTerminal, Write};
use std::sync::OnceLock;

use crate::error::{Error, InvalidFile};

// The run's result model lives below the renderers, in [`crate::outcome`]; the renderers and
// their callers name it from here too, as they name every other input of a report.
pub use crate::outcome::{CheckRun, FileResult, StaleBaseline, Summary, fixable};

/// The line under the summary when some findings can be repaired, as ruff says it; the
/// reports mark those findings with `[*]`.
pub fn fixable_line(s: &Summary) -> Option<String> {
    (s.fixable > 0).then(|| {
        format!(
            "[*] {} of them can be fixed with `odoo-order fix`",
            s.fixable
        )
    })
}

/// The summary line, and the fixable line when there is one, each ending in a newline.
pub fn summary_lines(s: &Summary) -> String {
    let mut text = summary_line(s);
    text.push('\n');
    if let Some(line) = fixable_line(s) {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// `--statistics`: the count of each rule's findings, most frequent first, ruff's way:
/// `  12  OO101  unknown-module  [*]` (the mark when `fix` can repair that rule's errors).
pub fn statistics(run: &CheckRun) -> String {
    let mut counts: std::collections::BTreeMap<(&str, &str), (usize, bool)> =
        std::collections::BTreeMap::new();
    for (_, findings) in run.reported() {
        for f in findings {
            let entry = counts.entry((f.code, f.rule)).or_default();
            entry.0 += 1;
            entry.1 |= fixable(f);
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    let wide = rows.first().map_or(1, |(_, (n, _))| n.to_string().len());
    let mut out = String::new();
    for ((code, rule), (n, fix)) in rows {
        let mark = if fix { "  [*]" } else { "" };
        out.push_str(&format!("{n:>wide$}  {code}  {rule}{mark}\n"));
    }
    out
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What `--write-baseline` recorded.
pub fn baseline_written(path: &str, written: crate::baseline::Written) -> String {
    format!(
        "wrote {} ({}) to {}\n",
        plural(written.entries, "entry", "entries"),
        plural(written.findings, "finding", "findings"),
        escape::escape(path),
    )
}

/// The summary line: `2 files checked: 1 error, 0 warnings, 3 infos (1 waived)`.
pub fn summary_line(s: &Summary) -> String {
    let mut line = format!(
        "{} checked: {}, {}, {}",
        plural(s.files - s.failed, "file", "files"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos"),
    );
    match (s.waived, s.baselined) {
        (0, 0) => {}
        (w, 0) => line.push_str(&format!(" ({w} waived)")),
        (0, b) => line.push_str(&format!(" ({b} in the baseline)")),
        (w, b) => line.push_str(&format!(" ({w} waived, {b} in the baseline)")),
    }
    if s.failed > 0 {
        line.push_str(&format!(
            "; {} could not be checked",
            plural(s.failed, "file", "files")
        ));
    }
    line
}

/// The problems of a hard failure as (file, problem) pairs, for the machine formats.
pub fn invalid_file(err: &Error) -> Option<&InvalidFile> {
    match err {
        Error::Invalid(inv) => Some(inv),
        _ => None,
    }
}

/// Any serialisable view as pretty-printed JSON with a trailing newline.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// The first error writing standard output in this process.
static STDOUT_ERROR: OnceLock<std::io::Error> = OnceLock::new();

/// Whether standard output was closed when the process started (`odoo-order check >&-`).
///
/// Rust's runtime opens `/dev/null` read-write in place of a closed standard descriptor, so
/// writes to it succeed and the report would vanish with exit code 0. A shell's `> /dev/null`
/// opens it write-only; a daemon that detaches its children points standard input at the same
/// read-write `/dev/null`, and is not taken for a closed output.
fn stdout_was_closed() -> bool {
    static CLOSED: OnceLock<bool> = OnceLock::new();
    *CLOSED.get_or_init(|| null_read_write(1) && !null_read_write(0))
}

/// Whether descriptor `fd` is `/dev/null` opened read-write (Linux; elsewhere never known).
fn null_read_write(fd: u8) -> bool {
    let is_null = std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
    is_null
        && std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}"))
            .ok()
            .and_then(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("flags:"))
                    .and_then(|flags| u32::from_str_radix(flags.trim(), 8).ok())
            })
            .is_some_and(|flags| flags & 0o3 == 0o2)
}

/// The exit code once a command is done: a failure to write standard output (a full disk, a
/// closed descriptor) loses the report, so it is an I/O error (exit 2) with a message. A
/// broken pipe (`odoo-order check | head`) means the reader has seen enough: as ripgrep does,
/// it is not reported, and the command's own exit code stands.
pub fn finish(code: u8) -> u8 {
    let Some(err) = STDOUT_ERROR.get() else {
        return code;
    };
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        return code;
    }
    let error = Error::Write {
        path: std::path::PathBuf::from("<stdout>"),
        // `io::Error` is not `Clone`; its kind and text are what the message needs.
        source: std::io::Error::new(err.kind(), err.to_string()),
    };
    Printer {
        color: false,
        color_err: false,
        width: DEFAULT_WIDTH,
    }
    .error(&error);
    crate::commands::EXIT_ERROR
}

/// The width when neither stream is a terminal and `COLUMNS` is unset: what a CI log or a
/// pager shows without wrapping.
pub const DEFAULT_WIDTH: usize = 80;

/// Whether to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour a stream that is a terminal; `NO_COLOR` turns colour off, `FORCE_COLOR` and
    /// `CLICOLOR_FORCE` turn it on.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Writes rendered output. Holding the locks keeps a run's output in one piece.
#[derive(Debug)]
pub struct Printer {
    color: bool,
    color_err: bool,
    width: usize,
}

impl Printer {
    /// A printer for this process's terminal: colour decided for standard output and standard
    /// error each, the width read from the terminal.
    pub fn new(choice: ColorChoice) -> Self {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let asked = ColorEnv {
            no_color: env("NO_COLOR").is_some(),
            force: env("FORCE_COLOR").is_some_and(|v| v != "0" && v != "false")
                || env("CLICOLOR_FORCE").is_some_and(|v| v != "0"),
            clicolor_off: env("CLICOLOR").is_some_and(|v| v == "0"),
        };
        let color = |terminal: bool| color_for(choice, terminal, asked);
        Self {
            color: color(std::io::stdout().is_terminal()),
            color_err: color(std::io::stderr().is_terminal()),
            width: width(
                terminal_size::terminal_size_of(std::io::stdout())
                    .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
                    .map(|(w, _)| usize::from(w.0)),
                std::env::var("COLUMNS").ok().as_deref(),
            ),
        }
    }

    /// Whether standard output is coloured.
    pub fn color(&self) -> bool {
        self.color
    }

    /// Whether standard error is coloured.
    pub fn color_err(&self) -> bool {
        self.color_err
    }

    /// The width human output wraps at.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Writes to standard output. The first failure is kept for [`finish`], which turns it
    /// into the exit code, and nothing more is written after it.
    #[allow(clippy::unused_self)] // a method so that every write goes through the printer
    pub fn out(&self, text: &str) {
        if STDOUT_ERROR.get().is_some() || text.is_empty() {
            return;
        }
        let written = if stdout_was_closed() {
            Err(std::io::Error::other("standard output is closed"))
        } else {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        };
        if let Err(err) = written {
            let _ = STDOUT_ERROR.set(err);
        }
    }

    /// Writes to standard error.
    #[allow(clippy::unused_self)] // a method so that every write goes through the printer
    pub fn err(&self, text: &str) {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// Writes a hard failure to standard error, rendered by miette.
    pub fn error(&self, err: &Error) {
        self.err(&human::render_error(err, self.color_err, self.width));
    }
}

/// Whether to colour a stream: `--color always|never` first; then `NO_COLOR`
/// (<https://no-color.org>), then `FORCE_COLOR` / `CLICOLOR_FORCE` (set job-wide in CI logs
/// that render colour), then `CLICOLOR=0`; else colour a terminal only.
fn color_for(choice: ColorChoice, terminal: bool, env: ColorEnv) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if env.no_color => false,
        ColorChoice::Auto if env.force => true,
        ColorChoice::Auto => terminal && !env.clicolor_off,
    }
}

/// What the environment says about colour.
#[derive(Debug, Clone, Copy, Default)]
#[allow(clippy::struct_excessive_bools)] // three independent conventions, read once
struct ColorEnv {
    /// `NO_COLOR` is set.
    no_color: bool,
    /// `FORCE_COLOR` or `CLICOLOR_FORCE` asks for colour.
    force: bool,
    /// `CLICOLOR=0`.
    clicolor_off: bool,
}

/// The width to wrap at: the terminal's, then `COLUMNS`, then [`DEFAULT_WIDTH`]. Too narrow a
/// width would leave no room for the excerpt's gutter.
fn width(terminal: Option<usize>, columns: Option<&str>) -> usize {
    terminal
        .filter(|w| *w > 0)
        .or_else(|| columns.and_then(|c| c.trim().parse().ok()))
        .unwrap_or(DEFAULT_WIDTH)
        .max(40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_the_flag_then_the_environment_then_the_stream() {
        use ColorChoice::{Always, Auto, Never};
        let env = |no_color, force, clicolor_off| ColorEnv {
            no_color,
            force,
            clicolor_off,
        };
        assert!(color_for(Always, false, env(true, false, false)));
        assert!(!color_for(Never, true, env(false, true, false)));
        assert!(
            !color_for(Auto, true, env(true, true, false)),
            "NO_COLOR wins"
        );
        assert!(
            color_for(Auto, false, env(false, true, false)),
            "forced in a log"
        );
        assert!(
            !color_for(Auto, true, env(false, false, true)),
            "CLICOLOR=0"
        );
        assert!(color_for(Auto, true, ColorEnv::default()));
        assert!(!color_for(Auto, false, ColorEnv::default()));
    }

    #[test]
    fn width_comes_from_the_terminal_then_columns_then_80() {
        assert_eq!(width(Some(120), Some("60")), 120);
        assert_eq!(width(None, Some("60")), 60);
        assert_eq!(width(None, Some("wide")), 80);
        assert_eq!(width(None, None), 80);
        assert_eq!(width(None, Some("10")), 40);
    }
}
