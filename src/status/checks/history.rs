//! Rows "fail-counts", "failed actions" and "fencing history": all three empty in the normal
//! state.

use super::*;

pub(super) fn fail_counts(c: &Observed, v: &mut Vec<Deviation>) {
    for h in c.state.node_history.iter().filter(|h| h.fail_count > 0) {
        let count = if h.fail_count == u32::MAX {
            "INFINITY".to_string()
        } else {
            h.fail_count.to_string()
        };
        v.push(dev(
            Check::FailCounts,
            Severity::Warning,
            Some(&h.node),
            m::DEV_FAIL_COUNT,
            t!(
                m::DEV_FAIL_COUNT,
                id = h.resource,
                node = h.node,
                count = count
            ),
            Some(t!(
                crate::msg::status::HINT_CLEANUP,
                rsc = crate::exec::quote(&h.resource),
                node = crate::exec::quote(&h.node)
            )),
        ));
    }
}

pub(super) fn failed_actions(c: &Observed, v: &mut Vec<Deviation>) {
    for f in &c.state.failures {
        v.push(dev(
            Check::FailedActions,
            Severity::Fault,
            Some(&f.node),
            m::DEV_FAILED_ACTION,
            t!(
                m::DEV_FAILED_ACTION,
                op = f.op_key,
                node = f.node,
                outcome = f.outcome()
            ),
            Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
        ));
    }
}

pub(super) fn fence_history(c: &Observed, v: &mut Vec<Deviation>) {
    for e in c.state.fence_history.iter().flatten() {
        let (sev, msg) = match e.status.as_str() {
            "success" => (Severity::Warning, m::DEV_FENCE_DONE),
            "pending" => (Severity::Fault, m::DEV_FENCE_PENDING),
            _ => (Severity::Fault, m::DEV_FENCE_FAILED),
        };
        let by = e
            .delegate
            .clone()
            .or_else(|| e.origin.clone())
            .unwrap_or_else(|| "?".into());
        let hint = (sev == Severity::Warning).then(|| {
            format!(
                "stonith_admin --cleanup --history {}",
                crate::exec::quote(&e.target)
            )
        });
        v.push(dev(
            Check::FenceHistory,
            sev,
            Some(&e.target),
            msg,
            t!(msg, action = e.action, target = e.target, by = by),
            hint,
        ));
    }
}
