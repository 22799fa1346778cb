//! The recovery steps of each playbook (spec §6.2, §6.5), as text with the exact commands
//! for this cluster's nodes and resources. `pgrex recover <id>` will run them; until then
//! `pgrex diagnose` prints them.

use super::facts::Facts;
use super::Finding;
use crate::msg::{diag as m, Msg};

/// The steps for one finding.
pub(super) fn steps(x: &Finding, f: &Facts) -> Vec<String> {
    let node = x.node.clone().unwrap_or_else(|| "?".into());
    let survivor =
        f.st.primary
            .filter(|p| *p != node)
            .map(str::to_string)
            .or_else(|| f.other(&node).map(str::to_string))
            .unwrap_or_else(|| "?".into());
    let n = f.names;
    let rsc = match x.id {
        "vip-rep-failure" => n.vip_replication.clone(),
        "vip-standby-failure" => n.vip_standby.clone(),
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
    let fill = |msg: Msg| {
        msg.fmt(&[
            ("node", &node),
            ("peer", &survivor),
            ("rsc", &rsc),
            ("lock", &lock),
            ("title", &x.title),
            ("latest", &latest),
            ("other", &other_of_latest),
        ])
    };
    let seq: &[Msg] = match x.id {
        // A daemon that Pacemaker restarted in place: nothing to rejoin.
        "cib-failure" | "corosync-failure" if x.reaction == super::Reaction::Restart => {
            &[m::P_REPAIR, m::P_FAILCOUNT, m::P_VERIFY]
        }
        "vip-rep-failure" | "vip-standby-failure" => &[m::P_REPAIR, m::P_CLEANUP, m::P_VERIFY],
        "vip-master-failure" | "pgsql-failure" | "service-lan-failure" | "vip-rep-stop-failure" => {
            &[
                m::P_VERIFY_TAKEOVER,
                m::P_STOP,
                m::P_VERIFY_OFFLINE,
                m::P_REPAIR,
                m::P_LOCK,
                m::P_STANDBY_START,
                m::P_VERIFY,
                m::P_FAILBACK,
            ]
        }
        "disk-failure" => &[
            m::P_POWER_OFF_IF,
            m::P_VERIFY_TAKEOVER,
            m::P_STOP,
            m::P_REPLACE_DISK,
            m::P_LOCK,
            m::P_STANDBY_START,
            m::P_VERIFY,
            m::P_CLEAR_FENCE,
        ],
        "replication-lan-failure" => &[
            m::P_VERIFY_DLAN,
            m::P_STOP,
            m::P_VERIFY_OFFLINE,
            m::P_REPAIR,
            m::P_STANDBY_START_N,
            m::P_VERIFY,
        ],
        "router-failure" => &[
            m::P_ROUTER_LATEST,
            m::P_ROUTER_STOP,
            m::P_REPAIR,
            m::P_ROUTER_PRIMARY_START,
            m::P_ROUTER_STANDBY_START,
            m::P_VERIFY,
        ],
        "heartbeat-lan-failure" => &[
            m::P_POWER_OFF_IF,
            m::P_VERIFY_TAKEOVER,
            m::P_REPAIR,
            m::P_POWER_ON,
            m::P_LOCK,
            m::P_STANDBY_START,
            m::P_VERIFY_LINKS,
            m::P_CLEAR_FENCE,
        ],
        "node-failure"
        | "corosync-failure"
        | "cib-failure"
        | "pgsql-stop-failure"
        | "pgsql-demote-failure"
        | "vip-master-stop-failure" => &[
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
        "fencing-failure" => &[
            m::P_FENCE_POWER_OFF,
            m::P_FENCE_CONFIRM,
            m::P_FENCE_CONTINUE,
        ],
        "heartbeat-link-degraded" => &[m::P_LINK_REPAIR, m::P_VERIFY_LINKS],
        "pacemakerd-failure" => &[m::P_PACEMAKERD],
        "failcount-remaining" => &[m::P_FAILCOUNT],
        "fence-history-remaining" => &[m::P_CLEAR_FENCE_ALL],
        "lock-file-present" => &[m::P_LOCK_PRESENT],
        "maintenance-mode-on" => &[m::P_MAINTENANCE],
        "standby-not-sync" => &[m::P_NOT_SYNC],
        "standby-absent" => &[m::P_STANDBY_START, m::P_VERIFY],
        _ => &[],
    };
    let mut out: Vec<String> = seq.iter().map(|s| fill(*s)).collect();
    if x.id == "failcount-remaining" || x.id == "fence-history-remaining" {
        // One command per node and resource actually listed.
        out = match x.id {
            "failcount-remaining" => failcount_cmds(f, &node),
            _ => f
                .state
                .nodes
                .iter()
                .map(|nd| crate::t!(m::P_CLEAR_FENCE_ONE, node = crate::exec::quote(&nd.name)))
                .collect(),
        };
    }
    out
}

fn failcount_cmds(f: &Facts, node: &str) -> Vec<String> {
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
