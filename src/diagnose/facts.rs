//! What every rule needs, derived once from the snapshot: the status view's context
//! (roles, monitors; reused from `status`), fencing events, failures and log lines.

use crate::pacemaker::{ClusterState, FailedAction, FenceEvent, ResourceHistory, Role};
use crate::profile::Names;
use crate::snapshot::{LogKind, LogLine, Snapshot};
use crate::status::Observed;

pub(super) struct RuleInput<'a> {
    pub snap: &'a Snapshot,
    pub state: &'a ClusterState,
    pub names: &'a Names,
    pub st: Observed<'a>,
    /// `None`: the fencing history could not be read.
    pub fence: Option<Vec<&'a FenceEvent>>,
    pub logs: Vec<&'a LogLine>,
}

/// The service down on both nodes (FAULTS.md's router-failure, both nodes powered off and
/// booted, or what is left after their repair): both nodes online in Pacemaker, PostgreSQL
/// promoted on neither, and on each either stopped or a standby with no primary to follow
/// (`HS:alone`). A role under way (starting, promoting, demoting, stopping) is a transition,
/// not this state. The playbook of every finding then is the one that starts the primary on
/// the node with the newest data (`crate::diagnose::playbook`).
pub fn down_on_both(state: &ClusterState, names: &Names) -> bool {
    let st = Observed::new(state, names, None);
    if state.nodes.len() != 2
        || !state.nodes.iter().all(|n| n.online && !n.unclean)
        || !st.promoted().is_empty()
    {
        return false;
    }
    state.nodes.iter().all(|n| match st.pgsql_role(&n.name) {
        None | Some(Role::Stopped) => true,
        Some(Role::Unpromoted | Role::Started) => state
            .attr(&n.name, &names.status_attr())
            .is_some_and(|a| a.value == "HS:alone"),
        Some(_) => false,
    })
}

/// `pgsql:0` → `pgsql`.
pub(super) fn base(id: &str) -> &str {
    id.split(':').next().unwrap_or(id)
}

/// Only the lines of each host's current Pacemaker session: per file and host, the lines after
/// the last `Starting Pacemaker` (an old incident in the same log must not decide this one).
fn current_session(lines: Vec<&LogLine>) -> Vec<&LogLine> {
    let started = |i: usize, l: &LogLine| {
        lines[i + 1..]
            .iter()
            .any(|x| x.kind == LogKind::PacemakerStarted && x.file == l.file && x.host == l.host)
    };
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| l.kind != LogKind::PacemakerStarted && !started(*i, l))
        .map(|(_, l)| *l)
        .collect()
}

impl<'a> RuleInput<'a> {
    pub fn new(snap: &'a Snapshot, state: &'a ClusterState, names: &'a Names) -> Self {
        let fence = match snap.fencing.known() {
            Some(v) => Some(v.iter().collect()),
            None => state.fence_history.as_ref().map(|v| v.iter().collect()),
        };
        RuleInput {
            snap,
            state,
            names,
            st: Observed::new(state, names, snap.cib.known()),
            fence,
            logs: current_session(snap.all_logs()),
        }
    }

    /// The service VIP when a primary runs but the VIP runs on no node (its failures banned
    /// it everywhere): the service is unreachable although PostgreSQL is up. The VIP must
    /// have failed on the primary too: a VIP failed only on the old primary and not started
    /// yet on the one just promoted is a failover still running, not a ban.
    pub fn service_vip_nowhere(&self) -> Option<&'a str> {
        let p = self.st.primary?;
        let vip = self.names.vip_primary.as_deref()?;
        let failed_on_primary = self.fail_count(p, vip).is_some()
            || self
                .state
                .failures
                .iter()
                .any(|a| a.node == p && base(&a.resource) == vip);
        (self.st.has(vip) && self.state.running_on(vip).is_empty() && failed_on_primary)
            .then_some(vip)
    }

    /// See [`down_on_both`].
    pub fn down_on_both(&self) -> bool {
        down_on_both(self.state, self.names)
    }

    /// Another node than `node` where PostgreSQL runs promoted too (two primaries).
    pub fn other_primary(&self, node: &str) -> Option<&'a str> {
        let promoted = self.st.promoted();
        if !promoted.contains(&node) {
            return None;
        }
        promoted.iter().copied().find(|p| *p != node)
    }

    /// The bytes the standby `node` replayed past the end of the WAL the primary can send
    /// it (this node's server is the primary and its walsender shows it: see
    /// [`crate::snapshot::pg::StandbyLag::diverged_bytes`]): its data diverged; only a
    /// rewind or a base backup brings it back. `None` seen from the standby itself.
    pub fn standby_diverged(&self, node: &str) -> Option<u64> {
        let pg = self.snap.postgres.known()?.as_ref()?;
        if pg.in_recovery {
            return None;
        }
        pg.standbys
            .iter()
            .find(|s| s.name == node)
            .and_then(|s| s.diverged_bytes())
    }

    pub fn online(&self, node: &str) -> bool {
        self.state
            .node(node)
            .is_some_and(|n| n.online && !n.unclean)
    }

    pub fn other(&self, node: &str) -> Option<&'a str> {
        self.state
            .nodes
            .iter()
            .find(|n| n.name != node)
            .map(|n| n.name.as_str())
    }

    pub fn fence_events(&self, node: &str) -> Vec<&'a FenceEvent> {
        self.fence
            .iter()
            .flatten()
            .copied()
            .filter(|e| e.target == node)
            .collect()
    }

    pub fn fenced_ok(&self, node: &str) -> bool {
        self.fence_events(node)
            .iter()
            .any(|e| e.status == "success")
    }

    /// Failed actions of resource `rsc` (any instance) on `node` whose task is `task`.
    pub fn failures(&self, node: &str, rsc: &str, task: &str) -> Vec<&'a FailedAction> {
        self.state
            .failures
            .iter()
            .filter(|f| f.node == node && base(&f.resource) == rsc && f.task == task)
            .collect()
    }

    pub fn fail_count(&self, node: &str, rsc: &str) -> Option<&'a ResourceHistory> {
        self.state
            .node_history
            .iter()
            .find(|h| h.node == node && base(&h.resource) == rsc && h.fail_count > 0)
    }

    /// A crm_mon attribute value.
    pub fn attr(&self, node: &str, name: &str) -> Option<&'a str> {
        self.state.attr(node, name).map(|a| a.value.as_str())
    }

    /// `pgsql-data-status`: crm_mon's value, else the persistent one from the CIB.
    pub fn data_status(&self, node: &str) -> Option<(&'a str, &'static str)> {
        let name = self.names.data_status_attr();
        if let Some(v) = self.attr(node, &name) {
            return Some((v, "crm_mon"));
        }
        self.snap
            .cib
            .known()
            .and_then(|c| c.persistent(node, &name))
            .map(|v| (v, "cib"))
    }

    /// Log lines of a kind written by `host` (or, when `host` is None, by anyone).
    pub fn logs_where(
        &self,
        host: Option<&str>,
        pred: impl Fn(&LogKind) -> bool,
    ) -> Vec<&'a LogLine> {
        self.logs
            .iter()
            .copied()
            .filter(|l| pred(&l.kind))
            .filter(|l| host.is_none() || l.host.as_deref() == host)
            .collect()
    }

    /// Whether the logs of `node` itself were read: through the peer view, or a `--log` copy
    /// whose lines name `node` as their host.
    pub fn own_logs_read(&self, node: &str) -> bool {
        self.logs.iter().any(|l| l.host.as_deref() == Some(node))
            || self
                .snap
                .peer
                .known()
                .is_some_and(|p| p.node == node && p.logs.known().is_some())
            || (self.snap.local_node.as_deref() == Some(node) && self.snap.logs.known().is_some())
    }

    /// Where the database service runs, in words.
    pub fn service(&self) -> String {
        use crate::msg::diag as m;
        if self.st.promoted().len() > 1 {
            return crate::t!(
                m::SERVICE_TWO_PRIMARIES,
                nodes = self.st.promoted().join(", ")
            );
        }
        if let (Some(p), Some(vip)) = (self.st.primary, self.service_vip_nowhere()) {
            return crate::t!(m::SERVICE_NO_VIP, primary = p, vip = vip);
        }
        match (self.st.primary, self.st.standby) {
            (Some(p), Some(s)) => crate::t!(m::SERVICE_BOTH, primary = p, standby = s),
            (Some(p), None) => crate::t!(m::SERVICE_ALONE, primary = p),
            (None, _) => crate::t!(m::SERVICE_DOWN),
        }
    }
}
