//! Facts read from the CIB itself (`cibadmin -Q` or a cib.xml file): persistent node
//! attributes such as `pgsql-data-status` (they survive while Pacemaker is down), transient
//! attributes of the status section including hidden ones like `#health-storage-mon`, and the
//! instance parameters of primitives (`pgdata`, `tmpdir`, `repuser`, …).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where Pacemaker keeps the CIB on disk; readable while Pacemaker is stopped.
pub const DEFAULT_CIB_PATH: &str = "/var/lib/pacemaker/cib/cib.xml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CibFacts {
    /// `configuration/nodes/node`: id, uname and persistent (`-l forever`) attributes.
    pub nodes: Vec<CibNode>,
    /// `status/node_state/transient_attributes` per node uname (includes `#…` attributes).
    pub transient: BTreeMap<String, BTreeMap<String, String>>,
    /// `configuration/resources//primitive/instance_attributes` per primitive id.
    pub primitive_params: BTreeMap<String, BTreeMap<String, String>>,
    /// `crm_config` cluster properties.
    pub properties: BTreeMap<String, String>,
    /// Whether the document had a `status` section.
    pub has_status: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CibNode {
    pub id: String,
    pub uname: String,
    pub attributes: BTreeMap<String, String>,
}

impl CibFacts {
    pub fn persistent(&self, node: &str, name: &str) -> Option<&str> {
        self.nodes
            .iter()
            .find(|n| n.uname == node)?
            .attributes
            .get(name)
            .map(String::as_str)
    }

    pub fn transient(&self, node: &str, name: &str) -> Option<&str> {
        self.transient.get(node)?.get(name).map(String::as_str)
    }

    pub fn param(&self, primitive: &str, name: &str) -> Option<&str> {
        self.primitive_params
            .get(primitive)?
            .get(name)
            .map(String::as_str)
    }
}
