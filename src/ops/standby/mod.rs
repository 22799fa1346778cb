//! `pgrex standby-start` (spec §3.2): bring this node into the cluster as the synchronous
//! standby of the primary on the peer — as it is (`n`), after `pg_rewind` (`r`), or from a
//! new base backup (`b`) — then wait until it really is `HS:sync` / `STREAMING|SYNC` with
//! the standby VIP. Checks first ([`checks`]: [`facts`] → the pure [`decide`]), then the
//! operator's or the flag's method, then the changes ([`plan`] → [`act`]), which
//! [`crate::ops::Run`] describes instead of running in a dry run.

pub mod act;
pub mod archive_check;
mod checks;
pub mod decide;
pub mod facts;
pub mod plan;
pub mod resume;
pub mod signals;
pub mod source;
pub mod verify;
mod why;

use super::wait::Wait;
use super::{Done, OpContext, Run};
use crate::config::Timeouts;
use crate::msg::{ops as om, standby as m};
use crate::node::Node;
use crate::profile::Names;
use crate::report::{Choice, Level, Outcome};
use crate::{t, Error, Result};
use checks::{DataFound, Found};
use decide::{Decision, Method, Request};
use plan::Change;
use std::net::IpAddr;
use std::path::PathBuf;

pub struct StandbyOptions<'a> {
    /// `-n`, `-r`, `-b`, `-s` (check_all is derived).
    pub request: Request,
    pub check_only: bool,
    pub timeouts: Timeouts,
    pub pgpath: Option<PathBuf>,
    pub archive_dir: PathBuf,
    /// The peer's D-LAN address: SSH, pg_rewind's source and the base backup's source.
    pub peer_addr: String,
    /// `REWIND_VIA_SSH_TUNNEL`: how pg_rewind reaches the primary.
    pub rewind_via: crate::config::RewindVia,
    /// The peer's interconnect addresses (one per ring).
    pub peer_ic: Vec<IpAddr>,
    /// `IPADDR_STANDBY = enable`.
    pub standby_vip: bool,
    pub names: &'a dyn Fn(&[&str]) -> Names,
    /// Open the SSH session to the peer.
    pub connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
}

/// What a run did (for the JSON result).
#[derive(Debug, Clone, serde::Serialize)]
pub struct StandbyResult {
    pub method: Option<Method>,
    pub decision: Option<Decision>,
    pub lock_removed: bool,
}

pub use crate::snapshot::corosync::COROSYNC_CONF;

pub fn standby_start(ctx: &OpContext, o: &StandbyOptions) -> Result<(String, StandbyResult)> {
    let mut run = Run::new(ctx, "standby-start")?;
    run.next = t!(m::NEXT);
    // A run killed while it replaced the data (PG_VERSION without global/pg_control left
    // behind) is taken over: its archive passed that run's checks.
    let interrupted_basebackup = run
        .take_over_unfinished()
        .is_some_and(|r| r.arguments["method"] == "base_backup");
    let mut req = o.request;
    req.check_all = o.check_only || req.interactive();
    let mut result = StandbyResult {
        method: None,
        decision: None,
        lock_removed: false,
    };

    run.check(t!(m::STEP_STOPPED), |_| checks::stopped(ctx))?;
    let peer = run.check(t!(m::STEP_CONNECT, addr = o.peer_addr), |_| {
        Ok(Done::ok((o.connect)()?))
    })?;
    let peer: &dyn Node = peer.as_ref();
    let found = run.check(t!(m::STEP_PRIMARY_RUNS), |_| {
        checks::primary_runs(ctx, o, peer)
    })?;
    let lock = run.check(t!(m::STEP_LOCK), |_| checks::lock(ctx, &found))?;
    let judged = run.check(t!(m::STEP_DATA), |_| {
        checks::data(ctx, o, peer, &found, &lock, &req, interrupted_basebackup)
    })?;
    result.decision = Some(judged.decision.clone());

    if o.check_only {
        return check_only(run, &judged.decision, result);
    }
    let method = choose(ctx, &mut run, &req, &judged.decision)?;
    result.method = Some(method);
    run.set_arguments(serde_json::json!(resume::StandbyArguments {
        method,
        shared_archive: req.shared_archive,
    }));
    let lock_reason = plan::lock_reason(&lock, method, &judged.decision);
    if let Some(r) = &lock_reason {
        ctx.reporter.message(Level::Info, r);
    }

    let chosen = Chosen {
        o,
        peer,
        found: &found,
        judged: &judged,
        lock_reason,
    };
    for change in plan::changes(method, chosen.lock_reason.is_some()) {
        if let Some(next) = change.next() {
            run.next = t!(next);
        }
        if act_one(&mut run, &chosen, change)? == Some(Change::RemoveLock) {
            result.lock_removed = true;
        }
    }
    let msg = t!(m::STARTED, node = ctx.me, primary = found.primary);
    Ok((run.done(msg), result))
}

/// `--check-only`: the methods possible, or the refusal that none is.
fn check_only(
    run: Run,
    decision: &Decision,
    result: StandbyResult,
) -> Result<(String, StandbyResult)> {
    let offered = decision.offered();
    run.ended("check only");
    if offered.is_empty() {
        return Err(Error::refused(
            t!(m::NO_METHOD),
            Some(t!(m::NO_METHOD_HINT)),
        ));
    }
    let list = offered
        .iter()
        .map(|m| why::method_name(*m))
        .collect::<Vec<_>>()
        .join(", ");
    Ok((t!(m::CHECK_ONLY_RESULT, methods = list), result))
}

/// The method: the operator's pick from the menu, or the flag's (confirmed when it
/// rewinds or replaces the data). A refusal is recorded in the journal.
fn choose(ctx: &OpContext, run: &mut Run, req: &Request, d: &Decision) -> Result<Method> {
    let no_method = || Error::refused(t!(m::NO_METHOD), Some(t!(m::NO_METHOD_HINT)));
    if !req.interactive() {
        let Some(mth) = d.chosen else {
            return Err(run.abort(no_method()));
        };
        // A flag chose it: still show the plan and confirm the destructive ones.
        let name = why::method_name(mth);
        ctx.reporter
            .message(Level::Info, &t!(m::CHOSEN, method = name));
        if mth != Method::Normal {
            ctx.confirm(&t!(m::CONFIRM_METHOD, method = name, node = ctx.me))
                .map_err(|e| run.abort(e))?;
        }
        return Ok(mth);
    }
    let offered = d.offered();
    if offered.is_empty() {
        return Err(run.abort(no_method()));
    }
    let choices: Vec<Choice> = offered
        .iter()
        .map(|mth| Choice {
            key: mth.key(),
            text: why::method_choice(*mth),
        })
        .collect();
    match ctx.reporter.choose(&t!(m::MENU_QUESTION), &choices) {
        None => Err(run.abort(Error::refused(
            t!(m::MENU_NEEDS_TERMINAL),
            Some(t!(m::MENU_NEEDS_TERMINAL_HINT)),
        ))),
        Some('q') => Err(run.abort(Error::Declined {
            message: t!(m::QUIT),
        })),
        Some(c) => Method::from_key(c).ok_or_else(|| Error::other(t!(m::QUIT), None)),
    }
}

/// What the changes need, once the method is chosen.
struct Chosen<'a> {
    o: &'a StandbyOptions<'a>,
    peer: &'a dyn Node,
    found: &'a Found,
    judged: &'a DataFound,
    lock_reason: Option<String>,
}

/// One change as its numbered step; `Some(change)` when it ran (not a dry run).
fn act_one(run: &mut Run, c: &Chosen, change: Change) -> Result<Option<Change>> {
    let ctx = run.ctx;
    let (o, local, params) = (c.o, ctx.local, &c.found.params);
    let pgdata = params.pgdata.display();
    let ran = match change {
        Change::PingInterconnect => {
            let addrs = o.peer_ic.iter().map(|a| a.to_string()).collect::<Vec<_>>();
            let would = t!(m::WOULD_PING_IC, addrs = addrs.join(", "));
            run.act(t!(m::STEP_IC), would, |_| {
                act::ping_ic(local, &o.peer_ic)?;
                Ok(Done::ok(()))
            })?
        }
        Change::KeepData => {
            Some(run.check(t!(m::STEP_NORMAL), |_| Ok(Done::skip((), t!(m::AS_IT_IS))))?)
        }
        Change::Rewind => {
            let would = t!(
                m::WOULD_REWIND_VIA,
                pgdata = pgdata,
                addr = o.peer_addr,
                via = source::via_text(o.rewind_via)
            );
            run.change(t!(m::STEP_REWIND), would, |cx| {
                let (prim, addr) = (&c.judged.prim, &o.peer_addr);
                act::rewind(cx, local, c.peer, params, prim, addr, o.rewind_via)?;
                Ok(Done::ok(()))
            })?
        }
        Change::BaseBackup => {
            let would = t!(m::WOULD_BASEBACKUP, pgdata = pgdata, addr = o.peer_addr);
            run.change(t!(m::STEP_BASEBACKUP), would, |cx| {
                act::basebackup(cx, local, params, &c.judged.prim, &o.peer_addr)?;
                Ok(Done::ok(()))
            })?
        }
        Change::RemoveLock => {
            let lock = params.lock_file();
            let would = t!(om::WOULD_REMOVE, path = lock.display());
            let reason = c.lock_reason.clone();
            run.change(t!(m::STEP_REMOVE_LOCK), would, |_| {
                local.remove_file(&lock)?;
                Ok(Done {
                    value: (),
                    outcome: Outcome::Ok,
                    detail: reason,
                })
            })?
        }
        Change::SyncArchive => {
            let would = t!(m::WOULD_SYNC_ARCHIVE, dir = o.archive_dir.display());
            run.change(t!(m::STEP_ARCHIVE), would, |cx| {
                if o.request.shared_archive {
                    return Ok(Done::skip((), t!(m::SHARED_ARCHIVE)));
                }
                let j = c.judged;
                let n = act::sync_archive(
                    cx,
                    c.peer,
                    local,
                    &o.archive_dir,
                    &j.prim,
                    &j.local_archive,
                )?;
                Ok(Done::noted((), t!(m::ARCHIVE_COPIED, count = n)))
            })?
        }
        Change::StartPacemaker => {
            // Informational only: a failure to read it leaves the title without the number.
            let title = match facts::wal_to_restore(local, params, &o.archive_dir) {
                Ok(Some(n)) => t!(m::STEP_START_COUNT, count = n),
                _ => t!(m::STEP_START),
            };
            run.change(title, t!(om::WOULD_START, pgdata = pgdata), |_| {
                act::start_pacemaker(ctx, params, o.timeouts.start)?;
                Ok(Done::ok(()))
            })?
        }
        Change::WaitStandby => {
            let would = t!(m::WOULD_WAIT, node = ctx.me, primary = c.found.primary);
            run.act(t!(m::STEP_WAIT), would, |cx| {
                Wait {
                    delay: o.timeouts.monitor_delay,
                    interval: o.timeouts.monitor_interval,
                    timeout: o.timeouts.start,
                }
                .run(cx, || {
                    checks::standby_ready(ctx, &c.found.names, o.standby_vip)
                })?;
                Ok(Done::ok(()))
            })?
        }
    };
    Ok(ran.map(|()| change))
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
