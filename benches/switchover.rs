//! Benchmark: the write outage and the time to HEALTHY of `pgrex switchover` against the
//! Perl tool's sequence (spec §3.4 steps 10–18) and against the bare Pacemaker move (the
//! floor of any switchover through Pacemaker), each run by this bench on a practice lab.
//!
//! `PGREX_BENCH_LAB=1 PGREX_BENCH_INSTANCE=NAME cargo bench --bench switchover` with
//! `pgrex-lab --instance NAME up` done (either profile, pm01 the primary). `PGREX_BENCH_RUNS`
//! (default 3) rounds of the three methods, alternating (each run swaps the roles, so the
//! directions alternate too), each with the write probe (`pgrex-lab probe start/stop`: a new
//! psql every 100 ms through the service VIP, each on its own, so the outage is measured to
//! about 0.1 s) and timed until `pgrex status` says HEALTHY with the roles swapped. Each run
//! prints the host's load average before and after, and a timeline from Pacemaker's logs
//! (both nodes) relative to the first failed write: where the outage goes.
//!
//! The nodes run this bench's own build of pgrex (the bench profile, optimised): it is
//! copied over the lab's `bin/pgrex` (the file the nodes' `/usr/local/sbin/pgrex` links to)
//! for the run and the lab's own copy is put back at the end. `PGREX_BENCH_NODE_PGREX=lab`
//! keeps the lab's copy (what `up` took from beside `pgrex-lab`, usually a debug build).
//! Every command runs on the node it belongs to, as the operator would run it there:
//! `pgrex switchover` on the old primary (where the Perl tool stops PostgreSQL locally).
//! Prints a Markdown table for docs/benchmarks.md. Without `PGREX_BENCH_LAB=1` it says so
//! and does nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Lab {
    bin: PathBuf,
    instance: String,
    /// `pgsql-clone` / `msPostgresql`.
    promotable: &'static str,
}

impl Lab {
    fn sh(&self, node: &str, script: &str) -> (bool, String) {
        let o = Command::new(&self.bin)
            .args(["--instance", &self.instance, "exec", node, "--"])
            .args(["/bin/sh", "-c", script])
            .output()
            .expect("pgrex-lab runs");
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    }
    fn lab(&self, args: &[&str]) -> String {
        let o = Command::new(&self.bin)
            .args(["--instance", &self.instance])
            .args(args)
            .output()
            .expect("pgrex-lab runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    }
    fn until(&self, what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
        let t0 = Instant::now();
        while !f() {
            assert!(t0.elapsed() < limit, "never reached: {what}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    fn healthy(&self, primary: &str, standby: &str) -> bool {
        let (_, out) = self.sh(primary, "pgrex status 2>/dev/null | head -1");
        out.starts_with("HEALTHY")
            && out.contains(&format!(
                "{primary} is primary, {standby} is a synchronous standby"
            ))
    }
    fn attr(&self, node: &str, name: &str) -> String {
        self.sh(
            node,
            &format!("crm_attribute -l reboot -N {node} -n {name} -G -q 2>/dev/null"),
        )
        .1
        .trim()
        .to_string()
    }
    /// The new primary is `PRI` with the service and replication VIPs on its NICs.
    fn wait_new_primary(&self, new: &str) {
        self.until("the new primary with its VIPs", Duration::from_secs(300), || {
            self.attr(new, "pgsql-status") == "PRI"
                && self
                    .sh(
                        new,
                        "ip -o addr | grep -q ' 192.0.2.10/' && ip -o addr | grep -q ' 198.51.100.10/'",
                    )
                    .0
        });
    }
    fn state_dir(&self) -> PathBuf {
        PathBuf::from("/var/tmp/pgrex-lab").join(&self.instance)
    }
}

const PG: &str = "runuser -u postgres -- env LANG=C /usr/lib/postgresql/15/bin";

/// The Perl tool's sequence from `old` to `new` (spec §3.4 steps 10–18), as its commands.
fn perl_sequence(lab: &Lab, old: &str, new: &str) {
    lab.sh(
        old,
        "crm_attribute -t crm_config -n maintenance-mode -v true",
    );
    lab.sh(
        old,
        &format!("{PG}/pg_ctl stop -m fast -t 600 -D /var/lib/pgsql/data"),
    );
    lab.sh(old, "crm_attribute -t crm_config -n maintenance-mode -D");
    lab.wait_new_primary(new);
    lab.sh(old, "systemctl stop pacemaker; systemctl stop corosync");
    lab.sh(old, "rm -f /var/lib/pgsql/tmp/PGSQL.lock");
    lab.sh(old, &format!("ssh {new}-rep 'cd /var/lib/pgsql/archive && tar cf - .' | tar xf - -C /var/lib/pgsql/archive"));
    lab.sh(old, "systemctl start pacemaker");
    std::thread::sleep(Duration::from_secs(10));
    lab.until("the old primary HS:sync", Duration::from_secs(300), || {
        lab.attr(old, "pgsql-status") == "HS:sync"
    });
}

/// The floor: the bare Pacemaker move, the same ban pgrex issues (the promoted role on
/// the old primary, with a lifetime: `act::ban_xml`) but without the CHECKPOINT and the fast shutdown before it — the resource
/// agent's demote stops PostgreSQL itself (`stop_escalate=0`: immediately). Then the ban is
/// cleared and the old primary returns as pgrex does after a failover: Pacemaker stopped
/// there, `pgrex standby-start -n -r --yes` (the immediate stop leaves no shutdown
/// checkpoint, so no LSN proof: start as it is where possible, else pg_rewind).
fn floor_move(lab: &Lab, old: &str, new: &str) {
    let r = lab.promotable;
    let xml = pgrex::ops::switchover::act::ban_xml(r, old, Duration::from_secs(660));
    let (ok, out) = lab.sh(
        old,
        &format!("cibadmin --create -o constraints -X '{xml}' 2>&1"),
    );
    assert!(ok, "the ban (cibadmin --create) failed:\n{out}");
    lab.wait_new_primary(new);
    lab.sh(
        old,
        &format!("crm_resource --clear --promoted -r {r} -N {old} 2>&1"),
    );
    lab.sh(old, "systemctl stop pacemaker; systemctl stop corosync");
    let (ok, out) = lab.sh(old, "pgrex standby-start -n -r --yes 2>&1");
    assert!(ok, "pgrex standby-start failed:\n{out}");
}

fn pgrex_switchover(lab: &Lab, old: &str, _new: &str) {
    let (ok, out) = lab.sh(old, "pgrex switchover --yes 2>&1");
    assert!(ok, "pgrex switchover failed:\n{out}");
}

struct Method {
    name: &'static str,
    run: fn(&Lab, &str, &str),
}

const METHODS: [Method; 3] = [
    Method {
        name: "Perl sequence (spec §3.4 steps 10–18)",
        run: perl_sequence,
    },
    Method {
        name: "bare Pacemaker move (the same ban of the promoted role, the floor)",
        run: floor_move,
    },
    Method {
        name: "`pgrex switchover`",
        run: pgrex_switchover,
    },
];

/// One measured run.
struct Run {
    outage: f64,
    healthy: f64,
    load: String,
    timeline: String,
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn measure(lab: &Lab, old: &str, new: &str, f: fn(&Lab, &str, &str)) -> Run {
    lab.lab(&["probe", "start"]);
    std::thread::sleep(Duration::from_secs(2));
    let load0 = loadavg();
    let t0 = Instant::now();
    f(lab, old, new);
    lab.until(
        "HEALTHY with the roles swapped",
        Duration::from_secs(300),
        || lab.healthy(new, old),
    );
    let healthy = t0.elapsed().as_secs_f64();
    let report = lab.lab(&["probe", "stop"]);
    assert!(
        report.contains("acknowledged rows are on the current primary"),
        "{report}"
    );
    let after = |key: &str| -> Option<&str> {
        report.split(key).nth(1)?.split([' ', ',', ';', ')']).next()
    };
    let outage = after("write outage: ")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    let first_fail: Option<u64> = after("first failed write started ").and_then(|v| v.parse().ok());
    let back: Option<u64> =
        after("first acknowledged write after it at ").and_then(|v| v.parse().ok());
    let timeline = match (first_fail, back) {
        (Some(a), Some(b)) => timeline(lab, a, b),
        _ => String::new(),
    };
    Run {
        outage,
        healthy,
        load: format!("{load0} → {}", loadavg()),
        timeline,
    }
}

/// Pacemaker's log lines that mark the steps of a move, by what they mean.
const EVENTS: [(&str, &str); 8] = [
    ("'create'", "ban in the CIB"),
    ("maintenance-mode", "maintenance-mode changed"),
    ("Result of demote operation for pgsql", "demote done"),
    (
        "Result of stop operation for pgsql",
        "old primary's pgsql stop done",
    ),
    (
        "Requesting local execution of promote operation",
        "promote started",
    ),
    ("Result of promote operation for pgsql", "promote done"),
    (
        "Result of start operation for ipaddr-primary",
        "service VIP started",
    ),
    (
        "Result of start operation for vip-master",
        "service VIP started",
    ),
];

/// The steps between the first failed write (`from`, epoch ms) and the first acknowledged
/// one after it (`to`), from both nodes' pacemaker.log (the nodes log in UTC, as the host),
/// each as seconds after `from`.
fn timeline(lab: &Lab, from: u64, to: u64) -> String {
    let day_s = |ms: u64| (ms % 86_400_000) as f64 / 1000.0;
    let (a, b) = (day_s(from) - 3.0, day_s(to) + 1.0);
    let pattern = EVENTS.map(|e| e.0).join("|");
    let mut seen: Vec<(f64, &str, String)> = Vec::new();
    for node in ["pm01", "pm02"] {
        let (_, text) = lab.sh(
            node,
            &format!("grep -hE \"{pattern}\" /var/log/pacemaker/pacemaker.log | grep -v monitor"),
        );
        for line in text.lines() {
            let mut f = line.split_whitespace();
            let (Some(_), Some(_), Some(clock), Some(who)) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let Some(t) = clock_s(clock) else { continue };
            if t < a || t > b || who != node {
                continue;
            }
            if let Some((_, what)) = EVENTS.iter().find(|e| line.contains(e.0)) {
                if !seen.iter().any(|s| s.1 == *what) {
                    seen.push((t, what, node.to_string()));
                }
            }
        }
    }
    seen.sort_by(|x, y| x.0.total_cmp(&y.0));
    let base = day_s(from);
    let mut parts: Vec<String> = seen
        .iter()
        .map(|(t, what, node)| format!("{:+.2} {what} ({node})", t - base))
        .collect();
    parts.push(format!("{:+.2} first acknowledged write", day_s(to) - base));
    parts.join(", ")
}

/// `HH:MM:SS.mmm` → seconds of the day.
fn clock_s(c: &str) -> Option<f64> {
    let mut it = c.split(':');
    let h: f64 = it.next()?.parse().ok()?;
    let m: f64 = it.next()?.parse().ok()?;
    let s: f64 = it.next()?.parse().ok()?;
    Some(h * 3600.0 + m * 60.0 + s)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// The bench's pgrex on the nodes for the run; the lab's own copy back on drop.
struct NodePgrex {
    lab_copy: PathBuf,
    saved: PathBuf,
}

impl NodePgrex {
    fn install(state: &Path, ours: &Path) -> NodePgrex {
        let lab_copy = state.join("bin/pgrex");
        let saved = state.join("bin/pgrex.lab");
        std::fs::rename(&lab_copy, &saved).expect("the lab's bin/pgrex (is the lab up?)");
        let tmp = state.join("bin/pgrex.bench");
        std::fs::copy(ours, &tmp).expect("copy the bench's pgrex");
        std::fs::rename(&tmp, &lab_copy).expect("install the bench's pgrex");
        NodePgrex { lab_copy, saved }
    }
}

impl Drop for NodePgrex {
    fn drop(&mut self) {
        let _ = std::fs::rename(&self.saved, &self.lab_copy);
    }
}

fn main() {
    if std::env::var("PGREX_BENCH_LAB").map_or(true, |v| v != "1") {
        eprintln!("skipped: set PGREX_BENCH_LAB=1 (and PGREX_BENCH_INSTANCE) with a lab up");
        return;
    }
    let instance = std::env::var("PGREX_BENCH_INSTANCE").unwrap_or_else(|_| "lab".into());
    let state = PathBuf::from("/var/tmp/pgrex-lab").join(&instance);
    let profile = std::fs::read_to_string(state.join("profile")).unwrap_or_default();
    let lab = Lab {
        // The lab's own binary, from `cargo build --workspace` (a debug build).
        bin: std::env::var("PGREX_LAB_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/debug/pgrex-lab")
            }),
        instance,
        promotable: if profile.trim() == "seed" {
            "msPostgresql"
        } else {
            "pgsql-clone"
        },
    };
    let _ours = match std::env::var("PGREX_BENCH_NODE_PGREX").as_deref() {
        Ok("lab") => {
            eprintln!("the nodes run the lab's own pgrex (PGREX_BENCH_NODE_PGREX=lab)");
            None
        }
        _ => {
            let ours = PathBuf::from(env!("CARGO_BIN_EXE_pgrex"));
            eprintln!("the nodes run {} (this bench's build)", ours.display());
            Some(NodePgrex::install(&lab.state_dir(), &ours))
        }
    };
    let runs: usize = std::env::var("PGREX_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let (mut primary, mut standby) = ("pm01", "pm02");
    assert!(
        lab.healthy(primary, standby),
        "the lab must be HEALTHY with pm01 the primary"
    );
    let mut results: Vec<Vec<Run>> = METHODS.iter().map(|_| Vec::new()).collect();
    for i in 0..runs {
        for (k, m) in METHODS.iter().enumerate() {
            let r = measure(&lab, primary, standby, m.run);
            eprintln!(
                "run {i}: {} {primary} -> {standby}: outage {:.1} s, HEALTHY after {:.1} s, load {}\n    {}",
                m.name, r.outage, r.healthy, r.load, r.timeline
            );
            results[k].push(r);
            std::mem::swap(&mut primary, &mut standby);
        }
    }
    let med = |k: usize, f: fn(&Run) -> f64| median(results[k].iter().map(f).collect());
    println!("| method | runs | write outage (median) | HEALTHY again (median) |");
    println!("|---|---|---|---|");
    for (k, m) in METHODS.iter().enumerate() {
        println!(
            "| {} | {runs} | {:.1} s | {:.1} s |",
            m.name,
            med(k, |r| r.outage),
            med(k, |r| r.healthy)
        );
    }
    println!(
        "| ratio pgrex / Perl | | **{:.2}×** | **{:.2}×** |",
        med(2, |r| r.outage) / med(0, |r| r.outage),
        med(2, |r| r.healthy) / med(0, |r| r.healthy)
    );
    println!(
        "| pgrex − floor | | {:+.1} s | |",
        med(2, |r| r.outage) - med(1, |r| r.outage)
    );
    for (k, m) in METHODS.iter().enumerate() {
        println!(
            "\n{} (outage / HEALTHY, s; load average before → after):",
            m.name
        );
        for r in &results[k] {
            println!(
                "- {:.1} / {:.1} (load {}): {}",
                r.outage, r.healthy, r.load, r.timeline
            );
        }
    }
}
