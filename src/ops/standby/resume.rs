//! `pgrex resume` / `pgrex abort` of a standby start that stopped part-way (interrupted
//! after the rewind, a base backup that failed, a wait that timed out).
//!
//! This node's stack (and, while Pacemaker runs, its role) is read again and [`decide`]
//! (pure) says what follows:
//! - `resume`: Pacemaker runs here → the start happened: only the wait for `HS:sync` /
//!   `STREAMING|SYNC` with the standby VIP remains. The stack is stopped → the whole
//!   standby-start again with the method the journal records (`-n`, `-r` or `-b`), every
//!   check again: the method's own checks decide whether the data may be used now (a
//!   refusal names the method that can). A half-stopped stack is stopped first.
//! - `abort`: the safe state of a standby start is "Pacemaker stopped on this node, the
//!   primary untouched": a running or half-stopped stack here is stopped; a stopped one is
//!   left as it is (its data may be half-rewound or half-copied: the next
//!   `pgrex standby-start` judges it).
//! - either way, this node promoted meanwhile is no standby start any more: refused
//!   (exit 3), naming `pgrex status`.

use super::{standby_start, StandbyOptions, StandbyResult};
use crate::msg::{ops as om, standby as m};
use crate::ops::resume::{self as common, Mode, Stack, Unit};
use crate::ops::stop::stop_stack;
use crate::ops::wait::Wait;
use crate::ops::{cluster, Done, OpContext, Run};
use crate::pacemaker::Role;
use crate::{t, Error, Result};

/// What a standby start's journal records once the method is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StandbyArguments {
    pub method: super::Method,
    pub shared_archive: bool,
}

impl StandbyArguments {
    /// The request that runs the same method again (`-n`, `-r` or `-b`, and `-s`).
    pub fn request(&self) -> super::Request {
        use super::Method::*;
        super::Request {
            normal: self.method == Normal,
            rewind: self.method == Rewind,
            basebackup: self.method == BaseBackup,
            check_all: false,
            shared_archive: self.shared_archive,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Nothing,
    /// The whole standby-start again (the stack is stopped).
    StartAgain,
    /// Stop the half-stopped stack, then the whole standby-start again.
    StopThenStart,
    /// Pacemaker runs: wait until this node is the synchronous standby.
    WaitStandby,
    /// Stop the stack here (abort).
    StopStack,
    /// This node is the primary now.
    RefusePrimary,
}

pub fn decide(mode: Mode, s: Stack, promoted_here: bool) -> Next {
    if s.pacemaker == Unit::Running && promoted_here {
        return Next::RefusePrimary;
    }
    match mode {
        Mode::Resume if s.stopped() => Next::StartAgain,
        Mode::Resume if s.pacemaker == Unit::Running => Next::WaitStandby,
        Mode::Resume => Next::StopThenStart,
        Mode::Abort if s.stopped() => Next::Nothing,
        Mode::Abort => Next::StopStack,
    }
}

pub fn continue_standby(
    ctx: &OpContext,
    o: &StandbyOptions,
    mode: Mode,
) -> Result<(String, Option<StandbyResult>)> {
    let mut run = Run::new(ctx, &mode.journal_name("standby-start"))?;
    let method = o.request;
    run.next = t!(m::NEXT);
    let (next, names, primary) = run.check(t!(om::STEP_STACK, node = ctx.me), |_| {
        let s = common::stack(ctx.local, &ctx.tools)?;
        let st = match s.pacemaker {
            Unit::Running => cluster::crm_mon(ctx.local, &ctx.tools)?,
            _ => None,
        };
        let names = (o.names)(&st.as_ref().map(|s| s.resource_ids()).unwrap_or_default());
        let promoted = st
            .as_ref()
            .is_some_and(|st| cluster::pg_role(st, &names, &ctx.me) == Some(Role::Promoted));
        let note = t!(
            om::STACK_NOTE,
            pacemaker = crate::ops::stop::resume::unit_word(s.pacemaker),
            corosync = crate::ops::stop::resume::unit_word(s.corosync)
        );
        let primary = st.as_ref().and_then(|st| cluster::primary_node(st, &names));
        Ok(Done::noted(
            (decide(mode, s, promoted), names, primary),
            note,
        ))
    })?;
    if let Some(a) = arguments_of(&method) {
        run.set_arguments(serde_json::json!(a));
    }
    match next {
        Next::RefusePrimary => Err(run.abort(Error::refused(
            t!(
                om::RESUME_NOW_PRIMARY,
                node = ctx.me,
                operation = "standby-start"
            ),
            Some(t!(om::NEXT_STATUS)),
        ))),
        Next::Nothing => Ok((run.done(t!(om::STANDBY_LEFT_STOPPED, node = ctx.me)), None)),
        Next::StartAgain => {
            let what = t!(om::WHAT_RUN_AGAIN, operation = "standby-start");
            common::confirm(&mut run, mode, &what)?;
            run.ended("the standby start runs again");
            standby_start(ctx, o).map(|(m, r)| (m, Some(r)))
        }
        Next::StopThenStart => {
            let what = t!(
                om::WHAT_STOP_THEN_AGAIN,
                node = ctx.me,
                operation = "standby-start"
            );
            common::confirm(&mut run, mode, &what)?;
            stop_stack(&mut run, &o.timeouts)?;
            run.completed();
            standby_start(ctx, o).map(|(m, r)| (m, Some(r)))
        }
        Next::StopStack => {
            common::confirm(&mut run, mode, &t!(om::WHAT_STOP_STACK, node = ctx.me))?;
            stop_stack(&mut run, &o.timeouts)?;
            Ok((run.done(t!(om::STANDBY_ABORTED, node = ctx.me)), None))
        }
        Next::WaitStandby => {
            run.next = t!(m::NEXT_AFTER_START);
            run.act(
                t!(m::STEP_WAIT),
                t!(
                    m::WOULD_WAIT,
                    node = ctx.me,
                    primary = primary.as_deref().unwrap_or("-")
                ),
                |cx| {
                    Wait {
                        delay: std::time::Duration::ZERO,
                        interval: o.timeouts.monitor_interval,
                        timeout: o.timeouts.start,
                    }
                    .run(cx, || {
                        super::checks::standby_ready(ctx, &names, o.standby_vip)
                    })?;
                    Ok(Done::ok(()))
                },
            )?;
            Ok((run.done(t!(om::STANDBY_RESUMED, node = ctx.me)), None))
        }
    }
}

/// The journal's arguments again, for the resume's own journal.
fn arguments_of(r: &super::Request) -> Option<StandbyArguments> {
    use super::Method::*;
    let method = match (r.normal, r.rewind, r.basebackup) {
        (true, false, false) => Normal,
        (false, true, false) => Rewind,
        (false, false, true) => BaseBackup,
        _ => return None,
    };
    Some(StandbyArguments {
        method,
        shared_archive: r.shared_archive,
    })
}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
