//! `pgrex stop [-f]` (spec §3.3, Q23): stop Pacemaker (and with it PostgreSQL) on this node.
//!
//! A primary with a synchronous standby fails over when stopped: say so and ask. A primary
//! whose standby cannot be promoted takes the database service down: say that and ask.
//! Unless `--fast`, a CHECKPOINT and `sync` first shorten the shutdown checkpoint.
//! Facts (crm_mon, the CIB) → the pure [`plan`] (what this node is, what stopping it does)
//! → the steps that act.

use super::cluster::{self, pg_role};
use super::pg::PgParams;
use super::wait::{Poll, Wait};
use super::{Done, OpContext, Run};
use crate::config::Timeouts;
use crate::exec::Cmd;
use crate::msg::ops as m;
use crate::node::RunAs;
use crate::pacemaker::{ClusterState, Role};
use crate::profile::Names;
use crate::report::Level;
use crate::{t, Error, Result};
use std::path::PathBuf;

/// What a stop's journal records, so `pgrex resume` runs the same stop again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StopArguments {
    pub fast: bool,
}

pub struct StopOptions<'a> {
    pub fast: bool,
    pub timeouts: Timeouts,
    pub pgpath: Option<PathBuf>,
    /// Resolve resource names from the ids present in the cluster.
    pub names: &'a dyn Fn(&[&str]) -> Names,
}

/// What was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stopped {
    AlreadyStopped,
    Primary,
    Standby,
    /// Pacemaker ran but PostgreSQL's role could not be told.
    Pacemaker,
}

/// What stopping this primary does to the service (to warn and ask about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Consequence {
    /// The peer is a synchronous standby: it takes over.
    Failover { peer: String },
    /// No promotable standby: the database service stops.
    ServiceStops { peer: String },
}

/// The plan of a stop (pure): what this node is and what stopping it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StopPlan {
    pub target: Stopped,
    pub consequence: Option<Consequence>,
}

/// Judge from what crm_mon shows (`None`: it could not be observed here).
pub fn plan(st: Option<&ClusterState>, names: &Names, me: &str) -> StopPlan {
    let Some(st) = st else {
        return StopPlan {
            target: Stopped::Pacemaker,
            consequence: None,
        };
    };
    let target = match pg_role(st, names, me) {
        Some(Role::Promoted) => Stopped::Primary,
        Some(Role::Unpromoted) => Stopped::Standby,
        _ => Stopped::Pacemaker,
    };
    let consequence = (target == Stopped::Primary).then(|| {
        let peer = cluster::other_node(st, me).unwrap_or_else(|| "-".into());
        if cluster::is_sync_standby(st, names, &peer) {
            Consequence::Failover { peer }
        } else {
            Consequence::ServiceStops { peer }
        }
    });
    StopPlan {
        target,
        consequence,
    }
}

pub fn stop(ctx: &OpContext, o: &StopOptions) -> Result<(Stopped, String)> {
    let local = ctx.local;
    let me = ctx.me.as_str();
    let mut run = Run::new(ctx, "stop")?;
    run.set_arguments(serde_json::json!(StopArguments { fast: o.fast }));
    run.next = t!(m::NEXT_STOP);

    let running = run.check(t!(m::STEP_CHECK_RUNNING), |_| {
        Ok(Done::ok(cluster::stack_running(local, &ctx.tools)?))
    })?;
    if !running {
        let msg = t!(m::STOP_ALREADY, node = me);
        run.ended(&msg);
        return Ok((Stopped::AlreadyStopped, msg));
    }

    let (target, params) = run.check(t!(m::STEP_STOP_ROLE), |_| role(ctx, o))?;
    checkpoint(&mut run, o, target, params.as_ref())?;

    stop_stack(&mut run, &o.timeouts)?;
    let msg = match target {
        Stopped::Primary => t!(m::STOPPED_PRIMARY, node = me),
        Stopped::Standby => t!(m::STOPPED_STANDBY, node = me),
        _ => t!(m::STOPPED_PACEMAKER, node = me),
    };
    Ok((target, run.done(msg)))
}

/// The role step: read the cluster here, plan, warn and ask about what the stop does.
fn role(ctx: &OpContext, o: &StopOptions) -> Result<Done<(Stopped, Option<PgParams>)>> {
    let me = ctx.me.as_str();
    let st = cluster::crm_mon(ctx.local, &ctx.tools)?;
    if st.is_none() {
        ctx.reporter
            .message(Level::Warn, &t!(m::STOP_ROLE_UNKNOWN, node = me));
    }
    let names = (o.names)(&st.as_ref().map(|s| s.resource_ids()).unwrap_or_default());
    let params = match &st {
        Some(_) => cluster::cib_live(ctx.local, &ctx.tools)
            .ok()
            .flatten()
            .map(|c| PgParams::from_cib(&c, &names.primitive, o.pgpath.as_deref())),
        None => None,
    };
    let p = plan(st.as_ref(), &names, me);
    match &p.consequence {
        Some(Consequence::Failover { peer }) => {
            ctx.reporter.message(
                Level::Warn,
                &t!(m::STOP_FAILOVER_FOLLOWS, node = me, peer = peer),
            );
            ctx.reporter
                .message(Level::Info, &t!(m::STOP_SWITCHOVER_ADVICE));
            ctx.confirm(&t!(m::STOP_CONFIRM_FAILOVER))?;
        }
        Some(Consequence::ServiceStops { peer }) => {
            ctx.reporter.message(
                Level::Warn,
                &t!(m::STOP_SERVICE_STOPS, node = me, peer = peer),
            );
            ctx.confirm(&t!(m::STOP_CONFIRM_SERVICE))?;
        }
        None => {}
    }
    if st.is_none() {
        return Ok(Done::ok((p.target, params)));
    }
    let what = match p.target {
        Stopped::Primary => t!(m::ROLE_PRIMARY),
        Stopped::Standby => t!(m::ROLE_STANDBY),
        _ => t!(m::ROLE_UNKNOWN),
    };
    Ok(Done::noted((p.target, params), what))
}

/// CHECKPOINT and sync before the stop (errors ignored, as the Perl tool does: it only
/// shortens the shutdown).
fn checkpoint(
    run: &mut Run,
    o: &StopOptions,
    target: Stopped,
    params: Option<&PgParams>,
) -> Result<()> {
    if o.fast {
        return run.check(t!(m::STEP_CHECKPOINT), |_| {
            Ok(Done::skip((), t!(m::SKIP_FAST)))
        });
    }
    run.act(t!(m::STEP_CHECKPOINT), t!(m::WOULD_CHECKPOINT), |cx| {
        let Some(p) = params else {
            return Ok(Done::skip((), t!(m::SKIP_NO_PG_PARAMS)));
        };
        if target == Stopped::Pacemaker {
            return Ok(Done::skip((), t!(m::SKIP_PG_NOT_RUNNING)));
        }
        let local = cx.ctx.local;
        let out = local.output(
            &p.psql("CHECKPOINT").timeout(o.timeouts.stop),
            &RunAs::postgres(),
        )?;
        let _ = local.output(&Cmd::new("sync").timeout(o.timeouts.stop), &RunAs::Root);
        if out.status.success() {
            Ok(Done::ok(()))
        } else {
            Ok(Done::skip(
                (),
                t!(m::CHECKPOINT_FAILED, error = out.stderr.trim()),
            ))
        }
    })?;
    Ok(())
}

/// The two steps that stop this node's stack and wait until it has stopped (also the
/// safe state that `pgrex abort` brings a half-stopped or half-started node to).
pub(crate) fn stop_stack(run: &mut Run, t: &Timeouts) -> Result<()> {
    let ctx = run.ctx;
    run.change(t!(m::STEP_STOP_PACEMAKER), t!(m::WOULD_STOP), |_| {
        stop_units(ctx, t)?;
        Ok(Done::ok(()))
    })?;
    run.act(t!(m::STEP_CHECK_STOPPED), t!(m::WOULD_WAIT_STOPPED), |cx| {
        Wait {
            delay: std::time::Duration::ZERO,
            interval: t.monitor_interval,
            timeout: t.stop,
        }
        .run(cx, || {
            Ok(if cluster::stack_running(ctx.local, &ctx.tools)? {
                Poll::Pending("Pacemaker/Corosync".into())
            } else {
                Poll::Ready
            })
        })?;
        Ok(Done::ok(()))
    })?;
    Ok(())
}

/// `systemctl stop pacemaker`, then corosync; a timeout is exit 5 with the log to read.
fn stop_units(ctx: &OpContext, t: &Timeouts) -> Result<()> {
    let o = t;
    for unit in ["pacemaker", "corosync"] {
        ctx.local
            .run(
                &cluster::systemctl(ctx.local, &ctx.tools)
                    .args(["stop", unit])
                    .timeout(o.stop),
                &RunAs::Root,
            )
            .map_err(|e| match e {
                e @ crate::node::NodeError::Exec(crate::exec::ExecError::Timeout { .. }) => {
                    Error::Timeout {
                        message: t!(m::STOP_TIMEOUT, seconds = o.stop.as_secs()),
                        hint: Some(t!(m::STOP_TIMEOUT_HINT)),
                        source: Some(Box::new(e)),
                    }
                }
                other => other.into(),
            })?;
    }
    Ok(())
}

pub mod resume;

#[cfg(test)]
#[path = "stop_tests.rs"]
mod tests;
