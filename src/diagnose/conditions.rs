//! Conditions that are not faults of their own but block later failovers or operations
//! (FAULTS.md second table), the degraded interconnect (R12) and the respawned pacemakerd
//! (`info`). Evaluated after the fault rules: several only apply when no fault explains them.

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::{base, RuleInput};
use super::FaultId as F;
use super::{Certainty, Evidence, Finding};
use crate::msg::diag as m;
use crate::pacemaker::Resource;
use crate::snapshot::{CorosyncStatus, LogKind};
use crate::status::Severity;
use crate::t;

pub(super) fn rules(f: &RuleInput, out: &mut Vec<Finding>) {
    degraded_links(f, out);
    lock_files(f, out);
    maintenance(f, out);
    let any_fault = out.iter().any(|x| x.severity == Severity::Fault);
    failcounts(f, out);
    if !any_fault {
        fence_history(f, out);
        standby_absent(f, out);
    }
    pacemakerd(f, out);
    down_on_both(f, out);
}

/// The service down on both nodes with no finding that tells why (both standbys alone, seen
/// in the lab after a router's repair and a run of recover): router-failure's playbook is
/// the way out whatever the cause, so the finding carries its id, worded for what is seen.
fn down_on_both(f: &RuleInput, out: &mut Vec<Finding>) {
    if !f.down_on_both() || out.iter().any(|x| x.severity != Severity::Info) {
        return;
    }
    let mut e = Vec::new();
    for n in &f.state.nodes {
        for name in [f.names.status_attr(), f.names.data_status_attr()] {
            if let Some(v) = f.attr(&n.name, &name) {
                e.push(ev::attr("crm_mon", &n.name, &name, v));
            }
        }
    }
    out.push(
        finding(F::RouterFailure, Certainty::Certain, None, e)
            .titled(t!(m::T_BOTH_DOWN))
            .reaction(super::Reaction::None),
    );
}

/// R12: some, not all, interconnect links down while both nodes are online.
fn degraded_links(f: &RuleInput, out: &mut Vec<Finding>) {
    if f.state.nodes.len() < 2 || !f.state.nodes.iter().all(|n| f.online(&n.name)) {
        return;
    }
    let mut views: Vec<(&CorosyncStatus, String)> = Vec::new();
    if let Some(c) = f.snap.corosync.known() {
        views.push((
            c,
            f.snap
                .local_node
                .clone()
                .unwrap_or_else(|| m::THIS_NODE.text().into()),
        ));
    }
    if let Some(p) = f.snap.peer.known() {
        if let Some(c) = p.corosync.known() {
            views.push((c, p.node.clone()));
        }
    }
    let mut e: Vec<Evidence> = Vec::new();
    for (c, from) in views {
        // Corosync 2 rings list no peers: a faulty ring is down for every peer.
        let ids = match c.peer_ids() {
            v if v.is_empty() => vec![0],
            v => v,
        };
        for id in ids {
            let down = c.down_links_to(id);
            if !down.is_empty() && down.len() < c.links.len() {
                for l in c.links.iter().filter(|l| down.contains(&l.id)) {
                    e.push(ev::link(l.id, l.addr.as_deref(), id, &from));
                }
            }
        }
    }
    if !e.is_empty() {
        out.push(finding(
            F::HeartbeatLinkDegraded,
            Certainty::Certain,
            None,
            e,
        ));
    }
}

/// R14: `PGSQL.lock` where PostgreSQL does not run.
fn lock_files(f: &RuleInput, out: &mut Vec<Finding>) {
    for (node, l) in &f.snap.locks {
        let Some(l) = l.known().filter(|l| l.present) else {
            continue;
        };
        let running = f.online(node) && f.st.pgsql_role(node).is_some_and(|r| r.is_active());
        if !running {
            out.push(finding(
                F::LockFilePresent,
                Certainty::Certain,
                Some(node),
                vec![ev::lock(node, &l.path)],
            ));
        }
    }
}

fn maintenance(f: &RuleInput, out: &mut Vec<Finding>) {
    let mut e = Vec::new();
    if f.state.summary.maintenance_mode {
        e.push(ev::text("crm_mon", t!(m::EV_MAINTENANCE_MODE)));
    }
    for n in f.state.nodes.iter().filter(|n| n.maintenance) {
        e.push(ev::text(
            "crm_mon",
            t!(m::EV_NODE_MAINTENANCE, node = n.name),
        ));
    }
    if !f.state.summary.maintenance_mode {
        for r in &f.state.resources {
            let (id, managed) = match r {
                Resource::Primitive(p) => (&p.id, p.managed),
                Resource::Group(g) => (&g.id, g.managed && g.resources.iter().all(|p| p.managed)),
                Resource::Clone(c) => (&c.id, c.managed),
                Resource::Other { .. } => continue,
            };
            if !managed {
                e.push(ev::text("crm_mon", t!(m::EV_UNMANAGED, id = id)));
            }
        }
    }
    if !e.is_empty() {
        out.push(finding(F::MaintenanceModeOn, Certainty::Certain, None, e));
    }
}

/// Fail-counts and failed actions that no fault finding explains.
fn failcounts(f: &RuleInput, out: &mut Vec<Finding>) {
    let covered = |node: &str, rsc: &str| {
        out.iter().any(|x| x.covers.iter().any(|(n, r)| n == node && r == base(rsc)))
            // A lost node's leftovers belong to the fault that lost it.
            || out.iter().any(|x| x.severity == Severity::Fault && x.node.as_deref() == Some(node) && !f.online(node))
    };
    let mut by_node: Vec<(String, Vec<Evidence>)> = Vec::new();
    let mut add = |node: &str, e: Evidence| match by_node.iter_mut().find(|(n, _)| n == node) {
        Some((_, v)) => v.push(e),
        None => by_node.push((node.to_string(), vec![e])),
    };
    for h in f.state.node_history.iter().filter(|h| h.fail_count > 0) {
        if !covered(&h.node, &h.resource) {
            add(&h.node, ev::fail_count(h));
        }
    }
    for a in &f.state.failures {
        if !covered(&a.node, &a.resource) {
            add(&a.node, ev::failure(a));
        }
    }
    for (node, e) in by_node {
        out.push(finding(
            F::FailcountRemaining,
            Certainty::Certain,
            Some(&node),
            e,
        ));
    }
}

/// R13: a fencing history left while nothing else is wrong.
fn fence_history(f: &RuleInput, out: &mut Vec<Finding>) {
    let Some(events) = &f.fence else { return };
    if events.is_empty() {
        return;
    }
    let e = events.iter().map(|x| ev::fence(x)).collect();
    out.push(finding(
        F::FenceHistoryRemaining,
        Certainty::Certain,
        None,
        e,
    ));
}

/// The primary runs alone with no failure behind it.
fn standby_absent(f: &RuleInput, out: &mut Vec<Finding>) {
    let Some(p) = f.st.primary else { return };
    if f.st.standby.is_some() {
        return;
    }
    let other = f.other(p);
    let mut e = vec![ev::text("crm_mon", t!(m::EV_PRIMARY_ALONE, primary = p))];
    if let Some(o) = other {
        if !f.online(o) {
            e.push(ev::node_state(o, false));
        }
        if let Some((v, src)) = f.data_status(o) {
            e.push(ev::attr(src, o, &f.names.data_status_attr(), v));
        }
    }
    out.push(finding(F::StandbyAbsent, Certainty::Certain, other, e));
}

/// pacemakerd was killed and started again: the cluster did not notice (info).
fn pacemakerd(f: &RuleInput, out: &mut Vec<Finding>) {
    let lines = f.logs_where(None, |k| *k == LogKind::PacemakerdRespawn);
    let mut hosts: Vec<Option<&str>> = lines.iter().map(|l| l.host.as_deref()).collect();
    hosts.sort_unstable();
    hosts.dedup();
    for h in hosts {
        let e = lines
            .iter()
            .filter(|l| l.host.as_deref() == h)
            .map(|l| ev::log(l))
            .collect();
        out.push(finding(F::PacemakerdFailure, Certainty::Certain, h, e));
    }
}
