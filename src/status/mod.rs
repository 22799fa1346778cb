//! The status view: every check of the PG-REX normal-state table (spec §5.3) evaluated
//! against one observed [`ClusterState`], and the verdict.
//!
//! Pure: takes the parsed state, the resolved names and optional extra facts; returns a
//! [`StatusReport`] that the binary renders as text or serializes as JSON (`docs/json.md`).
//! The verdict is not decided here but by `crate::judge`, from these deviations and the
//! diagnosis together, so `status` and `diagnose` always agree.

mod build;
mod checks;
pub mod meaning;
mod observed;
mod unobserved;

pub use build::{build, deviations, Extras, Judged};
pub use observed::Observed;
pub use unobserved::{persisted_data_status, Unobserved};

use serde::Serialize;

/// JSON `schema_version` of the status document. Fields are only ever added within a version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    Healthy,
    Degraded,
    Fault,
    Unknown,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Healthy => "HEALTHY",
            Verdict::Degraded => "DEGRADED",
            Verdict::Fault => "FAULT",
            Verdict::Unknown => "UNKNOWN",
        }
    }

    /// The exit status of a view with this verdict (CONTRACTS.md "Exit codes"): 0 only when
    /// nothing of severity fault or warning was found.
    pub fn exit_code(self) -> crate::ExitCode {
        match self {
            Verdict::Healthy => crate::ExitCode::Ok,
            _ => crate::ExitCode::Failed,
        }
    }
}

/// Severity of a deviation or finding (shared with `diagnose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Fault,
    Warning,
    Info,
}

/// Which row of the normal-state table a deviation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    Cluster,
    Nodes,
    Pgsql,
    Vips,
    Stonith,
    Ping,
    Disk,
    Attributes,
    FailCounts,
    FailedActions,
    FenceHistory,
    Management,
    Links,
    Daemons,
}

/// One way the cluster differs from the PG-REX normal state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deviation {
    pub check: Check,
    pub severity: Severity,
    pub node: Option<String>,
    /// Stable message id of `message`.
    pub id: &'static str,
    pub message: String,
    /// The command to run next, when there is one obvious step.
    pub hint: Option<String>,
}

/// The whole view.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub schema_version: u32,
    pub verdict: Verdict,
    pub reason: String,
    pub next: Option<String>,
    pub profile: String,
    pub profile_source: &'static str,
    pub cluster: ClusterView,
    pub nodes: Vec<NodeView>,
    pub primary: Option<String>,
    pub standby: Option<String>,
    pub resources: Vec<ResourceView>,
    pub fail_counts: Vec<crate::pacemaker::ResourceHistory>,
    pub failed_actions: Vec<crate::pacemaker::FailedAction>,
    /// `None`: the source had no fencing history.
    pub fence_history: Option<Vec<crate::pacemaker::FenceEvent>>,
    pub deviations: Vec<Deviation>,
    /// `corosync-cfgtool -s` on this node (live only): every interconnect link and each
    /// node's state on it. `None`: not read (file input) or not readable.
    pub links: Option<Vec<LinkView>>,
    /// The cluster units' enablement as `systemctl is-enabled` answers it, read from systemd's
    /// files (live only).
    pub daemons: Option<Vec<UnitView>>,
    /// The top finding of `pgrex diagnose` on the same snapshot (from the judgement; None when
    /// nothing of severity fault or warning was found).
    pub diagnosis: Option<TopFinding>,
    /// This node's PostgreSQL as it reported itself (live only; None: not read or no
    /// server here).
    pub postgres: Option<crate::snapshot::pg::PgServer>,
    /// Why this node's PostgreSQL could not be read (a live reading that failed or timed out).
    pub postgres_unread: Option<String>,
}

/// The most likely finding, as the verdict line shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TopFinding {
    pub id: String,
    pub node: Option<String>,
    /// `certain` or `likely`.
    pub certainty: String,
    /// One line: id, node, certainty and what happened.
    pub headline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClusterView {
    pub name: Option<String>,
    pub dc: Option<String>,
    pub with_quorum: Option<bool>,
    pub stonith_enabled: bool,
    pub maintenance_mode: bool,
    pub pacemaker_version: Option<String>,
    pub xml_dialect: crate::pacemaker::XmlDialect,
    pub last_update: Option<String>,
}

/// A node and what PG-REX cares about on it.
#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    pub name: String,
    /// `online`, `OFFLINE`, `UNCLEAN`, `pending`, `standby`, `maintenance`, `shutting down`.
    pub state: String,
    pub is_dc: bool,
    /// `primary`, `standby`, `stopped`, or the raw role while in transition.
    pub role: String,
    pub pgsql_status: Option<AttrView>,
    pub data_status: Option<AttrView>,
    /// Where `data_status` came from: `attribute` (crm_mon) or `cib` (persistent, node down).
    pub data_status_source: Option<&'static str>,
    pub promotion_score: Option<AttrView>,
    pub master_baseline: Option<String>,
    pub ping: Option<MonitorView>,
    pub disk: Option<MonitorView>,
    /// Every attribute crm_mon showed for the node, for completeness.
    pub attributes: Vec<crate::pacemaker::Attribute>,
    /// The node's PostgreSQL timeline, as its own server reports it (known for this node).
    pub timeline: Option<u32>,
    /// Replication lag in bytes: a standby's, from the primary's `pg_stat_replication`
    /// (`pg_current_wal_lsn() - replay_lsn`) or, read on the standby, its received but not
    /// replayed WAL.
    pub lag_bytes: Option<u64>,
}

/// An attribute value with its meaning in words.
#[derive(Debug, Clone, Serialize)]
pub struct AttrView {
    pub value: String,
    pub meaning: String,
    pub meaning_id: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonitorView {
    /// The attribute read (`ping-status`, `#health-storage-mon`, `diskcheck_status`, `node health`).
    pub attribute: String,
    pub value: Option<String>,
    pub ok: bool,
}

/// A PG-REX resource and where it runs.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceView {
    pub id: String,
    pub purpose: Purpose,
    pub agent: Option<String>,
    /// `node → role` for every instance (`Stopped` instances have no node).
    pub placement: Vec<Placement>,
    pub stopped_instances: usize,
    pub managed: bool,
    pub failed: bool,
}

/// What a resource is for in PG-REX (JSON: `pgsql`, `vip_primary`, `vip_replication`,
/// `vip_standby`, `ping`, `disk`, `stonith`, `other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The promotable PostgreSQL clone (or its primitive).
    Pgsql,
    /// The service VIP, on the primary.
    VipPrimary,
    /// The replication VIP, on the primary.
    VipReplication,
    /// The read-only VIP, on the sync standby.
    VipStandby,
    Ping,
    Disk,
    Stonith,
    Other,
}

#[derive(Debug, Clone, Serialize)]
pub struct Placement {
    pub node: String,
    pub role: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub id: u32,
    pub addr: Option<String>,
    /// `{node, state}` with `state` `localhost`, `connected`, `disconnected`.
    pub peers: Vec<LinkPeerView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LinkPeerView {
    /// The node's name when crm_mon knows its id, else `nodeid N`.
    pub node: String,
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView {
    pub unit: String,
    /// `enabled`, `disabled`, `masked`, `static`, … as `systemctl is-enabled` says.
    pub enabled: String,
}
