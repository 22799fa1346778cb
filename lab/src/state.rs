//! Lab instances and their state directory: every name and file an instance owns.
//!
//! All that `up` creates is derived from the instance name (network namespaces
//! `<instance>-pm01`, `<instance>-pm02`, `<instance>-gw`) or lives under the state directory
//! `/var/tmp/pgrex-lab/<instance>/` (node disks, BMC socket and log, PID files, the loop
//! devices' backing files). So `down` and a stale-lab cleanup can find everything even when the
//! processes that made it are gone. The state directory is outside `/etc`, `/var/lib`, `/root`
//! and `/usr/sbin` because those are overlay-mounted inside the nodes.

use anyhow::{bail, Context, Result};
use std::path::PathBuf;

pub const BASE: &str = "/var/tmp/pgrex-lab";

#[derive(Debug, Clone)]
pub struct Lab {
    pub instance: String,
    pub dir: PathBuf,
}

impl Lab {
    pub fn new(instance: &str) -> Result<Lab> {
        let ok = !instance.is_empty()
            && instance.len() <= 8
            && instance
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && instance
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase());
        if !ok {
            bail!(
                "invalid instance name `{instance}`: use 1 to 8 lowercase letters or digits, starting with a letter (e.g. `lab`, `ci`)"
            );
        }
        Ok(Lab {
            instance: instance.to_string(),
            dir: PathBuf::from(BASE).join(instance),
        })
    }

    pub fn netns(&self, what: &str) -> String {
        format!("{}-{}", self.instance, what)
    }
    pub fn gw_ns(&self) -> String {
        self.netns("gw")
    }
    pub fn node_dir(&self, node: &str) -> PathBuf {
        self.dir.join("nodes").join(node)
    }
    pub fn init_pid_file(&self, node: &str) -> PathBuf {
        self.dir.join(format!("{node}.pid"))
    }
    pub fn bmc_sock(&self) -> PathBuf {
        self.dir.join("bmc.sock")
    }
    pub fn bmc_pid_file(&self) -> PathBuf {
        self.dir.join("bmc.pid")
    }
    pub fn bin(&self) -> PathBuf {
        self.dir.join("bin").join("pgrex-lab")
    }
    /// The copy of `pgrex` the nodes run (`/usr/local/sbin/pgrex` links here). A copy, not
    /// the build output itself: a checkout under `/tmp` is invisible inside a node, whose
    /// `/tmp` is its own.
    pub fn pgrex_bin(&self) -> PathBuf {
        self.dir.join("bin").join("pgrex")
    }
    /// The PostgreSQL major the lab was brought up with (`up --pg`).
    pub fn pg_file(&self) -> PathBuf {
        self.dir.join("pg")
    }
    /// The major in [`Lab::pg_file`]; 15 when the file is missing (a lab from before `--pg`).
    pub fn pg_major(&self) -> u32 {
        std::fs::read_to_string(self.pg_file())
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(15)
    }
    /// The bin directory of the lab's PostgreSQL.
    pub fn pg_bin(&self) -> &'static str {
        crate::topo::pg_bin(self.pg_major())
    }
    pub fn profile_file(&self) -> PathBuf {
        self.dir.join("profile")
    }
    pub fn disk_img(&self, node: &str) -> PathBuf {
        self.node_dir(node).join("disk0.img")
    }
    pub fn loop_file(&self, node: &str) -> PathBuf {
        self.node_dir(node).join("loopdev")
    }

    /// Whether this instance has a state directory (it was brought up and not torn down).
    pub fn exists(&self) -> bool {
        self.dir.join("profile").exists()
    }

    /// Refuse politely when no lab of this instance is up.
    pub fn require_up(&self) -> Result<()> {
        if !self.exists() {
            bail!(
                "no lab `{}` is up (no {}): run `pgrex-lab up` first{}",
                self.instance,
                self.dir.display(),
                others_hint(&self.instance)
            );
        }
        Ok(())
    }

    pub fn profile(&self) -> Result<String> {
        Ok(std::fs::read_to_string(self.profile_file())
            .context("reading the lab's profile")?
            .trim()
            .to_string())
    }

    /// Host PID of a node's init, when the node is powered on.
    pub fn init_pid(&self, node: &str) -> Option<i32> {
        let pid: i32 = std::fs::read_to_string(self.init_pid_file(node))
            .ok()?
            .trim()
            .parse()
            .ok()?;
        (crate::sys::alive(pid) && crate::sys::cmdline(pid).contains("__init")).then_some(pid)
    }

    pub fn loop_dev(&self, node: &str) -> Option<String> {
        std::fs::read_to_string(self.loop_file(node))
            .ok()
            .map(|s| s.trim().to_string())
    }
}

/// Other instances that are up, as a hint for "no lab up" messages.
pub fn others_hint(me: &str) -> String {
    let others: Vec<String> = std::fs::read_dir(BASE)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.path().join("profile").exists())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| n != me)
                .collect()
        })
        .unwrap_or_default();
    if others.is_empty() {
        String::new()
    } else {
        format!(
            " (instances up: {}; select one with --instance NAME)",
            others.join(", ")
        )
    }
}

/// Resolve a node argument: `pm01`, `pm02`.
pub fn check_node(node: &str) -> Result<&'static str> {
    match crate::topo::node_index(node) {
        Some(i) => Ok(crate::topo::NODES[i]),
        None => bail!(
            "unknown node `{node}`: the lab's nodes are {}",
            crate::topo::NODES.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_are_short_and_safe() {
        assert!(Lab::new("lab").is_ok());
        assert!(Lab::new("ci2").is_ok());
        for bad in ["", "Lab", "2lab", "a-b", "toolongname", "../x"] {
            let e = Lab::new(bad).expect_err(bad).to_string();
            assert!(e.contains("invalid instance name"), "{e}");
        }
        assert_eq!(Lab::new("ci").unwrap().netns("pm01"), "ci-pm01");
    }

    #[test]
    fn unknown_node_names_the_nodes() {
        let e = check_node("pm03").unwrap_err().to_string();
        assert!(e.contains("pm01, pm02"), "{e}");
    }
}
