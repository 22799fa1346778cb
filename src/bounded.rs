//! Reading a file the operator names (`--input`, the configuration, a pass file, a log
//! given with `--log` / `pgrex log --input`), bounded: only a regular file, at most a
//! known number of bytes. A FIFO would hang the read and `/dev/zero` would fill memory; both
//! are refused before a byte is read, and a file over its limit gets an error naming the
//! limit. The callers turn [`ReadError`] into their own exit-2 error, keeping it as the cause.

use crate::msg::gen as m;
use crate::t;
use std::io::Read;
use std::path::Path;

/// A size limit and the name of what it limits (shown in the error).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bytes: u64,
    pub name: &'static str,
}

/// `--input` (crm_mon XML, cib.xml, a saved snapshot): 256 MiB, far above the XML of a
/// cluster of 32 000 nodes.
pub const INPUT: Limit = Limit {
    bytes: 256 << 20,
    name: "--input",
};
/// `/etc/pg-rex_tools.conf`: 1 MiB (the template is about 4 KiB).
pub const CONFIG: Limit = Limit {
    bytes: 1 << 20,
    name: "the configuration file",
};
/// An SSH password file: 4 KiB.
pub const PASS_FILE: Limit = Limit {
    bytes: 4 << 10,
    name: "an SSH password file",
};
/// A log file given on the command line: 1 GiB.
pub const LOG: Limit = Limit {
    bytes: 1 << 30,
    name: "a log file",
};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("{}", t!(m::NOT_REGULAR, kind = .kind))]
    NotRegular { kind: &'static str },
    #[error("{}", t!(m::TOO_LARGE, limit = human(.limit.bytes), name = .limit.name))]
    TooLarge { limit: Limit },
}

impl ReadError {
    /// The I/O error's kind, when it is one (`NotFound` gets its own hint at some callers).
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            ReadError::Io(e) => Some(e.kind()),
            _ => None,
        }
    }
}

fn human(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// What a non-regular file is, for the message.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "FIFO"
    } else if ft.is_char_device() {
        "character device"
    } else if ft.is_block_device() {
        "block device"
    } else if ft.is_socket() {
        "socket"
    } else if ft.is_dir() {
        "directory"
    } else {
        "special file"
    }
}

/// Open `path` without blocking (a FIFO's open would wait for a writer) and check that it
/// is a regular file.
pub fn open_regular(path: &Path) -> Result<std::fs::File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)?;
    let ft = file.metadata()?.file_type();
    if !ft.is_file() {
        return Err(ReadError::NotRegular { kind: kind_of(ft) });
    }
    Ok(file)
}

/// The whole of `path`, a regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    if file.metadata()?.len() > limit.bytes {
        return Err(ReadError::TooLarge { limit });
    }
    // The file may grow while it is read: never take more than the limit.
    let mut buf = Vec::new();
    file.take(limit.bytes + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limit = Limit {
        bytes: 10,
        name: "the test",
    };

    #[test]
    fn a_regular_file_within_the_limit_is_read() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), "0123456789").unwrap();
        assert_eq!(read(f.path(), SMALL).unwrap(), b"0123456789");
    }

    #[test]
    fn a_file_over_the_limit_names_it() {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), "0123456789A").unwrap();
        let e = read(f.path(), SMALL).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "larger than 10 bytes, the limit for the test"
        );
        assert!(INPUT.bytes > 0 && human(INPUT.bytes) == "256 MiB");
    }

    /// `/dev/zero` used to fill memory, and a FIFO without a writer hung the read.
    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let e = read(Path::new("/dev/zero"), INPUT).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let e = read(&fifo, INPUT).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read(dir.path(), INPUT).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }
}
