//! `pgrex standby-start` (spec §3.2): bring this node into the cluster as the synchronous
//! standby of the primary on the peer — as it is (`n`), after `pg_rewind` (`r`), or from a
//! new base backup (`b`) — then wait until it really is `HS:sync` / `STREAMING|SYNC` with
//! the standby VIP. Checks first ([`facts`] → [`decide`]), then the changing steps ([`act`]).

pub mod act;
pub mod archive_check;
pub mod decide;
pub mod facts;
pub mod verify;
mod why;

use super::cluster;
use super::pg::PgParams;
use super::wait::{Poll, Wait};
use super::{Ctx, Done, Run};
use crate::config::Timeouts;
use crate::msg::standby as m;
use crate::node::{LocalNode, Node};
use crate::pacemaker::Role;
use crate::profile::Names;
use crate::report::{Choice, Level, Outcome};
use crate::{t, Error, Result};
use decide::{Decision, Facts, Method, Request};
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

pub const COROSYNC_CONF: &str = "/etc/corosync/corosync.conf";

pub fn standby_start(ctx: &Ctx, o: &StandbyOptions) -> Result<(String, StandbyResult)> {
    let local = LocalNode::new();
    let me = cluster::hostname();
    let mut run = Run::new(ctx, "standby-start", &me)?;
    run.next = t!(m::NEXT);
    let mut req = o.request;
    req.check_all = o.check_only || req.interactive();
    let mut result = StandbyResult {
        method: None,
        decision: None,
        lock_removed: false,
    };

    run.step(t!(m::STEP_STOPPED), false, |_| {
        if cluster::stack_running(&local, &ctx.tools)? {
            return Err(Error::refused(
                t!(m::STACK_RUNNING, node = me),
                Some(t!(m::STACK_RUNNING_HINT)),
            ));
        }
        if local.stat(std::path::Path::new(COROSYNC_CONF))?.is_none() {
            return Err(Error::refused(
                t!(m::NO_COROSYNC_CONF, path = COROSYNC_CONF),
                Some(t!(m::NO_COROSYNC_CONF_HINT)),
            ));
        }
        Ok(Done::ok(()))
    })?;

    let peer = run.step(t!(m::STEP_CONNECT, addr = o.peer_addr), false, |_| {
        Ok(Done::ok((o.connect)()?))
    })?;
    let peer: &dyn Node = peer.as_ref();

    let (names, params, my_status, peer_name) =
        run.step(t!(m::STEP_PRIMARY_RUNS), false, |_| {
            let st = cluster::crm_mon(peer, &ctx.tools)?;
            let names = (o.names)(&st.as_ref().map(|s| s.resource_ids()).unwrap_or_default());
            let primary = st.as_ref().and_then(|s| cluster::primary_node(s, &names));
            let Some(primary) = primary.filter(|p| *p != me) else {
                return Err(Error::refused(
                    t!(m::NO_PRIMARY_ON_PEER, addr = o.peer_addr),
                    Some(t!(m::NO_PRIMARY_ON_PEER_HINT)),
                ));
            };
            let cib = cluster::cib_live(peer, &ctx.tools)?.ok_or_else(|| {
                Error::other(t!(m::PEER_CIB_UNREADABLE, addr = o.peer_addr), None)
            })?;
            let params = PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref());
            let my_status = cib
                .persistent(&me, &names.data_status_attr())
                .map(str::to_string);
            Ok(Done {
                detail: Some(primary.clone()),
                outcome: Outcome::Ok,
                value: (names, params, my_status, primary),
            })
        })?;

    let (lock, lock_stat) = run.step(t!(m::STEP_LOCK), false, |_| {
        super::in_use::refuse_if_in_use(&params.pgdata)?;
        let (lock, st) = facts::lock(&local, &params, my_status.as_deref())?;
        if let Some(st) = &st {
            ctx.reporter.message(
                Level::Warn,
                &t!(
                    m::LOCK_EVIDENCE,
                    path = params.lock_file().display(),
                    mtime = humantime::format_rfc3339_seconds(
                        std::time::UNIX_EPOCH
                            + std::time::Duration::from_secs(st.mtime.max(0) as u64)
                    ),
                    status = my_status.as_deref().unwrap_or("-")
                ),
            );
            return Ok(Done {
                value: (lock, true),
                outcome: Outcome::Ok,
                detail: Some(t!(m::LOCK_PRESENT_DEFERRED)),
            });
        }
        Ok(Done::ok((lock, false)))
    })?;
    let _ = lock_stat;

    let (prim, decision, local_archive) = run.step(t!(m::STEP_DATA), false, |_| {
        let prim = facts::primary(peer, &params, &o.archive_dir)?;
        let peer_facts = prim.peer_facts();
        let local_db = facts::local(&local, &params, prim.pg.major_version())?;
        let entries = facts::archive(&local, &o.archive_dir)?;
        let mut archive = facts::archive_facts(
            &local,
            &o.archive_dir,
            &entries,
            &peer_facts,
            prim.ctl.wal_segment_size,
        )?;
        if let Some((l, _)) = &local_db {
            (archive.lost_segments, archive.newest_archived) =
                facts::lost_segments(&local, &params, &entries, &prim, l.latest_lsn)?;
        }
        let f = Facts {
            local: local_db.map(|(l, _)| l),
            peer: peer_facts,
            archive,
            lock: lock.clone(),
        };
        let d = decide::decide(&f, &req);
        for mth in [Method::Normal, Method::Rewind, Method::BaseBackup] {
            let line = match d.verdict(mth) {
                None => t!(m::METHOD_NOT_EVALUATED, method = why::method_name(mth)),
                Some(w) if w.is_empty() => t!(m::METHOD_POSSIBLE, method = why::method_name(mth)),
                Some(w) => t!(
                    m::METHOD_IMPOSSIBLE,
                    method = why::method_name(mth),
                    why = w.iter().map(why::text).collect::<Vec<_>>().join("; ")
                ),
            };
            ctx.reporter.message(Level::Info, &line);
        }
        Ok(Done::ok((prim, d, entries)))
    })?;
    result.decision = Some(decision.clone());

    // Which method.
    let offered = decision.offered();
    if o.check_only {
        let list = offered
            .iter()
            .map(|m| why::method_name(*m))
            .collect::<Vec<_>>()
            .join(", ");
        run.ended("check only");
        if offered.is_empty() {
            return Err(Error::refused(
                t!(m::NO_METHOD),
                Some(t!(m::NO_METHOD_HINT)),
            ));
        }
        return Ok((t!(m::CHECK_ONLY_RESULT, methods = list), result));
    }
    let method = if req.interactive() {
        if offered.is_empty() {
            return Err(run.abort(Error::refused(
                t!(m::NO_METHOD),
                Some(t!(m::NO_METHOD_HINT)),
            )));
        }
        let choices: Vec<Choice> = offered
            .iter()
            .map(|mth| Choice {
                key: mth.key(),
                text: why::method_choice(*mth),
            })
            .collect();
        match ctx.reporter.choose(&t!(m::MENU_QUESTION), &choices) {
            None => {
                return Err(run.abort(Error::refused(
                    t!(m::MENU_NEEDS_TERMINAL),
                    Some(t!(m::MENU_NEEDS_TERMINAL_HINT)),
                )))
            }
            Some('q') => {
                return Err(run.abort(Error::Declined {
                    message: t!(m::QUIT),
                }))
            }
            Some(c) => Method::from_key(c).ok_or_else(|| Error::other(t!(m::QUIT), None))?,
        }
    } else {
        match decision.chosen {
            Some(mth) => {
                // A flag chose it: still show the plan and confirm the destructive ones.
                ctx.reporter
                    .message(Level::Info, &t!(m::CHOSEN, method = why::method_name(mth)));
                if mth != Method::Normal {
                    ctx.confirm(&t!(
                        m::CONFIRM_METHOD,
                        method = why::method_name(mth),
                        node = me
                    ))
                    .map_err(|e| run.abort(e))?;
                }
                mth
            }
            None => {
                return Err(run.abort(Error::refused(
                    t!(m::NO_METHOD),
                    Some(t!(m::NO_METHOD_HINT)),
                )));
            }
        }
    };
    result.method = Some(method);
    let lock_reason = lock.present.then(|| match method {
        Method::Rewind => t!(m::LOCK_SAFE_REWIND),
        Method::BaseBackup => t!(m::LOCK_SAFE_BASEBACKUP),
        Method::Normal => t!(
            m::LOCK_SAFE_NORMAL,
            status = lock.my_data_status.as_deref().unwrap_or("-"),
            fork = decision.fork.map(|l| l.to_string()).unwrap_or("-".into())
        ),
    });
    if let Some(r) = &lock_reason {
        ctx.reporter.message(Level::Info, r);
    }

    run.step(t!(m::STEP_IC), false, |_| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
        }
        act::ping_ic(&local, &o.peer_ic)?;
        Ok(Done::ok(()))
    })?;

    run.next = t!(m::NEXT_AFTER_CHANGE);
    match method {
        Method::Normal => run.step(t!(m::STEP_NORMAL), false, |_| {
            Ok(Done::skip((), t!(m::AS_IT_IS)))
        })?,
        Method::Rewind => run.step(t!(m::STEP_REWIND), true, |cx| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
            }
            act::rewind(cx, &local, peer, &params, &prim, &o.peer_addr)?;
            Ok(Done::ok(()))
        })?,
        Method::BaseBackup => run.step(t!(m::STEP_BASEBACKUP), true, |cx| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
            }
            act::basebackup(cx, &local, &params, &prim, &o.peer_addr)?;
            Ok(Done::ok(()))
        })?,
    }

    if let Some(reason) = lock_reason {
        run.step(t!(m::STEP_REMOVE_LOCK), true, |_| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
            }
            local.remove_file(&params.lock_file())?;
            Ok(Done {
                value: (),
                outcome: Outcome::Ok,
                detail: Some(reason),
            })
        })?;
        result.lock_removed = !ctx.dry_run;
    }

    run.step(t!(m::STEP_ARCHIVE), true, |cx| {
        if o.request.shared_archive {
            return Ok(Done::skip((), t!(m::SHARED_ARCHIVE)));
        }
        if ctx.dry_run {
            return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
        }
        let n = act::sync_archive(cx, peer, &local, &o.archive_dir, &prim, &local_archive)?;
        Ok(Done {
            value: (),
            outcome: Outcome::Ok,
            detail: Some(t!(m::ARCHIVE_COPIED, count = n)),
        })
    })?;

    // Informational only: a failure to read it leaves the title without the number.
    let start_title = match facts::wal_to_restore(&local, &params, &o.archive_dir) {
        Ok(Some(n)) => t!(m::STEP_START_COUNT, count = n),
        _ => t!(m::STEP_START),
    };
    run.step(start_title, true, |_| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
        }
        act::remove_signal_files(&local, &params)?;
        local.run(
            &cluster::systemctl(&local, &ctx.tools)
                .args(["start", "pacemaker"])
                .timeout(o.timeouts.start),
            &crate::node::RunAs::Root,
        )?;
        Ok(Done::ok(()))
    })?;

    run.next = t!(m::NEXT_AFTER_START);
    run.step(t!(m::STEP_WAIT), false, |cx| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(crate::msg::ops::SKIP_DRY_RUN)));
        }
        Wait {
            delay: o.timeouts.monitor_delay,
            interval: o.timeouts.monitor_interval,
            timeout: o.timeouts.start,
        }
        .run(cx, || {
            standby_ready(&local, ctx, &names, &me, o.standby_vip)
        })?;
        Ok(Done::ok(()))
    })?;
    run.done();
    let msg = t!(m::STARTED, node = me, primary = peer_name);
    Ok((
        if ctx.dry_run {
            t!(crate::msg::ops::DRY_RUN_DONE, what = msg)
        } else {
            msg
        },
        result,
    ))
}

/// One look at "is this node a synchronous standby yet" (spec §3.2 step 21).
fn standby_ready(local: &dyn Node, ctx: &Ctx, names: &Names, me: &str, vip: bool) -> Result<Poll> {
    let Some(st) = cluster::crm_mon(local, &ctx.tools)? else {
        return Ok(Poll::Pending("Pacemaker".into()));
    };
    if !st.node(me).is_some_and(|n| n.online) {
        return Ok(Poll::Pending("Pacemaker".into()));
    }
    if let Some(f) = cluster::pg_failure(&st, names, me) {
        return Err(Error::other(
            t!(m::FAILED_ACTION, failure = f),
            Some(t!(m::FAILED_ACTION_HINT)),
        ));
    }
    if let Some(p) = cluster::monitors_pending(&st, names, me) {
        return Ok(Poll::Pending(p));
    }
    if !cluster::is_sync_standby(&st, names, me) {
        let role = cluster::pg_role(&st, names, me).unwrap_or(Role::Stopped);
        return Ok(Poll::Pending(t!(
            m::PENDING_SYNC,
            role = role.as_str(),
            status = cluster::attr(&st, me, &names.status_attr()).unwrap_or("-"),
            data = cluster::attr(&st, me, &names.data_status_attr()).unwrap_or("-")
        )));
    }
    if vip {
        if let Some(id) = &names.vip_standby {
            if st.find(id).is_some() && !st.running_on(id).contains(&me) {
                return Ok(Poll::Pending(id.clone()));
            }
        }
    }
    Ok(Poll::Ready)
}
