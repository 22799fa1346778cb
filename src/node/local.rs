//! This machine as a [`Node`]: commands through [`crate::exec::Cmd`], files through `std::fs`.

use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::command_line;
use super::error::NodeError;
use super::seam::{DirEntry, FileKind, FileMode, FileStat, Node, RunAs};
use crate::exec::{Cmd, Output};

/// The node pgrex runs on.
#[derive(Debug, Clone, Default)]
pub struct LocalNode;

impl LocalNode {
    pub fn new() -> Self {
        LocalNode
    }

    fn io(&self, op: &'static str, path: &Path, source: std::io::Error) -> NodeError {
        NodeError::Io {
            node: self.describe(),
            op,
            path: path.to_path_buf(),
            source,
        }
    }
}

pub(crate) fn stat_of(m: &std::fs::Metadata) -> FileStat {
    FileStat {
        kind: FileKind::from_mode(m.mode()),
        size: m.len(),
        mode: m.mode() & 0o7777,
        uid: m.uid(),
        gid: m.gid(),
        mtime: m.mtime(),
    }
}

/// A temporary name beside `path` (same directory, so the final rename is atomic).
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".pgrex-tmp.{}", std::process::id()));
    path.with_file_name(name)
}

impl Node for LocalNode {
    fn describe(&self) -> String {
        "local".into()
    }

    fn is_local(&self) -> bool {
        true
    }

    fn output(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError> {
        Ok(command_line::local(cmd, as_user).output()?)
    }

    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError> {
        match std::fs::symlink_metadata(path) {
            Ok(m) => Ok(Some(stat_of(&m))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io("stat", path, e)),
        }
    }

    fn read_to(&self, path: &Path, sink: &mut dyn Write) -> Result<u64, NodeError> {
        let mut f = std::fs::File::open(path).map_err(|e| self.io("read", path, e))?;
        let mut buf = vec![0u8; 256 * 1024];
        let mut total = 0u64;
        loop {
            let n = f.read(&mut buf).map_err(|e| self.io("read", path, e))?;
            if n == 0 {
                return Ok(total);
            }
            sink.write_all(&buf[..n])
                .map_err(|e| self.io("read", path, e))?;
            total += n as u64;
        }
    }

    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError> {
        let tmp = temp_beside(path);
        let result = (|| {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(data)?;
            f.set_permissions(std::fs::Permissions::from_mode(mode.mode))?;
            if let Some((uid, gid)) = mode.owner {
                std::os::unix::fs::fchown(&f, Some(uid), Some(gid))?;
            }
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.io("write", path, e));
        }
        Ok(())
    }

    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        match std::fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(self.io("remove", path, e)),
        }
    }

    /// `unlinkat(2)` on the directory's descriptor (opened with `O_NOFOLLOW`: a symlinked
    /// directory is refused), one call per name and no process: every name is checked to
    /// be a plain name first, so a bad one removes nothing.
    fn remove_in_dir(&self, dir: &Path, names: &[String]) -> Result<(), NodeError> {
        use nix::errno::Errno;
        use nix::fcntl::OFlag;
        if let Some(bad) = names
            .iter()
            .find(|n| n.is_empty() || n.contains('/') || *n == "." || *n == "..")
        {
            let e = std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a plain file name");
            return Err(self.io("remove", &dir.join(bad), e));
        }
        tracing::debug!(dir = %dir.display(), files = names.len(), "unlinkat in the directory");
        let flags = OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
        let fd = nix::fcntl::open(dir, flags, nix::sys::stat::Mode::empty())
            .map_err(|e| self.io("open", dir, e.into()))?;
        for n in names {
            match nix::unistd::unlinkat(&fd, n.as_str(), nix::unistd::UnlinkatFlags::NoRemoveDir) {
                Ok(()) | Err(Errno::ENOENT) => {}
                Err(e) => return Err(self.io("remove", &dir.join(n), e.into())),
            }
        }
        Ok(())
    }

    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(path).map_err(|e| self.io("list", path, e))? {
            let e = e.map_err(|e| self.io("list", path, e))?;
            let m = match e.metadata() {
                Ok(m) => m,
                // Removed while we listed (archive cleanup running): not an entry any more.
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => return Err(self.io("stat", &e.path(), err)),
            };
            out.push(DirEntry {
                name: e.file_name().to_string_lossy().into_owned(),
                stat: stat_of(&m),
            });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_in_dir_unlinks_only_the_named_plain_names_never_through_a_symlink() {
        let d = tempfile::tempdir().unwrap();
        let (arch, other) = (d.path().join("arch"), d.path().join("other"));
        std::fs::create_dir(&arch).unwrap();
        std::fs::create_dir(&other).unwrap();
        for f in ["a", "b", "c"] {
            std::fs::write(arch.join(f), b"").unwrap();
        }
        std::fs::write(other.join("t"), b"kept").unwrap();
        std::os::unix::fs::symlink(other.join("t"), arch.join("link")).unwrap();
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let left = |p: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(p)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let n = LocalNode::new();
        // A bad name anywhere in the list: refused before anything is removed.
        for bad in ["../other/t", "", ".."] {
            let e = n.remove_in_dir(&arch, &names(&["a", bad])).unwrap_err();
            assert!(e.to_string().contains("plain file name"), "{e}");
            assert_eq!(left(&arch), ["a", "b", "c", "link"]);
        }
        // A name already gone is fine; a symlink goes itself, its target stays.
        n.remove_in_dir(&arch, &names(&["a", "gone", "link"]))
            .unwrap();
        assert_eq!(left(&arch), ["b", "c"]);
        assert_eq!(std::fs::read(other.join("t")).unwrap(), b"kept");
        // A directory named is not removed (an error names it).
        std::fs::create_dir(arch.join("sub")).unwrap();
        let e = n.remove_in_dir(&arch, &names(&["sub"])).unwrap_err();
        assert!(e.to_string().contains("sub"), "{e}");
        assert!(arch.join("sub").is_dir());
        // The directory given through a symlink: refused, nothing removed.
        let via = d.path().join("via");
        std::os::unix::fs::symlink(&arch, &via).unwrap();
        assert!(n.remove_in_dir(&via, &names(&["b"])).is_err());
        assert_eq!(left(&arch), ["b", "c", "sub"]);
    }

    #[test]
    fn files_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let n = LocalNode::new();
        let p = dir.path().join("a'b $(x)");
        assert_eq!(n.stat(&p).unwrap(), None);
        n.write_file(
            &p,
            b"hello",
            FileMode {
                mode: 0o640,
                owner: None,
            },
        )
        .unwrap();
        let st = n.stat(&p).unwrap().unwrap();
        assert_eq!((st.kind, st.size, st.mode), (FileKind::File, 5, 0o640));
        assert_eq!(n.read_file(&p).unwrap(), b"hello");
        n.write_file(
            &p,
            b"bye",
            FileMode {
                mode: 0o600,
                owner: None,
            },
        )
        .unwrap();
        assert_eq!(n.read_file(&p).unwrap(), b"bye");
        std::os::unix::fs::symlink(&p, dir.path().join("link")).unwrap();
        let names: Vec<_> = n
            .list_dir(dir.path())
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.stat.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("a'b $(x)".to_string(), FileKind::File),
                ("link".to_string(), FileKind::Symlink)
            ]
        );
        assert!(n.remove_file(&p).unwrap());
        assert!(!n.remove_file(&p).unwrap());
        assert!(n.read_file(&p).is_err());
    }

    #[test]
    fn errors_name_the_path() {
        let err = LocalNode::new()
            .list_dir(Path::new("/nonexistent/pgrex"))
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/pgrex"), "{err}");
    }

    #[test]
    fn commands_run_as_root_and_as_a_user() {
        let n = LocalNode::new();
        let out = n.run(&Cmd::new("id").arg("-un"), &RunAs::Root).unwrap();
        let me = out.stdout.trim().to_string();
        let err = n
            .run(&Cmd::new("sh").args(["-c", "exit 4"]), &RunAs::Root)
            .unwrap_err();
        assert!(
            matches!(&err, NodeError::Exec(e) if e.status() == Some(crate::exec::Status::Exited(4))),
            "{err}"
        );
        // runuser only works as root; the lab and CI run as root.
        if me == "root"
            && nix::unistd::User::from_name("postgres")
                .ok()
                .flatten()
                .is_some()
        {
            let out = n
                .run(
                    &Cmd::new("sh").args(["-c", "id -un; pwd"]),
                    &RunAs::postgres(),
                )
                .unwrap();
            assert_eq!(out.stdout, "postgres\n/\n");
        }
    }

    /// `psql CHECKPOINT` in stop runs as the owner through `runuser`, which forks: its
    /// timeout must end the program itself, not only `runuser` (the program held the pipe
    /// and the timeout was ignored).
    #[test]
    fn a_timeout_as_the_owner_ends_the_program_not_only_runuser() {
        let root = nix::unistd::geteuid().is_root();
        if !root
            || nix::unistd::User::from_name("nobody")
                .ok()
                .flatten()
                .is_none()
        {
            eprintln!("skipped: runuser needs root and the user nobody");
            return;
        }
        let marker = format!("pgrex-runuser-timeout-{}", std::process::id());
        let err = LocalNode::new()
            .run(
                &Cmd::new("sh")
                    .args(["-c", "sleep 60; :", &marker])
                    .timeout(std::time::Duration::from_millis(500)),
                &RunAs::User("nobody".into()),
            )
            .unwrap_err();
        assert!(
            matches!(
                &err,
                NodeError::Exec(crate::exec::ExecError::Timeout { .. })
            ),
            "{err}"
        );
        let alive = || {
            std::fs::read_dir("/proc").unwrap().flatten().any(|e| {
                std::fs::read(e.path().join("cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&marker))
            })
        };
        let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while alive() && std::time::Instant::now() < until {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            !alive(),
            "the program run through runuser survived its timeout"
        );
    }
}
