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
                         standby-start:pm02 verify:-";

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
