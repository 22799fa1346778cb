//! The ids of FAULTS.md with what never changes about them: default severity, the reaction
//! the cluster takes, and the sentence that names the fault. Ids are a public contract.

use super::{Certainty, Evidence, Finding, Reaction};
use crate::msg::{diag as m, Msg};
use crate::status::Severity;

#[derive(Debug, Clone, Copy)]
pub struct FaultInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub reaction: Reaction,
    pub title: Msg,
}

const fn f(id: &'static str, severity: Severity, reaction: Reaction, title: Msg) -> FaultInfo {
    FaultInfo {
        id,
        severity,
        reaction,
        title,
    }
}

use Reaction::*;
use Severity::*;

/// Every id pgrex diagnoses, in FAULTS.md order.
pub const FAULTS: &[FaultInfo] = &[
    f("vip-rep-failure", Fault, Restart, m::T_VIP_REP),
    f("vip-master-failure", Fault, Failover, m::T_VIP_MASTER),
    f("pgsql-failure", Fault, Failover, m::T_PGSQL),
    f("vip-standby-failure", Fault, Failover, m::T_VIP_STANDBY),
    f(
        "replication-lan-failure",
        Fault,
        Restart,
        m::T_REPLICATION_LAN,
    ),
    f("service-lan-failure", Fault, Failover, m::T_SERVICE_LAN),
    f("router-failure", Fault, Failover, m::T_ROUTER),
    f(
        "heartbeat-lan-failure",
        Fault,
        FenceFailover,
        m::T_HEARTBEAT_LAN,
    ),
    f("heartbeat-link-degraded", Warning, None, m::T_LINK_DEGRADED),
    f("node-failure", Fault, FenceFailover, m::T_NODE),
    f("pacemakerd-failure", Info, Restart, m::T_PACEMAKERD),
    f("corosync-failure", Fault, FenceFailover, m::T_COROSYNC),
    f("cib-failure", Fault, FenceFailover, m::T_CIB),
    f("disk-failure", Fault, Failover, m::T_DISK),
    f("vip-rep-stop-failure", Fault, Failover, m::T_VIP_REP_STOP),
    f(
        "vip-master-stop-failure",
        Fault,
        FenceFailover,
        m::T_VIP_MASTER_STOP,
    ),
    f(
        "pgsql-demote-failure",
        Fault,
        FenceFailover,
        m::T_PGSQL_DEMOTE,
    ),
    f("pgsql-stop-failure", Fault, FenceFailover, m::T_PGSQL_STOP),
    f("fencing-failure", Fault, None, m::T_FENCING),
    f("failcount-remaining", Warning, None, m::T_FAILCOUNT),
    f("fence-history-remaining", Warning, None, m::T_FENCE_HISTORY),
    f("lock-file-present", Warning, None, m::T_LOCK_FILE),
    f("maintenance-mode-on", Warning, None, m::T_MAINTENANCE),
    f("standby-not-sync", Warning, None, m::T_STANDBY_NOT_SYNC),
    f("standby-absent", Warning, None, m::T_STANDBY_ABSENT),
];

/// The entry of an id. Panics on an id not in [`FAULTS`]: ids are constants in the rules.
pub fn info(id: &str) -> &'static FaultInfo {
    FAULTS
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("fault id {id} is not in the catalogue"))
}

/// A new finding of `id` with its catalogue defaults.
pub(super) fn finding(
    id: &str,
    certainty: Certainty,
    node: Option<&str>,
    evidence: Vec<Evidence>,
) -> Finding {
    let i = info(id);
    Finding {
        id: i.id,
        certainty,
        severity: i.severity,
        node: node.map(str::to_string),
        reaction: i.reaction,
        playbook: i.id,
        title: crate::t!(i.title, node = node.unwrap_or("?")),
        evidence,
        decide_with: Option::None,
        steps: Vec::new(),
        covers: Vec::new(),
    }
}

impl Finding {
    pub(super) fn decide(mut self, check: String) -> Self {
        self.decide_with = Some(check);
        self
    }
    pub(super) fn reaction(mut self, r: Reaction) -> Self {
        self.reaction = r;
        self
    }
    pub(super) fn covering(mut self, node: &str, resources: &[&str]) -> Self {
        self.covers
            .extend(resources.iter().map(|r| (node.to_string(), r.to_string())));
        self
    }
}
