//! [`Observed`]: the one reading of a cluster state under PG-REX's names that the checks,
//! the status view and the diagnosis facts share (primary, standby, purposes, monitors, node
//! names), so none of them derives these twice or imports another for them.

use super::{MonitorView, Purpose};
use crate::pacemaker::{cib::CibFacts, ClusterState, Role};
use crate::profile::{Names, PingNormal};
use std::collections::BTreeSet;

/// The observed cluster with PG-REX's names applied: who is primary and standby, which
/// resource has which purpose, how a node is named. Computed once; every check, the view and
/// the diagnosis facts read it.
pub struct Observed<'a> {
    pub state: &'a ClusterState,
    pub names: &'a Names,
    pub cib: Option<&'a CibFacts>,
    pub primary: Option<&'a str>,
    pub standby: Option<&'a str>,
    pub(super) promoted: Vec<&'a str>,
    ids: BTreeSet<&'a str>,
}

impl<'a> Observed<'a> {
    pub fn new(state: &'a ClusterState, names: &'a Names, cib: Option<&'a CibFacts>) -> Self {
        let instances = state.primitives(&names.promotable);
        let promoted: Vec<&str> = instances
            .iter()
            .filter(|p| p.role == Role::Promoted)
            .flat_map(|p| p.nodes.iter().map(String::as_str))
            .collect();
        let primary = promoted.first().copied();
        let standby = instances
            .iter()
            .filter(|p| matches!(p.role, Role::Unpromoted | Role::Started))
            .flat_map(|p| p.nodes.iter().map(String::as_str))
            .find(|n| Some(*n) != primary);
        Observed {
            state,
            names,
            cib,
            primary,
            standby,
            promoted,
            ids: state.resource_ids().into_iter().collect(),
        }
    }

    /// Every node where PostgreSQL runs promoted (more than one: two primaries).
    pub fn promoted(&self) -> &[&'a str] {
        &self.promoted
    }

    pub fn has(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// The pgsql role on a node (None: no instance mentions the node).
    pub fn pgsql_role(&self, node: &str) -> Option<Role> {
        self.state
            .primitives(&self.names.promotable)
            .into_iter()
            .find(|p| p.nodes.iter().any(|n| n == node))
            .map(|p| p.role.clone())
    }

    /// What a resource is for in PG-REX.
    pub fn purpose(&self, id: &str) -> Purpose {
        let n = self.names;
        if id == n.promotable || id == n.primitive {
            Purpose::Pgsql
        } else if n.vip_primary.as_deref() == Some(id) {
            Purpose::VipPrimary
        } else if n.vip_replication.as_deref() == Some(id) {
            Purpose::VipReplication
        } else if n.vip_standby.as_deref() == Some(id) {
            Purpose::VipStandby
        } else if n.ping.iter().any(|p| p == id) {
            Purpose::Ping
        } else if n.disk.iter().any(|p| p == id) {
            Purpose::Disk
        } else if self.stonith_ids().iter().any(|s| s == id)
            || self.state.primitives(id).iter().any(|p| p.is_stonith())
        {
            Purpose::Stonith
        } else {
            Purpose::Other
        }
    }

    /// The node name for a corosync node id (crm_mon's `node/@id`), else `nodeid N`.
    pub fn node_name(&self, id: u32) -> String {
        self.state
            .nodes
            .iter()
            .find(|n| n.id.as_deref() == Some(id.to_string().as_str()))
            .map(|n| n.name.clone())
            .unwrap_or_else(|| format!("nodeid {id}"))
    }

    /// Fencing resources: the configured ids, else every `stonith:` primitive.
    pub fn stonith_ids(&self) -> Vec<String> {
        if !self.names.stonith.is_empty() {
            return self.names.stonith.clone();
        }
        let mut v: Vec<String> = self
            .state
            .stonith_primitives()
            .iter()
            .map(|p| p.id.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn ping_view(&self, node: &str) -> Option<MonitorView> {
        if !self.names.ping.iter().any(|p| self.has(p)) {
            return None;
        }
        let attr = &self.names.ping_attr;
        let a = self.state.attr(node, attr);
        let ok =
            a.is_some_and(|a| ping_ok(self.names.ping_normal, &a.value, a.expected.as_deref()));
        Some(MonitorView {
            attribute: attr.clone(),
            value: a.map(|a| a.value.clone()),
            ok,
        })
    }

    pub fn disk_view(&self, node: &str) -> Option<MonitorView> {
        let present: Vec<&String> = self.names.disk.iter().filter(|d| self.has(d)).collect();
        if present.is_empty() {
            return None;
        }
        // diskd (seed era) attributes, when they are shown.
        for a in ["diskcheck_status_internal", "diskcheck_status"] {
            if let Some(v) = self.state.attr(node, a) {
                return Some(MonitorView {
                    attribute: a.into(),
                    value: Some(v.value.clone()),
                    ok: v.value == "normal",
                });
            }
        }
        // storage-mon: the hidden attribute from the CIB, else the node's aggregated health.
        if let Some(v) = self
            .cib
            .and_then(|c| c.transient(node, "#health-storage-mon"))
        {
            return Some(MonitorView {
                attribute: "#health-storage-mon".into(),
                value: Some(v.into()),
                ok: v == "green",
            });
        }
        let health = self.state.node(node).and_then(|n| n.health.clone());
        let ok = health.as_deref().is_none_or(|h| h != "red");
        Some(MonitorView {
            attribute: crate::msg::status::NODE_HEALTH.text().into(),
            value: health,
            ok,
        })
    }
}

pub(super) fn ping_ok(normal: PingNormal, value: &str, expected: Option<&str>) -> bool {
    if let Some(e) = expected {
        return value == e;
    }
    match (normal, value.parse::<i64>()) {
        (PingNormal::One, Ok(v)) => v >= 1,
        (PingNormal::HundredPerTarget, Ok(v)) => v >= 100,
        (_, Err(_)) => false,
    }
}
