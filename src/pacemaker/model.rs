//! The typed cluster state built from `crm_mon` XML. Plain data: no I/O, no names of
//! PG-REX resources (those come from [`crate::profile::Names`]).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which XML dialect the state was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XmlDialect {
    /// Pacemaker 2.x `crm_mon --output-as=xml` (root `<pacemaker-result>`).
    PacemakerResult,
    /// Pacemaker 1.1 `crm_mon --as-xml` (root `<crm_mon>`).
    CrmMon11,
}

/// Everything `crm_mon` tells about the cluster at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterState {
    pub dialect: XmlDialect,
    /// `crm_mon` version as reported by the document: 1.1 only (`1.1.16`); 2.x documents
    /// carry only their API version (see `api_version`; the DC's version is in the summary).
    pub version: Option<String>,
    /// 2.x: the output API version of the document (`api-version="2.25"`); 1.1: `None`.
    #[serde(default)]
    pub api_version: Option<String>,
    pub summary: Summary,
    pub nodes: Vec<ClusterNode>,
    /// Top-level resources in document order.
    pub resources: Vec<Resource>,
    /// Node attributes shown by crm_mon, per node name (hidden `#…` attributes are not here).
    pub node_attributes: BTreeMap<String, Vec<Attribute>>,
    /// Per-node operation history: fail-counts and migration thresholds.
    pub node_history: Vec<ResourceHistory>,
    pub failures: Vec<FailedAction>,
    /// `None` when the document has no fencing-history section (1.1, or not requested).
    pub fence_history: Option<Vec<FenceEvent>>,
    /// Node name → position in `nodes`, built on the first [`ClusterState::node`]: the
    /// judgement looks a node up once per node and rule, which was quadratic (32 000 nodes
    /// took 18 s). Not part of the state: never serialised, compared or cloned.
    #[serde(skip)]
    pub node_index: NodeIndex,
}

/// The lazily built name index of [`ClusterState::nodes`].
#[derive(Default)]
pub struct NodeIndex(std::sync::OnceLock<std::collections::HashMap<String, usize>>);

impl Clone for NodeIndex {
    fn clone(&self) -> Self {
        NodeIndex::default()
    }
}

impl PartialEq for NodeIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for NodeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NodeIndex")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub stack: Option<String>,
    pub dc: Option<String>,
    pub dc_present: bool,
    pub dc_version: Option<String>,
    pub with_quorum: Option<bool>,
    pub last_update: Option<String>,
    pub last_change: Option<String>,
    pub nodes_configured: Option<u32>,
    pub resources_configured: Option<u32>,
    pub resources_disabled: Option<u32>,
    pub resources_blocked: Option<u32>,
    pub stonith_enabled: bool,
    pub symmetric_cluster: Option<bool>,
    pub no_quorum_policy: Option<String>,
    pub maintenance_mode: bool,
    pub stop_all_resources: bool,
    pub cluster_name: Option<String>,
}

/// A node as crm_mon shows it (not `node::Node`, the seam that runs commands on one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterNode {
    pub name: String,
    pub id: Option<String>,
    pub online: bool,
    pub standby: bool,
    pub standby_onfail: bool,
    pub maintenance: bool,
    pub pending: bool,
    pub unclean: bool,
    pub shutdown: bool,
    pub expected_up: bool,
    pub is_dc: bool,
    /// `red` / `yellow` / `green` (2.1 only; node-health-strategy).
    pub health: Option<String>,
    pub resources_running: Option<u32>,
    pub node_type: Option<String>,
}

/// A role as Pacemaker reports it. Both eras' spellings map to the same variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Stopped,
    Started,
    /// `Promoted` (2.1) or `Master` (1.1).
    Promoted,
    /// `Unpromoted` (2.1) or `Slave` (1.1).
    Unpromoted,
    Starting,
    Stopping,
    Promoting,
    Demoting,
    Migrating,
    Unknown(String),
}

impl Role {
    pub fn parse(s: &str) -> Role {
        match s.to_ascii_lowercase().as_str() {
            "stopped" => Role::Stopped,
            "started" => Role::Started,
            "promoted" | "master" => Role::Promoted,
            "unpromoted" | "slave" => Role::Unpromoted,
            "starting" => Role::Starting,
            "stopping" => Role::Stopping,
            "promoting" => Role::Promoting,
            "demoting" => Role::Demoting,
            "migrating" => Role::Migrating,
            _ => Role::Unknown(s.to_string()),
        }
    }

    /// The 2.1 spelling, for display.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Stopped => "Stopped",
            Role::Started => "Started",
            Role::Promoted => "Promoted",
            Role::Unpromoted => "Unpromoted",
            Role::Starting => "Starting",
            Role::Stopping => "Stopping",
            Role::Promoting => "Promoting",
            Role::Demoting => "Demoting",
            Role::Migrating => "Migrating",
            Role::Unknown(s) => s,
        }
    }

    /// Running in some form (anything but Stopped / Unknown).
    pub fn is_active(&self) -> bool {
        !matches!(self, Role::Stopped | Role::Unknown(_))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resource {
    Primitive(Primitive),
    Group(Group),
    Clone(CloneSet),
    /// Bundles and anything else: kept by id so nothing silently disappears.
    Other {
        id: String,
        element: String,
    },
}

/// One instance of a primitive (inside a clone there is one per node or stopped instance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Primitive {
    pub id: String,
    /// `ocf:heartbeat:pgsql`, `stonith:fence_lab`, … (`resource_agent` attribute).
    pub agent: String,
    pub role: Role,
    pub target_role: Option<String>,
    pub active: bool,
    pub orphaned: bool,
    pub blocked: bool,
    pub managed: bool,
    pub failed: bool,
    pub failure_ignored: bool,
    /// Nodes the instance is running on (empty when stopped).
    pub nodes: Vec<String>,
    /// 2.1: `pending` task (e.g. "Monitoring") when present.
    pub pending: Option<String>,
}

impl Primitive {
    pub fn is_stonith(&self) -> bool {
        self.agent.starts_with("stonith:")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: String,
    pub managed: bool,
    pub disabled: bool,
    pub resources: Vec<Primitive>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloneSet {
    pub id: String,
    /// Promotable (2.1 `multi_state="true"`; 1.1 Master/Slave set).
    pub promotable: bool,
    pub unique: bool,
    pub managed: bool,
    pub disabled: bool,
    pub failed: bool,
    pub failure_ignored: bool,
    /// Instances: primitives (or groups, for cloned groups).
    pub instances: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: String,
    /// The value the RA expects (ocf:pacemaker:ping sets `expected` for its attribute).
    pub expected: Option<String>,
}

/// `node_history/node/resource_history`: fail-count per resource and node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceHistory {
    pub node: String,
    pub resource: String,
    /// `INFINITY` is `u32::MAX`.
    pub fail_count: u32,
    /// `None` = not shown; `Some(0)` = never migrate (the seed's vip-rep).
    pub migration_threshold: Option<u32>,
    pub last_failure: Option<String>,
    pub orphan: bool,
}

/// One entry of "Failed Resource Actions".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedAction {
    /// `pgsql_monitor_9000`.
    pub op_key: String,
    pub node: String,
    /// The resource id, derived from the op key when the XML lacks it.
    pub resource: String,
    /// `monitor`, `stop`, `demote`, …
    pub task: String,
    pub interval_ms: u64,
    /// `not running`, `error`, `unknown error` (text form of the rc).
    pub exitstatus: String,
    pub exitcode: Option<i32>,
    pub exitreason: Option<String>,
    pub call: Option<i64>,
    /// `complete`, `Timed Out`, …
    pub status: Option<String>,
    pub last_rc_change: Option<String>,
}

/// One event of the fencing history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FenceEvent {
    pub action: String,
    pub target: String,
    pub client: Option<String>,
    pub origin: Option<String>,
    pub delegate: Option<String>,
    /// `success`, `failed`, `pending`.
    pub status: String,
    pub exit_reason: Option<String>,
    pub completed: Option<String>,
}

impl ClusterState {
    pub fn node(&self, name: &str) -> Option<&ClusterNode> {
        let index = self.node_index.0.get_or_init(|| {
            let mut m = std::collections::HashMap::with_capacity(self.nodes.len());
            for (i, n) in self.nodes.iter().enumerate() {
                m.entry(n.name.clone()).or_insert(i);
            }
            m
        });
        match index.get(name).and_then(|&i| self.nodes.get(i)) {
            Some(n) if n.name == name => Some(n),
            // Not indexed, or the nodes changed after the index was built (a test edits a
            // state): the scan stays the truth.
            _ => self.nodes.iter().find(|n| n.name == name),
        }
    }

    /// An attribute shown by crm_mon for a node.
    pub fn attr(&self, node: &str, name: &str) -> Option<&Attribute> {
        self.node_attributes
            .get(node)?
            .iter()
            .find(|a| a.name == name)
    }

    /// Every resource id present (tops, children, instances), for profile detection.
    pub fn resource_ids(&self) -> Vec<&str> {
        fn walk<'a>(r: &'a Resource, out: &mut Vec<&'a str>) {
            match r {
                Resource::Primitive(p) => out.push(&p.id),
                Resource::Group(g) => {
                    out.push(&g.id);
                    out.extend(g.resources.iter().map(|p| p.id.as_str()));
                }
                Resource::Clone(c) => {
                    out.push(&c.id);
                    for i in &c.instances {
                        walk(i, out);
                    }
                }
                Resource::Other { id, .. } => out.push(id),
            }
        }
        let mut out = Vec::new();
        for r in &self.resources {
            walk(r, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Find a top-level resource or a group member / clone by id.
    pub fn find(&self, id: &str) -> Option<&Resource> {
        fn walk<'a>(r: &'a Resource, id: &str) -> Option<&'a Resource> {
            match r {
                Resource::Primitive(p) if p.id == id => Some(r),
                Resource::Group(g) if g.id == id => Some(r),
                Resource::Clone(c) if c.id == id => Some(r),
                Resource::Other { id: i, .. } if i == id => Some(r),
                Resource::Clone(c) => c.instances.iter().find_map(|i| walk(i, id)),
                _ => None,
            }
        }
        self.resources.iter().find_map(|r| walk(r, id))
    }

    /// The cluster has a resource `id` anywhere: top level, a clone, or a member of a group
    /// (the VIPs sit in the primary group, where [`Self::find`] does not look). Every "is it
    /// configured, then is it running here" wait asks this, not `find`: with `find` the
    /// waits took a promoted node for ready before its grouped VIPs had started.
    pub fn has(&self, id: &str) -> bool {
        self.find(id).is_some() || !self.primitives(id).is_empty()
    }

    /// Every primitive instance with this id (a clone's instances share the id), wherever
    /// it sits: top level, in a group, in a clone.
    pub fn primitives(&self, id: &str) -> Vec<&Primitive> {
        let mut out = Vec::new();
        fn walk<'a>(r: &'a Resource, id: &str, out: &mut Vec<&'a Primitive>) {
            match r {
                Resource::Primitive(p) => {
                    if p.id == id {
                        out.push(p)
                    }
                }
                Resource::Group(g) => {
                    let in_group = g.id == id;
                    out.extend(g.resources.iter().filter(|p| in_group || p.id == id))
                }
                Resource::Clone(c) => {
                    for i in &c.instances {
                        if c.id == id {
                            walk_all(i, out)
                        } else {
                            walk(i, id, out)
                        }
                    }
                }
                Resource::Other { .. } => {}
            }
        }
        fn walk_all<'a>(r: &'a Resource, out: &mut Vec<&'a Primitive>) {
            match r {
                Resource::Primitive(p) => out.push(p),
                Resource::Group(g) => out.extend(g.resources.iter()),
                Resource::Clone(c) => c.instances.iter().for_each(|i| walk_all(i, out)),
                Resource::Other { .. } => {}
            }
        }
        for r in &self.resources {
            walk(r, id, &mut out);
        }
        out
    }

    /// Nodes where any primitive of resource `id` (primitive, group or clone) runs.
    pub fn running_on(&self, id: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .primitives(id)
            .into_iter()
            .filter(|p| p.role.is_active())
            .flat_map(|p| p.nodes.iter().map(String::as_str))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Every primitive with a `stonith:` agent.
    pub fn stonith_primitives(&self) -> Vec<&Primitive> {
        let mut out = Vec::new();
        fn walk<'a>(r: &'a Resource, out: &mut Vec<&'a Primitive>) {
            match r {
                Resource::Primitive(p) if p.is_stonith() => out.push(p),
                Resource::Primitive(_) | Resource::Other { .. } => {}
                Resource::Group(g) => out.extend(g.resources.iter().filter(|p| p.is_stonith())),
                Resource::Clone(c) => c.instances.iter().for_each(|i| walk(i, out)),
            }
        }
        self.resources.iter().for_each(|r| walk(r, &mut out));
        out
    }
}
