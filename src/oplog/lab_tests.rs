//! The conversion over every fault the lab injects, in both profiles: each recording under
//! `tests/fixtures/lab/<profile>/<fault>/` holds both nodes' Pacemaker and Corosync logs of the
//! fault's window (the lab tests' recorder, `PGREX_LAB_RECORD=1`), converted as
//! `pgrex log --input` converts the four files (both nodes merged in time order, as `--both`
//! shows them) and compared with the reviewed snapshot `log.txt` beside them. Each fault's
//! test then names the lines the seed deck's slide for that pattern quotes, with the
//! profile's names, in the slide's order; where Pacemaker 2.1 writes something else the test
//! says so, as commands/log.md does. `PGREX_BLESS=1` rewrites the snapshots (review the diff).

use super::tests::{options, rendered};
use super::*;
use crate::diagnose::FaultId;
use std::path::{Path, PathBuf};

const FILES: [&str; 4] = [
    "pm01.pacemaker.log",
    "pm01.corosync.log",
    "pm02.pacemaker.log",
    "pm02.corosync.log",
];

/// The profiles the lab records, with the names their resources have.
struct P {
    name: &'static str,
    vip_primary: &'static str,
    vip_rep: &'static str,
    ping_attr: &'static str,
    /// The fencing devices that fence pm01 and pm02.
    fence1: &'static str,
    fence2: &'static str,
}

const PGREX17: P = P {
    name: "pgrex17",
    vip_primary: "ipaddr-primary",
    vip_rep: "ipaddr-replication",
    ping_attr: "ping-status",
    fence1: "fence1-lab",
    fence2: "fence2-lab",
};

const SEED: P = P {
    name: "seed",
    vip_primary: "vip-master",
    vip_rep: "vip-rep",
    ping_attr: "default_ping_set",
    fence1: "prmStonith1",
    fence2: "prmStonith2",
};

const PROFILES: [&P; 2] = [&PGREX17, &SEED];

fn dir(p: &P, fault: FaultId) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lab")
        .join(p.name)
        .join(fault.as_str())
}

/// The four logs of one recording (a node's file named by its first part, as `--input` does).
fn texts(p: &P, fault: FaultId) -> Vec<Text> {
    let d = dir(p, fault);
    FILES
        .iter()
        .map(|f| Text {
            node: f[..4].to_string(),
            file: f.to_string(),
            text: std::fs::read_to_string(d.join(f))
                .unwrap_or_else(|e| panic!("{}: {e}", d.join(f).display())),
        })
        .collect()
}

/// The conversion of one recording, checked against its reviewed snapshot `log.txt`.
fn snapshot(p: &P, fault: FaultId) -> Vec<Event> {
    let events = convert(&texts(p, fault), &options());
    let got = rendered(&events);
    let file = dir(p, fault).join("log.txt");
    if std::env::var("PGREX_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&file, &got).unwrap();
    }
    let want = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (PGREX_BLESS=1 writes it)", file.display()));
    pretty_assertions::assert_eq!(got, want, "{}/{fault}", p.name);
    events
}

/// `want` (`NODE message`) appear in this order, other lines between them allowed.
#[track_caller]
fn in_order(p: &P, fault: FaultId, events: &[Event], want: &[String]) {
    let got: Vec<String> = events
        .iter()
        .map(|e| format!("{} {}", e.node, e.message))
        .collect();
    let mut at = 0;
    for w in want {
        match got[at..].iter().position(|g| g == w) {
            Some(i) => at += i + 1,
            None => panic!(
                "{}/{fault}: {w:?} not found after line {at} in {got:#?}",
                p.name
            ),
        }
    }
}

/// No event of these kinds.
#[track_caller]
fn none_of(p: &P, fault: FaultId, events: &[Event], kinds: &[Kind]) {
    let bad: Vec<&Event> = events.iter().filter(|e| kinds.contains(&e.event)).collect();
    assert!(bad.is_empty(), "{}/{fault}: {bad:#?}", p.name);
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Recordings without logs yet (the lab run that records them did not reach them): the
/// completeness test below fails when one of these gets recorded, so the list only shrinks.
const NOT_RECORDED: &[(&str, FaultId)] = &[
    ("seed", FaultId::VipRepFailure),
    ("seed", FaultId::ReplicationLanFailure),
    ("seed", FaultId::ServiceLanFailure),
    ("seed", FaultId::RouterFailure),
    ("seed", FaultId::HeartbeatLanFailure),
    ("seed", FaultId::HeartbeatLinkDegraded),
    ("seed", FaultId::PacemakerdFailure),
    ("seed", FaultId::CorosyncFailure),
    ("seed", FaultId::CibFailure),
    ("seed", FaultId::DiskFailure),
    ("seed", FaultId::VipRepStopFailure),
    ("seed", FaultId::VipMasterStopFailure),
    ("seed", FaultId::PgsqlDemoteFailure),
    ("seed", FaultId::PgsqlStopFailure),
    ("seed", FaultId::FencingFailure),
];

/// The profile has this fault (the seed profile has no standby VIP) and it is recorded.
fn has(p: &P, f: FaultId) -> bool {
    let absent = f == FaultId::VipStandbyFailure && p.name == "seed";
    !absent && !NOT_RECORDED.contains(&(p.name, f))
}

/// Each profile's recording of `fault`, checked against its snapshot, then by `check`.
fn each(fault: FaultId, mut check: impl FnMut(&P, &[Event])) {
    for p in PROFILES.into_iter().filter(|p| has(p, fault)) {
        let e = snapshot(p, fault);
        check(p, &e);
    }
}

#[test]
fn every_injected_fault_is_recorded_with_both_nodes_logs_and_a_snapshot() {
    let mut missing = vec![];
    for p in PROFILES {
        for f in FaultId::faults() {
            if f == FaultId::VipStandbyFailure && p.name == "seed" {
                continue;
            }
            let d = dir(p, f);
            let have = FILES
                .iter()
                .chain(&["log.txt"])
                .all(|file| d.join(file).exists());
            if !have {
                missing.push((p.name, f));
            }
        }
    }
    let names = |v: &[(&str, FaultId)]| {
        let mut n: Vec<String> = v.iter().map(|(p, f)| format!("{p}/{f}")).collect();
        n.sort();
        n
    };
    assert_eq!(
        names(&missing),
        names(NOT_RECORDED),
        "recordings without logs or log.txt"
    );
}

/// One node's files alone (`pgrex log --input` of that node) give that node's events of the
/// merged view, except the failover summary, which is the DC's and may need the other
/// node's lines (a DC fenced in the middle).
#[test]
fn one_nodes_files_alone_give_its_events_of_the_merged_view() {
    let summary = |k: Kind| {
        matches!(
            k,
            Kind::FailoverStart
                | Kind::FailoverMove
                | Kind::FailoverStartedOn
                | Kind::FailoverStopped
                | Kind::FailoverOk
                | Kind::FailoverFailed
        )
    };
    for p in PROFILES {
        for f in FaultId::faults().filter(|f| has(p, *f)) {
            let all = texts(p, f);
            let merged = convert(&all, &options());
            for node in ["pm01", "pm02"] {
                let mine: Vec<Text> = all.iter().filter(|t| t.node == node).cloned().collect();
                let keep = |e: &&Event| e.node == node && !summary(e.event);
                let alone: Vec<String> = convert(&mine, &options())
                    .iter()
                    .filter(keep)
                    .map(|e| format!("{} {}", e.line, e.message))
                    .collect();
                let from_merged: Vec<String> = merged
                    .iter()
                    .filter(keep)
                    .map(|e| format!("{} {}", e.line, e.message))
                    .collect();
                assert_eq!(alone, from_merged, "{}/{f} {node}", p.name);
            }
        }
    }
}

/// `node`'s lines of the slide (each node's pm_logconv.out is its own file on the deck).
#[track_caller]
fn on(p: &P, fault: FaultId, events: &[Event], node: &str, want: &[String]) {
    let mine: Vec<Event> = events.iter().filter(|e| e.node == node).cloned().collect();
    let want: Vec<String> = want.iter().map(|w| format!("{node} {w}")).collect();
    in_order(p, fault, &mine, &want);
}

/// The first error an operator sees names the fault `diagnose` names.
#[track_caller]
fn first_error_is(p: &P, fault: FaultId, events: &[Event]) {
    first_error_names(p, fault, events, fault);
}

/// The first error names `want` (a sibling of `fault` that one line cannot tell apart).
#[track_caller]
fn first_error_names(p: &P, fault: FaultId, events: &[Event], want: FaultId) {
    let first = events
        .iter()
        .find(|e| e.priority == Priority::Error && e.event != Kind::FailoverStart)
        .unwrap_or_else(|| panic!("{}/{fault}: no error", p.name));
    assert_eq!(first.fault, Some(want), "{}/{fault}: {first:#?}", p.name);
}

/// The stop of the service resources on the old primary and their start on the new one, as
/// the deck's failover slides show them (vip-master, service LAN), and the DC's summary.
fn failed_over(p: &P, fault: FaultId, e: &[Event], dc: &str) {
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
    // pm_logconv 2.x on Pacemaker 1.1 (the deck) wrote "Resource vip-master : Started on
    // pm02"; pgrex names where each came from (commands/log.md).
    on(
        p,
        fault,
        e,
        dc,
        &[
            format!("Resource {vm} : Move pm01 -> pm02"),
            format!("Resource {vr} : Move pm01 -> pm02"),
            "fail-over succeeded.".into(),
        ],
    );
}

/// The old primary's demote and stops (a failover without fencing).
fn stopped_in_order(p: &P, fault: FaultId, e: &[Event]) {
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
        on(
            p,
            f,
            e,
            "pm01",
            &[
                "Network to 192.0.2.254 is unreachable.".into(),
                format!(
                    "Attribute \"{}\" is updated to \"0\" at \"pm01\".",
                    p.ping_attr
                ),
            ],
        );
        stopped_in_order(p, f, e);
        failed_over(p, f, e, "pm01");
        first_error_is(p, f, e);
    });
}

#[test]
fn router_failure_both_networks_down_and_nowhere_to_go() {
    let f = FaultId::RouterFailure;
    each(f, |p, e| {
        for n in ["pm01", "pm02"] {
            on(p, f, e, n, &s(&["Network to 192.0.2.254 is unreachable."]));
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
        first_error_names(p, f, e, FaultId::ServiceLanFailure);
    });
}

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
