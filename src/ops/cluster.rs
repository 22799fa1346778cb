//! Facts about a node's stack and the cluster, read through a [`Node`] (so the same code
//! asks this machine or the peer): is Pacemaker/Corosync running (`systemctl is-active`,
//! exact units, not a `ps | grep` — spec Q25), what `crm_mon` and `cibadmin -Q` say there,
//! and the role checks the wait loops use.

use crate::exec::{Cmd, Tools};
use crate::node::{Node, RunAs};
use crate::pacemaker::cib::CibFacts;
use crate::pacemaker::{parse, ClusterState, Role};
use crate::profile::Names;
use crate::Result;
use std::time::Duration;

const CRM_TIMEOUT: Duration = Duration::from_secs(60);

/// A program of this node: the configured path locally, the name on the peer (root's PATH).
fn program_path(node: &dyn Node, tools: &Tools, name: &str) -> std::path::PathBuf {
    if node.is_local() {
        crate::pacemaker::source::pacemaker_path(tools, name)
    } else {
        name.into()
    }
}

fn program(node: &dyn Node, tools: &Tools, name: &str) -> Cmd {
    Cmd::new(program_path(node, tools, name))
}

/// `systemctl` of this node.
pub fn systemctl(node: &dyn Node, tools: &Tools) -> Cmd {
    if node.is_local() {
        tools.cmd("systemctl")
    } else {
        Cmd::new("systemctl")
    }
}

/// Whether pacemaker or corosync runs (or is starting/stopping) on `node`.
pub fn stack_running(node: &dyn Node, tools: &Tools) -> Result<bool> {
    Ok(unit_active(node, tools, "pacemaker")? || unit_active(node, tools, "corosync")?)
}

/// `systemctl is-active UNIT` (one unit per call: its exit code then speaks for it alone).
pub fn unit_active(node: &dyn Node, tools: &Tools, unit: &str) -> Result<bool> {
    let out = node.output(
        &systemctl(node, tools)
            .args(["is-active", unit])
            .timeout(CRM_TIMEOUT),
        &RunAs::Root,
    )?;
    Ok(out.stdout.lines().any(|l| {
        matches!(
            l.trim(),
            "active" | "activating" | "deactivating" | "reloading"
        )
    }))
}

/// What crm_mon shows on `node`; `None` when it cannot (Pacemaker not running there).
pub fn crm_mon(node: &dyn Node, tools: &Tools) -> Result<Option<ClusterState>> {
    let cmd = crate::pacemaker::source::crm_mon_command(program_path(node, tools, "crm_mon"))
        .env_remove("CIB_file")
        .timeout(CRM_TIMEOUT);
    let out = node.output(&cmd, &RunAs::Root)?;
    if !out.status.success() {
        return Ok(None);
    }
    match parse::crm_mon(&out.stdout, &node.describe()) {
        Ok(s) if s.summary.dc_present || !s.nodes.is_empty() => Ok(Some(s)),
        Ok(_) => Ok(None),
        Err(_) => Ok(None),
    }
}

/// The CIB on `node` (`cibadmin -Q`), `None` when the CIB manager does not answer.
pub fn cib_live(node: &dyn Node, tools: &Tools) -> Result<Option<CibFacts>> {
    let cmd = program(node, tools, "cibadmin")
        .arg("-Q")
        .env_remove("CIB_file")
        .timeout(CRM_TIMEOUT);
    let out = node.output(&cmd, &RunAs::Root)?;
    if !out.status.success() {
        return Ok(None);
    }
    Ok(Some(parse::cib(&out.stdout, &node.describe())?))
}

/// The CIB Pacemaker saved on `node` (readable while Pacemaker is stopped).
pub const CIB_FILE: &str = crate::pacemaker::cib::DEFAULT_CIB_PATH;

pub fn cib_file(node: &dyn Node) -> Result<Option<CibFacts>> {
    let path = std::path::Path::new(CIB_FILE);
    if node.stat(path)?.is_none() {
        return Ok(None);
    }
    let bytes = node.read_file(path)?;
    Ok(Some(parse::cib(
        &String::from_utf8_lossy(&bytes),
        &format!("{}:{CIB_FILE}", node.describe()),
    )?))
}

/// The role of the PostgreSQL primitive on `node`.
pub fn pg_role(st: &ClusterState, names: &Names, node: &str) -> Option<Role> {
    st.primitives(&names.primitive)
        .into_iter()
        .chain(st.primitives(&names.promotable))
        .find(|p| p.nodes.iter().any(|n| n == node))
        .map(|p| p.role.clone())
}

pub fn attr<'s>(st: &'s ClusterState, node: &str, name: &str) -> Option<&'s str> {
    st.attr(node, name).map(|a| a.value.as_str())
}

/// The node that is primary by every sign the Perl tools use: Promoted, data-status
/// `LATEST`, pgsql-status `PRI`.
pub fn primary_node(st: &ClusterState, names: &Names) -> Option<String> {
    st.nodes
        .iter()
        .find(|n| {
            n.online
                && pg_role(st, names, &n.name) == Some(Role::Promoted)
                && attr(st, &n.name, &names.data_status_attr()) == Some("LATEST")
                && attr(st, &n.name, &names.status_attr()) == Some("PRI")
        })
        .map(|n| n.name.clone())
}

/// The other node of a two-node cluster.
pub fn other_node(st: &ClusterState, me: &str) -> Option<String> {
    st.nodes
        .iter()
        .find(|n| n.name != me)
        .map(|n| n.name.clone())
}

/// The standby on `node` is a synchronous standby that may be promoted.
pub fn is_sync_standby(st: &ClusterState, names: &Names, node: &str) -> bool {
    st.node(node).is_some_and(|n| n.online)
        && pg_role(st, names, node) == Some(Role::Unpromoted)
        && attr(st, node, &names.status_attr()) == Some("HS:sync")
        && attr(st, node, &names.data_status_attr()) == Some("STREAMING|SYNC")
}

/// The first failed action of the PostgreSQL resource on `node`, if any.
pub fn pg_failure(st: &ClusterState, names: &Names, node: &str) -> Option<String> {
    st.failures
        .iter()
        .find(|f| {
            f.node == node
                && (f.resource == names.primitive || f.op_key.starts_with(&names.primitive))
        })
        .map(|f| {
            crate::t!(
                crate::msg::ops::PG_FAILURE,
                op = f.op_key,
                node = f.node,
                status = f.exitstatus
            )
        })
}

/// Every "runs here" requirement of a started node, in the Perl order: ping, disk monitor,
/// STONITH (one of them here), then `extra` (the PostgreSQL role and the VIPs). The first
/// one not satisfied is returned.
pub fn monitors_pending(st: &ClusterState, names: &Names, node: &str) -> Option<String> {
    let here = |id: &str| st.running_on(id).contains(&node);
    for id in &names.ping {
        if st.has(id) && !here(id) {
            return Some(id.clone());
        }
    }
    for id in &names.disk {
        if st.has(id) && !here(id) {
            return Some(id.clone());
        }
    }
    let stonith: Vec<String> = if names.stonith.is_empty() {
        st.stonith_primitives()
            .iter()
            .map(|p| p.id.clone())
            .collect()
    } else {
        names.stonith.clone()
    };
    if st.summary.stonith_enabled && !stonith.is_empty() && !stonith.iter().any(|id| here(id)) {
        return Some(format!("STONITH ({})", stonith.join(", ")));
    }
    None
}
