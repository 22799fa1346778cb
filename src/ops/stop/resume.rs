//! `pgrex resume` / `pgrex abort` of a stop that stopped part-way (a timeout while
//! Pacemaker was stopping, an interruption before the wait, a failed `systemctl stop`).
//!
//! The node's stack is read again and [`decide`] (pure) says what follows:
//! - `resume`: the stack stopped meanwhile → nothing left to do; anything still runs → the
//!   whole stop again with the journal's `--fast`, every check and the question included
//!   (the role is read again: the failover it warns about may already have happened).
//! - `abort`: the safe state of a stop is "this node's stack fully stopped, or fully
//!   running as it was": a half-stopped stack (Pacemaker stopping, or stopped while
//!   Corosync still runs) is stopped the rest of the way, without asking again; a stopped
//!   or a running stack is left as it is. Abort never starts anything: bringing the node
//!   back is `pgrex standby-start` (or `primary-start`), which check its data first.

use super::{stop, stop_stack, StopOptions};
use crate::msg::ops as m;
use crate::ops::resume::{self as common, Mode, Stack, Unit};
use crate::ops::{Done, OpContext, Run};
use crate::{t, Result};

/// What follows from the re-read stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The safe state holds: close the journal.
    Nothing,
    /// Run the stop again (resume).
    StopAgain,
    /// Stop the rest of the way without asking (abort of a half-stopped stack).
    FinishStop,
}

pub fn decide(mode: Mode, s: Stack) -> Next {
    let half = !s.stopped() && !s.running();
    match mode {
        _ if s.stopped() => Next::Nothing,
        Mode::Resume => Next::StopAgain,
        Mode::Abort if half => Next::FinishStop,
        Mode::Abort => Next::Nothing,
    }
}

pub fn continue_stop(ctx: &OpContext, o: &StopOptions, mode: Mode) -> Result<String> {
    let mut run = Run::new(ctx, &mode.journal_name("stop"))?;
    run.set_arguments(serde_json::json!(super::StopArguments { fast: o.fast }));
    run.next = t!(m::NEXT_STOP);
    let (stack, next) = run.check(t!(m::STEP_STACK, node = ctx.me), |_| {
        let s = common::stack(ctx.local, &ctx.tools)?;
        let note = t!(
            m::STACK_NOTE,
            pacemaker = unit_word(s.pacemaker),
            corosync = unit_word(s.corosync)
        );
        Ok(Done::noted((s, decide(mode, s)), note))
    })?;
    match next {
        Next::Nothing => {
            let msg = if stack.stopped() {
                t!(m::STOP_ALREADY_STOPPED, node = ctx.me)
            } else {
                t!(m::STOP_LEFT_RUNNING, node = ctx.me)
            };
            Ok(run.done(msg))
        }
        Next::StopAgain => {
            common::confirm(&mut run, mode, &t!(m::WHAT_RUN_AGAIN, operation = "stop"))?;
            run.ended("the stop runs again");
            stop(ctx, o).map(|(_, msg)| msg)
        }
        Next::FinishStop => {
            common::confirm(&mut run, mode, &t!(m::WHAT_STOP_STACK, node = ctx.me))?;
            stop_stack(&mut run, &o.timeouts)?;
            Ok(run.done(t!(m::STOP_FINISHED, node = ctx.me)))
        }
    }
}

pub(crate) fn unit_word(u: Unit) -> &'static str {
    match u {
        Unit::Running => "running",
        Unit::Stopping => "stopping",
        Unit::Stopped => "stopped",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Timeouts;
    use crate::node::fake::FakeNode;
    use crate::ops::journal::{self, Journal, State};
    use crate::ops::testing::{ctx, Rec};
    use crate::profile::{Names, Profile};
    use crate::report::{Answer, Outcome};

    const RUN: Unit = Unit::Running;
    const STOPPING: Unit = Unit::Stopping;
    const OFF: Unit = Unit::Stopped;

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
        for (mode, s, want) in [
            (Resume, st(OFF, OFF), Nothing),
            (Resume, st(STOPPING, RUN), StopAgain),
            (Resume, st(OFF, RUN), StopAgain),
            (Resume, st(RUN, RUN), StopAgain),
            (Abort, st(OFF, OFF), Nothing),
            (Abort, st(STOPPING, RUN), FinishStop),
            (Abort, st(OFF, RUN), FinishStop),
            (Abort, st(RUN, RUN), Nothing),
        ] {
            assert_eq!(decide(mode, s), want, "{mode:?} {s:?}");
        }
    }

    /// The journal a stop leaves when `systemctl stop pacemaker` timed out (exit 5).
    fn timed_out_stop(dir: &std::path::Path) -> journal::Record {
        let mut j = Journal::create(dir, "stop", "pm01").unwrap();
        j.set_arguments(serde_json::json!({"fast": true}));
        j.step(
            1,
            "Checking Pacemaker and Corosync are running",
            Outcome::Ok,
            false,
        );
        j.step(2, "Checking the role of this node", Outcome::Ok, false);
        j.step(3, "Running CHECKPOINT and sync", Outcome::Skip, false);
        j.begin_change();
        j.step(4, "Stopping Pacemaker", Outcome::Ng, true);
        j.finish(
            State::Failed,
            Some("timed out".into()),
            Some("pgrex stop".into()),
        );
        journal::load(j.path()).unwrap()
    }

    fn opts<'a>(names: &'a dyn Fn(&[&str]) -> Names, rec: &journal::Record) -> StopOptions<'a> {
        let a: super::super::StopArguments = common::arguments(&rec.arguments).unwrap();
        StopOptions {
            fast: a.fast,
            timeouts: Timeouts {
                stop: std::time::Duration::from_millis(20),
                monitor_interval: std::time::Duration::from_millis(5),
                ..Timeouts::default()
            },
            pgpath: None,
            names,
        }
    }

    #[test]
    fn abort_of_a_timed_out_stop_finishes_it_and_resume_of_a_stopped_node_does_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let rec = timed_out_stop(dir.path());
        assert!(rec.unfinished());
        let n = |_: &[&str]| Names::defaults(Profile::Pgrex17);
        // Pacemaker stopped after all, Corosync still up: abort stops Corosync (asked, --yes).
        let half = FakeNode::local()
            .answer("systemctl is-active pacemaker", 3, "inactive\n")
            .answer("systemctl is-active corosync", 0, "active\n")
            .answer("systemctl stop", 0, "");
        let rep = Rec::new(Answer::Yes);
        let c = ctx(&rep, &half, false);
        // The wait re-reads the same answers: corosync "active". A recorded fake cannot
        // change, so only the decision and the stop commands are checked here.
        let e = continue_stop(&c, &opts(&n, &rec), Mode::Abort);
        let cmds = half.commands();
        assert!(
            cmds.iter().any(|c| c.ends_with("stop corosync")),
            "{cmds:?}"
        );
        assert!(
            rep.text()
                .contains("abort will stop Pacemaker and Corosync on pm01"),
            "{}",
            rep.text()
        );
        assert!(
            e.is_err(),
            "corosync still answers active: the wait cannot end"
        );
        // Everything stopped: resume has nothing to do and runs no stop.
        let off = FakeNode::local().answer("systemctl is-active", 3, "inactive\n");
        let rep = Rec::new(Answer::Refused);
        let msg = continue_stop(&ctx(&rep, &off, false), &opts(&n, &rec), Mode::Resume).unwrap();
        assert!(msg.contains("already completed"), "{msg}");
        assert!(
            !off.commands().iter().any(|c| c.contains("stop ")),
            "{:?}",
            off.commands()
        );
    }

    #[test]
    fn resume_of_a_running_node_asks_then_runs_the_whole_stop_again_with_its_question() {
        let dir = tempfile::tempdir().unwrap();
        let rec = timed_out_stop(dir.path());
        let n = |_: &[&str]| Names::defaults(Profile::Pgrex17);
        let local = FakeNode::local()
            .answer("systemctl is-active", 0, "active\n")
            .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml")
            .answer_fixture("cibadmin -Q", 0, "status/pgrex17/healthy.cib.xml");
        // No way to ask: refused (exit 3), nothing stopped.
        let rep = Rec::new(Answer::Refused);
        let e =
            continue_stop(&ctx(&rep, &local, false), &opts(&n, &rec), Mode::Resume).unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
        assert!(
            !rep.text().contains("makes pm02 the primary"),
            "{}",
            rep.text()
        );
        assert!(!local.commands().iter().any(|c| c.contains("stop ")));
        // Answered yes: the stop runs again from its checks and asks its own question (the
        // primary's stop is a failover). `systemctl stop` is not recorded: it fails there.
        let rep = Rec::new(Answer::Yes);
        let e = continue_stop(&ctx(&rep, &local, false), &opts(&n, &rec), Mode::Resume);
        let text = rep.text();
        assert!(text.contains("? Go ahead with the resume?"), "{text}");
        assert!(text.contains("makes pm02 the primary"), "{text}");
        assert!(text.contains("? Stop the primary"), "{text}");
        assert!(e.is_err());
        assert!(local
            .commands()
            .iter()
            .any(|c| c.ends_with("stop pacemaker")));
    }
}
