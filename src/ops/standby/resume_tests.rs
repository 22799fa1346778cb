//! The resume/abort decision of a standby start, and its runs on recorded fake nodes from
//! the journal an interrupted `standby-start -r` leaves.

use super::*;
use crate::config::Timeouts;
use crate::node::fake::FakeNode;
use crate::node::Node;
use crate::ops::journal::{self, Journal, State};
use crate::ops::standby::Method;
use crate::ops::testing::{ctx, Rec};
use crate::profile::{Names, Profile};
use crate::report::{Answer, Outcome};
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
    for (mode, s, promoted, want) in [
        (Resume, st(S, S), false, StartAgain),
        (Resume, st(R, R), false, WaitStandby),
        (Resume, st(R, R), true, RefusePrimary),
        (Resume, st(X, R), false, StopThenStart),
        (Resume, st(S, R), false, StopThenStart),
        (Abort, st(S, S), false, Nothing),
        (Abort, st(R, R), false, StopStack),
        (Abort, st(X, R), false, StopStack),
        (Abort, st(R, R), true, RefusePrimary),
    ] {
        assert_eq!(decide(mode, s, promoted), want, "{mode:?} {s:?} {promoted}");
    }
}

/// What `standby-start -r` leaves when interrupted after the rewind.
fn interrupted_rewind(dir: &std::path::Path) -> journal::Record {
    let mut j = Journal::create(dir, "standby-start", "pm02").unwrap();
    for (n, title) in [(1, "Checking"), (2, "Connecting"), (3, "Primary runs")] {
        j.step(n, title, Outcome::Ok, false);
    }
    j.set_arguments(serde_json::json!({"method": "rewind", "shared_archive": false}));
    j.step(4, "Checking the interconnect", Outcome::Ok, false);
    j.step(5, "Running pg_rewind", Outcome::Ok, true);
    j.finish(State::Interrupted, None, Some("pgrex standby-start".into()));
    journal::load(j.path()).unwrap()
}

fn names(_: &[&str]) -> Names {
    Names::defaults(Profile::Pgrex17)
}

fn no_peer() -> Result<Box<dyn Node>> {
    Err(Error::other("no peer in this test".to_string(), None))
}

fn opts<'a>(
    rec: &journal::Record,
    connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
) -> StandbyOptions<'a> {
    let a: StandbyArguments = common::arguments(&rec.arguments).unwrap();
    assert_eq!(a.method, Method::Rewind);
    StandbyOptions {
        request: a.request(),
        check_only: false,
        timeouts: Timeouts {
            stop: Duration::from_millis(20),
            start: Duration::from_secs(5),
            monitor_interval: Duration::from_millis(5),
            ..Timeouts::default()
        },
        pgpath: None,
        archive_dir: "/var/lib/pgsql/archive".into(),
        peer_addr: "192.168.100.1".into(),
        peer_ic: Vec::new(),
        standby_vip: true,
        rewind_via: crate::config::RewindVia::Auto,
        names: &names,
        connect,
    }
}

#[test]
fn resume_with_pacemaker_running_only_waits_for_the_standby() {
    let dir = tempfile::tempdir().unwrap();
    let rec = interrupted_rewind(dir.path());
    assert!(rec.unfinished());
    // pm02 of the recorded healthy cluster: already HS:sync with the standby VIP.
    let local = FakeNode::local()
        .answer("systemctl is-active", 0, "active\n")
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml");
    let rep = Rec::new(Answer::Yes);
    let mut c = ctx(&rep, &local, false);
    c.me = "pm02".into();
    let (msg, result) = continue_standby(&c, &opts(&rec, &no_peer), Mode::Resume).unwrap();
    assert!(msg.contains("pm02 is the synchronous standby"), "{msg}");
    assert!(result.is_none());
    let cmds = local.commands();
    assert!(
        cmds.iter()
            .all(|c| c.contains("is-active") || c.contains("crm_mon")),
        "only reads: {cmds:?}"
    );
}

#[test]
fn resume_with_the_stack_stopped_runs_the_recorded_method_again_from_its_checks() {
    let dir = tempfile::tempdir().unwrap();
    let rec = interrupted_rewind(dir.path());
    let local = FakeNode::local().answer("systemctl is-active", 3, "inactive\n");
    let rep = Rec::new(Answer::Yes);
    let mut c = ctx(&rep, &local, false);
    c.me = "pm02".into();
    // The standby start's own checks run again, from the first: this recorded node has no
    // cluster configuration, so it stops there (a check: nothing changed).
    let e = continue_standby(&c, &opts(&rec, &no_peer), Mode::Resume).unwrap_err();
    assert!(e.to_string().contains("corosync.conf"), "{e}");
    assert!(rep.text().contains("Checking"), "{}", rep.text());
    assert!(local.changes().is_empty());
    assert!(!local.commands().iter().any(|c| c.contains("pg_rewind")));
}

#[test]
fn abort_stops_a_running_standby_and_refuses_on_a_node_that_became_the_primary() {
    let dir = tempfile::tempdir().unwrap();
    let rec = interrupted_rewind(dir.path());
    let local = FakeNode::local()
        .answer("systemctl is-active", 0, "active\n")
        .answer("systemctl stop", 0, "")
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml");
    let rep = Rec::new(Answer::Yes);
    let mut c = ctx(&rep, &local, false);
    c.me = "pm02".into();
    // The recorded fake keeps answering "active": the wait for the stop times out.
    let e = continue_standby(&c, &opts(&rec, &no_peer), Mode::Abort).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Timeout, "{e}");
    let cmds = local.commands();
    assert!(
        cmds.iter().any(|c| c.ends_with("stop pacemaker")),
        "{cmds:?}"
    );
    // pm01 is the promoted node of the same recording: neither resume nor abort touches it.
    let local = FakeNode::local()
        .answer("systemctl is-active", 0, "active\n")
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml");
    let rep = Rec::new(Answer::Yes);
    for mode in [Mode::Resume, Mode::Abort] {
        let e =
            continue_standby(&ctx(&rep, &local, false), &opts(&rec, &no_peer), mode).unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    }
    assert!(!local.commands().iter().any(|c| c.contains("stop")));
}
