//! Replacing a file without ever leaving it half written: the new content goes to a temporary
//! file in the same directory, is flushed to disk, and is renamed over the original, which the
//! operating system does in one step. Until the rename the original is untouched.

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
}
