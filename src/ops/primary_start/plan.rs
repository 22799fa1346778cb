//! The pure half of `primary-start`: each refusal as a judgement over facts already read
//! (who is promoted on the peer, this node's persisted data-status, the lock file and the
//! WAL ends of both nodes, postgresql.conf), and the ordered changes that follow. Nothing
//! here reads a node; `super` gathers the facts and runs the [`Action`]s.

use crate::msg::primary as m;
use crate::ops::cluster;
use crate::pacemaker::{ClusterState, Role};
use crate::profile::Names;
use crate::{t, Error, Result};

/// The node already primary in what crm_mon shows on the peer (promoted, or primary by
/// every attribute), if any: starting here too would make two primaries.
pub fn promoted_node(st: &ClusterState, names: &Names) -> Option<String> {
    let primary = cluster::primary_node(st, names);
    st.nodes
        .iter()
        .find(|n| {
            cluster::pg_role(st, names, &n.name) == Some(Role::Promoted)
                || primary.as_deref() == Some(&n.name)
        })
        .map(|n| n.name.clone())
}

/// The data-statuses that prove this node had the newest data when it stopped.
pub fn is_newest(status: Option<&str>) -> bool {
    matches!(status, Some("LATEST") | Some("STREAMING|SYNC"))
}

/// Step "able to start up as a primary": a persisted data-status other than LATEST or
/// STREAMING|SYNC means the other node may have newer data. None (never persisted, a new
/// cluster) is allowed, as the Perl tool allows it.
pub fn data_status(me: &str, peer: &str, status: Option<&str>) -> Result<()> {
    match status {
        None => Ok(()),
        Some(s) if is_newest(Some(s)) => Ok(()),
        Some(s) => Err(Error::refused(
            t!(m::DATA_STATUS_STALE, node = me, status = s),
            Some(t!(m::DATA_STATUS_STALE_HINT, peer = peer)),
        )),
    }
}

pub use crate::postgres::WalEnd;

/// The first half of the lock evidence: only a data-status that says this node had the
/// newest data lets `--remove-lock` look further.
pub fn lock_status(status: Option<&str>) -> Result<()> {
    if is_newest(status) {
        return Ok(());
    }
    Err(Error::refused(
        t!(m::LOCK_UNSAFE_STATUS, status = status.unwrap_or("-")),
        Some(t!(m::LOCK_UNSAFE_HINT)),
    ))
}

/// Why removing this node's PGSQL.lock is safe, or a refusal: the persisted data-status
/// says this node had the newest data, and the peer's data (if it has any) is of the same
/// cluster and not ahead.
///
/// `by_wal`: the data-status was not one of those, but [`newest_by_wal`] proved this
/// node's data newest; the WAL comparison below holds it to that again.
pub fn lock_removal(
    status: Option<&str>,
    by_wal: bool,
    mine: WalEnd,
    theirs: Option<WalEnd>,
) -> Result<String> {
    if !by_wal {
        lock_status(status)?;
    }
    let refuse = |why: String| Error::refused(why, Some(t!(m::LOCK_UNSAFE_HINT)));
    let shown = status.unwrap_or("-");
    let Some(t) = theirs else {
        return Ok(t!(m::LOCK_SAFE_NO_PEER_DATA, status = shown));
    };
    let ahead = (t.tli, t.end) > (mine.tli, mine.end);
    if ahead || t.system_id != mine.system_id {
        return Err(refuse(t!(
            m::LOCK_UNSAFE_PEER_AHEAD,
            peer_tli = t.tli,
            peer_lsn = t.end,
            my_tli = mine.tli,
            my_lsn = mine.end
        )));
    }
    Ok(t!(
        m::LOCK_SAFE,
        status = shown,
        peer_tli = t.tli,
        peer_lsn = t.end,
        my_tli = mine.tli,
        my_lsn = mine.end
    ))
}

/// A persisted data-status that does not say this node had the newest data, proven
/// otherwise by where both nodes' WAL ends: the other node's (if it has data) is of the same
/// database cluster and not ahead of this node's. The reason, or a refusal naming both.
pub fn newest_by_wal(status: &str, mine: WalEnd, theirs: Option<WalEnd>) -> Result<String> {
    let Some(t) = theirs else {
        return Ok(t!(
            m::NEWEST_BY_WAL_NO_PEER_DATA,
            status = status,
            mine = mine
        ));
    };
    match t.ahead_of(&mine) {
        Some(false) => Ok(t!(
            m::NEWEST_BY_WAL,
            status = status,
            mine = mine,
            theirs = t
        )),
        _ => Err(Error::refused(
            t!(
                m::NEWEST_BY_WAL_NOT,
                status = status,
                mine = mine,
                theirs = t
            ),
            Some(t!(m::NEWEST_BY_WAL_HINT)),
        )),
    }
}

/// An interrupted standby-start leaves this comment in postgresql.conf.
pub fn has_standby_marker(postgresql_conf: &str) -> bool {
    postgresql_conf.contains("# added by pg-rex_standby_start")
}

/// One change of a primary start, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    RemoveLock,
    DestroyCluster,
    CreateCluster,
    StartPacemaker,
    LoadXml,
    UnblockQuorum,
    WaitPrimary,
    ClearFenceHistory,
}

impl Action {
    /// A short name for a plan shown before a question (`pgrex resume`).
    pub fn name(self) -> &'static str {
        match self {
            Action::RemoveLock => "remove PGSQL.lock",
            Action::DestroyCluster => "destroy the HA cluster",
            Action::CreateCluster => "create the HA cluster",
            Action::StartPacemaker => "start Pacemaker",
            Action::LoadXml => "load XMLFILE",
            Action::UnblockQuorum => "unblock quorum",
            Action::WaitPrimary => "wait for the primary with its VIPs",
            Action::ClearFenceHistory => "clear the fence history",
        }
    }
}

/// How XMLFILE meets the cluster configuration of this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cluster {
    /// No XMLFILE: the cluster that exists here is started.
    Existing,
    /// XMLFILE, no corosync.conf here: the cluster is created.
    Create,
    /// XMLFILE and a corosync.conf here: destroyed, then created (spec §3.1 step 13).
    Recreate,
}

/// The changes, once every check passed.
pub fn actions(
    remove_lock: bool,
    xml: bool,
    cluster: Cluster,
    clear_fence_history: bool,
) -> Vec<Action> {
    let mut v = Vec::new();
    if remove_lock {
        v.push(Action::RemoveLock);
    }
    if cluster == Cluster::Recreate {
        v.push(Action::DestroyCluster);
    }
    if cluster != Cluster::Existing {
        v.push(Action::CreateCluster);
    }
    v.push(Action::StartPacemaker);
    if xml {
        v.push(Action::LoadXml);
    }
    v.extend([Action::UnblockQuorum, Action::WaitPrimary]);
    if clear_fence_history {
        v.push(Action::ClearFenceHistory);
    }
    v
}

/// The changes left when a run killed after starting Pacemaker is taken over: what
/// followed the start (the XML if it was not loaded yet, the quorum, the wait, the fencing
/// history), never the start itself or the lock removal before it.
pub fn resumed_actions(xml_pending: bool, clear_fence_history: bool) -> Vec<Action> {
    actions(false, xml_pending, Cluster::Existing, clear_fence_history)
        .into_iter()
        .filter(|a| *a != Action::StartPacemaker)
        .collect()
}

/// The `<configuration>…</configuration>` element of a CIB document.
pub fn configuration_section(text: &str) -> Option<&str> {
    let start = text.find("<configuration")?;
    let end = text.find("</configuration>")? + "</configuration>".len();
    (start < end).then(|| &text[start..end])
}
