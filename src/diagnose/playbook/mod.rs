//! The playbook of each finding (spec §6.2, §6.5; FAULTS.md's recovery outlines) as typed
//! steps ([`Step`]: a pgrex operation, a Pacemaker action, a wait, an operator action), each
//! with its instruction in words and this cluster's exact commands. One source: `pgrex
//! diagnose` prints these steps, `pgrex recover` runs them.

mod checks;
mod newest;
mod step;

pub use step::{Action, Cause, Check, MethodPolicy, Step, Until};

use super::facts::RuleInput;
use super::FaultId as F;
use super::Finding;
use crate::msg::{diag as m, Msg};

/// Whom a step of a sequence is about.
#[derive(Clone, Copy)]
enum Who {
    /// The finding's node (the failed one).
    Node,
    /// The other node (the survivor).
    Peer,
    /// The node whose data-status is LATEST.
    Latest,
    /// The other one of the LATEST node.
    Other,
    /// The primary now.
    Primary,
    /// The cluster as a whole.
    Cluster,
}

type Seq = &'static [(Msg, Who, fn() -> Action)];

fn cleanup() -> Action {
    Action::Cleanup { resource: None }
}
fn stop() -> Action {
    Action::Stop
}
fn standby() -> Action {
    Action::StandbyStart {
        method: MethodPolicy::AsFactsAllow,
    }
}
fn standby_diverged() -> Action {
    Action::StandbyStart {
        method: MethodPolicy::NeverAsIs,
    }
}
fn primary_start() -> Action {
    Action::PrimaryStart
}
fn switchover() -> Action {
    Action::Switchover
}
fn fence_clear() -> Action {
    Action::ClearFenceHistory
}
fn maintenance() -> Action {
    Action::LeaveMaintenance {
        cluster: false,
        nodes: Vec::new(),
        resources: Vec::new(),
    }
}
fn confirm() -> Action {
    Action::ConfirmFence
}
fn takeover() -> Action {
    Action::Wait {
        until: Until::Takeover,
    }
}
fn offline() -> Action {
    Action::Wait {
        until: Until::Offline,
    }
}
fn sync() -> Action {
    Action::Wait {
        until: Until::StandbySync,
    }
}
fn answers() -> Action {
    Action::Wait {
        until: Until::Answers,
    }
}
fn repair() -> Action {
    Action::Operator {
        cause: Cause::Repair,
        check: Check::Unobservable,
    }
}
fn disk() -> Action {
    Action::Operator {
        cause: Cause::ReplaceDisk,
        check: Check::Unobservable,
    }
}
fn power_on() -> Action {
    Action::Operator {
        cause: Cause::PowerOn,
        check: Check::Answers,
    }
}
fn power_off_if() -> Action {
    Action::Operator {
        cause: Cause::PowerOffIfUp,
        check: Check::Offline,
    }
}
fn power_off() -> Action {
    Action::Operator {
        cause: Cause::PowerOff,
        check: Check::Unobservable,
    }
}
fn link() -> Action {
    Action::Operator {
        cause: Cause::RepairLink,
        check: Check::LinksConnected,
    }
}
fn verify() -> Action {
    Action::Verify
}
fn note() -> Action {
    Action::Note
}

/// The steps for one finding.
pub(super) fn steps(x: &Finding, f: &RuleInput) -> Vec<Step> {
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
    // The service-down-on-both playbook's primary: unproven, its steps name no node (and
    // recover refuses them) and say whom they are for in words.
    let newest = newest::newest(f);
    let (latest, other_of_latest) = match newest.node() {
        Some(n) => (n.to_string(), f.other(n).unwrap_or("?").to_string()),
        None => (
            m::NEWEST_NODE.text().into(),
            m::NEWEST_OTHER_NODE.text().into(),
        ),
    };
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
    let known = |s: &str| (s != "?").then(|| s.to_string());
    let proven = |s: &str| newest.node().and_then(|_| known(s));
    let who = |w: Who| match w {
        Who::Node => x.node.clone(),
        Who::Peer => known(&survivor),
        Who::Latest => proven(&latest),
        Who::Other => proven(&other_of_latest),
        Who::Primary => known(&primary),
        Who::Cluster => None,
    };
    match x.id {
        // One command per node and resource actually listed.
        F::FailcountRemaining if x.playbook == x.id => failcount_steps(f, &node),
        F::FenceHistoryRemaining if x.playbook == x.id => f
            .state
            .nodes
            .iter()
            .map(|nd| {
                let text = crate::t!(m::P_CLEAR_FENCE_ONE, node = crate::exec::quote(&nd.name));
                Step::new(Action::ClearFenceHistory, Some(&nd.name), text)
            })
            .collect(),
        _ => {
            let seq = sequence(x, f, &node);
            let mut steps: Vec<Step> = seq
                .iter()
                .map(|(msg, w, action)| Step::new(action(), who(*w).as_deref(), fill(*msg)))
                .collect();
            if x.playbook == F::RouterFailure || x.id == F::RouterFailure {
                steps[0].text = newest.why().to_string();
            }
            checks::fill(&mut steps, x, f);
            steps
        }
    }
}

fn failcount_steps(f: &RuleInput, node: &str) -> Vec<Step> {
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
            let text = crate::t!(
                m::P_FAILCOUNT_ONE,
                rsc = crate::exec::quote(r),
                node = crate::exec::quote(node)
            );
            let action = Action::Cleanup {
                resource: Some(r.to_string()),
            };
            Step::new(action, Some(node), text)
        })
        .collect()
}

/// The service down on both nodes (router-failure, and any finding while
/// [`RuleInput::down_on_both`] holds): both Pacemakers stopped, the newest data's node
/// started as the primary, the other as its standby.
const BOTH_DOWN: Seq = {
    use Who::*;
    &[
        (m::P_ROUTER_LATEST, Latest, note),
        (m::P_ROUTER_STOP, Other, stop),
        (m::P_ROUTER_STOP_LATEST, Latest, stop),
        (m::P_ROUTER_REPAIR, Cluster, repair),
        (m::P_ROUTER_PRIMARY_START, Latest, primary_start),
        (m::P_ROUTER_OTHER_ANSWERS, Other, answers),
        (m::P_ROUTER_STANDBY_START, Other, standby),
        (m::P_VERIFY, Cluster, verify),
    ]
};

/// The steps of a finding, in order (the playbook outline of FAULTS.md, as this cluster
/// shows it: two primaries and a VIP on no node have their own).
fn sequence(x: &Finding, f: &RuleInput, node: &str) -> Seq {
    use Who::*;
    if x.playbook == F::RouterFailure {
        return BOTH_DOWN;
    }
    match x.id {
        F::RouterFailure => BOTH_DOWN,
        // The daemon respawned but the promoted role moved to the other node: this node's
        // PostgreSQL runs again as a standby of the old timeline; it is stopped and rejoins
        // as its facts allow (standby-start's checks see its data past the promotion).
        F::CibFailure if x.reaction == super::Reaction::Failover => &[
            (m::P_VERIFY_TAKEOVER, Peer, takeover),
            (m::P_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_REPAIR, Node, repair),
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY, Cluster, verify),
            (m::P_FAILBACK, Node, switchover),
        ],
        // A daemon that Pacemaker restarted in place: nothing to rejoin.
        F::CibFailure | F::CorosyncFailure if x.reaction == super::Reaction::Restart => &[
            (m::P_REPAIR, Node, repair),
            (m::P_FAILCOUNT, Node, cleanup),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::VipRepFailure | F::VipStandbyFailure => &[
            (m::P_REPAIR, Node, repair),
            (m::P_CLEANUP, Node, cleanup),
            (m::P_VERIFY, Cluster, verify),
        ],
        // The service VIP banned from every node: the primary stays; the VIP comes back on it
        // once its failures are repaired and cleared.
        F::VipMasterFailure if f.service_vip_nowhere().is_some() => &[
            (m::P_VIP_NOWHERE_KEEP, Primary, note),
            (m::P_VIP_NOWHERE_REPAIR, Node, repair),
            (m::P_VIP_NOWHERE_CLEANUP, Cluster, cleanup),
            (m::P_VERIFY, Cluster, verify),
        ],
        // Two primaries: no failover happened; the extra one stops before anything else, and
        // its data, written to while it was primary, never rejoins as it is.
        F::PgsqlFailure if f.other_primary(node).is_some() => &[
            (m::P_SPLIT_KEEP, Peer, note),
            (m::P_SPLIT_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_REPAIR, Node, repair),
            (m::P_SPLIT_REJOIN, Node, standby_diverged),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::VipMasterFailure | F::PgsqlFailure | F::ServiceLanFailure | F::VipRepStopFailure => &[
            (m::P_VERIFY_TAKEOVER, Peer, takeover),
            (m::P_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_REPAIR, Node, repair),
            (m::P_LOCK, Node, note),
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY, Cluster, verify),
            (m::P_FAILBACK, Node, switchover),
        ],
        F::DiskFailure => &[
            (m::P_POWER_OFF_IF, Node, power_off_if),
            (m::P_VERIFY_TAKEOVER, Peer, takeover),
            (m::P_STOP, Node, stop),
            (m::P_REPLACE_DISK, Node, disk),
            (m::P_LOCK, Node, note),
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY, Cluster, verify),
            (m::P_CLEAR_FENCE, Cluster, fence_clear),
        ],
        F::ReplicationLanFailure => &[
            (m::P_VERIFY_DLAN, Peer, note),
            (m::P_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_REPAIR, Node, repair),
            (m::P_STANDBY_START_N, Node, standby),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::HeartbeatLanFailure => &[
            (m::P_POWER_OFF_IF, Node, power_off_if),
            (m::P_VERIFY_TAKEOVER, Peer, takeover),
            (m::P_REPAIR, Node, link),
            (m::P_POWER_ON, Node, power_on),
            (m::P_LOCK, Node, note),
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY_LINKS, Cluster, verify),
            (m::P_CLEAR_FENCE, Cluster, fence_clear),
        ],
        F::NodeFailure
        | F::CorosyncFailure
        | F::CibFailure
        | F::PgsqlStopFailure
        | F::PgsqlDemoteFailure
        | F::VipMasterStopFailure => &[
            (m::P_POWER_OFF_IF, Node, power_off_if),
            (m::P_VERIFY_TAKEOVER, Peer, takeover),
            (m::P_REPAIR, Node, repair),
            (m::P_POWER_ON, Node, power_on),
            (m::P_LOCK, Node, note),
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY, Cluster, verify),
            (m::P_CLEAR_FENCE, Cluster, fence_clear),
            (m::P_FAILBACK, Node, switchover),
        ],
        F::FencingFailure => &[
            (m::P_FENCE_POWER_OFF, Node, power_off),
            (m::P_FENCE_CONFIRM, Node, confirm),
            (m::P_FENCE_CONTINUE, Cluster, verify),
        ],
        F::HeartbeatLinkDegraded => &[
            (m::P_LINK_REPAIR, Node, link),
            (m::P_VERIFY_LINKS, Cluster, verify),
        ],
        F::PacemakerdFailure => &[(m::P_PACEMAKERD, Node, note)],
        F::FailcountRemaining => &[(m::P_FAILCOUNT, Node, cleanup)],
        F::FenceHistoryRemaining => &[(m::P_CLEAR_FENCE_ALL, Cluster, fence_clear)],
        // standby-start needs Pacemaker stopped on the node: where it still runs (the
        // failcount cleared, PostgreSQL left stopped), it is stopped first.
        F::LockFilePresent if f.online(node) => &[
            (m::P_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_LOCK_PRESENT, Node, standby),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::LockFilePresent => &[
            (m::P_LOCK_PRESENT, Node, standby),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::MaintenanceModeOn => &[
            (m::P_MAINTENANCE, Cluster, maintenance),
            (m::P_VERIFY, Cluster, verify),
        ],
        // Diverged (it replayed past the WAL the primary can send it): waiting never helps.
        F::StandbyNotSync if f.standby_diverged(node).is_some() => &[
            (m::P_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_DIVERGED_REJOIN, Node, standby_diverged),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::StandbyNotSync => &[
            (m::P_NOT_SYNC, Cluster, sync),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::StandbyAbsent if f.online(node) => &[
            (m::P_STOP, Node, stop),
            (m::P_VERIFY_OFFLINE, Node, offline),
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY, Cluster, verify),
        ],
        F::StandbyAbsent => &[
            (m::P_STANDBY_START, Node, standby),
            (m::P_VERIFY, Cluster, verify),
        ],
    }
}
#[cfg(test)]
mod both_down_tests;
#[cfg(test)]
mod tests;
