//! `pgrex cleanup`: which fail-counts and failed actions to clear, and whether the cause
//! of the failure is still visible (then pgrex refuses unless forced: clearing would only let
//! Pacemaker fail again, or move the resource back onto a broken node).
//!
//! [`plan`] and [`blockers`] are pure; [`command`] is the one `crm_resource --cleanup` per
//! target; [`steps`] runs them as the numbered steps of a [`crate::ops::Run`].

use crate::exec::{Cmd, Tools};
use crate::msg::cleanup as m;
use crate::pacemaker::{cib::CibFacts, ClusterState};
use crate::profile::Names;
use crate::status::{Observed, Purpose};
use crate::t;
use serde::Serialize;

/// One resource on one node with something to clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub resource: String,
    pub node: String,
    /// `None`: no fail-count, only failed actions. `u32::MAX` is INFINITY.
    pub fail_count: Option<u32>,
    pub failed_ops: Vec<String>,
}

/// A cause still visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocker {
    pub node: Option<String>,
    pub resource: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub blockers: Vec<Blocker>,
}

fn base(id: &str) -> &str {
    id.split(':').next().unwrap_or(id)
}

/// What `pgrex cleanup [RESOURCE] [--node NODE]` would clear, and what blocks it.
/// An unknown resource or node is an input error naming what exists.
pub fn plan(
    state: &ClusterState,
    names: &Names,
    cib: Option<&CibFacts>,
    resource: Option<&str>,
    node: Option<&str>,
) -> crate::Result<Plan> {
    if let Some(r) = resource {
        if !state.has(r) {
            let ids = state.resource_ids().join(", ");
            return Err(crate::Error::input(
                "RESOURCE",
                t!(m::UNKNOWN_RESOURCE, rsc = r, ids = ids),
            ));
        }
    }
    if let Some(n) = node {
        if state.node(n).is_none() {
            let nodes: Vec<&str> = state.nodes.iter().map(|x| x.name.as_str()).collect();
            return Err(crate::Error::input(
                "--node",
                t!(m::UNKNOWN_NODE, node = n, nodes = nodes.join(", ")),
            ));
        }
    }
    // The resource ids a filter stands for: itself and its members (group, clone).
    let wanted: Option<Vec<String>> = resource.map(|r| {
        let mut v: Vec<String> = state.primitives(r).iter().map(|p| p.id.clone()).collect();
        v.push(r.to_string());
        v
    });
    let matches = |rsc: &str, nd: &str| {
        wanted
            .as_ref()
            .is_none_or(|w| w.iter().any(|x| x == base(rsc)))
            && node.is_none_or(|n| n == nd)
    };
    let mut targets: Vec<Target> = Vec::new();
    let mut entry = |rsc: &str, nd: &str| -> usize {
        let r = base(rsc);
        match targets.iter().position(|t| t.resource == r && t.node == nd) {
            Some(i) => i,
            None => {
                targets.push(Target {
                    resource: r.to_string(),
                    node: nd.to_string(),
                    fail_count: None,
                    failed_ops: Vec::new(),
                });
                targets.len() - 1
            }
        }
    };
    let mut counts = Vec::new();
    for h in state.node_history.iter().filter(|h| h.fail_count > 0) {
        if matches(&h.resource, &h.node) {
            counts.push((entry(&h.resource, &h.node), h.fail_count));
        }
    }
    let mut ops = Vec::new();
    for f in &state.failures {
        if matches(&f.resource, &f.node) {
            ops.push((entry(&f.resource, &f.node), f.op_key.clone()));
        }
    }
    for (i, c) in counts {
        targets[i].fail_count = Some(c);
    }
    for (i, op) in ops {
        targets[i].failed_ops.push(op);
    }
    let blockers = blockers(state, names, cib, &targets);
    Ok(Plan { targets, blockers })
}

/// What still shows a cause for these targets. After a cleanup the same checks tell whether
/// the cluster has settled (Pacemaker re-probes the resource: a VIP is briefly not running).
pub fn blockers(
    state: &ClusterState,
    names: &Names,
    cib: Option<&CibFacts>,
    targets: &[Target],
) -> Vec<Blocker> {
    let ctx = Observed::new(state, names, cib);
    let mut out: Vec<Blocker> = Vec::new();
    let mut push = |b: Blocker| {
        if !out.contains(&b) {
            out.push(b)
        }
    };
    let at = |node: &str, message: String| Blocker {
        node: Some(node.to_string()),
        resource: None,
        message,
    };
    for t in targets {
        let nd = t.node.as_str();
        if state.node(nd).is_none_or(|n| !n.online || n.unclean) {
            push(at(nd, t!(m::BLOCK_OFFLINE, node = nd)));
            continue;
        }
        if let Some(p) = ctx.ping_view(nd).filter(|p| !p.ok && p.value.is_some()) {
            let v = p.value.unwrap_or_default();
            push(at(
                nd,
                t!(m::BLOCK_PING, node = nd, attr = p.attribute, value = v),
            ));
        }
        if let Some(d) = ctx.disk_view(nd).filter(|d| !d.ok && d.value.is_some()) {
            let v = d.value.unwrap_or_default();
            push(at(
                nd,
                t!(m::BLOCK_DISK, node = nd, attr = d.attribute, value = v),
            ));
        }
        // Pacemaker still marks the instance FAILED (a stop or restart that failed).
        let failed_here = state
            .primitives(&t.resource)
            .iter()
            .any(|p| p.failed && p.nodes.iter().any(|n| n == nd));
        if failed_here {
            push(Blocker {
                node: Some(nd.to_string()),
                resource: Some(t.resource.clone()),
                message: t!(m::BLOCK_FAILED, rsc = t.resource, node = nd),
            });
        }
        let on = state.running_on(&t.resource);
        let purpose = ctx.purpose(&t.resource);
        let not_running = |want: String| Blocker {
            node: None,
            resource: Some(t.resource.clone()),
            message: t!(m::BLOCK_NOT_RUNNING, rsc = t.resource, want = want),
        };
        match (purpose, ctx.primary) {
            (Purpose::VipPrimary | Purpose::VipReplication | Purpose::Pgsql, None) => {
                push(Blocker {
                    node: None,
                    resource: Some(t.resource.clone()),
                    message: t!(m::BLOCK_NO_PRIMARY),
                })
            }
            (Purpose::VipPrimary | Purpose::VipReplication, Some(p)) if !on.contains(&p) => {
                push(not_running(p.to_string()))
            }
            (Purpose::VipStandby, _) if on.is_empty() => {
                push(not_running(crate::msg::cleanup::ANY_NODE.text().into()))
            }
            _ => {}
        }
    }
    out
}

/// The command that clears one target.
pub fn command(tools: &Tools, t: &Target) -> Cmd {
    tools
        .cmd("crm_resource")
        .args(["--cleanup", "--resource", &t.resource, "--node", &t.node])
}

pub mod resume;
pub mod steps;
pub use steps::{cleanup, CleanupOptions, Reading, Report};

#[cfg(test)]
mod tests;
