//! `pgrex resume` / `pgrex abort` of a cleanup that stopped part-way (interrupted between
//! two targets, or fail-counts still there at the re-read).
//!
//! A cleared fail-count cannot be put back, and needs not be: the safe state of a cleanup
//! is "nothing half-done": each `crm_resource --cleanup` is whole or not run. So the cluster
//! is read again, the plan made again from what it shows (with the journal's RESOURCE,
//! `--node` and `--force`), and [`decide`] (pure) says what follows:
//! - `resume`: something of the plan is still there → the cleanup again (the check of the
//!   cause and the question again); nothing left → done.
//! - `abort`: changes nothing; the journal is closed, naming what is still to clear.

use super::steps::{cleanup, target_text, CleanupOptions, Report};
use crate::msg::{cleanup as cm, ops as om};
use crate::ops::resume::Mode;
use crate::ops::{Done, OpContext, Run};
use crate::{t, Result};

/// What a cleanup's journal records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CleanupArguments {
    pub resource: Option<String>,
    pub node: Option<String>,
    pub force: bool,
}

impl CleanupArguments {
    pub fn of(o: &CleanupOptions) -> CleanupArguments {
        CleanupArguments {
            resource: o.resource.map(str::to_string),
            node: o.node.map(str::to_string),
            force: o.force,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    CleanupAgain,
    Nothing,
}

/// `left`: how many targets the plan made again finds.
pub fn decide(mode: Mode, left: usize) -> Next {
    match mode {
        Mode::Resume if left > 0 => Next::CleanupAgain,
        _ => Next::Nothing,
    }
}

pub fn continue_cleanup(
    ctx: &OpContext,
    o: &CleanupOptions,
    mode: Mode,
    report: &mut Report,
) -> Result<String> {
    let mut run = Run::new(ctx, &mode.journal_name("cleanup"))?;
    run.set_arguments(serde_json::json!(CleanupArguments::of(o)));
    run.next = t!(cm::NEXT);
    let left = run.check(t!(cm::STEP_READ), |_| {
        let (state, cib) = (o.observe)()?;
        let names = (o.names)(&state.resource_ids());
        let plan = super::plan(&state, &names, cib.as_ref(), o.resource, o.node)?;
        let left: Vec<String> = plan.targets.iter().map(target_text).collect();
        Ok(if left.is_empty() {
            Done::ok(left)
        } else {
            let note = t!(om::CLEANUP_LEFT, what = left.join("; "));
            Done::noted(left, note)
        })
    })?;
    match decide(mode, left.len()) {
        Next::CleanupAgain => {
            run.ended("the cleanup runs again");
            cleanup(ctx, o, report)
        }
        Next::Nothing if left.is_empty() => Ok(run.done(t!(om::CLEANUP_NOTHING_LEFT))),
        Next::Nothing => Ok(run.done(t!(om::CLEANUP_ABORTED, what = left.join("; ")))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::{fixture, FakeNode};
    use crate::ops::testing::{ctx, Rec};
    use crate::pacemaker::parse;
    use crate::profile::{Names, Profile};
    use crate::report::Answer;

    #[test]
    fn the_decision_table() {
        assert_eq!(decide(Mode::Resume, 2), Next::CleanupAgain);
        assert_eq!(decide(Mode::Resume, 0), Next::Nothing);
        assert_eq!(decide(Mode::Abort, 2), Next::Nothing);
    }

    /// A cluster with a failed action left (the recorded failover): what a cleanup
    /// interrupted before its first clear leaves to do.
    fn reading() -> crate::Result<super::super::Reading> {
        let st = parse::crm_mon(&fixture("status/pgrex17/failed-over.xml"), "t")?;
        let cib = parse::cib(&fixture("status/pgrex17/failed-over.cib.xml"), "t")?;
        Ok((st, Some(cib)))
    }

    #[test]
    fn abort_changes_nothing_and_names_what_is_left_resume_asks_again() {
        let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
        let a = CleanupArguments {
            resource: None,
            node: None,
            force: true,
        };
        let o = CleanupOptions {
            resource: a.resource.as_deref(),
            node: a.node.as_deref(),
            force: a.force,
            observe: &reading,
            names: &names,
        };
        let local = FakeNode::local();
        let rep = Rec::new(Answer::Refused);
        let mut report = Report::default();
        let msg =
            continue_cleanup(&ctx(&rep, &local, false), &o, Mode::Abort, &mut report).unwrap();
        assert!(msg.contains("still to clear"), "{msg}");
        assert!(local.commands().is_empty(), "{:?}", local.commands());
        // Resume: the cleanup again, its question included; unanswered, nothing is cleared.
        let e =
            continue_cleanup(&ctx(&rep, &local, false), &o, Mode::Resume, &mut report).unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
        assert!(local.commands().is_empty(), "{:?}", local.commands());
    }
}
