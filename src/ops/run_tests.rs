//! The executor's rules: exit codes before and after a change, interruption, dry runs.

use super::*;
use crate::exec::Tools;
use crate::node::fake::FakeNode;
use crate::ops::testing::Rec;
use crate::report::{Answer, Silent};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn ctx<'a>(
    rep: &'a dyn Reporter,
    node: &'a FakeNode,
    dir: &std::path::Path,
    flag: Arc<AtomicBool>,
) -> OpContext<'a> {
    OpContext {
        reporter: rep,
        tools: Tools::new(),
        local: node,
        processes: node,
        me: "pm01".into(),
        interrupted: flag,
        late_said: Default::default(),
        journal_dir: Some(dir.to_path_buf()),
        journal_keep: Default::default(),
        dry_run: false,
    }
}

fn journal(dir: &std::path::Path) -> serde_json::Value {
    let f = std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()
}

#[test]
fn a_failure_before_any_change_keeps_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let c = ctx(&rep, &node, dir.path(), Arc::default());
    let mut run = Run::new(&c, "test").unwrap();
    run.check("check", |_| Ok(Done::ok(()))).unwrap();
    let e = run
        .check("refuse", |_| -> Result<Done<()>> {
            Err(Error::refused("no", None))
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused);
    let j = journal(dir.path());
    assert_eq!(j["state"], "failed");
    assert_eq!(j["last_completed_step"], 1);
    assert_eq!(j["change_begun"], false);
}

#[test]
fn a_failure_after_a_change_is_partial_and_names_the_step() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let c = ctx(&rep, &node, dir.path(), Arc::default());
    let mut run = Run::new(&c, "test").unwrap();
    run.next = "pgrex standby-start -b".into();
    run.change("change", "change", |_| Ok(Done::ok(())))
        .unwrap();
    let e = run
        .check("break", |_| -> Result<Done<()>> {
            Err(Error::other("boom", None).with_source(std::io::Error::other("disk gone")))
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Partial);
    assert!(e.to_string().contains("step 2 (break)"), "{e}");
    // The step's error is the source; its chain is in the message once, not again below.
    let step = std::error::Error::source(&e).expect("the step's error is kept");
    assert_eq!(step.to_string(), "boom");
    assert!(e.to_string().contains("boom: disk gone"), "{e}");
    assert_eq!(crate::error::causes(&e).count(), 0, "{e}");
    assert!(e.hint().unwrap().contains("pgrex standby-start -b"));
    assert!(e.hint().unwrap().contains(dir.path().to_str().unwrap()));
    // A timeout after a change stays a timeout (exit 5).
    let mut run = Run::new(&c, "test").unwrap();
    run.change("change", "change", |_| Ok(Done::ok(())))
        .unwrap();
    let e = run
        .check("wait", |_| -> Result<Done<()>> {
            Err(Error::Timeout {
                message: "late".into(),
                hint: None,
                source: Some(Box::new(std::io::Error::other("no answer from pm02"))),
            })
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Timeout);
    // Its cause survives the hint Run adds, and is printed below it.
    let below: Vec<String> = crate::error::causes(&e).map(|c| c.to_string()).collect();
    assert_eq!(below, ["no answer from pm02"]);
}

#[test]
fn an_interruption_stops_between_steps() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let flag = Arc::new(AtomicBool::new(false));
    let c = ctx(&rep, &node, dir.path(), flag.clone());
    let mut run = Run::new(&c, "test").unwrap();
    run.check("check", |_| {
        flag.store(true, Ordering::SeqCst);
        Ok(Done::ok(()))
    })
    .unwrap();
    let e = run
        .change("never", "never", |_| Ok(Done::ok(())))
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Interrupted);

    flag.store(false, Ordering::SeqCst);
    let mut run = Run::new(&c, "test").unwrap();
    run.change("change", "change", |_| {
        // Ctrl-C during a critical step: the step still completes.
        flag.store(true, Ordering::SeqCst);
        Ok(Done::ok(()))
    })
    .unwrap();
    let e = run.check("never", |_| Ok(Done::ok(()))).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Partial);
    assert!(e.to_string().contains("after step 1 (change)"), "{e}");
}

/// A signal during the last step: the step runs to its end, nothing is left to stop
/// before, and the run completes, saying so (CONTRACTS "Exit codes": the step finishes) —
/// not exit 6 with nothing to resume. Without a signal the same run says nothing of it.
#[test]
fn an_interruption_in_the_last_step_completes_and_says_so() {
    for signalled in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let rep = Rec::new(Answer::Yes);
        let node = FakeNode::local();
        let flag = Arc::new(AtomicBool::new(false));
        let c = ctx(&rep, &node, dir.path(), flag.clone());
        let mut run = Run::new(&c, "test").unwrap();
        run.change("change", "change", |_| Ok(Done::ok(())))
            .unwrap();
        run.act("last", "last", |_| {
            flag.store(signalled, Ordering::SeqCst);
            Ok(Done::ok(()))
        })
        .unwrap();
        assert_eq!(run.done("complete".into()), "complete");
        let j = journal(dir.path());
        assert_eq!(j["state"], "done", "{j}");
        let says = "interrupted during or after the last step (2. last)";
        if signalled {
            assert!(rep.text().contains(says), "{}", rep.text());
            assert!(j["message"].as_str().unwrap().contains(says), "{j}");
        } else {
            assert!(!rep.text().contains("interrupted"), "{}", rep.text());
            assert!(j["message"].is_null(), "{j}");
        }
    }
}

#[test]
fn a_dry_run_writes_no_journal_and_records_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let mut c = ctx(&rep, &node, dir.path(), Arc::default());
    c.dry_run = true;
    let mut run = Run::new(&c, "test").unwrap();
    run.change("change", "change", |_| Ok(Done::ok(())))
        .unwrap();
    let e = run
        .check("break", |_| -> Result<Done<()>> {
            Err(Error::other("boom", None))
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Failed);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_dry_run_describes_each_changing_step_and_never_calls_it() {
    let rep = Rec::new(Answer::No);
    let node = FakeNode::local();
    let dir = tempfile::tempdir().unwrap();
    let mut c = ctx(&rep, &node, dir.path(), Arc::default());
    c.dry_run = true;
    let mut run = Run::new(&c, "test").unwrap();
    let read = run.check("read", |_| Ok(Done::ok(7))).unwrap();
    assert_eq!(read, 7, "checks run in a dry run");
    let changed = run
        .change("start", "start Pacemaker", |_| -> Result<Done<()>> {
            panic!("a dry run must not call a change")
        })
        .unwrap();
    assert!(changed.is_none());
    let acted = run
        .act("wait", "wait for the primary", |_| -> Result<Done<()>> {
            panic!("a dry run must not call an act")
        })
        .unwrap();
    assert!(acted.is_none());
    assert_eq!(
        run.done("started".into()),
        t!(m::DRY_RUN_DONE, what = "started")
    );
    assert_eq!(
        rep.text(),
        "1. read\n...[OK]\n2. start\n...[SKIP] (dry run) would start Pacemaker\n\
         3. wait\n...[SKIP] (dry run) would wait for the primary"
    );
}

#[test]
fn an_act_that_fails_is_not_part_way() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let c = ctx(&rep, &node, dir.path(), Arc::default());
    let mut run = Run::new(&c, "test").unwrap();
    let e = run
        .act("ping", "ping", |_| -> Result<Done<()>> {
            Err(Error::other("unreachable", None))
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Failed);
}

/// recover's operator-action wait: no node changed, but its timeout says to resume, so the
/// journal is one `pgrex resume` continues and the timeout stays exit 5 (special.rs `off`).
#[test]
fn a_wait_begun_as_a_change_times_out_resumable() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let c = ctx(&rep, &node, dir.path(), Arc::default());
    let mut run = Run::new(&c, "test").unwrap();
    run.begin_change();
    let e = run
        .act("wait for the human", "wait", |_| -> Result<Done<()>> {
            Err(Error::Timeout {
                message: "pm01 does not answer".into(),
                hint: None,
                source: None,
            })
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Timeout);
    let all = crate::ops::journal::list(dir.path()).unwrap();
    assert!(all[0].1.unfinished(), "{all:#?}");
}

/// A run killed in a changing step leaves that step in the journal; the next run of the
/// same operation says so, and completing closes the killed run's journal as superseded.
#[test]
fn a_killed_run_is_named_by_the_next_one_and_closed_when_it_completes() {
    let dir = tempfile::tempdir().unwrap();
    let node = FakeNode::local();
    let mut killed = Journal::create(dir.path(), "standby-start", "pm01").unwrap();
    killed.start_step(3, "Copying", true);
    // kill -9: nothing more is written (and its file is another process's name).
    std::fs::rename(
        killed.path(),
        dir.path().join("standby-start-killed-1.json"),
    )
    .unwrap();
    let other = Journal::create(dir.path(), "stop", "pm01").unwrap();
    drop(other);
    let rep = Rec::new(Answer::Yes);
    let c = ctx(&rep, &node, dir.path(), Arc::default());
    let mut run = Run::new(&c, "standby-start").unwrap();
    let prev = run.take_over_unfinished().expect("the killed run");
    assert_eq!(prev.state, State::Running);
    assert_eq!(prev.in_progress.as_ref().map(|s| s.step), Some(3));
    assert!(
        rep.text()
            .contains("left running): it was interrupted during step 3 (Copying), begun "),
        "{}",
        rep.text()
    );
    run.change("change", "would", |_| Ok(Done::ok(()))).unwrap();
    run.completed();
    let all = crate::ops::journal::list(dir.path()).unwrap();
    assert!(all.iter().all(|(_, r)| !r.unfinished()), "{all:#?}");
    let closed = all
        .iter()
        .find(|(_, r)| r.in_progress.is_some())
        .expect("the killed run's record keeps its step");
    assert!(closed
        .1
        .message
        .as_deref()
        .unwrap()
        .starts_with("superseded"));
}

/// A command that timed out in a step before any change is a timeout (exit 5) whose
/// message names the step.
#[test]
fn a_command_timeout_names_its_step() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let c = ctx(&rep, &node, dir.path(), Arc::default());
    let mut run = Run::new(&c, "test").unwrap();
    let e = run
        .check("Reading the peer's control data", |_| -> Result<Done<()>> {
            Err(Error::Exec(crate::exec::ExecError::Timeout {
                cmd: "root@192.0.2.2: pg_controldata".into(),
                timeout: std::time::Duration::from_secs(600),
                stderr_tail: String::new(),
            }))
        })
        .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Timeout);
    let text = e.to_string();
    assert!(
        text.contains("step 1 (Reading the peer's control data)"),
        "{text}"
    );
    assert!(e.hint().unwrap().contains("SSH_COMMAND_TIMEOUT"), "{e:?}");
}

/// A step cut short by Ctrl-C (a wait on the peer returns `Interrupted`) ends the run as
/// an interruption: exit 130 before any change, exit 6 naming the last completed step after.
#[test]
fn a_step_cut_short_by_an_interruption_is_an_interruption() {
    let dir = tempfile::tempdir().unwrap();
    let rep = Silent;
    let node = FakeNode::local();
    let flag = Arc::new(AtomicBool::new(false));
    let c = ctx(&rep, &node, dir.path(), flag.clone());
    let cut = |flag: &AtomicBool| -> Result<Done<()>> {
        flag.store(true, Ordering::SeqCst);
        Err(Error::Exec(crate::exec::ExecError::Interrupted {
            cmd: "root@192.0.2.2: sleep 600".into(),
        }))
    };
    let mut run = Run::new(&c, "test").unwrap();
    let e = run.check("wait", |_| cut(&flag)).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Interrupted);

    flag.store(false, Ordering::SeqCst);
    let mut run = Run::new(&c, "test").unwrap();
    run.change("change", "change", |_| Ok(Done::ok(())))
        .unwrap();
    let e = run.act("wait", "wait", |_| cut(&flag)).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Partial);
    assert!(e.to_string().contains("after step 1 (change)"), "{e}");
}
