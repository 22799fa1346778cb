//! `stop`: the pure plan on recorded crm_mon XML, and the operation on a recorded fake node
//! (a refused confirmation and a dry run run no `systemctl stop`).

use super::*;
use crate::node::fake::FakeNode;
use crate::ops::testing::{ctx, Rec};
use crate::pacemaker::parse;
use crate::profile::Profile;
use crate::report::Answer;

fn state(rel: &str) -> ClusterState {
    let text = std::fs::read_to_string(crate::node::fake::fixture_path(rel)).unwrap();
    parse::crm_mon(&text, rel).unwrap()
}

fn names() -> Names {
    Names::defaults(Profile::Pgrex17)
}

#[test]
fn the_plan_tells_the_role_and_what_stopping_it_does() {
    let healthy = state("status/pgrex17/healthy.xml");
    let p = plan(Some(&healthy), &names(), "pm01");
    assert_eq!(p.target, Stopped::Primary);
    assert_eq!(
        p.consequence,
        Some(Consequence::Failover {
            peer: "pm02".into()
        })
    );
    let p = plan(Some(&healthy), &names(), "pm02");
    assert_eq!((p.target, p.consequence), (Stopped::Standby, None));
    let alone = state("status/pgrex17/primary-alone.xml");
    let p = plan(Some(&alone), &names(), "pm01");
    assert!(
        matches!(p.consequence, Some(Consequence::ServiceStops { .. })),
        "{p:?}"
    );
    assert_eq!(plan(None, &names(), "pm01").target, Stopped::Pacemaker);
}

/// pm01, the primary of the recorded healthy cluster, with Pacemaker running.
fn primary_node() -> FakeNode {
    FakeNode::local()
        .answer("systemctl is-active", 0, "active\n")
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml")
        .answer_fixture("cibadmin -Q", 0, "status/pgrex17/healthy.cib.xml")
}

fn opts(names: &dyn Fn(&[&str]) -> Names) -> StopOptions<'_> {
    StopOptions {
        fast: false,
        timeouts: Timeouts::default(),
        pgpath: None,
        names,
    }
}

#[test]
fn stopping_the_primary_without_an_answer_is_refused_and_stops_nothing() {
    let local = primary_node();
    let rep = Rec::new(Answer::Refused);
    let n = |_: &[&str]| names();
    let e = stop(&ctx(&rep, &local, false), &opts(&n)).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    assert!(
        rep.text().contains("makes pm02 the primary"),
        "{}",
        rep.text()
    );
    let cmds = local.commands();
    assert!(!cmds.iter().any(|c| c.contains("stop")), "{cmds:?}");
    assert!(!cmds.iter().any(|c| c.contains("CHECKPOINT")), "{cmds:?}");
    assert!(local.changes().is_empty());
}

#[test]
fn a_dry_run_describes_the_stop_and_runs_only_reads() {
    let local = primary_node();
    let rep = Rec::new(Answer::Refused);
    let n = |_: &[&str]| names();
    let (what, msg) = stop(&ctx(&rep, &local, true), &opts(&n)).unwrap();
    assert_eq!(what, Stopped::Primary);
    assert!(msg.starts_with("dry run complete"), "{msg}");
    let text = rep.text();
    assert!(
        text.contains("4. Stopping Pacemaker\n...[SKIP] (dry run) would stop Pacemaker"),
        "{text}"
    );
    let cmds = local.commands();
    assert!(
        cmds.iter()
            .all(|c| c.contains("is-active") || c.contains("crm_mon") || c.contains("cibadmin -Q")),
        "{cmds:?}"
    );
}
