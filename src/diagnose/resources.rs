//! Resource failures from "Failed Resource Actions" and the fail-counts (R3, R7–R10, and the
//! replication VIP's ignored stop failure). A VIP's failed restart (`start`) counts as that
//! VIP's failure too. A stop or demote failure outranks a monitor
//! failure listed beside it (the manual's rule); a primary-VIP monitor failure explains the
//! pgsql monitor failure the failover leaves behind.

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::RuleInput;
use super::FaultId as F;
use super::{Certainty, Evidence, Finding};
use crate::pacemaker::FailedAction;

pub(super) fn rules(f: &RuleInput, out: &mut Vec<Finding>) {
    let n = f.names;
    let prim = n.primitive.as_str();
    for node in f.state.nodes.iter().map(|x| x.name.as_str()) {
        let evs =
            |v: &[&FailedAction]| -> Vec<Evidence> { v.iter().map(|x| ev::failure(x)).collect() };
        let with_count = |mut e: Vec<Evidence>, rsc: &str| {
            if let Some(h) = f.fail_count(node, rsc) {
                e.push(ev::fail_count(h));
            }
            e
        };
        // A VIP that failed its monitor and then its restart shows only the start failure.
        let vip_failures = |rsc: &str| {
            let mut v = f.failures(node, rsc, "monitor");
            v.extend(f.failures(node, rsc, "start"));
            v
        };
        let mut stop_class = false;
        // R3: stop/demote failures (③ unless fencing is impossible).
        for (id, rsc, task) in [
            (F::PgsqlStopFailure, Some(prim), "stop"),
            (F::PgsqlDemoteFailure, Some(prim), "demote"),
            (F::VipMasterStopFailure, n.vip_primary.as_deref(), "stop"),
        ] {
            let Some(rsc) = rsc else { continue };
            let fl = f.failures(node, rsc, task);
            if !fl.is_empty() {
                stop_class = true;
                let e = with_count(evs(&fl), rsc);
                out.push(
                    finding(id, Certainty::Certain, Some(node), e).covering(node, &[rsc, prim]),
                );
            }
        }
        // The replication VIP's stop failure is ignored (on-fail=ignore): failover goes on.
        if let Some(rsc) = n.vip_replication.as_deref() {
            let fl = f.failures(node, rsc, "stop");
            if !fl.is_empty() {
                stop_class = true;
                let e = with_count(evs(&fl), rsc);
                let mut covers = vec![rsc, prim];
                covers.extend(n.vip_primary.as_deref());
                out.push(
                    finding(F::VipRepStopFailure, Certainty::Certain, Some(node), e)
                        .covering(node, &covers),
                );
            }
        }
        // R7: the primary VIP's monitor.
        let mut vip_master = false;
        if let Some(rsc) = n.vip_primary.as_deref() {
            let fl = vip_failures(rsc);
            if !fl.is_empty() && !stop_class {
                vip_master = true;
                let mut e = with_count(evs(&fl), rsc);
                let pg = f.failures(node, prim, "monitor");
                e.extend(evs(&pg));
                let mut x = finding(F::VipMasterFailure, Certainty::Certain, Some(node), e)
                    .covering(node, &[rsc, prim]);
                // Banned everywhere: nothing failed over, the primary stays without its VIP.
                if let (Some(p), Some(_)) = (f.st.primary, f.service_vip_nowhere()) {
                    use crate::msg::diag as m;
                    let title = crate::t!(
                        m::T_VIP_MASTER_NOWHERE,
                        node = node,
                        outcome = fl[0].outcome(),
                        primary = p
                    );
                    x = x.titled(title).reaction(super::Reaction::None);
                }
                out.push(x);
            }
        }
        // R8: PostgreSQL's monitor, worded after what it returned.
        let fl = f.failures(node, prim, "monitor");
        if !fl.is_empty() && !stop_class && !vip_master {
            let e = with_count(evs(&fl), prim);
            let mut x = finding(F::PgsqlFailure, Certainty::Certain, Some(node), e)
                .titled(pgsql_title(f, node, fl[0]))
                .covering(node, &[prim]);
            if f.other_primary(node).is_some() {
                // Two primaries at once: nothing failed over (yet); the operator acts first.
                x = x.reaction(super::Reaction::None);
            }
            out.push(x);
        }
        // R9: the replication VIP's monitor (restarted in place: migration-threshold=0).
        if let Some(rsc) = n.vip_replication.as_deref() {
            let fl = vip_failures(rsc);
            if !fl.is_empty() {
                let e = with_count(evs(&fl), rsc);
                out.push(
                    finding(F::VipRepFailure, Certainty::Certain, Some(node), e)
                        .covering(node, &[rsc]),
                );
            }
        }
        // R10: the standby VIP's monitor (it moves to the primary).
        if let Some(rsc) = n.vip_standby.as_deref() {
            let fl = vip_failures(rsc);
            if !fl.is_empty() {
                let e = with_count(evs(&fl), rsc);
                out.push(
                    finding(F::VipStandbyFailure, Certainty::Certain, Some(node), e)
                        .covering(node, &[rsc]),
                );
            }
        }
    }
}

/// The pgsql-failure sentence after the monitor's real result: rc 8 (`promoted`) is no crash
/// but a primary where none should be, and with the other node primary too a split brain.
fn pgsql_title(f: &RuleInput, node: &str, fa: &FailedAction) -> String {
    use crate::msg::diag as m;
    let outcome = fa.outcome();
    if !fa.found_promoted() {
        return crate::t!(m::T_PGSQL_RESULT, node = node, outcome = outcome);
    }
    match f.other_primary(node) {
        Some(peer) => crate::t!(
            m::T_SPLIT_BRAIN,
            node = node,
            peer = peer,
            outcome = outcome
        ),
        None => crate::t!(m::T_PGSQL_PROMOTED, node = node, outcome = outcome),
    }
}
