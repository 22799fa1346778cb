//! The write probe: from the gateway namespace (a client on the service LAN), insert a numbered
//! row through the service VIP every 100 ms with `synchronous_commit = on`, one psql per write
//! (each with its own deadline, so a hung write does not delay the next; at the deadline the
//! write is cancelled on the server, so hung writes never pile up into `max_connections`). A write counts as
//! acknowledged only when psql reports success with no warning (a cancelled wait for the sync
//! standby prints one). The report gives the write outage (the longest run of failed writes)
//! and checks that every acknowledged row is on the current primary.
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
    let mut cmd = Command::new(format!("{PG_BIN}/psql"));
    cmd.args([
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
    .env("PGCONNECT_TIMEOUT", "2");
    with_deadline(cmd, timeout, CANCEL_GRACE)
}

/// How long a write interrupted at its deadline gets to deliver its cancel and end.
const CANCEL_GRACE: Duration = Duration::from_secs(2);

/// Run `cmd`; past `deadline` interrupt it (SIGINT: psql then sends the server a cancel
/// request, as a client library's query timeout does), and kill it only if it is still there
/// `grace` later. The cancel is what ends the server side: a write waiting for a vanished
/// synchronous standby keeps its backend waiting after its psql is killed, and ten new ones
/// a second fill `max_connections` in about 10 s, after which the pgsql agent's own monitor
/// psql is refused ("too many clients") and Pacemaker fails the primary over — a reaction
/// the probe caused, not the fault (replication-lan-failure, docs/faults.md). Cancelled, the
/// wait ends with a warning: the write is not acknowledged, and its backend goes.
fn with_deadline(mut cmd: Command, deadline: Duration, grace: Duration) -> (bool, String) {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return (false, "cannot run psql".into());
    };
    let t0 = Instant::now();
    let mut interrupted = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if !interrupted && t0.elapsed() > deadline => {
                sys::signal(child.id() as i32, nix::sys::signal::Signal::SIGINT);
                interrupted = true;
            }
            Ok(None) if interrupted && t0.elapsed() > deadline + grace => {
                let _ = child.kill();
                let _ = child.wait();
                return (false, "timeout (not ended by its cancel)".into());
            }
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    match child.wait_with_output() {
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr).trim().replace('\n', " ");
            let ok = o.status.success() && err.is_empty() && !interrupted;
            let msg = if interrupted {
                format!("timeout (cancelled) {err}")
            } else if err.is_empty() {
                String::from_utf8_lossy(&o.stdout).into_owned()
            } else {
                err
            };
            (ok, msg)
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

/// One outage: a run of failed writes (in the order they were started) and the first
/// acknowledged write started after its first one.
#[derive(Debug, PartialEq)]
struct Outage {
    /// Start of the first failed write (epoch ms).
    start: u128,
    /// End of the first acknowledged write started after it; `None`: still going.
    back: Option<u128>,
    last_fail_id: u64,
}

impl Outage {
    fn len_ms(&self) -> u128 {
        self.back
            .map_or(u128::MAX, |b| b.saturating_sub(self.start))
    }
}

/// Every outage of the log (sorted by id, i.e. by start). A single failed write amid
/// acknowledged ones (a psql slow to start on a loaded host) is an outage of its own, so
/// the longest one is the switchover's, not the span from such a stray failure onwards.
fn outages(recs: &[Rec]) -> Vec<Outage> {
    let mut out: Vec<Outage> = Vec::new();
    let mut i = 0;
    while let Some(off) = recs[i..].iter().position(|r| !r.ok) {
        let first = &recs[i + off];
        // The run of failures ends at the first write started after the first failure
        // that was acknowledged (by the earliest end among those).
        let back = recs[i + off..]
            .iter()
            .filter(|r| r.ok && r.start > first.start)
            .min_by_key(|r| r.end);
        let (next, last_fail_id) = match back {
            Some(b) => {
                let j = recs.iter().position(|r| r.id == b.id).unwrap_or(recs.len());
                let last = recs[i + off..j].iter().rev().find(|r| !r.ok);
                (j, last.map_or(first.id, |r| r.id))
            }
            None => (
                recs.len(),
                recs.iter().rev().find(|r| !r.ok).map_or(first.id, |r| r.id),
            ),
        };
        out.push(Outage {
            start: first.start,
            back: back.map(|b| b.end),
            last_fail_id,
        });
        if next <= i + off {
            break;
        }
        i = next;
        if i >= recs.len() {
            break;
        }
    }
    out
}

/// "; N outages in all, the next longest: …" (at most three) when there was more than one.
fn others(all: &[Outage], longest: &Outage) -> String {
    if all.len() < 2 {
        return String::new();
    }
    let mut rest: Vec<&Outage> = all.iter().filter(|o| *o != longest).collect();
    rest.sort_by_key(|o| std::cmp::Reverse(o.len_ms()));
    let rest: Vec<String> = rest
        .iter()
        .take(3)
        .map(|o| format!("{:.1} s", o.len_ms() as f64 / 1000.0))
        .collect();
    format!(
        "; {} outages in all, the next longest: {}",
        all.len(),
        rest.join(", ")
    )
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
    let outages = outages(&recs);
    match outages.iter().max_by_key(|o| o.len_ms()) {
        None => outln!("write outage: none"),
        Some(o) => match o.back {
            Some(back) => outln!(
                "write outage: {:.1} s (first failed write started {}, first acknowledged write after it at {}; last failed write id {}){}",
                o.len_ms() as f64 / 1000.0,
                o.start,
                back,
                o.last_fail_id,
                others(&outages, o)
            ),
            None => outln!(
                "write outage: still going (first failed write started {}, none acknowledged since)",
                o.start
            ),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn log(rows: &[(u64, u128, u128, bool)]) -> Vec<Rec> {
        rows.iter()
            .map(|&(id, start, end, ok)| Rec { id, start, end, ok })
            .collect()
    }

    #[test]
    fn a_stray_failure_before_the_switchover_is_an_outage_of_its_own() {
        // 2: one slow write failed while the next ones went through; 5–7: the switchover,
        // over with 8 (the first acknowledged write started after 5 to end).
        let recs = log(&[
            (1, 0, 20, true),
            (2, 100, 5100, false),
            (3, 200, 220, true),
            (4, 300, 320, true),
            (5, 400, 450, false),
            (6, 500, 2500, false),
            (7, 600, 2600, false),
            (8, 700, 2710, true),
            (9, 800, 2720, true),
        ]);
        let o = outages(&recs);
        assert_eq!(o.len(), 2, "{o:?}");
        assert_eq!((o[0].start, o[0].back), (100, Some(220)));
        assert_eq!(
            (o[1].start, o[1].back, o[1].last_fail_id),
            (400, Some(2710), 7)
        );
        let longest = o.iter().max_by_key(|o| o.len_ms()).unwrap();
        assert_eq!(longest.len_ms(), 2310);
        assert_eq!(
            others(&o, longest),
            "; 2 outages in all, the next longest: 0.1 s"
        );
    }

    /// `sh -c SCRIPT` with SIGINT at its default: run in the background of a
    /// non-interactive shell (CI's `.ci/run &`) the tests inherit SIGINT ignored, and a
    /// shell cannot trap a signal ignored on entry (psql, which sets its own handler, is
    /// not affected).
    fn sh(script: &str) -> Command {
        let mut c = Command::new("env");
        c.args(["--default-signal=INT", "sh", "-c", script]);
        c
    }

    #[test]
    fn a_write_past_its_deadline_is_interrupted_so_it_can_cancel_and_end() {
        // SIGINT is what makes psql send the server its cancel; the child ends on it.
        let (ok, msg) = with_deadline(
            sh("trap 'echo cancel sent >&2; exit 3' INT; while :; do sleep 0.05; done"),
            Duration::from_millis(100),
            Duration::from_secs(30),
        );
        assert!(!ok, "a cancelled write is not acknowledged");
        assert!(msg.contains("timeout (cancelled) cancel sent"), "{msg}");
    }

    #[test]
    fn a_write_deaf_to_its_interrupt_is_killed_after_the_grace() {
        let (ok, msg) = with_deadline(
            sh("trap '' INT; while :; do sleep 0.05; done"),
            Duration::from_millis(50),
            Duration::from_millis(200),
        );
        assert!(!ok);
        assert_eq!(msg, "timeout (not ended by its cancel)");
    }

    #[test]
    fn a_write_that_ends_in_time_is_judged_by_its_exit_and_stderr() {
        let long = Duration::from_secs(30);
        assert_eq!(
            with_deadline(sh("echo 1"), long, long),
            (true, "1\n".into())
        );
        let (ok, msg) = with_deadline(
            sh("echo 'WARNING:  canceling wait for synchronous replication' >&2"),
            long,
            long,
        );
        assert!(!ok, "{msg}");
        assert!(!with_deadline(sh("exit 1"), long, long).0);
    }

    #[test]
    fn no_failure_is_no_outage_and_an_unended_one_is_still_going() {
        assert!(outages(&log(&[(1, 0, 20, true), (2, 100, 120, true)])).is_empty());
        let o = outages(&log(&[
            (1, 0, 20, true),
            (2, 100, 120, false),
            (3, 200, 5200, false),
        ]));
        assert_eq!(
            o,
            vec![Outage {
                start: 100,
                back: None,
                last_fail_id: 3
            }]
        );
    }
}
