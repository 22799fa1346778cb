//! "The node a step belongs to": the existing operations run unchanged on either node. On
//! this node a step gets the binary's context; on the other node it gets a context whose
//! `local` is the SSH session to it (its processes read from its `/proc` over that session)
//! and whose "peer" is this machine — the same Node seam the switchover drives both nodes
//! through, so the operator at the surviving node never logs in to the failed one.

use crate::config::{IcPair, Timeouts};
use crate::exec::{quote, Cmd};
use crate::node::processes::{holders, Holder, Proc, Processes};
use crate::node::{LocalNode, Node, RunAs};
use crate::ops::OpContext;
use crate::profile::Names;
use crate::Result;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What the lifecycle operations need, from the configuration (the binary fills it).
pub struct Lifecycle<'a> {
    pub timeouts: Timeouts,
    pub pgpath: Option<PathBuf>,
    pub archive_dir: PathBuf,
    pub standby_vip: bool,
    /// This node's and the other node's D-LAN addresses.
    pub mine: IpAddr,
    pub peer: IpAddr,
    pub ic: Vec<IcPair>,
    pub lock_path: PathBuf,
    pub max_lag: u64,
    /// How pg_rewind reaches the primary (`REWIND_VIA_SSH_TUNNEL`).
    pub rewind_via: crate::config::RewindVia,
    /// `HACLUSTER_NAME` (primary-start's options carry it; recover never creates a cluster).
    pub cluster_name: String,
    pub names: &'a dyn Fn(&[&str]) -> Names,
    /// Open an SSH session to the other node.
    pub connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
}

/// One node's side: its Node, its name, the address of the other one, and how to reach
/// the other one from it.
pub struct Side<'a> {
    pub node: &'a dyn Node,
    pub name: String,
    pub here: bool,
    /// The other node's D-LAN address, as seen from this side.
    pub other_addr: String,
    pub other_ic: Vec<IpAddr>,
}

impl<'a> Side<'a> {
    pub fn this(ctx: &'a OpContext, l: &Lifecycle) -> Side<'a> {
        Side {
            node: ctx.local,
            name: ctx.me.clone(),
            here: true,
            other_addr: l.peer.to_string(),
            other_ic: l.ic.iter().map(|i| i.peer).collect(),
        }
    }

    pub fn other(peer: &'a dyn Node, name: &str, l: &Lifecycle) -> Side<'a> {
        Side {
            node: peer,
            name: name.to_string(),
            here: false,
            other_addr: l.mine.to_string(),
            other_ic: l.ic.iter().map(|i| i.mine).collect(),
        }
    }

    /// The interconnect rings as this side sees them (its own address first).
    pub fn ic(&self, l: &Lifecycle) -> Vec<IcPair> {
        if self.here {
            l.ic.clone()
        } else {
            l.ic.iter()
                .map(|i| IcPair {
                    mine: i.peer,
                    peer: i.mine,
                })
                .collect()
        }
    }

    /// The context an operation runs in on this side. Its journal is recover's: the
    /// operation itself writes none (so `pgrex resume` finds the recover).
    pub fn ctx<'b>(&'b self, base: &'b OpContext, procs: &'b dyn Processes) -> OpContext<'b> {
        OpContext {
            reporter: base.reporter,
            tools: base.tools.clone(),
            local: self.node,
            processes: if self.here { base.processes } else { procs },
            me: self.name.clone(),
            interrupted: base.interrupted.clone(),
            late_said: base.late_said.clone(),
            journal_dir: None,
            journal_keep: base.journal_keep,
            dry_run: base.dry_run,
        }
    }

    /// How an operation on this side reaches the other node.
    pub fn connect_other(&self, l: &Lifecycle) -> Result<Box<dyn Node>> {
        if self.here {
            (l.connect)()
        } else {
            Ok(Box::new(LocalNode))
        }
    }
}

/// The processes of a node reached over the seam: its `/proc`, read by one shell command.
/// A process in another mount namespace is skipped (there the path names another file,
/// e.g. the lab's other node). A failure to read counts as a holder, so the operation
/// refuses rather than guesses.
pub struct RemoteProcesses<'a>(pub &'a dyn Node);

impl Processes for RemoteProcesses<'_> {
    fn holders(&self, pgdata: &Path) -> Vec<Holder> {
        match read_remote(self.0, pgdata) {
            Ok(procs) => holders(&procs, pgdata, &[])
                .into_iter()
                .map(|p| Holder {
                    pid: p.pid,
                    command: p.command,
                    uid: p.uid,
                    user: p.uid.to_string(),
                })
                .collect(),
            Err(e) => vec![Holder {
                pid: 0,
                command: format!("(/proc of {} unreadable: {e})", self.0.describe()),
                uid: 0,
                user: "?".into(),
            }],
        }
    }
}

fn read_remote(node: &dyn Node, pgdata: &Path) -> Result<Vec<Proc>> {
    let d = quote(&pgdata.to_string_lossy());
    // One line per process using the directory: pid, ppid, uid, comm, the path.
    let script = format!(
        "d={d}; me=$(readlink /proc/self/ns/mnt); for p in /proc/[0-9]*; do \
         n=${{p#/proc/}}; [ \"$(readlink $p/ns/mnt 2>/dev/null)\" = \"$me\" ] || continue; \
         for l in $p/cwd $p/fd/*; do t=$(readlink $l 2>/dev/null) || continue; \
         case \"$t\" in \"$d\"|\"$d\"/*) \
         pp=$(awk '/^PPid:/{{print $2}}' $p/status 2>/dev/null); \
         u=$(awk '/^Uid:/{{print $2}}' $p/status 2>/dev/null); \
         echo \"$n $pp $u $(cat $p/comm 2>/dev/null) $t\"; break;; esac; done; done; exit 0"
    );
    let out = node.output(
        &Cmd::new("sh")
            .arg("-c")
            .arg(script)
            .timeout(Duration::from_secs(60)),
        &RunAs::Root,
    )?;
    Ok(out.stdout.lines().filter_map(parse_line).collect())
}

fn parse_line(l: &str) -> Option<Proc> {
    let mut it = l.splitn(5, ' ');
    let pid = it.next()?.parse().ok()?;
    let ppid = it.next()?.parse().unwrap_or(0);
    let uid = it.next()?.parse().unwrap_or(0);
    let command = it.next()?.to_string();
    let path = it.next()?.to_string();
    Some(Proc {
        pid,
        ppid,
        command,
        uid,
        paths: vec![path.into()],
        mnt_ns: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remote_line_is_a_process_and_a_postmasters_backends_fold_into_it() {
        let lines = "100 1 26 postgres /var/lib/pgsql/data\n101 100 26 postgres /var/lib/pgsql/data/base/1\n";
        let procs: Vec<Proc> = lines.lines().filter_map(parse_line).collect();
        let h = holders(&procs, Path::new("/var/lib/pgsql/data"), &[]);
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].pid, h[0].command.as_str()), (100, "postgres"));
        assert!(parse_line("garbage").is_none());
    }
}
