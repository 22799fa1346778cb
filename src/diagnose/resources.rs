//! Resource failures from "Failed Resource Actions" and the fail-counts (R3, R7–R10, and the
//! replication VIP's ignored stop failure). A VIP's failed restart (`start`) counts as that
//! VIP's failure too. A stop or demote failure outranks a monitor
//! failure listed beside it (the manual's rule); a primary-VIP monitor failure explains the
//! pgsql monitor failure the failover leaves behind.

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::Facts;
use super::FaultId as F;
use super::{Certainty, Evidence, Finding};
use crate::pacemaker::FailedAction;

pub(super) fn rules(f: &Facts, out: &mut Vec<Finding>) {
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
                out.push(
                    finding(F::VipMasterFailure, Certainty::Certain, Some(node), e)
                        .covering(node, &[rsc, prim]),
                );
            }
        }
        // R8: PostgreSQL's monitor.
        let fl = f.failures(node, prim, "monitor");
        if !fl.is_empty() && !stop_class && !vip_master {
            let e = with_count(evs(&fl), prim);
            out.push(
                finding(F::PgsqlFailure, Certainty::Certain, Some(node), e).covering(node, &[prim]),
            );
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
