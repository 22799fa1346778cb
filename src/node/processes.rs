//! Which processes of this machine use a data directory: a fact of the node, read from
//! `/proc` (see `ops::in_use` for the policy built on it, "DB cluster in use", spec §2.9).
//!
//! The Perl tool asks `lsof +D <pgdata> -F cuLR0`; lsof is often not installed, so this
//! reads `/proc/<pid>/cwd` and `/proc/<pid>/fd/*` directly (no package, same answer for
//! regular files and directories). A running postmaster holds its data directory as its
//! working directory. Like lsof's output in the Perl tool, a holder whose parent is also a
//! holder is folded into the parent (a postmaster and its backends are one line). pgrex
//! itself and the processes it runs under (the operator's shell, sudo, sshd) are not
//! counted: they are the operator, not a user of the cluster. Only processes in this
//! process's mount namespace count: elsewhere the same path names another file.
//!
//! [`Processes`] is the seam: operations read the process table through it, so a test puts
//! a recorded one (`node::fake`) in place of `/proc`.

use std::path::{Path, PathBuf};

/// One process as `/proc` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    pub command: String,
    pub uid: u32,
    /// Its working directory and the targets of its open descriptors.
    pub paths: Vec<PathBuf>,
    /// Its mount namespace (`/proc/<pid>/ns/mnt`): a path means the same file only inside
    /// the same mount namespace (containers, the lab's other node).
    pub mnt_ns: Option<PathBuf>,
}

/// A process using the database cluster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Holder {
    pub pid: i32,
    pub command: String,
    pub uid: u32,
    pub user: String,
}

/// The holders among `procs` (pure): any path under `pgdata`, minus `exclude`, children of
/// holders folded into their parent.
pub fn holders(procs: &[Proc], pgdata: &Path, exclude: &[i32]) -> Vec<Proc> {
    let using: Vec<&Proc> = procs
        .iter()
        .filter(|p| !exclude.contains(&p.pid))
        .filter(|p| p.paths.iter().any(|x| x.starts_with(pgdata)))
        .collect();
    let mut out: Vec<Proc> = using
        .iter()
        .filter(|p| !using.iter().any(|q| q.pid == p.ppid))
        .map(|p| (*p).clone())
        .collect();
    out.sort_by_key(|p| p.pid);
    out
}

/// `Name:`-style field of `/proc/<pid>/status`.
fn status_field<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .map(str::trim)
}

/// Parse `/proc/<pid>/status` into (command, ppid, real uid).
fn parse_status(status: &str) -> Option<(String, i32, u32)> {
    let name = status_field(status, "Name")?.to_string();
    let ppid = status_field(status, "PPid")?.parse().ok()?;
    let uid = status_field(status, "Uid")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some((name, ppid, uid))
}

/// Every process of this machine (those that vanish or cannot be read are skipped).
pub fn scan_proc() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let base = e.path();
        let Some((command, ppid, uid)) = std::fs::read_to_string(base.join("status"))
            .ok()
            .as_deref()
            .and_then(parse_status)
        else {
            continue;
        };
        let mut paths: Vec<PathBuf> = std::fs::read_link(base.join("cwd")).into_iter().collect();
        if let Ok(fds) = std::fs::read_dir(base.join("fd")) {
            paths.extend(
                fds.flatten()
                    .filter_map(|f| std::fs::read_link(f.path()).ok()),
            );
        }
        out.push(Proc {
            pid,
            ppid,
            command,
            uid,
            paths,
            mnt_ns: std::fs::read_link(base.join("ns/mnt")).ok(),
        });
    }
    out
}

/// This process and its ancestors (the operator's session).
fn self_and_ancestors(procs: &[Proc]) -> Vec<i32> {
    let mut chain = vec![std::process::id() as i32];
    while let Some(p) = procs.iter().find(|p| Some(&p.pid) == chain.last()) {
        if p.ppid <= 0 || chain.contains(&p.ppid) {
            break;
        }
        chain.push(p.ppid);
    }
    chain
}

/// The processes using `<pgdata>` on this machine now.
pub fn cluster_holders(pgdata: &Path) -> Vec<Holder> {
    // Compare real paths: /proc shows resolved links (a /var/lib/pgsql symlink would hide
    // every holder otherwise).
    let root = std::fs::canonicalize(pgdata).unwrap_or_else(|_| pgdata.to_path_buf());
    let mine = std::fs::read_link("/proc/self/ns/mnt").ok();
    let procs: Vec<Proc> = scan_proc()
        .into_iter()
        .filter(|p| mine.is_none() || p.mnt_ns == mine)
        .collect();
    let exclude = self_and_ancestors(&procs);
    holders(&procs, &root, &exclude)
        .into_iter()
        .map(|p| Holder {
            pid: p.pid,
            user: nix::unistd::User::from_uid(p.uid.into())
                .ok()
                .flatten()
                .map(|u| u.name)
                .unwrap_or_else(|| p.uid.to_string()),
            command: p.command,
            uid: p.uid,
        })
        .collect()
}

/// Who uses a data directory on this machine: the seam an operation reads it through, so a
/// test can put a recorded process table in place of `/proc`.
pub trait Processes: Send + Sync {
    fn holders(&self, pgdata: &Path) -> Vec<Holder>;
}

/// This machine's processes, read from `/proc`.
#[derive(Debug, Default)]
pub struct LiveProcesses;

impl Processes for LiveProcesses {
    fn holders(&self, pgdata: &Path) -> Vec<Holder> {
        cluster_holders(pgdata)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn p(pid: i32, ppid: i32, cmd: &str, paths: &[&str]) -> Proc {
        Proc {
            pid,
            ppid,
            command: cmd.into(),
            uid: 26,
            paths: paths.iter().map(PathBuf::from).collect(),
            mnt_ns: None,
        }
    }

    #[test]
    fn postmaster_and_backends_are_one_holder() {
        let procs = [
            p(1, 0, "systemd", &["/"]),
            p(100, 1, "postgres", &["/var/lib/pgsql/data", "/dev/null"]),
            p(
                101,
                100,
                "postgres",
                &["/var/lib/pgsql/data", "/var/lib/pgsql/data/base/5/1259"],
            ),
            p(
                102,
                100,
                "postgres",
                &["/var/lib/pgsql/data/pg_wal/000000010000000000000003"],
            ),
            p(200, 1, "bash", &["/root"]),
            p(
                300,
                1,
                "less",
                &["/tmp", "/var/lib/pgsql/data/log/postgresql.log"],
            ),
        ];
        let h = holders(&procs, Path::new("/var/lib/pgsql/data"), &[]);
        assert_eq!(h.iter().map(|p| p.pid).collect::<Vec<_>>(), [100, 300]);
    }

    #[test]
    fn prefix_of_a_name_is_not_under() {
        // /var/lib/pgsql/data2 is not under /var/lib/pgsql/data.
        let procs = [p(7, 1, "postgres", &["/var/lib/pgsql/data2"])];
        assert!(holders(&procs, Path::new("/var/lib/pgsql/data"), &[]).is_empty());
    }

    #[test]
    fn excluded_processes_do_not_count() {
        let procs = [p(7, 1, "bash", &["/var/lib/pgsql/data"])];
        assert!(holders(&procs, Path::new("/var/lib/pgsql/data"), &[7]).is_empty());
    }

    #[test]
    fn status_is_parsed() {
        let s = "Name:\tpostgres\nUmask:\t0077\nState:\tS (sleeping)\nTgid:\t42\nPid:\t42\nPPid:\t1\nUid:\t26\t26\t26\t26\n";
        assert_eq!(parse_status(s), Some(("postgres".into(), 1, 26)));
        assert_eq!(parse_status("Name:\tx\n"), None);
    }

    /// A real process whose working directory is a fresh temporary directory.
    pub(crate) fn sleeper() -> (tempfile::TempDir, std::process::Child) {
        let d = tempfile::tempdir().unwrap();
        let child = std::process::Command::new("sleep")
            .arg("30")
            .current_dir(d.path())
            .spawn()
            .unwrap();
        (d, child)
    }

    #[test]
    fn a_real_process_in_the_directory_is_found() {
        let (d, mut child) = sleeper();
        let found = LiveProcesses.holders(d.path());
        child.kill().unwrap();
        child.wait().unwrap();
        let me = found.iter().find(|h| h.pid == child.id() as i32).unwrap();
        assert_eq!(me.command, "sleep");
        assert!(LiveProcesses.holders(d.path()).is_empty());
    }
}
