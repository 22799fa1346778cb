//! Rows "cluster" and "nodes" (count) of the normal-state table: STONITH enabled, quorum,
//! exactly two nodes.

use super::*;

pub(super) fn cluster(c: &Observed, v: &mut Vec<Deviation>) {
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
