//! The lab recordings of the faults that take a node, a process, a stop or the fencing (the
//! deck's ③ slides: heartbeat LAN, node failure, PostgreSQL stop failure, pacemakerd), checked
//! like lab_slides.rs does the resource and network faults.

use super::lab_slides::{failed_over, first_error_is, on, stopped_in_order};
use super::lab_tests::{each, none_of, s, P};
use super::*;
use crate::diagnose::FaultId;

#[test]
fn heartbeat_lan_failure_the_primary_wins_the_fencing_race() {
    let f = FaultId::HeartbeatLanFailure;
    each(f, |p, e| {
        // The deck's slide is the primary's side: the peer lost, fenced from here.
        on(
            p,
            f,
            e,
            "pm01",
            &[
                "Link number 0 to node pm02 is FAULTY.".into(),
                "Node pm02 is lost".into(),
                "Try to STONITH (reboot) pm02.".into(),
                format!("Succeeded to execute STONITH device {} for pm02.", p.fence2),
                "Succeeded to STONITH (reboot) pm02 by pm01.".into(),
            ],
        );
        // The standby's side: its fencing of the primary waits (priority-fencing-delay), the
        // one case Pacemaker 2.1 names the device of a try; it is fenced before it acts.
        on(
            p,
            f,
            e,
            "pm02",
            &[
                "Node pm01 is lost".into(),
                "Try to STONITH (reboot) pm01.".into(),
                format!(
                    "Try to execute STONITH device {} on pm02 for reboot pm01.",
                    p.fence1
                ),
            ],
        );
        // The primary kept everything: no summary (the standby's failover never ran).
        none_of(p, f, e, &[Kind::FailoverOk, Kind::FailoverFailed]);
        assert!(
            e.iter()
                .all(|x| x.event != Kind::StonithOk || x.node == "pm01"),
            "{}: only pm01 fences",
            p.name
        );
        // A lost node names node-failure; diagnose tells its siblings apart.
        let lost = e.iter().find(|x| x.event == Kind::NodeLost).unwrap();
        assert_eq!(lost.fault, Some(FaultId::NodeFailure), "{}", p.name);
    });
}

#[test]
fn heartbeat_link_degraded_one_link_down_nothing_else() {
    let f = FaultId::HeartbeatLinkDegraded;
    each(f, |p, e| {
        // knet names the peer by its node id; the window has no line naming the ids.
        on(p, f, e, "pm01", &s(&["Link number 1 to node 2 is FAULTY."]));
        on(p, f, e, "pm02", &s(&["Link number 1 to node 1 is FAULTY."]));
        none_of(
            p,
            f,
            e,
            &[Kind::NodeLost, Kind::StonithTry, Kind::FailoverStart],
        );
    });
}

#[test]
fn node_failure_lost_fenced_and_failed_over_by_the_survivor() {
    let f = FaultId::NodeFailure;
    each(f, |p, e| {
        on(
            p,
            f,
            e,
            "pm02",
            &[
                "Node pm01 is lost".into(),
                "Set DC node to pm02.".into(),
                "Start to fail-over.".into(),
                "Try to STONITH (reboot) pm01.".into(),
                format!(
                    "Try to execute STONITH device {} on pm02 for reboot pm01.",
                    p.fence1
                ),
                format!("Succeeded to execute STONITH device {} for pm01.", p.fence1),
                "Succeeded to STONITH (reboot) pm01 by pm02.".into(),
            ],
        );
        failed_over(p, f, e, "pm02");
        // The frozen node wrote nothing after the injection.
        assert!(e.iter().all(|x| x.node == "pm02"), "{}", p.name);
        let lost = e.iter().find(|x| x.event == Kind::NodeLost).unwrap();
        assert_eq!(lost.fault, Some(f), "{}", p.name);
    });
}

#[test]
fn pacemakerd_failure_only_the_respawned_pacemakerd_starting() {
    let f = FaultId::PacemakerdFailure;
    each(f, |p, e| {
        // As the deck says: no line says pacemakerd died; the respawn says it started.
        on(p, f, e, "pm01", &s(&["Starting Pacemaker 2.1.5."]));
        assert!(
            e.iter().all(|x| x.priority == Priority::Info),
            "{}: {e:#?}",
            p.name
        );
    });
}

#[test]
fn corosync_failure_the_daemons_lose_the_cluster_layer_and_the_peer_fences() {
    let f = FaultId::CorosyncFailure;
    each(f, |p, e| {
        // corosync killed writes nothing; every daemon on pm01 exits "Not connected" (102).
        for d in ["pacemaker-based", "pacemaker-attrd", "pacemaker-controld"] {
            let x = e
                .iter()
                .find(|x| x.node == "pm01" && x.event == Kind::ProcessExit && x.message.contains(d))
                .unwrap_or_else(|| panic!("{}: {d} exit", p.name));
            assert!(
                x.message.ends_with(", rc=102)"),
                "{}: {}",
                p.name,
                x.message
            );
        }
        let based = e
            .iter()
            .find(|x| x.message.contains("\"pacemaker-based\" process exited"))
            .unwrap();
        assert_eq!(based.fault, Some(f), "{}: rc 102 is Corosync lost", p.name);
        on(
            p,
            f,
            e,
            "pm02",
            &[
                "Node pm01 is lost".into(),
                "Start to fail-over.".into(),
                "Try to STONITH (reboot) pm01.".into(),
                format!("Succeeded to execute STONITH device {} for pm01.", p.fence1),
                "Succeeded to STONITH (reboot) pm01 by pm02.".into(),
            ],
        );
        failed_over(p, f, e, "pm02");
    });
}

#[test]
fn cib_failure_the_cib_daemon_killed_respawned_and_the_standby_promoted() {
    let f = FaultId::CibFailure;
    each(f, |p, e| {
        let killed = e
            .iter()
            .find(|x| x.event == Kind::ProcessSignal)
            .unwrap_or_else(|| panic!("{}: no kill", p.name));
        assert!(
            killed.node == "pm01"
                && killed
                    .message
                    .starts_with("Managed \"pacemaker-based\" process terminated with signal 9."),
            "{}: {killed:#?}",
            p.name
        );
        assert_eq!(killed.fault, Some(f), "{}", p.name);
        assert!(
            e.iter().any(|x| x.node == "pm01"
                && x.event == Kind::ProcessStart
                && x.message.starts_with("Start \"pacemaker-based\" process.")),
            "{}: respawned",
            p.name
        );
        // Pacemaker 2.1 then either swaps the roles or fences pm01 (both seen,
        // docs/faults.md); either way the new DC, pm02, ends the failover.
        on(
            p,
            f,
            e,
            "pm02",
            &s(&["Set DC node to pm02.", "Start to fail-over."]),
        );
        failed_over(p, f, e, "pm02");
    });
}

#[test]
fn disk_failure_the_disk_monitor_then_the_failover() {
    let f = FaultId::DiskFailure;
    each(f, |p, e| {
        // storage-mon's health attribute, not diskd's line (commands/log.md).
        on(
            p,
            f,
            e,
            "pm01",
            &s(&[
                "Disk connection to pm01 is ERROR. (attr_name=#health-storage-mon)",
                "Start to fail-over.",
            ]),
        );
        stopped_in_order(p, f, e);
        failed_over(p, f, e, "pm01");
        first_error_is(p, f, e);
    });
}

/// The event of a failed stop (or demote) of `rsc` on pm01, naming `fault`.
#[track_caller]
fn failed_op(p: &P, fault: FaultId, e: &[Event], rsc: &str, op: &str) {
    let x = e
        .iter()
        .find(|x| x.event == Kind::ResourceFailed && x.resource.as_deref() == Some(rsc))
        .unwrap_or_else(|| panic!("{}/{fault}: no failed {op} of {rsc}", p.name));
    assert_eq!(
        (x.node.as_str(), x.message.as_str(), x.fault),
        (
            "pm01",
            format!("Resource {rsc} failed to {op}. (rc=1) error").as_str(),
            Some(fault)
        ),
        "{}",
        p.name
    );
}

#[test]
fn vip_rep_stop_failure_the_failover_goes_on() {
    let f = FaultId::VipRepStopFailure;
    each(f, |p, e| {
        // The lab fails the VIP's stop, then stops PostgreSQL: the failover (②) stops at
        // the replication VIP's stop, which fails, and still completes.
        on(
            p,
            f,
            e,
            "pm01",
            &s(&[
                "Resource pgsql does not work. (rc=7) not running",
                "Start to fail-over.",
            ]),
        );
        failed_op(p, f, e, p.vip_rep, "stop");
        failed_over(p, f, e, "pm01");
    });
}

#[test]
fn vip_master_stop_failure_fenced_and_the_new_dc_ends_the_failover() {
    let f = FaultId::VipMasterStopFailure;
    each(f, |p, e| {
        let vm = p.vip_primary;
        on(
            p,
            f,
            e,
            "pm01",
            &[format!("Resource {vm} does not work. (rc=7) not running")],
        );
        fenced_mid_failover(p, f, e, vm, "stop");
    });
}

/// ③ from a failed stop or demote: pm01 (the DC) asks for its own fencing, pm02 fences it,
/// becomes the DC and ends the failover (the deck's PostgreSQL stop failure slide).
fn fenced_mid_failover(p: &P, f: FaultId, e: &[Event], rsc: &str, op: &str) {
    on(
        p,
        f,
        e,
        "pm01",
        &[
            "Start to fail-over.".into(),
            format!("Resource {rsc} failed to {op}. (rc=1) error"),
            "Try to STONITH (reboot) pm01.".into(),
        ],
    );
    failed_op(p, f, e, rsc, op);
    on(
        p,
        f,
        e,
        "pm02",
        &[
            format!("Succeeded to execute STONITH device {} for pm01.", p.fence1),
            "Node pm01 is lost".into(),
            "Succeeded to STONITH (reboot) pm01 by pm02.".into(),
            "Set DC node to pm02.".into(),
        ],
    );
    failed_over(p, f, e, "pm02");
}

#[test]
fn pgsql_demote_failure_fenced_and_the_new_dc_ends_the_failover() {
    let f = FaultId::PgsqlDemoteFailure;
    each(f, |p, e| fenced_mid_failover(p, f, e, "pgsql", "demote"));
}

#[test]
fn pgsql_stop_failure_fenced_and_the_new_dc_ends_the_failover() {
    let f = FaultId::PgsqlStopFailure;
    each(f, |p, e| fenced_mid_failover(p, f, e, "pgsql", "stop"));
}

#[test]
fn fencing_failure_the_stonith_fails_and_the_failover_never_ends() {
    let f = FaultId::FencingFailure;
    each(f, |p, e| {
        let dev = p.fence1;
        on(
            p,
            f,
            e,
            "pm02",
            &[
                "Node pm01 is lost".into(),
                "Start to fail-over.".into(),
                "Try to STONITH (reboot) pm01.".into(),
                format!("Try to execute STONITH device {dev} on pm02 for reboot pm01."),
                format!("Failed to execute STONITH device {dev} for pm01."),
                "Failed to STONITH (reboot) pm01 by pm02.".into(),
                // Pacemaker tries again.
                "Try to STONITH (reboot) pm01.".into(),
            ],
        );
        // No fencing, so no promotion: the failover is not over (a transition 2.1 calls
        // `Complete` with the fencing and everything after it not run does not end it).
        none_of(
            p,
            f,
            e,
            &[Kind::FailoverOk, Kind::FailoverFailed, Kind::StonithOk],
        );
        first_error_is(p, f, e);
    });
}
