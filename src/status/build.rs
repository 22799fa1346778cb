//! Assemble a [`StatusReport`] from the observed state and the judgement on it.

use super::checks;
use super::meaning;
use super::observed::Observed;
use super::*;
use crate::pacemaker::{Resource, Role};
use crate::t;

/// Live-only sources beyond crm_mon and the CIB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub links: Option<&'a crate::snapshot::CorosyncStatus>,
    /// `(unit, is-enabled state)` for pacemaker, corosync (and pcsd where pcs is installed).
    pub units: Option<&'a [(String, String)]>,
    /// The cluster name from corosync.conf, when neither crm_mon nor the CIB gave one.
    pub cluster_name: Option<&'a str>,
    /// This node's PostgreSQL as it reported itself (timeline, lag).
    pub postgres: Option<&'a crate::snapshot::pg::PgServer>,
    /// Why this node's PostgreSQL could not be read, when a live reading was tried.
    pub postgres_why: Option<&'a str>,
}

/// The deviations of the PG-REX normal-state table in one observed state: the rows every
/// observation answers, and the live-only ones (links, daemons) when `extras` has them.
pub fn deviations(o: &Observed, extras: &Extras) -> Vec<Deviation> {
    checks::all(o, extras.links, extras.units)
}

/// What the one judgement (`crate::judge`) decided, for the view to show.
#[derive(Debug, Clone)]
pub struct Judged {
    pub verdict: Verdict,
    pub deviations: Vec<Deviation>,
    /// The top finding of the diagnosis of the same snapshot, when it is a fault or warning.
    pub top: Option<TopFinding>,
}

/// Assemble the view of an observed state. The verdict is given, never recomputed here:
/// status and diagnose show the same one.
pub fn build(o: &Observed, extras: Extras, judged: Judged) -> StatusReport {
    let (state, names, cib) = (o.state, o.names, o.cib);
    let pg = extras.postgres.map(|p| placed(o, p));
    let extras = Extras {
        postgres: pg.as_ref(),
        ..extras
    };
    let Judged {
        verdict,
        deviations,
        top,
    } = judged;
    let (reason, next) = reason_and_next(verdict, &deviations, top.as_ref(), o);

    StatusReport {
        schema_version: SCHEMA_VERSION,
        verdict,
        reason,
        next,
        profile: names.profile.to_string(),
        profile_source: names.profile_source,
        cluster: ClusterView {
            name: state
                .summary
                .cluster_name
                .clone()
                .or_else(|| cib.and_then(|c| c.properties.get("cluster-name").cloned()))
                .or_else(|| extras.cluster_name.map(str::to_string)),
            dc: state.summary.dc.clone(),
            with_quorum: state.summary.with_quorum,
            stonith_enabled: state.summary.stonith_enabled,
            maintenance_mode: state.summary.maintenance_mode,
            pacemaker_version: state
                .version
                .clone()
                .or_else(|| state.summary.dc_version.clone()),
            xml_dialect: state.dialect,
            last_update: state.summary.last_update.clone(),
        },
        nodes: state
            .nodes
            .iter()
            .map(|n| node_view(o, &n.name, extras.postgres))
            .collect(),
        postgres: extras.postgres.cloned(),
        postgres_unread: extras.postgres_why.map(str::to_string),
        primary: o.primary.map(str::to_string),
        standby: o.standby.map(str::to_string),
        resources: resource_views(o),
        fail_counts: state
            .node_history
            .iter()
            .filter(|h| h.fail_count > 0)
            .cloned()
            .collect(),
        failed_actions: state.failures.clone(),
        fence_history: state.fence_history.clone(),
        deviations,
        diagnosis: top,
        links: extras.links.map(|l| link_views(o, l)),
        daemons: extras.units.map(|u| {
            u.iter()
                .map(|(unit, e)| UnitView {
                    unit: unit.clone(),
                    enabled: e.clone(),
                })
                .collect()
        }),
    }
}

/// The server with the cluster node it runs on: its host name when that is a node of the
/// cluster, else the node Pacemaker gives its role (the primary for a server not in
/// recovery, the standby for one in recovery), else none.
fn placed(o: &Observed, p: &crate::snapshot::pg::PgServer) -> crate::snapshot::pg::PgServer {
    let mut p = p.clone();
    if p.node.as_deref().is_none_or(|n| o.state.node(n).is_none()) {
        let by_role = if p.in_recovery { o.standby } else { o.primary };
        p.node = by_role.map(str::to_string);
    }
    p
}

fn link_views(o: &Observed, l: &crate::snapshot::CorosyncStatus) -> Vec<LinkView> {
    use crate::snapshot::LinkState;
    l.links
        .iter()
        .map(|link| LinkView {
            id: link.id,
            addr: link.addr.clone(),
            peers: link
                .peers
                .iter()
                .map(|p| LinkPeerView {
                    node: o.node_name(p.nodeid),
                    state: match &p.state {
                        LinkState::Localhost => "localhost".into(),
                        LinkState::Connected => "connected".into(),
                        LinkState::Disconnected => "disconnected".into(),
                        LinkState::Other(o) => o.clone(),
                    },
                })
                .collect(),
        })
        .collect()
}

fn reason_and_next(
    v: Verdict,
    devs: &[Deviation],
    top: Option<&TopFinding>,
    o: &Observed,
) -> (String, Option<String>) {
    use crate::msg::status as m;
    if v == Verdict::Healthy {
        let p = o.primary.unwrap_or("?");
        let s = o.standby.unwrap_or("?");
        return (t!(m::REASON_HEALTHY, primary = p, standby = s), None);
    }
    let first = devs.iter().min_by_key(|d| d.severity);
    // The diagnosis found something graver than any deviation: its headline is the reason.
    let graver = |d: &Deviation| judged_severity(v) < d.severity;
    let Some(first) = first.filter(|d| !graver(d) || top.is_none()) else {
        let why = top.map(|t| t.headline.clone()).unwrap_or_default();
        return (why, Some(crate::msg::status::HINT_DIAGNOSE.text().into()));
    };
    let more = devs.len() - 1;
    let reason = if more == 0 {
        first.message.clone()
    } else {
        t!(m::REASON_MORE, first = first.message, more = more)
    };
    let next = first
        .hint
        .clone()
        .or_else(|| devs.iter().find_map(|d| d.hint.clone()));
    (reason, next)
}

/// The severity a non-healthy verdict stands for.
fn judged_severity(v: Verdict) -> Severity {
    match v {
        Verdict::Fault | Verdict::Unknown => Severity::Fault,
        Verdict::Degraded => Severity::Warning,
        Verdict::Healthy => Severity::Info,
    }
}

fn attr_view(value: &str, f: fn(&str) -> crate::msg::Msg) -> AttrView {
    let m = f(value);
    AttrView {
        value: value.to_string(),
        meaning: m.text().to_string(),
        meaning_id: m.id,
    }
}

fn node_view(ctx: &Observed, name: &str, pg: Option<&crate::snapshot::pg::PgServer>) -> NodeView {
    let n = ctx.state.node(name).expect("node from the same state");
    let state = if n.unclean {
        "UNCLEAN"
    } else if !n.online {
        "OFFLINE"
    } else if n.pending {
        "pending"
    } else if n.shutdown {
        "shutting down"
    } else if n.maintenance {
        "maintenance"
    } else if n.standby {
        "standby"
    } else {
        "online"
    };
    let role = match ctx.pgsql_role(name) {
        Some(Role::Promoted) => "primary".to_string(),
        Some(Role::Unpromoted) | Some(Role::Started) => "standby".to_string(),
        Some(Role::Stopped) | None => "stopped".to_string(),
        Some(r) => r.as_str().to_ascii_lowercase(),
    };
    let names = ctx.names;
    let (data, data_source) = match ctx.state.attr(name, &names.data_status_attr()) {
        Some(a) => (Some(a.value.clone()), Some("attribute")),
        None => match ctx
            .cib
            .and_then(|c| c.persistent(name, &names.data_status_attr()))
        {
            Some(v) => (Some(v.to_string()), Some("cib")),
            None => (None, None),
        },
    };
    NodeView {
        name: name.to_string(),
        state: state.to_string(),
        is_dc: n.is_dc,
        role,
        pgsql_status: ctx
            .state
            .attr(name, &names.status_attr())
            .map(|a| attr_view(&a.value, meaning::pgsql_status)),
        data_status: data.as_deref().map(|v| attr_view(v, meaning::data_status)),
        data_status_source: data_source,
        promotion_score: ctx
            .state
            .attr(name, &names.promotion_attr())
            .map(|a| attr_view(&a.value, meaning::promotion_score)),
        master_baseline: ctx
            .state
            .attr(name, &names.baseline_attr())
            .map(|a| a.value.clone()),
        ping: ctx.ping_view(name),
        disk: ctx.disk_view(name),
        attributes: ctx
            .state
            .node_attributes
            .get(name)
            .cloned()
            .unwrap_or_default(),
        timeline: pg.and_then(|p| p.timeline_of(name)),
        lag_bytes: pg.and_then(|p| p.lag_of(name)),
    }
}

fn resource_views(ctx: &Observed) -> Vec<ResourceView> {
    let mut out = Vec::new();
    for r in &ctx.state.resources {
        let (id, managed, failed) = match r {
            Resource::Primitive(p) => (&p.id, p.managed, p.failed),
            Resource::Group(g) => (&g.id, g.managed, g.resources.iter().any(|p| p.failed)),
            Resource::Clone(c) => (&c.id, c.managed, c.failed),
            Resource::Other { id, .. } => (id, true, false),
        };
        // A group is shown member by member: each VIP has its own purpose.
        if let Resource::Group(g) = r {
            for p in &g.resources {
                out.push(view_of(ctx, &p.id, p.managed && g.managed, p.failed));
            }
            continue;
        }
        out.push(view_of(ctx, id, managed, failed));
    }
    out
}

fn view_of(ctx: &Observed, id: &str, managed: bool, failed: bool) -> ResourceView {
    let prims = ctx.state.primitives(id);
    let mut placement = Vec::new();
    let mut stopped = 0;
    for p in &prims {
        if p.role.is_active() && !p.nodes.is_empty() {
            for n in &p.nodes {
                placement.push(Placement {
                    node: n.clone(),
                    role: p.role.as_str().to_string(),
                });
            }
        } else {
            stopped += 1;
        }
    }
    placement.sort_by(|a, b| a.node.cmp(&b.node));
    ResourceView {
        id: id.to_string(),
        purpose: ctx.purpose(id),
        agent: prims.first().map(|p| p.agent.clone()),
        placement,
        stopped_instances: stopped,
        managed,
        failed,
    }
}
