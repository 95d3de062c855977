//! Atomic file writes for reports, baselines and starter plans: the bytes go to a temporary
//! file in the same directory, which is then renamed over the target, so a reader (a CI step
//! uploading SARIF, a second run) never sees half a file.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `path`, replacing it atomically if it exists.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = write_temp(path, bytes)?;
    fs::rename(&temp, path).map_err(|source| {
        let _ = fs::remove_file(&temp);
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Writes `bytes` to `path`, which must not exist yet: an existing file is never replaced,
/// even one created by someone else while we write.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let exists = |path: &Path| Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "the file already exists"),
    };
    if path.exists() {
        return Err(exists(path));
    }
    let temp = write_temp(path, bytes)?;
    // A hard link fails when the target exists, which makes "create unless present" atomic;
    // file systems without hard links fall back to a rename after the check above.
    let result = match fs::hard_link(&temp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(_) => fs::rename(&temp, path).map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        }),
    };
    let _ = fs::remove_file(&temp);
    result
}

/// Writes a uniquely named temporary file next to `path` and returns its name.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf, Error> {
    let fail = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(fail)?;
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let mut attempt = 0u32;
    loop {
        let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(mut file) => {
                let written = file.write_all(bytes).and_then(|()| file.sync_all());
                return match written {
                    Ok(()) => Ok(temp),
                    Err(e) => {
                        drop(file);
                        let _ = fs::remove_file(&temp);
                        Err(fail(e))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(fail(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_atomically_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn write_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("odoo-plan.yaml");
        write_new(&path, b"first").unwrap();
        let err = write_new(&path, b"second").unwrap_err();
        assert!(matches!(err, Error::Write { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"first");
        write(&dir.path().join("new/dir/x.json"), b"{}").unwrap();
        assert!(write(&path.join("below-a-file.json"), b"").is_err());
    }
}
