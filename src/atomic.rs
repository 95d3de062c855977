//! Writing files without ever leaving one half written: the new content goes to a temporary
//! file in the same directory, is flushed to disk, and is renamed over the target, which the
//! operating system does in one step. Until the rename the original is untouched, so a reader
//! (a CI step uploading SARIF, an editor, a second run) never sees half a file.
//!
//! [`replace_if_unchanged`] edits a plan in place (`fix`). A rename gives the path a new file,
//! so it renames only when the new file can be the old one in every way that matters: same
//! owner, same group, same mode, and no other name (hard link) for the old one. Otherwise (a
//! root-run pre-commit hook in a container on a checkout owned by someone else, a plan
//! hard-linked into two trees) it writes through the existing file instead, so that
//! owner, group, mode and links stay as they were. That write is ordered so that a full disk
//! fails before a byte of the original is touched, and a failure restores what was there.
//!
//! [`write()`] writes a report or a baseline, creating missing parent directories as
//! `--format sarif=reports/odoo-order.sarif` in a fresh checkout expects; [`write_new`]
//! creates a file that must not exist yet (`init`).
//!
//! Temporary files are named `.NAME.<random>.odoo-order.tmp` and created only if no file has
//! that name (`O_EXCL`): a name already taken is someone else's, is left alone, and another
//! name is drawn. Only a temporary file this process created is ever removed.

use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// What [`replace_if_unchanged`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    /// The file now holds the new content.
    Written,
    /// The file already held the new content (another run wrote it): nothing was written.
    AlreadyThere,
}

/// Replaces the content of the file at `path` (following symbolic links) with `after`, keeping
/// its owner, group, mode and hard links, but only if the file still holds `before` (what the
/// caller read and worked from): an edit made meanwhile, by a person or another program, is never overwritten.
/// A file that already holds `after` is left as it is, so that concurrent runs of the same
/// fix all succeed.
///
/// A file whose permissions make it read-only is refused, even where the process could replace
/// it anyway (root, or a writable directory): its owner said not to change it.
pub fn replace_if_unchanged(path: &Path, before: &[u8], after: &[u8]) -> Result<Replaced, Error> {
    replace_checked(path, Some(before), after)
}

fn replace_checked(path: &Path, before: Option<&[u8]>, bytes: &[u8]) -> Result<Replaced, Error> {
    let fail = |source: io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let target = fs::canonicalize(path).map_err(fail)?;
    // Another writer's rename can swap the file between our open and our lock; then the file we
    // locked is no longer the one at the path, and we start again with the new one.
    for _ in 0..16 {
        let metadata = fs::metadata(&target).map_err(fail)?;
        if !metadata.is_file() {
            return Err(fail(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            )));
        }
        if metadata.permissions().readonly() {
            return Err(fail(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only",
            )));
        }
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&target)
            .map_err(fail)?;
        let _lock = Lock::exclusive(&file).map_err(fail)?;
        if !still_at(&file, &target).map_err(fail)? {
            continue;
        }
        let mut current = Vec::new();
        (&file).read_to_end(&mut current).map_err(fail)?;
        if current == bytes {
            return Ok(Replaced::AlreadyThere);
        }
        if before.is_some_and(|b| b != current.as_slice()) {
            return Err(fail(io::Error::other(
                "the file changed after it was read; nothing was written (run the command again)",
            )));
        }
        let dir = target.parent().unwrap_or(Path::new("."));
        let name = file_name(&target);
        let in_place = |file: &File| write_in_place(file, &current, bytes).map_err(fail);
        if has_other_names(&file).map_err(fail)? {
            in_place(&file)?;
            return Ok(Replaced::Written);
        }
        let (temp, temp_file) = match create_temp_file(dir, &name) {
            Ok(created) => created,
            // A directory we may not write in can still hold a file we may write.
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                in_place(&file)?;
                return Ok(Replaced::Written);
            }
            Err(e) => return Err(fail(e)),
        };
        let result = match take_identity(&file, &temp_file) {
            Ok(true) => fill(
                temp_file,
                bytes,
                fs::metadata(&target).map(|m| m.permissions()),
            )
            .and_then(|()| fs::rename(&temp, &target))
            .and_then(|()| sync_dir(dir))
            .map(|()| true),
            Ok(false) => Ok(false),
            Err(e) => Err(e),
        };
        match result {
            Ok(true) => return Ok(Replaced::Written),
            Ok(false) => {
                // The temporary file could not be given the original's owner or group: write
                // through the original instead. The temporary file is ours; remove it.
                let _ = fs::remove_file(&temp);
                in_place(&file)?;
                return Ok(Replaced::Written);
            }
            Err(e) => {
                // The original is intact; do not leave the half-made copy (ours) behind.
                let _ = fs::remove_file(&temp);
                return Err(fail(e));
            }
        }
    }
    Err(fail(io::Error::other(
        "the file kept being replaced while odoo-order tried to write it",
    )))
}

/// An advisory lock on a file, held until dropped, so that runs editing the same file take
/// turns. File systems without locks (some network mounts) go without.
struct Lock<'a>(Option<&'a File>);

impl<'a> Lock<'a> {
    fn exclusive(file: &'a File) -> io::Result<Self> {
        #[cfg(unix)]
        {
            match file.lock() {
                Ok(()) => Ok(Self(Some(file))),
                Err(e) if e.kind() == io::ErrorKind::Unsupported => Ok(Self(None)),
                Err(e) => Err(e),
            }
        }
        #[cfg(not(unix))]
        {
            // Windows locks are mandatory and would block the rename itself.
            let _ = file;
            Ok(Self(None))
        }
    }
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        if let Some(file) = self.0 {
            let _ = file.unlock();
        }
    }
}

/// Whether the open file is still the one at `path`.
fn still_at(file: &File, path: &Path) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (open, now) = (file.metadata()?, fs::metadata(path)?);
        Ok(open.dev() == now.dev() && open.ino() == now.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        Ok(true)
    }
}

/// Whether the file has hard links besides the one at its path: a rename would split them.
fn has_other_names(file: &File) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Ok(file.metadata()?.nlink() > 1)
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(false)
    }
}

/// Gives the temporary file the original's group where it differs and the process may; says
/// whether the temporary file now has the original's owner and group.
fn take_identity(original: &File, temp: &File) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (want, have) = (original.metadata()?, temp.metadata()?);
        if want.uid() != have.uid() {
            return Ok(false);
        }
        if want.gid() != have.gid()
            && std::os::unix::fs::fchown(temp, None, Some(want.gid())).is_err()
        {
            return Ok(false);
        }
        Ok(true)
    }
    #[cfg(not(unix))]
    {
        let _ = (original, temp);
        Ok(true)
    }
}

/// Writes `new` over `old` through the open file. The part that grows the file is written and
/// flushed first, so that a full disk fails while the original bytes are still intact; a later
/// failure puts the original back.
fn write_in_place(mut file: &File, old: &[u8], new: &[u8]) -> io::Result<()> {
    let old_len = old.len() as u64;
    if new.len() > old.len() {
        let grown = file
            .seek(SeekFrom::Start(old_len))
            .and_then(|_| file.write_all(&new[old.len()..]))
            .and_then(|()| file.sync_data());
        if let Err(e) = grown {
            let _ = file.set_len(old_len);
            return Err(e);
        }
    }
    let written = file
        .seek(SeekFrom::Start(0))
        .and_then(|_| file.write_all(&new[..new.len().min(old.len())]))
        .and_then(|()| file.set_len(new.len() as u64))
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        let _ = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(old))
            .and_then(|()| file.set_len(old_len))
            .and_then(|()| file.sync_all());
        return Err(e);
    }
    Ok(())
}

fn fill(mut file: File, bytes: &[u8], permissions: io::Result<fs::Permissions>) -> io::Result<()> {
    file.set_permissions(permissions?)?;
    file.write_all(bytes)?;
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
    let (temp, mut file) = create_temp_file(&dir, &file_name(path)).map_err(fail)?;
    match file.write_all(bytes).and_then(|()| file.sync_all()) {
        Ok(()) => Ok(temp),
        Err(e) => {
            drop(file);
            let _ = fs::remove_file(&temp);
            Err(fail(e))
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned())
}

/// Creates a new, empty temporary file in `dir` for a file named `name`. A name already taken
/// belongs to someone else (a leftover of another run, another tool's file): it is neither
/// opened nor removed, and another name is drawn.
fn create_temp_file(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let mut last = None;
    for _ in 0..64 {
        let temp = dir.join(temp_name(name));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary file name")))
}

/// `.NAME.<16 hex digits>.odoo-order.tmp`: hidden, recognisable as ours, and drawn from the
/// process's random hash keys, the process id, the clock and a counter, so that two processes
/// (even two containers with the same process id) do not draw the same name. The name part is
/// cut so that the whole stays under the usual 255-byte limit.
fn temp_name(name: &str) -> String {
    static DRAWN: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u64(DRAWN.fetch_add(1, Ordering::Relaxed));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    let mut cut = name.len().min(120);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!(".{}.{:016x}.odoo-order.tmp", &name[..cut], hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unconditional replace: what the fix command does, without its check that the file
    /// is unchanged, which the tests of the file handling itself do not need.
    fn replace(path: &Path, bytes: &[u8]) -> Result<(), Error> {
        replace_checked(path, None, bytes).map(|_| ())
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_and_keeps_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.yaml");
        fs::write(&file, "old").unwrap();
        replace(&file, b"new").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(
            entries(dir.path()),
            ["plan.yaml"],
            "a temporary file was left"
        );

        let mut perms = fs::metadata(&file).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&file, perms.clone()).unwrap();
        let err = replace(&file, b"newer").unwrap_err();
        assert!(matches!(err, Error::Write { .. }), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "new");
        #[allow(clippy::permissions_set_readonly_false)] // a test cleaning up after itself
        perms.set_readonly(false);
        fs::set_permissions(&file, perms).unwrap();
    }

    #[test]
    fn an_edit_made_meanwhile_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.yaml");
        fs::write(&file, "edited by hand").unwrap();
        let err = replace_if_unchanged(&file, b"read", b"fixed").unwrap_err();
        assert!(err.to_string().contains("cannot write"), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), "edited by hand");
        // Another run got there first with the same result: nothing to do, and no error.
        fs::write(&file, "fixed").unwrap();
        let done = replace_if_unchanged(&file, b"read", b"fixed").unwrap();
        assert_eq!(done, Replaced::AlreadyThere);
        fs::write(&file, "read").unwrap();
        let done = replace_if_unchanged(&file, b"read", b"fixed").unwrap();
        assert_eq!(done, Replaced::Written);
        assert_eq!(fs::read_to_string(&file).unwrap(), "fixed");
    }

    #[test]
    fn someone_elses_temporary_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.yaml");
        fs::write(&file, "old").unwrap();
        // Names the old scheme used, and one shaped like ours.
        let theirs = [
            format!(".plan.yaml.odoo-order-{}.tmp", std::process::id()),
            format!(".plan.yaml.{}.0.tmp", std::process::id()),
            ".plan.yaml.0123456789abcdef.odoo-order.tmp".to_owned(),
        ];
        for name in &theirs {
            fs::write(dir.path().join(name), "not ours").unwrap();
        }
        replace(&file, b"new").unwrap();
        write(&dir.path().join("plan.yaml"), b"newer").unwrap();
        for name in &theirs {
            assert_eq!(
                fs::read_to_string(dir.path().join(name)).unwrap(),
                "not ours"
            );
        }
        assert_eq!(entries(dir.path()).len(), theirs.len() + 1);
    }

    #[test]
    fn temporary_names_are_unique_and_short_enough() {
        let long = "é".repeat(120);
        let names: std::collections::BTreeSet<String> =
            (0..1000).map(|_| temp_name("plan.yaml")).collect();
        assert_eq!(names.len(), 1000);
        assert!(temp_name(&long).len() < 255);
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_and_mode_are_kept() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.yaml");
        let other = dir.path().join("other-name.yaml");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        fs::hard_link(&file, &other).unwrap();
        let inode = fs::metadata(&file).unwrap().ino();
        replace(&file, b"a longer new text").unwrap();
        assert_eq!(fs::read_to_string(&other).unwrap(), "a longer new text");
        replace(&file, b"short").unwrap();
        assert_eq!(fs::read_to_string(&other).unwrap(), "short");
        let meta = fs::metadata(&file).unwrap();
        assert_eq!((meta.ino(), meta.mode() & 0o7777), (inode, 0o640));
        assert_eq!(entries(dir.path()), ["other-name.yaml", "plan.yaml"]);

        // A single link is replaced by a rename, and keeps its mode too.
        fs::remove_file(&other).unwrap();
        replace(&file, b"renamed").unwrap();
        let meta = fs::metadata(&file).unwrap();
        assert_eq!(meta.mode() & 0o7777, 0o640);
        assert_eq!(fs::read_to_string(&file).unwrap(), "renamed");
    }

    /// Issue 9: a root-run `fix` (pre-commit in a container) made the plan root's.
    #[cfg(unix)]
    #[test]
    fn another_owners_file_keeps_its_owner_and_group() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.yaml");
        fs::write(&file, "old").unwrap();
        if std::os::unix::fs::chown(&file, Some(65534), Some(65534)).is_err() {
            eprintln!("skipped: only root can give a file to another owner");
            return;
        }
        let inode = fs::metadata(&file).unwrap().ino();
        replace(&file, b"new and longer").unwrap();
        let meta = fs::metadata(&file).unwrap();
        assert_eq!((meta.uid(), meta.gid(), meta.ino()), (65534, 65534, inode));
        assert_eq!(fs::read_to_string(&file).unwrap(), "new and longer");
        assert_eq!(entries(dir.path()), ["plan.yaml"]);
        // Another group only: the temporary file takes the group, and the rename goes ahead.
        std::os::unix::fs::chown(&file, Some(0), Some(65534)).unwrap();
        replace(&file, b"renamed").unwrap();
        let meta = fs::metadata(&file).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (0, 65534));
    }

    #[test]
    fn replace_follows_symbolic_links_and_refuses_what_is_not_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        fs::write(&real, "old").unwrap();
        #[cfg(unix)]
        {
            let link = dir.path().join("link.yaml");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            replace(&link, b"new").unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        }
        assert!(replace(dir.path(), b"x").is_err());
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
