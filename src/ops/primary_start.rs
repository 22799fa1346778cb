//! `pgrex primary-start [XMLFILE]` (spec §3.1): start Pacemaker on this node so that it
//! becomes the primary — after proving no primary runs on the peer, this node's persisted
//! data-status allows it, and no unjustified `PGSQL.lock` is in the way — then wait until
//! it is primary with its VIPs, ping, disk monitor and STONITH. With XMLFILE the resource
//! definitions are loaded with `cibadmin` (creating a cluster that does not exist yet needs
//! `pcs`, and is refused with a hint without it).

use super::cluster;
use super::pg::PgParams;
use super::standby::facts;
use super::wait::{Poll, Wait};
use super::{Ctx, Done, Run};
use crate::config::Timeouts;
use crate::exec::Cmd;
use crate::msg::primary as m;
use crate::node::{LocalNode, Node, RunAs};
use crate::pacemaker::{parse, Role};
use crate::profile::Names;
use crate::report::{Level, Outcome};
use crate::{t, Error, Result};
use std::path::{Path, PathBuf};

pub struct PrimaryOptions<'a> {
    pub xmlfile: Option<PathBuf>,
    pub remove_lock: bool,
    pub clear_fence_history: bool,
    pub timeouts: Timeouts,
    pub pgpath: Option<PathBuf>,
    pub peer_addr: String,
    pub names: &'a dyn Fn(&[&str]) -> Names,
    pub connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
}

const SKIP: crate::msg::Msg = crate::msg::ops::SKIP_DRY_RUN;

pub fn primary_start(ctx: &Ctx, o: &PrimaryOptions) -> Result<String> {
    let local = LocalNode::new();
    let me = cluster::hostname();
    let mut run = Run::new(ctx, "primary-start", &me)?;
    run.next = t!(m::NEXT);

    // The XML file is read before anything else: a bad file changes nothing.
    let xml = match &o.xmlfile {
        None => None,
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| {
                Error::input(p.display().to_string(), t!(crate::msg::gen::READ_FAILED))
                    .with_source(e)
            })?;
            let cib = parse::cib(&text, &p.display().to_string())?;
            let conf = configuration_section(&text).ok_or_else(|| {
                Error::input(p.display().to_string(), t!(m::XML_NO_CONFIGURATION))
            })?;
            Some((cib, conf.to_string()))
        }
    };

    run.step(t!(m::STEP_STOPPED), false, |_| {
        if cluster::stack_running(&local, &ctx.tools)? {
            return Err(Error::refused(
                t!(m::STACK_RUNNING, node = me),
                Some(t!(m::STACK_RUNNING_HINT)),
            ));
        }
        Ok(Done::ok(()))
    })?;

    let peer = run.step(t!(m::STEP_CONNECT, addr = o.peer_addr), false, |_| {
        Ok(Done::ok((o.connect)()?))
    })?;
    let peer: &dyn Node = peer.as_ref();

    let peer_name = run.step(t!(m::STEP_NO_PRIMARY), false, |_| {
        let st = cluster::crm_mon(peer, &ctx.tools)?;
        if let Some(st) = &st {
            let names = (o.names)(&st.resource_ids());
            let promoted = st.nodes.iter().find(|n| {
                cluster::pg_role(st, &names, &n.name) == Some(Role::Promoted)
                    || cluster::primary_node(st, &names).as_deref() == Some(&n.name)
            });
            if let Some(n) = promoted {
                return Err(Error::refused(
                    t!(m::PEER_IS_PRIMARY, node = n.name, addr = o.peer_addr),
                    Some(t!(m::PEER_IS_PRIMARY_HINT)),
                ));
            }
        }
        let name = peer
            .run(&Cmd::new("uname").arg("-n"), &RunAs::Root)?
            .stdout
            .trim()
            .to_string();
        Ok(Done::ok(name))
    })?;

    // The configuration: the XML's, else the CIB Pacemaker saved here.
    let cib = match &xml {
        Some((c, _)) => c.clone(),
        None => cluster::cib_file(&local)?.ok_or_else(|| {
            run.abort(Error::refused(
                t!(m::NO_CIB, path = cluster::CIB_FILE),
                Some(t!(m::NO_CIB_HINT)),
            ))
        })?,
    };
    let ids: Vec<&str> = cib.primitive_params.keys().map(String::as_str).collect();
    let names = (o.names)(&ids);
    let params = PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref());
    let status = cib
        .persistent(&me, &names.data_status_attr())
        .map(str::to_string);

    run.step(t!(m::STEP_DATA_STATUS), false, |_| {
        match status.as_deref() {
            None | Some("LATEST") | Some("STREAMING|SYNC") => Ok(Done {
                value: (),
                outcome: Outcome::Ok,
                detail: status.clone(),
            }),
            Some(s) => Err(Error::refused(
                t!(m::DATA_STATUS_STALE, node = me, status = s),
                Some(t!(m::DATA_STATUS_STALE_HINT, peer = peer_name)),
            )),
        }
    })?;

    let remove_lock = run.step(t!(m::STEP_LOCK), false, |_| {
        super::in_use::refuse_if_in_use(&params.pgdata)?;
        let lock = params.lock_file();
        let Some(st) = local.stat(&lock)? else {
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
        let why = lock_safe(&local, peer, &params, status.as_deref())?;
        ctx.reporter.message(Level::Info, &why);
        Ok(Done {
            value: true,
            outcome: Outcome::Ok,
            detail: Some(t!(m::LOCK_WILL_GO)),
        })
    })?;

    run.step(t!(m::STEP_MARKER), false, |_| {
        let conf = params.pgdata.join("postgresql.conf");
        if local.stat(&conf)?.is_some()
            && String::from_utf8_lossy(&local.read_file(&conf)?)
                .contains("# added by pg-rex_standby_start")
        {
            return Err(Error::refused(
                t!(m::MARKER, path = conf.display()),
                Some(t!(m::MARKER_HINT)),
            ));
        }
        Ok(Done::ok(()))
    })?;

    if let Some(path) = &o.xmlfile {
        let exists = local
            .stat(Path::new(super::standby::COROSYNC_CONF))?
            .is_some();
        if !exists {
            let pcs = which::which("pcs").is_ok();
            return Err(run.abort(Error::refused(
                t!(m::NO_CLUSTER, path = super::standby::COROSYNC_CONF),
                Some(if pcs {
                    t!(m::NO_CLUSTER_HINT_PCS)
                } else {
                    t!(m::NO_CLUSTER_HINT_NO_PCS)
                }),
            )));
        }
        ctx.reporter
            .message(Level::Warn, &t!(m::XML_REPLACES, file = path.display()));
        ctx.confirm(&t!(m::XML_CONFIRM)).map_err(|e| run.abort(e))?;
    }

    run.next = t!(m::NEXT_AFTER_CHANGE);
    if remove_lock {
        run.step(t!(m::STEP_REMOVE_LOCK), true, |_| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(SKIP)));
            }
            local.remove_file(&params.lock_file())?;
            Ok(Done::ok(()))
        })?;
    }

    run.step(t!(m::STEP_START), true, |_| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(SKIP)));
        }
        super::standby::act::remove_signal_files(&local, &params)?;
        local.run(
            &cluster::systemctl(&local, &ctx.tools)
                .args(["start", "pacemaker"])
                .timeout(o.timeouts.start),
            &RunAs::Root,
        )?;
        Ok(Done::ok(()))
    })?;

    if let Some((_, conf)) = &xml {
        run.step(t!(m::STEP_XML), true, |cx| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(SKIP)));
            }
            Wait {
                delay: std::time::Duration::ZERO,
                interval: o.timeouts.monitor_interval,
                timeout: o.timeouts.start,
            }
            .run(cx, || {
                Ok(match cluster::crm_mon(&local, &ctx.tools)? {
                    Some(st) if st.node(&me).is_some_and(|n| n.online) && st.summary.dc_present => {
                        Poll::Ready
                    }
                    _ => Poll::Pending("Pacemaker".into()),
                })
            })?;
            local.run(
                &crate::pacemaker::source::pacemaker_cmd(&ctx.tools, "cibadmin")
                    .args(["--replace", "--scope", "configuration", "--xml-pipe"])
                    .stdin(conf.as_bytes().to_vec())
                    .timeout(o.timeouts.start),
                &RunAs::Root,
            )?;
            Ok(Done::ok(()))
        })?;
    }

    run.step(t!(m::STEP_QUORUM), true, |_| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(SKIP)));
        }
        Ok(match unblock_quorum(&local)? {
            true => Done::ok(()),
            false => Done::skip((), t!(m::QUORUM_NOT_BLOCKED)),
        })
    })?;

    run.step(t!(m::STEP_WAIT), false, |cx| {
        if ctx.dry_run {
            return Ok(Done::skip((), t!(SKIP)));
        }
        Wait {
            delay: o.timeouts.monitor_delay,
            interval: o.timeouts.monitor_interval,
            timeout: o.timeouts.start,
        }
        .run(cx, || primary_ready(&local, ctx, o, &me))?;
        Ok(Done::ok(()))
    })?;

    if o.clear_fence_history {
        run.step(t!(m::STEP_FENCE_HISTORY, node = peer_name), true, |_| {
            if ctx.dry_run {
                return Ok(Done::skip((), t!(SKIP)));
            }
            local.run(
                &crate::pacemaker::source::pacemaker_cmd(&ctx.tools, "stonith_admin")
                    .args(["--cleanup", "--history"])
                    .arg(&peer_name)
                    .timeout(o.timeouts.start),
                &RunAs::Root,
            )?;
            Ok(Done::ok(()))
        })?;
    }
    run.done();
    let msg = t!(m::STARTED, node = me);
    Ok(if ctx.dry_run {
        t!(crate::msg::ops::DRY_RUN_DONE, what = msg)
    } else {
        msg
    })
}

/// The `<configuration>…</configuration>` element of a CIB document.
fn configuration_section(text: &str) -> Option<&str> {
    let start = text.find("<configuration")?;
    let end = text.find("</configuration>")? + "</configuration>".len();
    (start < end).then(|| &text[start..end])
}

/// Why removing this node's PGSQL.lock is safe, or a refusal: the persisted data-status
/// says this node had the newest data, and the peer's data (if it has any) is not ahead.
fn lock_safe(
    local: &dyn Node,
    peer: &dyn Node,
    p: &PgParams,
    status: Option<&str>,
) -> Result<String> {
    let refuse = |why: String| Error::refused(why, Some(t!(m::LOCK_UNSAFE_HINT)));
    if !matches!(status, Some("LATEST") | Some("STREAMING|SYNC")) {
        return Err(refuse(t!(
            m::LOCK_UNSAFE_STATUS,
            status = status.unwrap_or("-")
        )));
    }
    let mine = facts::controldata(local, p)?;
    let theirs = if peer.stat(&p.pgdata.join("PG_VERSION"))?.is_some() {
        Some(facts::controldata(peer, p)?)
    } else {
        None
    };
    let Some(t) = theirs else {
        return Ok(t!(
            m::LOCK_SAFE_NO_PEER_DATA,
            status = status.unwrap_or("-")
        ));
    };
    // The end of each node's WAL, not its last checkpoint: a standby's restartpoint may lag
    // far behind what it received.
    let my_end = facts::latest_lsn(local, p, &mine)?.unwrap_or(mine.checkpoint_location);
    let their_end = facts::latest_lsn(peer, p, &t)?.unwrap_or(t.checkpoint_location);
    let ahead = (t.checkpoint_tli, their_end) > (mine.checkpoint_tli, my_end);
    if ahead || t.system_identifier != mine.system_identifier {
        Err(refuse(t!(
            m::LOCK_UNSAFE_PEER_AHEAD,
            peer_tli = t.checkpoint_tli,
            peer_lsn = their_end,
            my_tli = mine.checkpoint_tli,
            my_lsn = my_end
        )))
    } else {
        Ok(t!(
            m::LOCK_SAFE,
            status = status.unwrap_or("-"),
            peer_tli = t.checkpoint_tli,
            peer_lsn = their_end,
            my_tli = mine.checkpoint_tli,
            my_lsn = my_end
        ))
    }
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

fn primary_ready(local: &dyn Node, ctx: &Ctx, o: &PrimaryOptions, me: &str) -> Result<Poll> {
    let Some(st) = cluster::crm_mon(local, &ctx.tools)? else {
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
        if st.find(id).is_some() && !st.running_on(id).contains(&me) {
            return Ok(Poll::Pending(id.clone()));
        }
    }
    Ok(Poll::Ready)
}
