//! The lab controller ("BMC"): a daemon in the root namespaces that powers nodes on and off.
//! Fence agents inside the nodes cannot see the peer's processes, so they ask it over a
//! pathname unix socket (those work across network namespaces). It is also the parent of
//! every node's init, so it reaps them.
//!
//! Protocol: one line `ACTION NODE` (`on`, `off`, `reboot`, `status`), answer one line:
//! `ok on|off` or `error TEXT`.

use crate::state::{check_node, Lab};
use crate::sys;
use crate::{net, topo};
use anyhow::{bail, Context, Result};
use nix::sys::signal::Signal;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Marker file: while it exists, fencing requests fail (fault `fencing-failure`).
pub fn broken_flag(lab: &Lab) -> std::path::PathBuf {
    lab.dir.join("fence-broken")
}

/// Boot a node: NICs up, then a new init in fresh namespaces.
pub fn power_on(lab: &Lab, node: &str) -> Result<()> {
    if lab.init_pid(node).is_some() {
        return Ok(());
    }
    let _ = std::fs::remove_file(lab.init_pid_file(node));
    net::nics_up(lab, node)?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(lab.dir.join(format!("{node}-init.log")))?;
    Command::new("nsenter")
        .arg(format!("--net=/run/netns/{}", lab.netns(node)))
        .args([
            "unshare",
            "--mount",
            "--uts",
            "--ipc",
            "--pid",
            "--fork",
            "--propagation",
            "private",
        ])
        .arg(lab.bin())
        .args(["--instance", &lab.instance, "__init", node])
        .env_clear()
        .env("PATH", crate::node::PATH)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("starting the node's init")?;
    if !sys::wait_until(Duration::from_secs(15), Duration::from_millis(20), || {
        lab.init_pid(node).is_some()
    }) {
        bail!(
            "node {node} did not boot within 15 s (see {}/{node}-init.log)",
            lab.dir.display()
        );
    }
    Ok(())
}

/// Cut power: NICs down first (no FIN/RST leaves), kill the PID namespace, drop addresses.
pub fn power_off(lab: &Lab, node: &str) -> Result<()> {
    net::nics_down(lab, node);
    if let Some(pid) = lab.init_pid(node) {
        sys::signal(pid, Signal::SIGKILL);
        sys::wait_until(Duration::from_secs(10), Duration::from_millis(10), || {
            !sys::alive(pid)
        });
        // The kernel kills the rest of the namespace; wait until it is really empty.
        sys::wait_until(Duration::from_secs(10), Duration::from_millis(10), || {
            crate::node::all_pids(pid).is_empty()
        });
    }
    let _ = std::fs::remove_file(lab.init_pid_file(node));
    net::nics_flush(lab, node);
    Ok(())
}

fn handle(lab: &Lab, line: &str) -> String {
    let mut it = line.split_whitespace();
    let (Some(action), Some(node)) = (it.next(), it.next()) else {
        return "error expected: ACTION NODE".into();
    };
    let node = match check_node(node) {
        Ok(n) => n,
        Err(e) => return format!("error {e}"),
    };
    let r = match action {
        "status" => Ok(()),
        "on" => power_on(lab, node),
        "off" | "reboot" if broken_flag(lab).exists() => Err(anyhow::anyhow!(
            "BMC unreachable (fault {} injected)",
            pgrex::diagnose::FaultId::FencingFailure
        )),
        "off" => power_off(lab, node),
        "reboot" => power_off(lab, node).and_then(|_| power_on(lab, node)),
        other => Err(anyhow::anyhow!("unknown action {other}")),
    };
    log(
        lab,
        &format!("{line} -> {:?}", r.as_ref().map_err(|e| e.to_string())),
    );
    match r {
        Ok(()) => format!(
            "ok {}",
            if lab.init_pid(node).is_some() {
                "on"
            } else {
                "off"
            }
        ),
        Err(e) => format!("error {e}"),
    }
}

fn log(lab: &Lab, msg: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(lab.dir.join("bmc.log"))
    {
        let _ = writeln!(f, "{now:.3} {msg}");
    }
}

/// The daemon: serve requests one at a time, reap children between them.
pub fn serve(lab: &Lab) -> Result<()> {
    let _ = std::fs::remove_file(lab.bmc_sock());
    let l = UnixListener::bind(lab.bmc_sock())?;
    l.set_nonblocking(true)?;
    std::fs::write(lab.bmc_pid_file(), std::process::id().to_string())?;
    log(lab, "bmc started");
    loop {
        while let Ok(
            nix::sys::wait::WaitStatus::Exited(..) | nix::sys::wait::WaitStatus::Signaled(..),
        ) = nix::sys::wait::waitpid(
            nix::unistd::Pid::from_raw(-1),
            Some(nix::sys::wait::WaitPidFlag::WNOHANG),
        ) {}
        match l.accept() {
            Ok((s, _)) => {
                s.set_nonblocking(false)?;
                s.set_read_timeout(Some(Duration::from_secs(5)))?;
                let mut line = String::new();
                let mut r = BufReader::new(&s);
                if r.read_line(&mut line).is_ok() {
                    let ans = handle(lab, line.trim());
                    let _ = (&s).write_all(format!("{ans}\n").as_bytes());
                }
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Ask the BMC at `sock`; returns the answer after `ok `.
pub fn request(sock: &std::path::Path, action: &str, node: &str) -> Result<String> {
    let mut s = UnixStream::connect(sock)
        .with_context(|| format!("cannot reach the lab BMC at {}", sock.display()))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.write_all(format!("{action} {node}\n").as_bytes())?;
    let mut ans = String::new();
    BufReader::new(&s).read_line(&mut ans)?;
    let ans = ans.trim();
    match ans.strip_prefix("ok ") {
        Some(state) => Ok(state.to_string()),
        None => bail!("BMC: {}", ans.strip_prefix("error ").unwrap_or(ans)),
    }
}

/// Start the BMC daemon for this lab (detached) and wait for its socket.
pub fn start(lab: &Lab) -> Result<()> {
    use std::os::unix::process::CommandExt;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(lab.dir.join("bmc.out"))?;
    Command::new(lab.bin())
        .args(["--instance", &lab.instance, "__bmc"])
        .env_clear()
        .env("PATH", crate::node::PATH)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()?;
    if !sys::wait_until(Duration::from_secs(5), Duration::from_millis(10), || {
        UnixStream::connect(lab.bmc_sock()).is_ok()
    }) {
        bail!(
            "the lab BMC did not start (see {}/bmc.out)",
            lab.dir.display()
        );
    }
    Ok(())
}

/// PID of this lab's running BMC.
pub fn pid(lab: &Lab) -> Option<i32> {
    let p: i32 = std::fs::read_to_string(lab.bmc_pid_file())
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (sys::alive(p) && sys::cmdline(p).contains("__bmc") && sys::cmdline(p).contains(&lab.instance))
        .then_some(p)
}

/// Power a node from the CLI, through the BMC.
pub fn cli_power(lab: &Lab, action: &str, node: &str) -> Result<String> {
    lab.require_up()?;
    let node = check_node(node)?;
    let _ = topo::node_index(node);
    request(&lab.bmc_sock(), action, node)
}
