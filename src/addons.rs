//! Finds the modules on an Odoo addons path and reads their manifests, as Odoo would.
//!
//! An addons path is a list of directories; each subdirectory holding a `__manifest__.py` is
//! a module named after the subdirectory. When two directories hold a module of the same name,
//! the first in the list wins and the later one is ignored, as Odoo's `get_module_path` does.
//! Nothing here panics: every failure becomes a [`ScanProblem`] and the scan goes on.

use std::collections::HashMap;
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

use crate::manifest::{Manifest, ManifestError};
use crate::read::{self, ReadError};

/// Manifest file names, in the order Odoo 17.0 looks for them (`MANIFEST_NAMES` in
/// `odoo/modules/module.py`). Odoo 17.0 still loads `__openerp__.py`, with a deprecation
/// warning, when there is no `__manifest__.py`.
pub const MANIFEST_NAMES: [&str; 2] = ["__manifest__.py", "__openerp__.py"];

/// Below this many candidate directories per thread, another thread costs more than it
/// saves. On the shared corpus (853 modules, 2 cores) two threads take the scan from 9.0 ms
/// to 5.6 ms, close to the 4.9 ms it takes one thread only to read the files.
const MIN_PER_THREAD: usize = 64;

/// A module found on the addons path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedAddon {
    /// The module's technical name: its directory's name.
    pub name: String,
    /// The manifest file it was read from.
    pub path: PathBuf,
    /// The manifest's fields.
    pub manifest: Manifest,
}

/// Something that kept part of the addons path from being read. The scan reports it and goes
/// on with the rest.
#[derive(Debug, thiserror::Error)]
pub enum ScanProblem {
    /// An addons path entry that does not exist or is not a directory.
    #[error("addons path `{}` does not exist or is not a directory", path.display())]
    MissingPath {
        /// The entry as given.
        path: PathBuf,
    },
    /// A directory or manifest that exists but could not be read.
    #[error("cannot read `{}`: {error}", path.display())]
    Unreadable {
        /// The directory or file.
        path: PathBuf,
        /// Why.
        #[source]
        error: io::Error,
    },
    /// A module directory whose name is not valid UTF-8, so it cannot be a module name.
    #[error("`{}` is not a valid module name (not UTF-8)", path.display())]
    InvalidName {
        /// The directory.
        path: PathBuf,
    },
    /// A manifest that is not a valid Python literal or has a field of the wrong type.
    #[error("{}:{}:{}: {}", path.display(), error.line, error.column, error.message)]
    Parse {
        /// The manifest file.
        path: PathBuf,
        /// Its contents (invalid UTF-8 replaced), for showing the error in context.
        text: String,
        /// What is wrong and where.
        #[source]
        error: ManifestError,
    },
    /// A manifest reached through a symbolic link that leaves the addons directory, and that
    /// is not a valid manifest. Its text is never kept or shown: the link may point at a
    /// secret such as `/proc/self/environ` (issue 9), so only the position is reported.
    #[error(
        "{}:{line}:{column}: not a valid manifest (its text is not shown: it lies outside the addons directory)",
        path.display()
    )]
    Hidden {
        /// The manifest file, as found in the addons directory.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// A module whose name an earlier addons path entry already provides: Odoo ignores it.
    #[error(
        "module `{name}` at `{}` is ignored: `{}` comes earlier in the addons path",
        path.display(),
        first.display()
    )]
    Duplicate {
        /// The module name.
        name: String,
        /// The ignored manifest.
        path: PathBuf,
        /// The manifest Odoo uses instead.
        first: PathBuf,
    },
}

impl ScanProblem {
    /// The file or directory the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            ScanProblem::MissingPath { path }
            | ScanProblem::Unreadable { path, .. }
            | ScanProblem::InvalidName { path }
            | ScanProblem::Parse { path, .. }
            | ScanProblem::Hidden { path, .. }
            | ScanProblem::Duplicate { path, .. } => path,
        }
    }
}

/// Why `dir` is not an addons directory and where the addons directories below it are, for
/// the `help` of an `addons_path` entry or `--addons-path` value that holds no module (most
/// often the parent of the `odoo/` and OCA checkouts). `flag` names how paths are given.
pub fn not_addons_dir_help(dir: &Path, several: &str) -> String {
    let below = addons_dirs_below(dir, 4);
    let mut help = "an addons directory is a folder whose subfolders hold `__manifest__.py` \
                    files (one module each)"
        .to_owned();
    if !below.is_empty() {
        // One path a word, so that the list wraps between them.
        let names: Vec<String> = below
            .iter()
            .map(|p| format!("`{}`", crate::paths::display(p)))
            .collect();
        help.push_str(&format!("; did you mean {}? ({several})", names.join(", ")));
    }
    help
}

/// Whether `dir` is an addons directory as Odoo checks one: a subdirectory holds a manifest.
/// Stops at the first module found.
pub fn holds_modules(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let module = entry.path();
            // Any entry by a manifest's name counts, a broken link too: the scan reports what
            // is wrong with it, which says more than "no module".
            module.is_dir()
                && MANIFEST_NAMES
                    .iter()
                    .any(|m| fs::symlink_metadata(module.join(m)).is_ok())
        })
    })
}

/// The addons directories up to two levels below `dir` (`odoo/addons`, `oca/account-*`),
/// sorted, at most `limit`: what a user who named the parent of their checkouts meant.
pub fn addons_dirs_below(dir: &Path, limit: usize) -> Vec<PathBuf> {
    let subdirs = |dir: &Path| -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.is_dir()
                            && !p
                                .file_name()
                                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                    })
                    .collect()
            })
            .unwrap_or_default();
        dirs.sort();
        dirs
    };
    let mut found = Vec::new();
    for child in subdirs(dir) {
        if holds_modules(&child) {
            found.push(child);
        } else {
            found.extend(subdirs(&child).into_iter().filter(|d| holds_modules(d)));
        }
        if found.len() >= limit {
            break;
        }
    }
    found.truncate(limit);
    found
}

/// What [`scan`] found.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// Every module Odoo would see, sorted by name, one per name.
    pub addons: Vec<ScannedAddon>,
    /// What could not be read, in addons path order.
    pub problems: Vec<ScanProblem>,
}

/// A subdirectory of an addons path that may hold a module.
struct Candidate {
    /// The directory name (lossy when it is not UTF-8).
    name: String,
    valid_name: bool,
    dir: PathBuf,
    /// The addons path entry it was listed from.
    root: usize,
}

/// What reading one candidate gave.
enum Outcome {
    /// No manifest: an ordinary directory, not a module.
    NotModule,
    /// A module, read and parsed.
    Module(PathBuf, Manifest),
    /// A module whose manifest could not be read or parsed. It still takes its name, since
    /// Odoo would pick it (and fail on it) before any later directory of the same name.
    Broken(ScanProblem),
}

/// Scans `paths` in order and reads every module's manifest.
///
/// Repeated paths are read once, as Odoo does. Reading and parsing are spread over the
/// available cores when there are enough modules to pay for the threads.
pub fn scan(paths: &[PathBuf]) -> ScanResult {
    let mut problems = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen_paths: Vec<PathBuf> = Vec::with_capacity(paths.len());
    // Where each path's candidates end in `candidates`, so that problems keep path order.
    let mut path_ends: Vec<(usize, Vec<ScanProblem>)> = Vec::with_capacity(paths.len());
    for path in paths {
        let normal = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        if seen_paths.contains(&normal) {
            continue;
        }
        seen_paths.push(normal);
        let mut path_problems = Vec::new();
        list(
            path,
            seen_paths.len() - 1,
            &mut candidates,
            &mut path_problems,
        );
        path_ends.push((candidates.len(), path_problems));
    }

    let outcomes = read_all(&candidates, &seen_paths);

    let mut addons: Vec<ScannedAddon> = Vec::with_capacity(candidates.len());
    let mut first_of: HashMap<String, PathBuf> = HashMap::with_capacity(candidates.len());
    let mut read = candidates.into_iter().zip(outcomes);
    let mut start = 0;
    for (end, path_problems) in path_ends {
        problems.extend(path_problems);
        let mut in_this_path = Vec::new();
        for (candidate, outcome) in read.by_ref().take(end.saturating_sub(start)) {
            let manifest_path = match &outcome {
                Outcome::NotModule => continue,
                Outcome::Module(path, _) => path.clone(),
                Outcome::Broken(problem) => problem.path().to_path_buf(),
            };
            if let Some(first) = first_of.get(&candidate.name) {
                let problem = ScanProblem::Duplicate {
                    name: candidate.name.clone(),
                    path: manifest_path,
                    first: first.clone(),
                };
                in_this_path.push((candidate.name, problem));
                continue;
            }
            first_of.insert(candidate.name.clone(), manifest_path);
            match outcome {
                Outcome::Module(path, manifest) => addons.push(ScannedAddon {
                    name: candidate.name,
                    path,
                    manifest,
                }),
                Outcome::Broken(problem) => in_this_path.push((candidate.name, problem)),
                Outcome::NotModule => {}
            }
        }
        // Directory listing order is the file system's; sort to keep reports stable.
        in_this_path.sort_by(|a, b| a.0.cmp(&b.0));
        problems.extend(in_this_path.into_iter().map(|(_, problem)| problem));
        start = end;
    }
    addons.sort_unstable_by(|a, b| a.name.cmp(&b.name));
    ScanResult { addons, problems }
}

/// Adds the subdirectories of one addons path entry to `candidates`.
fn list(
    path: &Path,
    root: usize,
    candidates: &mut Vec<Candidate>,
    problems: &mut Vec<ScanProblem>,
) {
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            problems.push(ScanProblem::MissingPath {
                path: path.to_path_buf(),
            });
            return;
        }
        Err(error) => {
            problems.push(ScanProblem::Unreadable {
                path: path.to_path_buf(),
                error,
            });
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(ScanProblem::Unreadable {
                    path: path.to_path_buf(),
                    error,
                });
                continue;
            }
        };
        // The listing says which entries are plain files without a `stat` per entry; a
        // symbolic link may point to a directory, so it stays.
        if entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let (name, valid_name) = match entry.file_name().into_string() {
            Ok(name) => (name, true),
            Err(name) => (name.to_string_lossy().into_owned(), false),
        };
        candidates.push(Candidate {
            name,
            valid_name,
            dir: entry.path(),
            root,
        });
    }
}

/// Reads every candidate, on as many threads as pay off; outcomes are in candidate order.
/// `roots` are the addons path entries the candidates were listed from.
fn read_all(candidates: &[Candidate], roots: &[PathBuf]) -> Vec<Outcome> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let threads = cores.min(candidates.len() / MIN_PER_THREAD).max(1);
    if threads == 1 {
        return read_chunk(candidates, roots);
    }
    let chunk_size = candidates.len().div_ceil(threads);
    let mut chunks = candidates.chunks(chunk_size);
    let first = chunks.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .map(|chunk| {
                let handle = std::thread::Builder::new()
                    .name("addons-scan".to_owned())
                    .spawn_scoped(scope, || read_chunk(chunk, roots));
                (chunk, handle)
            })
            .collect();
        let mut outcomes = read_chunk(first, roots);
        for (chunk, handle) in handles {
            match handle.map(std::thread::ScopedJoinHandle::join) {
                Ok(Ok(chunk_outcomes)) => outcomes.extend(chunk_outcomes),
                // The thread could not start: do its share here.
                Err(_) => outcomes.extend(read_chunk(chunk, roots)),
                // It panicked, which nothing in it should do; keep the scan going.
                Ok(Err(_)) => outcomes.extend(chunk.iter().map(|candidate| {
                    Outcome::Broken(ScanProblem::Unreadable {
                        path: candidate.dir.clone(),
                        error: io::Error::other("the reading thread failed"),
                    })
                })),
            }
        }
        outcomes
    })
}

fn read_chunk(chunk: &[Candidate], roots: &[PathBuf]) -> Vec<Outcome> {
    chunk
        .iter()
        .map(|candidate| read_one(candidate, roots))
        .collect()
}

fn read_one(candidate: &Candidate, roots: &[PathBuf]) -> Outcome {
    for file_name in MANIFEST_NAMES {
        let path = candidate.dir.join(file_name);
        let bytes = match read::read(&path, read::MANIFEST) {
            Ok(bytes) => bytes,
            // Odoo looks for a manifest with `os.path.isfile`: a directory, a FIFO, a device or
            // a dangling link is no manifest, and a FIFO would block the scan forever.
            Err(ReadError::NotRegular) => continue,
            Err(ReadError::Io(e))
                if matches!(
                    e.kind(),
                    ErrorKind::NotFound | ErrorKind::NotADirectory | ErrorKind::IsADirectory
                ) =>
            {
                continue;
            }
            Err(error) => {
                return Outcome::Broken(ScanProblem::Unreadable {
                    path,
                    error: error.into_io(),
                });
            }
        };
        if !candidate.valid_name {
            return Outcome::Broken(ScanProblem::InvalidName {
                path: candidate.dir.clone(),
            });
        }
        return match Manifest::from_bytes(&bytes) {
            Ok(manifest) => Outcome::Module(path, manifest),
            Err(error) if leaves(&path, roots.get(candidate.root)) => {
                Outcome::Broken(ScanProblem::Hidden {
                    path,
                    line: error.line,
                    column: error.column,
                })
            }
            Err(error) => Outcome::Broken(ScanProblem::Parse {
                path,
                text: String::from_utf8_lossy(&bytes).into_owned(),
                error,
            }),
        };
    }
    Outcome::NotModule
}

/// Whether a manifest's real location is outside its addons directory (or cannot be told).
///
/// Symbolic links are followed, as Odoo follows them: a directory of links into other
/// repositories is a common way to build an addons path. What such a link reaches is not part
/// of the tree under review, so when it does not parse its text is not shown. Asked only for
/// a manifest that failed to parse, so a valid tree costs no extra system call.
fn leaves(manifest: &Path, root: Option<&PathBuf>) -> bool {
    root.is_none_or(|root| read::leaves(manifest, root))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(test: &str) -> TempDir {
            let dir = std::env::temp_dir()
                .join(format!("odoo-order-addons-{}-{test}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        /// Writes `text` at `relative`, creating parent directories.
        fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn names(result: &ScanResult) -> Vec<&str> {
        result.addons.iter().map(|a| a.name.as_str()).collect()
    }

    #[test]
    fn addons_directories_are_told_from_their_parent() {
        let tmp = TempDir::new("parent");
        tmp.write("odoo/addons/sale/__manifest__.py", "{}");
        tmp.write("odoo/odoo-bin", "");
        tmp.write("oca/account-tools/account_x/__manifest__.py", "{}");
        tmp.write("custom/mod/__openerp__.py", "{}");
        assert!(!holds_modules(&tmp.0));
        assert!(holds_modules(&tmp.0.join("custom")));
        let below: Vec<PathBuf> = addons_dirs_below(&tmp.0, 5)
            .iter()
            .map(|p| p.strip_prefix(&tmp.0).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            below,
            [
                PathBuf::from("custom"),
                PathBuf::from("oca/account-tools"),
                PathBuf::from("odoo/addons")
            ]
        );
    }

    #[test]
    fn finds_modules_sorted_and_skips_everything_else() {
        let tmp = TempDir::new("basic");
        tmp.write(
            "a/sale/__manifest__.py",
            "{'name': 'Sales', 'depends': ['account']}",
        );
        tmp.write("a/account/__manifest__.py", "{'name': 'Invoicing'}");
        tmp.write("a/static/readme.txt", "not a module");
        tmp.write("a/README.md", "a file");
        fs::create_dir_all(tmp.0.join("a/weird/__manifest__.py")).unwrap();
        let result = scan(&[tmp.0.join("a")]);
        assert!(result.problems.is_empty(), "{:?}", result.problems);
        assert_eq!(names(&result), ["account", "sale"]);
        let sale = &result.addons[1];
        assert_eq!(sale.path, tmp.0.join("a/sale/__manifest__.py"));
        assert_eq!(sale.manifest.depends, ["account"]);
    }

    #[test]
    fn the_first_path_wins_and_the_later_module_is_reported() {
        let tmp = TempDir::new("duplicate");
        let first = tmp.write("custom/sale/__manifest__.py", "{'name': 'Patched sales'}");
        let later = tmp.write("odoo/sale/__manifest__.py", "{'name': 'Sales'}");
        tmp.write("odoo/stock/__manifest__.py", "{'name': 'Inventory'}");
        let result = scan(&[tmp.0.join("custom"), tmp.0.join("odoo")]);
        assert_eq!(names(&result), ["sale", "stock"]);
        assert_eq!(
            result.addons[0].manifest.name.as_deref(),
            Some("Patched sales")
        );
        match result.problems.as_slice() {
            [
                ScanProblem::Duplicate {
                    name,
                    path,
                    first: winner,
                },
            ] => {
                assert_eq!(name, "sale");
                assert_eq!(path, &later);
                assert_eq!(winner, &first);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            result.problems[0].to_string(),
            format!(
                "module `sale` at `{}` is ignored: `{}` comes earlier in the addons path",
                later.display(),
                first.display()
            )
        );
    }

    #[test]
    fn a_path_given_twice_is_read_once() {
        let tmp = TempDir::new("twice");
        tmp.write("a/sale/__manifest__.py", "{}");
        let result = scan(&[tmp.0.join("a"), tmp.0.join("a/."), tmp.0.join("a")]);
        assert_eq!(names(&result), ["sale"]);
        assert!(result.problems.is_empty(), "{:?}", result.problems);
    }

    #[test]
    fn missing_paths_are_reported_and_the_rest_is_scanned() {
        let tmp = TempDir::new("missing");
        let file = tmp.write("file.txt", "");
        tmp.write("a/sale/__manifest__.py", "{}");
        let result = scan(&[tmp.0.join("nope"), file.clone(), tmp.0.join("a")]);
        assert_eq!(names(&result), ["sale"]);
        let missing: Vec<&Path> = result.problems.iter().map(ScanProblem::path).collect();
        assert_eq!(missing, [tmp.0.join("nope").as_path(), file.as_path()]);
        assert!(matches!(
            result.problems[0],
            ScanProblem::MissingPath { .. }
        ));
        assert_eq!(
            result.problems[1].to_string(),
            format!(
                "addons path `{}` does not exist or is not a directory",
                file.display()
            )
        );
    }

    #[test]
    fn a_broken_manifest_is_reported_with_its_position_and_still_shadows() {
        let tmp = TempDir::new("broken");
        let broken = tmp.write("a/sale/__manifest__.py", "{\n    'depends': 'account',\n}");
        tmp.write("b/sale/__manifest__.py", "{}");
        tmp.write("a/stock/__manifest__.py", "{'name': 'Inventory'");
        let result = scan(&[tmp.0.join("a"), tmp.0.join("b")]);
        assert!(result.addons.is_empty());
        let messages: Vec<String> = result.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                format!(
                    "{}:2:16: `depends` must be a list of strings, found a `str`",
                    broken.display()
                ),
                format!(
                    "{}:1:21: expected `,` or `}}` after a dict entry, found end of file",
                    tmp.0.join("a/stock/__manifest__.py").display()
                ),
                format!(
                    "module `sale` at `{}` is ignored: `{}` comes earlier in the addons path",
                    tmp.0.join("b/sale/__manifest__.py").display(),
                    broken.display()
                ),
            ]
        );
        match &result.problems[0] {
            ScanProblem::Parse { text, error, .. } => {
                assert!(text.contains("'depends': 'account'"));
                assert_eq!(error.offset, 17);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn openerp_manifests_are_read_when_there_is_no_manifest_py() {
        let tmp = TempDir::new("openerp");
        let legacy = tmp.write("a/legacy/__openerp__.py", "{'name': 'Old'}");
        tmp.write("a/both/__openerp__.py", "{'name': 'Old'}");
        let both = tmp.write("a/both/__manifest__.py", "{'name': 'New'}");
        let result = scan(&[tmp.0.join("a")]);
        assert_eq!(names(&result), ["both", "legacy"]);
        assert_eq!(result.addons[0].path, both);
        assert_eq!(result.addons[0].manifest.name.as_deref(), Some("New"));
        assert_eq!(result.addons[1].path, legacy);
    }

    #[cfg(unix)]
    #[test]
    fn a_module_directory_named_in_invalid_utf8_is_reported() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = TempDir::new("utf8");
        let dir = tmp
            .0
            .join("a")
            .join(std::ffi::OsStr::from_bytes(b"bad\xff"));
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("__manifest__.py"), "{}").unwrap();
        fs::create_dir_all(
            tmp.0
                .join("a")
                .join(std::ffi::OsStr::from_bytes(b"plain\xff")),
        )
        .unwrap();
        let result = scan(&[tmp.0.join("a")]);
        assert!(result.addons.is_empty());
        match result.problems.as_slice() {
            [ScanProblem::InvalidName { path }] => assert_eq!(path, &dir),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn many_modules_are_read_on_several_threads_in_a_stable_order() {
        let tmp = TempDir::new("many");
        for i in 0..300 {
            let repo = if i % 3 == 0 { "b" } else { "a" };
            tmp.write(
                &format!("{repo}/m{i:03}/__manifest__.py"),
                &format!("{{'name': 'M{i}', 'depends': ['m{:03}']}}", i / 2),
            );
        }
        tmp.write("a/m150/__manifest__.py", "{'name': 'shadowing'}");
        let result = scan(&[tmp.0.join("a"), tmp.0.join("b")]);
        assert_eq!(result.addons.len(), 300);
        let expected: Vec<String> = (0..300).map(|i| format!("m{i:03}")).collect();
        assert_eq!(names(&result), expected);
        assert_eq!(
            result.addons[150].manifest.name.as_deref(),
            Some("shadowing")
        );
        assert_eq!(result.addons[151].manifest.depends, ["m075"]);
        assert_eq!(result.problems.len(), 1, "{:?}", result.problems);
    }
}
