//! `pgrex switchover` (spec §3.4, CONTRACTS "Switchover"): swap the primary and the
//! synchronous standby through Pacemaker, from either node, and bring the old primary back
//! as the new primary's synchronous standby without a base backup.
//!
//! Facts ([`facts`]: the one judgement of the cluster, the leftover constraints, the lag,
//! the peer's lock) → the pure [`plan`] (the roles, or every reason to refuse, exit 3) →
//! the move: CHECKPOINT the primary, ban its promoted role (with a lifetime as the safety
//! net), wait for the new primary with its VIPs, and remove the ban on every path
//! ([`crate::ops::Run::change_always`]). Then the pure LSN [`proof`] decides how the old
//! primary returns: as it is (PGSQL.lock removed, saying why) or after pg_rewind; never
//! from a base backup. Steps on the other node run through its [`Node`]; the
//! single-instance lock is held on both nodes. [`window`] reads the write outage from
//! Pacemaker's operation history.

pub mod act;
pub mod facts;
pub mod plan;
pub mod proof;
mod rejoin;
pub mod resume;
pub mod window;

use super::pg::PgParams;
use super::wait::{Poll, Wait};
use super::{Done, OpContext, Run};
use crate::config::Timeouts;
use crate::judge;
use crate::msg::switchover as m;
use crate::node::{Node, RunAs};
use crate::profile::Names;
use crate::report::Level;
use crate::snapshot::Snapshot;
use crate::{t, Error, Result};
use plan::Roles;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct SwitchoverOptions<'a> {
    pub timeouts: Timeouts,
    /// `SWITCHOVER_MAX_LAG`: bytes the standby's replay may be behind the primary's flush.
    pub max_lag: u64,
    pub pgpath: Option<PathBuf>,
    pub archive_dir: PathBuf,
    /// `IPADDR_STANDBY = enable`: the old primary gets the standby VIP back.
    pub standby_vip: bool,
    /// The peer's D-LAN address (SSH; pg_rewind's source when the old primary is here).
    pub peer_addr: String,
    /// `REWIND_VIA_SSH_TUNNEL`: how pg_rewind reaches the new primary.
    pub rewind_via: crate::config::RewindVia,
    /// This node's D-LAN address (pg_rewind's source when the old primary is the peer).
    pub local_addr: String,
    /// The single-instance lock's path (the same on both nodes).
    pub lock_path: PathBuf,
    pub names: &'a dyn Fn(&[&str]) -> Names,
    /// The cluster as `pgrex status` observes it (the snapshot the one judgement reads).
    pub observe: &'a dyn Fn() -> Result<Snapshot>,
    /// Open the SSH session to the peer.
    pub connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
}

/// What a run did (the JSON result), filled in as it goes.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SwitchoverResult {
    /// `old` was the primary, `new` the standby.
    pub roles: Option<Roles>,
    pub proof: Option<proof::Proof>,
    /// How the old primary returned: `as_it_is` (the proof held) or `rewind`.
    pub rejoin: Option<&'static str>,
    pub archive_copied: Option<usize>,
    /// The ban was created and removed again.
    pub constraint_removed: bool,
    /// Seconds from the ban to pgrex seeing the new primary with its VIPs.
    pub move_seconds: Option<f64>,
    /// The write outage from Pacemaker's operation history.
    pub window: Option<window::Window>,
}

/// What the checks established.
struct Checked {
    roles: Roles,
    names: Names,
    params: PgParams,
    /// The pgsql resource's `stop_escalate` is 0: its demote stops PostgreSQL with
    /// `-m immediate` (PG-REX's setting), which leaves no shutdown checkpoint.
    immediate_demote: bool,
}

pub fn switchover(
    ctx: &OpContext,
    o: &SwitchoverOptions,
    out: &mut SwitchoverResult,
) -> Result<String> {
    let mut run = Run::new(ctx, "switchover")?;
    run.next = t!(m::NEXT_REFUSED);
    let peer = connect_peer(&mut run, o)?;
    let peer: &dyn Node = peer.as_ref();
    let c = run.check(t!(m::STEP_CLUSTER), |_| check_cluster(ctx, o))?;
    out.roles = Some(c.roles.clone());
    run.set_arguments(serde_json::json!({ "old": c.roles.old, "new": c.roles.new }));
    let (old, new) = (c.roles.old.as_str(), c.roles.new.as_str());
    let node_of = |name: &str| -> &dyn Node {
        if name == ctx.me {
            ctx.local
        } else {
            peer
        }
    };
    run.check(t!(m::STEP_LAG, node = new), |_| {
        check_lag(node_of(old), node_of(new), &c.params, o.max_lag)
    })?;
    run.check(
        t!(m::STEP_PEER_LOCK, node = peer_name(&c.roles, &ctx.me)),
        |_| match facts::lock_holder(peer, &o.lock_path)? {
            None => Ok(Done::ok(())),
            Some(pid) => Err(Error::refused(
                t!(
                    m::PEER_LOCK_HELD,
                    pid = pid,
                    node = peer.describe(),
                    path = o.lock_path.display()
                ),
                Some(t!(m::PEER_LOCK_HELD_HINT, pid = pid)),
            )),
        },
    )?;
    show_and_ask(ctx, &c.roles).map_err(|e| run.abort(e))?;

    let hold = o.timeouts.switchover * 3 + Duration::from_secs(60);
    let _peer_lock = run.act(
        t!(m::STEP_TAKE_PEER_LOCK, node = peer_name(&c.roles, &ctx.me)),
        t!(m::WOULD_TAKE_PEER_LOCK),
        |_| Ok(Done::ok(act::PeerLock::take(peer, &o.lock_path, hold)?)),
    )?;
    run.act(
        t!(m::STEP_CHECKPOINT, node = old),
        t!(m::WOULD_CHECKPOINT, node = old),
        |_| {
            node_of(old).run(
                &c.params.psql("CHECKPOINT").timeout(o.timeouts.switchover),
                &RunAs::postgres(),
            )?;
            Ok(Done::ok(()))
        },
    )?;
    move_role(&mut run, o, &c, peer, out)?;
    rejoin::rejoin(
        &mut run,
        o,
        &rejoin::Sides {
            c: &c,
            old: node_of(old),
            new: node_of(new),
        },
        out,
    )?;
    let msg = t!(m::SWITCHED, new = new, old = old);
    Ok(run.done(msg))
}

fn peer_name(r: &Roles, me: &str) -> String {
    if r.old == me {
        r.new.clone()
    } else {
        r.old.clone()
    }
}

/// The one judgement of the cluster, the leftover constraints, and the pure plan.
fn check_cluster(ctx: &OpContext, o: &SwitchoverOptions) -> Result<Done<Checked>> {
    let snap = (o.observe)()?;
    let Some(state) = snap.view() else {
        return Err(Error::refused(
            t!(
                m::REFUSE_UNOBSERVED,
                why = snap.cluster.why().unwrap_or("?")
            ),
            Some(t!(m::REFUSE_HINT)),
        ));
    };
    let names = (o.names)(&state.resource_ids());
    let judgement = judge::judge(&snap, &names);
    let constraints = facts::constraints(ctx.local, &ctx.tools)?;
    let facts = plan::Facts {
        state,
        judgement: &judgement,
        names: &names,
        constraints: &constraints,
    };
    let roles = plan::roles(&facts).map_err(|why| {
        Error::refused(
            t!(m::REFUSED, reasons = why.join("\n  - ")),
            Some(t!(m::REFUSE_HINT)),
        )
    })?;
    if roles.old != ctx.me && roles.new != ctx.me {
        return Err(Error::refused(t!(m::NOT_A_MEMBER, node = ctx.me), None));
    }
    let cib = match snap.cib.known() {
        Some(c) => Some(c.clone()),
        None => super::cluster::cib_live(ctx.local, &ctx.tools)?,
    };
    let cib = cib.ok_or_else(|| Error::refused(t!(m::NO_CIB), None))?;
    let params = PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref());
    crate::ops::pg_values::check_params(&params, None)?;
    let immediate_demote = cib.param(&names.primitive, "stop_escalate") == Some("0");
    let note = t!(m::ROLES_NOTE, old = roles.old, new = roles.new);
    Ok(Done::noted(
        Checked {
            roles,
            names,
            params,
            immediate_demote,
        },
        note,
    ))
}

/// The standby's replay within `max` bytes of the primary's flush; the lag is sampled a
/// few times (writes going on make it move), and the refusal says how far behind it was.
fn check_lag(primary: &dyn Node, standby: &dyn Node, p: &PgParams, max: u64) -> Result<Done<u64>> {
    let mut last = (Default::default(), Default::default(), 0);
    for i in 0..10 {
        last = facts::replay_lag(primary, standby, p)?;
        if last.2 <= max {
            return Ok(Done::noted(last.2, t!(m::LAG_NOTE, bytes = last.2)));
        }
        if i < 9 {
            std::thread::sleep(Duration::from_millis(300));
        }
    }
    Err(Error::refused(
        t!(
            m::REFUSE_LAG,
            flush = last.0,
            replay = last.1,
            bytes = last.2,
            max = max
        ),
        Some(t!(m::REFUSE_LAG_HINT)),
    ))
}

/// Show the roles before and after, warn, and ask.
fn show_and_ask(ctx: &OpContext, r: &Roles) -> Result<()> {
    let rep = ctx.reporter;
    rep.message(Level::Info, &t!(m::SHOW_PRIMARY, old = r.old, new = r.new));
    rep.message(Level::Info, &t!(m::SHOW_STANDBY, old = r.old, new = r.new));
    rep.message(Level::Warn, &t!(m::OUTAGE_WARNING));
    ctx.confirm(&t!(m::CONFIRM))
}

/// Ban the promoted role on the old primary, wait for the new one with its VIPs, and
/// remove the ban again — on every path.
fn move_role(
    run: &mut Run,
    o: &SwitchoverOptions,
    c: &Checked,
    peer: &dyn Node,
    out: &mut SwitchoverResult,
) -> Result<()> {
    let ctx = run.ctx;
    let (old, new, names) = (c.roles.old.as_str(), c.roles.new.as_str(), &c.names);
    let lifetime = o.timeouts.switchover * 2 + Duration::from_secs(60);
    let ban = act::ban_command(ctx.local, &ctx.tools, &names.promotable, old, lifetime);
    let clear = act::clear_command(ctx.local, &ctx.tools, &names.promotable, old);
    run.next = t!(m::NEXT_AFTER_MOVE, command = clear, old = old);
    let mut stopped_ms = None;
    if c.immediate_demote {
        let stop = c
            .params
            .program("pg_ctl")
            .arg("-D")
            .arg(&c.params.pgdata)
            .args(["stop", "-m", "fast", "-w", "-t"])
            .arg(o.timeouts.switchover.as_secs().to_string())
            .timeout(o.timeouts.switchover + Duration::from_secs(10));
        let node = if old == ctx.me { ctx.local } else { peer };
        run.change(
            t!(m::STEP_FAST_STOP, node = old),
            t!(m::WOULD_FAST_STOP, command = stop),
            |_| {
                stopped_ms = Some(epoch_ms());
                node.run(&stop, &RunAs::postgres())?;
                Ok(Done::noted((), t!(m::FAST_STOP_NOTE)))
            },
        )?;
    }
    let started = Instant::now();
    let banned = run.change(
        t!(m::STEP_BAN, node = old),
        t!(m::WOULD_BAN, command = ban),
        |_| {
            ctx.local.run(&ban, &RunAs::Root)?;
            Ok(Done::noted(
                (),
                t!(m::BAN_NOTE, seconds = lifetime.as_secs()),
            ))
        },
    )?;
    let moved = run.act(
        t!(m::STEP_WAIT_PRIMARY, node = new),
        t!(m::WOULD_WAIT_PRIMARY, node = new),
        |cx| {
            Wait {
                delay: Duration::ZERO,
                interval: Duration::from_millis(250),
                timeout: o.timeouts.switchover,
            }
            .run(cx, || {
                Ok(match super::cluster::crm_mon(ctx.local, &ctx.tools)? {
                    Some(st) if act::node_lost(&st, new) => {
                        return Err(Error::other(
                            t!(m::PEER_LOST, node = new),
                            Some(t!(m::PEER_LOST_HINT, node = new)),
                        ))
                    }
                    Some(st) => act::new_primary_ready(&st, names, new),
                    None => Poll::Pending(t!(m::PENDING_CRM_MON)),
                })
            })?;
            Ok(Done::ok(started.elapsed()))
        },
    );
    if let Ok(Some(d)) = &moved {
        out.move_seconds = Some(d.as_secs_f64());
        out.window = read_window(ctx, names, old, new, stopped_ms);
    }
    let cleared = if banned.is_some() || ctx.dry_run {
        run.change_always(
            t!(m::STEP_CLEAR, node = old),
            t!(m::WOULD_CLEAR, command = clear),
            |_| {
                ctx.local.run(&clear, &RunAs::Root)?;
                Ok(Done::ok(()))
            },
        )
    } else {
        Ok(None)
    };
    out.constraint_removed = matches!(cleared, Ok(Some(_)));
    moved?;
    cleared?;
    Ok(())
}

fn epoch_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The outage window from the CIB's operation history (informational: `None` when it
/// cannot be read).
fn read_window(
    ctx: &OpContext,
    names: &Names,
    old: &str,
    new: &str,
    stopped_ms: Option<i64>,
) -> Option<window::Window> {
    let cmd = crate::exec::Cmd::new(crate::pacemaker::source::pacemaker_path(
        &ctx.tools, "cibadmin",
    ))
    .args(["-Q", "-o", "status"])
    .env_remove("CIB_file")
    .timeout(Duration::from_secs(30));
    let out = ctx.local.run(&cmd, &RunAs::Root).ok()?;
    window::window(&out.stdout, names, old, new, stopped_ms)
        .ok()
        .flatten()
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

/// The first step of a switchover and of its resume/abort: one SSH session to the peer, or
/// a refusal (exit 3) naming its address, with the connection's error as the cause.
pub(super) fn connect_peer(run: &mut Run, o: &SwitchoverOptions) -> Result<Box<dyn Node>> {
    run.check(t!(m::STEP_CONNECT, addr = o.peer_addr), |_| {
        (o.connect)().map(Done::ok).map_err(|e| {
            Error::refused(
                t!(m::PEER_UNREACHABLE, addr = o.peer_addr),
                Some(t!(m::PEER_UNREACHABLE_HINT)),
            )
            .with_source(e)
        })
    })
}
