//! Recover with the service down on both nodes, from the lab's `router-failure` recorded
//! right after `pgrex-lab heal` and once Pacemaker had promoted pm02 on its own
//! (`tests/fixtures/diagnose/lab/README.md`): the finding taken and the command that names
//! it, the node switched back to, the wait until the cluster stops moving, and a node the run
//! stopped itself not taken for a fault that appeared.

use super::settle::{judged_settled, Settle};
use super::*;
use crate::node::fake::FakeNode;
use crate::ops::testing::{ctx, Rec};
use crate::ops::StepCx;
use crate::profile::{Names, Profile};
use crate::report::Answer;
use std::cell::Cell;

fn judged(name: &str) -> Judged {
    let path = crate::node::fake::fixture_path(&format!("diagnose/lab/pgrex17/{name}.json"));
    let snap = Snapshot::from_json(&std::fs::read_to_string(&path).unwrap(), name).unwrap();
    let names = Names::defaults(Profile::Pgrex17);
    Judged {
        diagnosis: crate::judge::diagnosis(&snap, &names),
        state: snap.view().cloned(),
        names,
    }
}

const HEALED: &str = "router-failure.healed.pm01";
const PROMOTED: &str = "router-failure.self-recovered.pm01";

#[test]
fn the_lock_named_by_its_playbook_id_is_found_as_diagnose_prints_it() {
    let j = judged(HEALED);
    let f = select::pick(&j.diagnosis, None, None).unwrap().unwrap();
    assert_eq!(f.id, FaultId::RouterFailure);
    // `pgrex recover router-failure --node pm01`, as diagnose prints for the lock.
    let f = select::pick(&j.diagnosis, Some(FaultId::RouterFailure), Some("pm01"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (f.id, f.node.as_deref()),
        (FaultId::LockFilePresent, Some("pm01"))
    );
    // The id itself still wins where it is shown.
    let f = select::pick(&j.diagnosis, Some(FaultId::RouterFailure), None)
        .unwrap()
        .unwrap();
    assert_eq!(f.id, FaultId::RouterFailure);
}

#[test]
fn the_node_switched_back_to_is_the_one_with_the_newest_data_or_the_lock() {
    // Down on both: where the playbook starts the primary.
    assert_eq!(original_primary(&judged(HEALED)).as_deref(), Some("pm01"));
    // pm02 promoted by Pacemaker since: pm01's lock says it was the primary.
    let j = judged(PROMOTED);
    assert_eq!(j.primary().as_deref(), Some("pm02"));
    assert_eq!(original_primary(&j).as_deref(), Some("pm01"));
}

/// Judge `answers` in turn (the last again and again) with a quiet period of zero: the
/// judgement returned and how many were taken.
fn settle(answers: &[&str], deviations: bool) -> (Judged, usize) {
    settle_all(answers.iter().map(|a| judged(a)).collect(), deviations)
}

fn settle_all(all: Vec<Judged>, deviations: bool) -> (Judged, usize) {
    let rep = Rec::new(Answer::Yes);
    let local = FakeNode::local();
    let c = ctx(&rep, &local, false);
    let cx = StepCx { ctx: &c, step: 1 };
    let calls = Cell::new(0usize);
    let next = || {
        let i = calls.get().min(all.len() - 1);
        calls.set(calls.get() + 1);
        let j = &all[i];
        Ok(Done::ok(Judged {
            diagnosis: j.diagnosis.clone(),
            state: j.state.clone(),
            names: j.names.clone(),
        }))
    };
    let s = Settle {
        limit: Duration::from_secs(3600),
        interval: Duration::ZERO,
        quiet: Duration::ZERO,
        deviations,
    };
    let d = judged_settled(&cx, &next, &s).unwrap();
    (d.value, calls.get())
}

#[test]
fn the_service_down_on_both_is_acted_on_only_once_it_stopped_changing() {
    // The same picture twice: acted on (router-failure's playbook).
    let (j, calls) = settle(&[HEALED], false);
    assert_eq!(calls, 2);
    assert!(crate::diagnose::down_on_both(
        j.state.as_ref().unwrap(),
        &j.names
    ));
    // Pacemaker promoted a node meanwhile: once that picture held, what is left (the lock
    // on pm01) is the answer.
    let (j, calls) = settle(&[HEALED, PROMOTED], false);
    assert_eq!(calls, 3);
    assert_eq!(j.primary().as_deref(), Some("pm02"));
    // The picture changed (pm01's ping attribute back to 1): the quiet period starts again.
    let mut back = judged(HEALED);
    let st = back.state.as_mut().unwrap();
    for a in st.node_attributes.values_mut().flatten() {
        if a.name == "ping-status" {
            a.value = "1".into();
        }
    }
    let back2 = Judged {
        diagnosis: back.diagnosis.clone(),
        state: back.state.clone(),
        names: back.names.clone(),
    };
    let (_, calls) = settle_all(vec![judged(HEALED), back, back2], false);
    assert_eq!(
        calls, 3,
        "the first, the changed one, the changed one again"
    );
    // Not down on both: the first judgement is the answer.
    assert_eq!(settle(&[PROMOTED], false).1, 1);
}

#[test]
fn a_node_this_run_stopped_is_not_a_fault_that_appeared() {
    // The lab's node-failure seen from pm02: pm01 OFFLINE, node-failure (likely) on it —
    // what recover on pm01 judged through the peer once it had stopped pm01 itself.
    let c = crate::testkit::Cluster::lab(Profile::Pgrex17, "node-failure");
    let snap = c.snapshot();
    let j = Judged {
        diagnosis: crate::judge::diagnosis(&snap, &c.names),
        state: snap.view().cloned(),
        names: c.names.clone(),
    };
    let none = std::collections::BTreeSet::new();
    let nobody = std::collections::BTreeSet::new();
    let f = recheck::appeared(&j, &none, &nobody).expect("a new fault");
    assert_eq!(f.node.as_deref(), Some("pm01"));
    let stopped = ["pm01".to_string()].into_iter().collect();
    assert!(recheck::appeared(&j, &none, &stopped).is_none());
    // Stopped pm02 (online): a fault on pm01 still stops the run.
    let other = ["pm02".to_string()].into_iter().collect();
    assert!(recheck::appeared(&j, &none, &other).is_some());
}

#[test]
fn the_router_playbooks_own_stops_are_expected_on_the_way() {
    // After the stop of pm01, pm02 alone shows its ping attribute 0: service-lan-failure of
    // pm02, expected; a fault of another kind on pm02 is not.
    let j = judged(HEALED);
    let f = select::pick(&j.diagnosis, None, None).unwrap().unwrap();
    let want = recheck::expected(f);
    assert!(want.contains(&(FaultId::ServiceLanFailure, Some("pm02".into()))));
    assert!(want.contains(&(FaultId::ServiceLanFailure, Some("pm01".into()))));
    assert!(!want.iter().any(|(id, _)| *id == FaultId::PgsqlFailure));
    // Another playbook expects nothing.
    let j = judged(PROMOTED);
    let f = select::pick(&j.diagnosis, None, None).unwrap().unwrap();
    assert!(recheck::expected(f).is_empty(), "{}", f.id);
}

/// Run `c` expecting a refusal (exit 3) that changed nothing: the message with its hint,
/// and what the run printed.
fn refused(c: super::tests::Case, dry_run: bool) -> (String, String) {
    let (r, text, changes) = super::tests::run(c, dry_run);
    let e = r.expect_err(&text);
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}\n{text}");
    assert!(changes.is_empty(), "{changes:?}\n{text}");
    (format!("{e}\n{}", e.hint().unwrap_or_default()), text)
}

/// The lab's router-failure with neither node's data-status proving the newest data
/// (both `DISCONNECT`) and no WAL read: the playbook names no node for its stops and
/// starts, and recover refuses (exit 3) before any step runs, saying why — it does not run
/// them where it runs.
#[test]
fn the_newest_data_not_proven_refuses_before_any_step() {
    fn unproven() -> crate::testkit::Cluster {
        let mut c = crate::testkit::Cluster::lab(Profile::Pgrex17, "router-failure");
        for a in c.state.node_attributes.values_mut().flatten() {
            if a.name == "pgsql-data-status" {
                a.value = "DISCONNECT".into();
            }
        }
        c
    }
    for dry_run in [false, true] {
        let c = super::tests::Case {
            cluster: Some(unproven),
            ..Default::default()
        };
        let (said, text) = refused(c, dry_run);
        assert!(
            said.contains("must run on a node the playbook cannot name")
                && said.contains("Which node holds the newest data is not proven"),
            "{said}"
        );
        // The plan is shown; no step of it ran (the run's steps end at the peer lock, 4).
        assert!(text.contains("  2. [stop]"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("5. ")), "{text}");
    }
}

/// The lab's router-failure (pm01 LATEST) recovered from pm02: the primary would start on
/// pm01, whose Pacemaker started alone fences pm02 — where this run is (special.rs `router`,
/// 2026-12-01 20:17: the run died with its node's reboot). Refused, nothing changed, pm01
/// named.
#[test]
fn the_service_down_on_both_is_recovered_only_from_the_newest_node() {
    let c = super::tests::Case {
        rec: "router-failure",
        ..Default::default()
    };
    let (said, _) = refused(c, false);
    assert!(
        said.contains("the primary is to start on pm01")
            && said.contains("run `pgrex recover` on pm01"),
        "{said}"
    );
}
