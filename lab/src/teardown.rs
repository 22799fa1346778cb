//! `down`, and the cleanup `up` runs first: remove every process, namespace, interface, loop
//! device and file of one instance, found by name even when the state directory is damaged.

use crate::out::errln;
use crate::state::Lab;
use crate::sys::{self, quiet};
use crate::{bmc, net, topo::NODES};
use anyhow::{bail, Result};
use nix::sys::signal::Signal;
use std::path::Path;
use std::time::Duration;

/// Remove everything of the instance. Safe to run when nothing is there.
pub fn clear(lab: &Lab) -> Result<()> {
    // The BMC first, so it cannot boot a node while we kill them.
    if let Some(p) = bmc::pid(lab) {
        sys::signal(p, Signal::SIGKILL);
        sys::wait_until(Duration::from_secs(5), Duration::from_millis(10), || {
            !sys::alive(p)
        });
    }
    for n in NODES {
        net::nics_down(lab, n);
        if let Some(p) = lab.init_pid(n) {
            sys::signal(p, Signal::SIGKILL);
        }
    }
    // Any process left in one of our network namespaces (nodes, probe in the gateway).
    for ns in net::all_ns(lab) {
        if let Some(ino) = sys::ns_inode(&Path::new("/run/netns").join(&ns)) {
            for _ in 0..50 {
                let pids = sys::pids_in_ns("net", ino);
                if pids.is_empty() {
                    break;
                }
                for p in pids {
                    sys::signal(p, Signal::SIGKILL);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    net::destroy(lab);
    for n in NODES {
        // Loop devices backed by our images (recorded or not).
        let img = lab.disk_img(n);
        if let Ok(out) = sys::run("losetup", &["-j", &img.to_string_lossy()]) {
            for l in out.lines() {
                if let Some(dev) = l.split(':').next() {
                    quiet("losetup", &["-d", dev]);
                }
            }
        }
    }
    if lab.dir.exists() {
        std::fs::remove_dir_all(&lab.dir)?;
    }
    let _ = std::fs::remove_dir(crate::state::BASE);
    Ok(())
}

/// What of the instance is still there (empty = nothing).
pub fn leftovers(lab: &Lab) -> Vec<String> {
    let mut v = Vec::new();
    for ns in net::all_ns(lab) {
        if net::ns_exists(&ns) {
            v.push(format!("network namespace {ns}"));
        }
    }
    if lab.dir.exists() {
        v.push(format!("directory {}", lab.dir.display()));
    }
    for n in NODES {
        if let Ok(out) = sys::run("losetup", &["-j", &lab.disk_img(n).to_string_lossy()]) {
            if !out.trim().is_empty() {
                v.push(format!("loop device {}", out.trim()));
            }
        }
    }
    // With the separator: instance `wrel` must not claim the processes of `wrellab`.
    let me = format!("{}/", lab.dir.to_string_lossy());
    let self_pid = std::process::id() as i32;
    if let Ok(rd) = std::fs::read_dir("/proc") {
        for e in rd.flatten() {
            if let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) {
                if p != self_pid && sys::alive(p) && sys::cmdline(p).contains(&me) {
                    v.push(format!("process {p}: {}", sys::cmdline(p)));
                }
            }
        }
    }
    v
}

pub fn down(lab: &Lab) -> Result<()> {
    let was_up = lab.dir.exists() || net::all_ns(lab).iter().any(|n| net::ns_exists(n));
    clear(lab)?;
    let left = leftovers(lab);
    if !left.is_empty() {
        bail!("down left these behind:\n  {}", left.join("\n  "));
    }
    if was_up {
        errln!("lab `{}` is down; nothing left behind.", lab.instance);
    } else {
        errln!("lab `{}` was not up; nothing to do.", lab.instance);
    }
    Ok(())
}
