//! The recovery steps of each playbook (spec §6.2, §6.5), as text with the exact commands
//! for this cluster's nodes and resources. `pgrex recover <id>` will run them; until then
//! `pgrex diagnose` prints them.

use super::facts::RuleInput;
use super::FaultId as F;
use super::Finding;
use crate::msg::{diag as m, Msg};

/// The steps for one finding.
pub(super) fn steps(x: &Finding, f: &RuleInput) -> Vec<String> {
    let node = x.node.clone().unwrap_or_else(|| "?".into());
    let survivor =
        f.st.primary
            .filter(|p| *p != node)
            .map(str::to_string)
            .or_else(|| f.other(&node).map(str::to_string))
            .unwrap_or_else(|| "?".into());
    let n = f.names;
    let rsc = match x.id {
        F::VipRepFailure => n.vip_replication.clone(),
        F::VipStandbyFailure => n.vip_standby.clone(),
        _ => None,
    }
    .or_else(|| x.covers.first().map(|c| c.1.clone()))
    .unwrap_or_default();
    let lock = f
        .snap
        .locks
        .get(&node)
        .and_then(|l| l.known())
        .map(|l| l.path.clone())
        .unwrap_or_else(|| "/var/lib/pgsql/tmp/PGSQL.lock".into());
    let latest = f
        .state
        .nodes
        .iter()
        .find(|nd| f.data_status(&nd.name).is_some_and(|d| d.0 == "LATEST"))
        .map(|nd| nd.name.clone())
        .unwrap_or_else(|| "?".into());
    let other_of_latest = f.other(&latest).unwrap_or("?").to_string();
    let primary = f.st.primary.unwrap_or("?").to_string();
    let fill = |msg: Msg| {
        msg.fmt(&[
            ("node", &node),
            ("peer", &survivor),
            ("rsc", &rsc),
            ("lock", &lock),
            ("title", &x.title),
            ("latest", &latest),
            ("other", &other_of_latest),
            ("fencing", &F::FencingFailure),
            ("primary", &primary),
        ])
    };
    let seq = sequence(x, f, &node);
    match x.id {
        // One command per node and resource actually listed.
        F::FailcountRemaining => failcount_cmds(f, &node),
        F::FenceHistoryRemaining => f
            .state
            .nodes
            .iter()
            .map(|nd| crate::t!(m::P_CLEAR_FENCE_ONE, node = crate::exec::quote(&nd.name)))
            .collect(),
        _ => seq.iter().map(|s| fill(*s)).collect(),
    }
}

fn failcount_cmds(f: &RuleInput, node: &str) -> Vec<String> {
    let mut rs: Vec<&str> = f
        .state
        .node_history
        .iter()
        .filter(|h| h.node == node && h.fail_count > 0)
        .map(|h| super::facts::base(&h.resource))
        .chain(
            f.state
                .failures
                .iter()
                .filter(|a| a.node == node)
                .map(|a| super::facts::base(&a.resource)),
        )
        .collect();
    rs.sort_unstable();
    rs.dedup();
    rs.iter()
        .map(|r| {
            crate::t!(
                m::P_FAILCOUNT_ONE,
                rsc = crate::exec::quote(r),
                node = crate::exec::quote(node)
            )
        })
        .collect()
}

/// The steps of a finding, in order (the playbook outline of FAULTS.md, as this cluster
/// shows it: two primaries and a VIP on no node have their own).
fn sequence(x: &Finding, f: &RuleInput, node: &str) -> &'static [Msg] {
    match x.id {
        // A daemon that Pacemaker restarted in place: nothing to rejoin.
        F::CibFailure | F::CorosyncFailure if x.reaction == super::Reaction::Restart => {
            &[m::P_REPAIR, m::P_FAILCOUNT, m::P_VERIFY]
        }
        F::VipRepFailure | F::VipStandbyFailure => &[m::P_REPAIR, m::P_CLEANUP, m::P_VERIFY],
        // The service VIP banned from every node: the primary stays; the VIP comes back on it
        // once its failures are repaired and cleared.
        F::VipMasterFailure if f.service_vip_nowhere().is_some() => &[
            m::P_VIP_NOWHERE_KEEP,
            m::P_VIP_NOWHERE_REPAIR,
            m::P_VIP_NOWHERE_CLEANUP,
            m::P_VERIFY,
        ],
        // Two primaries: no failover happened; the extra one stops before anything else, and
        // its data, written to while it was primary, never rejoins as it is.
        F::PgsqlFailure if f.other_primary(node).is_some() => &[
            m::P_SPLIT_KEEP,
            m::P_SPLIT_STOP,
            m::P_VERIFY_OFFLINE,
            m::P_REPAIR,
            m::P_SPLIT_REJOIN,
            m::P_VERIFY,
        ],
        F::VipMasterFailure | F::PgsqlFailure | F::ServiceLanFailure | F::VipRepStopFailure => &[
            m::P_VERIFY_TAKEOVER,
            m::P_STOP,
            m::P_VERIFY_OFFLINE,
            m::P_REPAIR,
            m::P_LOCK,
            m::P_STANDBY_START,
            m::P_VERIFY,
            m::P_FAILBACK,
        ],
        F::DiskFailure => &[
            m::P_POWER_OFF_IF,
            m::P_VERIFY_TAKEOVER,
            m::P_STOP,
            m::P_REPLACE_DISK,
            m::P_LOCK,
            m::P_STANDBY_START,
            m::P_VERIFY,
            m::P_CLEAR_FENCE,
        ],
        F::ReplicationLanFailure => &[
            m::P_VERIFY_DLAN,
            m::P_STOP,
            m::P_VERIFY_OFFLINE,
            m::P_REPAIR,
            m::P_STANDBY_START_N,
            m::P_VERIFY,
        ],
        F::RouterFailure => &[
            m::P_ROUTER_LATEST,
            m::P_ROUTER_STOP,
            m::P_REPAIR,
            m::P_ROUTER_PRIMARY_START,
            m::P_ROUTER_STANDBY_START,
            m::P_VERIFY,
        ],
        F::HeartbeatLanFailure => &[
            m::P_POWER_OFF_IF,
            m::P_VERIFY_TAKEOVER,
            m::P_REPAIR,
            m::P_POWER_ON,
            m::P_LOCK,
            m::P_STANDBY_START,
            m::P_VERIFY_LINKS,
            m::P_CLEAR_FENCE,
        ],
        F::NodeFailure
        | F::CorosyncFailure
        | F::CibFailure
        | F::PgsqlStopFailure
        | F::PgsqlDemoteFailure
        | F::VipMasterStopFailure => &[
            m::P_POWER_OFF_IF,
            m::P_VERIFY_TAKEOVER,
            m::P_REPAIR,
            m::P_POWER_ON,
            m::P_LOCK,
            m::P_STANDBY_START,
            m::P_VERIFY,
            m::P_CLEAR_FENCE,
            m::P_FAILBACK,
        ],
        F::FencingFailure => &[
            m::P_FENCE_POWER_OFF,
            m::P_FENCE_CONFIRM,
            m::P_FENCE_CONTINUE,
        ],
        F::HeartbeatLinkDegraded => &[m::P_LINK_REPAIR, m::P_VERIFY_LINKS],
        F::PacemakerdFailure => &[m::P_PACEMAKERD],
        F::FailcountRemaining => &[m::P_FAILCOUNT],
        F::FenceHistoryRemaining => &[m::P_CLEAR_FENCE_ALL],
        F::LockFilePresent => &[m::P_LOCK_PRESENT],
        F::MaintenanceModeOn => &[m::P_MAINTENANCE],
        F::StandbyNotSync => &[m::P_NOT_SYNC],
        F::StandbyAbsent => &[m::P_STANDBY_START, m::P_VERIFY],
    }
}
