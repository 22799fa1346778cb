//! One playbook's steps as numbered steps of recover's [`Run`]: each kind of
//! [`Action`] through the operation that does it (cleanup, stop, standby-start,
//! primary-start, switchover — their core functions, on the node the step belongs to), the
//! Pacemaker actions, the waits and the operator actions (print what to do, then wait until
//! the check sees the cause gone, up to `RECOVER_WAIT_TIMEOUT`).

use super::recheck::{appeared, expected};
use super::side::{RemoteProcesses, Side};
use super::{need_peer, Judged, RecoverOptions};
use crate::diagnose::playbook::{Action, MethodPolicy, Step, Until};
use crate::diagnose::{Diagnosis, FaultId, Finding};
use crate::exec::Cmd;
use crate::msg::recover as m;
use crate::node::{Node, RunAs};
use crate::ops::cluster;
use crate::ops::standby::decide::Request;
use crate::ops::wait::{Poll, Wait};
use crate::ops::{Done, OpContext, Run, StepCx};
use crate::pacemaker::source::pacemaker_cmd;
use crate::report::{Level, Outcome};
use crate::{t, Error, Result};
use std::collections::BTreeSet;
use std::time::Duration;

pub(super) struct Steps<'a> {
    pub(super) ctx: &'a OpContext<'a>,
    pub(super) o: &'a RecoverOptions<'a>,
    pub(super) peer: Option<&'a dyn Node>,
    pub(super) peer_name: Option<String>,
    procs: Option<RemoteProcesses<'a>>,
    peer_lock: Option<crate::ops::switchover::act::PeerLock<'a>>,
    /// The nodes this run stopped Pacemaker on: offline by design.
    stopped: std::cell::RefCell<BTreeSet<String>>,
}

impl<'a> Steps<'a> {
    pub fn new(
        ctx: &'a OpContext<'a>,
        o: &'a RecoverOptions<'a>,
        peer: Option<&'a dyn Node>,
    ) -> Result<Steps<'a>> {
        let peer_name = peer.and_then(|p| crate::pacemaker::source::node_name(p, &ctx.tools));
        Ok(Steps {
            ctx,
            o,
            peer,
            peer_name,
            procs: peer.map(RemoteProcesses),
            peer_lock: None,
            stopped: Default::default(),
        })
    }

    /// Never two recoveries at once: the single-instance lock on the other node too.
    pub fn lock_peer(&mut self, run: &mut Run) -> Result<()> {
        let Some(peer) = self.peer else {
            return Ok(());
        };
        let path = self.o.life.lock_path.clone();
        run.check(
            t!(m::STEP_PEER_LOCK),
            |_| match crate::ops::switchover::facts::lock_holder(peer, &path)? {
                None => Ok(Done::ok(())),
                Some(pid) => Err(Error::refused(
                    t!(m::PEER_LOCK_HELD, pid = pid, node = peer.describe()),
                    Some(t!(m::PEER_LOCK_HELD_HINT, pid = pid)),
                )),
            },
        )?;
        let hold = Duration::from_secs(4 * 3600);
        self.peer_lock = run.act(
            t!(m::STEP_TAKE_PEER_LOCK),
            t!(m::WOULD_TAKE_PEER_LOCK),
            |_| {
                Ok(Done::ok(crate::ops::switchover::act::PeerLock::take(
                    peer, &path, hold,
                )?))
            },
        )?;
        Ok(())
    }

    /// The steps of one finding's playbook; a fault that was not there before stops it.
    pub fn playbook(&mut self, run: &mut Run, f: &Finding, before: &Diagnosis) -> Result<()> {
        // A step on a node the playbook could not name (the service down on both with the
        // newest data not proven) refuses before anything changes.
        if let Some(s) = f
            .plan
            .iter()
            .find(|s| s.node.is_none() && s.action.on_a_node())
        {
            let why = f.plan.first().map(|s| s.text.as_str()).unwrap_or_default();
            return Err(Error::refused(
                t!(
                    m::NO_NODE_FOR_STEP,
                    finding = crate::diagnose::headline(f),
                    step = s.text
                ),
                Some(t!(m::NO_NODE_FOR_STEP_HINT, why = why)),
            ));
        }
        // The service down on both starts the primary on the newest node; Pacemaker started
        // there alone fences the other (lab: the node reboots), so the run must be there.
        let start = f.plan.iter().find(|s| s.action == Action::PrimaryStart);
        if let Some(n) = start.and_then(|s| s.node.as_deref()) {
            if !super::is_here(self.ctx, n) {
                return Err(Error::refused(
                    t!(m::RUN_ON_NEWEST, node = n),
                    Some(t!(m::RUN_ON_NEWEST_HINT, node = n)),
                ));
            }
        }
        let known: BTreeSet<(FaultId, Option<String>)> = before
            .findings
            .iter()
            .map(|x| (x.id, x.node.clone()))
            .chain(expected(f))
            .collect();
        for step in &f.plan {
            run.next = t!(m::NEXT_STEP, id = f.id);
            let changed = self.step(run, f, step)?;
            if changed && !self.ctx.dry_run {
                self.recheck(run, &known)?;
            }
        }
        Ok(())
    }

    /// Judge again after a change: a fault that was not there before stops the run.
    fn recheck(&self, run: &mut Run, known: &BTreeSet<(FaultId, Option<String>)>) -> Result<()> {
        let j = run.check(t!(m::STEP_RECHECK), |_| super::judged(self.o))?;
        match appeared(&j, known, &self.stopped.borrow()) {
            None => Ok(()),
            Some(x) => Err(Error::Partial {
                message: t!(m::NEW_FAULT, finding = crate::diagnose::headline(x)),
                hint: Some(t!(m::NEW_FAULT_HINT, command = x.recover)),
                source: None,
            }),
        }
    }

    /// One step; `true` when it changed something.
    fn step(&mut self, run: &mut Run, f: &Finding, s: &Step) -> Result<bool> {
        let node = s.node.clone().unwrap_or_default();
        let title = t!(m::STEP_TITLE, kind = s.action.name(), text = s.text);
        match &s.action {
            Action::Note => {
                run.check(title, |_| Ok(Done::ok(())))?;
                Ok(false)
            }
            Action::Verify => {
                run.check(title, |_| {
                    let j = (self.o.judge)()?;
                    let still = j
                        .diagnosis
                        .findings
                        .iter()
                        .any(|x| x.id == f.id && x.node == f.node);
                    Ok(if still {
                        Done::noted((), t!(m::STILL_SHOWN, id = f.id))
                    } else {
                        Done::ok(())
                    })
                })?;
                Ok(false)
            }
            Action::Switchover => {
                run.check(title, |_| Ok(Done::skip((), t!(m::SWITCHBACK_LATER))))?;
                Ok(false)
            }
            Action::Wait { until } => {
                let would = t!(m::WOULD_WAIT, text = s.text);
                run.act(title, would, |cx| self.wait(cx, *until, &node))?;
                Ok(false)
            }
            Action::Operator { cause, check } => {
                self.ctx
                    .reporter
                    .message(Level::Warn, &t!(m::OPERATOR, text = s.text));
                let would = t!(m::WOULD_WAIT_OPERATOR);
                // A human acts now: a timeout of this wait says to resume, so the journal
                // must be one `pgrex resume` continues (special.rs `off`: it was not, and
                // resume found "nothing to resume").
                run.begin_change();
                run.act(title, would, |cx| self.operator(cx, *cause, check, &node))?;
                Ok(false)
            }
            Action::ConfirmFence => self.confirm_fence(run, title, &node),
            a => {
                let would = t!(m::WOULD_RUN, text = s.text);
                let q = t!(m::CONFIRM_STEP, text = s.text);
                if !self.ctx.dry_run {
                    self.ctx.confirm(&q).map_err(|e| run.abort(e))?;
                }
                run.change(title, would, |cx| self.operation(cx, a, s.node.as_deref()))?;
                Ok(true)
            }
        }
    }

    /// The side a step's node is: this one, or the other one over SSH.
    pub(super) fn side(&self, node: &str) -> Result<Side<'_>> {
        if node.is_empty() || super::is_here(self.ctx, node) {
            return Ok(Side::this(self.ctx, &self.o.life));
        }
        let peer = need_peer(self.peer, node)?;
        Ok(Side::other(peer, node, &self.o.life))
    }

    /// A side whose Pacemaker runs, for a cluster-wide command: this one, else the other.
    fn running_side(&self) -> Result<Side<'_>> {
        if cluster::stack_running(self.ctx.local, &self.ctx.tools)? {
            return Ok(Side::this(self.ctx, &self.o.life));
        }
        let name = self.peer_name.clone().unwrap_or_default();
        let peer = need_peer(self.peer, &name)?;
        Ok(Side::other(peer, &name, &self.o.life))
    }

    fn operation(&self, cx: &StepCx, a: &Action, node: Option<&str>) -> Result<Done<()>> {
        let l = &self.o.life;
        let side = match a {
            Action::Cleanup { .. }
            | Action::ClearFenceHistory
            | Action::LeaveMaintenance { .. } => self.running_side()?,
            _ => self.side(node.unwrap_or_default())?,
        };
        let procs: &dyn crate::node::processes::Processes = match &self.procs {
            Some(p) => p,
            None => cx.ctx.processes,
        };
        let ctx = side.ctx(cx.ctx, procs);
        let connect = || side.connect_other(l);
        let msg = match a {
            Action::Cleanup { resource } => {
                let observe = || -> Result<crate::ops::cleanup::Reading> {
                    let st = cluster::crm_mon(ctx.local, &ctx.tools)?
                        .ok_or_else(|| Error::other(t!(m::NO_VIEW, node = ctx.me), None))?;
                    Ok((st, cluster::cib_live(ctx.local, &ctx.tools)?))
                };
                let co = crate::ops::cleanup::CleanupOptions {
                    resource: resource.as_deref(),
                    node,
                    force: false,
                    observe: &observe,
                    names: l.names,
                };
                let mut rep = crate::ops::cleanup::Report::default();
                crate::ops::cleanup::cleanup(&ctx, &co, &mut rep)?
            }
            Action::Stop => {
                let so = crate::ops::stop::StopOptions {
                    fast: false,
                    timeouts: l.timeouts,
                    pgpath: l.pgpath.clone(),
                    names: l.names,
                };
                let msg = crate::ops::stop::stop(&ctx, &so)?.1;
                if let Some(n) = node {
                    self.stopped.borrow_mut().insert(n.to_string());
                }
                msg
            }
            Action::StandbyStart { method } => self.standby(&ctx, &side, *method, &connect)?,
            Action::PrimaryStart => {
                let po = crate::ops::primary_start::PrimaryOptions {
                    xmlfile: None,
                    // Only the service-down-on-both playbook starts a primary, on the
                    // node with the newest data, whose PGSQL.lock the primary's stop left:
                    // primary-start removes it only with its own evidence (the persisted
                    // data-status newest, the peer's WAL not ahead) and refuses otherwise.
                    remove_lock: true,
                    clear_fence_history: true,
                    timeouts: l.timeouts,
                    pgpath: l.pgpath.clone(),
                    peer_addr: side.other_addr.clone(),
                    cluster_name: l.cluster_name.clone(),
                    ic: side.ic(l),
                    // The service-down-on-both playbook chose this node by the data-status,
                    // else by where both nodes' WAL ends: primary-start proves it again.
                    newest_by_wal: true,
                    names: l.names,
                    connect: &connect,
                };
                crate::ops::primary_start::primary_start(&ctx, &po)?
            }
            Action::ClearFenceHistory => self.clear_fence(&ctx)?,
            Action::LeaveMaintenance { .. } => {
                for argv in a.leave_maintenance_commands() {
                    let cmd = pacemaker_cmd(&ctx.tools, &argv[0])
                        .args(&argv[1..])
                        .timeout(Duration::from_secs(60));
                    cx.rep().detail(cx.step, &cmd.to_string());
                    ctx.local.run(&cmd, &RunAs::Root)?;
                }
                t!(m::MAINTENANCE_LEFT)
            }
            _ => String::new(),
        };
        Ok(Done::noted((), msg))
    }

    /// standby-start with the method the facts allow: `-n` when its checks prove it safe,
    /// else `-r`; `-b` only with `--allow-base-backup`; `never-as-is` refuses `-n`.
    fn standby(
        &self,
        ctx: &OpContext,
        side: &Side,
        method: MethodPolicy,
        connect: &dyn Fn() -> Result<Box<dyn Node>>,
    ) -> Result<String> {
        let l = &self.o.life;
        let so = |request: Request, check_only: bool| crate::ops::standby::StandbyOptions {
            request,
            check_only,
            timeouts: l.timeouts,
            pgpath: l.pgpath.clone(),
            archive_dir: l.archive_dir.clone(),
            peer_addr: side.other_addr.clone(),
            peer_ic: side.other_ic.clone(),
            standby_vip: l.standby_vip,
            rewind_via: l.rewind_via,
            names: l.names,
            connect,
        };
        let request = request(method, self.o.allow_base_backup);
        let r = crate::ops::standby::standby_start(ctx, &so(request, false));
        match r {
            Ok((msg, res)) => {
                let how = res
                    .method
                    .map(|m| format!("{m:?}").to_lowercase())
                    .unwrap_or_default();
                Ok(format!("{msg} ({how})"))
            }
            Err(e @ Error::Refused { .. }) if !self.o.allow_base_backup => Err(Error::refused(
                t!(m::STANDBY_REFUSED, node = side.name, error = e.chain_text()),
                Some(t!(m::STANDBY_REFUSED_HINT, node = side.name)),
            )),
            Err(e) => Err(e),
        }
    }

    /// `stonith_admin --cleanup --history NODE` for each node, on every node that runs
    /// Pacemaker (each fencer keeps its own).
    fn clear_fence(&self, ctx: &OpContext) -> Result<String> {
        let mut names = vec![self.ctx.me.clone()];
        names.extend(self.peer_name.clone());
        let mut nodes: Vec<&dyn Node> = vec![ctx.local];
        if let Some(p) = self.peer.filter(|_| ctx.local.is_local()) {
            if cluster::stack_running(p, &ctx.tools).unwrap_or(false) {
                nodes.push(p);
            }
        }
        for node in &nodes {
            for n in &names {
                let prog = if node.is_local() {
                    pacemaker_cmd(&ctx.tools, "stonith_admin")
                } else {
                    Cmd::new("stonith_admin")
                };
                let cmd = prog
                    .args(["--cleanup", "--history", n])
                    .timeout(Duration::from_secs(60));
                node.run(&cmd, &RunAs::Root)?;
            }
        }
        Ok(t!(m::FENCE_CLEARED, nodes = names.join(", ")))
    }

    /// `stonith_admin --confirm NODE`, only on the operator's `--confirm-fenced NODE`.
    fn confirm_fence(&self, run: &mut Run, title: String, node: &str) -> Result<bool> {
        let j = (self.o.judge)()?;
        let fenced = j
            .state
            .as_ref()
            .and_then(|st| st.node(node))
            .is_some_and(|n| !n.online && !n.unclean);
        if fenced {
            run.check(title, |_| {
                Ok(Done::skip((), t!(m::ALREADY_FENCED, node = node)))
            })?;
            return Ok(false);
        }
        if self.o.confirm_fenced.as_deref() != Some(node) {
            let e = Error::refused(
                t!(m::CONFIRM_NEEDED, node = node),
                Some(t!(m::CONFIRM_NEEDED_HINT, node = node)),
            );
            return Err(run.abort(e));
        }
        let cmd = pacemaker_cmd(&self.ctx.tools, "stonith_admin")
            .args(["--confirm", node])
            .timeout(Duration::from_secs(60));
        let would = t!(m::WOULD_RUN, text = cmd);
        run.change(title, would, |cx| {
            cx.rep().detail(cx.step, &cmd.to_string());
            self.ctx.local.run(&cmd, &RunAs::Root)?;
            Ok(Done::ok(()))
        })?;
        Ok(true)
    }

    pub(super) fn waiter(&self, timeout: Duration) -> Wait {
        Wait {
            delay: Duration::ZERO,
            interval: super::poll_every(self.o),
            timeout,
        }
    }

    fn wait(&self, cx: &StepCx, until: Until, node: &str) -> Result<Done<()>> {
        if until == Until::Answers {
            // A reboot takes the machine's own time: the operator actions' limit.
            return self.answers(cx, node, self.o.life.timeouts.recover_wait);
        }
        let t = self.o.life.timeouts.start;
        self.waiter(t).run(cx, || {
            let j = (self.o.judge)()?;
            Ok(match until {
                // The step's node is the survivor: it must be the primary.
                Until::Takeover => match j.primary() {
                    Some(p) if p == node || node.is_empty() => Poll::Ready,
                    _ => Poll::Pending(t!(m::PENDING_TAKEOVER, node = node)),
                },
                Until::Offline if !j.online(node) => Poll::Ready,
                Until::Offline => Poll::Pending(t!(m::PENDING_OFFLINE, node = node)),
                Until::StandbySync => pending_if(&j, FaultId::StandbyNotSync),
                Until::Answers => Poll::Ready,
            })
        })?;
        Ok(Done::ok(()))
    }

    /// `--switchback`: a switchover back to the node that was primary before the fault.
    pub fn switch_back(&mut self, run: &mut Run, to: Option<&str>, j: &Judged) -> Result<bool> {
        let Some(to) = to else {
            return Ok(false);
        };
        if j.primary().as_deref() == Some(to) {
            run.check(t!(m::STEP_SWITCHBACK, node = to), |_| {
                Ok(Done::skip((), t!(m::ALREADY_PRIMARY, node = to)))
            })?;
            return Ok(false);
        }
        // The switchover takes the other node's lock itself.
        self.peer_lock = None;
        let l = &self.o.life;
        let connect = || (l.connect)();
        let so = crate::ops::switchover::SwitchoverOptions {
            timeouts: l.timeouts,
            max_lag: l.max_lag,
            pgpath: l.pgpath.clone(),
            archive_dir: l.archive_dir.clone(),
            standby_vip: l.standby_vip,
            peer_addr: l.peer.to_string(),
            local_addr: l.mine.to_string(),
            lock_path: l.lock_path.clone(),
            rewind_via: l.rewind_via,
            names: l.names,
            observe: self.o.status_snapshot,
            connect: &connect,
        };
        let q = t!(m::CONFIRM_SWITCHBACK, node = to);
        self.ctx.confirm(&q).map_err(|e| run.abort(e))?;
        run.change(
            t!(m::STEP_SWITCHBACK, node = to),
            t!(m::WOULD_SWITCHBACK, node = to),
            |cx| {
                let here = Side::this(cx.ctx, l);
                let ctx = here.ctx(cx.ctx, cx.ctx.processes);
                let mut res = crate::ops::switchover::SwitchoverResult::default();
                let msg = crate::ops::switchover::switchover(&ctx, &so, &mut res)?;
                Ok(Done {
                    value: (),
                    outcome: Outcome::Ok,
                    detail: Some(msg),
                })
            },
        )?;
        Ok(true)
    }
}

/// What standby-start may do under a step's method policy: `never-as-is` withholds `-n`
/// only (a rewind or base backup replaces what diverged, so PGSQL.lock is harmless to them
/// and standby-start removes it); `-b` only with `--allow-base-backup`.
pub(super) fn request(method: MethodPolicy, allow_base_backup: bool) -> Request {
    Request {
        normal: method == MethodPolicy::AsFactsAllow,
        rewind: true,
        basebackup: allow_base_backup,
        check_all: false,
        shared_archive: false,
    }
}

pub(super) fn pending_if(j: &Judged, id: FaultId) -> Poll {
    match j.diagnosis.findings.iter().find(|x| x.id == id) {
        Some(x) => Poll::Pending(crate::diagnose::headline(x)),
        None => Poll::Ready,
    }
}
