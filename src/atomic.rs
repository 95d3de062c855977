//! Writing files without ever leaving one half written: the new content goes to a temporary
//! file in the same directory, is flushed to disk, and is renamed over the target, which the
//! operating system does in one step. Until the rename the original is untouched, so a reader
//! (a CI step uploading SARIF, an editor, a second run) never sees half a file.
//!
//! [`replace`] edits a plan in place (`fix`), keeping its permissions; [`write()`] writes a
//! report or a baseline, creating missing parent directories as
//! `--format sarif=reports/odoo-order.sarif` in a fresh checkout expects; [`write_new`]
//! creates a file that must not exist yet (`init`).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Replaces the file at `path` (following symbolic links) with `bytes`, keeping its
/// permissions. A file whose permissions make it read-only is refused, even where the process
/// could replace it anyway (root, or a writable directory): its owner said not to change it.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |source: io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = fs::canonicalize(path).map_err(fail)?;
    let metadata = fs::metadata(&target).map_err(fail)?;
    if metadata.permissions().readonly() {
        return Err(fail(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the file is read-only",
        )));
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = temp_path(dir, &name);
    let result = write_temp(&temp, bytes, metadata.permissions())
        .and_then(|()| fs::rename(&temp, &target))
        .and_then(|()| sync_dir(dir));
    if result.is_err() {
        // The original is intact; do not leave the half-made copy behind.
        let _ = fs::remove_file(&temp);
    }
    result.map_err(fail)
}

fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.odoo-order-{}.tmp", std::process::id()))
}

fn write_temp(temp: &Path, bytes: &[u8], permissions: fs::Permissions) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(temp)?;
    file.write_all(bytes)?;
    file.set_permissions(permissions)?;
    file.sync_all()
}

/// Makes the rename itself durable; not every platform lets a directory be opened for this.
fn sync_dir(dir: &Path) -> io::Result<()> {
    match File::open(dir) {
        Ok(d) => d.sync_all().or(Ok(())),
        Err(_) => Ok(()),
    }
}

/// Writes `bytes` to `path`, replacing it atomically if it exists.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = create_temp(path, bytes)?;
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
    let temp = create_temp(path, bytes)?;
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
fn create_temp(path: &Path, bytes: &[u8]) -> Result<PathBuf, Error> {
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
    fn replaces_and_keeps_nothing_else() {
        let dir = std::env::temp_dir().join(format!("odoo-order-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("plan.yaml");
        fs::write(&file, "old").unwrap();
        replace(&file, b"new").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        let left: Vec<_> = fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");

        let mut perms = fs::metadata(&file).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&file, perms.clone()).unwrap();
        let err = replace(&file, b"newer").unwrap_err();
        assert!(matches!(err, Error::Write { .. }), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        #[allow(clippy::permissions_set_readonly_false)] // a test cleaning up after itself
        perms.set_readonly(false);
        fs::set_permissions(&file, perms).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

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
