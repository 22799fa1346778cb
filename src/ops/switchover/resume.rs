//! `pgrex resume` and `pgrex abort` of an unfinished switchover (CONTRACTS "Operations:
//! journal, resume, abort"): the journal gives the roles it set out to swap; the cluster is
//! read again and the run continues from where the facts say it stands, never by replaying
//! steps. First, always, any ban left is removed and a primary is waited for (a primary
//! stopped before the ban fails over by itself). Then:
//!
//! - the old primary is still the primary: nothing moved. `resume` runs the switchover
//!   again (every check, the question); `abort` stops there (the safe state).
//! - the new primary is the primary: the old one is brought back as its synchronous standby
//!   (the LSN proof, else pg_rewind; never a base backup) — for `abort` too, since its safe
//!   state is "the ban removed and both nodes running, whichever is primary".
//! - neither: refused (exit 3), naming what `pgrex status` shows.

use super::connect_peer;
use super::{act, plan::Roles, rejoin, Checked, SwitchoverOptions, SwitchoverResult};
use crate::msg::switchover as m;
use crate::node::{Node, RunAs};
use crate::ops::cluster;
use crate::ops::pg::PgParams;
use crate::ops::wait::{Poll, Wait};
use crate::ops::{Done, OpContext, Run, StepCx};
use crate::pacemaker::ClusterState;
use crate::pacemaker::Role;
use crate::{t, Error, Result};
use std::time::Duration;

pub use crate::ops::resume::Mode;

/// Continue (or abort) the switchover `roles` describes.
pub fn continue_switchover(
    ctx: &OpContext,
    o: &SwitchoverOptions,
    roles: &Roles,
    mode: Mode,
    out: &mut SwitchoverResult,
) -> Result<String> {
    let mut run = Run::new(ctx, &mode.journal_name("switchover"))?;
    run.set_arguments(serde_json::json!({ "old": roles.old, "new": roles.new }));
    run.next = t!(m::NEXT_REJOIN, old = roles.old);
    out.roles = Some(roles.clone());
    // Abort needs the peer only to bring the old primary back: powered off, fenced or
    // unreachable, the ban is still removed and this node's side made safe.
    let peer = match mode {
        Mode::Resume => Some(connect_peer(&mut run, o)?),
        Mode::Abort => run.check(t!(m::STEP_CONNECT, addr = o.peer_addr), |_| {
            Ok(match (o.connect)() {
                Ok(n) => Done::ok(Some(n)),
                Err(e) => Done::skip(None, t!(m::ABORT_NO_PEER, error = e.chain_text())),
            })
        })?,
    };
    let peer: Option<&dyn Node> = peer.as_deref();
    let (old, new) = (roles.old.as_str(), roles.new.as_str());
    let st = cluster::crm_mon(ctx.local, &ctx.tools)?
        .ok_or_else(|| Error::refused(t!(m::RESUME_UNOBSERVED), None))?;
    let names = (o.names)(&st.resource_ids());
    let clear = act::clear_command(ctx.local, &ctx.tools, &names.promotable, old);
    crate::ops::resume::confirm(
        &mut run,
        mode,
        &t!(crate::msg::ops::WHAT_SWITCHOVER, old = old),
    )?;
    run.change_always(
        t!(m::STEP_CLEAR, node = old),
        t!(m::WOULD_CLEAR, command = clear),
        |_| {
            ctx.local.run(&clear, &RunAs::Root)?;
            Ok(Done::ok(()))
        },
    )?;
    out.constraint_removed = !ctx.dry_run;
    let cib = cluster::cib_live(ctx.local, &ctx.tools)?
        .ok_or_else(|| Error::refused(t!(m::NO_CIB), None))?;
    let params = PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref());
    crate::ops::pg_values::check_params(&params, None)?;
    let node_of = |n: &str| -> Option<&dyn Node> {
        if n == ctx.me {
            Some(ctx.local)
        } else {
            peer
        }
    };
    restart_stranded(&mut run, o, &names, &params, old, new, node_of(old))?;
    // The old primary counts as the primary only while its PostgreSQL answers: stopped
    // before (or just after) the ban, Pacemaker may not have noticed yet.
    let answers = |n: &str| {
        node_of(n).is_some_and(|node| {
            node.output(
                &params.psql("SELECT 1").timeout(Duration::from_secs(10)),
                &RunAs::postgres(),
            )
            .is_ok_and(|o| o.status.success())
        })
    };
    let primary = run.act(
        t!(m::STEP_WAIT_ANY_PRIMARY),
        t!(m::WOULD_WAIT_ANY_PRIMARY),
        |cx| {
            let mut found = None;
            wait_cluster(cx, o, |st| {
                found = st.and_then(|s| cluster::primary_node(s, &names));
                Ok(match found.as_deref() {
                    Some(p) if p != old || answers(p) => Poll::Ready,
                    _ => Poll::Pending(t!(m::PENDING_ANY_PRIMARY)),
                })
            })?;
            let p = found.unwrap_or_default();
            Ok(Done::noted(p.clone(), t!(m::PRIMARY_IS, node = p)))
        },
    )?;
    let Some(primary) = primary else {
        // A dry run: the rest depends on what the wait would find.
        return Ok(run.done(t!(m::RESUMED_DRY_RUN)));
    };
    let new_lost = || {
        cluster::crm_mon(ctx.local, &ctx.tools)
            .ok()
            .flatten()
            .is_some_and(|st| act::node_lost(&st, new))
    };
    if primary == old {
        run.ended("not moved");
        return match mode {
            Mode::Abort if peer.is_none() || new_lost() => {
                Ok(t!(m::ABORTED_PEER_DOWN, old = old, new = new))
            }
            Mode::Abort => Ok(t!(m::ABORTED_NOT_MOVED, old = old, new = new)),
            Mode::Resume => super::switchover(ctx, o, out),
        };
    }
    if primary != new {
        return Err(run.abort(Error::refused(
            t!(m::RESUME_WHICH, primary = primary, old = old, new = new),
            None,
        )));
    }
    let c = Checked {
        roles: roles.clone(),
        names,
        params: params.clone(),
        immediate_demote: false,
    };
    let (Some(old_node), Some(new_node)) = (node_of(old), node_of(new)) else {
        return Err(run.abort(Error::refused(
            t!(m::PEER_UNREACHABLE, addr = o.peer_addr),
            Some(t!(m::ABORT_NO_PEER_HINT, old = old)),
        )));
    };
    let sides = rejoin::Sides {
        c: &c,
        old: old_node,
        new: new_node,
    };
    // Pacemaker may start the old primary as a standby by itself (the agent removes
    // PGSQL.lock when it stops a primary with no standby left): wait until it is either
    // stopped cleanly (then the proof decides) or running as a standby (then only the wait
    // for HS:sync remains) — never judge it half-way through its start.
    let old_runs = run
        .act(
            t!(m::STEP_OLD_SETTLED, node = old),
            t!(m::WOULD_OLD_SETTLED, node = old),
            |cx| {
                let mut runs = false;
                wait_cluster(cx, o, |st| {
                    let role = st.and_then(|s| cluster::pg_role(s, &c.names, old));
                    // Unpromoted in crm_mon is also a failed start being recovered (the
                    // agent refused it for PGSQL.lock): only a server in recovery runs.
                    let in_recovery = role == Some(Role::Unpromoted)
                        && old_node
                            .output(
                                &c.params
                                    .psql("SELECT pg_is_in_recovery()")
                                    .timeout(Duration::from_secs(10)),
                                &RunAs::postgres(),
                            )
                            .is_ok_and(|o| o.status.success() && o.stdout.trim() == "t");
                    let shut_down = !in_recovery
                        && super::facts::controldata(old_node, &c.params)?
                            .cluster_state
                            .is_shut_down();
                    Ok(match old_settled(role, in_recovery, shut_down) {
                        Some(r) => {
                            runs = r;
                            Poll::Ready
                        }
                        None => Poll::Pending(t!(m::PENDING_OLD_SETTLED, node = old)),
                    })
                })?;
                let note = if runs {
                    t!(m::OLD_RUNS_STANDBY, node = old)
                } else {
                    t!(m::OLD_STOPPED, node = old)
                };
                Ok(Done::noted(runs, note))
            },
        )?
        .unwrap_or(false);
    if old_runs {
        rejoin::start_standby(&mut run, o, &sides)?;
    } else {
        rejoin::rejoin(&mut run, o, &sides, out)?;
    }
    let msg = match mode {
        Mode::Resume => t!(m::SWITCHED, new = new, old = old),
        Mode::Abort => t!(m::ABORTED_MOVED, new = new, old = old),
    };
    Ok(run.done(msg))
}

/// The other node left the cluster after the old primary's PostgreSQL was stopped (before
/// the ban, `stop_escalate=0`): nothing will start it again by itself. Its data is still
/// the newest (`LATEST`; the new node never became the primary), so its PGSQL.lock is
/// removed, saying why, and its fail-count cleared: Pacemaker promotes it again.
fn restart_stranded(
    run: &mut Run,
    o: &SwitchoverOptions,
    names: &crate::profile::Names,
    params: &PgParams,
    old: &str,
    new: &str,
    old_node: Option<&dyn Node>,
) -> Result<()> {
    let ctx = run.ctx;
    // Only when the other node has left the cluster (the usual case goes on to the wait
    // for a primary at once, without a step of its own).
    let lost = cluster::crm_mon(ctx.local, &ctx.tools)?.is_some_and(|st| act::node_lost(&st, new));
    if !lost {
        return Ok(());
    }
    // Right after the other node is lost, Pacemaker is still fencing it and recording the
    // old primary's failure: wait until a primary shows or the old one is plainly stranded.
    let stranded = run.act(
        t!(m::STEP_WAIT_AFTER_LOSS, node = new),
        t!(m::WOULD_WAIT_AFTER_LOSS, node = new, old = old),
        |cx| {
            let mut stranded = false;
            wait_cluster(cx, o, |st| {
                let Some(st) = st else {
                    return Ok(Poll::Pending(t!(m::PENDING_CRM_MON)));
                };
                if cluster::primary_node(st, names).is_some() || !act::node_lost(st, new) {
                    return Ok(Poll::Ready);
                }
                stranded = act::old_primary_stranded(st, names, old, new);
                Ok(if stranded {
                    Poll::Ready
                } else {
                    Poll::Pending(t!(m::PENDING_ANY_PRIMARY))
                })
            })?;
            Ok(Done::ok(stranded))
        },
    )?;
    if stranded != Some(true) {
        return Ok(());
    }
    let Some(node) = old_node else {
        return Err(run.abort(Error::refused(
            t!(m::PEER_UNREACHABLE, addr = o.peer_addr),
            Some(t!(m::ABORT_NO_PEER_HINT, old = old)),
        )));
    };
    let lock = params.lock_file();
    let cleanup = act::cleanup_command(ctx.local, &ctx.tools, &names.primitive, old);
    run.change(
        t!(m::STEP_RESTART_OLD, node = old),
        t!(
            m::WOULD_RESTART_OLD,
            path = lock.display(),
            command = cleanup
        ),
        |_| {
            node.remove_file(&lock)?;
            ctx.local.run(&cleanup, &RunAs::Root)?;
            Ok(Done::noted(
                (),
                t!(m::RESTART_OLD_WHY, old = old, new = new),
            ))
        },
    )?;
    Ok(())
}

/// The waits of a resume/abort: the cluster as this node's crm_mon shows it (`None` when
/// it shows nothing) every 500 ms until `ready` says so, at most `SWITCHOVER_TIMEOUT`.
fn wait_cluster(
    cx: &StepCx,
    o: &SwitchoverOptions,
    mut ready: impl FnMut(Option<&ClusterState>) -> Result<Poll>,
) -> Result<()> {
    let ctx = cx.ctx;
    Wait {
        delay: Duration::ZERO,
        interval: Duration::from_millis(500),
        timeout: o.timeouts.switchover,
    }
    .run(cx, || {
        let st = cluster::crm_mon(ctx.local, &ctx.tools)?;
        ready(st.as_ref())
    })
}

/// How the old primary stands after the move: `Some(true)` it runs as a standby (Pacemaker
/// shows it Unpromoted and its server is in recovery), `Some(false)` it is stopped cleanly
/// (shut down, not running in Pacemaker: the proof decides how it returns), `None` not
/// settled yet — among them Unpromoted without a server in recovery, which is what a failed
/// start (refused for PGSQL.lock) looks like while Pacemaker recovers it.
pub(super) fn old_settled(role: Option<Role>, in_recovery: bool, shut_down: bool) -> Option<bool> {
    match role {
        Some(Role::Unpromoted) if in_recovery => Some(true),
        None | Some(Role::Stopped) if shut_down => Some(false),
        _ => None,
    }
}
