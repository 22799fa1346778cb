//! Fault injection: `inject` does what the fault table (`faults.rs`) says on the nodes it
//! names, and `heal` undoes only the cause (network rules, disk, RA override, freeze, the
//! broken BMC), never the operator's recovery work. Both match on [`FaultId`] exhaustively:
//! a new fault does not compile until both say what they do about it.

use crate::cib;
use crate::cluster::attr;
use crate::faults::{lab_fault, not_injectable, Target};
use crate::node::{self, sh};
use crate::out::errln;
use crate::state::{check_node, Lab};
use crate::sys;
use crate::topo::{self, NODES, PGDATA};
use anyhow::{bail, Result};
use nix::sys::signal::Signal;
use pgrex::diagnose::FaultId;

/// A powered-on, unfrozen node to ask the cluster from.
fn observer(lab: &Lab) -> Option<&'static str> {
    NODES
        .into_iter()
        .find(|n| lab.init_pid(n).is_some_and(|p| !is_frozen(p)))
}

/// The node whose `pgsql-status` is `PRI` now.
fn primary(lab: &Lab) -> Result<&'static str> {
    let Some(on) = observer(lab) else {
        bail!("no node is powered on")
    };
    NODES
        .into_iter()
        .find(|n| attr(lab, on, n, "pgsql-status").as_deref() == Some("PRI"))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no node is primary (pgsql-status PRI) right now: name the node with --node pm01|pm02"
            )
        })
}

/// The nodes to act on: `--node` (a node, `primary`, `standby` or `both`), else the default.
fn resolve(lab: &Lab, default: Target, given: Option<&str>) -> Result<Vec<&'static str>> {
    let target = match given {
        None => default,
        Some("primary") => Target::Primary,
        Some("standby") => Target::Standby,
        Some("both") => Target::Both,
        Some(n) => return Ok(vec![check_node(n)?]),
    };
    Ok(match target {
        Target::Primary => vec![primary(lab)?],
        Target::Standby => vec![topo::peer(primary(lab)?)],
        Target::Both => NODES.to_vec(),
        Target::Bmc => vec![],
    })
}

pub fn is_frozen(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .map(|r| r.trim_start().starts_with('T'))
                .unwrap_or(false)
        })
        .unwrap_or(false)
}

fn table(id: FaultId) -> String {
    format!("pgrexlab_{}", id.as_str().replace('-', "_"))
}

/// Drop traffic in the node's netns with one nftables table per fault.
fn firewall(lab: &Lab, n: &str, id: FaultId, rules: &[&str]) -> Result<()> {
    let t = table(id);
    let mut s = format!("add table inet {t}\nadd chain inet {t} in {{ type filter hook input priority -10; }}\nadd chain inet {t} out {{ type filter hook output priority -10; }}\n");
    for r in rules {
        s += &format!("add rule inet {t} {r}\n");
    }
    let f = lab.dir.join(format!("{n}-{t}.nft"));
    std::fs::write(&f, s)?;
    sh(lab, n, &format!("nft -f {}", f.display()))?;
    std::fs::remove_file(f)?;
    Ok(())
}

/// Drop everything in and out of the node's NIC(s) `nics` (`eth2`, `{ eth3, eth4 }`).
fn cut(lab: &Lab, n: &str, id: FaultId, nics: &str) -> Result<()> {
    firewall(
        lab,
        n,
        id,
        &[
            &format!("in iifname {nics} drop"),
            &format!("out oifname {nics} drop"),
        ],
    )
}

fn pg_immediate_stop(lab: &Lab, n: &str) -> Result<()> {
    sh(
        lab,
        n,
        &format!(
            "runuser -u postgres -- {}/pg_ctl -D {PGDATA} -m immediate stop >/dev/null",
            lab.pg_bin()
        ),
    )?;
    Ok(())
}

fn del_addr(lab: &Lab, n: &str, ip: &str, nic: &str) -> Result<()> {
    sh(lab, n, &format!("ip addr del {ip}/24 dev {nic}"))?;
    Ok(())
}

/// Make `action` of resource `rsc` (an instance of RA `ra`) fail inside node `n` only.
fn ra_override(lab: &Lab, n: &str, ra: &str, action: &str, rsc: &str) -> Result<()> {
    let dir = "/run/pgrex-lab/ra";
    let real = format!("/usr/lib/ocf/resource.d/heartbeat/{ra}");
    let wrapper = format!(
        "#!/bin/sh\n# pgrex-lab: injected RA failure\nif [ -e \"{dir}/fail-$1-${{OCF_RESOURCE_INSTANCE%%:*}}\" ]; then echo \"pgrex-lab: injected $1 failure\" >&2; exit 1; fi\nexec {dir}/{ra}.orig \"$@\"\n"
    );
    let f = lab.dir.join(format!("{n}-{ra}.wrapper"));
    std::fs::write(&f, wrapper)?;
    sh(
        lab,
        n,
        &format!(
            "mkdir -p {dir}\nif ! grep -q pgrex-lab {real}; then cp -p {real} {dir}/{ra}.orig; install -m 755 {w} {dir}/{ra}; mount --bind {dir}/{ra} {real}; fi\ntouch {dir}/fail-{action}-{rsc}",
            w = f.display()
        ),
    )?;
    std::fs::remove_file(f)?;
    Ok(())
}

fn ra_restore(lab: &Lab, n: &str) {
    for ra in ["pgsql", "IPaddr2"] {
        let real = format!("/usr/lib/ocf/resource.d/heartbeat/{ra}");
        let _ = node::try_sh(lab, n, &format!("if grep -q pgrex-lab {real}; then umount {real}; fi; rm -f /run/pgrex-lab/ra/fail-*"));
    }
}

fn kill_named(lab: &Lab, n: &str, comm: &str) -> Result<()> {
    sh(lab, n, &format!("pkill -KILL -x {comm}"))?;
    Ok(())
}

/// The healthy size of a node's lab disk (its loop image).
const DISK_SIZE: u64 = 8 << 20;

fn disk(lab: &Lab, n: &str, size: u64) -> Result<()> {
    let Some(dev) = lab.loop_dev(n) else {
        bail!("{n} has no lab disk")
    };
    std::fs::OpenOptions::new()
        .write(true)
        .open(lab.disk_img(n))?
        .set_len(size)?;
    sys::run("losetup", &["-c", &dev])?;
    Ok(())
}

fn freeze(lab: &Lab, n: &str, stop: bool) -> Result<()> {
    let Some(pid) = lab.init_pid(n) else {
        if stop {
            bail!("node {n} is powered off: nothing to freeze");
        }
        return Ok(());
    };
    let sig = if stop {
        Signal::SIGSTOP
    } else {
        Signal::SIGCONT
    };
    // Three times: a process forked while we walked /proc is caught the next time.
    for _ in 0..3 {
        for p in node::all_pids(pid) {
            sys::signal(p, sig);
        }
    }
    Ok(())
}

pub fn inject(lab: &Lab, id: FaultId, given: Option<&str>) -> Result<()> {
    let f = lab_fault(id)?;
    lab.require_up()?;
    let profile = lab.profile()?;
    let names = cib::names(&profile);
    // The BMC is no node: `--node` does not apply.
    let nodes = match f.on {
        Target::Bmc => vec![],
        on => resolve(lab, on, given)?,
    };
    for &n in &nodes {
        if id != FaultId::NodeFailure {
            node::require_on(lab, n)?;
        }
    }
    let each = |act: &dyn Fn(&str) -> Result<()>| nodes.iter().try_for_each(|n| act(n));
    use FaultId as F;
    match id {
        F::VipRepFailure => each(&|n| del_addr(lab, n, topo::VIP_REPLICATION, topo::DLAN.nic))?,
        F::VipMasterFailure => each(&|n| del_addr(lab, n, topo::VIP_PRIMARY, topo::SERVICE.nic))?,
        F::VipStandbyFailure => {
            if names.vip_standby.is_none() {
                bail!("profile {profile} has no standby VIP: {id} needs `up --profile pgrex17`");
            }
            each(&|n| del_addr(lab, n, topo::VIP_STANDBY, topo::SERVICE.nic))?
        }
        F::PgsqlFailure => each(&|n| pg_immediate_stop(lab, n))?,
        F::ReplicationLanFailure => each(&|n| cut(lab, n, id, "eth2"))?,
        F::ServiceLanFailure => each(&|n| cut(lab, n, id, "eth1"))?,
        F::RouterFailure => each(&|n| {
            firewall(
                lab,
                n,
                id,
                &[
                    &format!("in ip saddr {} drop", topo::GATEWAY),
                    &format!("out ip daddr {} drop", topo::GATEWAY),
                ],
            )
        })?,
        F::HeartbeatLanFailure => each(&|n| cut(lab, n, id, "{ eth3, eth4 }"))?,
        F::HeartbeatLinkDegraded => each(&|n| cut(lab, n, id, "eth4"))?,
        F::NodeFailure => each(&|n| freeze(lab, n, true))?,
        F::PacemakerdFailure => each(&|n| kill_named(lab, n, "pacemakerd"))?,
        F::CorosyncFailure => each(&|n| kill_named(lab, n, "corosync"))?,
        F::CibFailure => each(&|n| kill_named(lab, n, "pacemaker-based"))?,
        F::DiskFailure => each(&|n| disk(lab, n, 0))?,
        F::VipRepStopFailure => each(&|n| {
            ra_override(lab, n, "IPaddr2", "stop", names.vip_rep)?;
            pg_immediate_stop(lab, n)
        })?,
        F::VipMasterStopFailure => each(&|n| {
            ra_override(lab, n, "IPaddr2", "stop", names.vip_primary)?;
            del_addr(lab, n, topo::VIP_PRIMARY, topo::SERVICE.nic)
        })?,
        F::PgsqlDemoteFailure => each(&|n| {
            ra_override(lab, n, "pgsql", "demote", "pgsql")?;
            pg_immediate_stop(lab, n)
        })?,
        F::PgsqlStopFailure => each(&|n| {
            ra_override(lab, n, "pgsql", "stop", "pgsql")?;
            pg_immediate_stop(lab, n)
        })?,
        F::FencingFailure => std::fs::write(crate::bmc::broken_flag(lab), "")?,
        F::FailcountRemaining
        | F::FenceHistoryRemaining
        | F::LockFilePresent
        | F::MaintenanceModeOn
        | F::StandbyNotSync
        | F::StandbyAbsent => return Err(not_injectable(id)),
    }
    let on = if nodes.is_empty() {
        "the lab BMC".to_string()
    } else {
        nodes.join(" and ")
    };
    errln!(
        "injected {} on {on}: {}\nexpected: {}",
        f.id,
        f.does,
        f.expect
    );
    Ok(())
}

pub fn heal(lab: &Lab, id: FaultId, given: Option<&str>) -> Result<()> {
    let f = lab_fault(id)?;
    lab.require_up()?;
    let nodes: Vec<&str> = match given {
        Some(g) if g != "primary" && g != "standby" && g != "both" => vec![check_node(g)?],
        _ => NODES.to_vec(),
    };
    // A powered-off node: a reboot already undid everything in memory.
    let on: Vec<&str> = nodes
        .iter()
        .copied()
        .filter(|n| lab.init_pid(n).is_some())
        .collect();
    let mut did = Vec::new();
    use FaultId as F;
    match id {
        F::ReplicationLanFailure
        | F::ServiceLanFailure
        | F::RouterFailure
        | F::HeartbeatLanFailure
        | F::HeartbeatLinkDegraded => {
            for n in on {
                if node::try_sh(lab, n, &format!("nft delete table inet {}", table(id))).0 {
                    did.push(format!("removed the drop rules on {n}"));
                }
            }
        }
        F::NodeFailure => {
            for n in on {
                if lab.init_pid(n).is_some_and(is_frozen) {
                    freeze(lab, n, false)?;
                    did.push(format!("thawed {n}"));
                }
            }
        }
        F::DiskFailure => {
            for n in on {
                disk(lab, n, DISK_SIZE)?;
                did.push(format!("{n}'s disk readable again"));
            }
            // A fenced node's disk must be healed too (the image is on the host).
            for n in NODES {
                if lab.init_pid(n).is_none() {
                    disk(lab, n, DISK_SIZE)?;
                }
            }
        }
        F::VipRepStopFailure
        | F::VipMasterStopFailure
        | F::PgsqlDemoteFailure
        | F::PgsqlStopFailure => {
            for n in on {
                ra_restore(lab, n);
                did.push(format!("original resource agents back on {n}"));
            }
        }
        F::FencingFailure => {
            if std::fs::remove_file(crate::bmc::broken_flag(lab)).is_ok() {
                did.push("the BMC powers nodes off again".into());
            }
        }
        // The cause left nothing behind to undo: a deleted VIP, a stopped PostgreSQL or a
        // killed daemon is the cluster's (or the operator's) to bring back.
        F::VipRepFailure
        | F::VipMasterFailure
        | F::PgsqlFailure
        | F::VipStandbyFailure
        | F::PacemakerdFailure
        | F::CorosyncFailure
        | F::CibFailure => {}
        F::FailcountRemaining
        | F::FenceHistoryRemaining
        | F::LockFilePresent
        | F::MaintenanceModeOn
        | F::StandbyNotSync
        | F::StandbyAbsent => return Err(not_injectable(id)),
    }
    if did.is_empty() {
        errln!(
            "{id}: nothing to undo ({}); recovery is the operator's job (pgrex)",
            f.expect
        );
    } else {
        errln!("healed {id}: {}", did.join("; "));
    }
    Ok(())
}
