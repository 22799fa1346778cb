//! [`FaultId`]: the 25 ids of FAULTS.md (19 faults, 6 conditions) as one enum, the only
//! spelling of a fault id in the code. The names are a stable public contract (`pgrex
//! diagnose` JSON, `pgrex recover <id>`, `pgrex-lab inject <id>`, the docs): never rename a
//! variant's name, add new ones. A leaf: it knows nothing of the cluster, so the lab and
//! every rule can use it; what pgrex knows about each id lives in `catalogue.rs`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Whether an id names a fault of its own (FAULTS.md first table: something broke and the
/// lab can break it) or a condition that status/diagnose report (second table: a state
/// left behind that blocks later failovers or operations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    Fault,
    Condition,
}

/// The enum, its list and its names from one table, so a new id cannot be added to one
/// and forgotten in another.
macro_rules! fault_ids {
    ($($variant:ident = $name:literal,)*) => {
        /// One id of FAULTS.md. Serialized as its kebab-case name (`vip-rep-failure`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum FaultId {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl FaultId {
            /// Every id, in FAULTS.md order: the 19 faults, then the 6 conditions.
            pub const ALL: [FaultId; 25] = [$(FaultId::$variant,)*];

            /// The public name, as FAULTS.md spells it (the same string serde writes).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(FaultId::$variant => $name,)*
                }
            }
        }
    };
}

fault_ids! {
    VipRepFailure = "vip-rep-failure",
    VipMasterFailure = "vip-master-failure",
    PgsqlFailure = "pgsql-failure",
    VipStandbyFailure = "vip-standby-failure",
    ReplicationLanFailure = "replication-lan-failure",
    ServiceLanFailure = "service-lan-failure",
    RouterFailure = "router-failure",
    HeartbeatLanFailure = "heartbeat-lan-failure",
    HeartbeatLinkDegraded = "heartbeat-link-degraded",
    NodeFailure = "node-failure",
    PacemakerdFailure = "pacemakerd-failure",
    CorosyncFailure = "corosync-failure",
    CibFailure = "cib-failure",
    DiskFailure = "disk-failure",
    VipRepStopFailure = "vip-rep-stop-failure",
    VipMasterStopFailure = "vip-master-stop-failure",
    PgsqlDemoteFailure = "pgsql-demote-failure",
    PgsqlStopFailure = "pgsql-stop-failure",
    FencingFailure = "fencing-failure",
    FailcountRemaining = "failcount-remaining",
    FenceHistoryRemaining = "fence-history-remaining",
    LockFilePresent = "lock-file-present",
    MaintenanceModeOn = "maintenance-mode-on",
    StandbyNotSync = "standby-not-sync",
    StandbyAbsent = "standby-absent",
}

use FaultId::*;

impl FaultId {
    pub const fn kind(self) -> FaultKind {
        match self {
            FailcountRemaining
            | FenceHistoryRemaining
            | LockFilePresent
            | MaintenanceModeOn
            | StandbyNotSync
            | StandbyAbsent => FaultKind::Condition,
            VipRepFailure
            | VipMasterFailure
            | PgsqlFailure
            | VipStandbyFailure
            | ReplicationLanFailure
            | ServiceLanFailure
            | RouterFailure
            | HeartbeatLanFailure
            | HeartbeatLinkDegraded
            | NodeFailure
            | PacemakerdFailure
            | CorosyncFailure
            | CibFailure
            | DiskFailure
            | VipRepStopFailure
            | VipMasterStopFailure
            | PgsqlDemoteFailure
            | PgsqlStopFailure
            | FencingFailure => FaultKind::Fault,
        }
    }

    /// A fault of its own (FAULTS.md first table), not a condition.
    pub const fn is_fault(self) -> bool {
        matches!(self.kind(), FaultKind::Fault)
    }

    pub const fn is_condition(self) -> bool {
        matches!(self.kind(), FaultKind::Condition)
    }

    /// The faults (first table), in FAULTS.md order.
    pub fn faults() -> impl Iterator<Item = FaultId> {
        Self::ALL.into_iter().filter(|i| i.is_fault())
    }

    /// The conditions (second table), in FAULTS.md order.
    pub fn conditions() -> impl Iterator<Item = FaultId> {
        Self::ALL.into_iter().filter(|i| i.is_condition())
    }

    /// The id whose name is closest to `s` (a typo), if any is close enough to suggest.
    pub fn closest(s: &str) -> Option<FaultId> {
        Self::ALL
            .into_iter()
            .map(|i| (strsim::jaro_winkler(s, i.as_str()), i))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, i)| i)
    }
}

impl fmt::Display for FaultId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is no FAULTS.md id. Its message names it, suggests the closest id, and
/// lists every valid one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFaultId {
    pub given: String,
    pub suggestion: Option<FaultId>,
}

impl fmt::Display for UnknownFaultId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::t!(
            crate::msg::diag::FAULT_ID_UNKNOWN,
            id = self.given
        ))?;
        if let Some(s) = self.suggestion {
            f.write_str(&crate::t!(crate::msg::diag::FAULT_ID_DID_YOU_MEAN, id = s))?;
        }
        let list = |it: &mut dyn Iterator<Item = FaultId>| {
            it.map(FaultId::as_str).collect::<Vec<_>>().join(", ")
        };
        f.write_str(&crate::t!(
            crate::msg::diag::FAULT_ID_LIST,
            faults = list(&mut FaultId::faults()),
            conditions = list(&mut FaultId::conditions())
        ))
    }
}

impl std::error::Error for UnknownFaultId {}

impl FromStr for FaultId {
    type Err = UnknownFaultId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| UnknownFaultId {
                given: s.to_string(),
                suggestion: Self::closest(s),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn nineteen_faults_then_six_conditions() {
        assert_eq!(FaultId::faults().count(), 19);
        assert_eq!(FaultId::conditions().count(), 6);
        // ALL lists the faults first, as FAULTS.md does.
        let kinds: Vec<FaultKind> = FaultId::ALL.iter().map(|i| i.kind()).collect();
        assert!(kinds[..19].iter().all(|k| *k == FaultKind::Fault));
        assert!(kinds[19..].iter().all(|k| *k == FaultKind::Condition));
        let names: HashSet<&str> = FaultId::ALL.iter().map(|i| i.as_str()).collect();
        assert_eq!(names.len(), 25, "names are unique");
    }

    #[test]
    fn serde_display_and_from_str_agree() {
        for id in FaultId::ALL {
            let json = serde_json::to_value(id).unwrap();
            assert_eq!(json, serde_json::Value::from(id.as_str()), "{id:?}");
            assert_eq!(serde_json::from_value::<FaultId>(json).unwrap(), id);
            assert_eq!(id.to_string(), id.as_str());
            assert_eq!(id.as_str().parse::<FaultId>(), Ok(id));
        }
    }

    #[test]
    fn an_unknown_id_is_named_with_a_suggestion_and_the_valid_ones() {
        let e = "pgsql-failur".parse::<FaultId>().unwrap_err();
        assert_eq!(e.suggestion, Some(PgsqlFailure));
        let msg = e.to_string();
        assert!(msg.starts_with("unknown fault id `pgsql-failur`"), "{msg}");
        assert!(msg.contains("did you mean `pgsql-failure`?"), "{msg}");
        for id in FaultId::ALL {
            assert!(msg.contains(id.as_str()), "{msg} lacks {id}");
        }
        let e = "frobnicate".parse::<FaultId>().unwrap_err();
        assert_eq!(e.suggestion, None);
        assert!(!e.to_string().contains("did you mean"));
        // Names are exact: no case folding, no underscores.
        assert!("Node-Failure".parse::<FaultId>().is_err());
        assert!("node_failure".parse::<FaultId>().is_err());
    }
}
