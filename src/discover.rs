//! Which plans `check` reads. Files and `-` (standard input) are taken as given; a directory is
//! walked with `.gitignore` honoured and keeps the files that look like plans:
//!
//! - `plan.yaml`, `*.plan.yaml` and `odoo-plan.yaml` (or `.yml`), anywhere;
//! - every `*.yaml` and `*.yml` inside a folder named `plans` (the folder named on the command
//!   line counts, folders above it do not);
//! - whatever the nearest configuration's `include` globs name;
//!
//! minus what its `exclude` globs name, and never `odoo-order.yaml` itself. Only regular files
//! are plans: a FIFO or a device is skipped. A symbolic link is followed while its target stays
//! inside the walked directory; a plan-like link that leaves it is reported and never read, so
//! a pull request cannot make the report print `/etc/passwd` or a CI secret. A path that does not
//! exist, or a directory with no plan, is an error (exit 2), never a silent green. The result is
//! sorted by path and each file appears once, however often it was named.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::config::{self, ConfigId, Configs};
use crate::error::Error;
use crate::paths;

/// Where a plan's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
}

/// A plan to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where to read it.
    pub source: Source,
    /// The name reports show (`plans/acme.yaml`).
    pub display: String,
    /// The configuration it is checked with.
    pub config: ConfigId,
}

/// One entry of the sorted list: a plan, or a path that could not be used.
#[derive(Debug)]
pub enum Item {
    /// A plan to check.
    Plan(Input),
    /// A path that does not exist, cannot be walked, or holds no plan.
    Failed {
        /// The path as reports show it.
        display: String,
        /// Why.
        error: Error,
    },
}

impl Item {
    fn sort_key(&self) -> &str {
        match self {
            Self::Plan(input) => &input.display,
            Self::Failed { display, .. } => display,
        }
    }
}

/// The display name of standard input without `--stdin-filename`.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether a file name is one of the plan names (`plan.yaml`, `*.plan.yaml`, `odoo-plan.yaml`,
/// each also with the `.yml` extension YAML allows).
pub fn is_plan_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "plan"
        || stem == "odoo-plan"
        || stem
            .strip_suffix(".plan")
            .is_some_and(|stem| !stem.is_empty())
}

/// Expands the command line's paths into the sorted, de-duplicated list of plans to check.
/// A configuration error aborts (exit 2); a bad path is an [`Item::Failed`] among the others.
pub fn discover(
    args: &[PathBuf],
    stdin_name: Option<&str>,
    configs: &mut Configs,
) -> Result<Vec<Item>, Error> {
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    // Each file once: explicit files by their canonical path, walked files by the path under
    // the walk's canonical root (which is canonical too, without a system call per file).
    let mut push = |key: PathBuf, input: Input, items: &mut Vec<Item>| {
        if seen.insert(key) {
            items.push(Item::Plan(input));
        }
    };
    for arg in args {
        if arg.as_os_str() == "-" {
            let display = stdin_name.unwrap_or(STDIN_NAME).to_owned();
            let config = match stdin_name {
                Some(name) => configs.for_file(Path::new(name))?,
                None => configs.for_dir(Path::new("."))?,
            };
            push(
                PathBuf::from("-"),
                Input {
                    source: Source::Stdin,
                    display,
                    config,
                },
                &mut items,
            );
            continue;
        }
        let display = paths::slash(arg);
        match std::fs::metadata(arg) {
            Err(source) => items.push(Item::Failed {
                display,
                error: Error::Io {
                    path: arg.clone(),
                    source,
                },
            }),
            Ok(meta) if meta.is_dir() => {
                let before = items.len();
                walk(arg, configs, &mut items, &mut push)?;
                if !items[before..]
                    .iter()
                    .any(|item| matches!(item, Item::Plan(_)))
                {
                    items.push(Item::Failed {
                        display,
                        error: Error::NoPlans { path: arg.clone() },
                    });
                }
            }
            Ok(_) => {
                let config = configs.for_file(arg)?;
                let key = std::fs::canonicalize(arg).unwrap_or_else(|_| paths::absolute(arg));
                push(
                    key,
                    Input {
                        source: Source::File(arg.clone()),
                        display,
                        config,
                    },
                    &mut items,
                );
            }
        }
    }
    items.sort_by(|a, b| Path::new(a.sort_key()).cmp(Path::new(b.sort_key())));
    Ok(items)
}

fn walk(
    root: &Path,
    configs: &mut Configs,
    items: &mut Vec<Item>,
    push: &mut impl FnMut(PathBuf, Input, &mut Vec<Item>),
) -> Result<(), Error> {
    let canonical = match std::fs::canonicalize(root) {
        Ok(c) => c,
        Err(source) => {
            items.push(Item::Failed {
                display: paths::slash(root),
                error: Error::Io {
                    path: root.to_path_buf(),
                    source,
                },
            });
            return Ok(());
        }
    };
    let root_is_plans = paths::absolute(root)
        .file_name()
        .is_some_and(|n| n == "plans");
    let walker = WalkBuilder::new(&canonical)
        .require_git(false)
        .sort_by_file_name(Ord::cmp)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err_path(&err).unwrap_or_else(|| root.to_path_buf());
                items.push(Item::Failed {
                    display: paths::slash(&path),
                    error: Error::Io {
                        path,
                        source: std::io::Error::other(err.to_string()),
                    },
                });
                continue;
            }
        };
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name == config::FILE_NAME {
            continue;
        }
        let Ok(relative) = path.strip_prefix(&canonical) else {
            continue;
        };
        // A folder is not a plan; looking up its configuration would start at its parent,
        // above the root named on the command line (above the repository, for `check .`).
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            continue;
        }
        let config_id = configs.for_file(path)?;
        let config = configs.get(config_id);
        let selected = looks_like_plan(name, relative, root_is_plans) || config.includes(path);
        if !selected || config.excludes(path) {
            continue;
        }
        let shown = root.join(relative);
        // A FIFO or a device is not a plan (reading one would block or never end), and a
        // symbolic link is followed only while it stays inside the walked directory.
        match Target::of(&entry, &canonical) {
            Target::Regular(key) => push(
                key,
                Input {
                    source: Source::File(shown.clone()),
                    display: paths::slash(&shown),
                    config: config_id,
                },
                items,
            ),
            Target::Outside => items.push(outside(&shown, root)),
            Target::Other => {}
        }
    }
    Ok(())
}

/// What a walked entry is, once symbolic links are resolved.
enum Target {
    /// A regular file, keyed by its real path so that a file and a link to it count once.
    Regular(PathBuf),
    /// A directory, FIFO, socket, device or dangling link: never a plan.
    Other,
    /// A symbolic link whose target lies outside the walked directory.
    Outside,
}

impl Target {
    fn of(entry: &ignore::DirEntry, root: &Path) -> Self {
        let path = entry.path();
        match entry.file_type() {
            Some(t) if t.is_file() => Self::Regular(path.to_path_buf()),
            Some(t) if t.is_symlink() => match std::fs::canonicalize(path) {
                // A pull request can add `plans/x.yaml -> /etc/passwd` (or a CI secret); its
                // text would be shown around the first parse error (issue 9).
                Ok(real) if !real.starts_with(root) => Self::Outside,
                Ok(real) if real.is_file() => Self::Regular(real),
                _ => Self::Other,
            },
            None if path.is_file() => Self::Regular(path.to_path_buf()),
            _ => Self::Other,
        }
    }
}

/// Whether a walked file is a plan by its name and folder alone (before `include` globs).
fn looks_like_plan(name: &str, relative: &Path, root_is_plans: bool) -> bool {
    let in_plans = root_is_plans
        || relative
            .parent()
            .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "plans"));
    let yaml = Path::new(name)
        .extension()
        .is_some_and(|e| e == "yaml" || e == "yml");
    is_plan_name(name) || (in_plans && yaml)
}

/// A plan-like symbolic link that leaves the walked directory: reported, never read, so the
/// run cannot pass without it and its target's text is never shown.
fn outside(shown: &Path, root: &Path) -> Item {
    Item::Failed {
        display: paths::slash(shown),
        error: Error::Io {
            path: shown.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "it is a symbolic link that leads outside `{}`, and a directory walk does \
                     not follow those; name the file it points to on the command line to check it",
                    paths::slash(root)
                ),
            ),
        },
    }
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_names() {
        for yes in [
            "plan.yaml",
            "odoo-plan.yaml",
            "acme.plan.yaml",
            "plan.yml",
            "odoo-plan.yml",
            "globex.plan.yml",
        ] {
            assert!(is_plan_name(yes), "{yes}");
        }
        for no in [
            ".plan.yaml",
            ".plan.yml",
            "plan.yaml.bak",
            "acme.plan",
            "plans.yaml",
            "plans.yml",
            "odoo-order.yaml",
            "acme.yaml",
        ] {
            assert!(!is_plan_name(no), "{no}");
        }
    }
}
