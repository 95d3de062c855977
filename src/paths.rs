//! Path arithmetic shared by discovery, configuration, baselines and reports: lexical
//! normalisation, relative paths, and the `/`-separated form that reports and baselines show.
//!
//! Everything here is lexical (no symlink resolution) so that a path is shown the way the user
//! wrote it, and so that tests do not depend on where a temporary directory really lives.

use std::path::{Component, Path, PathBuf};

/// Removes `.` components and folds `dir/..` pairs, without touching the file system. A `..`
/// that climbs above the start of a relative path is kept.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(component),
            },
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}

/// The absolute, normalised form of a path (relative paths are taken from the current
/// directory). Falls back to the normalised path when the current directory is unknown.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).map_or_else(|_| normalize(path), |p| normalize(&p))
}

/// The repository root machine formats name files from: the nearest directory at or above
/// `start` that holds `.git` (a directory, or the file of a worktree or submodule), else
/// `start` itself.
pub fn repository_root(start: &Path) -> PathBuf {
    let start = absolute(start);
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map_or_else(|| start.clone(), Path::to_path_buf)
}

/// The name of `path` as seen from `root`, `/`-separated: relative when the file lies below
/// the root, absolute otherwise (a `../` name means nothing to GitHub or a SARIF viewer).
pub fn from_root(path: &Path, root: &Path) -> String {
    let relative = relative_to(path, root);
    if relative.is_absolute() || relative.starts_with("..") {
        slash(&absolute(path))
    } else {
        slash(&relative)
    }
}

/// `path` relative to the directory `base`, both made absolute first: `../plans/a.yaml`.
/// Returns the absolute path when they share no root (another drive on Windows).
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path = absolute(path);
    let base = absolute(base);
    let p: Vec<Component<'_>> = path.components().collect();
    let b: Vec<Component<'_>> = base.components().collect();
    if p.first() != b.first() {
        return path;
    }
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// A path as reports show it: normalised, `/`-separated, without a leading `./`.
pub fn slash(path: &Path) -> String {
    let normal = normalize(path);
    let text = normal.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        text.into_owned()
    } else {
        text.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// A path for messages: relative to the current directory when it is below it, else as given.
pub fn display(path: &Path) -> String {
    if path.is_relative() {
        return slash(path);
    }
    match std::env::current_dir() {
        Ok(cwd) => {
            let rel = relative_to(path, &cwd);
            if rel.starts_with("..") || rel.is_absolute() {
                slash(path)
            } else {
                slash(&rel)
            }
        }
        Err(_) => slash(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_root_are_relative_below_it_only() {
        let root = Path::new("/repo");
        assert_eq!(
            from_root(Path::new("/repo/plans/a.yaml"), root),
            "plans/a.yaml"
        );
        assert_eq!(
            from_root(Path::new("/elsewhere/a.yaml"), root),
            "/elsewhere/a.yaml"
        );
    }

    #[test]
    fn the_root_is_the_nearest_git_folder() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join("a/.git"), "gitdir: elsewhere\n").unwrap();
        assert_eq!(repository_root(&sub), absolute(&dir.path().join("a")));
        let bare = tempfile::tempdir().unwrap();
        assert_eq!(repository_root(bare.path()), absolute(bare.path()));
    }

    #[test]
    fn normalises_lexically() {
        assert_eq!(normalize(Path::new("./a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("../a/..")), PathBuf::from(".."));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
    }

    #[test]
    fn relative_paths_climb_and_descend() {
        assert_eq!(
            relative_to(Path::new("/r/plans/a.yaml"), Path::new("/r/ci")),
            PathBuf::from("../plans/a.yaml")
        );
        assert_eq!(
            relative_to(Path::new("/r/plans/a.yaml"), Path::new("/r")),
            PathBuf::from("plans/a.yaml")
        );
        assert_eq!(
            relative_to(Path::new("/r"), Path::new("/r")),
            PathBuf::from(".")
        );
        assert_eq!(slash(Path::new("./plans//a.yaml")), "plans/a.yaml");
    }
}
