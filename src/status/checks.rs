//! The PG-REX normal-state checks (spec §5.3), one function per row of the table.
//! Each returns the deviations it finds; none means the row holds.

use super::*;
use crate::msg::status as m;
use crate::pacemaker::{cib::CibFacts, ClusterState, Primitive, Role};
use crate::profile::{Names, PingNormal};
use crate::t;
use std::collections::BTreeSet;

/// What every check needs, computed once.
pub(crate) struct Ctx<'a> {
    pub state: &'a ClusterState,
    pub names: &'a Names,
    pub cib: Option<&'a CibFacts>,
    pub primary: Option<&'a str>,
    pub standby: Option<&'a str>,
    promoted: Vec<&'a str>,
    ids: BTreeSet<&'a str>,
}

impl<'a> Ctx<'a> {
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
        Ctx {
            state,
            names,
            cib,
            primary,
            standby,
            promoted,
            ids: state.resource_ids().into_iter().collect(),
        }
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

    pub fn purpose(&self, id: &str) -> &'static str {
        let n = self.names;
        if id == n.promotable || id == n.primitive {
            "pgsql"
        } else if n.vip_primary.as_deref() == Some(id) {
            "vip_primary"
        } else if n.vip_replication.as_deref() == Some(id) {
            "vip_replication"
        } else if n.vip_standby.as_deref() == Some(id) {
            "vip_standby"
        } else if n.ping.iter().any(|p| p == id) {
            "ping"
        } else if n.disk.iter().any(|p| p == id) {
            "disk"
        } else if self.stonith_ids().iter().any(|s| s == id)
            || self.state.primitives(id).iter().any(|p| p.is_stonith())
        {
            "stonith"
        } else {
            "other"
        }
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
            attribute: "node health".into(),
            value: health,
            ok,
        })
    }
}

/// Whether the disk monitor's state can only be read from the CIB: a disk clone is
/// configured, crm_mon shows no aggregated node health and no diskd attribute.
pub fn needs_cib_for_disk(state: &ClusterState, names: &Names) -> bool {
    let ids = state.resource_ids();
    let has_disk = names.disk.iter().any(|d| ids.contains(&d.as_str()));
    let diskd_shown = state
        .node_attributes
        .values()
        .flatten()
        .any(|a| a.name.starts_with("diskcheck_status"));
    has_disk && !diskd_shown && state.nodes.iter().any(|n| n.online && n.health.is_none())
}

fn ping_ok(normal: PingNormal, value: &str, expected: Option<&str>) -> bool {
    if let Some(e) = expected {
        return value == e;
    }
    match (normal, value.parse::<i64>()) {
        (PingNormal::One, Ok(v)) => v >= 1,
        (PingNormal::HundredPerTarget, Ok(v)) => v >= 100,
        (_, Err(_)) => false,
    }
}

fn dev(
    check: Check,
    severity: Severity,
    node: Option<&str>,
    msg: crate::msg::Msg,
    message: String,
    hint: Option<String>,
) -> Deviation {
    Deviation {
        check,
        severity,
        node: node.map(str::to_string),
        id: msg.id,
        message,
        hint,
    }
}

/// A resource pgrex was told about (config or profile) that the cluster does not have.
fn absent(check: Check, id: &str) -> Deviation {
    dev(
        check,
        Severity::Warning,
        None,
        m::DEV_RESOURCE_ABSENT,
        t!(m::DEV_RESOURCE_ABSENT, id = id),
        None,
    )
}

pub(super) fn all(c: &Ctx) -> Vec<Deviation> {
    let mut v = Vec::new();
    cluster(c, &mut v);
    nodes(c, &mut v);
    pgsql(c, &mut v);
    vips(c, &mut v);
    stonith(c, &mut v);
    monitors(c, &mut v);
    attributes(c, &mut v);
    fail_counts(c, &mut v);
    failed_actions(c, &mut v);
    fence_history(c, &mut v);
    management(c, &mut v);
    v
}

fn cluster(c: &Ctx, v: &mut Vec<Deviation>) {
    let s = &c.state.summary;
    if !s.stonith_enabled {
        v.push(dev(
            Check::Cluster,
            Severity::Warning,
            None,
            m::DEV_STONITH_DISABLED,
            t!(m::DEV_STONITH_DISABLED),
            None,
        ));
    }
    if s.with_quorum == Some(false) {
        v.push(dev(
            Check::Cluster,
            Severity::Warning,
            None,
            m::DEV_NO_QUORUM,
            t!(m::DEV_NO_QUORUM),
            None,
        ));
    }
    if c.state.nodes.len() != 2 {
        let n = c.state.nodes.len();
        v.push(dev(
            Check::Nodes,
            Severity::Warning,
            None,
            m::DEV_NODE_COUNT,
            t!(m::DEV_NODE_COUNT, count = n),
            None,
        ));
    }
}

/// Was `node` fenced successfully (per the fencing history)?
fn fenced(c: &Ctx, node: &str) -> bool {
    c.state
        .fence_history
        .iter()
        .flatten()
        .any(|e| e.target == node && e.status == "success")
}

fn nodes(c: &Ctx, v: &mut Vec<Deviation>) {
    for n in &c.state.nodes {
        let node = Some(n.name.as_str());
        if n.unclean {
            v.push(dev(
                Check::Nodes,
                Severity::Fault,
                node,
                m::DEV_NODE_UNCLEAN,
                t!(m::DEV_NODE_UNCLEAN, node = n.name),
                Some("pgrex diagnose".into()),
            ));
        } else if !n.online {
            if fenced(c, &n.name) {
                v.push(dev(
                    Check::Nodes,
                    Severity::Fault,
                    node,
                    m::DEV_NODE_FENCED,
                    t!(m::DEV_NODE_FENCED, node = n.name),
                    Some("pgrex diagnose".into()),
                ));
            } else {
                v.push(dev(
                    Check::Nodes,
                    Severity::Warning,
                    node,
                    m::DEV_NODE_OFFLINE,
                    t!(m::DEV_NODE_OFFLINE, node = n.name),
                    Some(format!("pgrex standby-start   (on {})", n.name)),
                ));
            }
        } else if n.standby {
            v.push(dev(
                Check::Nodes,
                Severity::Warning,
                node,
                m::DEV_NODE_STANDBY,
                t!(m::DEV_NODE_STANDBY, node = n.name),
                Some(format!(
                    "crm_attribute --node {} --name standby --delete",
                    crate::exec::quote(&n.name)
                )),
            ));
        } else if n.maintenance {
            v.push(dev(
                Check::Nodes,
                Severity::Warning,
                node,
                m::DEV_NODE_MAINTENANCE,
                t!(m::DEV_NODE_MAINTENANCE, node = n.name),
                None,
            ));
        } else if n.pending {
            v.push(dev(
                Check::Nodes,
                Severity::Warning,
                node,
                m::DEV_NODE_PENDING,
                t!(m::DEV_NODE_PENDING, node = n.name),
                None,
            ));
        }
    }
}

fn pgsql(c: &Ctx, v: &mut Vec<Deviation>) {
    let clone = &c.names.promotable;
    if !c.has(clone) {
        let ids = c.state.resource_ids().join(", ");
        v.push(dev(Check::Pgsql, Severity::Fault, None, m::DEV_PGSQL_MISSING, t!(m::DEV_PGSQL_MISSING, id = clone, profile = c.names.profile, ids = ids), Some("pgrex status --profile seed|pgrex17   (or set PG_REX_Primary_ResourceID in /etc/pg-rex_tools.conf)".into())));
        return;
    }
    match c.promoted.len() {
        0 => v.push(dev(
            Check::Pgsql,
            Severity::Fault,
            None,
            m::DEV_NO_PRIMARY,
            t!(m::DEV_NO_PRIMARY, id = clone),
            Some("pgrex diagnose".into()),
        )),
        1 => {}
        _ => v.push(dev(
            Check::Pgsql,
            Severity::Fault,
            None,
            m::DEV_TWO_PRIMARIES,
            t!(m::DEV_TWO_PRIMARIES, nodes = c.promoted.join(", ")),
            Some("pgrex diagnose".into()),
        )),
    }
    if let Some(p) = c.primary {
        if c.standby.is_none() {
            let other = c.state.nodes.iter().find(|n| n.name != p);
            // An offline peer is reported by the node check already.
            if other.is_some_and(|o| o.online) || other.is_none() {
                let on = other.map(|o| o.name.as_str()).unwrap_or("the other node");
                v.push(dev(
                    Check::Pgsql,
                    Severity::Warning,
                    other.map(|o| o.name.as_str()),
                    m::DEV_STANDBY_NOT_RUNNING,
                    t!(m::DEV_STANDBY_NOT_RUNNING, node = on),
                    Some(format!(
                        "pgrex diagnose   (then pgrex standby-start on {on})"
                    )),
                ));
            }
        }
    }
    for p in c.state.primitives(clone) {
        if p.failed {
            let on = p.nodes.join(", ");
            v.push(dev(
                Check::Pgsql,
                Severity::Fault,
                p.nodes.first().map(String::as_str),
                m::DEV_RESOURCE_FAILED,
                t!(m::DEV_RESOURCE_FAILED, id = p.id, nodes = on),
                Some("pgrex diagnose".into()),
            ));
        }
    }
}

fn where_runs<'a>(c: &'a Ctx, id: &str) -> Vec<&'a str> {
    c.state.running_on(id)
}

fn vips(c: &Ctx, v: &mut Vec<Deviation>) {
    let Some(primary) = c.primary else { return };
    for id in [&c.names.vip_primary, &c.names.vip_replication]
        .into_iter()
        .flatten()
    {
        if !c.has(id) {
            v.push(absent(Check::Vips, id));
            continue;
        }
        let on = where_runs(c, id);
        if on != [primary] {
            let sev = if c.names.vip_primary.as_deref() == Some(id.as_str()) {
                Severity::Fault
            } else {
                Severity::Warning
            };
            v.push(dev(
                Check::Vips,
                sev,
                Some(primary),
                m::DEV_VIP_NOT_ON_PRIMARY,
                t!(
                    m::DEV_VIP_NOT_ON_PRIMARY,
                    id = id,
                    primary = primary,
                    nodes = fmt_nodes(&on)
                ),
                Some("pgrex diagnose".into()),
            ));
        }
    }
    if let Some(id) = &c.names.vip_standby {
        if !c.has(id) {
            return; // optional (IPADDR_STANDBY); absent means not used
        }
        let on = where_runs(c, id);
        // With a sync standby the standby VIP runs there; otherwise the primary serves it.
        let standby_sync = c.standby.is_some_and(|s| {
            c.state
                .attr(s, &c.names.status_attr())
                .is_some_and(|a| a.value == "HS:sync")
        });
        let want = if standby_sync {
            c.standby.unwrap_or(primary)
        } else {
            primary
        };
        if on != [want] {
            v.push(dev(
                Check::Vips,
                Severity::Warning,
                Some(want),
                m::DEV_VIP_STANDBY_MISPLACED,
                t!(
                    m::DEV_VIP_STANDBY_MISPLACED,
                    id = id,
                    want = want,
                    nodes = fmt_nodes(&on)
                ),
                None,
            ));
        }
    }
}

fn fmt_nodes(on: &[&str]) -> String {
    if on.is_empty() {
        "nowhere".into()
    } else {
        on.join(", ")
    }
}

fn stonith(c: &Ctx, v: &mut Vec<Deviation>) {
    let ids = c.stonith_ids();
    if ids.is_empty() {
        if c.state.summary.stonith_enabled {
            v.push(dev(
                Check::Stonith,
                Severity::Warning,
                None,
                m::DEV_NO_STONITH,
                t!(m::DEV_NO_STONITH),
                None,
            ));
        }
        return;
    }
    for id in ids {
        if !c.has(&id) {
            v.push(absent(Check::Stonith, &id));
            continue;
        }
        let prims: Vec<&Primitive> = c.state.primitives(&id);
        let offline_peer = c.state.nodes.iter().any(|n| !n.online);
        if where_runs(c, &id).is_empty() && !offline_peer {
            // With one node down, the device that fences the survivor cannot run anywhere:
            // that is expected (the node check reports the cause).
            v.push(dev(
                Check::Stonith,
                Severity::Warning,
                None,
                m::DEV_STONITH_STOPPED,
                t!(m::DEV_STONITH_STOPPED, id = id),
                Some("pgrex diagnose".into()),
            ));
        } else if where_runs(c, &id).is_empty() && offline_peer && prims.iter().all(|p| p.failed) {
            v.push(dev(
                Check::Stonith,
                Severity::Warning,
                None,
                m::DEV_STONITH_STOPPED,
                t!(m::DEV_STONITH_STOPPED, id = id),
                None,
            ));
        }
    }
}

/// One monitor (network or disk) on one node: its clones must run there, and its attribute
/// must read healthy.
struct Monitor<'a> {
    check: Check,
    clones: &'a [String],
    view: fn(&Ctx<'a>, &str) -> Option<MonitorView>,
    failed: crate::msg::Msg,
}

fn monitors(c: &Ctx, v: &mut Vec<Deviation>) {
    let kinds = [
        Monitor {
            check: Check::Ping,
            clones: &c.names.ping,
            view: Ctx::ping_view,
            failed: m::DEV_PING_LOST,
        },
        Monitor {
            check: Check::Disk,
            clones: &c.names.disk,
            view: Ctx::disk_view,
            failed: m::DEV_DISK_FAILED,
        },
    ];
    for n in c.state.nodes.iter().filter(|n| n.online) {
        for k in &kinds {
            monitor_on(c, &n.name, k, v);
        }
    }
}

fn monitor_on<'a>(c: &Ctx<'a>, node: &str, k: &Monitor<'a>, v: &mut Vec<Deviation>) {
    let mut running_here = false;
    for id in k.clones.iter().filter(|p| c.has(p)) {
        if where_runs(c, id).contains(&node) {
            running_here = true;
        } else {
            v.push(dev(
                k.check,
                Severity::Warning,
                Some(node),
                m::DEV_CLONE_NOT_ON_NODE,
                t!(m::DEV_CLONE_NOT_ON_NODE, id = id, node = node),
                None,
            ));
        }
    }
    let Some(view) = (k.view)(c, node) else {
        return;
    };
    // No attribute and no monitor running here: the clone deviation says so; claiming a
    // failure would be a guess.
    if !view.ok && (view.value.is_some() || running_here) {
        let val = view.value.clone().unwrap_or_else(|| "(not set)".into());
        v.push(dev(
            k.check,
            Severity::Fault,
            Some(node),
            k.failed,
            t!(k.failed, node = node, attr = view.attribute, value = val),
            Some("pgrex diagnose".into()),
        ));
    }
}

fn attributes(c: &Ctx, v: &mut Vec<Deviation>) {
    let n = c.names;
    let check = |node: &str, attr: String, want: &[&str], sev: Severity, v: &mut Vec<Deviation>| {
        let got = c.state.attr(node, &attr).map(|a| a.value.clone());
        if !got.as_deref().is_some_and(|g| want.contains(&g)) {
            let got = got.unwrap_or_else(|| "(not set)".into());
            v.push(dev(
                Check::Attributes,
                sev,
                Some(node),
                m::DEV_ATTR_UNEXPECTED,
                t!(
                    m::DEV_ATTR_UNEXPECTED,
                    node = node,
                    attr = attr,
                    value = got,
                    want = want.join(" or ")
                ),
                None,
            ));
        }
    };
    // A node that is not online and clean has no trustworthy attributes, and while the
    // primary itself is in trouble the standby's scores are in transition: the node
    // deviation says what matters then.
    let up = |node: &str| c.state.node(node).is_some_and(|x| x.online && !x.unclean);
    if c.primary.is_some_and(|p| !up(p)) {
        return;
    }
    if let Some(p) = c.primary {
        check(p, n.status_attr(), &["PRI"], Severity::Warning, v);
        check(p, n.data_status_attr(), &["LATEST"], Severity::Warning, v);
        check(p, n.promotion_attr(), &["1000"], Severity::Warning, v);
    }
    if let Some(s) = c.standby.filter(|s| up(s)) {
        let status = c.state.attr(s, &n.status_attr()).map(|a| a.value.as_str());
        let data = c
            .state
            .attr(s, &n.data_status_attr())
            .map(|a| a.value.as_str());
        let lost = matches!(status, Some("HS:alone")) || matches!(data, Some("DISCONNECT"));
        if lost {
            let st = status.unwrap_or("(not set)");
            let ds = data.unwrap_or("(not set)");
            v.push(dev(
                Check::Attributes,
                Severity::Fault,
                Some(s),
                m::DEV_REPLICATION_LOST,
                t!(m::DEV_REPLICATION_LOST, node = s, status = st, data = ds),
                Some("pgrex diagnose".into()),
            ));
        } else {
            check(s, n.status_attr(), &["HS:sync"], Severity::Warning, v);
            check(
                s,
                n.data_status_attr(),
                &["STREAMING|SYNC"],
                Severity::Warning,
                v,
            );
            check(s, n.promotion_attr(), &["100"], Severity::Warning, v);
        }
    }
    for node in &c.state.nodes {
        if c.state.attr(&node.name, &n.xlog_loc_attr()).is_some() && c.primary.is_some() {
            v.push(dev(
                Check::Attributes,
                Severity::Warning,
                Some(&node.name),
                m::DEV_XLOG_LOC_LEFT,
                t!(
                    m::DEV_XLOG_LOC_LEFT,
                    node = node.name,
                    attr = n.xlog_loc_attr()
                ),
                None,
            ));
        }
    }
}

fn fail_counts(c: &Ctx, v: &mut Vec<Deviation>) {
    for h in c.state.node_history.iter().filter(|h| h.fail_count > 0) {
        let count = if h.fail_count == u32::MAX {
            "INFINITY".to_string()
        } else {
            h.fail_count.to_string()
        };
        v.push(dev(
            Check::FailCounts,
            Severity::Warning,
            Some(&h.node),
            m::DEV_FAIL_COUNT,
            t!(
                m::DEV_FAIL_COUNT,
                id = h.resource,
                node = h.node,
                count = count
            ),
            Some(format!(
                "pgrex cleanup {} --node {}",
                crate::exec::quote(&h.resource),
                crate::exec::quote(&h.node)
            )),
        ));
    }
}

fn failed_actions(c: &Ctx, v: &mut Vec<Deviation>) {
    for f in &c.state.failures {
        v.push(dev(
            Check::FailedActions,
            Severity::Fault,
            Some(&f.node),
            m::DEV_FAILED_ACTION,
            t!(
                m::DEV_FAILED_ACTION,
                op = f.op_key,
                node = f.node,
                status = f.exitstatus
            ),
            Some("pgrex diagnose".into()),
        ));
    }
}

fn fence_history(c: &Ctx, v: &mut Vec<Deviation>) {
    for e in c.state.fence_history.iter().flatten() {
        let (sev, msg) = match e.status.as_str() {
            "success" => (Severity::Warning, m::DEV_FENCE_DONE),
            "pending" => (Severity::Fault, m::DEV_FENCE_PENDING),
            _ => (Severity::Fault, m::DEV_FENCE_FAILED),
        };
        let by = e
            .delegate
            .clone()
            .or_else(|| e.origin.clone())
            .unwrap_or_else(|| "?".into());
        let hint = (sev == Severity::Warning).then(|| {
            format!(
                "stonith_admin --cleanup --history {}",
                crate::exec::quote(&e.target)
            )
        });
        v.push(dev(
            Check::FenceHistory,
            sev,
            Some(&e.target),
            msg,
            t!(msg, action = e.action, target = e.target, by = by),
            hint,
        ));
    }
}

fn management(c: &Ctx, v: &mut Vec<Deviation>) {
    if c.state.summary.maintenance_mode {
        v.push(dev(Check::Management, Severity::Warning, None, m::DEV_MAINTENANCE_MODE, t!(m::DEV_MAINTENANCE_MODE), Some("crm_attribute --type crm_config --name maintenance-mode --delete   (after checking why it was set)".into())));
        return; // every resource is unmanaged then; do not list them one by one
    }
    let mut unmanaged: Vec<&str> = Vec::new();
    for r in &c.state.resources {
        let (id, managed) = match r {
            crate::pacemaker::Resource::Primitive(p) => (p.id.as_str(), p.managed),
            crate::pacemaker::Resource::Group(g) => (
                g.id.as_str(),
                g.managed && g.resources.iter().all(|p| p.managed),
            ),
            crate::pacemaker::Resource::Clone(cl) => (cl.id.as_str(), cl.managed),
            crate::pacemaker::Resource::Other { .. } => continue,
        };
        if !managed {
            unmanaged.push(id);
        }
    }
    for id in unmanaged {
        v.push(dev(
            Check::Management,
            Severity::Warning,
            None,
            m::DEV_UNMANAGED,
            t!(m::DEV_UNMANAGED, id = id),
            None,
        ));
    }
}

/// `corosync-cfgtool -s`: every link must show every peer `connected`. Some links down is a
/// degraded interconnect (warning); all links to a peer down is an interconnect failure.
pub(super) fn links(c: &Ctx, l: &crate::snapshot::CorosyncStatus, v: &mut Vec<Deviation>) {
    let total = l.links.len();
    for peer in l.peer_ids() {
        let down = l.down_links_to(peer);
        if down.is_empty() {
            continue;
        }
        let name = super::build::node_name(c.state, peer);
        let ids = down
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let (sev, msg) = if down.len() == total {
            (Severity::Fault, m::DEV_LINKS_ALL_DOWN)
        } else {
            (Severity::Warning, m::DEV_LINKS_SOME_DOWN)
        };
        v.push(dev(
            Check::Links,
            sev,
            Some(&name),
            msg,
            t!(msg, node = name, links = ids, total = total),
            Some("pgrex diagnose".into()),
        ));
    }
    for link in l.links.iter().filter(|k| k.faulty == Some(true)) {
        v.push(dev(
            Check::Links,
            Severity::Warning,
            None,
            m::DEV_RING_FAULTY,
            t!(m::DEV_RING_FAULTY, id = link.id),
            Some("pgrex diagnose".into()),
        ));
    }
}

/// PG-REX nodes do not start the cluster at boot: a fenced node must not rejoin by itself.
pub(super) fn daemons(units: &[(String, String)], v: &mut Vec<Deviation>) {
    for (unit, state) in units {
        let want = if unit == "pcsd" {
            "enabled"
        } else {
            "disabled"
        };
        if state != want {
            v.push(dev(
                Check::Daemons,
                Severity::Warning,
                None,
                m::DEV_UNIT_ENABLEMENT,
                t!(
                    m::DEV_UNIT_ENABLEMENT,
                    unit = unit,
                    state = state,
                    want = want
                ),
                Some(format!(
                    "systemctl {} {unit}",
                    if want == "enabled" {
                        "enable"
                    } else {
                        "disable"
                    }
                )),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{CorosyncStatus, Link, LinkPeer, LinkState};

    fn cs(states: &[LinkState]) -> CorosyncStatus {
        CorosyncStatus {
            local_nodeid: Some(1),
            transport: Some("knet".into()),
            links: states
                .iter()
                .enumerate()
                .map(|(i, st)| Link {
                    id: i as u32,
                    addr: None,
                    peers: vec![
                        LinkPeer {
                            nodeid: 1,
                            state: LinkState::Localhost,
                        },
                        LinkPeer {
                            nodeid: 2,
                            state: st.clone(),
                        },
                    ],
                    faulty: None,
                })
                .collect(),
        }
    }

    fn state() -> ClusterState {
        let xml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/status/pgrex17/healthy.xml"
        ))
        .unwrap();
        crate::pacemaker::parse::crm_mon(&xml, "healthy.xml").unwrap()
    }

    fn link_devs(l: &CorosyncStatus) -> Vec<Deviation> {
        let st = state();
        let names = Names::defaults(crate::profile::Profile::Pgrex17);
        let c = Ctx::new(&st, &names, None);
        let mut v = Vec::new();
        links(&c, l, &mut v);
        v
    }

    #[test]
    fn all_links_connected_is_normal() {
        assert!(link_devs(&cs(&[LinkState::Connected, LinkState::Connected])).is_empty());
    }

    #[test]
    fn one_of_two_links_down_is_a_warning_naming_the_peer() {
        let v = link_devs(&cs(&[LinkState::Connected, LinkState::Disconnected]));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].severity, Severity::Warning);
        assert_eq!(v[0].id, m::DEV_LINKS_SOME_DOWN.id);
        assert_eq!(v[0].node.as_deref(), Some("pm02"));
    }

    #[test]
    fn every_link_down_is_a_fault() {
        let v = link_devs(&cs(&[LinkState::Disconnected, LinkState::Disconnected]));
        assert_eq!(v[0].severity, Severity::Fault);
        assert_eq!(v[0].id, m::DEV_LINKS_ALL_DOWN.id);
    }

    #[test]
    fn cluster_started_at_boot_is_a_warning() {
        let mut v = Vec::new();
        daemons(
            &[
                ("pacemaker".into(), "enabled".into()),
                ("corosync".into(), "disabled".into()),
                ("pcsd".into(), "enabled".into()),
            ],
            &mut v,
        );
        assert_eq!(v.len(), 1);
        assert!(
            v[0].message.starts_with("pacemaker is enabled"),
            "{}",
            v[0].message
        );
        assert_eq!(v[0].hint.as_deref(), Some("systemctl disable pacemaker"));
    }
}
