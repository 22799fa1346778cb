//! `pgrex cleanup` as numbered steps through a [`Run`]: read the cluster (and show the plan),
//! check that the cause is gone (refuse unless forced), ask, clear each target through
//! `crm_resource --cleanup` (on this node, through the context's [`crate::node::Node`]), re-read
//! the cluster until the cleanup shows.
//!
//! The decision is the pure [`super::plan`]; this module only sequences and reports it (a dry
//! run describes the clearing and the re-read: [`Run`] never calls them).

use super::{Blocker, Plan, Target};
use crate::msg::cleanup as m;
use crate::ops::wait::sleep_interruptible;
use crate::ops::{Done, OpContext, Run};
use crate::pacemaker::{cib::CibFacts, ClusterState};
use crate::profile::Names;
use crate::report::{Level, Outcome};
use crate::{t, Error, Result};
use serde::Serialize;
use std::time::{Duration, Instant};

/// How often, and how far apart, the cluster is re-read until the cleanup shows.
const VERIFY_TRIES: u32 = 10;
const VERIFY_PAUSE: Duration = Duration::from_secs(1);

/// One reading of the cluster: its state and, when read, the CIB's facts.
pub type Reading = (ClusterState, Option<CibFacts>);

pub struct CleanupOptions<'a> {
    /// Only this resource (a primitive, or a group or clone standing for its members).
    pub resource: Option<&'a str>,
    /// Only on this node.
    pub node: Option<&'a str>,
    /// Clear although the cause is still visible.
    pub force: bool,
    /// Read the cluster (live, or a saved file: then the run must be a dry run).
    pub observe: &'a dyn Fn() -> Result<Reading>,
    /// Resolve resource names from the ids present in the cluster.
    pub names: &'a dyn Fn(&[&str]) -> Names,
}

/// What the run found, for the `result` event (filled as the steps go, so a refusal or a
/// failure still carries it).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub targets: Vec<Target>,
    pub blockers: Vec<Blocker>,
    /// Still present after the cleanup.
    pub remaining: Vec<Target>,
    /// What still showed a cause at the last re-read (the cluster had not settled).
    pub unsettled: Vec<Blocker>,
}

/// ` for RESOURCE on NODE`, or nothing without a filter.
fn filter_text(o: &CleanupOptions) -> String {
    let what = match (o.resource, o.node) {
        (Some(r), Some(n)) => format!("{r} on {n}"),
        (Some(r), None) => r.to_string(),
        (None, Some(n)) => n.to_string(),
        (None, None) => return String::new(),
    };
    t!(m::FILTER, what = what)
}

/// `R on N  fail-count C  failed: OPS`, as the plan lists a target.
pub fn target_text(t: &Target) -> String {
    let mut s = t!(m::TARGET, rsc = t.resource, node = t.node);
    if let Some(c) = t.fail_count {
        let c = if c == u32::MAX {
            "INFINITY".to_string()
        } else {
            c.to_string()
        };
        s.push_str(&t!(m::TARGET_FAIL_COUNT, count = c));
    }
    if !t.failed_ops.is_empty() {
        s.push_str(&t!(m::TARGET_FAILED_OPS, ops = t.failed_ops.join(", ")));
    }
    s
}

/// Run the cleanup; `report` holds what was found even when this returns an error.
pub fn cleanup(ctx: &OpContext, o: &CleanupOptions, report: &mut Report) -> Result<String> {
    let mut run = Run::new(ctx, "cleanup")?;
    run.set_arguments(serde_json::json!(super::resume::CleanupArguments::of(o)));
    run.next = t!(m::NEXT);
    let filter = filter_text(o);

    let (plan, names) = run.check(t!(m::STEP_READ), |cx| {
        let (state, cib) = (o.observe)()?;
        let names = (o.names)(&state.resource_ids());
        let plan = super::plan(&state, &names, cib.as_ref(), o.resource, o.node)?;
        if !plan.targets.is_empty() {
            cx.rep().message(Level::Info, &t!(m::PLAN));
            for t in &plan.targets {
                cx.rep()
                    .message(Level::Info, &format!("  {}", target_text(t)));
            }
        }
        Ok(Done::ok((plan, names)))
    })?;
    report.targets = plan.targets.clone();
    report.blockers = plan.blockers.clone();
    if plan.targets.is_empty() {
        let msg = t!(m::NOTHING, filter = filter);
        run.ended(&msg);
        return Ok(msg);
    }

    run.check(t!(m::STEP_CHECK), |cx| {
        if plan.blockers.is_empty() {
            return Ok(Done::ok(()));
        }
        // One warning with its list: the causes belong with it, on its stream.
        let mut warning = t!(m::BLOCKERS);
        for b in &plan.blockers {
            warning.push_str(&format!("\n  {}", b.message));
        }
        cx.rep().message(Level::Warn, &warning);
        if !o.force {
            return Err(Error::refused(t!(m::REFUSED), Some(t!(m::REFUSED_HINT))));
        }
        cx.rep().message(Level::Warn, &t!(m::FORCED));
        Ok(Done::skip((), "--force"))
    })?;

    if let Err(e) = ctx.confirm(&t!(m::CONFIRM)) {
        return Err(run.abort(e));
    }

    for target in &plan.targets {
        let title = t!(m::STEP_CLEAR, rsc = target.resource, node = target.node);
        let cmd = super::command(&ctx.tools, target);
        run.change(title, t!(m::WOULD_RUN, cmd = cmd), |cx| {
            cx.rep().detail(cx.step, &cmd.to_string());
            cx.ctx.local.run(&cmd, &crate::node::RunAs::Root)?;
            Ok(Done::ok(()))
        })?;
    }

    // Forced past a visible cause: that the cause is still there is no surprise.
    let forced = !plan.blockers.is_empty();
    let verified = run.act(t!(m::STEP_VERIFY), t!(m::WOULD_REREAD), |cx| {
        let start = Instant::now();
        let mut tries = 0;
        loop {
            let (remaining, unsettled) = reread(o, &names, &plan)?;
            tries += 1;
            // Settled: the resources run where they should again after Pacemaker's re-probe.
            let settled = remaining.is_empty() && (unsettled.is_empty() || forced);
            if settled || tries >= VERIFY_TRIES {
                let outcome = if settled { Outcome::Ok } else { Outcome::Ng };
                return Ok(Done {
                    value: (remaining, unsettled),
                    outcome,
                    detail: None,
                });
            }
            let pending: Vec<String> = if remaining.is_empty() {
                unsettled.iter().map(|b| b.message.clone()).collect()
            } else {
                remaining.iter().map(target_text).collect()
            };
            cx.rep().waiting(
                cx.step,
                &pending.join("; "),
                start.elapsed(),
                VERIFY_PAUSE * VERIFY_TRIES,
            );
            sleep_interruptible(cx, VERIFY_PAUSE)?;
        }
    })?;
    let Some((remaining, unsettled)) = verified else {
        // A dry run: nothing was cleared, so there is nothing to re-read.
        run.completed();
        return Ok(t!(m::DRY_RUN));
    };
    report.remaining = remaining.clone();
    report.unsettled = unsettled.clone();
    if !remaining.is_empty() {
        let what: Vec<String> = remaining.iter().map(target_text).collect();
        let e = Error::other(
            t!(m::REMAINING, what = what.join("; ")),
            Some(t!(m::DIAGNOSE_HINT)),
        );
        return Err(run.abort(e));
    }
    if !unsettled.is_empty() {
        let what: Vec<&str> = unsettled.iter().map(|b| b.message.as_str()).collect();
        let msg = t!(m::UNSETTLED, what = what.join("; "));
        if !forced {
            return Err(run.abort(Error::other(msg, Some(t!(m::DIAGNOSE_HINT)))));
        }
        run.ended(&msg);
        return Ok(msg);
    }
    Ok(run.done(t!(m::DONE, filter = filter)))
}

/// One re-read: the planned targets still present, and what still shows a cause for them.
fn reread(o: &CleanupOptions, names: &Names, plan: &Plan) -> Result<(Vec<Target>, Vec<Blocker>)> {
    let (state, cib) = (o.observe)()?;
    let again = super::plan(&state, names, cib.as_ref(), o.resource, o.node)?;
    let remaining = again
        .targets
        .into_iter()
        .filter(|t| {
            plan.targets
                .iter()
                .any(|x| x.resource == t.resource && x.node == t.node)
        })
        .collect();
    let unsettled = super::blockers(&state, names, cib.as_ref(), &plan.targets);
    Ok((remaining, unsettled))
}

#[cfg(test)]
#[path = "steps_tests.rs"]
mod tests;
