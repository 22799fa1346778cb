//! The conversion over recorded lab logs (tests/fixtures/log/, the command beside each),
//! compared with the reviewed snapshot `expected.txt` (`PGREX_BLESS=1` rewrites it: review the
//! diff), and one test per event kind from a real line recorded in the lab (the kinds no
//! lab fault produces: events_tests.rs); lines in Pacemaker 1.1's wording (pm_logconv's
//! `doc/conv-msg.md` examples, which pgrex also reads) are marked as such.

use super::*;
use crate::diagnose::FaultId;
use std::path::Path;

fn clock() -> Clock {
    Clock::fixed_utc("2026-12-01T09:00:00Z".parse().unwrap())
}

pub(super) fn options() -> Options {
    Options {
        roles: Roles::any_profile(),
        clock: clock(),
    }
}

pub(super) fn fixture(name: &str) -> Vec<Text> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/log")
        .join(name);
    [
        "pm01.pacemaker.log",
        "pm01.corosync.log",
        "pm02.pacemaker.log",
        "pm02.corosync.log",
    ]
    .iter()
    .map(|f| Text {
        node: f[..4].to_string(),
        file: f.to_string(),
        text: std::fs::read_to_string(dir.join(f)).unwrap(),
    })
    .collect()
}

pub(super) fn rendered(events: &[Event]) -> String {
    events
        .iter()
        .map(|e| format_line(e, &jiff::tz::TimeZone::UTC) + "\n")
        .collect()
}

fn snapshot(name: &str) -> Vec<Event> {
    let events = convert(&fixture(name), &options());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/log")
        .join(name);
    if std::env::var("PGREX_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(dir.join("expected.txt"), rendered(&events)).unwrap();
    }
    let expected = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    pretty_assertions::assert_eq!(rendered(&events), expected, "{name}");
    events
}

fn messages(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.message.as_str()).collect()
}

/// `want` appear in this order (other lines may come between).
fn in_order(events: &[Event], want: &[&str]) {
    let got = messages(events);
    let mut at = 0;
    for w in want {
        match got[at..].iter().position(|g| g == w) {
            Some(i) => at += i + 1,
            None => panic!("{w:?} not found after line {at} in {got:#?}"),
        }
    }
}

#[test]
fn vip_rep_failure_is_restarted_in_place() {
    let e = snapshot("vip-rep-failure");
    in_order(
        &e,
        &[
            "Resource ipaddr-replication does not work. (rc=7) not running",
            "Resource ipaddr-replication tries to stop.",
            "Resource ipaddr-replication stopped. (rc=0) ok",
            "Resource ipaddr-replication tries to start.",
            "Resource ipaddr-replication started. (rc=0) ok",
        ],
    );
    assert_eq!(e[0].fault, Some(FaultId::VipRepFailure));
    assert_eq!(e[0].node, "pm01");
    assert!(
        !messages(&e).contains(&"Start to fail-over."),
        "a restart in place is no failover"
    );
}

#[test]
fn pgsql_failure_fails_over_on_the_dc() {
    let e = snapshot("pgsql-failure");
    in_order(
        &e,
        &[
            "Resource pgsql does not work. (rc=7) not running",
            "Start to fail-over.",
            "Resource pgsql promoted. (rc=0) ok",
            "Resource ipaddr-primary started. (rc=0) ok",
            "Resource ipaddr-primary : Started on pm02",
            "fail-over succeeded.",
        ],
    );
    assert_eq!(e[0].fault, Some(FaultId::PgsqlFailure));
    let summary: Vec<&Event> = e.iter().filter(|x| x.event == Kind::FailoverOk).collect();
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].node, "pm01", "pm01 was the DC");
    // The last plan starts the VIPs on pm02 and leaves the promoted pgsql there: pm_logconv's
    // F11-1 / F11-3 "Started on", one line per service resource.
    let started: Vec<&str> = e
        .iter()
        .filter(|x| x.event == Kind::FailoverStartedOn)
        .filter_map(|x| x.resource.as_deref())
        .collect();
    assert_eq!(started.len(), 3, "{started:?}");
    for r in ["pgsql", "ipaddr-primary", "ipaddr-replication"] {
        assert!(started.contains(&r), "{r} in {started:?}");
    }
    assert!(e.iter().all(|x| x.event != Kind::FailoverMove));
}

#[test]
fn node_failure_is_lost_fenced_and_failed_over_by_the_survivor() {
    let e = snapshot("node-failure");
    in_order(
        &e,
        &[
            "Link number 0 to node pm01 is FAULTY.",
            "Node pm01 is lost",
            "Start to fail-over.",
            "Try to STONITH (reboot) pm01.",
            "Try to execute STONITH device fence1-lab on pm02 for reboot pm01.",
            "Succeeded to execute STONITH device fence1-lab for pm01.",
            "Succeeded to STONITH (reboot) pm01 by pm02.",
            "Resource pgsql promoted. (rc=0) ok",
            "fail-over succeeded.",
        ],
    );
    let lost: Vec<&Event> = e.iter().filter(|x| x.event == Kind::NodeLost).collect();
    assert_eq!(lost.len(), 1, "one line per loss, not one per daemon");
    assert_eq!(lost[0].node, "pm02");
    assert_eq!(lost[0].fault, Some(FaultId::NodeFailure));
    assert!(e
        .iter()
        .filter(|x| x.event == Kind::FailoverStart)
        .all(|x| x.node == "pm02"));
}

#[test]
fn a_switchover_without_a_failure_is_no_failover() {
    let e = snapshot("switchover");
    in_order(
        &e,
        &[
            "Resource pgsql tries to demote.",
            "Resource pgsql demoted. (rc=0) ok",
            "Resource pgsql promoted. (rc=0) ok",
            "Resource ipaddr-primary started. (rc=0) ok",
        ],
    );
    assert!(e
        .iter()
        .all(|x| !matches!(x.event, Kind::FailoverStart | Kind::FailoverOk)));
    assert!(e.iter().all(|x| x.fault.is_none()));
}

#[test]
fn the_window_and_the_sources_of_each_event() {
    let all = convert(&fixture("pgsql-failure"), &options());
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    let v = within(
        all.clone(),
        Some(t("2026-12-01T08:31:53Z")),
        Some(t("2026-12-01T08:31:53.9Z")),
    );
    assert!(!v.is_empty() && v.len() < all.len());
    assert!(v.iter().all(|e| e.time >= t("2026-12-01T08:31:53Z")));
    let first = &all[0];
    assert_eq!(first.file, "pm01.pacemaker.log");
    let text = &fixture("pgsql-failure")[0].text;
    assert_eq!(text.lines().nth(first.line - 1), Some(first.raw.as_str()));
    let j = serde_json::to_value(first).unwrap();
    assert_eq!(j["event"], "resource-not-running");
    assert_eq!(j["priority"], "error");
    assert_eq!(j["fault"], "pgsql-failure");
    assert_eq!(j["resource"], "pgsql");
    assert_eq!(j["time"], first.time.to_string());
    assert!(j["meaning_ja"].as_str().unwrap().contains("pgsql"));
}

/// One event of a line (the rest of the text empty).
pub(super) fn one(line: &str) -> Event {
    let t = Text {
        node: "pm01".into(),
        file: "t".into(),
        text: format!("{line}\n"),
    };
    let v = convert(&[t], &options());
    assert_eq!(v.len(), 1, "{line}: {v:#?}");
    v.into_iter().next().unwrap()
}

fn none(line: &str) {
    let t = Text {
        node: "pm01".into(),
        file: "t".into(),
        text: format!("{line}\n"),
    };
    assert_eq!(convert(&[t], &options()), vec![], "{line}");
}

#[test]
fn service_start_and_stop() {
    // Recorded in the lab.
    let e = one("Dec 01 08:33:41 [32] pm02 corosync notice  [MAIN  ] Corosync Cluster Engine 3.1.7 starting up");
    assert_eq!(
        (e.event, e.message.as_str()),
        (Kind::CorosyncStart, "Starting Corosync 3.1.7.")
    );
    let e = one("Dec 01 08:33:42.315 pm02 pacemakerd          [47] (main) \tnotice: Starting Pacemaker 2.1.5 | build=a3f44794f94 features:agent-manpages");
    assert_eq!(e.message, "Starting Pacemaker 2.1.5.");
    assert_eq!(e.node, "pm02");
    // Pacemaker and Corosync stopped (conv-msg.md 14-x): events_tests.rs, real lines.
}

#[test]
fn processes() {
    // Recorded in the lab (start; cib-failure: pacemaker-based killed, the others exit).
    let e = one("Dec 01 08:33:42.319 pm02 pacemakerd          [47] (start_child) \tinfo: Forked child 48 for process pacemaker-based");
    assert_eq!(e.message, "Start \"pacemaker-based\" process. (pid=48)");
    let e = one("Dec 01 09:02:24.167 pm01 pacemakerd          [111] (pcmk_child_exit) \twarning: pacemaker-based[112] terminated with signal 9 (Killed)");
    assert_eq!(
        (e.event, e.message.as_str()),
        (
            Kind::ProcessSignal,
            "Managed \"pacemaker-based\" process terminated with signal 9. (pid=112)"
        )
    );
    assert_eq!(e.fault, Some(FaultId::CibFailure));
    let e = one("Dec 01 09:02:24.239 pm01 pacemakerd          [111] (pcmk_child_exit) \terror: pacemaker-controld[117] exited with status 1 (Error occurred)");
    assert_eq!(
        e.message,
        "Managed \"pacemaker-controld\" process exited. (pid=117, rc=1)"
    );
    let e = one("Dec 01 09:02:24.183 pm01 pacemakerd          [111] (pcmk_child_exit) \terror: pacemaker-attrd[115] exited with status 102 (Not connected)");
    assert_eq!(e.event, Kind::ProcessExit);
    let e = one("Dec 01 09:02:24.207 pm01 pacemakerd          [111] (pcmk_child_exit) \tinfo: pacemaker-fenced[113] exited with status 0 (OK)");
    assert_eq!(
        (e.event, e.message.as_str()),
        (
            Kind::ProcessStop,
            "Stop \"pacemaker-fenced\" process normally. (pid=113)"
        )
    );
    // conv-msg.md 10-4 in pm_logconv's (Pacemaker 1.1) wording, for 1.1-era logs: Pacemaker
    // 2.1 writes no such line (commands/log.md). 10-7, recorded: events_tests.rs.
    let x = one("Dec 01 08:40:00.1 pm01 pacemakerd          [47] (pcmk_child_exit) \twarning: The pacemaker-controld process (53) can no longer be respawned, shutting the cluster down.");
    assert_eq!(
        x.message,
        "Managed \"pacemaker-controld\" process exited. (pid=53, rc=100)"
    );
}

#[test]
fn membership_and_dc() {
    // Recorded in the lab.
    let e = one("Dec 01 08:33:43.431 pm02 pacemaker-controld  [53] (update_peer_state_iter) \tnotice: Node pm02 state is now member | nodeid=2 previous=unknown source=quorum_notification_cb");
    assert_eq!(e.message, "Node pm02 is member");
    none("Dec 01 08:33:42.391 pm02 pacemaker-based     [48] (update_peer_state_iter) \tnotice: Node pm02 state is now member | nodeid=2 previous=unknown source=crm_update_peer_proc");
    none("Nov 24 22:41:51.009 pm01 pacemaker-controld  [116] (update_peer_state_iter) \tnotice: Node pm02 state is now lost | nodeid=2 previous=unknown source=crmd_peer_down");
    let e = one("Dec 01 08:34:11.815 pm02 pacemaker-controld  [53] (update_peer_state_iter) \tnotice: Node pm01 state is now lost | nodeid=1 previous=member source=pcmk__reap_unseen_nodes");
    assert_eq!(
        (e.priority, e.message.as_str()),
        (Priority::Warning, "Node pm01 is lost")
    );
    let set = convert(&fixture("node-failure"), &options());
    assert!(set.iter().any(|e| e.message == "Set DC node to pm02."));
    assert!(set.iter().any(|e| e.message == "Unset DC node pm01."));
}

#[test]
fn resource_results() {
    // Recorded in the lab (pgsql-failure, vip-rep-failure).
    let e = one("Dec 01 08:28:48.839 pm01 pacemaker-controld  [119] (do_lrm_rsc_op) \tnotice: Requesting local execution of stop operation for ipaddr-replication on pm01 | transition_key=4:16:0:e8 op_key=ipaddr-replication_stop_0");
    assert_eq!(e.message, "Resource ipaddr-replication tries to stop.");
    none("Dec 01 08:28:48.839 pm01 pacemaker-controld  [119] (log_executor_event) \tinfo: Result of monitor operation for ipaddr-replication on pm01: Cancelled | graph action confirmed; call=54 key=ipaddr-replication_monitor_10000");
    none("Dec 01 08:29:55.511 pm02 pacemaker-controld  [53] (log_executor_event) \tnotice: Result of monitor operation for pgsql on pm02: promoted | CIB update 53, graph action unconfirmed; call=58 key=pgsql_monitor_9000 rc=8");
    none("Dec 01 08:29:44.631 pm01 pacemaker-controld  [119] (log_executor_event) \tnotice: Result of notify operation for pgsql on pm01: ok | graph action confirmed; call=72 key=pgsql_notify_0 rc=0");
    // Recorded in the lab: the stop failures (pgsql-stop-failure, vip-master-stop-failure,
    // vip-rep-stop-failure) and pgsql's monitor error (a pgsql-failure run of 11:32 whose
    // monitor ran while PostgreSQL went down; the committed recording is a later rc 7 run).
    let e = one("Dec 01 09:00:05.207 pm01 pacemaker-controld  [119] (log_executor_event) \tnotice: Result of stop operation for pgsql on pm01: error | CIB update 128, graph action confirmed; call=70 key=pgsql_stop_0 rc=1");
    assert_eq!(e.message, "Resource pgsql failed to stop. (rc=1) error");
    assert_eq!(e.fault, Some(FaultId::PgsqlStopFailure));
    let e = one("Dec 01 12:06:19.288 pm01 pacemaker-controld  [118] (log_executor_event) \tnotice: Result of stop operation for ipaddr-primary on pm01: error | CIB update 134, graph action confirmed; call=69 key=ipaddr-primary_stop_0 rc=1");
    assert_eq!(
        (e.message.as_str(), e.fault),
        (
            "Resource ipaddr-primary failed to stop. (rc=1) error",
            Some(FaultId::VipMasterStopFailure)
        )
    );
    let e = one("Dec 01 12:03:39.616 pm01 pacemaker-controld  [119] (log_executor_event) \tnotice: Result of stop operation for ipaddr-replication on pm01: error | CIB update 131, graph action confirmed; call=66 key=ipaddr-replication_stop_0 rc=1");
    assert_eq!(e.fault, Some(FaultId::VipRepStopFailure));
    let e = one("Dec 01 11:32:18.488 pm01 pacemaker-controld  [119] (log_executor_event) \tnotice: Result of monitor operation for pgsql on pm01: error | CIB update 115, graph action unconfirmed; call=50 key=pgsql_monitor_9000 rc=1");
    assert_eq!(
        (e.message.as_str(), e.fault),
        (
            "Resource pgsql failed to monitor. (rc=1) error",
            Some(FaultId::PgsqlFailure)
        )
    );
    // Timeouts (conv-msg.md 1-4, 2-4, 3-3, …): a monitor timeout recorded, events_tests.rs.
    // Recorded in the lab (pgsql-demote-failure).
    let e = one("Dec 01 12:08:43.208 pm01 pacemaker-controld  [118] (log_executor_event) \tnotice: Result of demote operation for pgsql on pm01: error | CIB update 130, graph action confirmed; call=63 key=pgsql_demote_0 rc=1");
    assert_eq!(
        (e.message.as_str(), e.fault),
        (
            "Resource pgsql failed to demote. (rc=1) error",
            Some(FaultId::PgsqlDemoteFailure)
        )
    );
}

#[test]
fn links_network_disk_and_attributes() {
    // Recorded in the lab (node-failure): node ids become names when a line names them.
    let set = convert(&fixture("node-failure"), &options());
    let l = set.iter().find(|e| e.event == Kind::LinkFaulty).unwrap();
    assert_eq!(l.target.as_deref(), Some("pm01"));
    // Recorded in the lab at `pgrex-lab up` (pm01's corosync.log: pm02 joins).
    let e = one("Dec 01 11:29:45 [96] pm01 corosync info    [KNET  ] rx: host: 2 link: 0 is up");
    assert_eq!(
        (e.event, e.message.as_str()),
        (Kind::LinkRecovered, "Link number 0 to node 2 is recovered.")
    );
    // The ping RA (conv-msg.md 8-1) and attrd, recorded in the lab (service-lan-failure).
    let e = one("Dec 01 11:41:55  ping(ping)[3935]:    WARNING: 192.0.2.254 is inactive: PING 192.0.2.254 (192.0.2.254) 56(84) bytes of data.");
    assert_eq!(
        (e.node.as_str(), e.message.as_str()),
        ("pm01", "Network to 192.0.2.254 is unreachable.")
    );
    assert_eq!(e.fault, Some(FaultId::ServiceLanFailure));
    let e = one("Dec 01 11:41:55.776 pm01 pacemaker-attrd     [116] (update_attr_on_host) \tnotice: Setting ping-status[pm01]: 1 -> 0 | from pm01 with 5s write delay");
    assert_eq!(
        e.message,
        "Attribute \"ping-status\" is updated to \"0\" at \"pm01\"."
    );
    assert_eq!(e.fault, Some(FaultId::ServiceLanFailure));
    let e = one("Dec 01 08:29:45.267 pm01 pacemaker-attrd     [117] (update_attr_on_host) \tnotice: Setting pgsql-data-status[pm02]: STREAMING|SYNC -> (unset) | from pm01 with no write delay");
    assert_eq!(
        e.message,
        "Attribute \"pgsql-data-status\" is deleted at \"pm02\"."
    );
    // The promotion score (the deck's replication-LAN slide shows it); fail-counts and the
    // RA's LSN are not reported.
    let e = one("Dec 01 08:29:45.219 pm01 pacemaker-attrd     [117] (update_attr_on_host) \tnotice: Setting master-pgsql[pm01]: 1000 -> -INFINITY | from pm01 with no write delay");
    assert_eq!(
        e.message,
        "Attribute \"master-pgsql\" is updated to \"-INFINITY\" at \"pm01\"."
    );
    assert_eq!(e.fault, None);
    none("Dec 01 11:32:20.536 pm01 pacemaker-attrd     [117] (update_attr_on_host) \tnotice: Setting pgsql-master-baseline[pm01]: 0000000001522F78 -> (unset) | from pm01 with no write delay");
    none("Dec 01 11:32:18.500 pm01 pacemaker-attrd     [117] (update_attr_on_host) \tnotice: Setting fail-count-pgsql#monitor_9000[pm01]: (unset) -> 1 | from pm01 with no write delay");
    // Recorded in the lab (disk-failure).
    let e = one("Dec 01 12:01:25.152 pm01 pacemaker-attrd     [115] (update_attr_on_host) \tnotice: Setting #health-storage-mon[pm01]: green -> red | from pm01 with no write delay");
    assert_eq!(
        (e.event, e.fault),
        (Kind::DiskError, Some(FaultId::DiskFailure))
    );
    assert_eq!(
        e.message,
        "Disk connection to pm01 is ERROR. (attr_name=#health-storage-mon)"
    );
}

#[test]
fn fencing() {
    // Recorded in the lab (node-failure).
    let e = one("Dec 01 08:34:11.923 pm02 pacemaker-controld  [53] (controld_execute_fence_action) \tnotice: Requesting fencing (reboot) of node pm01 | action=1 timeout=60000 priority_delay=10");
    assert_eq!(e.message, "Try to STONITH (reboot) pm01.");
    let e = one("Dec 01 08:34:22.491 pm02 pacemaker-fenced    [49] (log_async_result) \tnotice: Operation 'reboot' [1173] targeting pm01 using fence1-lab returned 0 | call 4 from pacemaker-controld.53");
    assert_eq!(
        e.message,
        "Succeeded to execute STONITH device fence1-lab for pm01."
    );
    // Recorded in the lab (fencing-failure: the BMC refuses).
    let e = one("Dec 01 12:12:00.404 pm02 pacemaker-controld  [53] (handle_fence_notification) \tnotice: Peer pm01 was not terminated (reboot) by pm02 on behalf of pacemaker-controld.53@pm02: Error | event=ad2c1d52-87d7-408a-bd37-885ff229c971");
    assert_eq!(
        (e.message.as_str(), e.fault),
        (
            "Failed to STONITH (reboot) pm01 by pm02.",
            Some(FaultId::FencingFailure)
        )
    );
    let e = one("Dec 01 12:12:00.384 pm02 pacemaker-fenced    [49] (log_async_result) \terror: Operation 'reboot' [1318] targeting pm01 using fence1-lab returned 1 | call 4 from pacemaker-controld.53");
    assert_eq!(
        (e.priority, e.message.as_str(), e.fault),
        (
            Priority::Warning,
            "Failed to execute STONITH device fence1-lab for pm01.",
            Some(FaultId::FencingFailure)
        )
    );
    // 21-4 and 21-8, recorded: events_tests.rs. 21-5 in pm_logconv's (Pacemaker 1.1) wording,
    // for 1.1-era logs (2.1's is the delay line, commands/log.md).
    let e = one("Apr 24 06:26:43 pm02 stonith-ng[32594]:    info: Requesting that 'pm02' perform op 'pm01 reboot' with 'prmStonith1-2' for crmd.32598 (48s)");
    assert_eq!(
        e.message,
        "Try to execute STONITH device prmStonith1-2 on pm02 for reboot pm01."
    );
}

#[test]
fn service_lan_failure_the_network_monitor_then_the_failover() {
    let e = snapshot("service-lan-failure");
    in_order(
        &e,
        &[
            "Network to 192.0.2.254 is unreachable.",
            "Attribute \"ping-status\" is updated to \"0\" at \"pm01\".",
            "Start to fail-over.",
            "Resource pgsql promoted. (rc=0) ok",
            "Resource ipaddr-primary : Started on pm02",
            "fail-over succeeded.",
        ],
    );
    assert_eq!(e[0].fault, Some(FaultId::ServiceLanFailure));
    assert_eq!(e[0].target.as_deref(), Some("192.0.2.254"));
}

#[test]
fn pgsql_stop_failure_fenced_and_the_new_dc_finishes_the_failover() {
    let e = snapshot("pgsql-stop-failure");
    in_order(
        &e,
        &[
            "Resource pgsql does not work. (rc=7) not running",
            "Start to fail-over.",
            "Resource pgsql failed to stop. (rc=1) error",
            "Try to STONITH (reboot) pm01.",
            "Succeeded to STONITH (reboot) pm01 by pm02.",
            "Resource pgsql promoted. (rc=0) ok",
            "Resource pgsql : Started on pm02",
            "fail-over succeeded.",
        ],
    );
    let stop = e
        .iter()
        .find(|x| x.message.contains("failed to stop"))
        .unwrap();
    assert_eq!(
        (stop.node.as_str(), stop.fault),
        ("pm01", Some(FaultId::PgsqlStopFailure))
    );
    // pm01 (the DC) was fenced mid-failover: pm02, the new DC, ends the failover its own
    // plans started on pm02.
    let ok = e.iter().find(|x| x.event == Kind::FailoverOk).unwrap();
    assert_eq!(ok.node, "pm02");
    assert!(e.iter().all(|x| x.event != Kind::FailoverMove));
}

#[test]
fn cib_failure_the_daemon_killed_and_the_roles_swapped() {
    let e = snapshot("cib-failure");
    in_order(
        &e,
        &[
            "Managed \"pacemaker-based\" process terminated with signal 9. (pid=112)",
            "Start \"pacemaker-based\" process. (pid=3613)",
            "Set DC node to pm02.",
            "Start to fail-over.",
            "Resource pgsql promoted. (rc=0) ok",
            "Resource pgsql : Started on pm02",
            "fail-over succeeded.",
        ],
    );
    assert_eq!(e[0].fault, Some(FaultId::CibFailure));
    assert_eq!(e[0].node, "pm01");
}
