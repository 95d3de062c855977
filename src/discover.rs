//! Which plans `check` reads. Files and `-` (standard input) are taken as given; a directory is
//! walked with `.gitignore` honoured and keeps the files that look like plans:
//!
//! - `plan.yaml`, `*.plan.yaml` and `odoo-plan.yaml`, anywhere;
//! - every `*.yaml` and `*.yml` inside a folder named `plans` (the folder named on the command
//!   line counts, folders above it do not);
//! - whatever the nearest configuration's `include` globs name;
//!
//! minus what its `exclude` globs name, and never `odoo-order.yaml` itself. A path that does not
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

/// Whether a file name is one of the plan names (`plan.yaml`, `*.plan.yaml`, `odoo-plan.yaml`).
pub fn is_plan_name(name: &str) -> bool {
    name == "plan.yaml"
        || name == "odoo-plan.yaml"
        || name
            .strip_suffix(".plan.yaml")
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
        if !entry.file_type().is_some_and(|t| t.is_file()) && !path.is_file() {
            continue;
        }
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name == config::FILE_NAME {
            continue;
        }
        let Ok(relative) = path.strip_prefix(&canonical) else {
            continue;
        };
        let config_id = configs.for_file(path)?;
        let config = configs.get(config_id);
        let in_plans = root_is_plans
            || relative
                .parent()
                .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == "plans"));
        let yaml = Path::new(name)
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        let selected = is_plan_name(name) || (in_plans && yaml) || config.includes(path);
        if selected && !config.excludes(path) {
            let shown = root.join(relative);
            push(
                path.to_path_buf(),
                Input {
                    source: Source::File(shown.clone()),
                    display: paths::slash(&shown),
                    config: config_id,
                },
                items,
            );
        }
    }
    Ok(())
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
        for yes in ["plan.yaml", "odoo-plan.yaml", "acme.plan.yaml"] {
            assert!(is_plan_name(yes), "{yes}");
        }
        for no in [
            ".plan.yaml",
            "plan.yml",
            "plans.yaml",
            "odoo-order.yaml",
            "acme.yaml",
        ] {
            assert!(!is_plan_name(no), "{no}");
        }
    }
}
