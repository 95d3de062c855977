//! Reading input files. Every file odoo-order reads goes through [`read`], so each has a size
//! cap and a clear error when it is over it: a plan named `/dev/zero`, a manifest symlinked to a
//! device, or a multi-gigabyte file in a pull request cannot exhaust memory.
//!
//! Walks and addons scans read regular files only ([`Kind::regular_only`]): a FIFO would block
//! the run forever and a device never ends, and neither is a plan or a manifest (Odoo's
//! `os.path.isfile` says no to both). A file named on the command line may be anything
//! readable, such as a pipe from `<(...)`, and is capped like the rest.

use std::fs::File;
use std::io::{self, ErrorKind, Read};
use std::path::Path;

/// What kind of file is read: it sets the cap and the wording of the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The file as errors name it: "plan", "manifest".
    pub noun: &'static str,
    /// The most bytes read.
    pub limit: u64,
    /// Whether anything but a regular file (after following symlinks) is refused.
    pub regular_only: bool,
}

const MIB: u64 = 1024 * 1024;

/// A plan. The largest real plans are a few KiB; one of 50 phases × 40 modules with comments
/// is under 100 KiB. (A walk only hands over regular files: see [`crate::discover`].)
pub const PLAN: Kind = Kind {
    noun: "plan",
    limit: 4 * MIB,
    regular_only: false,
};

/// An `odoo-order.yaml`.
pub const CONFIG: Kind = Kind {
    noun: "configuration",
    limit: 4 * MIB,
    regular_only: false,
};

/// A rules data file named by a configuration's `extra_rules`.
pub const RULES: Kind = Kind {
    noun: "rules file",
    limit: 4 * MIB,
    regular_only: false,
};

/// A baseline: one entry (about 150 bytes) per recorded finding across a whole repository, so
/// more room than a plan.
pub const BASELINE: Kind = Kind {
    noun: "baseline",
    limit: 16 * MIB,
    regular_only: false,
};

/// An addon's manifest. Odoo's own are a few KiB; the largest in 17.0 is under 10 KiB.
pub const MANIFEST: Kind = Kind {
    noun: "manifest",
    limit: MIB,
    regular_only: true,
};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// It is not a regular file (a directory, FIFO, socket or device) and `kind` wants one.
    NotRegular,
    /// It holds more than the kind's limit.
    TooLarge(Kind),
    /// The operating system's reason.
    Io(io::Error),
}

impl ReadError {
    /// As an I/O error, with a message that says what the limit is and why.
    pub fn into_io(self) -> io::Error {
        match self {
            Self::Io(err) => err,
            Self::NotRegular => io::Error::new(ErrorKind::InvalidInput, "not a regular file"),
            Self::TooLarge(kind) => io::Error::new(ErrorKind::FileTooLarge, too_large(kind)),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        Self::Io(err)
    }
}

/// "the file is larger than 4 MiB, the most odoo-order reads for a plan".
pub fn too_large(kind: Kind) -> String {
    format!(
        "the file is larger than {}, the most odoo-order reads for a {}",
        size(kind.limit),
        kind.noun
    )
}

fn size(bytes: u64) -> String {
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads a whole file, up to `kind.limit` bytes.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, ReadError> {
    let known = if kind.regular_only {
        // Checked before `open`, which would block on a FIFO until a writer comes.
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(ReadError::NotRegular);
        }
        Some(meta.len())
    } else {
        None
    };
    let file = File::open(path)?;
    let hint = known.unwrap_or_else(|| file.metadata().map_or(0, |m| m.len()));
    read_from(file, kind, hint)
}

/// Reads a stream (standard input) up to `kind.limit` bytes.
pub fn read_stream(reader: impl Read, kind: Kind) -> Result<Vec<u8>, ReadError> {
    read_from(reader, kind, 0)
}

fn read_from(reader: impl Read, kind: Kind, size_hint: u64) -> Result<Vec<u8>, ReadError> {
    // The size a file claims is only a hint: `/proc` files claim 0, and a file may grow.
    let capacity = usize::try_from(size_hint.min(kind.limit) + 1).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(kind.limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > kind.limit {
        return Err(ReadError::TooLarge(kind));
    }
    Ok(bytes)
}

/// Whether a file's real location (symbolic links resolved) lies outside the real directory
/// `root`, or cannot be told. What lies outside the tree under review may be anything the run
/// can read (`/proc/self/environ`, `/etc/passwd`): such a file is either not read or, where it
/// must be, its text is never shown.
pub fn leaves(path: &Path, root: &Path) -> bool {
    let real = |path: &Path| std::fs::canonicalize(path).ok();
    match (real(root), real(path)) {
        (Some(root), Some(path)) => !path.starts_with(root),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Kind = Kind {
        noun: "test file",
        limit: 8,
        regular_only: true,
    };

    #[test]
    fn reads_up_to_the_limit_and_no_further() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345678").unwrap();
        assert_eq!(read(&path, TINY).unwrap(), b"12345678");
        std::fs::write(&path, b"123456789").unwrap();
        let err = read(&path, TINY).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(TINY)), "{err:?}");
        assert_eq!(
            err.into_io().to_string(),
            "the file is larger than 8 bytes, the most odoo-order reads for a test file"
        );
        assert_eq!(
            too_large(MANIFEST),
            "the file is larger than 1 MiB, the most odoo-order reads for a manifest"
        );
    }

    #[test]
    fn a_directory_is_not_regular() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read(dir.path(), TINY), Err(ReadError::NotRegular)));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_stops_at_the_limit() {
        let endless = Path::new("/dev/zero");
        if !endless.exists() {
            return;
        }
        let any = Kind {
            regular_only: false,
            ..TINY
        };
        assert!(matches!(read(endless, any), Err(ReadError::TooLarge(_))));
        assert!(matches!(read(endless, TINY), Err(ReadError::NotRegular)));
    }
}
