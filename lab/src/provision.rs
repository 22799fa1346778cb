//! First-boot setup of a node: names, ssh, corosync, PostgreSQL directories,
//! `/etc/pg-rex_tools.conf`, and the lab's own commands (fence agent, systemctl shim, pgrex).
//! Everything is written inside the node, so it lands on the node's private disk.

use crate::cib;
use crate::node::{sh, NODE_CONF, PROVISIONED};
use crate::state::Lab;
use crate::topo::{self, ARCHIVE_DIR, DLAN, IC1, IC2, NODES, PGDATA, PG_TMPDIR};
use anyhow::Result;

/// Root's password file (0600) for password ssh to the peer (PEER_NODE_SSH_PASS_FILE).
pub const PASS_FILE: &str = "/root/.pgrex_peer_pass";

/// Copy `content` into the node at `dst` with mode and owner.
pub fn put(lab: &Lab, node: &str, dst: &str, content: &str, mode: &str, owner: &str) -> Result<()> {
    let tmp = lab.dir.join("tmp");
    std::fs::create_dir_all(&tmp)?;
    let src = tmp.join(format!("{node}-{}", dst.replace('/', "_")));
    std::fs::write(&src, content)?;
    let (u, g) = owner.split_once(':').unwrap_or((owner, owner));
    sh(
        lab,
        node,
        &format!(
            "install -D -m {mode} -o {u} -g {g} '{}' '{dst}'",
            src.display()
        ),
    )?;
    std::fs::remove_file(&src)?;
    Ok(())
}

fn hosts() -> String {
    let mut s = String::from("127.0.0.1\tlocalhost\n");
    for (i, n) in NODES.iter().enumerate() {
        s += &format!(
            "{}\t{n}\n{}\t{n}-rep\n{}\t{n}-ic2\n",
            IC1.addr(i),
            DLAN.addr(i),
            IC2.addr(i)
        );
    }
    s
}

/// `pgrex-lab wait-for-all 0|1`: set votequorum's `wait_for_all` in both nodes'
/// corosync.conf (`0`, what `up` writes, or `1`: a node started alone waits for its peer
/// until the wait is cancelled, as `two_node: 1` implies on a cluster pcs created). Read
/// at corosync's next start, so the stack must be stopped on both nodes.
pub fn set_wait_for_all(lab: &Lab, on: bool) -> Result<()> {
    lab.require_up()?;
    for n in NODES {
        if crate::node::try_sh(lab, n, "pidof corosync >/dev/null").0 {
            anyhow::bail!(
                "corosync runs on {n}: stop the cluster on both nodes first (pgrex stop)"
            );
        }
    }
    let v = u8::from(on);
    for n in NODES {
        sh(
            lab,
            n,
            &format!("sed -i 's/^    wait_for_all: .*/    wait_for_all: {v}/' /etc/corosync/corosync.conf && grep -q '^    wait_for_all: {v}$' /etc/corosync/corosync.conf"),
        )?;
    }
    crate::out::outln!("corosync.conf: wait_for_all: {v} on {}", NODES.join(", "));
    Ok(())
}

fn corosync_conf() -> String {
    let mut nodes = String::new();
    for (i, n) in NODES.iter().enumerate() {
        nodes += &format!(
            "    node {{\n        ring0_addr: {}\n        ring1_addr: {}\n        name: {n}\n        nodeid: {}\n    }}\n",
            IC1.addr(i),
            IC2.addr(i),
            i + 1
        );
    }
    format!(
        "totem {{\n    version: 2\n    cluster_name: pgrex_cluster\n    transport: knet\n    token: 3000\n    crypto_cipher: aes256\n    crypto_hash: sha256\n    interface {{\n        linknumber: 0\n    }}\n    interface {{\n        linknumber: 1\n    }}\n}}\nnodelist {{\n{nodes}}}\nquorum {{\n    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 0\n}}\nlogging {{\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n    to_syslog: no\n    timestamp: on\n}}\n"
    )
}

/// `/etc/pg-rex_tools.conf` for the lab, in PG-REX's format.
pub fn tools_conf(profile: &str, pg_bin: &str) -> String {
    let n = cib::names(profile);
    let mut s = String::from("# /etc/pg-rex_tools.conf written by pgrex-lab up\n");
    s += &format!("D_LAN_IPAddress = {} , {}\n", DLAN.addr(0), DLAN.addr(1));
    s += &format!(
        "IC_LAN_IPAddress = ({}, {}) , ({}, {})\n",
        IC1.addr(0),
        IC1.addr(1),
        IC2.addr(0),
        IC2.addr(1)
    );
    s += &format!("Archive_dir = {ARCHIVE_DIR}\n");
    s += "STONITH = enable\n";
    s += &format!(
        "IPADDR_STANDBY = {}\n",
        if n.vip_standby.is_some() {
            "enable"
        } else {
            "disable"
        }
    );
    s += &format!("PGPATH = {pg_bin}\n");
    s += &format!("PEER_NODE_SSH_PASS_MODE = passfile\nPEER_NODE_SSH_PASS_FILE = {PASS_FILE}\n");
    s += "BACKUP_NODE_SSH_PASS_MODE = manual\n";
    s += &format!(
        "PG_REX_Primary_ResourceID = {}\nPG_REX_Primitive_ResourceID = pgsql\n",
        n.clone
    );
    s += &format!("IPADDR_PRIMARY_ResourceID = {}\n", n.vip_primary);
    s += &format!("IPADDR_REPLICATION_ResourceID = {}\n", n.vip_rep);
    if let Some(v) = n.vip_standby {
        s += &format!("IPADDR_STANDBY_ResourceID = {v}\n");
    }
    s += &format!("PING_ResourceID = {}\n", n.ping_clone);
    s += "STORAGE_MON_ResourceID = storage-mon-clone\n";
    s += &format!("STONITH_ResourceID = {} , {}\n", n.stonith[0], n.stonith[1]);
    s += "HACLUSTER_NAME = pgrex_cluster\n";
    s += &format!("NAMING_PROFILE = {profile}\n");
    s
}

/// Host-side material shared by both nodes: ssh key pair, root password, corosync authkey.
pub fn prepare_secrets(lab: &Lab) -> Result<()> {
    let d = lab.dir.join("secrets");
    std::fs::create_dir_all(&d)?;
    crate::sys::run("chmod", &["700", &d.to_string_lossy()])?;
    crate::sys::run(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "pgrex-lab",
            "-f",
            &d.join("id_ed25519").to_string_lossy(),
        ],
    )?;
    let mut key = vec![0u8; 128];
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(&mut key)?;
    std::fs::write(d.join("authkey"), &key)?;
    let pw: String = key
        .iter()
        .take(12)
        .map(|b| (b'a' + b % 26) as char)
        .collect();
    std::fs::write(d.join("rootpw"), format!("{pw}\n"))?;
    Ok(())
}

/// Provision one node (idempotent enough to run once per `up`).
pub fn node(lab: &Lab, node: &str, profile: &str) -> Result<()> {
    let i = topo::node_index(node).expect("known node");
    let sec = lab.dir.join("secrets");
    let s = sec.display();
    put(lab, node, "/etc/hosts", &hosts(), "644", "root:root")?;
    put(lab, node, "/etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files\nnetworks: files\nprotocols: files\nservices: files\n", "644", "root:root")?;
    put(lab, node, "/etc/resolv.conf", "", "644", "root:root")?;
    put(
        lab,
        node,
        "/etc/corosync/corosync.conf",
        &corosync_conf(),
        "644",
        "root:root",
    )?;
    put(
        lab,
        node,
        "/etc/pg-rex_tools.conf",
        &tools_conf(profile, lab.pg_bin()),
        "644",
        "root:root",
    )?;
    put(
        lab,
        node,
        NODE_CONF,
        &format!(
            "instance={}\nbmc_socket={}\n",
            lab.instance,
            lab.bmc_sock().display()
        ),
        "644",
        "root:root",
    )?;
    put(
        lab,
        node,
        "/etc/ssh/sshd_config.d/pgrex-lab.conf",
        &format!(
            "ListenAddress {}\nPermitRootLogin yes\nPasswordAuthentication yes\nUseDNS no\n",
            DLAN.addr(i)
        ),
        "644",
        "root:root",
    )?;
    put(
        lab,
        node,
        "/var/lib/pacemaker/cib/cib.xml",
        &cib::bootstrap(profile),
        "600",
        "hacluster:haclient",
    )?;
    let pgrex = lab.pgrex_bin();
    let script = format!(
        r#"
install -m 400 {s}/authkey /etc/corosync/authkey
rm -f /var/lib/pacemaker/cib/cib.xml.sig /var/lib/pacemaker/cib/cib-* /var/lib/pacemaker/pengine/* 2>/dev/null || true
rm -f /etc/ssh/ssh_host_*
ssh-keygen -q -A
echo "root:$(cat {s}/rootpw)" | chpasswd
install -m 600 {s}/rootpw {PASS_FILE}
install -d -m 700 /root/.ssh
install -m 600 {s}/id_ed25519 /root/.ssh/id_ed25519
install -m 644 {s}/id_ed25519.pub /root/.ssh/id_ed25519.pub
cat {s}/id_ed25519.pub > /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
install -d -o hacluster -g haclient -m 2770 /var/log/pacemaker
install -d -m 755 /var/log/corosync /var/log/crmsh
install -d -o postgres -g postgres -m 755 /var/log/pgsql /var/log/postgresql
install -d -o postgres -g postgres -m 700 /var/lib/pgsql /var/lib/pgsql/data {PG_TMPDIR} {ARCHIVE_DIR}
install -d -m 755 /var/lib/pgrex /etc/pgrex-lab
ln -sfn {bin} /usr/sbin/fence_lab
ln -sfn {bin} /usr/local/sbin/systemctl
/usr/local/sbin/systemctl disable pacemaker corosync 2>/dev/null
# Where pcs is installed its pcsd is enabled (the PG-REX normal state; pgrex status checks it).
if command -v pcs >/dev/null && [ -f /lib/systemd/system/pcsd.service ]; then /usr/local/sbin/systemctl enable pcsd 2>/dev/null; fi
ln -sfn {pgrex} /usr/local/sbin/pgrex
touch {PROVISIONED}
/usr/sbin/sshd
"#,
        bin = lab.bin().display(),
        pgrex = pgrex.display(),
    );
    sh(lab, node, &script)?;
    Ok(())
}

/// After both nodes have host keys: each trusts the other's host key under its D-LAN names.
pub fn known_hosts(lab: &Lab) -> Result<()> {
    let mut keys = Vec::new();
    for n in NODES {
        keys.push(sh(lab, n, "cat /etc/ssh/ssh_host_ed25519_key.pub")?);
    }
    let mut kh = String::new();
    for (i, n) in NODES.iter().enumerate() {
        let k: Vec<&str> = keys[i].split_whitespace().take(2).collect();
        kh += &format!("{},{n}-rep,{n} {}\n", DLAN.addr(i), k.join(" "));
    }
    for n in NODES {
        put(lab, n, "/root/.ssh/known_hosts", &kh, "644", "root:root")?;
    }
    Ok(())
}

/// The lab's `pg_hba.conf` in one of its variants. `lab`: every login trusted from the
/// service LAN and the D-LAN. `perl`: as a PG-REX cluster set up for the Perl tools —
/// replication from the D-LAN as before, but a non-replication login (what pg_rewind needs
/// as `postgres`) only from `127.0.0.1` and the service LAN (clients, the write probe), so a
/// rewind must come through the SSH tunnel.
pub fn hba_text(variant: &str) -> &'static str {
    match variant {
        "perl" => "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all 192.0.2.0/24 trust\nhost replication repuser 198.51.100.0/24 trust\nhost replication repuser 127.0.0.1/32 trust\n",
        _ => "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all 192.0.2.0/24 trust\nhost all all 198.51.100.0/24 trust\nhost replication repuser 198.51.100.0/24 trust\nhost replication repuser 127.0.0.1/32 trust\n",
    }
}

/// `pgrex-lab hba VARIANT`: write that `pg_hba.conf` into every node's data directory (a
/// base backup copies the primary's, so both nodes must agree) and reload a running server.
pub fn set_hba(lab: &Lab, variant: &str) -> Result<()> {
    lab.require_up()?;
    for n in NODES {
        if crate::node::try_sh(lab, n, &format!("test -f {PGDATA}/PG_VERSION")).0 {
            put(
                lab,
                n,
                &format!("{PGDATA}/pg_hba.conf"),
                hba_text(variant),
                "600",
                "postgres:postgres",
            )?;
            // Not running (stopped, powered off, frozen): the file is read at its next start.
            let _ = crate::node::try_sh(
                lab,
                n,
                &format!(
                    "runuser -u postgres -- {}/pg_ctl -D {PGDATA} reload >/dev/null 2>&1",
                    topo::PG_BIN
                ),
            );
        }
    }
    crate::out::outln!("pg_hba.conf: {variant} variant on {}", NODES.join(", "));
    Ok(())
}

/// The primary's database: initdb, PG-REX-style settings, WAL archiving, the replication role.
pub fn initdb(lab: &Lab, node: &str) -> Result<()> {
    let bin = lab.pg_bin();
    let conf = format!(
        "listen_addresses = '*'\nunix_socket_directories = '/var/run/postgresql'\nwal_level = replica\nmax_wal_senders = 10\nwal_keep_size = 512MB\nwal_log_hints = on\nhot_standby = on\nhot_standby_feedback = on\nwal_receiver_status_interval = 5s\nrestart_after_crash = off\narchive_mode = on\narchive_command = '/bin/cp %p {ARCHIVE_DIR}/%f'\nlogging_collector = on\nlog_directory = '/var/log/pgsql'\nlog_filename = 'postgresql-%a.log'\n"
    );
    let hba = hba_text("lab");
    sh(lab, node, &format!("runuser -u postgres -- {bin}/initdb -D {PGDATA} -U postgres -A trust --no-sync >/dev/null"))?;
    put(
        lab,
        node,
        &format!("{PGDATA}/postgresql.auto.conf"),
        &conf,
        "600",
        "postgres:postgres",
    )?;
    put(
        lab,
        node,
        &format!("{PGDATA}/pg_hba.conf"),
        hba,
        "600",
        "postgres:postgres",
    )?;
    sh(
        lab,
        node,
        &format!(
            "printf 'CREATE ROLE repuser REPLICATION LOGIN;\\nCREATE TABLE pgrex_lab_probe (id bigint PRIMARY KEY, at timestamptz DEFAULT now());\\n' | runuser -u postgres -- {bin}/postgres --single -D {PGDATA} -c archive_mode=off postgres >/dev/null"
        ),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_conf_is_in_pg_rex_format() {
        let c = tools_conf("pgrex17", topo::PG_BIN);
        assert!(c.contains("D_LAN_IPAddress = 198.51.100.11 , 198.51.100.12\n"));
        assert!(c.contains(
            "IC_LAN_IPAddress = (203.0.113.11, 203.0.113.12) , (203.0.113.139, 203.0.113.140)\n"
        ));
        assert!(c.contains("Archive_dir = /var/lib/pgsql/archive\n"));
        assert!(c.contains("PG_REX_Primary_ResourceID = pgsql-clone\n"));
        assert!(c.contains("STONITH_ResourceID = fence1-lab , fence2-lab\n"));
        assert!(c.contains("NAMING_PROFILE = pgrex17\n"));
        let s = tools_conf("seed", topo::PG_BIN);
        assert!(s.contains("PG_REX_Primary_ResourceID = msPostgresql\n"));
        assert!(s.contains("IPADDR_STANDBY = disable\n"));
    }
}
