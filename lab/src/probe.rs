//! The write probe: from the gateway namespace (a client on the service LAN), insert a numbered
//! row through the service VIP every 100 ms with `synchronous_commit = on`, one psql per write
//! (each with its own deadline, so a hung write does not delay the next). A write counts as
//! acknowledged only when psql reports success with no warning (a cancelled wait for the sync
//! standby prints one). The report gives the write outage and checks that every acknowledged
//! row is on the current primary.
//!
//! `probe start` runs it in the background (log `<state>/probe.log`), `probe stop` ends it and
//! reports, `probe report` reports without stopping, `probe run --duration N` does all three.

use crate::out::{errln, outln};
use crate::state::Lab;
use crate::sys;
use crate::topo::{PG_BIN, VIP_PRIMARY};
use anyhow::{bail, Result};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

fn psql(sql: &str, timeout: Duration) -> (bool, String) {
    let child = Command::new(format!("{PG_BIN}/psql"))
        .args([
            "-h",
            VIP_PRIMARY,
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-X",
            "-Atq",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ])
        .env("PGCONNECT_TIMEOUT", "2")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return (false, "cannot run psql".into());
    };
    let t0 = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if t0.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return (false, "timeout".into());
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    match child.wait_with_output() {
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr).trim().replace('\n', " ");
            (
                o.status.success() && err.is_empty(),
                if err.is_empty() {
                    String::from_utf8_lossy(&o.stdout).into_owned()
                } else {
                    err
                },
            )
        }
        Err(e) => (false, e.to_string()),
    }
}

/// The background worker (runs in the gateway namespace).
pub fn worker(lab: &Lab) -> Result<()> {
    let log = Arc::new(Mutex::new(
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(lab.dir.join("probe.log"))?,
    ));
    let stop = lab.dir.join("probe.stop");
    let base = now_ms() as u64 * 10; // ids unique across probe runs
    let mut handles = Vec::new();
    let t0 = Instant::now();
    let mut seq: u64 = 0;
    while !stop.exists() {
        seq += 1;
        let id = base + seq;
        let log = log.clone();
        handles.push(std::thread::spawn(move || {
            let start = now_ms();
            let (ok, msg) = psql(
                &format!(
                    "SET synchronous_commit = on; INSERT INTO pgrex_lab_probe(id) VALUES ({id})"
                ),
                Duration::from_secs(5),
            );
            let end = now_ms();
            if let Ok(mut f) = log.lock() {
                let _ = writeln!(
                    f,
                    "{id} {start} {end} {} {}",
                    if ok { "ok" } else { "fail" },
                    msg.trim()
                );
            }
        }));
        handles.retain(|h| !h.is_finished());
        let next = Duration::from_millis(100 * seq);
        if let Some(d) = next.checked_sub(t0.elapsed()) {
            std::thread::sleep(d);
        }
    }
    for h in handles {
        let _ = h.join();
    }
    Ok(())
}

struct Rec {
    id: u64,
    start: u128,
    end: u128,
    ok: bool,
}

fn read_log(lab: &Lab) -> Result<Vec<Rec>> {
    let s = std::fs::read_to_string(lab.dir.join("probe.log")).unwrap_or_default();
    let mut v: Vec<Rec> = s
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            Some(Rec {
                id: it.next()?.parse().ok()?,
                start: it.next()?.parse().ok()?,
                end: it.next()?.parse().ok()?,
                ok: it.next()? == "ok",
            })
        })
        .collect();
    v.sort_by_key(|r| r.id);
    Ok(v)
}

/// Print the report; returns the number of acknowledged rows missing on the primary.
fn report(lab: &Lab) -> Result<usize> {
    let recs = read_log(lab)?;
    if recs.is_empty() {
        bail!("the probe recorded nothing (is it started? `pgrex-lab probe start`)");
    }
    let acked: Vec<&Rec> = recs.iter().filter(|r| r.ok).collect();
    outln!(
        "probe: {} writes, {} acknowledged, {} failed",
        recs.len(),
        acked.len(),
        recs.len() - acked.len()
    );
    match recs.iter().position(|r| !r.ok) {
        None => outln!("write outage: none"),
        Some(i) => {
            let first_fail = &recs[i];
            let last_fail = recs.iter().rev().find(|r| !r.ok).expect("one failed");
            match recs[i..].iter().filter(|r| r.ok && r.start > first_fail.start).min_by_key(|r| r.end) {
                Some(back) => outln!(
                    "write outage: {:.1} s (first failed write started {}, first acknowledged write after it at {}; last failed write id {})",
                    (back.end - first_fail.start) as f64 / 1000.0,
                    first_fail.start,
                    back.end,
                    last_fail.id
                ),
                None => outln!("write outage: still going (first failed write started {}, none acknowledged since)", first_fail.start),
            }
        }
    }
    if acked.is_empty() {
        return Ok(0);
    }
    // Which acknowledged ids are on the current primary? Ask in chunks through the VIP.
    let mut missing = 0;
    for chunk in acked.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(|r| r.id.to_string()).collect();
        let sql = format!(
            "SELECT count(*) FROM pgrex_lab_probe WHERE id IN ({})",
            ids.join(",")
        );
        let (ok, out) = in_gw(lab, &sql)?;
        if !ok {
            bail!(
                "cannot read the probe table through the service VIP: {}",
                out.trim()
            );
        }
        let n: usize = out.trim().parse().unwrap_or(0);
        missing += chunk.len() - n;
    }
    if missing == 0 {
        outln!(
            "data: all {} acknowledged rows are on the current primary",
            acked.len()
        );
    } else {
        outln!("data: LOST {missing} of {} acknowledged rows", acked.len());
    }
    Ok(missing)
}

/// Run one SQL statement from the gateway namespace.
fn in_gw(lab: &Lab, sql: &str) -> Result<(bool, String)> {
    let o = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.gw_ns(),
            &format!("{PG_BIN}/psql"),
            "-h",
            VIP_PRIMARY,
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-X",
            "-Atq",
            "-c",
            sql,
        ])
        .env("PGCONNECT_TIMEOUT", "3")
        .stdin(Stdio::null())
        .output()?;
    Ok((
        o.status.success(),
        if o.status.success() {
            String::from_utf8_lossy(&o.stdout).into()
        } else {
            String::from_utf8_lossy(&o.stderr).into()
        },
    ))
}

fn pid(lab: &Lab) -> Option<i32> {
    let p: i32 = std::fs::read_to_string(lab.dir.join("probe.pid"))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (sys::alive(p) && sys::cmdline(p).contains("__probe")).then_some(p)
}

fn start(lab: &Lab) -> Result<()> {
    if pid(lab).is_some() {
        bail!("a probe is already running: `pgrex-lab probe stop` first");
    }
    let _ = std::fs::remove_file(lab.dir.join("probe.log"));
    let _ = std::fs::remove_file(lab.dir.join("probe.stop"));
    use std::os::unix::process::CommandExt;
    let out = std::fs::File::create(lab.dir.join("probe.out"))?;
    let child = Command::new("ip")
        .args(["netns", "exec", &lab.gw_ns()])
        .arg(lab.bin())
        .args(["--instance", &lab.instance, "__probe"])
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .process_group(0)
        .spawn()?;
    std::fs::write(lab.dir.join("probe.pid"), child.id().to_string())?;
    errln!(
        "probe started: a write through {VIP_PRIMARY} every 100 ms (log {}/probe.log)",
        lab.dir.display()
    );
    Ok(())
}

fn stop(lab: &Lab) -> Result<()> {
    std::fs::write(lab.dir.join("probe.stop"), "")?;
    if let Some(p) = pid(lab) {
        sys::wait_until(Duration::from_secs(10), Duration::from_millis(50), || {
            !sys::alive(p)
        });
        sys::signal(p, nix::sys::signal::Signal::SIGKILL);
    }
    Ok(())
}

pub fn cli(lab: &Lab, action: &str, duration: u64) -> Result<i32> {
    lab.require_up()?;
    let lost = match action {
        "start" => {
            start(lab)?;
            return Ok(0);
        }
        "stop" => {
            stop(lab)?;
            report(lab)?
        }
        "report" => report(lab)?,
        _ => {
            start(lab)?;
            std::thread::sleep(Duration::from_secs(duration));
            stop(lab)?;
            report(lab)?
        }
    };
    Ok(if lost > 0 { 1 } else { 0 })
}
