//! Each lab recording of a fault against the seed deck's slide for its pattern: the lines the
//! slide quotes, node by node, in the slide's order, with the profile's names (lab_tests.rs
//! reads the recordings and compares the snapshots). Where Pacemaker 2.1 writes something else
//! the test says so, as commands/log.md does.

use super::lab_tests::{each, in_order, none_of, s, P};
use super::*;
use crate::diagnose::FaultId;

/// `node`'s lines of the slide (each node's pm_logconv.out is its own file on the deck).
#[track_caller]
pub(super) fn on(p: &P, fault: FaultId, events: &[Event], node: &str, want: &[String]) {
    let mine: Vec<Event> = events.iter().filter(|e| e.node == node).cloned().collect();
    let want: Vec<String> = want.iter().map(|w| format!("{node} {w}")).collect();
    in_order(p, fault, &mine, &want);
}

/// The first error an operator sees names the fault `diagnose` names.
#[track_caller]
pub(super) fn first_error_is(p: &P, fault: FaultId, events: &[Event]) {
    first_error_names(p, fault, events, fault);
}

/// The first error names `want` (a sibling of `fault` that one line cannot tell apart).
#[track_caller]
pub(super) fn first_error_names(p: &P, fault: FaultId, events: &[Event], want: FaultId) {
    let first = events
        .iter()
        .find(|e| e.priority == Priority::Error && e.event != Kind::FailoverStart)
        .unwrap_or_else(|| panic!("{}/{fault}: no error", p.name));
    assert_eq!(first.fault, Some(want), "{}/{fault}: {first:#?}", p.name);
}

/// The stop of the service resources on the old primary and their start on the new one, as
/// the deck's failover slides show them (vip-master, service LAN), and the DC's summary.
pub(super) fn failed_over(p: &P, fault: FaultId, e: &[Event], dc: &str) {
    let (vm, vr) = (p.vip_primary, p.vip_rep);
    on(
        p,
        fault,
        e,
        "pm02",
        &[
            "Resource pgsql tries to promote.".into(),
            "Resource pgsql promoted. (rc=0) ok".into(),
            format!("Resource {vm} tries to start."),
            format!("Resource {vm} started. (rc=0) ok"),
            format!("Resource {vr} tries to start."),
            format!("Resource {vr} started. (rc=0) ok"),
        ],
    );
    // The deck's lines: pm_logconv writes each service resource's line from the last plan
    // before the transition that completes (F11-1 `Start vip-master ( pm02 )`, F11-3 `Leave`),
    // and the failover's last plan only starts the VIPs on the new node (commands/log.md).
    on(
        p,
        fault,
        e,
        dc,
        &[
            format!("Resource {vm} : Started on pm02"),
            format!("Resource {vr} : Started on pm02"),
            "fail-over succeeded.".into(),
        ],
    );
}

/// The old primary's demote and stops (a failover without fencing).
pub(super) fn stopped_in_order(p: &P, fault: FaultId, e: &[Event]) {
    let (vm, vr) = (p.vip_primary, p.vip_rep);
    on(
        p,
        fault,
        e,
        "pm01",
        &s(&[
            "Start to fail-over.",
            "Resource pgsql tries to demote.",
            "Resource pgsql demoted. (rc=0) ok",
            &format!("Resource {vr} tries to stop."),
            &format!("Resource {vr} stopped. (rc=0) ok"),
            &format!("Resource {vm} tries to stop."),
            &format!("Resource {vm} stopped. (rc=0) ok"),
            "Resource pgsql tries to stop.",
            "Resource pgsql stopped. (rc=0) ok",
        ]),
    );
}

#[test]
fn vip_rep_failure_the_replication_vip_restarted_in_place() {
    let f = FaultId::VipRepFailure;
    each(f, |p, e| {
        let vr = p.vip_rep;
        on(
            p,
            f,
            e,
            "pm01",
            &[
                format!("Resource {vr} does not work. (rc=7) not running"),
                format!("Resource {vr} tries to stop."),
                format!("Resource {vr} stopped. (rc=0) ok"),
                format!("Resource {vr} tries to start."),
                format!("Resource {vr} started. (rc=0) ok"),
            ],
        );
        first_error_is(p, f, e);
        none_of(p, f, e, &[Kind::FailoverStart, Kind::FailoverOk]);
    });
}

#[test]
fn vip_master_failure_fails_over() {
    let f = FaultId::VipMasterFailure;
    each(f, |p, e| {
        let vm = p.vip_primary;
        on(
            p,
            f,
            e,
            "pm01",
            &[format!("Resource {vm} does not work. (rc=7) not running")],
        );
        stopped_in_order(p, f, e);
        failed_over(p, f, e, "pm01");
        first_error_is(p, f, e);
    });
}

#[test]
fn pgsql_failure_fails_over() {
    let f = FaultId::PgsqlFailure;
    each(f, |p, e| {
        // rc 7, or rc 1 when the monitor runs while PostgreSQL goes down (both seen).
        let first = e.iter().find(|x| x.priority == Priority::Error).unwrap();
        assert!(
            [
                "Resource pgsql does not work. (rc=7) not running",
                "Resource pgsql failed to monitor. (rc=1) error"
            ]
            .contains(&first.message.as_str()),
            "{}: {first:#?}",
            p.name
        );
        stopped_in_order(p, f, e);
        failed_over(p, f, e, "pm01");
        first_error_is(p, f, e);
    });
}

#[test]
fn vip_standby_failure_the_standby_vip_moves_to_the_primary() {
    let f = FaultId::VipStandbyFailure;
    each(f, |p, e| {
        let vs = "ipaddr-standby";
        on(
            p,
            f,
            e,
            "pm02",
            &[
                format!("Resource {vs} does not work. (rc=7) not running"),
                format!("Resource {vs} tries to stop."),
                format!("Resource {vs} stopped. (rc=0) ok"),
            ],
        );
        on(
            p,
            f,
            e,
            "pm01",
            &[format!("Resource {vs} started. (rc=0) ok")],
        );
        first_error_is(p, f, e);
        none_of(p, f, e, &[Kind::FailoverStart]);
    });
}

#[test]
fn replication_lan_failure_the_standby_loses_its_promotion_score() {
    let f = FaultId::ReplicationLanFailure;
    each(f, |p, e| {
        for n in ["pm01", "pm02"] {
            on(
                p,
                f,
                e,
                n,
                &s(&[
                    "Attribute \"master-pgsql\" is updated to \"-INFINITY\" at \"pm02\".",
                    "Attribute \"pgsql-status\" is updated to \"HS:alone\" at \"pm02\".",
                ]),
            );
        }
        none_of(p, f, e, &[Kind::FailoverStart, Kind::NodeLost]);
    });
}

#[test]
fn service_lan_failure_the_network_monitor_then_the_failover() {
    let f = FaultId::ServiceLanFailure;
    each(f, |p, e| {
        let attr = format!(
            "Attribute \"{}\" is updated to \"0\" at \"pm01\".",
            p.ping_attr
        );
        // The ping RA writes its "is inactive" warning only with `debug=true`: pgrex17's sheet
        // sets it, the lab's seed profile (the deck's `prmPing`, `multiplier=100`) does not,
        // so there the network monitor's fault shows as the attribute alone.
        let want = if p.name == "pgrex17" {
            vec!["Network to 192.0.2.254 is unreachable.".into(), attr]
        } else {
            vec![attr]
        };
        on(p, f, e, "pm01", &want);
        stopped_in_order(p, f, e);
        failed_over(p, f, e, "pm01");
        let monitor = e
            .iter()
            .find(|x| matches!(x.event, Kind::NetworkUnreachable | Kind::AttributeUpdated))
            .unwrap();
        assert_eq!(monitor.fault, Some(f), "{}: {monitor:#?}", p.name);
    });
}

#[test]
fn router_failure_both_networks_down_and_nowhere_to_go() {
    let f = FaultId::RouterFailure;
    each(f, |p, e| {
        for n in ["pm01", "pm02"] {
            // Only with the ping RA's `debug=true` (pgrex17; see the service LAN test).
            if p.name == "pgrex17" {
                on(p, f, e, n, &s(&["Network to 192.0.2.254 is unreachable."]));
            }
            for at in ["pm01", "pm02"] {
                on(
                    p,
                    f,
                    e,
                    n,
                    &[format!(
                        "Attribute \"{}\" is updated to \"0\" at \"{at}\".",
                        p.ping_attr
                    )],
                );
            }
        }
        // No node may run the primary: the DC's summary says every service resource stopped.
        on(
            p,
            f,
            e,
            "pm01",
            &[
                "Start to fail-over.".into(),
                format!("Resource {} : Stopped", p.vip_primary),
                format!("Resource {} : Stopped", p.vip_rep),
                "fail-over failed.".into(),
            ],
        );
        // One line cannot tell a router from the service LAN: diagnose sees both nodes.
        if p.name == "pgrex17" {
            first_error_names(p, f, e, FaultId::ServiceLanFailure);
        } else {
            // No "unreachable" line: the first event tied to a fault is the attribute's.
            let first = e.iter().find(|x| x.fault.is_some()).expect("a fault");
            assert_eq!(
                (first.event, first.fault),
                (Kind::AttributeUpdated, Some(FaultId::ServiceLanFailure)),
                "seed/{f}"
            );
        }
    });
}
