//! Fault injection: every FAULTS.md id the lab can reproduce, with "how the lab injects it"
//! and a `heal` that undoes only the cause (network rules, disk, RA override, freeze), never
//! the operator's recovery work.

use crate::cib;
use crate::cluster::attr;
use crate::node::{self, sh};
use crate::state::{check_node, Lab};
use crate::sys;
use crate::topo::{self, DISK_PATH, NODES, PGDATA, PG_BIN};
use anyhow::{bail, Result};
use nix::sys::signal::Signal;

/// (id, default node, what the lab does, what the cluster should do).
pub const FAULTS: &[(&str, &str, &str, &str)] = &[
    ("vip-rep-failure", "primary", "delete the replication VIP from the primary's D-LAN NIC", "① roles unchanged; vip-rep restarted in place (migration-threshold=0), fail-count and failed monitor remain"),
    ("vip-master-failure", "primary", "delete the service VIP from the primary's service NIC", "② failover; old primary STOP/DISCONNECT"),
    ("pgsql-failure", "primary", "pg_ctl -m immediate stop on the primary", "② failover; failed pgsql monitor on the old primary"),
    ("vip-standby-failure", "standby", "delete the standby VIP from the standby's service NIC", "standby VIP relocates to the primary; fail-count on the standby"),
    ("replication-lan-failure", "primary", "drop all traffic on the primary's D-LAN NIC (eth2)", "① standby HS:alone/DISCONNECT, no fail-count"),
    ("service-lan-failure", "primary", "drop all traffic on the primary's service NIC (eth1)", "② ping attribute 0 on the old primary; failover"),
    ("router-failure", "both", "drop traffic to and from the ping target on both nodes", "② on both: ping attributes 0, PostgreSQL and VIPs stopped everywhere"),
    ("heartbeat-lan-failure", "primary", "drop all traffic on both interconnect NICs (eth3, eth4)", "③ one node fenced; survivor primary"),
    ("heartbeat-link-degraded", "primary", "drop all traffic on the second interconnect NIC (eth4)", "none: both online, one corosync link down"),
    ("node-failure", "primary", "freeze every process of the node (SIGSTOP, a kernel hang)", "③ node fenced; standby promoted"),
    ("pacemakerd-failure", "primary", "kill -9 pacemakerd (the node's supervisor respawns it within ~1 s)", "① nothing changes"),
    ("corosync-failure", "primary", "kill -9 corosync", "③ as node-failure"),
    ("cib-failure", "primary", "kill -9 pacemaker-based", "③ as node-failure"),
    ("disk-failure", "primary", "make the monitored disk fail (its loop device's capacity drops to 0: every read fails)", "#health-storage-mon red; ② failover"),
    ("vip-rep-stop-failure", "primary", "the replication VIP's RA stop returns an error, then pg_ctl -m immediate stop triggers a failover", "② failover completes (stop on-fail=ignore)"),
    ("vip-master-stop-failure", "primary", "the service VIP's RA stop returns an error, then the VIP is deleted to trigger a failover", "③ old primary fenced; standby promoted"),
    ("pgsql-demote-failure", "primary", "the pgsql RA demote returns an error, then pg_ctl -m immediate stop triggers a failover", "③ old primary fenced"),
    ("pgsql-stop-failure", "primary", "the pgsql RA stop returns an error, then pg_ctl -m immediate stop", "③ old primary fenced; standby promoted"),
    ("fencing-failure", "-", "the lab BMC refuses every power-off/reboot (inject a ③ fault next)", "the next ③ fault leaves the node UNCLEAN, fencing fails, no failover"),
];

fn find(id: &str) -> Result<&'static (&'static str, &'static str, &'static str, &'static str)> {
    FAULTS.iter().find(|f| f.0 == id).ok_or_else(|| {
        let ids: Vec<&str> = FAULTS.iter().map(|f| f.0).collect();
        anyhow::anyhow!(
            "unknown fault `{id}`; the lab can inject: {}",
            ids.join(", ")
        )
    })
}

/// A powered-on, unfrozen node to ask the cluster from.
fn observer(lab: &Lab) -> Option<&'static str> {
    NODES
        .into_iter()
        .find(|n| lab.init_pid(n).is_some_and(|p| !is_frozen(p)))
}

/// The node currently holding role `want` (`primary` = pgsql-status PRI).
fn role_node(lab: &Lab, want: &str) -> Result<&'static str> {
    let Some(on) = observer(lab) else {
        bail!("no node is powered on")
    };
    let pri = NODES
        .into_iter()
        .find(|n| attr(lab, on, n, "pgsql-status").as_deref() == Some("PRI"));
    match (want, pri) {
        ("primary", Some(p)) => Ok(p),
        ("standby", Some(p)) => Ok(topo::peer(p)),
        (_, None) => bail!(
            "no node is primary (pgsql-status PRI) right now: name the node with --node pm01|pm02"
        ),
        _ => unreachable!(),
    }
}

fn resolve(lab: &Lab, default: &str, given: Option<&str>) -> Result<Vec<&'static str>> {
    match given.unwrap_or(default) {
        "both" => Ok(NODES.to_vec()),
        "-" => Ok(vec![]),
        r @ ("primary" | "standby") => Ok(vec![role_node(lab, r)?]),
        n => Ok(vec![check_node(n)?]),
    }
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

fn table(id: &str) -> String {
    format!("pgrexlab_{}", id.replace('-', "_"))
}

/// Drop traffic in the node's netns with one nftables table per fault.
fn firewall(lab: &Lab, n: &str, id: &str, rules: &[&str]) -> Result<()> {
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

fn pg_immediate_stop(lab: &Lab, n: &str) -> Result<()> {
    sh(
        lab,
        n,
        &format!("runuser -u postgres -- {PG_BIN}/pg_ctl -D {PGDATA} -m immediate stop >/dev/null"),
    )?;
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

pub fn inject(lab: &Lab, id: &str, given: Option<&str>) -> Result<()> {
    let f = find(id)?;
    lab.require_up()?;
    let profile = lab.profile()?;
    let names = cib::names(&profile);
    let nodes = resolve(lab, f.1, given)?;
    for &n in &nodes {
        if id != "node-failure" {
            node::require_on(lab, n)?;
        }
    }
    let vip = |ip: &str, nic: &str| format!("ip addr del {ip}/24 dev {nic}");
    for &n in &nodes {
        match id {
            "vip-rep-failure" => drop(sh(lab, n, &vip(topo::VIP_REPLICATION, topo::DLAN.nic))?),
            "vip-master-failure" => drop(sh(lab, n, &vip(topo::VIP_PRIMARY, topo::SERVICE.nic))?),
            "vip-standby-failure" => {
                if names.vip_standby.is_none() {
                    bail!("profile {profile} has no standby VIP: vip-standby-failure needs `up --profile pgrex17`");
                }
                drop(sh(lab, n, &vip(topo::VIP_STANDBY, topo::SERVICE.nic))?)
            }
            "pgsql-failure" => pg_immediate_stop(lab, n)?,
            "replication-lan-failure" => firewall(
                lab,
                n,
                id,
                &["in iifname eth2 drop", "out oifname eth2 drop"],
            )?,
            "service-lan-failure" => firewall(
                lab,
                n,
                id,
                &["in iifname eth1 drop", "out oifname eth1 drop"],
            )?,
            "router-failure" => firewall(
                lab,
                n,
                id,
                &[
                    &format!("in ip saddr {} drop", topo::GATEWAY),
                    &format!("out ip daddr {} drop", topo::GATEWAY),
                ],
            )?,
            "heartbeat-lan-failure" => firewall(
                lab,
                n,
                id,
                &[
                    "in iifname { eth3, eth4 } drop",
                    "out oifname { eth3, eth4 } drop",
                ],
            )?,
            "heartbeat-link-degraded" => firewall(
                lab,
                n,
                id,
                &["in iifname eth4 drop", "out oifname eth4 drop"],
            )?,
            "node-failure" => freeze(lab, n, true)?,
            "pacemakerd-failure" => kill_named(lab, n, "pacemakerd")?,
            "corosync-failure" => kill_named(lab, n, "corosync")?,
            "cib-failure" => kill_named(lab, n, "pacemaker-based")?,
            "disk-failure" => disk(lab, n, 0)?,
            "vip-rep-stop-failure" => {
                ra_override(lab, n, "IPaddr2", "stop", names.vip_rep)?;
                pg_immediate_stop(lab, n)?;
            }
            "vip-master-stop-failure" => {
                ra_override(lab, n, "IPaddr2", "stop", names.vip_primary)?;
                sh(lab, n, &vip(topo::VIP_PRIMARY, topo::SERVICE.nic))?;
            }
            "pgsql-demote-failure" => {
                ra_override(lab, n, "pgsql", "demote", "pgsql")?;
                pg_immediate_stop(lab, n)?;
            }
            "pgsql-stop-failure" => {
                ra_override(lab, n, "pgsql", "stop", "pgsql")?;
                pg_immediate_stop(lab, n)?;
            }
            _ => unreachable!(),
        }
    }
    if id == "fencing-failure" {
        std::fs::write(crate::bmc::broken_flag(lab), "")?;
    }
    let on = if nodes.is_empty() {
        "the lab BMC".to_string()
    } else {
        nodes.join(" and ")
    };
    eprintln!("injected {id} on {on}: {}\nexpected: {}", f.2, f.3);
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
    // Twice: a process forked while we walked /proc is caught the second time.
    for _ in 0..3 {
        for p in node::all_pids(pid) {
            sys::signal(p, sig);
        }
    }
    Ok(())
}

pub fn heal(lab: &Lab, id: &str, given: Option<&str>) -> Result<()> {
    let f = find(id)?;
    lab.require_up()?;
    let nodes: Vec<&str> = match given {
        Some(g) if g != "primary" && g != "standby" => vec![check_node(g)?],
        _ => NODES.to_vec(),
    };
    let mut did = Vec::new();
    for &n in &nodes {
        if lab.init_pid(n).is_none() {
            continue; // powered off: a reboot already undid everything in memory
        }
        match id {
            "replication-lan-failure"
            | "service-lan-failure"
            | "router-failure"
            | "heartbeat-lan-failure"
            | "heartbeat-link-degraded"
                if node::try_sh(lab, n, &format!("nft delete table inet {}", table(id))).0 =>
            {
                did.push(format!("removed the drop rules on {n}"));
            }
            "node-failure" if lab.init_pid(n).is_some_and(is_frozen) => {
                freeze(lab, n, false)?;
                did.push(format!("thawed {n}"));
            }
            "disk-failure" => {
                disk(lab, n, 8 << 20)?;
                did.push(format!("{n}'s disk readable again"));
            }
            "vip-rep-stop-failure"
            | "vip-master-stop-failure"
            | "pgsql-demote-failure"
            | "pgsql-stop-failure" => {
                ra_restore(lab, n);
                did.push(format!("original resource agents back on {n}"));
            }
            _ => {}
        }
    }
    if id == "disk-failure" {
        // A fenced node's disk must be healed too (the image is on the host).
        for n in NODES {
            if lab.init_pid(n).is_none() {
                disk(lab, n, 8 << 20)?;
            }
        }
    }
    if id == "fencing-failure" && std::fs::remove_file(crate::bmc::broken_flag(lab)).is_ok() {
        did.push("the BMC powers nodes off again".into());
    }
    if did.is_empty() {
        eprintln!(
            "{id}: nothing to undo ({}); recovery is the operator's job (pgrex)",
            f.3
        );
    } else {
        eprintln!("healed {id}: {}", did.join("; "));
    }
    let _ = DISK_PATH;
    Ok(())
}
