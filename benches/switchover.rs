//! Benchmark: the write outage and the time to HEALTHY of `pgrex switchover` against the
//! Perl tool's sequence (spec §3.4 steps 10–18), run by this bench itself on a practice lab.
//!
//! `PGREX_BENCH_LAB=1 PGREX_BENCH_INSTANCE=NAME cargo bench --bench switchover` with
//! `pgrex-lab --instance NAME up` done (pgrex17 profile, pm01 the primary). `PGREX_BENCH_RUNS`
//! (default 3) runs of each, alternating (Perl sequence, then pgrex back, …), each with the
//! write probe (`pgrex-lab probe start/stop`: its outage through the service VIP) and timed
//! until `pgrex status` says HEALTHY with the roles swapped. Prints a Markdown table for
//! docs/benchmarks.md. Without `PGREX_BENCH_LAB=1` it says so and does nothing. The nodes run
//! the pgrex that `up` copied (the debug build of `cargo build --workspace`).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Lab {
    bin: PathBuf,
    instance: String,
}

impl Lab {
    fn sh(&self, node: &str, script: &str) -> (bool, String) {
        let o = Command::new(&self.bin)
            .args([
                "--instance",
                &self.instance,
                "exec",
                node,
                "--",
                "/bin/sh",
                "-c",
                script,
            ])
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
}

const PG: &str = "runuser -u postgres -- env LANG=C /usr/lib/postgresql/15/bin";

/// The Perl tool's sequence from `old` to `new` (spec §3.4 steps 10–18), as its commands.
fn perl_sequence(lab: &Lab, old: &str, new: &str) {
    let limit = Duration::from_secs(300);
    lab.sh(
        old,
        "crm_attribute -t crm_config -n maintenance-mode -v true",
    );
    lab.sh(
        old,
        &format!("{PG}/pg_ctl stop -m fast -t 600 -D /var/lib/pgsql/data"),
    );
    lab.sh(old, "crm_attribute -t crm_config -n maintenance-mode -D");
    lab.until("the new primary with its VIPs", limit, || {
        lab.attr(new, "pgsql-status") == "PRI"
            && lab
                .sh(
                    new,
                    "ip -o addr | grep -q ' 192.0.2.10/' && ip -o addr | grep -q ' 198.51.100.10/'",
                )
                .0
    });
    lab.sh(old, "systemctl stop pacemaker; systemctl stop corosync");
    lab.sh(old, "rm -f /var/lib/pgsql/tmp/PGSQL.lock");
    lab.sh(old, &format!("ssh {new}-rep 'cd /var/lib/pgsql/archive && tar cf - .' | tar xf - -C /var/lib/pgsql/archive"));
    lab.sh(old, "systemctl start pacemaker");
    std::thread::sleep(Duration::from_secs(10));
    lab.until("the old primary HS:sync", limit, || {
        lab.attr(old, "pgsql-status") == "HS:sync"
    });
}

fn pgrex_switchover(lab: &Lab, old: &str, _new: &str) {
    let (ok, out) = lab.sh(old, "pgrex switchover --yes 2>&1");
    assert!(ok, "pgrex switchover failed:\n{out}");
}

/// One measured run: (write outage by the probe, time to HEALTHY with the roles swapped).
fn measure(lab: &Lab, old: &str, new: &str, f: fn(&Lab, &str, &str)) -> (f64, f64) {
    lab.lab(&["probe", "start"]);
    std::thread::sleep(Duration::from_secs(2));
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
    let outage = report
        .split("write outage: ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    (outage, healthy)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    if std::env::var("PGREX_BENCH_LAB").map_or(true, |v| v != "1") {
        eprintln!("skipped: set PGREX_BENCH_LAB=1 (and PGREX_BENCH_INSTANCE) with a lab up");
        return;
    }
    let lab = Lab {
        // The lab is built by `cargo build --workspace` (a debug build; the nodes run the
        // pgrex its `up` copied).
        bin: std::env::var("PGREX_LAB_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/debug/pgrex-lab")
            }),
        instance: std::env::var("PGREX_BENCH_INSTANCE").unwrap_or_else(|_| "lab".into()),
    };
    let runs: usize = std::env::var("PGREX_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    assert!(
        lab.healthy("pm01", "pm02"),
        "the lab must be HEALTHY with pm01 the primary"
    );
    let (mut perl, mut ours) = (Vec::new(), Vec::new());
    for i in 0..runs {
        let p = measure(&lab, "pm01", "pm02", perl_sequence);
        eprintln!(
            "run {i}: Perl sequence pm01 -> pm02: outage {:.1} s, HEALTHY after {:.1} s",
            p.0, p.1
        );
        perl.push(p);
        let q = measure(&lab, "pm02", "pm01", pgrex_switchover);
        eprintln!(
            "run {i}: pgrex switchover pm02 -> pm01: outage {:.1} s, HEALTHY after {:.1} s",
            q.0, q.1
        );
        ours.push(q);
    }
    let m = |v: &[(f64, f64)], k: usize| {
        median(v.iter().map(|r| if k == 0 { r.0 } else { r.1 }).collect())
    };
    println!("| method | runs | write outage (median) | HEALTHY again (median) |");
    println!("|---|---|---|---|");
    println!(
        "| Perl sequence (spec §3.4 steps 10–18) | {runs} | {:.1} s | {:.1} s |",
        m(&perl, 0),
        m(&perl, 1)
    );
    println!(
        "| `pgrex switchover` | {runs} | {:.1} s | {:.1} s |",
        m(&ours, 0),
        m(&ours, 1)
    );
    println!(
        "| ratio | | **{:.2}×** | **{:.2}×** |",
        m(&ours, 0) / m(&perl, 0),
        m(&ours, 1) / m(&perl, 1)
    );
    let all = |v: &[(f64, f64)]| {
        v.iter()
            .map(|r| format!("{:.1}/{:.1}", r.0, r.1))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "\nEach run (outage/HEALTHY, s): Perl {}; pgrex {}",
        all(&perl),
        all(&ours)
    );
}
