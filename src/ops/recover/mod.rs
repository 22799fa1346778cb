//! `pgrex recover [FAULT]`: walk the cluster out of a fault by running the playbook the
//! diagnosis gives ([`crate::diagnose::playbook`], the same steps `pgrex diagnose` prints),
//! one numbered step at a time through [`Run`], each step on the node it belongs to
//! ([`side`]), the existing operations called as they are. After every step that changes
//! something the cluster is judged again; a fault the playbook did not start from stops the
//! run. When a playbook ends, the next finding's playbook follows (a fail-count, a fencing
//! history left) until the verdict is HEALTHY; the same finding twice in a row stops it.
//! `--switchback` ends with a switchover back to the node that was primary before the fault.
//!
//! Safety stays with the operations: standby-start's checks decide the method (a base backup
//! only with `--allow-base-backup`), primary-start starts only where the data is proven
//! newest, a fence is confirmed only on `--confirm-fenced NODE`.

pub mod newest;
mod operator;
mod recheck;
pub mod resume;
pub mod select;
mod settle;
pub mod side;
mod steps;

use super::{Done, OpContext, Run};
use crate::diagnose::{Certainty, Diagnosis, FaultId, Finding};
use crate::msg::recover as m;
use crate::node::Node;
use crate::pacemaker::ClusterState;
use crate::report::Level;
use crate::snapshot::Snapshot;
use crate::status::{Severity, Verdict};
use crate::{t, Error, Result};
use serde::Serialize;
pub use side::Lifecycle;
use std::time::Duration;

/// One observation, judged.
pub struct Judged {
    pub diagnosis: Diagnosis,
    pub state: Option<ClusterState>,
    /// The names resolved for this cluster.
    pub names: crate::profile::Names,
}

impl Judged {
    /// The primary now.
    pub fn primary(&self) -> Option<String> {
        let st = self.state.as_ref()?;
        crate::ops::cluster::primary_node(st, &self.names)
    }

    /// Whether the cluster shows `node` online.
    pub fn online(&self, node: &str) -> bool {
        self.state
            .as_ref()
            .and_then(|st| st.node(node))
            .is_some_and(|n| n.online)
    }
}

pub struct RecoverOptions<'a> {
    pub fault: Option<FaultId>,
    pub node: Option<String>,
    pub switchback: bool,
    pub allow_base_backup: bool,
    pub confirm_fenced: Option<String>,
    /// The node that was primary before the fault (from the journal, on resume).
    pub original_primary: Option<String>,
    pub life: Lifecycle<'a>,
    /// Observe every source diagnose reads (the peer's view and logs included) and judge.
    pub judge: &'a dyn Fn() -> Result<Judged>,
    /// The lean observation switchover judges from.
    pub status_snapshot: &'a dyn Fn() -> Result<Snapshot>,
}

/// What the run did (the JSON result).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecoverResult {
    /// Each playbook run, in order: `{id, node}`.
    pub playbooks: Vec<Ran>,
    pub verdict: Option<Verdict>,
    pub original_primary: Option<String>,
    pub primary: Option<String>,
    pub switched_back: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ran {
    pub id: FaultId,
    pub node: Option<String>,
}

/// Playbooks in one run at most (a loop that does not converge stops earlier: the same
/// finding twice).
const MAX_PLAYBOOKS: usize = 8;

pub fn recover(ctx: &OpContext, o: &RecoverOptions, out: &mut RecoverResult) -> Result<String> {
    let mut run = Run::new(ctx, "recover")?;
    run.next = t!(m::NEXT);
    let first = run.check(t!(m::STEP_JUDGE), |cx| {
        settle::judged_settled(cx, &|| judged(o), &settling(o, false))
    })?;
    let original = o
        .original_primary
        .clone()
        .or_else(|| original_primary(&first));
    out.original_primary = original.clone();
    run.set_arguments(serde_json::json!({
        "fault": o.fault, "node": o.node, "switchback": o.switchback,
        "allow_base_backup": o.allow_base_backup, "original_primary": original,
    }));
    let peer = run.check(t!(m::STEP_CONNECT, addr = o.life.peer), |_| {
        Ok(match (o.life.connect)() {
            Ok(p) => Done::ok(Some(p)),
            Err(e) => Done::skip(None, t!(m::PEER_DOWN, error = e.chain_text())),
        })
    })?;
    let mut s = steps::Steps::new(ctx, o, peer.as_deref())?;
    // The peer's own answer (`crm_node -n`, else `uname -n`) can fail: Pacemaker not started
    // after a fence, and a login slower than the timeout (the lab's 60 s pyenv stall). The
    // cluster's node list names it too; without a name the fencing history of the peer was
    // never cleared and the run ended on `fence-history-remaining` (lab, 2026-12-01).
    if s.peer_name.is_none() {
        s.peer_name = other_node(&first, &ctx.me);
    }
    s.lock_peer(&mut run)?;

    let mut d = first;
    let mut last: Option<(FaultId, Option<String>)> = None;
    let mut fault = o.fault;
    for _ in 0..MAX_PLAYBOOKS {
        let pick = select::pick(
            &d.diagnosis,
            fault,
            o.node.as_deref().filter(|_| fault.is_some()),
        )
        .map_err(|e| run.abort(e))?;
        fault = None;
        let Some(f) = pick.cloned() else { break };
        let key = (f.id, f.node.clone());
        if last.as_ref() == Some(&key) {
            return Err(run.abort(again(&f)));
        }
        last = Some(key);
        out.playbooks.push(Ran {
            id: f.id,
            node: f.node.clone(),
        });
        show(ctx, &f);
        s.playbook(&mut run, &f, &d.diagnosis)?;
        if ctx.dry_run {
            break;
        }
        d = run.check(t!(m::STEP_JUDGE_AGAIN), |cx| {
            settle::judged_settled(cx, &|| judged(o), &settling(o, true))
        })?;
        if d.diagnosis.verdict == Verdict::Healthy {
            break;
        }
    }
    if o.switchback && !ctx.dry_run {
        out.switched_back = s.switch_back(&mut run, original.as_deref(), &d)?;
        if out.switched_back {
            d = run.check(t!(m::STEP_JUDGE_AGAIN), |_| judged(o))?;
        }
    }
    out.verdict = Some(d.diagnosis.verdict);
    out.primary = d.primary();
    finish(run, ctx, &d, out)
}

/// The end: HEALTHY, nothing to recover, or what is still shown.
fn finish(run: Run, ctx: &OpContext, d: &Judged, out: &RecoverResult) -> Result<String> {
    let v = d.diagnosis.verdict;
    if ctx.dry_run || v == Verdict::Healthy {
        let msg = if out.playbooks.is_empty() {
            t!(
                m::NOTHING,
                verdict = v.as_str(),
                reason = d.diagnosis.reason
            )
        } else {
            t!(m::HEALTHY, count = out.playbooks.len())
        };
        return Ok(run.done(msg));
    }
    if out.playbooks.is_empty() && actionable(&d.diagnosis).is_none() {
        // Only deviations without a finding (or an info one): nothing a playbook does.
        let msg = t!(
            m::NOTHING,
            verdict = v.as_str(),
            reason = d.diagnosis.reason
        );
        return Ok(run.done(msg));
    }
    let mut run = run;
    let e = Error::other(
        t!(
            m::NOT_HEALTHY,
            verdict = v.as_str(),
            reason = d.diagnosis.reason
        ),
        Some(t!(m::NOT_HEALTHY_HINT)),
    );
    Err(run.abort(e))
}

fn actionable(d: &Diagnosis) -> Option<&Finding> {
    d.findings.iter().find(|f| f.severity != Severity::Info)
}

fn again(f: &Finding) -> Error {
    Error::Partial {
        message: t!(m::SAME_TWICE, finding = crate::diagnose::headline(f)),
        hint: Some(t!(m::SAME_TWICE_HINT)),
        source: None,
    }
}

pub(crate) fn judged(o: &RecoverOptions) -> Result<Done<Judged>> {
    let j = (o.judge)()?;
    let top = j
        .diagnosis
        .findings
        .first()
        .map(crate::diagnose::headline)
        .unwrap_or_else(|| j.diagnosis.reason.clone());
    let note = format!("{}: {top}", j.diagnosis.verdict.as_str());
    Ok(Done::noted(j, note))
}

/// The plan, before its steps run.
fn show(ctx: &OpContext, f: &Finding) {
    let mut s = t!(m::PLAN, finding = crate::diagnose::headline(f));
    for (i, st) in f.plan.iter().enumerate() {
        s.push_str(&format!(
            "\n  {}. [{}] {}",
            i + 1,
            st.action.name(),
            st.text
        ));
    }
    ctx.reporter.message(Level::Info, &s);
}

/// The node that was primary before the fault: the failed node of a failover (② and ③:
/// FAULTS.md's "P"), else the primary now. Two faults of those classes strike the standby
/// and leave the primary where it was: `vip-standby-failure` (the standby VIP moves, not the
/// primary) and `heartbeat-lan-failure` (the primary wins the fencing race, the standby is
/// fenced) — their failed node is not the one to switch back to. With no primary shown, or
/// the service down on both, see [`lost_primary`]. Where
/// `heartbeat-lan-failure` is only the first of a fenced node's likely siblings, a
/// `PGSQL.lock` on a node that is not the primary decides: the agent writes it at promote
/// and removes it only when a primary stops with no standby, so its node was the primary
/// when it went down. Seen in the lab: a `disk-failure`'s old primary, powered off for the
/// disk and fenced, read as the likely siblings of a lost standby (no promotion after the
/// loss: the failover came before it), and `--switchback` stayed on the survivor.
fn original_primary(j: &Judged) -> Option<String> {
    use crate::diagnose::Reaction;
    let findings = &j.diagnosis.findings;
    let top = findings.iter().find(|f| f.severity == Severity::Fault);
    let primary = j.primary();
    let locked = || {
        findings
            .iter()
            .filter(|f| f.id == FaultId::LockFilePresent)
            .filter_map(|f| f.node.clone())
            .find(|n| primary.as_deref() != Some(n))
    };
    match top {
        Some(f) if f.playbook == FaultId::RouterFailure => lost_primary(j),
        Some(f) if f.id == FaultId::HeartbeatLanFailure && f.certainty != Certainty::Certain => {
            locked().or(primary).or_else(|| f.node.clone())
        }
        Some(f)
            if matches!(
                f.id,
                FaultId::VipStandbyFailure | FaultId::HeartbeatLanFailure
            ) =>
        {
            primary.or_else(|| f.node.clone())
        }
        Some(f) if matches!(f.reaction, Reaction::Failover | Reaction::FenceFailover) => {
            f.node.clone()
        }
        _ => diverged_standby(j).or_else(|| lost_primary(j)).or(primary),
    }
}

/// The primary before the fault where the cluster no longer shows it: where the
/// service-down-on-both playbook starts it (the newest data), else where a PGSQL.lock is
/// left where PostgreSQL does not run (a primary's stop leaves it; Pacemaker may have
/// promoted the other node since, as after a router's repair).
fn lost_primary(j: &Judged) -> Option<String> {
    use crate::diagnose::playbook::Action;
    let f = actionable(&j.diagnosis)?;
    f.plan
        .iter()
        .find(|s| s.action == Action::PrimaryStart)
        .and_then(|s| s.node.clone())
        .or_else(|| {
            j.diagnosis
                .findings
                .iter()
                .find(|x| x.id == FaultId::LockFilePresent)
                .and_then(|x| x.node.clone())
        })
}

/// How long a judgement waits for the cluster to stop moving (`deviations`: DEGRADED by
/// deviations alone too, after a playbook).
fn settling(o: &RecoverOptions, deviations: bool) -> settle::Settle {
    settle::Settle {
        limit: settle::SETTLE.min(o.life.timeouts.recover_wait),
        interval: poll_every(o),
        quiet: settle::QUIET,
        deviations,
    }
}

/// A standby whose data went past the promotion of the primary now (its playbook rejoins it
/// never as-is): it was the primary on the old timeline — a failover its fault's reaction
/// did not announce (the lab's seed `cib-failure` on the primary: the CIB daemon respawned,
/// the node stayed, yet the other one was promoted and the old primary restarted as a
/// standby).
fn diverged_standby(j: &Judged) -> Option<String> {
    use crate::diagnose::playbook::{Action, MethodPolicy};
    j.diagnosis
        .findings
        .iter()
        .filter(|f| f.id == FaultId::StandbyNotSync)
        .find(|f| {
            f.plan.iter().any(|s| {
                matches!(
                    s.action,
                    Action::StandbyStart {
                        method: MethodPolicy::NeverAsIs
                    }
                )
            })
        })
        .and_then(|f| f.node.clone())
}

/// The cluster's other node, as the judgement's view lists it.
fn other_node(j: &Judged, me: &str) -> Option<String> {
    let st = j.state.as_ref()?;
    st.nodes.iter().map(|n| n.name.clone()).find(|n| n != me)
}

/// How long an operator-action step waits with `--yes`, and how often it looks.
pub(crate) fn poll_every(o: &RecoverOptions) -> Duration {
    o.life.timeouts.monitor_interval.max(Duration::from_secs(1))
}

/// A step's node is this one or the other one.
pub(crate) fn is_here(ctx: &OpContext, node: &str) -> bool {
    node == ctx.me
}

/// The peer's session, or the refusal that a step on it cannot run.
pub(crate) fn need_peer<'p>(peer: Option<&'p dyn Node>, node: &str) -> Result<&'p dyn Node> {
    peer.ok_or_else(|| {
        Error::refused(
            t!(m::PEER_NEEDED, node = node),
            Some(t!(m::PEER_NEEDED_HINT, node = node)),
        )
    })
}

#[cfg(test)]
mod both_down_tests;
#[cfg(test)]
mod target_tests;
#[cfg(test)]
mod tests;
