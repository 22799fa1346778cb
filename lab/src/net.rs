//! The lab's networks: a gateway namespace holding one bridge per LAN, and veth "cables" to
//! each node's persistent network namespace. Nothing connects to the root namespace; nodes get
//! no default route; IPv6 is off everywhere.

use crate::state::Lab;
use crate::sys::{ip, quiet, run};
use crate::topo::{node_index, LANS, NODES};
use anyhow::Result;

fn sysctl(ns: &str, kv: &str) -> Result<()> {
    run("ip", &["netns", "exec", ns, "sysctl", "-q", "-w", kv]).map(|_| ())
}

fn no_ipv6(ns: &str) -> Result<()> {
    sysctl(ns, "net.ipv6.conf.all.disable_ipv6=1")?;
    sysctl(ns, "net.ipv6.conf.default.disable_ipv6=1")
}

/// Create the gateway namespace, the node namespaces and every cable.
pub fn create(lab: &Lab) -> Result<()> {
    let gw = lab.gw_ns();
    run("ip", &["netns", "add", &gw])?;
    no_ipv6(&gw)?;
    ip(&gw, &["link", "set", "lo", "up"])?;
    for lan in LANS {
        let br = lan.bridge();
        ip(&gw, &["link", "add", &br, "type", "bridge"])?;
        ip(&gw, &["link", "set", &br, "up"])?;
        if let Some(g) = lan.gw {
            ip(
                &gw,
                &[
                    "addr",
                    "add",
                    &format!("{}.{}/{}", lan.prefix, g, lan.len),
                    "dev",
                    &br,
                ],
            )?;
        }
    }
    for node in NODES {
        let ns = lab.netns(node);
        run("ip", &["netns", "add", &ns])?;
        no_ipv6(&ns)?;
        // Linux would answer ARP for any local address on any NIC: keep each VIP on its LAN.
        sysctl(&ns, "net.ipv4.conf.all.arp_ignore=1")?;
        sysctl(&ns, "net.ipv4.conf.all.arp_announce=2")?;
        for lan in LANS {
            let end = lan.gw_end(node);
            ip(
                &gw,
                &[
                    "link", "add", &end, "type", "veth", "peer", "name", lan.nic, "netns", &ns,
                ],
            )?;
            ip(&gw, &["link", "set", &end, "master", &lan.bridge(), "up"])?;
        }
        nics_up(lab, node)?;
    }
    Ok(())
}

/// Bring a node's NICs up with their base addresses ("power on" of the network card).
pub fn nics_up(lab: &Lab, node: &str) -> Result<()> {
    let ns = lab.netns(node);
    let i = node_index(node).expect("known node");
    ip(&ns, &["link", "set", "lo", "up"])?;
    for lan in LANS {
        quiet("ip", &["-n", &ns, "addr", "flush", "dev", lan.nic]);
        ip(&ns, &["addr", "add", &lan.cidr(i), "dev", lan.nic])?;
        ip(&ns, &["link", "set", lan.nic, "up"])?;
    }
    Ok(())
}

/// Take a node's NICs down (first step of a power-off: no FIN or RST leaves the node).
pub fn nics_down(lab: &Lab, node: &str) {
    let ns = lab.netns(node);
    for lan in LANS {
        quiet("ip", &["-n", &ns, "link", "set", lan.nic, "down"]);
    }
}

/// Remove every address (VIPs included) from a powered-off node's NICs.
pub fn nics_flush(lab: &Lab, node: &str) {
    let ns = lab.netns(node);
    for lan in LANS {
        quiet("ip", &["-n", &ns, "addr", "flush", "dev", lan.nic]);
    }
}

/// The instance's namespace names.
pub fn all_ns(lab: &Lab) -> Vec<String> {
    let mut v: Vec<String> = NODES.iter().map(|n| lab.netns(n)).collect();
    v.push(lab.gw_ns());
    v
}

/// Whether a named network namespace exists.
pub fn ns_exists(name: &str) -> bool {
    std::path::Path::new("/run/netns").join(name).exists()
}

/// Delete the namespaces (their veths and bridges go with them).
pub fn destroy(lab: &Lab) {
    for ns in all_ns(lab) {
        if ns_exists(&ns) {
            quiet("ip", &["netns", "del", &ns]);
        }
    }
}
