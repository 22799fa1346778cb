//! The ids of FAULTS.md with what never changes about them: default severity, the reaction
//! the cluster takes, and the sentence that names the fault. Ids are a public contract
//! ([`FaultId`]).

use super::{Certainty, Evidence, FaultId, Finding, Reaction};
use crate::msg::{diag as m, Msg};
use crate::status::Severity;

#[derive(Debug, Clone, Copy)]
pub struct FaultInfo {
    pub id: FaultId,
    pub severity: Severity,
    pub reaction: Reaction,
    pub title: Msg,
}

/// What never changes about `id`. Exhaustive: a new id does not compile until it has an entry.
pub const fn info(id: FaultId) -> FaultInfo {
    use FaultId as F;
    use Reaction::*;
    use Severity::*;
    let (severity, reaction, title) = match id {
        F::VipRepFailure => (Fault, Restart, m::T_VIP_REP),
        F::VipMasterFailure => (Fault, Failover, m::T_VIP_MASTER),
        F::PgsqlFailure => (Fault, Failover, m::T_PGSQL),
        F::VipStandbyFailure => (Fault, Failover, m::T_VIP_STANDBY),
        F::ReplicationLanFailure => (Fault, Restart, m::T_REPLICATION_LAN),
        F::ServiceLanFailure => (Fault, Failover, m::T_SERVICE_LAN),
        F::RouterFailure => (Fault, Failover, m::T_ROUTER),
        F::HeartbeatLanFailure => (Fault, FenceFailover, m::T_HEARTBEAT_LAN),
        F::HeartbeatLinkDegraded => (Warning, None, m::T_LINK_DEGRADED),
        F::NodeFailure => (Fault, FenceFailover, m::T_NODE),
        F::PacemakerdFailure => (Info, Restart, m::T_PACEMAKERD),
        F::CorosyncFailure => (Fault, FenceFailover, m::T_COROSYNC),
        F::CibFailure => (Fault, FenceFailover, m::T_CIB),
        F::DiskFailure => (Fault, Failover, m::T_DISK),
        F::VipRepStopFailure => (Fault, Failover, m::T_VIP_REP_STOP),
        F::VipMasterStopFailure => (Fault, FenceFailover, m::T_VIP_MASTER_STOP),
        F::PgsqlDemoteFailure => (Fault, FenceFailover, m::T_PGSQL_DEMOTE),
        F::PgsqlStopFailure => (Fault, FenceFailover, m::T_PGSQL_STOP),
        F::FencingFailure => (Fault, None, m::T_FENCING),
        F::FailcountRemaining => (Warning, None, m::T_FAILCOUNT),
        F::FenceHistoryRemaining => (Warning, None, m::T_FENCE_HISTORY),
        F::LockFilePresent => (Warning, None, m::T_LOCK_FILE),
        F::MaintenanceModeOn => (Warning, None, m::T_MAINTENANCE),
        F::StandbyNotSync => (Warning, None, m::T_STANDBY_NOT_SYNC),
        F::StandbyAbsent => (Warning, None, m::T_STANDBY_ABSENT),
    };
    FaultInfo {
        id,
        severity,
        reaction,
        title,
    }
}

/// A new finding of `id` with its catalogue defaults.
pub(super) fn finding(
    id: FaultId,
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
        recover: String::new(),
        steps: Vec::new(),
        plan: Vec::new(),
        covers: Vec::new(),
    }
}

impl Finding {
    pub(super) fn decide(mut self, check: String) -> Self {
        self.decide_with = Some(check);
        self
    }
    /// A sentence worded after this occurrence (e.g. the failed action's real rc) instead of
    /// the catalogue's.
    pub(super) fn titled(mut self, title: String) -> Self {
        self.title = title;
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
