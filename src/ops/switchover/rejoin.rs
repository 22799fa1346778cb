//! The old primary's return as the new primary's synchronous standby: wait until it has
//! stopped, prove (or fail to prove) that its data is contained in the new primary's, fall
//! back to pg_rewind without the proof (never a base backup: if rewind fails the run stops
//! naming `pgrex standby-start -b`), copy the archive from the new primary, remove
//! PGSQL.lock saying why, let Pacemaker start it (`crm_resource --cleanup` of the failure
//! the move left), wait for `HS:sync`, and clear what the move left behind.

use super::act;
use super::facts;
use super::proof::{self, Proof};
use super::{Checked, SwitchoverOptions, SwitchoverResult};
use crate::msg::switchover as m;
use crate::node::Node;
use crate::ops::cluster;
use crate::ops::wait::{Poll, Wait};
use crate::ops::{Done, Run, StepCx};
use crate::report::Level;
use crate::{t, Error, Result};
use std::time::Duration;

/// The two sides, each through its own Node.
pub(super) struct Sides<'a> {
    pub c: &'a Checked,
    pub old: &'a dyn Node,
    pub new: &'a dyn Node,
}

pub(super) fn rejoin(
    run: &mut Run,
    o: &SwitchoverOptions,
    s: &Sides,
    out: &mut SwitchoverResult,
) -> Result<()> {
    let ctx = run.ctx;
    let (old, new) = (s.c.roles.old.as_str(), s.c.roles.new.as_str());
    let p = &s.c.params;
    run.next = t!(m::NEXT_REJOIN, old = old);
    run.act(
        t!(m::STEP_WAIT_STOPPED, node = old),
        t!(m::WOULD_WAIT_STOPPED, node = old),
        |cx| {
            wait(cx, o, || {
                let ctl = facts::controldata(s.old, p)?;
                Ok(if ctl.cluster_state.is_shut_down() {
                    Poll::Ready
                } else {
                    Poll::Pending(t!(m::PENDING_STOPPED, node = old))
                })
            })?;
            Ok(Done::ok(()))
        },
    )?;
    let pr = run.act(
        t!(m::STEP_PROOF, old = old, new = new),
        t!(m::WOULD_PROVE, old = old),
        |_| {
            let pr = prove(s)?;
            Ok(if pr.proven {
                Done::noted(pr.clone(), pr.summary())
            } else {
                Done {
                    value: pr.clone(),
                    outcome: crate::report::Outcome::Ng,
                    detail: Some(pr.summary()),
                }
            })
        },
    )?;
    out.proof = pr.clone();
    let proven = pr.as_ref().is_none_or(|p| p.proven);
    if !proven {
        let why = pr
            .as_ref()
            .and_then(|p| p.failed.clone())
            .unwrap_or_default();
        ctx.reporter
            .message(Level::Warn, &t!(m::PROOF_FAILED, why = why, old = old));
        rewind(run, o, s)?;
        out.rejoin = Some("rewind");
    } else {
        out.rejoin = Some("as_it_is");
    }
    let seg = facts::controldata(s.old, p)
        .map(|c| c.wal_segment_size.bytes())
        .unwrap_or(16 << 20);
    out.archive_copied = run.change(
        t!(m::STEP_ARCHIVE, new = new, old = old),
        t!(m::WOULD_ARCHIVE, dir = o.archive_dir.display()),
        |cx| {
            let n = act::sync_archive(s.new, s.old, &o.archive_dir, seg, &mut |d, total| {
                cx.rep().progress(cx.step, d, Some(total), "bytes")
            })?;
            Ok(Done::noted(n, t!(m::ARCHIVE_COPIED, count = n)))
        },
    )?;
    let lock = p.lock_file();
    let reason = if proven {
        t!(m::LOCK_REASON_PROOF)
    } else {
        t!(m::LOCK_REASON_REWIND)
    };
    run.change(
        t!(m::STEP_REMOVE_LOCK, node = old),
        t!(crate::msg::ops::WOULD_REMOVE, path = lock.display()),
        |_| {
            s.old.remove_file(&lock)?;
            Ok(Done::noted((), reason.clone()))
        },
    )?;
    start_standby(run, o, s)
}

/// Read the proof's facts and judge them.
fn prove(s: &Sides) -> Result<Proof> {
    let p = &s.c.params;
    let ctl = facts::controldata(s.old, p)?;
    let history = facts::newest_history(s.new, p)?;
    let last = facts::last_record(s.old, p, ctl.checkpoint_tli, ctl.checkpoint_location)?;
    Ok(proof::prove(&proof::Input {
        ctl: &ctl,
        history: history.as_ref().map(|(t, h)| (*t, h)),
        last_record: last,
    }))
}

/// pg_rewind of the old primary onto the new one, on the old primary's node through its
/// Node (this machine, or the peer over SSH), from the new primary's D-LAN address.
fn rewind(run: &mut Run, o: &SwitchoverOptions, s: &Sides) -> Result<()> {
    let old = s.c.roles.old.as_str();
    run.next = t!(m::NEXT_BASEBACKUP, old = old);
    let p = &s.c.params;
    // The source as the old primary reaches it: the peer's address when the old primary is
    // this node, this node's own when it is the peer.
    let source = if s.old.is_local() {
        &o.peer_addr
    } else {
        &o.local_addr
    };
    run.change(
        t!(m::STEP_REWIND, node = old),
        t!(m::WOULD_REWIND, node = old),
        |cx| {
            let prim = crate::ops::standby::facts::primary(s.new, p, &o.archive_dir)?;
            // The tunnel is this machine's: it serves a pg_rewind run here. A remote old
            // primary's pg_rewind connects straight to this node's D-LAN address.
            let via = if s.old.is_local() {
                o.rewind_via
            } else {
                crate::config::RewindVia::Never
            };
            crate::ops::standby::act::rewind(cx, s.old, s.new, p, &prim, source, via)?;
            Ok(Done::ok(()))
        },
    )?;
    Ok(())
}

fn wait(cx: &StepCx, o: &SwitchoverOptions, poll: impl FnMut() -> Result<Poll>) -> Result<()> {
    Wait {
        delay: Duration::ZERO,
        interval: o.timeouts.monitor_interval.min(Duration::from_millis(500)),
        timeout: o.timeouts.switchover,
    }
    .run(cx, poll)
}

/// Let Pacemaker start the old primary as the standby, wait for `HS:sync`, and clear the
/// failure the move left.
pub(super) fn start_standby(run: &mut Run, o: &SwitchoverOptions, s: &Sides) -> Result<()> {
    let ctx = run.ctx;
    let (old, names) = (s.c.roles.old.as_str(), &s.c.names);
    let cleanup = act::cleanup_command(ctx.local, &ctx.tools, &names.primitive, old);
    run.change(
        t!(m::STEP_CLEANUP, node = old),
        t!(m::WOULD_CLEANUP, command = cleanup),
        |_| {
            ctx.local.run(&cleanup, &RunAs::Root)?;
            Ok(Done::ok(()))
        },
    )?;
    run.act(
        t!(m::STEP_WAIT_STANDBY, node = old),
        t!(m::WOULD_WAIT_STANDBY, node = old),
        |cx| {
            wait(cx, o, || {
                Ok(match cluster::crm_mon(ctx.local, &ctx.tools)? {
                    Some(st) => act::old_standby_ready(&st, names, old, o.standby_vip),
                    None => Poll::Pending(t!(m::PENDING_CRM_MON)),
                })
            })?;
            Ok(Done::ok(()))
        },
    )?;
    run.act(
        t!(m::STEP_LEFTOVERS, node = old),
        t!(m::WOULD_LEFTOVERS),
        |_| {
            let st = cluster::crm_mon(ctx.local, &ctx.tools)?;
            let mut cleared = Vec::new();
            for h in st
                .iter()
                .flat_map(|st| st.node_history.iter())
                .filter(|h| h.fail_count > 0 && h.node == old)
            {
                ctx.local.run(
                    &act::cleanup_command(ctx.local, &ctx.tools, &h.resource, old),
                    &RunAs::Root,
                )?;
                cleared.push(h.resource.clone());
            }
            for f in st
                .iter()
                .flat_map(|st| st.failures.iter())
                .filter(|f| f.node == old)
            {
                if !cleared.contains(&f.resource) {
                    ctx.local.run(
                        &act::cleanup_command(ctx.local, &ctx.tools, &f.resource, old),
                        &RunAs::Root,
                    )?;
                    cleared.push(f.resource.clone());
                }
            }
            let left = facts::constraints(ctx.local, &ctx.tools)?;
            if let Some(c) = left.first() {
                return Err(Error::other(
                    t!(m::CONSTRAINT_LEFT, id = c.id),
                    Some(c.clear_command()),
                ));
            }
            Ok(if cleared.is_empty() {
                Done::ok(())
            } else {
                Done::noted((), t!(m::LEFTOVERS_CLEARED, list = cleared.join(", ")))
            })
        },
    )?;
    Ok(())
}

use crate::node::RunAs;
