//! Row "VIPs": the service and replication VIPs on the primary; the standby VIP on the sync
//! standby (else on the primary).

use super::*;

pub(super) fn vips(c: &Observed, v: &mut Vec<Deviation>) {
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
        let service = c.names.vip_primary.as_deref() == Some(id.as_str());
        if on.is_empty() {
            // Stopped everywhere (its failures banned it from every node): not misplaced but
            // gone, and for the service VIP the service with it.
            let msg = if service {
                m::DEV_SERVICE_VIP_NOWHERE
            } else {
                m::DEV_VIP_NOWHERE
            };
            // The group's first member carries the failures; clearing it restarts both.
            let cause = c.names.vip_primary.as_deref().unwrap_or(id);
            v.push(dev(
                Check::Vips,
                if service {
                    Severity::Fault
                } else {
                    Severity::Warning
                },
                Some(primary),
                msg,
                t!(msg, id = id, primary = primary),
                Some(t!(
                    m::HINT_VIP_NOWHERE,
                    id = crate::exec::quote(if where_runs(c, cause).is_empty() {
                        cause
                    } else {
                        id
                    }),
                    primary = primary
                )),
            ));
            continue;
        }
        if on != [primary] {
            let sev = if service {
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
                Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
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
