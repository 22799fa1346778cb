//! The acting parts of a switchover: the single-instance lock held on the peer for the
//! run, the ban of the promoted role (and its removal), the waits for the new roles, the
//! archive copy from the new primary to the old one (either direction over the seam: the
//! source is always the new primary), and the clean-up of the failure the move left.

use crate::exec::{quote, Cmd, Tools};
use crate::msg::switchover as m;
use crate::node::{transfer, DirEntry, FileKind, FileMode, Node, RunAs};
use crate::ops::cluster;
use crate::ops::wait::Poll;
use crate::pacemaker::{ClusterState, Role};
use crate::postgres::WalName;
use crate::profile::Names;
use crate::{t, Error, Result};
use std::path::Path;
use std::time::Duration;

const CRM_TIMEOUT: Duration = Duration::from_secs(60);

fn crm_resource(node: &dyn Node, tools: &Tools) -> Cmd {
    if node.is_local() {
        Cmd::new(crate::pacemaker::source::pacemaker_path(
            tools,
            "crm_resource",
        ))
    } else {
        Cmd::new("crm_resource")
    }
    .env_remove("CIB_file")
    .timeout(CRM_TIMEOUT)
}

/// Keep the promoted role of `promotable` off `old` until `end` (the safety net when pgrex
/// dies before it removes the constraint): the constraint `crm_resource --ban --promoted
/// --lifetime` would make (same id, so `crm_resource --clear --promoted` removes it), but
/// with the role on the rule. Pacemaker ignores a `rsc_location`'s role when it has a rule
/// (ClusterLabs/pacemaker#3409), so crm_resource's own form bans the whole instance: the
/// old primary is stopped, not demoted, before the promotion (about 1.5 s more outage in
/// the lab). The rule's role is honoured (Pacemaker 2.1: `crm_simulate` shows `Demote`).
pub fn ban_command(
    node: &dyn Node,
    tools: &Tools,
    promotable: &str,
    old: &str,
    lifetime: Duration,
) -> Cmd {
    let cib = if node.is_local() {
        Cmd::new(crate::pacemaker::source::pacemaker_path(tools, "cibadmin"))
    } else {
        Cmd::new("cibadmin")
    };
    cib.env_remove("CIB_file")
        .timeout(CRM_TIMEOUT)
        .args(["--create", "-o", "constraints", "-X"])
        .arg(ban_xml(promotable, old, lifetime))
}

/// The constraint of [`ban_command`], expiring `lifetime` from now (also the benchmark's
/// floor: the same ban without pgrex's steps around it).
pub fn ban_xml(promotable: &str, old: &str, lifetime: Duration) -> String {
    let end = jiff::Timestamp::now() + jiff::SignedDuration::try_from(lifetime).unwrap_or_default();
    let id = format!("cli-ban-{promotable}-on-{old}");
    let e = |v: &str| quick_xml::escape::escape(v).into_owned();
    format!(
        "<rsc_location id=\"{id}\" rsc=\"{rsc}\">\
         <rule id=\"{id}-rule\" role=\"Promoted\" score=\"-INFINITY\" boolean-op=\"and\">\
         <expression id=\"{id}-expr\" attribute=\"#uname\" operation=\"eq\" value=\"{node}\" type=\"string\"/>\
         <date_expression id=\"{id}-lifetime\" operation=\"lt\" end=\"{end}\"/>\
         </rule></rsc_location>",
        id = e(&id),
        rsc = e(promotable),
        node = e(old),
        end = end.strftime("%Y-%m-%d %H:%M:%S Z"),
    )
}

/// `crm_resource --clear --promoted`: remove that ban (and only the cli- constraints of
/// this resource on that node).
pub fn clear_command(node: &dyn Node, tools: &Tools, promotable: &str, old: &str) -> Cmd {
    crm_resource(node, tools).args(["--clear", "--promoted", "-r", promotable, "-N", old])
}

/// `crm_resource --cleanup -r RSC -N NODE`.
pub fn cleanup_command(node: &dyn Node, tools: &Tools, rsc: &str, on: &str) -> Cmd {
    crm_resource(node, tools).args(["--cleanup", "-r", rsc, "-N", on])
}

/// Has `new` become the primary, with the primary group (its VIPs) running there?
pub fn new_primary_ready(st: &ClusterState, names: &Names, new: &str) -> Poll {
    if cluster::primary_node(st, names).as_deref() != Some(new) {
        return Poll::Pending(t!(m::PENDING_PRIMARY, node = new));
    }
    for vip in [&names.vip_primary, &names.vip_replication]
        .into_iter()
        .flatten()
    {
        if st.has(vip) && !st.running_on(vip).contains(&new) {
            return Poll::Pending(t!(m::PENDING_VIP, vip = vip, node = new));
        }
    }
    Poll::Ready
}

/// `node` has left the cluster (offline, or unclean: powered off, crashed, being fenced):
/// it cannot become the primary, whatever the wait does.
pub fn node_lost(st: &ClusterState, node: &str) -> bool {
    st.node(node).is_none_or(|n| !n.online || n.unclean)
}

/// No primary, `new` has left the cluster and `old` — its PostgreSQL stopped by the
/// switchover before the move, `pgsql-data-status` still `LATEST` (so no other node was
/// ever recorded as the primary since) — sits stopped with its PGSQL.lock and a fail-count:
/// Pacemaker will not start it by itself, and the database service is down until it is.
pub fn old_primary_stranded(st: &ClusterState, names: &Names, old: &str, new: &str) -> bool {
    node_lost(st, new)
        && !node_lost(st, old)
        && cluster::primary_node(st, names).is_none()
        && matches!(cluster::pg_role(st, names, old), None | Some(Role::Stopped))
        && cluster::attr(st, old, &names.data_status_attr()) == Some("LATEST")
}

/// Is `old` the synchronous standby again (with the standby VIP when there is one)?
pub fn old_standby_ready(st: &ClusterState, names: &Names, old: &str, vip: bool) -> Poll {
    if !cluster::is_sync_standby(st, names, old) {
        let status = cluster::attr(st, old, &names.status_attr()).unwrap_or("-");
        return Poll::Pending(t!(m::PENDING_STANDBY, node = old, status = status));
    }
    if let (true, Some(v)) = (vip, &names.vip_standby) {
        if st.has(v) && !st.running_on(v).contains(&old) {
            return Poll::Pending(t!(m::PENDING_VIP, vip = v, node = old));
        }
    }
    Poll::Ready
}

/// The single-instance lock taken on the peer: a `flock` holder process there (the Perl
/// tools see the file, pgrex sees the flock), released on drop.
pub struct PeerLock<'a> {
    node: &'a dyn Node,
    path: String,
    pid: String,
}

impl<'a> PeerLock<'a> {
    /// Take the lock on `node` for at most `hold` (it lapses by itself if we die).
    pub fn take(node: &'a dyn Node, lock: &Path, hold: Duration) -> Result<PeerLock<'a>> {
        let f = quote(&lock.to_string_lossy());
        let out = node.output(&Self::take_cmd(&f, hold), &RunAs::Root)?;
        let pid = out.stdout.trim().to_string();
        if !out.status.success() || pid.is_empty() {
            return Err(Error::refused(
                t!(
                    m::PEER_LOCK_FAILED,
                    node = node.describe(),
                    path = lock.display()
                ),
                Some(t!(m::PEER_LOCK_HINT, path = lock.display())),
            ));
        }
        Ok(PeerLock { node, path: f, pid })
    }

    /// The command that takes the lock. It runs to its end after SIGINT/SIGTERM too
    /// (bounded by its timeout): cut short, it could leave the holder started on the peer
    /// with no `PeerLock` to release it (issue 9's lab run, boundary 4).
    fn take_cmd(f: &str, hold: Duration) -> Cmd {
        // flock runs `sh`, which writes its PID (kept by the `sleep` it becomes) into the
        // file; the file then names a live process that holds the flock.
        let script = format!(
            "f={f}; (setsid flock -n -E 75 \"$f\" sh -c 'echo $$ > \"$0\"; exec sleep \"$1\"' \"$f\" {secs} \
             </dev/null >/dev/null 2>&1 &); i=0; while [ $i -lt 30 ]; do \
             p=$(cat \"$f\" 2>/dev/null | tr -dc 0-9); \
             if [ -n \"$p\" ] && [ \"$(cat /proc/$p/comm 2>/dev/null)\" = sleep ]; then echo \"$p\"; exit 0; fi; \
             sleep 0.1; i=$((i+1)); done; exit 75",
            secs = hold.as_secs().max(1)
        );
        Cmd::new("sh")
            .arg("-c")
            .arg(script)
            .timeout(CRM_TIMEOUT)
            .through_interrupt()
    }
}

impl Drop for PeerLock<'_> {
    fn drop(&mut self) {
        let script = format!(
            // Emptied, never removed (as this node's own lock, ops/lock.rs): an empty file
            // is what the Perl tools take as stale.
            "f={f}; [ \"$(cat \"$f\" 2>/dev/null | tr -dc 0-9)\" = {pid} ] && : > \"$f\"; kill {pid} 2>/dev/null; exit 0",
            f = self.path,
            pid = self.pid
        );
        // Also after SIGINT/SIGTERM: the release is what an interrupted run leaves behind.
        let _ = self.node.output(
            &Cmd::new("sh")
                .arg("-c")
                .arg(script)
                .timeout(CRM_TIMEOUT)
                .through_interrupt(),
            &RunAs::Root,
        );
    }
}

/// The archive files to copy: on the source (the new primary), missing on the destination
/// or of another size; WAL-archive names only. Auxiliary files (history, backup, partial)
/// first, then segments, each by name (spec §2.11).
pub fn archive_wanted<'e>(src: &'e [DirEntry], dst: &[DirEntry]) -> Vec<&'e DirEntry> {
    let have = |e: &DirEntry| {
        dst.iter()
            .any(|x| x.name == e.name && x.stat.size == e.stat.size)
    };
    let mut wanted: Vec<&DirEntry> = src
        .iter()
        .filter(|e| e.stat.kind == FileKind::File && !have(e))
        .filter(|e| !matches!(WalName::classify(&e.name), WalName::Other))
        .collect();
    wanted.sort_by_key(|e| (!WalName::classify(&e.name).is_auxiliary(), e.name.clone()));
    wanted
}

/// Copy the new primary's archive files the old primary lacks (spec §3.4 step 17), whichever
/// of them is this machine. Sizes are checked first (a plain segment must be a whole
/// segment); returns how many files were copied.
pub fn sync_archive(
    src: &dyn Node,
    dst: &dyn Node,
    dir: &Path,
    seg_size: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<usize> {
    let list = |n: &dyn Node| -> Result<Vec<DirEntry>> {
        Ok(if n.stat(dir)?.is_some() {
            n.list_dir(dir)?
        } else {
            Vec::new()
        })
    };
    let (theirs, mine) = (list(src)?, list(dst)?);
    let wanted = archive_wanted(&theirs, &mine);
    for e in &wanted {
        let plain = WalName::classify(&e.name).is_plain_segment();
        if (plain && e.stat.size != seg_size) || e.stat.size == 0 {
            return Err(Error::other(
                t!(m::ARCHIVE_BAD_SIZE, name = e.name, size = e.stat.size),
                None,
            ));
        }
    }
    let owner = dst.stat(dir)?.map(|s| (s.uid, s.gid));
    let total: u64 = wanted.iter().map(|e| e.stat.size).sum();
    let mut done = 0u64;
    for e in &wanted {
        let path = dir.join(&e.name);
        let mode = FileMode {
            mode: e.stat.mode & 0o777,
            owner,
        };
        if dst.is_local() {
            let base = done;
            transfer::fetch(src, &path, &path, mode, Some(e.stat.size), &mut |n| {
                progress(base + n, total)
            })?;
        } else {
            // This machine is the new primary: send the file (one segment at a time).
            let data = src.read_file(&path)?;
            if data.len() as u64 != e.stat.size {
                return Err(Error::other(
                    t!(m::ARCHIVE_BAD_SIZE, name = e.name, size = data.len()),
                    None,
                ));
            }
            dst.write_file(&path, &data, mode)?;
        }
        done += e.stat.size;
        progress(done, total);
    }
    Ok(wanted.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::LocalNode;

    /// The peer's lock, taken and released with the real shell, `flock` and `setsid` (here
    /// on this machine): while held the file names a live `sleep` holding the flock; after
    /// the release the file stays, empty, and the holder is gone.
    /// Taking the lock runs through an interruption: cut short by SIGINT, the holder could
    /// already run on the peer with nothing left to release it.
    #[test]
    fn taking_the_peer_lock_runs_through_an_interruption() {
        let cmd = PeerLock::take_cmd("/var/run/pg-rex_tools.pid", Duration::from_secs(60));
        assert!(cmd.runs_through_interrupt());
    }

    #[test]
    fn the_peer_lock_is_emptied_on_release_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pg-rex_tools.pid");
        let node = LocalNode::new();
        let lock = PeerLock::take(&node, &path, Duration::from_secs(60)).unwrap();
        let pid = lock.pid.clone();
        assert_eq!(std::fs::read_to_string(&path).unwrap().trim(), pid);
        drop(lock);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "");
        let until = std::time::Instant::now() + Duration::from_secs(5);
        let gone = || {
            !matches!(
                std::fs::read_to_string(format!("/proc/{pid}/comm")),
                Ok(c) if c.trim() == "sleep"
            )
        };
        while !gone() && std::time::Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(gone(), "the holder {pid} outlived the release");
    }
}
