//! Where a report or a baseline goes (`--format FMT=FILE`, `--write-baseline FILE`), and how
//! it is written there without replacing what the path names.
//!
//! A regular file is replaced atomically ([`crate::atomic::write`]), so a reader never sees
//! half a report. Everything else is written through, never replaced: renaming a temporary
//! file over `/dev/null` or `/dev/stdout`, as root in a CI container, put a regular file where
//! the device or the symbolic link was (issue 9, item 4). So the path is resolved first:
//!
//! - symbolic links are followed, and the file they lead to is written (the link stays);
//! - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` are the process's own
//!   descriptors: 1 and 2 go through the [`Printer`] with the rest of the output, others are
//!   opened and appended to;
//! - devices, FIFOs and sockets are opened and written, as `tee` would;
//! - a regular file that this run reads (a plan, a configuration, a rules file, the
//!   baseline), by any name or hard link, is refused before any work is done: a report written
//!   over `plans/a.yaml` would destroy the plan.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::paths;
use crate::report::Printer;

/// Symbolic links followed before giving up, as the kernel does (`ELOOP` after 40).
const MAX_LINKS: usize = 40;

/// Where a path leads, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// This process's standard output.
    Stdout,
    /// This process's standard error.
    Stderr,
    /// A device, FIFO, socket or other open descriptor: opened and written through.
    Through(PathBuf),
    /// A regular file, or none yet: replaced atomically. The path is the one the symbolic
    /// links lead to.
    File(PathBuf),
}

impl Destination {
    /// Follows `path` to what it names. A directory, a link loop or an unreadable path is an
    /// error; a path that does not exist yet is a [`Destination::File`] to create.
    pub fn resolve(path: &Path) -> Result<Self, Error> {
        let fail = |source: io::Error| Error::Write {
            path: path.to_path_buf(),
            source,
        };
        let mut current = paths::absolute(path);
        for _ in 0..MAX_LINKS {
            current = canonical_parent(&current);
            if let Some(fd) = descriptor(&current) {
                return Ok(match fd {
                    1 => Self::Stdout,
                    2 => Self::Stderr,
                    _ => Self::Through(current),
                });
            }
            let meta = match fs::symlink_metadata(&current) {
                Ok(meta) => meta,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::File(current)),
                Err(e) => return Err(fail(e)),
            };
            let kind = meta.file_type();
            if kind.is_symlink() {
                let target = fs::read_link(&current).map_err(fail)?;
                current = current
                    .parent()
                    .map_or_else(|| target.clone(), |dir| dir.join(&target));
            } else if kind.is_dir() {
                return Err(fail(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "it is a directory",
                )));
            } else if kind.is_file() {
                return Ok(Self::File(current));
            } else {
                return Ok(Self::Through(current));
            }
        }
        Err(fail(io::Error::other("too many levels of symbolic links")))
    }

    /// Writes `bytes` there: standard output and error through the printer, a regular file
    /// atomically, anything else through an ordinary open.
    pub fn write(&self, requested: &Path, bytes: &[u8], printer: &Printer) -> Result<(), Error> {
        match self {
            Self::Stdout => {
                printer.out(&String::from_utf8_lossy(bytes));
                Ok(())
            }
            Self::Stderr => {
                printer.err(&String::from_utf8_lossy(bytes));
                Ok(())
            }
            Self::File(target) => crate::atomic::write(target, bytes),
            Self::Through(target) => OpenOptions::new()
                .append(true)
                .open(target)
                .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()))
                .map_err(|source| Error::Write {
                    path: requested.to_path_buf(),
                    source,
                }),
        }
    }

    /// The directory relative paths written into the output start from: the file's own for a
    /// file (as a baseline is read back), the current directory for a stream.
    pub fn base_dir(&self, requested: &Path) -> PathBuf {
        match self {
            Self::File(_) => paths::absolute(requested)
                .parent()
                .map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
            _ => std::env::current_dir().unwrap_or_default(),
        }
    }
}

/// `path` with its directory resolved through symbolic links, when it exists: a link in a
/// directory name (`/dev/fd` → `/proc/self/fd`) must not hide where the file is.
fn canonical_parent(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => {
            fs::canonicalize(dir).map_or_else(|_| path.to_path_buf(), |d| d.join(name))
        }
        _ => path.to_path_buf(),
    }
}

/// The descriptor number a path names: `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
/// `/proc/self/fd/N`, `/proc/thread-self/fd/N`, `/proc/<our pid>/fd/N` or
/// `/proc/<our pid>/task/<tid>/fd/N`. These are links to whatever the descriptor is open on
/// (`pipe:[123]` for a pipe); following them would lose it.
fn descriptor(path: &Path) -> Option<u32> {
    let parts: Vec<&str> = path.iter().filter_map(|p| p.to_str()).collect();
    let pid = std::process::id().to_string();
    let ours = |p: &str| p == "self" || p == "thread-self" || p == pid;
    match parts.as_slice() {
        ["/", "dev", "stdout"] => Some(1),
        ["/", "dev", "stderr"] => Some(2),
        ["/", "dev", "fd", n] => n.parse().ok(),
        ["/", "proc", p, "fd", n] if ours(p) => n.parse().ok(),
        ["/", "proc", p, "task", _, "fd", n] if ours(p) => n.parse().ok(),
        _ => None,
    }
}

/// The files a run reads, by identity, so that no output is written over one of them.
#[derive(Debug, Default)]
pub struct Inputs {
    files: Vec<(FileId, PathBuf, &'static str)>,
}

/// What makes two paths the same file: device and inode where there are such, else the
/// canonical path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))] // the fallback of systems without inodes
    Path(PathBuf),
}

fn file_id(path: &Path) -> Option<FileId> {
    let meta = fs::metadata(path).ok()?;
    if !meta.is_file() {
        // A device or FIFO read as input (`--config /dev/null`) may well be an output too.
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileId::Inode(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        fs::canonicalize(path).ok().map(FileId::Path)
    }
}

impl Inputs {
    /// No inputs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a file the run reads; `what` names it in the error (`a plan`).
    pub fn add(&mut self, path: &Path, what: &'static str) {
        if let Some(id) = file_id(path) {
            self.files.push((id, path.to_path_buf(), what));
        }
    }

    /// Refuses a destination that is one of the inputs.
    pub fn check(&self, requested: &Path, destination: &Destination) -> Result<(), Error> {
        let Destination::File(target) = destination else {
            return Ok(());
        };
        let Some(id) = file_id(target) else {
            return Ok(());
        };
        let Some((_, input, what)) = self.files.iter().find(|(input, ..)| *input == id) else {
            return Ok(());
        };
        let (requested, input) = (paths::display(requested), paths::display(input));
        // Through a link or another spelling, say which input it is.
        let alias = if input == requested {
            String::new()
        } else {
            format!(" as `{input}`")
        };
        Err(Error::usage(
            format!("not writing over `{requested}`: it is {what} this run reads{alias}"),
            Some("name another file for the output".to_owned()),
        ))
    }
}

/// Resolves the destinations of a run's outputs and refuses any that would overwrite an input
/// or another output of the same run. Returns them in the order given.
pub fn destinations(requested: &[&Path], inputs: &Inputs) -> Result<Vec<Destination>, Error> {
    let mut out: Vec<Destination> = Vec::with_capacity(requested.len());
    for path in requested {
        let destination = Destination::resolve(path)?;
        inputs.check(path, &destination)?;
        if let Destination::File(target) = &destination
            && out.contains(&destination)
        {
            return Err(Error::usage(
                format!(
                    "`{}` is named by two outputs; the second would replace the first",
                    paths::display(target)
                ),
                Some("give each `--format` its own file".to_owned()),
            ));
        }
        out.push(destination);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_are_recognised_by_name() {
        assert_eq!(descriptor(Path::new("/dev/stdout")), Some(1));
        assert_eq!(descriptor(Path::new("/dev/fd/2")), Some(2));
        assert_eq!(descriptor(Path::new("/proc/self/fd/7")), Some(7));
        let own = format!("/proc/{}/fd/1", std::process::id());
        assert_eq!(descriptor(Path::new(&own)), Some(1));
        assert_eq!(descriptor(Path::new("/proc/1/fd/1")), None, "not ours");
        assert_eq!(descriptor(Path::new("/tmp/fd/1")), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_and_links_are_resolved_not_replaced() {
        assert_eq!(
            Destination::resolve(Path::new("/dev/stdout")).unwrap(),
            Destination::Stdout
        );
        assert_eq!(
            Destination::resolve(Path::new("/dev/null")).unwrap(),
            Destination::Through(PathBuf::from("/dev/null"))
        );
        let dir = tempfile::tempdir().unwrap();
        let dir = fs::canonicalize(dir.path()).unwrap();
        let target = dir.join("reports/out.json");
        std::os::unix::fs::symlink("reports/out.json", dir.join("link.json")).unwrap();
        assert_eq!(
            Destination::resolve(&dir.join("link.json")).unwrap(),
            Destination::File(target)
        );
        std::os::unix::fs::symlink("loop", dir.join("loop")).unwrap();
        assert!(Destination::resolve(&dir.join("loop")).is_err());
        assert!(Destination::resolve(&dir).is_err(), "a directory");
    }
}
