//! The single-instance lock `/var/run/pg-rex_tools.pid` (spec §2.6 [Rec]): the same path
//! as the Perl tools, so one of them and pgrex never run at once on a node, held with
//! `flock` (released by the kernel when we die) and holding our PID for diagnostics.

use crate::msg::ops as m;
use crate::{t, Error, Result};
use nix::fcntl::{Flock, FlockArg};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// Where the PG-REX tools keep their lock.
pub const DEFAULT_PATH: &str = "/var/run/pg-rex_tools.pid";

/// The held lock; dropping it removes the file and releases the lock.
#[derive(Debug)]
pub struct PidLock {
    path: PathBuf,
    _file: Flock<std::fs::File>,
}

impl PidLock {
    /// Take the lock or refuse (exit 3) naming the PID that holds it.
    pub fn acquire(path: &Path) -> Result<PidLock> {
        let io = |e: std::io::Error| {
            Error::other(
                t!(m::LOCK_IO, path = path.display()),
                Some(t!(m::LOCK_IO_HINT, path = path.display())),
            )
            .with_source(e)
        };
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io)?;
        let mut file = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(f) => f,
            Err((mut f, _)) => {
                let mut s = String::new();
                let _ = f.read_to_string(&mut s);
                return Err(held(path, s.trim()));
            }
        };
        // A Perl tool takes the lock by creating the file, not with flock: a live PID in
        // the file that is not ours means one of them runs now.
        let mut s = String::new();
        let _ = file.read_to_string(&mut s);
        if let Ok(pid) = s.trim().parse::<i32>() {
            let me = std::process::id() as i32;
            if pid != me && pid > 0 && alive(pid) {
                return Err(held(path, s.trim()));
            }
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(PidLock {
            path: path.to_path_buf(),
            _file: file,
        })
    }
}

fn alive(pid: i32) -> bool {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
}

fn held(path: &Path, pid: &str) -> Error {
    Error::refused(
        t!(m::LOCK_HELD, pid = pid, path = path.display()),
        Some(t!(m::LOCK_HELD_HINT, pid = pid)),
    )
}

impl Drop for PidLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_and_the_file_goes_with_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pg-rex_tools.pid");
        let first = PidLock::acquire(&p).unwrap();
        let content = std::fs::read_to_string(&p).unwrap();
        assert_eq!(content.trim(), std::process::id().to_string());
        let second = PidLock::acquire(&p).unwrap_err();
        assert_eq!(second.exit_code(), crate::ExitCode::Refused);
        assert!(second.to_string().contains(content.trim()), "{second}");
        drop(first);
        assert!(!p.exists());
        let _third = PidLock::acquire(&p).unwrap();
    }

    #[test]
    fn a_stale_pid_file_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pg-rex_tools.pid");
        // PID 0x7ffffff0 does not exist on a test machine.
        std::fs::write(&p, "2147483632\n").unwrap();
        let _l = PidLock::acquire(&p).unwrap();
    }
}
