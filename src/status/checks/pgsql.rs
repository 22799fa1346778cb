//! Row "pgsql": the promotable clone exists, is promoted on exactly one node, runs as
//! standby on the other, and no instance failed.

use super::*;

pub(super) fn pgsql(c: &Observed, v: &mut Vec<Deviation>) {
    let clone = &c.names.promotable;
    if !c.has(clone) {
        let ids = c.state.resource_ids().join(", ");
        v.push(dev(
            Check::Pgsql,
            Severity::Fault,
            None,
            m::DEV_PGSQL_MISSING,
            t!(
                m::DEV_PGSQL_MISSING,
                id = clone,
                profile = c.names.profile,
                ids = ids
            ),
            Some(t!(crate::msg::status::HINT_PROFILE)),
        ));
        return;
    }
    match c.promoted.len() {
        0 => v.push(dev(
            Check::Pgsql,
            Severity::Fault,
            None,
            m::DEV_NO_PRIMARY,
            t!(m::DEV_NO_PRIMARY, id = clone),
            Some(if c.state.nodes.iter().all(|n| !n.online) {
                t!(m::HINT_ALL_OFFLINE)
            } else {
                t!(m::HINT_NO_PRIMARY)
            }),
        )),
        1 => {}
        _ => v.push(dev(
            Check::Pgsql,
            Severity::Fault,
            None,
            m::DEV_TWO_PRIMARIES,
            t!(m::DEV_TWO_PRIMARIES, nodes = c.promoted.join(", ")),
            Some(two_primaries_hint(c)),
        )),
    }
    if let Some(p) = c.primary {
        // With two primaries the other node runs PostgreSQL (as a primary): the row above
        // says so, "no standby … not running" would not be true.
        if c.standby.is_none() && c.promoted.len() < 2 {
            let other = c.state.nodes.iter().find(|n| n.name != p);
            // An offline peer is reported by the node check already.
            if other.is_some_and(|o| o.online) || other.is_none() {
                let on = other
                    .map(|o| o.name.as_str())
                    .unwrap_or(crate::msg::status::THE_OTHER_NODE.text());
                v.push(dev(
                    Check::Pgsql,
                    Severity::Warning,
                    other.map(|o| o.name.as_str()),
                    m::DEV_STANDBY_NOT_RUNNING,
                    t!(m::DEV_STANDBY_NOT_RUNNING, node = on),
                    Some(t!(
                        crate::msg::status::HINT_DIAGNOSE_THEN_STANDBY,
                        node = on
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
                Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
            ));
        }
    }
}

/// What to do about two primaries: the one holding the service VIP keeps the clients; every
/// other one stops now and rejoins later from the kept one's data.
fn two_primaries_hint(c: &Observed) -> String {
    let vip_on: Vec<&str> = c
        .names
        .vip_primary
        .as_deref()
        .map(|id| where_runs(c, id))
        .unwrap_or_default();
    match vip_on.as_slice() {
        [keep] if c.promoted.contains(keep) => {
            let stop: Vec<&str> = c.promoted.iter().copied().filter(|n| n != keep).collect();
            t!(
                m::HINT_TWO_PRIMARIES_KEEP,
                keep = keep,
                stop = stop.join(", ")
            )
        }
        _ => t!(m::HINT_TWO_PRIMARIES, nodes = c.promoted.join(", ")),
    }
}
