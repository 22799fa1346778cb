//! `pgrex primary-start [XMLFILE]` (spec §3.1): start Pacemaker on this node so that it
//! becomes the primary — after proving no primary runs on the peer, this node's persisted
//! data-status allows it, and no unjustified `PGSQL.lock` is in the way — then wait until
//! it is primary with its VIPs, ping, disk monitor and STONITH. With XMLFILE the resource
//! definitions are loaded with `cibadmin` (creating a cluster that does not exist yet needs
//! `pcs`, and is refused with a hint without it).
//!
//! The checks read their facts through the nodes and judge them with the pure functions of
//! [`plan`]; the changes are the [`plan::Action`]s, run (or, in a dry run, described) by
//! [`Run`].

pub mod create;
pub mod plan;
pub mod resume;

use super::cluster;
use super::pg::PgParams;
use super::standby::facts;
use super::wait::{Poll, Wait};
use super::{Done, OpContext, Run, StepCx};
use crate::config::Timeouts;
use crate::exec::Cmd;
use crate::msg::{ops as om, primary as m};
use crate::node::{Node, RunAs};
use crate::pacemaker::cib::CibFacts;
use crate::pacemaker::parse;
use crate::postgres::ControlData;
use crate::profile::Names;
use crate::report::Level;
use crate::{t, Error, Result};
use plan::{Action, WalEnd};
use std::path::{Path, PathBuf};

pub struct PrimaryOptions<'a> {
    pub xmlfile: Option<PathBuf>,
    pub remove_lock: bool,
    pub clear_fence_history: bool,
    pub timeouts: Timeouts,
    pub pgpath: Option<PathBuf>,
    pub peer_addr: String,
    /// `HACLUSTER_NAME` and `IC_LAN_IPAddress`: what a cluster created here is made of.
    pub cluster_name: String,
    pub ic: Vec<crate::config::IcPair>,
    /// A persisted data-status that does not say this node had the newest data may be
    /// proven by where both nodes' WAL ends instead (this node's not behind the other's,
    /// both read now): recover's service-down-on-both playbook, which chose this node by
    /// it. The Perl tool's command line never sets it.
    pub newest_by_wal: bool,
    pub names: &'a dyn Fn(&[&str]) -> Names,
    pub connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
}

/// What the changing steps need, once the checks passed.
struct Ready<'a> {
    o: &'a PrimaryOptions<'a>,
    params: PgParams,
    /// The `<configuration>` of XMLFILE.
    xml: Option<String>,
    peer_name: String,
}

pub fn primary_start(ctx: &OpContext, o: &PrimaryOptions) -> Result<String> {
    let me = ctx.me.as_str();
    let mut run = Run::new(ctx, "primary-start")?;
    run.set_arguments(serde_json::json!(resume::PrimaryArguments::of(o)));
    run.next = t!(m::NEXT);
    // A run killed after it started Pacemaker here (before the promotion was seen) is
    // taken over: its checks held then, so this one goes on from the wait.
    let resumed = run
        .take_over_unfinished()
        .map(|r| r.arguments)
        .filter(|a| a["started"] == true);

    // The XML file is read before anything else: a bad file changes nothing.
    let xml = o.xmlfile.as_deref().map(read_xml).transpose()?;

    run.check(t!(m::STEP_STOPPED), |_| {
        if cluster::stack_running(ctx.local, &ctx.tools)? {
            if resumed.is_some() {
                return Ok(Done::noted((), t!(m::RESUMED_RUNNING)));
            }
            return Err(Error::refused(
                t!(m::STACK_RUNNING, node = me),
                Some(t!(m::STACK_RUNNING_HINT)),
            ));
        }
        Ok(Done::ok(()))
    })?;

    let peer = run.check(t!(m::STEP_CONNECT, addr = o.peer_addr), |_| {
        Ok(Done::ok((o.connect)()?))
    })?;
    let peer: &dyn Node = peer.as_ref();

    let peer_name = run.check(t!(m::STEP_NO_PRIMARY), |_| no_primary_on(ctx, o, peer))?;

    // The configuration: the XML's, else the CIB Pacemaker saved here.
    let cib = match &xml {
        Some((c, _)) => c.clone(),
        None => cluster::cib_file(ctx.local)?.ok_or_else(|| {
            run.abort(Error::refused(
                t!(m::NO_CIB, path = cluster::CIB_FILE),
                Some(t!(m::NO_CIB_HINT)),
            ))
        })?,
    };
    let ids: Vec<&str> = cib.primitive_params.keys().map(String::as_str).collect();
    let names = (o.names)(&ids);
    let params = PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref());
    super::pg_values::check_params(&params, None)?;
    let status = cib
        .persistent(me, &names.data_status_attr())
        .map(str::to_string);
    if let Some(done) = resumed {
        let xml_pending = xml.is_some() && done["xml_loaded"] != true;
        if let (true, Some(path)) = (xml_pending, &o.xmlfile) {
            confirm_xml(ctx, path).map_err(|e| run.abort(e))?;
        }
        run.next = t!(m::NEXT_AFTER_CHANGE);
        let ready = Ready {
            o,
            params,
            xml: xml.map(|(_, conf)| conf),
            peer_name,
        };
        for action in plan::resumed_actions(xml_pending, o.clear_fence_history) {
            act(&mut run, &ready, Some(peer), action)?;
        }
        return Ok(run.done(t!(m::STARTED, node = me)));
    }

    let by_wal = o.newest_by_wal && !plan::is_newest(status.as_deref()) && status.is_some();
    run.check(t!(m::STEP_DATA_STATUS), |_| {
        let detail = match by_wal {
            true => Some(newest_by_wal(ctx, peer, &params, status.as_deref())?),
            false => {
                plan::data_status(me, &peer_name, status.as_deref())?;
                status.clone()
            }
        };
        Ok(Done {
            value: (),
            outcome: crate::report::Outcome::Ok,
            detail,
        })
    })?;
    let remove_lock = run.check(t!(m::STEP_LOCK), |cx| {
        lock(cx, o, peer, &params, status.as_deref(), by_wal)
    })?;
    run.check(t!(m::STEP_MARKER), |_| {
        let conf = params.pgdata.join("postgresql.conf");
        if ctx.local.stat(&conf)?.is_some()
            && plan::has_standby_marker(&String::from_utf8_lossy(&ctx.local.read_file(&conf)?))
        {
            return Err(Error::refused(
                t!(m::MARKER, path = conf.display()),
                Some(t!(m::MARKER_HINT)),
            ));
        }
        Ok(Done::ok(()))
    })?;
    // XMLFILE creates the cluster (spec §3.1 step 14); where this node has a corosync.conf
    // already, the cluster is destroyed and created again after "Recreate?" (step 13).
    let cluster = match &o.xmlfile {
        Some(path) => {
            let here = ctx
                .local
                .stat(Path::new(create::COROSYNC_CONF))
                .map_err(|e| run.abort(e.into()))?
                .is_some();
            create::confirm(ctx, peer, &members(o, me, &peer_name), path, here)
                .map_err(|e| run.abort(e))?;
            match here {
                true => plan::Cluster::Recreate,
                false => plan::Cluster::Create,
            }
        }
        None => plan::Cluster::Existing,
    };

    run.next = t!(m::NEXT_AFTER_CHANGE);
    let ready = Ready {
        o,
        params,
        xml: xml.map(|(_, conf)| conf),
        peer_name,
    };
    let actions = plan::actions(
        remove_lock,
        ready.xml.is_some(),
        cluster,
        o.clear_fence_history,
    );
    for action in actions {
        act(&mut run, &ready, Some(peer), action)?;
    }
    Ok(run.done(t!(m::STARTED, node = me)))
}

/// XMLFILE as CIB facts and its `<configuration>` element.
fn read_xml(p: &Path) -> Result<(CibFacts, String)> {
    let text = std::fs::read_to_string(p).map_err(|e| {
        Error::input(p.display().to_string(), t!(crate::msg::gen::READ_FAILED)).with_source(e)
    })?;
    let cib = parse::cib(&text, &p.display().to_string())?;
    let conf = plan::configuration_section(&text)
        .ok_or_else(|| Error::input(p.display().to_string(), t!(m::XML_NO_CONFIGURATION)))?;
    Ok((cib, conf.to_string()))
}

/// The step "no primary on the other node": what crm_mon shows there, and its name.
fn no_primary_on(ctx: &OpContext, o: &PrimaryOptions, peer: &dyn Node) -> Result<Done<String>> {
    if let Some(st) = cluster::crm_mon(peer, &ctx.tools)? {
        let names = (o.names)(&st.resource_ids());
        // This node promoted already (a resumed start the peer sees) is no other primary.
        if let Some(n) = plan::promoted_node(&st, &names).filter(|n| *n != ctx.me) {
            return Err(Error::refused(
                t!(m::PEER_IS_PRIMARY, node = n, addr = o.peer_addr),
                Some(t!(m::PEER_IS_PRIMARY_HINT)),
            ));
        }
    }
    let name = crate::pacemaker::source::node_name(peer, &ctx.tools).unwrap_or_default();
    Ok(Done::ok(name))
}

/// The data-status step under [`PrimaryOptions::newest_by_wal`]: where both nodes' WAL
/// ends proves this node's data newest (the other node's not ahead, the same database
/// cluster), or a refusal.
fn newest_by_wal(
    ctx: &OpContext,
    peer: &dyn Node,
    params: &PgParams,
    status: Option<&str>,
) -> Result<String> {
    let mine = wal_end(ctx.local, params, facts::controldata(ctx.local, params)?)?;
    let theirs = match peer.stat(&params.pgdata.join("PG_VERSION"))? {
        Some(_) => Some(wal_end(peer, params, facts::controldata(peer, params)?)?),
        None => None,
    };
    plan::newest_by_wal(status.unwrap_or("-"), mine, theirs)
}

/// The lock step: nothing may use the data directory; a PGSQL.lock stays a refusal unless
/// `--remove-lock` and the evidence prove removing it safe (`by_wal`: the data-status step
/// proved this node's data newest by the WAL of both). `true`: it is to be removed.
fn lock(
    cx: &StepCx,
    o: &PrimaryOptions,
    peer: &dyn Node,
    params: &PgParams,
    status: Option<&str>,
    by_wal: bool,
) -> Result<Done<bool>> {
    let ctx = cx.ctx;
    super::in_use::refuse_if_in_use(ctx.processes, &params.pgdata)?;
    let lock = params.lock_file();
    let Some(st) = ctx.local.stat(&lock)? else {
        return Ok(Done::ok(false));
    };
    ctx.reporter.message(
        Level::Warn,
        &t!(
            m::LOCK_EVIDENCE,
            path = lock.display(),
            mtime = humantime::format_rfc3339_seconds(
                std::time::UNIX_EPOCH + std::time::Duration::from_secs(st.mtime.max(0) as u64)
            )
        ),
    );
    if !o.remove_lock {
        return Err(Error::refused(
            t!(m::LOCK_PRESENT, path = lock.display()),
            Some(t!(m::LOCK_PRESENT_HINT)),
        ));
    }
    // The data-status is judged before any WAL is read: without it (or the WAL proof of
    // the step before) no evidence can help.
    if !by_wal {
        plan::lock_status(status)?;
    }
    let mine = facts::controldata(ctx.local, params)?;
    let theirs = match peer.stat(&params.pgdata.join("PG_VERSION"))? {
        Some(_) => Some(wal_end(peer, params, facts::controldata(peer, params)?)?),
        None => None,
    };
    let mine = match theirs {
        Some(_) => wal_end(ctx.local, params, mine)?,
        // Nothing to compare with: where this node's WAL ends does not matter.
        None => WalEnd {
            system_id: mine.system_identifier,
            tli: mine.checkpoint_tli,
            end: mine.checkpoint_location,
        },
    };
    let why = plan::lock_removal(status, by_wal, mine, theirs)?;
    ctx.reporter.message(Level::Info, &why);
    Ok(Done::noted(true, t!(m::LOCK_WILL_GO)))
}

/// Where `node`'s WAL ends ([`facts::wal_end`]). A WAL end that cannot be read refuses: a
/// checkpoint in its place would understate the peer's data and let the lock go although
/// the peer may be ahead.
fn wal_end(node: &dyn Node, p: &PgParams, ctl: ControlData) -> Result<WalEnd> {
    facts::wal_end(node, p, &ctl)?.map_err(|why| {
        Error::refused(
            t!(m::LOCK_WAL_UNKNOWN, node = node.describe(), why = why),
            Some(t!(m::LOCK_UNSAFE_HINT)),
        )
    })
}

/// Who a cluster created here is made of.
fn members<'a>(o: &'a PrimaryOptions, me: &'a str, peer: &'a str) -> create::Members<'a> {
    create::Members {
        name: &o.cluster_name,
        me,
        peer,
        ic: &o.ic,
    }
}

/// XMLFILE replaces the resources of the cluster that exists here; the operator agrees.
fn confirm_xml(ctx: &OpContext, path: &Path) -> Result<()> {
    ctx.reporter
        .message(Level::Warn, &t!(m::XML_REPLACES, file = path.display()));
    ctx.confirm(&t!(m::XML_CONFIRM))
}

/// One change, as its numbered step.
/// One change. `peer` is the session to the other node, which only the cluster's creation
/// uses (a `pgrex resume` of a primary start never creates one: it passes `None`).
fn act(run: &mut Run, r: &Ready, peer: Option<&dyn Node>, action: Action) -> Result<()> {
    let ctx = run.ctx;
    let (o, local, me) = (r.o, ctx.local, ctx.me.as_str());
    match action {
        Action::RemoveLock => {
            let lock = r.params.lock_file();
            let would = t!(om::WOULD_REMOVE, path = lock.display());
            run.change(t!(m::STEP_REMOVE_LOCK), would, |_| {
                local.remove_file(&lock)?;
                Ok(Done::ok(()))
            })?;
        }
        Action::DestroyCluster => {
            let m = members(o, me, &r.peer_name);
            let title = t!(m::STEP_DESTROY, me = me, peer = m.peer);
            let would = t!(m::WOULD_DESTROY, me = me, peer = m.peer);
            let peer = peer.expect("a cluster is destroyed only by a run connected to the peer");
            run.change(title, would, |cx| {
                create::destroy(cx, local, peer)?;
                Ok(Done::ok(()))
            })?;
        }
        Action::CreateCluster => {
            let m = members(o, me, &r.peer_name);
            let title = t!(m::STEP_CREATE, name = m.name, me = me, peer = m.peer);
            let would = t!(m::WOULD_CREATE, me = me, peer = m.peer);
            let peer = peer.expect("a cluster is created only by a run connected to the peer");
            run.change(title, would, |cx| {
                create::create(cx, local, peer, &m)?;
                Ok(Done::ok(()))
            })?;
        }
        Action::StartPacemaker => {
            let would = t!(om::WOULD_START, pgdata = r.params.pgdata.display());
            run.change(t!(m::STEP_START), would, |_| {
                super::standby::act::start_pacemaker(ctx, &r.params, o.timeouts.start)?;
                Ok(Done::ok(()))
            })?;
        }
        Action::LoadXml => {
            let file = o.xmlfile.as_deref().unwrap_or(Path::new("-")).display();
            run.change(t!(m::STEP_XML), t!(m::WOULD_LOAD_XML, file = file), |cx| {
                load_xml(cx, o, r.xml.as_deref().unwrap_or_default())?;
                Ok(Done::ok(()))
            })?;
        }
        Action::UnblockQuorum => {
            run.change(t!(m::STEP_QUORUM), t!(m::WOULD_UNBLOCK_QUORUM), |_| {
                Ok(match unblock_quorum(local)? {
                    true => Done::ok(()),
                    false => Done::skip((), t!(m::QUORUM_NOT_BLOCKED)),
                })
            })?;
        }
        Action::WaitPrimary => {
            run.act(t!(m::STEP_WAIT), t!(m::WOULD_WAIT, node = me), |cx| {
                Wait {
                    delay: o.timeouts.monitor_delay,
                    interval: o.timeouts.monitor_interval,
                    timeout: o.timeouts.start,
                }
                .run(cx, || primary_ready(ctx, o))?;
                Ok(Done::ok(()))
            })?;
        }
        Action::ClearFenceHistory => {
            let peer = r.peer_name.as_str();
            let title = t!(m::STEP_FENCE_HISTORY, node = peer);
            run.change(title, t!(m::WOULD_CLEAR_FENCE, node = peer), |_| {
                local.run(
                    &crate::pacemaker::source::pacemaker_cmd(&ctx.tools, "stonith_admin")
                        .args(["--cleanup", "--history"])
                        .arg(peer)
                        .timeout(o.timeouts.start),
                    &RunAs::Root,
                )?;
                Ok(Done::ok(()))
            })?;
        }
    }
    Ok(())
}

/// Wait for Pacemaker to answer here with a DC, then replace the configuration.
fn load_xml(cx: &StepCx, o: &PrimaryOptions, conf: &str) -> Result<()> {
    let ctx = cx.ctx;
    Wait {
        delay: std::time::Duration::ZERO,
        interval: o.timeouts.monitor_interval,
        timeout: o.timeouts.start,
    }
    .run(cx, || {
        Ok(match cluster::crm_mon(ctx.local, &ctx.tools)? {
            Some(st) if st.node(&ctx.me).is_some_and(|n| n.online) && st.summary.dc_present => {
                Poll::Ready
            }
            _ => Poll::Pending("Pacemaker".into()),
        })
    })?;
    ctx.local.run(
        &crate::pacemaker::source::pacemaker_cmd(&ctx.tools, "cibadmin")
            .args(["--replace", "--scope", "configuration", "--xml-pipe"])
            .stdin(conf.as_bytes().to_vec())
            .timeout(o.timeouts.start),
        &RunAs::Root,
    )?;
    Ok(())
}

/// A two-node cluster started alone with `wait_for_all` waits for the peer; cancel that
/// wait (what `pcs quorum unblock` does). `false`: nothing was blocked.
fn unblock_quorum(local: &dyn Node) -> Result<bool> {
    let out = local.output(
        &Cmd::new("corosync-quorumtool")
            .arg("-s")
            .timeout(std::time::Duration::from_secs(30)),
        &RunAs::Root,
    )?;
    let blocked = out.stdout.contains("WaitForAll") && out.stdout.contains("Activity blocked");
    if blocked {
        local.run(
            &Cmd::new("corosync-cmapctl").args(["-s", "quorum.cancel_wait_for_all", "u8", "1"]),
            &RunAs::Root,
        )?;
    }
    Ok(blocked)
}

fn primary_ready(ctx: &OpContext, o: &PrimaryOptions) -> Result<Poll> {
    let me = ctx.me.as_str();
    let Some(st) = cluster::crm_mon(ctx.local, &ctx.tools)? else {
        return Ok(Poll::Pending("Pacemaker".into()));
    };
    if !st.node(me).is_some_and(|n| n.online) {
        return Ok(Poll::Pending("Pacemaker".into()));
    }
    let names = (o.names)(&st.resource_ids());
    if let Some(f) = cluster::pg_failure(&st, &names, me) {
        return Err(Error::other(
            t!(m::FAILED_ACTION, failure = f),
            Some(t!(m::FAILED_ACTION_HINT)),
        ));
    }
    if let Some(p) = cluster::monitors_pending(&st, &names, me) {
        return Ok(Poll::Pending(p));
    }
    if cluster::primary_node(&st, &names).as_deref() != Some(me) {
        return Ok(Poll::Pending(t!(
            m::PENDING_PRIMARY,
            status = cluster::attr(&st, me, &names.status_attr()).unwrap_or("-"),
            data = cluster::attr(&st, me, &names.data_status_attr()).unwrap_or("-")
        )));
    }
    for id in [
        &names.vip_primary,
        &names.vip_replication,
        &names.vip_standby,
    ]
    .into_iter()
    .flatten()
    {
        if st.has(id) && !st.running_on(id).contains(&me) {
            return Ok(Poll::Pending(id.clone()));
        }
    }
    Ok(Poll::Ready)
}

#[cfg(test)]
#[path = "primary_start/tests.rs"]
mod tests;

#[cfg(test)]
#[path = "primary_start/create_tests.rs"]
mod create_tests;
