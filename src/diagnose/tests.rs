//! Rule tests: every fault id of FAULTS.md and every non-fault condition, in both naming
//! profiles, on the recorded state where one exists (`tests/fixtures/`, through
//! `testkit::Cluster::recording`), else on states built the way crm_mon reports them after
//! that fault; and unknown sources that must give `likely` or nothing, never a wrong certain
//! diagnosis.

use super::*;
use crate::profile::Profile;
use crate::snapshot::{LockFact, Source};
use crate::testkit::{links, Cluster};
use FaultId as F;

const BOTH: [Profile; 2] = [Profile::Seed, Profile::Pgrex17];

fn run(c: &Cluster) -> Vec<Finding> {
    diagnose(&c.snapshot(), &c.names)
}

fn ids(v: &[Finding]) -> Vec<F> {
    v.iter().map(|f| f.id).collect()
}

/// The first finding is `id` on `node`, certain.
#[track_caller]
fn assert_top_certain(c: &Cluster, id: F, node: Option<&str>) -> Vec<Finding> {
    let v = run(c);
    let top = v
        .first()
        .unwrap_or_else(|| panic!("no finding, expected {id}"));
    assert_eq!(
        (top.id, top.certainty),
        (id, Certainty::Certain),
        "{:?}",
        ids(&v)
    );
    assert_eq!(top.node.as_deref(), node, "{:?}", top);
    assert!(!top.evidence.is_empty());
    assert!(!top.steps.is_empty(), "{id} has no playbook steps");
    v
}

/// `id` is in the leading group of likely siblings, with the deciding check named.
#[track_caller]
fn assert_in_leading_likely(v: &[Finding], id: F) {
    let lead: Vec<&Finding> = v
        .iter()
        .take_while(|f| f.certainty == Certainty::Likely && f.severity == Severity::Fault)
        .collect();
    let f = lead
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{id} not in the leading likely group {:?}", ids(v)));
    assert!(f.decide_with.as_deref().is_some_and(|d| !d.is_empty()));
}

/// The fault ids only (after a failover the old primary's PGSQL.lock is a warning too).
fn faults(v: &[Finding]) -> Vec<F> {
    v.iter()
        .filter(|f| f.severity == Severity::Fault)
        .map(|f| f.id)
        .collect()
}

fn verdict_of(c: &Cluster) -> Verdict {
    report(&c.snapshot(), &c.names).verdict
}

#[test]
fn healthy_cluster_has_no_fault_or_warning() {
    for p in BOTH {
        let c = Cluster::healthy(p);
        let v = run(&c);
        assert!(v.is_empty(), "{p}: {:?}", ids(&v));
        let r = report(&c.snapshot(), &c.names);
        assert_eq!(r.verdict, Verdict::Healthy);
        assert!(r.service.unwrap().contains("pm01"));
    }
}

#[test]
fn vip_rep_failure() {
    for p in BOTH {
        // Recorded (tests/fixtures/diagnose/): the replication VIP's monitor failed on pm01.
        let c = Cluster::recording(p, "diagnose", "vip-rep-failure");
        let vr = c.vip_rep();
        let v = assert_top_certain(&c, F::VipRepFailure, Some("pm01"));
        assert_eq!(v[0].reaction, Reaction::Restart);
        assert_eq!(v.len(), 1, "{:?}", ids(&v));
        assert!(v[0]
            .evidence
            .iter()
            .any(|e| e.detail.contains("migration-threshold 0")));
        assert!(
            v[0].steps
                .iter()
                .any(|s| s.contains(&format!("pgrex cleanup {vr} --node pm01"))),
            "{:?}",
            v[0].steps
        );
    }
}

#[test]
fn vip_master_failure_explains_the_pgsql_monitor_entry() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let vp = c.vip_primary();
        // The recorded failover's pgsql monitor failure, and the VIP's on top.
        c.failed_over().fail(&vp, "monitor", 10000, "pm01", Some(1));
        let v = assert_top_certain(&c, F::VipMasterFailure, Some("pm01"));
        assert_eq!(faults(&v), vec![F::VipMasterFailure]);
        assert!(
            ids(&v).contains(&F::LockFilePresent),
            "the old primary keeps its lock"
        );
        assert_eq!(v[0].reaction, Reaction::Failover);
        assert!(v[0].steps.iter().any(|s| s.contains("On pm02")));
    }
}

#[test]
fn pgsql_failure() {
    for p in BOTH {
        // The recorded failover: pgsql_monitor_9000 on pm01 returned rc 7.
        let mut c = Cluster::healthy(p);
        c.failed_over();
        let v = assert_top_certain(&c, F::PgsqlFailure, Some("pm01"));
        assert_eq!(faults(&v), vec![F::PgsqlFailure]);
        assert!(
            v[0].title
                .ends_with("monitor returned not running (rc 7): Simulated action result"),
            "{}",
            v[0].title
        );
    }
}

#[test]
fn vip_standby_failure() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let vs = c.vip_standby();
        c.place(&vs, &["pm01"])
            .fail(&vs, "monitor", 10000, "pm02", Some(1));
        let v = assert_top_certain(&c, F::VipStandbyFailure, Some("pm02"));
        assert!(v[0]
            .steps
            .iter()
            .any(|s| s.contains(&format!("cleanup {vs} --node pm02"))));
    }
}

fn dlan(p: Profile) -> Cluster {
    let mut c = Cluster::healthy(p);
    let vs = c.vip_standby();
    c.attr("pm02", "pgsql-status", "HS:alone")
        .attr("pm02", "pgsql-data-status", "DISCONNECT")
        .attr("pm02", "master-pgsql", "-INFINITY")
        .place(&vs, &["pm01"]);
    c
}

#[test]
fn replication_lan_failure_is_likely_until_the_walsender_line_confirms_it() {
    for p in BOTH {
        let c = dlan(p);
        let v = run(&c);
        assert_eq!(v[0].id, F::ReplicationLanFailure);
        assert_eq!(v[0].certainty, Certainty::Likely);
        assert!(v[0]
            .decide_with
            .as_deref()
            .unwrap()
            .contains("terminating walsender"));
        let mut c = dlan(p);
        c.lines_mut().extend(crate::snapshot::logs::scan(
            "2026-11-24 10:00:00 UTC [77] LOG:  terminating walsender process due to replication timeout",
            "/var/lib/pgsql/data/log/postgresql.log",
            Some("pm01"),
        ));
        let v = assert_top_certain(&c, F::ReplicationLanFailure, Some("pm02"));
        assert_eq!(v[0].reaction, Reaction::Restart);
        assert!(!ids(&v).contains(&F::StandbyNotSync));
    }
}

#[test]
fn replication_lan_failure_before_the_standby_says_hs_alone() {
    // Recorded in the lab a few seconds after the D-LAN cut: the primary's agent has marked
    // the standby DISCONNECT, the standby still reports HS:sync.
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.attr("pm02", "pgsql-data-status", "DISCONNECT")
            .attr("pm02", "master-pgsql", "-INFINITY");
        let v = run(&c);
        assert_eq!(v[0].id, F::ReplicationLanFailure, "{:?}", ids(&v));
        assert_eq!(v[0].certainty, Certainty::Likely);
    }
}

#[test]
fn service_lan_failure_has_no_failed_action_only_the_attribute() {
    for p in BOTH {
        // Recorded (tests/fixtures/diagnose/): pm01's ping attribute 0, the primary moved.
        let c = Cluster::recording(p, "diagnose", "service-lan-failure");
        let ping = c.names.ping_attr.clone();
        let v = assert_top_certain(&c, F::ServiceLanFailure, Some("pm01"));
        assert!(v[0].evidence[0].detail.contains(&format!("{ping} = 0")));
        assert_eq!(faults(&v), vec![F::ServiceLanFailure]);
    }
}

#[test]
fn router_failure_names_the_node_with_the_newest_data() {
    for p in BOTH {
        // Recorded (tests/fixtures/diagnose/): both ping attributes 0, pgsql stopped on both.
        let c = Cluster::recording(p, "diagnose", "router-failure");
        let v = assert_top_certain(&c, F::RouterFailure, None);
        assert!(
            v[0].steps
                .iter()
                .any(|s| s.contains("LATEST") && s.contains("pm01")),
            "{:?}",
            v[0].steps
        );
        let r = report(&c.snapshot(), &c.names);
        assert!(r.service.unwrap().contains("DOWN"));
    }
}

#[test]
fn a_fenced_node_alone_gives_likely_siblings_with_the_deciding_check() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced();
        let v = run(&c);
        assert_eq!(v[0].id, F::NodeFailure);
        for id in [
            F::NodeFailure,
            F::CorosyncFailure,
            F::CibFailure,
            F::HeartbeatLanFailure,
            F::PgsqlStopFailure,
            F::PgsqlDemoteFailure,
            F::VipMasterStopFailure,
        ] {
            assert_in_leading_likely(&v, id);
        }
        assert!(v[0].decide_with.as_deref().unwrap().contains("pm01"));
        assert!(v[0]
            .evidence
            .iter()
            .any(|e| e.source == "fencing" && e.detail.contains("success")));
        assert_eq!(v[0].reaction, Reaction::FenceFailover);
        assert_eq!(verdict_of(&c), Verdict::Fault);
        // The fence history belongs to the fault, not a finding of its own.
        assert!(!ids(&v).contains(&F::FenceHistoryRemaining));
        assert!(!ids(&v).contains(&F::StandbyAbsent));
    }
}

#[test]
fn heartbeat_lan_failure_from_the_fenced_nodes_own_log() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost")
            .log("Nov 24 10:00:01 pm01 pacemaker-schedulerd[2]:  warning: Cluster node pm02 will be fenced: peer is no longer part of the cluster");
        let v = assert_top_certain(&c, F::HeartbeatLanFailure, Some("pm01"));
        assert!(!ids(&v).contains(&F::NodeFailure));
        // A peer that left cleanly (an operator's stop) is "lost" too, but nobody fences it:
        // found in the lab smoke test, where a rejoin had stopped the peer earlier.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced().log("Nov 24 09:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member");
        assert_top_certain(&c, F::NodeFailure, Some("pm01"));
        // A node that started alone fenced its absent peer at startup (the lab's normal
        // bring-up, found by the full lab run): that is no interconnect failure.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced().log("Nov 24 09:00:00 pm01 pacemaker-schedulerd[2]:  warning: Scheduling node pm02 for fencing");
        assert_top_certain(&c, F::NodeFailure, Some("pm01"));
        // An earlier fault's lines, in which pm01 survived and fenced pm02, which came back
        // (seen in the lab: the next case of the recover set struck pm01 in the same
        // Pacemaker session): no interconnect failure of pm01's.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member")
            .log("Nov 24 10:00:01 pm01 pacemaker-schedulerd[2]:  warning: Cluster node pm02 will be fenced: peer is no longer part of the cluster")
            .log("Nov 24 10:02:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now member | nodeid=2 previous=lost");
        assert_top_certain(&c, F::NodeFailure, Some("pm01"));
        // The survivor's own "pm01 is lost" tells nothing: every sibling writes it.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced().log(
            "Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost",
        );
        assert_in_leading_likely(&run(&c), F::HeartbeatLanFailure);
    }
}

/// The lost node's fencing of its peer in an earlier incident of the same Pacemaker
/// session (the peer a member again since) says nothing of this one: the lab's seed
/// `node-failure --switchback` and `disk-failure --switchback` (2026-12-01) — pm02 had
/// fenced pm01 in the case before, then failed itself, and was diagnosed
/// `heartbeat-lan-failure` (so `--switchback` kept pm01 primary, and the disk case took the
/// wrong playbook).
#[test]
fn an_earlier_incidents_fencing_in_the_lost_nodes_log_is_no_interconnect_failure() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member")
            .log("Nov 24 10:00:01 pm01 pacemaker-schedulerd[2]:  warning: Cluster node pm02 will be fenced: peer is no longer part of the cluster")
            .log("Nov 24 10:05:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now member | nodeid=2 previous=lost source=crm_update_peer_proc");
        let v = assert_top_certain(&c, F::NodeFailure, Some("pm01"));
        assert!(!ids(&v).contains(&F::HeartbeatLanFailure), "{:?}", ids(&v));
        // The same lines without the rejoin: this incident, the interconnect.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member")
            .log("Nov 24 10:00:01 pm01 pacemaker-schedulerd[2]:  warning: Cluster node pm02 will be fenced: peer is no longer part of the cluster");
        assert_top_certain(&c, F::HeartbeatLanFailure, Some("pm01"));
    }
}

#[test]
fn heartbeat_lan_failure_from_the_peers_corosync_view() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced();
        let mut peer_links = links(&[false, false]);
        peer_links.local_nodeid = Some(1);
        for l in peer_links.links.iter_mut() {
            l.peers[0].state = crate::snapshot::LinkState::Localhost;
            l.peers[1].state = crate::snapshot::LinkState::Disconnected;
        }
        c.snap.peer = Source::Known(crate::snapshot::PeerView {
            node: "pm01".into(),
            cluster: Source::unknown("pacemaker stopped"),
            corosync: Source::Known(peer_links),
            logs: Source::unknown("x"),
        });
        assert_top_certain(&c, F::HeartbeatLanFailure, Some("pm01"));
    }
}

#[test]
fn node_failure_is_certain_when_the_failed_nodes_log_is_silent() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced();
        c.snap.peer = Source::Known(crate::snapshot::PeerView {
            node: "pm01".into(),
            cluster: Source::unknown("pacemaker stopped"),
            corosync: Source::unknown("corosync stopped"),
            logs: Source::Known(vec![]),
        });
        assert_top_certain(&c, F::NodeFailure, Some("pm01"));
    }
}

#[test]
fn corosync_and_cib_failures_from_the_failed_nodes_log() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced().log("Nov 24 10:00:00 pm01 pacemaker-controld[9]:  crit: Lost connection to cluster layer, shutting down");
        assert_top_certain(&c, F::CorosyncFailure, Some("pm01"));
        // Seen in the lab: before it stopped, pm01 also scheduled fencing of the peer it lost.
        c.log("Nov 24 10:00:00 pm01 pacemaker-schedulerd[115]:  warning: Scheduling node pm02 for fencing");
        let v = assert_top_certain(&c, F::CorosyncFailure, Some("pm01"));
        assert!(!ids(&v).contains(&F::HeartbeatLanFailure), "{:?}", ids(&v));
        let mut c = Cluster::healthy(p);
        c.pm01_fenced().log("Nov 24 10:00:00 pm01 pacemakerd[77]:  error: pacemaker-based[80] terminated with signal 9 (Killed)");
        assert_top_certain(&c, F::CibFailure, Some("pm01"));
    }
}

#[test]
fn stop_and_demote_failures_after_fencing_from_the_dcs_log() {
    for p in BOTH {
        let vp = Cluster::healthy(p).vip_primary();
        for (line, id) in [
            ("Nov 24 10:00:01 pm01 pacemaker-controld[1841]:  error: Result of stop operation for pgsql on pm01: Timed Out".to_string(), F::PgsqlStopFailure),
            ("Nov 24 10:00:01 pm02 pacemaker-schedulerd[9]:  warning: Unexpected result (error) was recorded for demote of pgsql:0 on pm01 at Nov 24 10:00:00 2026".to_string(), F::PgsqlDemoteFailure),
            (format!("Nov 24 10:00:01 pm02 pacemaker-controld[5]:  warning: Transition 4 action 12 ({vp}_stop_0 on pm01): expected 'ok' but got 'error'"), F::VipMasterStopFailure),
        ] {
            let mut c = Cluster::healthy(p);
            c.pm01_fenced().log(&line);
            let v = assert_top_certain(&c, id, Some("pm01"));
            assert_eq!(v[0].reaction, Reaction::FenceFailover);
            assert_eq!(v.iter().filter(|f| f.severity == Severity::Fault).count(), 1, "{:?}", ids(&v));
        }
    }
}

#[test]
fn fencing_failure_comes_first_then_the_visible_stop_failure() {
    for p in BOTH {
        // Recorded: pm01 UNCLEAN, its fencing failed (and retried); a stop failure on top.
        let mut c = Cluster::lab(p, "fencing-failure");
        c.fail("pgsql", "stop", 0, "pm01", Some(1));
        let v = assert_top_certain(&c, F::FencingFailure, Some("pm01"));
        assert_eq!(v[1].id, F::PgsqlStopFailure);
        assert_eq!(v[1].certainty, Certainty::Certain);
        assert!(v[0]
            .steps
            .iter()
            .any(|s| s.contains("stonith_admin --confirm pm01")));
        assert!(!ids(&v).contains(&F::FailcountRemaining), "{:?}", ids(&v));
    }
}

#[test]
fn pending_fencing_is_likely_and_the_causes_follow() {
    for p in BOTH {
        // Recorded: pm01 UNCLEAN, not fenced yet; no recording shows the attempt pending alone.
        let mut c = Cluster::recording(p, "status", "unclean");
        c.fence("pm01", "pending");
        let v = run(&c);
        assert_eq!(
            (v[0].id, v[0].certainty),
            (F::FencingFailure, Certainty::Likely)
        );
        assert!(v[0].decide_with.as_deref().unwrap().contains("in progress"));
        assert_eq!(v[1].certainty, Certainty::Likely);
        assert_eq!(v[1].id, F::NodeFailure);
    }
}

#[test]
fn stop_failures_with_the_node_still_online() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let vp = c.vip_primary();
        c.failed_over().fail(&vp, "stop", 0, "pm01", Some(1)).fail(
            &vp,
            "monitor",
            10000,
            "pm01",
            Some(1),
        );
        // The stop failure outranks the monitor failure beside it.
        let v = assert_top_certain(&c, F::VipMasterStopFailure, Some("pm01"));
        assert!(!ids(&v).contains(&F::VipMasterFailure));
        let mut c = Cluster::healthy(p);
        let vr = c.vip_rep();
        // The recorded failover (with its pgsql monitor failure) and the VIP's stop failure.
        c.failed_over().fail(&vr, "stop", 0, "pm01", None);
        let v = assert_top_certain(&c, F::VipRepStopFailure, Some("pm01"));
        assert_eq!(v[0].reaction, Reaction::Failover);
        assert!(!ids(&v).contains(&F::PgsqlFailure), "{:?}", ids(&v));
    }
}

#[test]
fn disk_failure_in_both_eras() {
    for p in BOTH {
        // Recorded: pm01's storage-mon red. pgrex17 (node-health-strategy=only-green) moved
        // the primary to pm02; seed has no health strategy, and the seed era's diskd
        // attribute (not packaged here, so never recorded) is added on top.
        let mut c = Cluster::recording(p, "status", "storage-red");
        if p == Profile::Seed {
            c.attr("pm01", "diskcheck_status", "ERROR");
        }
        let v = assert_top_certain(&c, F::DiskFailure, Some("pm01"));
        assert_eq!(v[0].reaction, Reaction::Failover);
        let want = if p == Profile::Pgrex17 {
            "#health-storage-mon = red"
        } else {
            "diskcheck_status = ERROR"
        };
        assert!(
            v[0].evidence[0].detail.contains(want),
            "{:?}",
            v[0].evidence
        );
    }
}

#[test]
fn heartbeat_link_degraded_is_a_warning() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.snap.corosync = Source::Known(links(&[true, false]));
        let v = assert_top_certain(&c, F::HeartbeatLinkDegraded, None);
        assert_eq!(v[0].severity, Severity::Warning);
        assert!(v[0].evidence[0].detail.contains("link 1"));
        assert_eq!(verdict_of(&c), Verdict::Degraded);
    }
}

#[test]
fn pacemakerd_respawn_is_info_and_the_cluster_stays_healthy() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.log("Nov 24 10:00:00 pm01 systemd[1]: pacemaker.service: Main process exited, code=killed, status=9/KILL");
        let v = assert_top_certain(&c, F::PacemakerdFailure, Some("pm01"));
        assert_eq!(v[0].severity, Severity::Info);
        assert_eq!(verdict_of(&c), Verdict::Healthy);
    }
}

#[test]
fn failcount_remaining_after_recovery() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let ping = c.names.ping[0].clone();
        c.state
            .node_history
            .push(crate::pacemaker::ResourceHistory {
                node: "pm02".into(),
                resource: ping.clone(),
                fail_count: 1,
                migration_threshold: Some(1),
                last_failure: None,
                orphan: false,
            });
        let v = assert_top_certain(&c, F::FailcountRemaining, Some("pm02"));
        assert_eq!(v[0].severity, Severity::Warning);
        assert!(
            v[0].steps[0].contains(&format!("pgrex cleanup {ping} --node pm02")),
            "{:?}",
            v[0].steps
        );
    }
}

#[test]
fn fence_history_remaining_when_all_else_is_normal() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.fence("pm01", "success");
        let v = assert_top_certain(&c, F::FenceHistoryRemaining, None);
        assert!(v[0]
            .steps
            .iter()
            .any(|s| s == "stonith_admin --cleanup --history pm02"));
    }
}

#[test]
fn lock_file_on_a_node_without_postgresql_and_standby_absent() {
    for p in BOTH {
        // Recorded: pm02 stopped cleanly, pm01 primary alone with every VIP.
        let mut c = Cluster::recording(p, "status", "primary-alone");
        c.snap.locks.insert(
            "pm02".into(),
            Source::Known(LockFact {
                path: "/var/lib/pgsql/tmp/PGSQL.lock".into(),
                present: true,
            }),
        );
        let v = run(&c);
        assert_eq!(ids(&v), vec![F::LockFilePresent, F::StandbyAbsent], "{p}");
        assert!(v
            .iter()
            .all(|f| f.severity == Severity::Warning && f.node.as_deref() == Some("pm02")));
        // The primary's own lock (PostgreSQL running) is normal.
        assert!(!v.iter().any(|f| f.node.as_deref() == Some("pm01")));
    }
}

#[test]
fn maintenance_mode_on() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.state.summary.maintenance_mode = true;
        assert_top_certain(&c, F::MaintenanceModeOn, None);
    }
}

#[test]
fn standby_not_sync() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.attr("pm02", "pgsql-status", "HS:async")
            .attr("pm02", "pgsql-data-status", "STREAMING|ASYNC")
            .attr("pm02", "master-pgsql", "-INFINITY");
        let v = assert_top_certain(&c, F::StandbyNotSync, Some("pm02"));
        assert_eq!(v[0].evidence.len(), 2);
    }
}

#[test]
fn an_unreadable_cluster_gives_no_finding_and_verdict_unknown() {
    let c = Cluster::healthy(Profile::Pgrex17);
    let mut s = c.snapshot();
    s.cluster = Source::unknown("crm_mon: connection refused");
    assert!(diagnose(&s, &c.names).is_empty());
    let r = report(&s, &c.names);
    assert_eq!(r.verdict, Verdict::Unknown);
    assert!(r.reason.contains("connection refused"));
    assert!(r.unknown.iter().any(|u| u.source == "crm_mon"));
}

#[test]
fn unknown_fencing_history_makes_an_offline_node_likely_not_certain() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced();
        c.state.fence_history = None;
        c.snap.fencing = Source::unknown("stonith_admin: not installed");
        let v = run(&c);
        assert!(
            v.iter()
                .filter(|f| f.severity == Severity::Fault)
                .all(|f| f.certainty == Certainty::Likely),
            "{:?}",
            ids(&v)
        );
        assert!(v[0]
            .decide_with
            .as_deref()
            .unwrap()
            .contains("stonith_admin --history pm01"));
        // Not mistaken for an operator's stop.
        assert!(!ids(&v).contains(&F::StandbyAbsent));
    }
}

#[test]
fn unknown_corosync_and_cib_make_no_false_findings() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.snap.corosync = Source::unknown("corosync-cfgtool: not installed");
        let mut s = c.snapshot();
        s.cib = Source::unknown("cibadmin failed");
        let r = report(&s, &c.names);
        assert!(r.findings.is_empty(), "{:?}", ids(&r.findings));
        assert_eq!(r.verdict, Verdict::Healthy);
        assert!(r
            .unknown
            .iter()
            .any(|u| u.source == "corosync" && u.why.contains("not installed")));
    }
}

#[test]
fn operator_stop_of_the_standby_is_standby_absent_not_a_fault() {
    for p in BOTH {
        // Recorded: pm02 stopped cleanly, pm01 primary alone with every VIP.
        let c = Cluster::recording(p, "status", "primary-alone");
        let v = assert_top_certain(&c, F::StandbyAbsent, Some("pm02"));
        assert_eq!(v.len(), 1);
    }
}

#[test]
fn every_catalogue_id_has_a_title_and_steps_text() {
    for id in F::ALL {
        let i = info(id);
        assert_eq!(i.id, id);
        assert!(!i.title.en.is_empty());
        // FAULTS.md: every fault is `fault` except these two; every condition a warning.
        let want = match id {
            F::PacemakerdFailure => Severity::Info,
            F::HeartbeatLinkDegraded => Severity::Warning,
            _ if id.is_condition() => Severity::Warning,
            _ => Severity::Fault,
        };
        assert_eq!(i.severity, want, "{id}");
    }
}

#[test]
fn json_shape_matches_the_contract() {
    let mut c = Cluster::healthy(Profile::Pgrex17);
    let vr = c.vip_rep();
    c.fail(&vr, "monitor", 10000, "pm01", Some(0));
    let r = report(&c.snapshot(), &c.names);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["verdict"], "FAULT");
    let f = &j["findings"][0];
    for k in [
        "id",
        "certainty",
        "severity",
        "node",
        "reaction",
        "playbook",
        "evidence",
        "decide_with",
    ] {
        assert!(f.get(k).is_some(), "finding lacks {k}: {f}");
    }
    assert_eq!(f["id"], F::VipRepFailure.as_str());
    assert_eq!(f["certainty"], "certain");
    assert_eq!(f["severity"], "fault");
    assert_eq!(f["reaction"], "restart");
    assert_eq!(f["playbook"], F::VipRepFailure.as_str());
    assert_eq!(f["evidence"][0]["source"], "crm_mon");
    assert!(f.get("covers").is_none());
}

#[test]
fn the_survivors_promotion_orders_the_siblings() {
    for p in BOTH {
        // pm02 (the standby) fenced; pm01 stayed primary: interconnect failure first.
        // Recorded: pm02 gone, pm01 primary alone; its fencing of pm02 added by hand.
        let mut c = Cluster::recording(p, "status", "primary-alone");
        c.snap.local_node = Some("pm01".into());
        c.fence("pm02", "success");
        c.log("Nov 24 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member");
        let v = run(&c);
        assert_eq!(
            (v[0].id, v[0].certainty),
            (F::HeartbeatLanFailure, Certainty::Likely),
            "{:?}",
            ids(&v)
        );
        assert_in_leading_likely(&v, F::NodeFailure);
        // pm01 fenced; pm02 promoted after the loss: the primary failed, node-failure first.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost | nodeid=1 previous=member")
            .log("Nov 24 10:00:09 pm02 pacemaker-controld[1]:  notice: Result of promote operation for pgsql on pm02: ok");
        let v = run(&c);
        assert_eq!(v[0].id, F::NodeFailure, "{:?}", ids(&v));
        assert!(v[0]
            .evidence
            .iter()
            .any(|e| e.detail.contains("state is now lost")));
    }
}

/// The primary moved while the lost node stayed a member (its disk failed), then the node
/// was lost (powered off to replace the disk, fenced): it was the primary, not the standby
/// an interconnect failure fences (the lab's seed `disk-failure --switchback`, 2026-12-01,
/// whose `--switchback` kept pm02 primary). A promotion before the node's last rejoin (a
/// switchover, whose old primary rejoins after it) keeps the interconnect first.
#[test]
fn a_failover_while_the_lost_node_was_a_member_makes_it_the_old_primary() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 09:00:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now member | nodeid=1 previous=lost")
            .log("Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Result of promote operation for pgsql on pm02: ok")
            .log("Nov 24 10:05:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost | nodeid=1 previous=member");
        let v = run(&c);
        assert_eq!(v[0].id, F::NodeFailure, "{:?}", ids(&v));
        // The same promotion before pm01 rejoined: pm01 was the standby when it was lost.
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Result of promote operation for pgsql on pm02: ok")
            .log("Nov 24 10:01:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now member | nodeid=1 previous=lost")
            .log("Nov 24 10:05:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost | nodeid=1 previous=member");
        let v = run(&c);
        assert_eq!(v[0].id, F::HeartbeatLanFailure, "{:?}", ids(&v));
    }
}

#[test]
fn lines_of_an_earlier_pacemaker_session_do_not_decide() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 20 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member")
            .log("Nov 24 09:00:00 pm01 pacemakerd[1]:  notice: Starting Pacemaker 2.1.5 | build=a3f44794f94");
        let v = run(&c);
        assert_eq!(v[0].certainty, Certainty::Likely, "{:?}", ids(&v));
        assert_in_leading_likely(&v, F::HeartbeatLanFailure);
    }
}

#[test]
fn a_respawned_cib_daemon_on_a_node_still_online() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.snap.local_node = Some("pm01".into());
        c.log("Nov 24 10:00:00 pm01 pacemakerd[77]:  error: pacemaker-based[80] terminated with signal 9 (Killed)");
        let v = assert_top_certain(&c, F::CibFailure, Some("pm01"));
        assert_eq!(v[0].reaction, Reaction::Restart);
        // Pacemaker losing corosync on a node that is still online (its own line).
        let mut c = Cluster::healthy(p);
        c.log("Nov 24 10:00:00 pm02 pacemaker-controld[9]:  crit: Lost connection to cluster layer, shutting down");
        assert_top_certain(&c, F::CorosyncFailure, Some("pm02"));
    }
}

/// The lab's `cib-failure --switchback` of 2026-12-01 19:57 (both profiles): the primary
/// pm01's CIB daemon respawned, yet pm02 was promoted after it died and pm01's PostgreSQL
/// restarted as a standby of the old timeline (never streamed): a failover in effect — its
/// playbook stops pm01 and rejoins it, `--switchback` returns to it. A promotion before the
/// daemon died is no such thing: restarted in place.
#[test]
fn a_respawned_cib_daemon_after_which_the_other_node_was_promoted_is_a_failover() {
    const DIED: &str = "pm01 pacemakerd          [110] (pcmk_child_exit) \twarning: pacemaker-based[113] terminated with signal 9 (Killed)";
    const PROMOTED: &str = "pm02 pacemaker-controld  [116] (log_executor_event) \tnotice: Result of promote operation for pgsql on pm02: ok | CIB update 76, graph action confirmed; call=48 key=pgsql_promote_0 rc=0";
    // pm02 primary, seen from it, with the two lines at these times: the cib-failure finding.
    let cib = |p: Profile, died: &str, promoted: &str| {
        let mut c = Cluster::healthy(p);
        c.failed_over();
        c.snap.local_node = Some("pm02".into());
        c.log(&format!("Dec 01 {died} {DIED}"));
        c.log(&format!("Dec 01 {promoted} {PROMOTED}"));
        let v = run(&c);
        v.iter()
            .find(|f| f.id == F::CibFailure)
            .cloned()
            .unwrap_or_else(|| panic!("{:?}", ids(&v)))
    };
    for p in BOTH {
        let moved = cib(p, "19:57:29.100", "19:57:31.500");
        assert_eq!(moved.reaction, Reaction::Failover, "{p}");
        let kinds: Vec<&str> = moved.plan.iter().map(|s| s.action.name()).collect();
        assert_eq!(
            kinds,
            [
                "wait",
                "stop",
                "wait",
                "operator",
                "standby-start",
                "verify",
                "switchover"
            ],
            "{p}"
        );
        assert_eq!(moved.plan[1].node.as_deref(), Some("pm01"));
        // The promotion came first (an earlier switchover): restarted in place.
        let earlier = cib(p, "19:57:29.100", "19:50:00.000");
        assert_eq!(earlier.reaction, Reaction::Restart, "{p}");
    }
}

#[test]
fn failed_fencing_keeps_the_default_sibling_order() {
    // Recorded in the lab: fencing failed, so the survivor was never promoted; that says
    // nothing about the lost node's role.
    for p in BOTH {
        // The recording holds two attempts; a longer outage retries more (added by hand).
        let mut c = Cluster::lab(p, "fencing-failure");
        for _ in 0..3 {
            c.fence("pm01", "failed");
        }
        c.log("Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost | nodeid=1 previous=member");
        let v = run(&c);
        assert_eq!(
            (v[0].id, v[0].certainty),
            (F::FencingFailure, Certainty::Certain)
        );
        assert_eq!(
            v[0].evidence
                .iter()
                .filter(|e| e.source == "fencing")
                .count(),
            4,
            "three attempts and a count"
        );
        assert_eq!(v[1].id, F::NodeFailure, "{:?}", ids(&v));
    }
}

#[test]
fn on_the_failed_node_once_up_again_the_peers_view_and_the_own_log_decide() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.pm01_fenced()
            .log("Nov 24 10:00:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost | nodeid=2 previous=member")
            .log("Nov 24 10:00:01 pm01 pacemaker-schedulerd[2]:  warning: Cluster node pm02 will be fenced: peer is no longer part of the cluster");
        let mut s = c.snapshot();
        // Run on pm01: its Pacemaker is down, pm02 answers over SSH.
        s.local_node = Some("pm01".into());
        let state = s.cluster.known().unwrap().clone();
        s.cluster = Source::unknown("Pacemaker is not running on this node");
        s.peer = Source::Known(crate::snapshot::PeerView {
            node: "pm02".into(),
            cluster: Source::Known(state),
            corosync: Source::unknown("x"),
            logs: Source::Known(vec![]),
        });
        let r = report(&s, &c.names);
        assert_eq!(r.verdict, Verdict::Fault);
        let f = &r.findings[0];
        assert_eq!(
            (f.id, f.certainty, f.node.as_deref()),
            (F::HeartbeatLanFailure, Certainty::Certain, Some("pm01"))
        );
        assert!(
            ids(&r.findings).contains(&F::LockFilePresent),
            "pm01 keeps its lock: {:?}",
            ids(&r.findings)
        );
    }
}

#[test]
fn a_fenced_standby_whose_log_is_silent_is_not_certainly_a_node_failure() {
    // Found by the full lab run (seed, heartbeat-lan-failure): with priority-fencing-delay the
    // primary fences the standby at once, sometimes before the standby logs its own loss of
    // the peer. A silent standby log then cannot tell a node failure from an interconnect one.
    for p in BOTH {
        let mut c = Cluster::recording(p, "status", "primary-alone");
        c.fence("pm02", "success");
        c.lines_mut().clear();
        c.log("Nov 24 10:00:00 pm02 pacemakerd[1]:  notice: Starting Pacemaker 2.1.5")
            .log(
                "Nov 24 10:05:00 pm01 pacemaker-controld[1]:  notice: Node pm02 state is now lost",
            );
        let v = run(&c);
        assert_in_leading_likely(&v, F::HeartbeatLanFailure);
        assert!(
            !v.iter()
                .any(|f| f.id == F::NodeFailure && f.certainty == Certainty::Certain),
            "{:?}",
            ids(&v)
        );
    }
}

/// The recorded `promoted-both`: pm02's monitor returned rc 8 while pm01 is primary. The
/// finding follows the rc (a primary where none should be, not "not running") and, pm01
/// being primary too, calls it a split-brain risk; nothing failed over.
#[test]
fn rc_8_beside_a_primary_is_a_split_brain() {
    for p in BOTH {
        let c = Cluster::recording(p, "status", "promoted-both");
        let v = assert_top_certain(&c, F::PgsqlFailure, Some("pm02"));
        let t = &v[0].title;
        assert!(
            t.contains("split-brain") && t.contains("on pm01 and on pm02"),
            "{t}"
        );
        assert!(t.contains("monitor returned promoted (rc 8)"), "{t}");
        assert_eq!(v[0].reaction, Reaction::None);
        assert!(v[0].steps[1].starts_with("On pm02: stop Pacemaker now"));
        assert_eq!(report(&c.snapshot(), &c.names).verdict, Verdict::Fault);
        // The same rc without a second primary: found promoted, no split brain.
        let mut c = Cluster::healthy(p);
        c.fail("pgsql", "monitor", 10000, "pm02", Some(1));
        c.state.failures[0].exitcode = Some(8);
        let v = assert_top_certain(&c, F::PgsqlFailure, Some("pm02"));
        assert!(
            v[0].title.contains("found running as a primary"),
            "{}",
            v[0].title
        );
        assert!(!v[0].title.contains("split-brain"));
    }
}

/// The recorded `vip-nowhere`: the service VIP banned from both nodes, pgsql primary on pm01.
#[test]
fn a_service_vip_on_no_node_is_an_unreachable_service() {
    for p in BOTH {
        let c = Cluster::recording(p, "status", "vip-nowhere");
        let v = assert_top_certain(&c, F::VipMasterFailure, Some("pm01"));
        assert!(v[0].title.contains("unreachable"), "{}", v[0].title);
        assert_eq!(v[0].reaction, Reaction::None);
        let d = report(&c.snapshot(), &c.names);
        assert_eq!(d.verdict, Verdict::Fault);
        assert!(d.service.unwrap().contains("UNREACHABLE"));
    }
}
