//! Running host programs: the one place the lab spawns short-lived commands and reads `/proc`.

use crate::out::errln;
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, ExitStatus, Output, Stdio};

/// Run a program, fail with its stderr when it exits non-zero; return stdout.
pub fn run(prog: &str, args: &[&str]) -> Result<String> {
    let out = output(prog, args)?;
    if !out.status.success() {
        bail!(
            "`{} {}` failed ({}): {}",
            prog,
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Run a long command whose output the operator watches (apt-get): its lines are relayed to
/// our stderr through `out.rs`. Inherited, a closed stream would kill it with SIGPIPE half-way
/// through (a half-installed package); relayed, only the showing stops.
pub fn run_shown(cmd: &mut Command) -> Result<ExitStatus> {
    relayed(cmd, |line| errln!("{line}"))
}

/// Run `cmd`, handing each line of its stdout and stderr to `show`.
fn relayed(cmd: &mut Command, show: fn(&str)) -> Result<ExitStatus> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let out = child
        .stdout
        .take()
        .map(|o| std::thread::spawn(move || relay(o, show)));
    if let Some(e) = child.stderr.take() {
        relay(e, show);
    }
    if let Some(t) = out {
        let _ = t.join();
    }
    Ok(child.wait()?)
}

fn relay(r: impl Read, show: fn(&str)) {
    for line in BufReader::new(r).split(b'\n').map_while(Result::ok) {
        show(&String::from_utf8_lossy(&line));
    }
}

/// Run a program and return its output whatever the exit status.
pub fn output(prog: &str, args: &[&str]) -> Result<Output> {
    Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run `{prog}` (is it installed?)"))
}

/// Run a program, ignore failure (used by teardown, where "already gone" is fine).
pub fn quiet(prog: &str, args: &[&str]) -> bool {
    Command::new(prog)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// `ip -n NS ARGS…`.
pub fn ip(ns: &str, args: &[&str]) -> Result<String> {
    let mut a = vec!["-n", ns];
    a.extend_from_slice(args);
    run("ip", &a)
}

/// The inode of a namespace link (`/proc/PID/ns/net`, `/run/netns/NAME`).
pub fn ns_inode(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.ino())
}

/// PIDs (host view) whose namespace of `kind` (`net`, `pid`) has inode `ino`.
pub fn pids_in_ns(kind: &str, ino: u64) -> Vec<i32> {
    let mut v = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return v;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let link = format!("/proc/{pid}/ns/{kind}");
        if let Ok(t) = std::fs::read_link(&link) {
            let t = t.to_string_lossy().into_owned();
            if t.trim_end_matches(']').rsplit('[').next() == Some(&ino.to_string()) {
                v.push(pid);
            }
        }
    }
    v
}

/// PIDs of processes (in this PID namespace's /proc) whose command name is `comm`.
pub fn pids_named(comm: &str) -> Vec<i32> {
    let mut v = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return v;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if let Ok(c) = std::fs::read_to_string(format!("/proc/{pid}/comm")) {
            if c.trim() == comm {
                v.push(pid);
            }
        }
    }
    v
}

/// Whether a process exists and is not a zombie.
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => !s
            .rsplit(')')
            .next()
            .map(|r| r.trim_start().starts_with('Z'))
            .unwrap_or(true),
        Err(_) => false,
    }
}

/// The command line of a process, NULs as spaces.
pub fn cmdline(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// Send a signal, ignoring "no such process".
pub fn signal(pid: i32, sig: nix::sys::signal::Signal) {
    let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
}

/// Poll `f` every `step` until it returns true or `limit` passes.
pub fn wait_until(
    limit: std::time::Duration,
    step: std::time::Duration,
    mut f: impl FnMut() -> bool,
) -> bool {
    let t0 = std::time::Instant::now();
    loop {
        if f() {
            return true;
        }
        if t0.elapsed() >= limit {
            return false;
        }
        std::thread::sleep(step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relayed_reads_both_streams_and_keeps_the_exit_status() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static LINES: AtomicUsize = AtomicUsize::new(0);
        // More than a pipe holds on each stream: neither may block the other.
        let st = relayed(
            Command::new("sh").args(["-c", "seq 1 40000; seq 1 40000 >&2; exit 3"]),
            |_| {
                LINES.fetch_add(1, Ordering::Relaxed);
            },
        )
        .unwrap();
        assert_eq!(st.code(), Some(3));
        assert_eq!(LINES.load(Ordering::Relaxed), 80000);
    }
}
