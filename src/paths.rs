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
