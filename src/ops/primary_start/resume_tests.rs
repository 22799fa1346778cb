//! The resume/abort decision of a primary start, and its runs on recorded fake nodes from
//! the journal of a primary start whose wait for the primary timed out.

use super::*;
use crate::config::Timeouts;
use crate::node::fake::FakeNode;
use crate::node::Node;
use crate::ops::journal::{self, Journal, State};
use crate::ops::testing::{ctx, Rec};
use crate::profile::{Names, Profile};
use crate::report::{Answer, Outcome};
use crate::{Error, ExitCode};
use std::time::Duration;

fn st(pacemaker: Unit, corosync: Unit) -> Stack {
    Stack {
        pacemaker,
        corosync,
    }
}

#[test]
fn the_decision_table() {
    use Mode::*;
    use Next::*;
    use Unit::{Running as R, Stopped as S, Stopping as X};
    for (mode, s, primary, loaded, xml, want) in [
        (Resume, st(S, S), false, false, false, StartAgain),
        (
            Resume,
            st(R, R),
            false,
            true,
            false,
            Continue { load_xml: false },
        ),
        (
            Resume,
            st(R, R),
            false,
            false,
            true,
            Continue { load_xml: true },
        ),
        (
            Resume,
            st(R, R),
            true,
            true,
            true,
            Continue { load_xml: false },
        ),
        (Resume, st(X, R), false, true, false, StopThenStart),
        (Abort, st(S, S), false, false, false, Nothing),
        (Abort, st(R, R), true, true, false, KeepPrimary),
        (Abort, st(R, R), false, true, false, StopStack),
        (Abort, st(S, R), false, false, false, StopStack),
    ] {
        assert_eq!(
            decide(mode, s, primary, loaded, xml),
            want,
            "{mode:?} {s:?}"
        );
    }
}

/// A primary start whose wait for the primary timed out (exit 5).
fn timed_out(dir: &std::path::Path) -> journal::Record {
    let mut j = Journal::create(dir, "primary-start", "pm01").unwrap();
    j.set_arguments(serde_json::json!({
        "xmlfile": null, "remove_lock": false, "clear_fence_history": true
    }));
    for n in 1..=6 {
        j.step(n, "check", Outcome::Ok, false);
    }
    j.step(7, "Starting Pacemaker", Outcome::Ok, true);
    j.step(8, "Unblocking quorum", Outcome::Skip, true);
    j.step(9, "Checking primary has started", Outcome::Ng, false);
    j.finish(State::Failed, Some("timed out".into()), None);
    journal::load(j.path()).unwrap()
}

fn names(_: &[&str]) -> Names {
    Names::defaults(Profile::Pgrex17)
}

fn no_peer() -> crate::Result<Box<dyn Node>> {
    Err(Error::other("no peer in this test".to_string(), None))
}

fn opts<'a>(
    rec: &journal::Record,
    connect: &'a dyn Fn() -> crate::Result<Box<dyn Node>>,
) -> PrimaryOptions<'a> {
    let a: PrimaryArguments = common::arguments(&rec.arguments).unwrap();
    PrimaryOptions {
        xmlfile: a.xmlfile,
        remove_lock: a.remove_lock,
        clear_fence_history: a.clear_fence_history,
        timeouts: Timeouts {
            stop: Duration::from_millis(20),
            start: Duration::from_secs(5),
            monitor_interval: Duration::from_millis(5),
            monitor_delay: Duration::ZERO,
            ..Timeouts::default()
        },
        pgpath: None,
        peer_addr: "192.0.2.2".into(),
        cluster_name: "pgrex_cluster".into(),
        ic: Vec::new(),
        newest_by_wal: false,
        names: &names,
        connect,
    }
}

fn running_healthy() -> FakeNode {
    FakeNode::local()
        .answer("systemctl is-active", 0, "active\n")
        .answer("systemctl stop", 0, "")
        .answer("stonith_admin", 0, "")
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml")
        .answer_fixture("cibadmin -Q", 0, "status/pgrex17/healthy.cib.xml")
}

#[test]
fn resume_on_the_started_primary_waits_then_clears_the_fence_history_it_was_asked_to() {
    let dir = tempfile::tempdir().unwrap();
    let rec = timed_out(dir.path());
    assert!(rec.unfinished());
    // pm01 primary alone (pm02 stopped): the primary start's end state, VIPs all on pm01.
    let local = FakeNode::local()
        .answer("systemctl is-active", 0, "active\n")
        .answer("stonith_admin", 0, "")
        .answer_fixture("crm_mon", 0, "status/pgrex17/primary-alone.xml")
        .answer_fixture("cibadmin -Q", 0, "status/pgrex17/primary-alone.cib.xml");
    let rep = Rec::new(Answer::Yes);
    let msg = continue_primary(
        &ctx(&rep, &local, false),
        &opts(&rec, &no_peer),
        Mode::Resume,
    )
    .unwrap();
    assert!(msg.contains("pm01"), "{msg}");
    let cmds = local.commands();
    assert!(
        cmds.iter()
            .any(|c| c.contains("stonith_admin --cleanup --history pm02")),
        "{cmds:?}"
    );
    assert!(!cmds
        .iter()
        .any(|c| c.contains("systemctl stop") || c.contains("start")));
}

#[test]
fn abort_keeps_a_primary_and_stops_a_node_that_is_not_one_yet() {
    let dir = tempfile::tempdir().unwrap();
    let rec = timed_out(dir.path());
    let local = running_healthy();
    let rep = Rec::new(Answer::Yes);
    let msg = continue_primary(
        &ctx(&rep, &local, false),
        &opts(&rec, &no_peer),
        Mode::Abort,
    )
    .unwrap();
    assert!(msg.contains("left running"), "{msg}");
    assert!(!local.commands().iter().any(|c| c.contains("stop")));
    // pm02 of the same recording is not the primary: its stack is stopped (the fake keeps
    // answering "active", so the wait for the stop times out after the stop ran).
    let mut c = ctx(&rep, &local, false);
    c.me = "pm02".into();
    let e = continue_primary(&c, &opts(&rec, &no_peer), Mode::Abort).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Timeout, "{e}");
    assert!(local
        .commands()
        .iter()
        .any(|c| c.ends_with("stop pacemaker")));
}

#[test]
fn resume_with_the_stack_stopped_runs_every_check_of_the_primary_start_again() {
    let dir = tempfile::tempdir().unwrap();
    let rec = timed_out(dir.path());
    let local = FakeNode::local().answer("systemctl is-active", 3, "inactive\n");
    let rep = Rec::new(Answer::Yes);
    let e = continue_primary(
        &ctx(&rep, &local, false),
        &opts(&rec, &no_peer),
        Mode::Resume,
    )
    .unwrap_err();
    assert!(e.chain_text().contains("no peer in this test"), "{e}");
    assert!(local.changes().is_empty());
    assert!(!local
        .commands()
        .iter()
        .any(|c| c.contains("systemctl start")));
}
