//! The hardware monitors (R4–R6): the disk monitor's attribute (`#health-storage-mon` from
//! the CIB, `diskcheck_status*` in the seed era, or the node's health) and the ping
//! attribute (`ping-status` / `default_ping_set`). Failed Actions stay empty in these
//! faults: only the attributes tell (the deck's lesson).

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::RuleInput;
use super::node_loss::disk_reaction;
use super::FaultId as F;
use super::{Certainty, Finding};

pub(super) fn rules(f: &RuleInput, out: &mut Vec<Finding>) {
    // R4: a red disk monitor, on any node (a fenced node's transient value may still be read).
    for n in &f.state.nodes {
        if let Some(d) = f.st.disk_view(&n.name) {
            if let (false, Some(v)) = (d.ok, d.value.as_deref()) {
                let src = if d.attribute.starts_with('#') {
                    "cib"
                } else {
                    "crm_mon"
                };
                let e = vec![ev::attr(src, &n.name, &d.attribute, v)];
                out.push(
                    finding(F::DiskFailure, Certainty::Certain, Some(&n.name), e)
                        .reaction(disk_reaction(f, &n.name)),
                );
            }
        }
    }
    // R5/R6: connectivity lost (a value set and below normal; an unset value is not evidence).
    let lost: Vec<(&str, String, String)> = f
        .state
        .nodes
        .iter()
        .filter(|n| f.online(&n.name))
        .filter_map(|n| {
            let p = f.st.ping_view(&n.name)?;
            let v = p.value.clone()?;
            (!p.ok).then(|| (n.name.as_str(), p.attribute.clone(), v))
        })
        .collect();
    let online = f.state.nodes.iter().filter(|n| f.online(&n.name)).count();
    if lost.len() >= 2 && lost.len() == online {
        let e = lost
            .iter()
            .map(|(n, a, v)| ev::attr("crm_mon", n, a, v))
            .collect();
        out.push(finding(F::RouterFailure, Certainty::Certain, None, e));
    } else {
        for (n, a, v) in &lost {
            let e = vec![ev::attr("crm_mon", n, a, v)];
            out.push(finding(
                F::ServiceLanFailure,
                Certainty::Certain,
                Some(n),
                e,
            ));
        }
    }
}
