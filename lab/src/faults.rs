//! The lab's fault table: for every fault of FAULTS.md ([`FaultId`], from the pgrex library),
//! the node it strikes by default, what the lab does and what the cluster should do. The
//! match in [`lab_fault`] is exhaustive, so a new fault id does not compile until the lab
//! says how it reproduces it; the six conditions are refused with the reason. How each is
//! injected and healed: `inject.rs`.

use anyhow::{anyhow, Error, Result};
use pgrex::diagnose::FaultId;

/// Where a fault strikes when `--node` is not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The node whose `pgsql-status` is `PRI` now.
    Primary,
    /// The peer of the primary.
    Standby,
    /// Both nodes.
    Both,
    /// No node: the lab BMC.
    Bmc,
}

/// How the lab reproduces one fault.
#[derive(Debug, Clone, Copy)]
pub struct LabFault {
    pub id: FaultId,
    pub on: Target,
    /// What the lab does (FAULTS.md "how the lab injects it").
    pub does: &'static str,
    /// What the cluster should do, as printed after `inject`.
    pub expect: &'static str,
}

/// The lab's entry of `id`; an error for a condition (not something the lab can break).
pub fn lab_fault(id: FaultId) -> Result<LabFault> {
    use FaultId as F;
    use Target::*;
    let (on, does, expect) = match id {
        F::VipRepFailure => (Primary, "delete the replication VIP from the primary's D-LAN NIC", "① roles unchanged; vip-rep restarted in place (migration-threshold=0), fail-count and failed monitor remain"),
        F::VipMasterFailure => (Primary, "delete the service VIP from the primary's service NIC", "② failover; old primary STOP/DISCONNECT"),
        F::PgsqlFailure => (Primary, "pg_ctl -m immediate stop on the primary", "② failover; failed pgsql monitor on the old primary"),
        F::VipStandbyFailure => (Standby, "delete the standby VIP from the standby's service NIC", "standby VIP relocates to the primary; fail-count on the standby"),
        F::ReplicationLanFailure => (Primary, "drop all traffic on the primary's D-LAN NIC (eth2)", "① standby HS:alone/DISCONNECT, no fail-count"),
        F::ServiceLanFailure => (Primary, "drop all traffic on the primary's service NIC (eth1)", "② ping attribute 0 on the old primary; failover"),
        F::RouterFailure => (Both, "drop traffic to and from the ping target on both nodes", "② on both: ping attributes 0, PostgreSQL and VIPs stopped everywhere"),
        F::HeartbeatLanFailure => (Primary, "drop all traffic on both interconnect NICs (eth3, eth4)", "③ one node fenced; survivor primary"),
        F::HeartbeatLinkDegraded => (Primary, "drop all traffic on the second interconnect NIC (eth4)", "none: both online, one corosync link down"),
        F::NodeFailure => (Primary, "freeze every process of the node (SIGSTOP, a kernel hang)", "③ node fenced; standby promoted"),
        F::PacemakerdFailure => (Primary, "kill -9 pacemakerd (the node's supervisor respawns it within ~1 s)", "① nothing changes"),
        F::CorosyncFailure => (Primary, "kill -9 corosync", "③ node fenced; standby promoted (as for a node failure)"),
        F::CibFailure => (Primary, "kill -9 pacemaker-based", "③ node fenced; standby promoted (as for a node failure)"),
        F::DiskFailure => (Primary, "make the monitored disk fail (its loop device's capacity drops to 0: every read fails)", "#health-storage-mon red; ② failover"),
        F::VipRepStopFailure => (Primary, "the replication VIP's RA stop returns an error, then pg_ctl -m immediate stop triggers a failover", "② failover completes (stop on-fail=ignore)"),
        F::VipMasterStopFailure => (Primary, "the service VIP's RA stop returns an error, then the VIP is deleted to trigger a failover", "③ old primary fenced; standby promoted"),
        F::PgsqlDemoteFailure => (Primary, "the pgsql RA demote returns an error, then pg_ctl -m immediate stop triggers a failover", "③ old primary fenced"),
        F::PgsqlStopFailure => (Primary, "the pgsql RA stop returns an error, then pg_ctl -m immediate stop", "③ old primary fenced; standby promoted"),
        F::FencingFailure => (Bmc, "the lab BMC refuses every power-off/reboot (inject a ③ fault next)", "the next ③ fault leaves the node UNCLEAN, fencing fails, no failover"),
        F::FailcountRemaining
        | F::FenceHistoryRemaining
        | F::LockFilePresent
        | F::MaintenanceModeOn
        | F::StandbyNotSync
        | F::StandbyAbsent => return Err(not_injectable(id)),
    };
    Ok(LabFault {
        id,
        on,
        does,
        expect,
    })
}

/// Why the lab cannot inject `id` (a condition of FAULTS.md's second table).
pub fn not_injectable(id: FaultId) -> Error {
    let faults: Vec<&str> = FaultId::faults().map(FaultId::as_str).collect();
    anyhow!(
        "`{id}` is a condition pgrex reports, not a fault the lab can inject (docs/faults.md says how it arises); the lab injects: {}",
        faults.join(", ")
    )
}

#[cfg(test)]
mod tests {
    //! The lab's documents name exactly the ids of [`FaultId`], and the fault tables agree
    //! with [`lab_fault`] on the node each fault strikes.
    use super::*;
    use std::collections::BTreeSet;

    const FAULTS_MD: &str = include_str!("../../docs/faults.md");
    const LAB_MD: &str = include_str!("../../commands/lab.md");
    /// How FAULTS.md's ids end: a backticked word ending so is meant as an id.
    const ID_ENDINGS: [&str; 7] = [
        "-failure",
        "-degraded",
        "-remaining",
        "-present",
        "-mode-on",
        "-not-sync",
        "-absent",
    ];

    /// Every backticked word of `doc` that looks like a fault id.
    fn id_like(doc: &str) -> BTreeSet<&str> {
        doc.split('`')
            .skip(1)
            .step_by(2)
            .filter(|w| {
                !w.is_empty()
                    && w.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    && ID_ENDINGS.iter().any(|e| w.ends_with(e))
            })
            .collect()
    }

    /// `(id, second cell)` of every table row of `doc` whose first cell is one backticked
    /// word, in order.
    fn rows(doc: &str) -> Vec<(&str, &str)> {
        doc.lines()
            .filter_map(|l| {
                let mut cells = l.strip_prefix('|')?.split('|').map(str::trim);
                let id = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
                Some((id, cells.next().unwrap_or("")))
            })
            .collect()
    }

    /// `Err` naming the ids `doc` names that do not exist and those it does not name.
    fn names_exactly_the_ids(doc: &str) -> Result<(), String> {
        let all: BTreeSet<&str> = FaultId::ALL.iter().map(|i| i.as_str()).collect();
        let named = id_like(doc);
        let unknown: Vec<_> = named.difference(&all).collect();
        let missing: Vec<_> = all.difference(&named).collect();
        if unknown.is_empty() && missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "names ids that do not exist: {unknown:?}; does not name: {missing:?}"
            ))
        }
    }

    #[test]
    fn the_docs_name_exactly_the_fault_ids() {
        assert_eq!(names_exactly_the_ids(FAULTS_MD), Ok(()), "docs/faults.md");
        assert_eq!(names_exactly_the_ids(LAB_MD), Ok(()), "commands/lab.md");
    }

    #[test]
    fn the_check_finds_a_wrong_or_missing_id() {
        let wrong = format!("{LAB_MD}\nAlso `pgsql-crash-failure`.\n");
        assert!(names_exactly_the_ids(&wrong).is_err_and(|e| e.contains("\"pgsql-crash-failure\"")));
        let short = LAB_MD.replace("`standby-absent`", "standby absent");
        assert!(names_exactly_the_ids(&short).is_err_and(|e| e.contains("\"standby-absent\"")));
    }

    /// FAULTS.md's node column: `P:` primary, `S:` standby, `both:`, or the lab BMC.
    fn target_of(cell: &str) -> Option<Target> {
        let c = cell.trim_start_matches('`');
        [
            ("P:", Target::Primary),
            ("S:", Target::Standby),
            ("both:", Target::Both),
            ("the lab BMC", Target::Bmc),
            ("primary", Target::Primary),
            ("standby", Target::Standby),
            ("both", Target::Both),
            ("BMC", Target::Bmc),
        ]
        .into_iter()
        .find(|(p, _)| c.starts_with(p))
        .map(|(_, t)| t)
    }

    #[track_caller]
    fn fault_table_agrees(name: &str, doc: &str) {
        let faults: Vec<(&str, &str)> = rows(doc)
            .into_iter()
            .filter(|(id, _)| id.parse::<FaultId>().is_ok_and(|i| i.is_fault()))
            .collect();
        let ids: Vec<&str> = faults.iter().map(|r| r.0).collect();
        let want: Vec<&str> = FaultId::faults().map(FaultId::as_str).collect();
        assert_eq!(ids, want, "{name}: one row per fault, in FAULTS.md order");
        for (id, cell) in faults {
            let f = lab_fault(id.parse().unwrap()).unwrap();
            assert_eq!(
                target_of(cell),
                Some(f.on),
                "{name}: the node of {id}: {cell}"
            );
        }
    }

    #[test]
    fn the_fault_tables_agree_with_the_lab() {
        fault_table_agrees("docs/faults.md", FAULTS_MD);
        fault_table_agrees("commands/lab.md", LAB_MD);
        let conditions: Vec<&str> = rows(FAULTS_MD)
            .into_iter()
            .map(|r| r.0)
            .filter(|id| id.parse::<FaultId>().is_ok_and(|i| i.is_condition()))
            .collect();
        let want: Vec<&str> = FaultId::conditions().map(FaultId::as_str).collect();
        assert_eq!(conditions, want, "docs/faults.md: one row per condition");
    }

    #[test]
    fn every_fault_is_injectable_and_no_condition_is() {
        for id in FaultId::ALL {
            match lab_fault(id) {
                Ok(f) => {
                    assert!(id.is_fault(), "{id}");
                    assert_eq!(f.id, id);
                    assert!(!f.does.is_empty() && !f.expect.is_empty());
                }
                Err(e) => {
                    assert!(id.is_condition(), "{id}: {e}");
                    let msg = e.to_string();
                    assert!(msg.contains(&format!("`{id}` is a condition")), "{msg}");
                    assert!(
                        msg.contains(FaultId::PgsqlFailure.as_str()),
                        "lists the faults: {msg}"
                    );
                }
            }
        }
    }
}
