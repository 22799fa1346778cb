//! The single-instance lock `/var/run/pg-rex_tools.pid` (spec §2.6 [Rec]): the same path
//! as the Perl tools, so one of them and pgrex never run at once on a node, held with
//! `flock` (released by the kernel when we die) and holding our PID for diagnostics.
//!
//! The file stays: dropping the lock empties it and releases the flock, never unlinks it
//! (an unlink lets a process that opened the old inode and one that creates a new file both
//! "hold" the lock). An empty file is what the Perl tools treat as stale, so they still
//! take it over. A PID in the file counts as a holder only when that process is alive AND
//! started before the file was written: a PID reused by a later program is stale.

use crate::msg::ops as m;
use crate::{t, Error, Result};
use nix::fcntl::{Flock, FlockArg};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// Where the PG-REX tools keep their lock.
pub const DEFAULT_PATH: &str = "/var/run/pg-rex_tools.pid";

/// The held lock; dropping it empties the file (which stays) and releases the lock.
#[derive(Debug)]
pub struct PidLock {
    file: Flock<std::fs::File>,
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
        // A Perl tool that found our file stale may unlink and recreate it between our open
        // and our flock: lock the inode the path names at the end, not an unlinked one.
        let mut file = loop {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .map_err(io)?;
            let file = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
                Ok(f) => f,
                Err((mut f, _)) => {
                    let mut s = String::new();
                    let _ = f.read_to_string(&mut s);
                    return Err(held(path, s.trim()));
                }
            };
            if same_file(&file, path) {
                break file;
            }
        };
        // A Perl tool takes the lock by creating the file, not with flock: a live PID in
        // the file that is not ours, of a process older than the file, means one runs now.
        let mut s = String::new();
        let _ = file.read_to_string(&mut s);
        if let Ok(pid) = s.trim().parse::<i32>() {
            let me = std::process::id() as i32;
            let written = file.metadata().and_then(|m| m.modified()).ok();
            if pid != me && pid > 0 && holds(pid, written) {
                return Err(held(path, s.trim()));
            }
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(PidLock { file })
    }
}

/// Whether the open file is still the one `path` names.
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether process `pid` can be the one that wrote the file at `written`: alive, and not
/// started after it. When the start time cannot be read, a live process counts (refusing
/// is the safe side).
fn holds(pid: i32, written: Option<std::time::SystemTime>) -> bool {
    if nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err() {
        return false;
    }
    match (written, process_start(pid)) {
        // Two clock ticks of slack: /proc counts in ticks, the file time in nanoseconds.
        (Some(w), Some(start)) => start <= w + std::time::Duration::from_millis(20),
        _ => true,
    }
}

/// When process `pid` started, as wall-clock time: field 22 of `/proc/PID/stat` (clock
/// ticks since boot) on the boot time (`CLOCK_REALTIME - CLOCK_BOOTTIME`).
fn process_start(pid: i32) -> Option<std::time::SystemTime> {
    use nix::time::{clock_gettime, ClockId};
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let (_, rest) = stat.rsplit_once(')')?;
    let ticks: u64 = rest.split_whitespace().nth(19)?.parse().ok()?;
    let hz = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK).ok()??;
    let hz = u64::try_from(hz).ok().filter(|h| *h > 0)?;
    let since_boot = std::time::Duration::from_nanos(ticks.checked_mul(1_000_000_000)? / hz);
    let real = std::time::Duration::from(clock_gettime(ClockId::CLOCK_REALTIME).ok()?);
    let boot = std::time::Duration::from(clock_gettime(ClockId::CLOCK_BOOTTIME).ok()?);
    let booted = std::time::UNIX_EPOCH + real.checked_sub(boot)?;
    Some(booted + since_boot)
}

fn held(path: &Path, pid: &str) -> Error {
    Error::refused(
        t!(m::LOCK_HELD, pid = pid, path = path.display()),
        Some(t!(m::LOCK_HELD_HINT, pid = pid)),
    )
}

impl Drop for PidLock {
    fn drop(&mut self) {
        // Empty, not removed: the flock goes with the descriptor right after.
        let _ = self.file.set_len(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_and_the_file_stays_empty() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pg-rex_tools.pid");
        let first = PidLock::acquire(&p).unwrap();
        let content = std::fs::read_to_string(&p).unwrap();
        assert_eq!(content.trim(), std::process::id().to_string());
        let second = PidLock::acquire(&p).unwrap_err();
        assert_eq!(second.exit_code(), crate::ExitCode::Refused);
        assert!(second.to_string().contains(content.trim()), "{second}");
        let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        let before = inode(&p);
        drop(first);
        // The file stays (same inode), empty: what the Perl tools take as stale.
        assert_eq!(inode(&p), before);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "");
        let _third = PidLock::acquire(&p).unwrap();
        assert_eq!(inode(&p), before);
    }

    fn sleeper() -> std::process::Child {
        std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap()
    }

    /// A live process that started after the file was written cannot have written it:
    /// its PID was reused, and the file is stale.
    #[test]
    fn a_pid_reused_by_a_later_program_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pg-rex_tools.pid");
        std::fs::write(&p, "0\n").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(100));
        let mut later = sleeper();
        // Write the PID without touching the time: the file is older than the process.
        let old = std::fs::metadata(&p).unwrap().modified().unwrap();
        std::fs::write(&p, format!("{}\n", later.id())).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let taken = PidLock::acquire(&p);
        let _ = later.kill();
        let _ = later.wait();
        let taken = taken.unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap().trim(),
            std::process::id().to_string()
        );
        drop(taken);
    }

    /// A live process older than the file (a Perl tool that created it) holds the lock.
    #[test]
    fn a_live_older_process_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pg-rex_tools.pid");
        let mut older = sleeper();
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::fs::write(&p, format!("{}\n", older.id())).unwrap();
        let r = PidLock::acquire(&p);
        let _ = older.kill();
        let _ = older.wait();
        let e = r.unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Refused);
        assert!(e.to_string().contains(&older.id().to_string()), "{e}");
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
