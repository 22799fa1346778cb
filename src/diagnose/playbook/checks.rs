//! What pgrex itself looks at in a playbook's steps, filled in from the snapshot once the
//! sequence is built: each repair's postcondition check ([`Check`]: the NIC a failed VIP is
//! on, the ping target a LAN failure lost, the disk the monitor reads, the node back online)
//! and the targets of a leave-maintenance step (the cluster, the nodes, the resources the
//! `maintenance-mode-on` finding names). The sequences stay static data; the facts come from
//! here, so `diagnose` prints and `recover` runs the same checks. Where pgrex has nothing to
//! look at, the step's text says so.

use super::step::{Action, Cause, Check, Step};
use super::Finding;
use crate::diagnose::facts::RuleInput;
use crate::diagnose::{FaultId as F, Reaction};
use crate::msg::{diag as m, Msg};
use crate::pacemaker::Resource;
use crate::t;

/// Fill each step's facts: operator checks and leave-maintenance targets.
pub(super) fn fill(steps: &mut [Step], x: &Finding, f: &RuleInput) {
    for s in steps.iter_mut() {
        match &mut s.action {
            Action::Operator {
                cause: Cause::Repair | Cause::ReplaceDisk,
                check,
            } => {
                let node = s.node.clone().unwrap_or_default();
                let (c, words) = repair_check(x, f, &node);
                *check = c;
                s.text = format!("{} {words}", s.text);
            }
            Action::Operator {
                cause: Cause::PowerOff,
                ..
            } => {
                let node = s.node.clone().unwrap_or_default();
                s.text = format!("{} {}", s.text, t!(m::CHECK_POWER_OFF, node = node));
            }
            Action::LeaveMaintenance {
                cluster,
                nodes,
                resources,
            } => {
                *cluster = f.state.summary.maintenance_mode;
                *nodes = f
                    .state
                    .nodes
                    .iter()
                    .filter(|n| n.maintenance)
                    .map(|n| n.name.clone())
                    .collect();
                *resources = if *cluster {
                    Vec::new()
                } else {
                    unmanaged(&f.state.resources)
                };
                let cmds: Vec<String> = s
                    .action
                    .leave_maintenance_commands()
                    .iter()
                    .map(|a| {
                        a.iter()
                            .map(|w| crate::exec::quote(w))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                s.text = t!(m::P_MAINTENANCE, commands = cmds.join("; "));
            }
            _ => {}
        }
    }
}

/// The repair's check and the words that say what pgrex waits for (or that it cannot see).
fn repair_check(x: &Finding, f: &RuleInput, node: &str) -> (Check, String) {
    let n = f.names;
    let none = |why: Msg| (Check::Unobservable, t!(m::CHECK_NONE, why = why.fmt(&[])));
    let nic = |vip: &Option<String>| {
        let Some(vip) = vip.as_deref() else {
            return none(m::WHY_NO_PARAM);
        };
        match param(f, vip, "nic") {
            Some(nic) => {
                let w = t!(m::CHECK_NIC_UP, nic = nic, node = node);
                (Check::NicUp { nic }, w)
            }
            None => none(m::WHY_NO_PARAM),
        }
    };
    let reaches = |addr: Option<String>| match addr {
        Some(addr) if node.is_empty() => {
            let w = t!(m::CHECK_REACHES_EACH, addr = addr);
            (Check::Reaches { addr }, w)
        }
        Some(addr) => {
            let w = t!(m::CHECK_REACHES, addr = addr, node = node);
            (Check::Reaches { addr }, w)
        }
        None => none(m::WHY_NO_PARAM),
    };
    // `playbook`, not `id`: a finding that takes router-failure's playbook (the service down
    // on both) waits for what router-failure's repair restores.
    match x.playbook {
        F::VipRepFailure => nic(&n.vip_replication),
        F::VipStandbyFailure => nic(&n.vip_standby),
        F::VipMasterFailure => nic(&n.vip_primary),
        F::ServiceLanFailure | F::RouterFailure => reaches(ping_target(f)),
        // The D-LAN: the replication VIP runs on the primary's D-LAN NIC.
        F::ReplicationLanFailure => {
            reaches(n.vip_replication.as_deref().and_then(|v| param(f, v, "ip")))
        }
        F::CibFailure if x.reaction == Reaction::Failover => none(m::WHY_GENERIC),
        F::CibFailure | F::CorosyncFailure if x.reaction == Reaction::Restart => {
            (Check::Online, t!(m::CHECK_ONLINE, node = node))
        }
        F::DiskFailure => {
            let drives = drives(f);
            if drives.is_empty() {
                return none(m::WHY_NO_PARAM);
            }
            let w = t!(m::CHECK_DISK, drives = drives.join(" "), node = node);
            (Check::DiskReads { drives }, w)
        }
        F::PgsqlFailure => none(m::WHY_PGSQL),
        F::VipRepStopFailure => none(m::WHY_AGENT),
        F::NodeFailure
        | F::CorosyncFailure
        | F::CibFailure
        | F::PgsqlStopFailure
        | F::PgsqlDemoteFailure
        | F::VipMasterStopFailure => none(m::WHY_POWERED_OFF),
        _ => none(m::WHY_GENERIC),
    }
}

fn param(f: &RuleInput, primitive: &str, name: &str) -> Option<String> {
    f.snap
        .cib
        .known()
        .and_then(|c| c.param(primitive, name))
        .map(str::to_string)
}

/// The primitive ids inside the named clones (as crm_mon lists them).
fn clone_primitives(f: &RuleInput, clones: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in &f.state.resources {
        let Resource::Clone(c) = r else { continue };
        if !clones.contains(&c.id) {
            continue;
        }
        for i in &c.instances {
            if let Resource::Primitive(p) = i {
                let id = crate::diagnose::facts::base(&p.id).to_string();
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
    }
    out
}

/// The ping monitor's first target (`host_list`).
fn ping_target(f: &RuleInput) -> Option<String> {
    clone_primitives(f, &f.names.ping).iter().find_map(|p| {
        param(f, p, "host_list").and_then(|h| h.split_whitespace().next().map(str::to_string))
    })
}

/// The disks the disk monitor reads: storage-mon's `drives`, diskd's `device`.
fn drives(f: &RuleInput) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in clone_primitives(f, &f.names.disk) {
        let v = param(f, &p, "drives").or_else(|| param(f, &p, "device"));
        for d in v.iter().flat_map(|v| v.split_whitespace()) {
            if !out.iter().any(|o| o == d) {
                out.push(d.to_string());
            }
        }
    }
    out
}

/// The resources crm_mon shows unmanaged (cluster-wide maintenance off): a group or clone
/// by its id, and each unmanaged primitive inside it (the meta may be set on either). A
/// resource on a node in maintenance shows unmanaged too, whether or not its own meta says
/// so (crm_mon cannot tell them apart): it is listed, and deleting a meta attribute that is
/// not set changes nothing.
fn unmanaged(rs: &[Resource]) -> Vec<String> {
    let own = |p: &crate::pacemaker::Primitive| !p.managed;
    let mut out: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        let id = crate::diagnose::facts::base(id).to_string();
        if !out.contains(&id) {
            out.push(id);
        }
    };
    for r in rs {
        match r {
            Resource::Primitive(p) if own(p) => add(&p.id),
            Resource::Group(g) => {
                if !g.managed {
                    add(&g.id);
                }
                for p in g.resources.iter().filter(|p| own(p)) {
                    add(&p.id);
                }
            }
            Resource::Clone(c) => {
                let inner: Vec<&str> = c
                    .instances
                    .iter()
                    .filter_map(|i| match i {
                        Resource::Primitive(p) if own(p) => Some(p.id.as_str()),
                        _ => None,
                    })
                    .collect();
                if !c.managed || !inner.is_empty() {
                    add(&c.id);
                }
                for p in inner {
                    add(p);
                }
            }
            _ => {}
        }
    }
    out
}
