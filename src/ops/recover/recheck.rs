//! What the judgement after a step may show without stopping the run: the faults known
//! before the playbook began, the ones its own steps cause on the way (the router
//! playbook's stop of one node), and a lost node this run stopped itself. Anything else is
//! a fault that appeared while recovering, and stops it.

use super::Judged;
use crate::diagnose::{FaultId, Finding};
use crate::status::Severity;
use std::collections::BTreeSet;

/// A fault the judgement shows that was not there before (`known`). A node this run
/// stopped (`stopped`) is OFFLINE by design: a lost-node finding on it (seen in the lab when
/// the run stopped its own node and judged through the peer) is not a fault that appeared.
pub(super) fn appeared<'j>(
    j: &'j Judged,
    known: &BTreeSet<(FaultId, Option<String>)>,
    stopped: &BTreeSet<String>,
) -> Option<&'j Finding> {
    let ours = |x: &Finding| {
        x.node
            .as_ref()
            .is_some_and(|n| stopped.contains(n) && !j.online(n))
    };
    j.diagnosis.findings.iter().find(|x| {
        x.severity == Severity::Fault && !known.contains(&(x.id, x.node.clone())) && !ours(x)
    })
}

/// What the playbook's own steps make the cluster show on the way: stopping one node of
/// a service down on both leaves the other's lost ping target alone, which the diagnosis
/// names `service-lan-failure` of that node (seen in the lab: the router's playbook stopped
/// pm01, and the recheck stopped the run on "service-lan-failure on pm02" as new).
pub(super) fn expected(f: &Finding) -> Vec<(FaultId, Option<String>)> {
    if f.playbook != FaultId::RouterFailure {
        return Vec::new();
    }
    let mut v = vec![(FaultId::RouterFailure, None)];
    for n in f.plan.iter().filter_map(|s| s.node.clone()) {
        v.push((FaultId::ServiceLanFailure, Some(n.clone())));
        v.push((FaultId::RouterFailure, Some(n)));
    }
    v
}
