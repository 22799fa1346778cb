//! A node: PID 1 of its own PID, mount, UTS and IPC namespaces, inside its persistent network
//! namespace. `init` builds the node's private filesystem view, starts sshd, reaps orphans and
//! supervises pacemakerd as systemd's `Restart=on-failure` would. `enter` runs a command as on
//! the node.

use crate::state::Lab;
use crate::sys::{self, run};
use anyhow::{bail, Context, Result};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Flag file inside a node: "pacemaker should run" (set by the systemctl shim).
pub const WANT_PACEMAKER: &str = "/run/pgrex-lab/want-pacemaker";
/// Marker inside a node's /etc: provisioning done, sshd may start at boot.
pub const PROVISIONED: &str = "/etc/pgrex-lab/provisioned";
/// Per-node lab settings (instance, BMC socket) for the fence agent.
pub const NODE_CONF: &str = "/etc/pgrex-lab/node.conf";

/// Directories of the node's disk that are overlaid on the host's (host = read-only lower).
const OVERLAYS: [(&str, &str); 4] = [
    ("/etc", "etc"),
    ("/var/lib", "varlib"),
    ("/root", "root"),
    ("/usr/sbin", "usrsbin"),
];

pub const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn mount(args: &[&str]) -> Result<()> {
    run("mount", args).map(|_| ())
}

/// root's `.bashrc` on the node, over the host's: a host's shell setup (pyenv's init here)
/// ran for every SSH command on the nodes — ~0.5–2 s each, and pyenv's rehash takes a lock
/// file that a command killed at its deadline left behind, so every later command waited
/// 60 s for it (likely behind an SSH step that "did not finish within 1m" in the full
/// recover set). CI's machine has no such setup; now the nodes here have none either.
fn node_bashrc(upper: &Path) -> Result<()> {
    let rc = upper.join(".bashrc");
    if !rc.exists() {
        std::fs::write(
            &rc,
            "# pgrex-lab node: the host's root .bashrc is not run here (see lab/src/node.rs).\n",
        )?;
    }
    Ok(())
}

/// The node's PID 1. Runs inside the fresh namespaces; `unshare` made mounts private.
pub fn init(lab: &Lab, node: &str) -> Result<()> {
    // Before /proc is replaced, /proc/self still names our host PID.
    let host_pid = std::fs::read_link("/proc/self")?
        .to_string_lossy()
        .into_owned();
    nix::unistd::sethostname(node)?;
    let disk = lab.node_dir(node).join("disk");
    mount(&["-t", "proc", "proc", "/proc"])?;
    mount(&["-t", "sysfs", "sysfs", "/sys"])?;
    for (target, name) in OVERLAYS {
        let u = disk.join(name).join("u");
        let w = disk.join(name).join("w");
        std::fs::create_dir_all(&u)?;
        std::fs::create_dir_all(&w)?;
        if target == "/root" {
            node_bashrc(&u)?;
        }
        let opts = format!(
            "lowerdir={target},upperdir={},workdir={}",
            u.display(),
            w.display()
        );
        mount(&["-t", "overlay", "overlay", "-o", &opts, target])?;
    }
    let log = disk.join("log");
    std::fs::create_dir_all(&log)?;
    mount(&["--bind", &log.to_string_lossy(), "/var/log"])?;
    // pgrex's journals on the node's own disk, not in the /var/lib overlay: a host that
    // creates or removes its own /var/lib/pgrex (a pgrex run there) changes the overlay's
    // lower layer under it, and the node then saw its journal directory empty.
    let journals = disk.join("pgrex-journals");
    std::fs::create_dir_all(&journals)?;
    std::fs::create_dir_all("/var/lib/pgrex")?;
    mount(&["--bind", &journals.to_string_lossy(), "/var/lib/pgrex"])?;
    for t in ["/run", "/tmp", "/dev/shm"] {
        mount(&["-t", "tmpfs", "-o", "mode=1777", "tmpfs", t])?;
    }
    run("chmod", &["755", "/run"])?;
    // pitfall 1: the RA helper's `crm_attribute -p -v -INFINITY` bug, fixed inside nodes only.
    let funcs = lab.dir.join("ocf-shellfuncs");
    mount(&[
        "--bind",
        &funcs.to_string_lossy(),
        "/usr/lib/ocf/lib/heartbeat/ocf-shellfuncs",
    ])?;
    // Node-private commands first in PATH: the systemctl shim and pgrex.
    let lbin = disk.join("localsbin");
    std::fs::create_dir_all(&lbin)?;
    mount(&["--bind", &lbin.to_string_lossy(), "/usr/local/sbin"])?;
    // The disk monitor's device: the node's own loop device under one common path.
    if let Some(dev) = lab.loop_dev(node) {
        let rdev = std::fs::read_to_string(format!(
            "/sys/class/block/{}/dev",
            dev.trim_start_matches("/dev/")
        ))
        .unwrap_or_default();
        if let Some((maj, min)) = rdev.trim().split_once(':') {
            run(
                "mknod",
                &["-m", "600", crate::topo::DISK_PATH, "b", maj, min],
            )?;
        }
    }
    // Hide the other node's disk (and our own backing dirs) from everything in the node.
    mount(&[
        "-t",
        "tmpfs",
        "-o",
        "mode=755",
        "tmpfs",
        &lab.dir.join("nodes").to_string_lossy(),
    ])?;
    for (d, owner, mode) in [
        ("/run/pgrex-lab", "root:root", "755"),
        ("/run/sshd", "root:root", "755"),
        ("/run/postgresql", "postgres:postgres", "2775"),
    ] {
        std::fs::create_dir_all(d)?;
        run("chown", &[owner, d])?;
        run("chmod", &[mode, d])?;
    }
    if Path::new(PROVISIONED).exists() {
        let _ = Command::new("/usr/sbin/sshd")
            .env_clear()
            .env("PATH", PATH)
            .status();
    }
    // Booted: tell the controller our host PID.
    std::fs::write(lab.init_pid_file(node), host_pid)?;
    supervise()
}

/// Reap orphans forever; keep pacemakerd running while it is wanted (systemd semantics:
/// restart 1 s after an abnormal exit; exit 0 or 100 means it stopped on purpose).
fn supervise() -> Result<()> {
    let mut pcmk: Option<i32> = None;
    let mut last_exit = Instant::now() - Duration::from_secs(10);
    loop {
        loop {
            match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::Exited(pid, code)) if Some(pid.as_raw()) == pcmk => {
                    pcmk = None;
                    last_exit = Instant::now();
                    if code == 0 || code == 100 {
                        let _ = std::fs::remove_file(WANT_PACEMAKER);
                    }
                }
                Ok(WaitStatus::Signaled(pid, _, _)) if Some(pid.as_raw()) == pcmk => {
                    pcmk = None;
                    last_exit = Instant::now();
                }
                Ok(WaitStatus::StillAlive) | Err(_) => break,
                Ok(_) => {}
            }
        }
        if pcmk.is_none()
            && Path::new(WANT_PACEMAKER).exists()
            && last_exit.elapsed() >= Duration::from_secs(1)
            && sys::pids_named("pacemakerd").is_empty()
            && !sys::pids_named("corosync").is_empty()
        {
            pcmk = spawn_pacemakerd().ok();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn spawn_pacemakerd() -> Result<i32> {
    use std::os::unix::process::CommandExt;
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open("/var/log/pacemaker/pacemakerd.out")?;
    let child = Command::new("/usr/sbin/pacemakerd")
        .env_clear()
        .env("PATH", PATH)
        .env("HOME", "/root")
        .env("LANG", "C.UTF-8")
        .env("PCMK_logfile", "/var/log/pacemaker/pacemaker.log")
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()?;
    Ok(child.id() as i32)
}

/// Host PID of a powered-on node's init, or a clear error.
pub fn require_on(lab: &Lab, node: &str) -> Result<i32> {
    match lab.init_pid(node) {
        Some(p) => Ok(p),
        None => bail!(
            "node {node} is powered off (fenced or `pgrex-lab power-off`): run `pgrex-lab power-on {node}`"
        ),
    }
}

/// A command that runs as on the node (all its namespaces, a clean root environment).
pub fn command(lab: &Lab, node: &str, argv: &[String]) -> Result<Command> {
    let pid = require_on(lab, node)?;
    let mut c = Command::new("nsenter");
    c.args([
        "-t",
        &pid.to_string(),
        "-m",
        "-u",
        "-i",
        "-n",
        "-p",
        "--wd=/",
        "--",
        "env",
        "-i",
    ]);
    c.arg(format!("PATH={PATH}"))
        .arg("HOME=/root")
        .arg("LANG=C.UTF-8")
        .arg("USER=root");
    c.arg("LOGNAME=root").arg("SHELL=/bin/bash");
    if let Ok(t) = std::env::var("TERM") {
        c.arg(format!("TERM={t}"));
    }
    c.args(argv);
    Ok(c)
}

/// Run a shell script on a node; fail with its output when it fails.
pub fn sh(lab: &Lab, node: &str, script: &str) -> Result<String> {
    let argv = ["/bin/sh".to_string(), "-ec".to_string(), script.to_string()];
    let out = command(lab, node, &argv)?
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("entering {node}"))?;
    if !out.status.success() {
        bail!(
            "on {node}: `{}` failed ({}): {}{}",
            script.lines().next().unwrap_or(""),
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Like `sh` but returns (success, stdout) without failing.
pub fn try_sh(lab: &Lab, node: &str, script: &str) -> (bool, String) {
    let argv = ["/bin/sh".to_string(), "-c".to_string(), script.to_string()];
    match command(lab, node, &argv).and_then(|mut c| Ok(c.stdin(Stdio::null()).output()?)) {
        Ok(o) => (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ),
        Err(_) => (false, String::new()),
    }
}

/// Every host PID in a node's PID namespace.
pub fn all_pids(init_pid: i32) -> Vec<i32> {
    match sys::ns_inode(Path::new(&format!("/proc/{init_pid}/ns/pid"))) {
        Some(ino) => sys::pids_in_ns("pid", ino),
        None => vec![],
    }
}
