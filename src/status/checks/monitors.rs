//! Rows "ping" and "disk": each monitor's clone runs on every online node and its attribute
//! reads healthy there.

use super::*;

/// One monitor (network or disk) on one node: its clones must run there, and its attribute
/// must read healthy.
struct Monitor<'a> {
    check: Check,
    clones: &'a [String],
    view: fn(&Observed<'a>, &str) -> Option<MonitorView>,
    failed: crate::msg::Msg,
}

pub(super) fn monitors(c: &Observed, v: &mut Vec<Deviation>) {
    let kinds = [
        Monitor {
            check: Check::Ping,
            clones: &c.names.ping,
            view: Observed::ping_view,
            failed: m::DEV_PING_LOST,
        },
        Monitor {
            check: Check::Disk,
            clones: &c.names.disk,
            view: Observed::disk_view,
            failed: m::DEV_DISK_FAILED,
        },
    ];
    for n in c.state.nodes.iter().filter(|n| n.online) {
        for k in &kinds {
            monitor_on(c, &n.name, k, v);
        }
    }
}

fn monitor_on<'a>(c: &Observed<'a>, node: &str, k: &Monitor<'a>, v: &mut Vec<Deviation>) {
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
        let val = view
            .value
            .clone()
            .unwrap_or_else(|| crate::msg::status::NOT_SET.text().into());
        v.push(dev(
            k.check,
            Severity::Fault,
            Some(node),
            k.failed,
            t!(k.failed, node = node, attr = view.attribute, value = val),
            Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
        ));
    }
}
