//! Row "STONITH": a fencing device configured and running.

use super::*;
use crate::pacemaker::Primitive;

pub(super) fn stonith(c: &Observed, v: &mut Vec<Deviation>) {
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
                Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
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
