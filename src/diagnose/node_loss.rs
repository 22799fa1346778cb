//! R1 (fencing not completed) and R2 (a node lost and fenced: why?). The survivor alone
//! cannot tell a dead node from a killed corosync or CIB daemon, a broken interconnect or a
//! stop failure after fencing: the failed node's status is gone. Extra evidence decides when
//! present (failed actions still listed, log lines of the failed node or of the DC, the disk
//! monitor, the peer's own view); otherwise every sibling is reported `likely` with the check
//! that would decide.

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::RuleInput;
use super::FaultId as F;
use super::{Certainty, Evidence, Finding, Reaction};
use crate::msg::diag as m;
use crate::snapshot::{LogKind, LogLine};
use crate::t;

/// The siblings, most common first. When the evidence cannot tell them apart each is
/// reported `likely` with the deciding check; when that check decides (a source status does
/// not read: logs, the peer's view), the one it names is `certain` and replaces them all —
/// the one documented way a fuller diagnosis drops a finding of the lean view.
pub(crate) const SIBLINGS: &[F] = &[
    F::NodeFailure,
    F::CorosyncFailure,
    F::CibFailure,
    F::HeartbeatLanFailure,
    F::PgsqlStopFailure,
    F::PgsqlDemoteFailure,
    F::VipMasterStopFailure,
];

pub(super) fn rules(f: &RuleInput, out: &mut Vec<Finding>) {
    // Every node cleanly OFFLINE (a saved view of a stopped cluster): no survivor fenced or
    // took over anything, so no sibling of a node loss applies; the normal-state rows say
    // that both are offline and the service is down.
    if f.state.nodes.iter().all(|n| !n.online && !n.unclean) {
        return;
    }
    for n in &f.state.nodes {
        if n.online && !n.unclean {
            daemon_crash(f, &n.name, out);
            continue;
        }
        let node = n.name.as_str();
        let events = f.fence_events(node);
        let ok = events.iter().any(|e| e.status == "success");
        // A failed attempt followed by a successful one leaves the node OFFLINE and fenced.
        let superseded = ok && !n.online && !n.unclean;
        let trouble: Vec<_> = events
            .iter()
            .filter(|e| e.status != "success" && !superseded)
            .collect();
        let not_done = f.logs_where(
            None,
            |k| matches!(k, LogKind::FenceNotDone { node: x } if x == node),
        );
        let lost_base = vec![ev::node_state(node, n.unclean)];

        if n.unclean || !trouble.is_empty() || (!ok && !not_done.is_empty()) {
            let mut e = lost_base.clone();
            // Retries repeat every few seconds: the latest three say it.
            e.extend(trouble.iter().take(3).map(|x| ev::fence(x)));
            if trouble.len() > 3 {
                let more = trouble.len() - 3;
                e.push(ev::text("fencing", t!(m::EV_MORE_ATTEMPTS, count = more)));
            }
            e.extend(not_done.iter().map(|l| ev::log(l)));
            // Only a failed attempt is certain: UNCLEAN and pending are normal for the seconds
            // fencing takes.
            let failed = trouble.iter().any(|e| e.status == "failed") || !not_done.is_empty();
            let fd = if failed {
                finding(F::FencingFailure, Certainty::Certain, Some(node), e)
            } else {
                finding(F::FencingFailure, Certainty::Likely, Some(node), e)
                    .decide(t!(m::DECIDE_FENCING_PENDING, node = node))
            };
            out.push(fd);
            causes(f, node, lost_base, false, out);
        } else if ok {
            let mut e = lost_base;
            e.extend(
                events
                    .iter()
                    .filter(|e| e.status == "success")
                    .map(|x| ev::fence(x)),
            );
            causes(f, node, e, true, out);
        } else if f.fence.is_none() {
            // Without the fencing history an OFFLINE node may be fenced or simply stopped.
            let why = f.snap.fencing.why().unwrap_or("?");
            let mut e = lost_base;
            e.push(ev::text("fencing", t!(m::EV_FENCING_UNKNOWN, why = why)));
            let check = t!(m::DECIDE_FENCE_HISTORY, node = node);
            for &id in SIBLINGS {
                out.push(
                    finding(id, Certainty::Likely, Some(node), e.clone()).decide(check.clone()),
                );
            }
        }
        // OFFLINE, history known, no fence event: stopped by the operator (conditions.rs).
    }
}

/// Why was `node` lost? Certain causes when evidence names one; else every sibling, likely.
/// `fenced`: the node was fenced (then the survivor's promotion after the loss tells which
/// role the lost node had; without fencing there is no failover to look for).
fn causes(f: &RuleInput, node: &str, base: Vec<Evidence>, fenced: bool, out: &mut Vec<Finding>) {
    let n = f.names;
    let prim = n.primitive.as_str();
    let vip = n.vip_primary.as_deref();
    let mut found: Vec<Finding> = Vec::new();
    let mut certain = |id: F, extra: Vec<Evidence>, covers: &[&str]| {
        let mut e = base.clone();
        e.extend(extra);
        found.push(finding(id, Certainty::Certain, Some(node), e).covering(node, covers));
    };

    // Failed stop/demote still listed (the node was not fenced yet, or its history kept).
    let stop = f.failures(node, prim, "stop");
    let demote = f.failures(node, prim, "demote");
    let vip_stop = vip.map(|v| f.failures(node, v, "stop")).unwrap_or_default();
    // Log lines naming a failed stop/demote on this node (its own, or the DC's).
    let op_logs = |op: &str, rsc: &str| {
        f.logs_where(None, |k| {
            matches!(k, LogKind::OpFailed { op: o, resource: r, node: x, .. } if o == op && r == rsc && x == node)
        })
    };
    let stop_l = op_logs("stop", prim);
    let demote_l = op_logs("demote", prim);
    let vip_l = vip.map(|v| op_logs("stop", v)).unwrap_or_default();
    if !stop.is_empty() || !stop_l.is_empty() {
        let mut e: Vec<Evidence> = stop.iter().map(|x| ev::failure(x)).collect();
        e.extend(stop_l.iter().map(|l| ev::log(l)));
        certain(F::PgsqlStopFailure, e, &[prim]);
    }
    if !demote.is_empty() || !demote_l.is_empty() {
        let mut e: Vec<Evidence> = demote.iter().map(|x| ev::failure(x)).collect();
        e.extend(demote_l.iter().map(|l| ev::log(l)));
        certain(F::PgsqlDemoteFailure, e, &[prim]);
    }
    if !vip_stop.is_empty() || !vip_l.is_empty() {
        let mut e: Vec<Evidence> = vip_stop.iter().map(|x| ev::failure(x)).collect();
        e.extend(vip_l.iter().map(|l| ev::log(l)));
        certain(F::VipMasterStopFailure, e, &[vip.unwrap_or_default(), prim]);
    }
    if let Some(d) = f.st.disk_view(node).filter(|d| !d.ok && d.value.is_some()) {
        let e = vec![ev::attr(
            "cib",
            node,
            &d.attribute,
            d.value.as_deref().unwrap_or_default(),
        )];
        certain(F::DiskFailure, e, &[]);
    }
    // What the lost node itself logged before it went.
    let own = |pred: &dyn Fn(&LogKind) -> bool| f.logs_where(Some(node), pred);
    let other = f.other(node).unwrap_or_default().to_string();
    // It lost the survivor and meant to fence it: the interconnect broke (a peer that left
    // cleanly is "lost" too, but nobody fences it).
    // Only after it lost the survivor: a node that starts alone also schedules fencing of
    // its absent peer (the startup fence, seen in the lab), which says nothing of a fault.
    let fence_peer = fencing_after_loss(f, node, &other);
    // A node whose own corosync died also sees the peer vanish and may schedule its fencing
    // before it stops (seen in the lab): then corosync is the cause, not the interconnect.
    let own_corosync_died = !own(&|k| *k == LogKind::CorosyncLost).is_empty();
    if !fence_peer.is_empty() && !own_corosync_died {
        let lost = own(&|k| matches!(k, LogKind::NodeLost { node: x } if *x == other));
        let mut e: Vec<Evidence> = lost.iter().take(1).map(|l| ev::log(l)).collect();
        e.extend(fence_peer.iter().map(|l| ev::log(l)));
        certain(F::HeartbeatLanFailure, e, &[]);
    }
    let cib = own(&|k| *k == LogKind::CibDied);
    if !cib.is_empty() {
        certain(F::CibFailure, cib.iter().map(|l| ev::log(l)).collect(), &[]);
    }
    let coro = own(&|k| *k == LogKind::CorosyncLost);
    if !coro.is_empty() {
        certain(
            F::CorosyncFailure,
            coro.iter().map(|l| ev::log(l)).collect(),
            &[],
        );
    }
    // The peer's own corosync, running but cut off from us: the interconnect is broken.
    if let Some(p) = f.snap.peer.known().filter(|p| p.node == node) {
        if let Some(c) = p.corosync.known() {
            let down: Vec<Evidence> = c
                .peer_ids()
                .into_iter()
                .flat_map(|id| {
                    let links = c.down_links_to(id);
                    (!links.is_empty() && links.len() == c.links.len()).then(|| {
                        c.links
                            .iter()
                            .map(|l| ev::link(l.id, l.addr.as_deref(), id, node))
                            .collect::<Vec<_>>()
                    })
                })
                .flatten()
                .collect();
            if !down.is_empty() {
                certain(F::HeartbeatLanFailure, down, &[]);
            }
        }
    }
    // A silent log settles it as a node failure (the manual's step 5) unless the survivor's
    // log shows that the lost node was the standby (no promotion after the loss): with
    // priority-fencing-delay an interconnect failure fences the standby at once, often
    // before it logs its own loss of the peer (a race seen in the lab), so then the
    // siblings stay `likely`.
    let silent_means_node_failure = survivor_view(f, node).is_none_or(|(_, promoted)| promoted);
    if found.is_empty() && f.own_logs_read(node) && silent_means_node_failure {
        // The manual's step 5: neither a stop failure nor "is now lost" → node failure.
        let e = vec![ev::text("log", t!(m::EV_OWN_LOG_SILENT, node = node))];
        let mut e2 = base.clone();
        e2.extend(e);
        found.push(finding(F::NodeFailure, Certainty::Certain, Some(node), e2));
    }
    if !found.is_empty() {
        for x in found.iter_mut().filter(|x| x.id == F::DiskFailure) {
            x.reaction = Reaction::FenceFailover;
        }
        out.extend(found);
        return;
    }
    let check = t!(m::DECIDE_NODE_LOSS, node = node);
    let mut base = base;
    let mut order: Vec<F> = SIBLINGS.to_vec();
    if let Some((lost, promoted_after)) = survivor_view(f, node) {
        base.push(ev::log(lost));
        // The survivor was not promoted after the loss: the lost node was the standby. With
        // priority-fencing-delay an interconnect failure fences the standby, while the node
        // and stop faults of the catalogue strike the primary.
        if fenced && !promoted_after {
            order.retain(|id| *id != F::HeartbeatLanFailure);
            order.insert(0, F::HeartbeatLanFailure);
        }
    }
    for id in order {
        out.push(finding(id, Certainty::Likely, Some(node), base.clone()).decide(check.clone()));
    }
}

/// `node`'s own "Scheduling node `other` for fencing" lines that follow its own last "`other`
/// state is now lost" line in the same file, with no "`other` state is now member" after it:
/// it lost a member and meant to fence it, in this incident. With `other` back after the
/// loss the lines are an earlier fault's, in which `node` survived and fenced `other` (the
/// lab: a survivor struck by the next fault of the set, in the same Pacemaker session, read
/// as `heartbeat-lan-failure` on itself).
fn fencing_after_loss<'a>(
    f: &RuleInput<'a>,
    node: &str,
    other: &str,
) -> Vec<&'a crate::snapshot::LogLine> {
    let mine = f.logs_where(Some(node), |_| true);
    let Some(lost) = mine
        .iter()
        .rposition(|l| matches!(&l.kind, LogKind::NodeLost { node: x } if x == other))
    else {
        return Vec::new();
    };
    let after: Vec<_> = mine[lost..]
        .iter()
        .copied()
        .filter(|l| l.file == mine[lost].file)
        .collect();
    // `other` a member again after it: an earlier incident of the same Pacemaker session
    // (seen in the lab: pm02 had fenced pm01 in one case, then failed itself in the next, and
    // that old fencing read as an interconnect failure of pm02).
    if after
        .iter()
        .any(|l| matches!(&l.kind, LogKind::NodeMember { node: x } if x == other))
    {
        return Vec::new();
    }
    after
        .into_iter()
        .filter(|l| matches!(&l.kind, LogKind::FenceScheduled { node: x } if x == other))
        .collect()
}

/// The survivor's "`node` state is now lost" line, and whether the survivor's log shows its
/// promotion after it (same file, later line) — or before it but after `node` last became a
/// member: a failover while `node` stayed in the cluster (its disk failed, the primary moved)
/// before `node` was lost (the human powered it off to replace the disk, and the survivor
/// fenced it; seen in the lab, seed `disk-failure --switchback`, where the old primary then
/// read as the standby). A switchover's old primary rejoins after the promotion (its
/// Pacemaker restarts), so a switchover does not count.
fn survivor_view<'a>(
    f: &RuleInput<'a>,
    node: &str,
) -> Option<(&'a crate::snapshot::LogLine, bool)> {
    let survivor = f.other(node)?;
    let prim = f.names.primitive.as_str();
    let (i, lost) = f.logs.iter().enumerate().rev().find(|(_, l)| {
        l.host.as_deref() == Some(survivor)
            && matches!(&l.kind, LogKind::NodeLost { node: x } if x == node)
    })?;
    let promoted = |l: &LogLine| {
        l.file == lost.file
            && matches!(&l.kind, LogKind::Promoted { resource: r, node: x } if r == prim && x == survivor)
    };
    let promoted_after = f.logs[i..].iter().any(|l| promoted(l));
    let joined = f.logs[..i].iter().rposition(|l| {
        l.file == lost.file
            && l.host.as_deref() == Some(survivor)
            && matches!(&l.kind, LogKind::NodeMember { node: x } if x == node)
    });
    let promoted_while_member = joined.is_some_and(|m| f.logs[m..i].iter().any(|l| promoted(l)));
    Some((*lost, promoted_after || promoted_while_member))
}

/// A node still online whose own log (this Pacemaker session) shows the CIB daemon killed or
/// Pacemaker losing corosync: Pacemaker 2.1 may respawn the daemon instead of getting the
/// node fenced (seen in the lab for `cib-failure`); what it left behind follows as
/// `failcount-remaining`.
fn daemon_crash(f: &RuleInput, node: &str, out: &mut Vec<Finding>) {
    for (id, kind, title) in [
        (F::CibFailure, LogKind::CibDied, m::T_CIB_RESPAWNED),
        (
            F::CorosyncFailure,
            LogKind::CorosyncLost,
            m::T_COROSYNC_ONLINE,
        ),
    ] {
        let lines = f.logs_where(Some(node), |k| *k == kind);
        if !lines.is_empty() {
            let e = lines.iter().map(|l| ev::log(l)).collect();
            // The daemon respawned, yet the other node was promoted after it died (2.1: the
            // node's transient attributes went with the CIB daemon; lab, cib-failure of the
            // primary): this node's PostgreSQL restarted as a standby on the old timeline
            // — a failover in effect, its data rejoined rewound.
            let moved = promoted_after(f, node, lines[0]);
            let reaction = match moved {
                true => Reaction::Failover,
                false => Reaction::Restart,
            };
            let mut fd = finding(id, Certainty::Certain, Some(node), e).reaction(reaction);
            fd.title = t!(title, node = node);
            out.push(fd);
            return;
        }
    }
    // Without the node's log, crm_mon still shows a trace of the respawn: the fencer lost its
    // connection when the CIB daemon died, so a fencing device's probe on the node failed
    // with "Lost connection to fencer" (seen in the lab for `cib-failure`).
    let lost_fencer: Vec<_> = f
        .state
        .failures
        .iter()
        .filter(|a| a.node == node && a.task == "monitor" && a.interval_ms == 0)
        .filter(|a| {
            a.exitreason
                .as_deref()
                .is_some_and(|r| r.contains("Lost connection to fencer"))
        })
        .filter(|a| {
            f.state
                .primitives(&a.resource)
                .iter()
                .any(|p| p.is_stonith())
        })
        .collect();
    if !lost_fencer.is_empty() {
        let e = lost_fencer.iter().map(|a| ev::failure(a)).collect();
        let mut fd = finding(F::CibFailure, Certainty::Likely, Some(node), e)
            .reaction(Reaction::Restart)
            .decide(t!(m::DECIDE_RESPAWN, node = node));
        fd.title = t!(m::T_CIB_RESPAWNED, node = node);
        out.push(fd);
    }
}

/// Whether the other node's log shows its promotion after `line` (`node`'s own line), the
/// other node primary now.
fn promoted_after(f: &RuleInput, node: &str, line: &LogLine) -> bool {
    let Some(other) = f.other(node) else {
        return false;
    };
    let prim = f.names.primitive.as_str();
    let Some(died) = stamp(&line.text) else {
        return false;
    };
    f.st.primary == Some(other)
        && f.logs.iter().any(|l| {
            matches!(&l.kind, LogKind::Promoted { resource: r, node: x } if r == prim && x == other)
                && stamp(&l.text).is_some_and(|at| at.len() == died.len() && at > died)
        })
}

/// The time a Pacemaker log line starts with (`Dec 01 11:59:23.404`, the detail log's
/// format; syslog's `Dec  1 11:59:23` too): lines of one format compare as text within a
/// month. None for any other start.
fn stamp(text: &str) -> Option<&str> {
    static RE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[A-Z][a-z]{2} [ 0-3]\d \d{2}:\d{2}:\d{2}(\.\d+)?")
            .expect("valid regex")
    });
    RE.find(text).map(|m| m.as_str())
}

/// The reaction of a disk failure depends on whether the node was fenced.
pub(super) fn disk_reaction(f: &RuleInput, node: &str) -> Reaction {
    if f.fenced_ok(node) && !f.online(node) {
        Reaction::FenceFailover
    } else {
        Reaction::Failover
    }
}
