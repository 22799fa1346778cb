//! The check steps of a standby start (spec §3.2 steps 1–12): each reads its facts through
//! the nodes ([`super::facts`]) and refuses before anything changes. The decision over the
//! facts is the pure [`super::decide`]; the one look of the final wait is here too.

use super::decide::{self, Decision, Facts, LockFacts, Method, Request};
use super::facts::{self, Primary};
use super::{why, StandbyOptions, COROSYNC_CONF};
use crate::msg::standby as m;
use crate::node::{DirEntry, Node};
use crate::ops::cluster;
use crate::ops::pg::PgParams;
use crate::ops::wait::Poll;
use crate::ops::{Done, OpContext};
use crate::pacemaker::Role;
use crate::profile::Names;
use crate::report::{Level, Outcome};
use crate::{t, Error, Result};

/// Step 1: Pacemaker and Corosync are stopped here, and a cluster exists to join.
pub fn stopped(ctx: &OpContext) -> Result<Done<()>> {
    if cluster::stack_running(ctx.local, &ctx.tools)? {
        return Err(Error::refused(
            t!(m::STACK_RUNNING, node = ctx.me),
            Some(t!(m::STACK_RUNNING_HINT)),
        ));
    }
    if ctx
        .local
        .stat(std::path::Path::new(COROSYNC_CONF))?
        .is_none()
    {
        return Err(Error::refused(
            t!(m::NO_COROSYNC_CONF, path = COROSYNC_CONF),
            Some(t!(m::NO_COROSYNC_CONF_HINT)),
        ));
    }
    Ok(Done::ok(()))
}

/// What the primary's cluster says about this node.
pub struct Found {
    pub names: Names,
    pub params: PgParams,
    /// This node's persisted `pgsql-data-status`.
    pub my_status: Option<String>,
    pub primary: String,
}

/// Step 3: the primary runs on the peer; its CIB gives the resource's parameters.
pub fn primary_runs(ctx: &OpContext, o: &StandbyOptions, peer: &dyn Node) -> Result<Done<Found>> {
    let st = cluster::crm_mon(peer, &ctx.tools)?;
    let names = (o.names)(&st.as_ref().map(|s| s.resource_ids()).unwrap_or_default());
    let primary = st.as_ref().and_then(|s| cluster::primary_node(s, &names));
    let Some(primary) = primary.filter(|p| *p != ctx.me) else {
        return Err(Error::refused(
            t!(m::NO_PRIMARY_ON_PEER, addr = o.peer_addr),
            Some(t!(m::NO_PRIMARY_ON_PEER_HINT)),
        ));
    };
    let cib = cluster::cib_live(peer, &ctx.tools)?
        .ok_or_else(|| Error::other(t!(m::PEER_CIB_UNREADABLE, addr = o.peer_addr), None))?;
    let params = PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref());
    // Read from the peer's CIB: checked before any of it reaches a command.
    crate::ops::pg_values::check_params(&params, Some(&o.archive_dir))?;
    let my_status = cib
        .persistent(&ctx.me, &names.data_status_attr())
        .map(str::to_string);
    Ok(Done {
        detail: Some(primary.clone()),
        outcome: Outcome::Ok,
        value: Found {
            names,
            params,
            my_status,
            primary,
        },
    })
}

/// Step 4: nothing uses the data directory; a PGSQL.lock is shown with its evidence and
/// judged later, with the method (it is harmless for `r` and `b`).
pub fn lock(ctx: &OpContext, f: &Found) -> Result<Done<LockFacts>> {
    crate::ops::in_use::refuse_if_in_use(ctx.processes, &f.params.pgdata)?;
    let (lock, st) = facts::lock(ctx.local, &f.params, f.my_status.as_deref())?;
    let Some(st) = st else {
        return Ok(Done::ok(lock));
    };
    ctx.reporter.message(
        Level::Warn,
        &t!(
            m::LOCK_EVIDENCE,
            path = f.params.lock_file().display(),
            mtime = humantime::format_rfc3339_seconds(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(st.mtime.max(0) as u64)
            ),
            status = f.my_status.as_deref().unwrap_or("-")
        ),
    );
    Ok(Done::noted(lock, t!(m::LOCK_PRESENT_DEFERRED)))
}

/// What step 5 found: the primary's facts, the decision, this node's archive listing.
pub struct DataFound {
    pub prim: Primary,
    pub decision: Decision,
    pub local_archive: Vec<DirEntry>,
}

/// Step 5: the facts of both databases and archives, the decision, each method's verdict.
pub fn data(
    ctx: &OpContext,
    o: &StandbyOptions,
    peer: &dyn Node,
    f: &Found,
    lock: &LockFacts,
    req: &Request,
    interrupted_basebackup: bool,
) -> Result<Done<DataFound>> {
    let local = ctx.local;
    let prim = facts::primary(peer, &f.params, &o.archive_dir)?;
    let peer_facts = prim.peer_facts();
    let incomplete = facts::incomplete(local, &f.params)?;
    let local_db = if incomplete {
        None
    } else {
        facts::local(local, &f.params, prim.pg.major_version())?
    };
    let entries = facts::archive(local, &o.archive_dir)?;
    let mut archive = facts::archive_facts(
        local,
        &o.archive_dir,
        &entries,
        &peer_facts,
        prim.ctl.wal_segment_size,
    )?;
    if let Some((l, _)) = &local_db {
        (archive.lost_segments, archive.newest_archived) =
            facts::lost_segments(local, &f.params, &entries, &prim, l.latest_lsn)?;
    }
    let facts = Facts {
        local: local_db.map(|(l, _)| l),
        peer: peer_facts,
        archive,
        lock: lock.clone(),
        local_incomplete: incomplete,
        interrupted_basebackup,
    };
    let decision = decide::decide(&facts, req);
    for mth in [Method::Normal, Method::Rewind, Method::BaseBackup] {
        let name = why::method_name(mth);
        let line = match decision.blockers(mth) {
            None => t!(m::METHOD_NOT_EVALUATED, method = name),
            Some(w) if w.is_empty() => t!(m::METHOD_POSSIBLE, method = name),
            Some(w) => t!(
                m::METHOD_IMPOSSIBLE,
                method = name,
                why = w.iter().map(why::text).collect::<Vec<_>>().join("; ")
            ),
        };
        ctx.reporter.message(Level::Info, &line);
    }
    Ok(Done::ok(DataFound {
        prim,
        decision,
        local_archive: entries,
    }))
}

/// One look at "is this node a synchronous standby yet" (spec §3.2 step 21).
pub fn standby_ready(ctx: &OpContext, names: &Names, vip: bool) -> Result<Poll> {
    let me = ctx.me.as_str();
    let Some(st) = cluster::crm_mon(ctx.local, &ctx.tools)? else {
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
            if st.has(id) && !st.running_on(id).contains(&me) {
                return Ok(Poll::Pending(id.clone()));
            }
        }
    }
    Ok(Poll::Ready)
}
