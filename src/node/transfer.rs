//! Copying a file from any node to this one, safely: streamed into a temporary file beside
//! the target, size checked, flushed to disk, given its owner and mode, then renamed into
//! place, so a reader never sees a half-written archive file (spec §2.11, "Rec"). Transfers
//! only ever go *to* the local node: the archive is synchronised from the primary, never
//! the reverse.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::error::NodeError;
use super::local::temp_beside;
use super::seam::{FileMode, Node};

/// Copy `src_path` on `src` to `dst` on this machine. When `expected_size` is given, a copy
/// of another size is discarded and reported. `progress` gets the bytes copied so far.
pub fn fetch(
    src: &dyn Node,
    src_path: &Path,
    dst: &Path,
    mode: FileMode,
    expected_size: Option<u64>,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, NodeError> {
    let io = |op: &'static str, e: std::io::Error| NodeError::Io {
        node: "local".into(),
        op,
        path: dst.to_path_buf(),
        source: e,
    };
    let tmp = temp_beside(dst);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| io("write", e))?;
    let cleanup = |e: NodeError| {
        let _ = std::fs::remove_file(&tmp);
        e
    };
    let mut w = Progress {
        inner: std::io::BufWriter::with_capacity(1 << 20, file),
        n: 0,
        cb: progress,
    };
    let n = src.read_to(src_path, &mut w).map_err(cleanup)?;
    let file = w
        .inner
        .into_inner()
        .map_err(|e| cleanup(io("write", e.into_error())))?;
    if let Some(want) = expected_size {
        if n != want {
            return Err(cleanup(NodeError::SizeMismatch {
                node: src.describe(),
                path: src_path.to_path_buf(),
                expected: want,
                got: n,
            }));
        }
    }
    let finish = || -> std::io::Result<()> {
        file.set_permissions(std::fs::Permissions::from_mode(mode.mode))?;
        if let Some((uid, gid)) = mode.owner {
            std::os::unix::fs::fchown(&file, Some(uid), Some(gid))?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, dst)?;
        // The rename itself must survive a crash: sync the directory too.
        if let Some(dir) = dst.parent() {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    finish().map_err(|e| cleanup(io("write", e)))?;
    Ok(n)
}

struct Progress<'a, W: Write> {
    inner: W,
    n: u64,
    cb: &'a mut dyn FnMut(u64),
}

impl<W: Write> Write for Progress<'_, W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(b)?;
        self.n += n as u64;
        (self.cb)(self.n);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::{FileKind, LocalNode};

    #[test]
    fn fetch_copies_atomically_with_mode() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("000000010000000000000002");
        std::fs::write(&src, vec![7u8; 300_000]).unwrap();
        let dst = d.path().join("copy");
        let mut last = 0;
        let n = fetch(
            &LocalNode,
            &src,
            &dst,
            FileMode {
                mode: 0o600,
                owner: None,
            },
            Some(300_000),
            &mut |b| last = b,
        )
        .unwrap();
        assert_eq!((n, last), (300_000, 300_000));
        let st = LocalNode.stat(&dst).unwrap().unwrap();
        assert_eq!(
            (st.kind, st.size, st.mode),
            (FileKind::File, 300_000, 0o600)
        );
        assert_eq!(std::fs::read(&dst).unwrap(), std::fs::read(&src).unwrap());
    }

    #[test]
    fn wrong_size_leaves_nothing_behind() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("seg");
        std::fs::write(&src, b"short").unwrap();
        let dst = d.path().join("out");
        let err = fetch(
            &LocalNode,
            &src,
            &dst,
            FileMode {
                mode: 0o600,
                owner: None,
            },
            Some(16 << 20),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(
            matches!(err, NodeError::SizeMismatch { got: 5, .. }),
            "{err}"
        );
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["seg"], "no target, no temporary file");
    }
}
