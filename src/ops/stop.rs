//! `pgrex stop [-f]` (spec §3.3, Q23): stop Pacemaker (and with it PostgreSQL) on this node.
//!
//! A primary with a synchronous standby fails over when stopped: say so and ask. A primary
//! whose standby cannot be promoted takes the database service down: say that and ask.
//! Unless `--fast`, a CHECKPOINT and `sync` first shorten the shutdown checkpoint.

use super::cluster::{self, pg_role};
use super::pg::PgParams;
use super::wait::{Poll, Wait};
use super::{Ctx, Done, Run};
use crate::config::Timeouts;
use crate::exec::Cmd;
use crate::msg::ops as m;
use crate::node::{LocalNode, Node, RunAs};
use crate::pacemaker::Role;
use crate::profile::Names;
use crate::report::Level;
use crate::{t, Error, Result};
use std::path::PathBuf;

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

pub fn stop(ctx: &Ctx, o: &StopOptions) -> Result<(Stopped, String)> {
    let local = LocalNode::new();
    let me = cluster::hostname();
    let mut run = Run::new(ctx, "stop", &me)?;
    run.next = t!(m::NEXT_STOP);

    let running = run.step(t!(m::STEP_CHECK_RUNNING), false, |_| {
        Ok(Done::ok(cluster::stack_running(&local, &ctx.tools)?))
    })?;
    if !running {
        let msg = t!(m::STOP_ALREADY, node = me);
        run.ended(&msg);
        return Ok((Stopped::AlreadyStopped, msg));
    }

    let (target, params) = run.step(t!(m::STEP_STOP_ROLE), false, |_| {
        let st = cluster::crm_mon(&local, &ctx.tools)?;
        let Some(st) = st else {
            ctx.reporter
                .message(Level::Warn, &t!(m::STOP_ROLE_UNKNOWN, node = me));
            return Ok(Done::ok((Stopped::Pacemaker, None)));
        };
        let names = (o.names)(&st.resource_ids());
        let cib = cluster::cib_live(&local, &ctx.tools).ok().flatten();
        let params = cib.map(|c| PgParams::from_cib(&c, &names.primitive, o.pgpath.as_deref()));
        let role = pg_role(&st, &names, &me);
        let target = match role {
            Some(Role::Promoted) => Stopped::Primary,
            Some(Role::Unpromoted) => Stopped::Standby,
            _ => Stopped::Pacemaker,
        };
        if target == Stopped::Primary {
            let peer = cluster::other_node(&st, &me).unwrap_or_else(|| "-".into());
            if cluster::is_sync_standby(&st, &names, &peer) {
                ctx.reporter.message(
                    Level::Warn,
                    &t!(m::STOP_FAILOVER_FOLLOWS, node = me, peer = peer),
                );
                ctx.reporter
                    .message(Level::Info, &t!(m::STOP_SWITCHOVER_ADVICE));
                ctx.confirm(&t!(m::STOP_CONFIRM_FAILOVER))?;
            } else {
                ctx.reporter.message(
                    Level::Warn,
                    &t!(m::STOP_SERVICE_STOPS, node = me, peer = peer),
                );
                ctx.confirm(&t!(m::STOP_CONFIRM_SERVICE))?;
            }
        }
        let what = match target {
            Stopped::Primary => t!(m::ROLE_PRIMARY),
            Stopped::Standby => t!(m::ROLE_STANDBY),
            _ => t!(m::ROLE_UNKNOWN),
        };
        Ok(Done {
            value: (target, params),
            outcome: crate::report::Outcome::Ok,
            detail: Some(what),
        })
    })?;

    if o.fast {
        run.step(t!(m::STEP_CHECKPOINT), false, |_| {
            Ok(Done::skip((), t!(m::SKIP_FAST)))
        })?;
    } else {
        run.step(t!(m::STEP_CHECKPOINT), false, |_| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(m::SKIP_DRY_RUN)));
            }
            let Some(p) = &params else {
                return Ok(Done::skip((), t!(m::SKIP_NO_PG_PARAMS)));
            };
            if target == Stopped::Pacemaker {
                return Ok(Done::skip((), t!(m::SKIP_PG_NOT_RUNNING)));
            }
            // Errors are ignored as the Perl tool does: the checkpoint only shortens the stop.
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
    }

    run.step(t!(m::STEP_STOP_PACEMAKER), true, |_| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(m::SKIP_DRY_RUN)));
        }
        for unit in ["pacemaker", "corosync"] {
            local
                .run(
                    &cluster::systemctl(&local, &ctx.tools)
                        .args(["stop", unit])
                        .timeout(o.timeouts.stop),
                    &RunAs::Root,
                )
                .map_err(|e| match e {
                    crate::node::NodeError::Exec(crate::exec::ExecError::Timeout { .. }) => {
                        Error::Timeout {
                            message: t!(m::STOP_TIMEOUT, seconds = o.timeouts.stop.as_secs()),
                            hint: Some(t!(m::STOP_TIMEOUT_HINT)),
                        }
                    }
                    other => other.into(),
                })?;
        }
        Ok(Done::ok(()))
    })?;

    run.step(t!(m::STEP_CHECK_STOPPED), false, |cx| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(m::SKIP_DRY_RUN)));
        }
        Wait {
            delay: std::time::Duration::ZERO,
            interval: o.timeouts.monitor_interval,
            timeout: o.timeouts.stop,
        }
        .run(cx, || {
            Ok(if cluster::stack_running(&local, &ctx.tools)? {
                Poll::Pending("Pacemaker/Corosync".into())
            } else {
                Poll::Ready
            })
        })?;
        Ok(Done::ok(()))
    })?;
    run.done();
    let msg = match target {
        Stopped::Primary => t!(m::STOPPED_PRIMARY, node = me),
        Stopped::Standby => t!(m::STOPPED_STANDBY, node = me),
        _ => t!(m::STOPPED_PACEMAKER, node = me),
    };
    let msg = if ctx.dry_run {
        t!(m::DRY_RUN_DONE, what = msg)
    } else {
        msg
    };
    Ok((target, msg))
}
