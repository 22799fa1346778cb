//! The service down on both nodes, from the lab's `router-failure` recorded right after
//! `pgrex-lab heal` (`tests/fixtures/diagnose/lab/README.md`): whatever finding leads, its
//! playbook is router-failure's (stop both, the newest data's node primary, the other its
//! standby); once Pacemaker has promoted a node on its own, each finding keeps its own.

use super::tests::shape;
use crate::diagnose::playbook::{Action, Check};
use crate::diagnose::{diagnose, down_on_both, FaultId as F, Finding};
use crate::profile::{Names, Profile};
use crate::snapshot::Snapshot;
use crate::status::Severity;

fn recorded(name: &str) -> (Snapshot, Names) {
    let path = crate::node::fake::fixture_path(&format!("diagnose/lab/pgrex17/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let s = Snapshot::from_json(&text, name).unwrap();
    (s, Names::defaults(Profile::Pgrex17))
}

fn findings(name: &str) -> Vec<Finding> {
    let (s, names) = recorded(name);
    diagnose(&s, &names)
}

fn get<'a>(v: &'a [Finding], id: F, node: Option<&str>) -> &'a Finding {
    v.iter()
        .find(|f| f.id == id && f.node.as_deref() == node)
        .unwrap_or_else(|| panic!("no {id} on {node:?}: {:?}", ids(v)))
}

fn ids(v: &[Finding]) -> Vec<(F, Option<String>)> {
    v.iter().map(|f| (f.id, f.node.clone())).collect()
}

/// pm01 has `LATEST` and the lock its primary's stop left; pm02 `STREAMING|SYNC`.
const BOTH_DOWN: &str = "note:pm01 stop:pm02 stop:pm01 operator:- primary-start:pm01 \
                         wait:pm02 standby-start:pm02 verify:-";

#[test]
fn right_after_the_repair_the_lock_takes_router_failures_playbook_too() {
    // pm01's view: its ping attribute still 0, router-failure leads; pm01's lock too.
    let v = findings("router-failure.healed.pm01");
    let router = get(&v, F::RouterFailure, None);
    assert_eq!(v[0].id, F::RouterFailure, "{:?}", ids(&v));
    let lock = get(&v, F::LockFilePresent, Some("pm01"));
    for f in [router, lock] {
        assert_eq!(shape(f), BOTH_DOWN, "{}", f.id);
        assert_eq!(f.playbook, F::RouterFailure);
    }
    assert_eq!(lock.recover, "pgrex recover router-failure --node pm01");
    // The repair waits until each node reaches the ping target again.
    let repair = &lock.plan[3];
    assert_eq!(
        repair.action,
        Action::Operator {
            cause: crate::diagnose::playbook::Cause::Repair,
            check: Check::Reaches {
                addr: "192.0.2.254".into()
            }
        }
    );
    assert!(repair.text.contains("both nodes"), "{}", repair.text);
    assert!(
        lock.plan[4].text.contains("--remove-lock"),
        "{}",
        lock.plan[4].text
    );
}

#[test]
fn whatever_finding_leads_with_the_service_down_on_both_its_playbook_is_router_failures() {
    // pm02's view 7 s after the repair, its ping attribute back and pm01's set back too (the
    // state the first lab run of recover met: no router-failure any more, the lock leads;
    // its own playbook made a standby of pm01 with no primary anywhere).
    let (mut s, names) = recorded("router-failure.healed.pm02");
    let mut st = s.view().unwrap().clone();
    for attrs in st.node_attributes.values_mut() {
        for a in attrs.iter_mut().filter(|a| a.name == "ping-status") {
            a.value = "1".into();
        }
    }
    s.cluster = crate::snapshot::Source::Known(st);
    let v = diagnose(&s, &names);
    let top = &v[0];
    assert_eq!(
        (top.id, top.node.as_deref()),
        (F::LockFilePresent, Some("pm01")),
        "{:?}",
        ids(&v)
    );
    assert!(!v.iter().any(|f| f.id == F::RouterFailure), "{:?}", ids(&v));
    for f in v.iter().filter(|f| f.severity != Severity::Info) {
        assert_eq!(shape(f), BOTH_DOWN, "{} {:?}", f.id, f.node);
        assert_eq!(f.playbook, F::RouterFailure, "{}", f.id);
    }
    assert_eq!(top.recover, "pgrex recover router-failure --node pm01");
}

#[test]
fn once_pacemaker_promoted_a_node_each_finding_keeps_its_own_playbook() {
    // 30 s after the repair: pm01's start refused by its lock, pm02 promoted.
    let (s, names) = recorded("router-failure.self-recovered.pm01");
    assert!(!down_on_both(s.view().unwrap(), &names));
    let v = diagnose(&s, &names);
    let lock = get(&v, F::LockFilePresent, Some("pm01"));
    assert_eq!(lock.playbook, F::LockFilePresent);
    assert_eq!(
        shape(lock),
        "stop:pm01 wait:pm01 standby-start:pm01 verify:-"
    );
    assert!(v.iter().all(|f| f.playbook == f.id), "{:?}", ids(&v));
}

#[test]
fn a_node_offline_or_a_promotion_under_way_is_not_the_service_down_on_both() {
    let (s, names) = recorded("router-failure.healed.pm01");
    let st = s.view().unwrap();
    assert!(down_on_both(st, &names));
    // A node lost (a ③ failover under way or done): its own playbook.
    let mut lost = st.clone();
    lost.nodes[1].online = false;
    assert!(!down_on_both(&lost, &names));
    // pm02 a standby that still follows a primary (HS:sync), not one alone.
    let (moving, _) = recorded("router-failure.self-recovered.pm01");
    let mut m = moving.view().unwrap().clone();
    assert!(!down_on_both(&m, &names), "pm02 promoted");
    for r in &mut m.resources {
        if let crate::pacemaker::Resource::Clone(c) = r {
            for i in &mut c.instances {
                if let crate::pacemaker::Resource::Primitive(p) = i {
                    if p.role == crate::pacemaker::Role::Promoted {
                        p.role = crate::pacemaker::Role::Promoting;
                    }
                }
            }
        }
    }
    assert!(!down_on_both(&m, &names), "pm02 promoting");
}

#[test]
fn down_on_both_with_no_finding_to_tell_why_gets_router_failures_playbook_worded_for_it() {
    // The state a lab run was left in: ping back on both, no lock, no failure, PostgreSQL
    // started on neither — only the deviation "no node is primary" would show.
    let (mut s, names) = recorded("router-failure.healed.pm01");
    let mut st = s.view().unwrap().clone();
    for a in st.node_attributes.values_mut().flatten() {
        if a.name == "ping-status" {
            a.value = "1".into();
        }
    }
    s.cluster = crate::snapshot::Source::Known(st);
    for l in s.locks.values_mut() {
        if let crate::snapshot::Source::Known(l) = l {
            l.present = false;
        }
    }
    let v = diagnose(&s, &names);
    assert_eq!(v.len(), 1, "{:?}", ids(&v));
    let f = &v[0];
    assert_eq!((f.id, f.playbook), (F::RouterFailure, F::RouterFailure));
    assert_eq!(f.reaction, crate::diagnose::Reaction::None);
    assert!(f.title.contains("down on both nodes"), "{}", f.title);
    assert!(!f.title.contains("ping"), "{}", f.title);
    assert_eq!(shape(f), BOTH_DOWN);
    assert_eq!(f.recover, "pgrex recover router-failure");
    assert!(
        f.evidence.iter().any(|e| e.detail.contains("LATEST")),
        "{:?}",
        f.evidence
    );
}

/// router-failure right after the repair, seen on pm01, with each node's persisted
/// data-status set (crm_mon's attribute) and, where given, where its WAL ends as recover
/// reads it (`(timeline, lsn)`; system identifier 7 unless `other_cluster`).
fn both_down_with(
    statuses: [&str; 2],
    ends: Option<[(u32, u64); 2]>,
    other_cluster: bool,
) -> (Finding, Snapshot) {
    let (mut s, names) = recorded("router-failure.healed.pm01");
    let mut st = s.view().unwrap().clone();
    for (node, status) in ["pm01", "pm02"].iter().zip(statuses) {
        let attrs = st.node_attributes.get_mut(*node).unwrap();
        let a = attrs
            .iter_mut()
            .find(|a| a.name == "pgsql-data-status")
            .unwrap();
        a.value = status.into();
    }
    s.cluster = crate::snapshot::Source::Known(st);
    if let Some(ends) = ends {
        for (i, (node, (tli, lsn))) in ["pm01", "pm02"].iter().zip(ends).enumerate() {
            let w = crate::postgres::WalEnd {
                system_id: if other_cluster && i == 1 { 8 } else { 7 },
                tli,
                end: crate::postgres::Lsn(lsn),
            };
            s.wal_ends
                .insert(node.to_string(), crate::snapshot::Source::Known(w));
        }
    }
    let v = diagnose(&s, &names);
    (get(&v, F::RouterFailure, None).clone(), s)
}

const UNPROVEN: &str =
    "note:- stop:- stop:- operator:- primary-start:- wait:- standby-start:- verify:-";

#[test]
fn no_data_status_proving_the_newest_and_no_wal_read_names_no_node() {
    let (f, _) = both_down_with(["DISCONNECT", "DISCONNECT"], None, false);
    assert_eq!(shape(&f), UNPROVEN);
    let why = &f.plan[0].text;
    assert!(
        why.contains("is not proven")
            && why.contains("pm01 DISCONNECT, pm02 DISCONNECT")
            && why.contains("was not read")
            && why.contains("pgrex starts no primary"),
        "{why}"
    );
    assert!(
        f.plan[4].text.contains("the node with the newest data"),
        "{}",
        f.plan[4].text
    );
}

#[test]
fn no_data_status_proving_the_newest_the_wal_decides_and_is_shown() {
    // pm02 on the later timeline although its LSN is lower: the timeline decides.
    let (f, _) = both_down_with(
        ["DISCONNECT", "DISCONNECT"],
        Some([(2, 0x500_0000), (3, 0x400_0000)]),
        false,
    );
    assert_eq!(
        shape(&f),
        "note:pm02 stop:pm01 stop:pm02 operator:- primary-start:pm02 wait:pm01 standby-start:pm01 \
         verify:-"
    );
    let why = &f.plan[0].text;
    assert!(
        why.contains("by where each node's WAL ends, pm02 holds it")
            && why.contains("pm01 timeline 2, 0/5000000; pm02 timeline 3, 0/4000000"),
        "{why}"
    );
    // The same timeline: the further position.
    let (f, _) = both_down_with(
        ["DISCONNECT", "DISCONNECT"],
        Some([(2, 0x500_0000), (2, 0x400_0000)]),
        false,
    );
    assert_eq!(f.plan[4].node.as_deref(), Some("pm01"));
}

/// The synchronous standby holds every acknowledged commit, but the old primary may hold
/// more WAL: without LATEST nothing but the WAL decides.
#[test]
fn a_synchronous_standbys_status_alone_does_not_prove_the_newest() {
    let (f, _) = both_down_with(["DISCONNECT", "STREAMING|SYNC"], None, false);
    assert_eq!(shape(&f), UNPROVEN);
    let (f, _) = both_down_with(
        ["DISCONNECT", "STREAMING|SYNC"],
        Some([(2, 0x500_0100), (2, 0x500_0000)]),
        false,
    );
    assert_eq!(f.plan[4].node.as_deref(), Some("pm01"), "the WAL decides");
}

#[test]
fn a_latest_whose_wal_is_behind_the_other_nodes_is_not_proven() {
    let (f, _) = both_down_with(
        ["LATEST", "STREAMING|SYNC"],
        Some([(2, 0x500_0000), (3, 0x300_0000)]),
        false,
    );
    assert_eq!(shape(&f), UNPROVEN);
    assert!(
        f.plan[0]
            .text
            .contains("the data-status names pm01, but the WAL of pm02 is ahead"),
        "{}",
        f.plan[0].text
    );
    // Its WAL not behind: LATEST decides, the WAL shown beside it.
    let (f, _) = both_down_with(
        ["LATEST", "STREAMING|SYNC"],
        Some([(2, 0x500_0000), (2, 0x500_0000)]),
        false,
    );
    assert_eq!(shape(&f), BOTH_DOWN);
    assert!(
        f.plan[0]
            .text
            .contains("LATEST holds the newest data: pm01")
            && f.plan[0]
                .text
                .contains("Where each node's WAL ends: pm01 timeline 2"),
        "{}",
        f.plan[0].text
    );
}

#[test]
fn two_database_clusters_prove_nothing() {
    let (f, _) = both_down_with(
        ["DISCONNECT", "DISCONNECT"],
        Some([(2, 0x500_0000), (3, 0x400_0000)]),
        true,
    );
    assert_eq!(shape(&f), UNPROVEN);
    assert!(
        f.plan[0]
            .text
            .contains("not one database cluster (system identifiers 7 and 8)"),
        "{}",
        f.plan[0].text
    );
}
