//! Row "nodes": both online, clean, not in standby, maintenance or pending; an offline node
//! that was fenced is a fault, one that left cleanly a warning.

use super::*;

/// Was `node` fenced successfully (per the fencing history)?
pub(super) fn fenced(c: &Observed, node: &str) -> bool {
    c.state
        .fence_history
        .iter()
        .flatten()
        .any(|e| e.target == node && e.status == "success")
}

pub(super) fn nodes(c: &Observed, v: &mut Vec<Deviation>) {
    for n in &c.state.nodes {
        let node = Some(n.name.as_str());
        if n.unclean {
            v.push(dev(
                Check::Nodes,
                Severity::Fault,
                node,
                m::DEV_NODE_UNCLEAN,
                t!(m::DEV_NODE_UNCLEAN, node = n.name),
                Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
            ));
        } else if !n.online {
            if fenced(c, &n.name) {
                v.push(dev(
                    Check::Nodes,
                    Severity::Fault,
                    node,
                    m::DEV_NODE_FENCED,
                    t!(m::DEV_NODE_FENCED, node = n.name),
                    Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
                ));
            } else {
                v.push(dev(
                    Check::Nodes,
                    Severity::Warning,
                    node,
                    m::DEV_NODE_OFFLINE,
                    t!(m::DEV_NODE_OFFLINE, node = n.name),
                    Some(t!(crate::msg::status::HINT_STANDBY_START_ON, node = n.name)),
                ));
            }
        } else if n.standby {
            v.push(dev(
                Check::Nodes,
                Severity::Warning,
                node,
                m::DEV_NODE_STANDBY,
                t!(m::DEV_NODE_STANDBY, node = n.name),
                Some(t!(
                    crate::msg::status::HINT_STANDBY_OFF,
                    node = crate::exec::quote(&n.name)
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
