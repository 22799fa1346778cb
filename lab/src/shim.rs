//! The `systemctl` shim of a lab node (`/usr/local/sbin/systemctl` inside it): start, stop and
//! report pacemaker and corosync as systemd would on a real PG-REX node (both disabled at boot).
//! pacemakerd itself is spawned and respawned by the node's init, which watches a flag file.
//! `enable`, `disable` and `is-enabled` are the node's `.wants` links (`wants.rs`), so the
//! shim and the node's `/etc` never disagree.

use crate::node::WANT_PACEMAKER;
use crate::out::{errln, outln};
use crate::sys::{self, pids_named, wait_until};
use crate::wants;
use nix::sys::signal::Signal;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn running(unit: &str) -> bool {
    match unit {
        "corosync" => !pids_named("corosync").is_empty(),
        "pacemaker" => !pids_named("pacemakerd").is_empty(),
        "sshd" | "ssh" => !pids_named("sshd").is_empty(),
        _ => false,
    }
}

fn start_corosync() -> Result<(), String> {
    if running("corosync") {
        return Ok(());
    }
    let st = Command::new("/usr/sbin/corosync")
        .status()
        .map_err(|e| e.to_string())?;
    if !st.success() {
        return Err(format!(
            "corosync exited with {st}; see /var/log/corosync/corosync.log"
        ));
    }
    if !wait_until(Duration::from_secs(20), Duration::from_millis(100), || {
        sys::quiet("corosync-cfgtool", &["-s"])
    }) {
        return Err("corosync did not become ready within 20 s".into());
    }
    Ok(())
}

fn start_pacemaker() -> Result<(), String> {
    start_corosync()?;
    std::fs::write(WANT_PACEMAKER, "").map_err(|e| e.to_string())?;
    if !wait_until(Duration::from_secs(10), Duration::from_millis(100), || {
        running("pacemaker")
    }) {
        return Err(
            "pacemakerd did not start within 10 s; see /var/log/pacemaker/pacemaker.log".into(),
        );
    }
    Ok(())
}

fn stop_pacemaker() -> Result<(), String> {
    let _ = std::fs::remove_file(WANT_PACEMAKER);
    for p in pids_named("pacemakerd") {
        sys::signal(p, Signal::SIGTERM);
    }
    // systemd's TimeoutStopSec for pacemaker is 30 min: resource stops may take long.
    let gone = wait_until(
        Duration::from_secs(1800),
        Duration::from_millis(200),
        || {
            !running("pacemaker")
                && [
                    "pacemaker-based",
                    "pacemaker-controld",
                    "pacemaker-execd",
                    "pacemaker-fenced",
                    "pacemaker-attrd",
                    "pacemaker-schedulerd",
                ]
                .iter()
                .all(|d| pids_named(d).is_empty())
        },
    );
    if gone {
        Ok(())
    } else {
        Err("pacemaker did not stop".into())
    }
}

fn stop_corosync() -> Result<(), String> {
    stop_pacemaker()?;
    if running("corosync") {
        sys::quiet("corosync-cfgtool", &["-H", "--force"]);
        if !wait_until(Duration::from_secs(60), Duration::from_millis(100), || {
            !running("corosync")
        }) {
            for p in pids_named("corosync") {
                sys::signal(p, Signal::SIGTERM);
            }
        }
    }
    Ok(())
}

fn enabled_word(unit_file: &str) -> &'static str {
    if wants::is_enabled(Path::new(ROOT), unit_file) {
        "enabled"
    } else {
        "disabled"
    }
}

fn unit_name(u: &str) -> &str {
    u.trim_end_matches(".service")
}

const USAGE: &str = "systemctl (pgrex-lab node shim): start|stop|restart|status|is-active|is-enabled|enable|disable pacemaker|corosync|sshd (pcsd: status, is-active, is-enabled, enable, disable)";

/// The node's root: its `/etc` holds the `.wants` links.
const ROOT: &str = "/";

pub fn main(args: &[String]) -> i32 {
    let args: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let (Some(verb), Some(unit)) = (args.first(), args.get(1)) else {
        errln!("{USAGE}");
        return 2;
    };
    // Like systemctl, these take several units: one line each, exit 0 only if all hold.
    if matches!(*verb, "is-active" | "is-enabled" | "enable" | "disable") && args.len() > 2 {
        return args[1..]
            .iter()
            .map(|u| main(&[verb.to_string(), u.to_string()]))
            .max()
            .unwrap_or(0);
    }
    let unit = unit_name(unit);
    if !matches!(unit, "pacemaker" | "corosync" | "sshd" | "ssh" | "pcsd") {
        errln!("Unit {unit}.service not found (in this lab node only pacemaker, corosync, sshd and pcsd exist).");
        return 5;
    }
    // pcsd (where pcs is installed) is enabled or not like the others, but never run: pgrex
    // creates a cluster with `pcs cluster setup --corosync_conf`, which needs no pcsd.
    if unit == "pcsd" && matches!(*verb, "start" | "stop" | "restart") {
        errln!("pcsd is not run in a lab node (pcs cluster setup --corosync_conf needs none)");
        return 5;
    }
    let r = match (*verb, unit) {
        ("start", "pacemaker") => start_pacemaker(),
        ("start", "corosync") => start_corosync(),
        ("stop", "pacemaker") => stop_pacemaker(),
        ("stop", "corosync") => stop_corosync(),
        ("restart", "pacemaker") => stop_pacemaker().and_then(|_| start_pacemaker()),
        ("restart", "corosync") => stop_corosync().and_then(|_| start_corosync()),
        ("status", u) => {
            let a = running(u);
            let file = wants::unit_file(u);
            outln!("● {file}");
            outln!(
                "     Loaded: loaded (/lib/systemd/system/{file}; {}; preset: enabled)",
                enabled_word(&file)
            );
            outln!(
                "     Active: {}",
                if a {
                    "active (running)"
                } else {
                    "inactive (dead)"
                }
            );
            return if a { 0 } else { 3 };
        }
        ("is-active", u) => {
            let a = running(u);
            outln!("{}", if a { "active" } else { "inactive" });
            return if a { 0 } else { 3 };
        }
        ("is-enabled", u) => {
            let file = wants::unit_file(u);
            outln!("{}", enabled_word(&file));
            return if wants::is_enabled(Path::new(ROOT), &file) {
                0
            } else {
                1
            };
        }
        ("enable", u) => wants::enable(Path::new(ROOT), &wants::unit_file(u))
            .map(|made| {
                for l in made {
                    errln!(
                        "Created symlink {} → {}.",
                        l.display(),
                        std::fs::read_link(&l).unwrap_or_default().display()
                    );
                }
            })
            .map_err(|e| e.to_string()),
        ("disable", u) => wants::disable(Path::new(ROOT), &wants::unit_file(u))
            .map(|gone| {
                for l in gone {
                    errln!("Removed \"{}\".", l.display());
                }
            })
            .map_err(|e| e.to_string()),
        _ => {
            errln!("{USAGE}");
            return 2;
        }
    };
    match r {
        Ok(()) => 0,
        Err(e) => {
            errln!("Job for {unit}.service failed: {e}");
            1
        }
    }
}
