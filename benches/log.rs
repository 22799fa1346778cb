//! Benchmark: `pgrex log`'s conversion of 10 000 log lines per node (the goal: well
//! under a second), on the recorded lab logs of pgsql-failure (tests/fixtures/log/) repeated
//! until each node has 10 000 lines — the mix of a real failover, CIB diffs and all.
//!
//! Run with `cargo bench --bench log`: prints the median of 20 conversions of both nodes
//! (20 000 lines) and the rate; the figures go into `docs/benchmarks.md` by hand.

use pgrex::oplog::{convert, Clock, Options, Roles, Text};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const LINES: usize = 10_000;
const RUNS: usize = 20;

fn node_text(node: &str) -> Text {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/log/pgsql-failure");
    let rec = std::fs::read_to_string(dir.join(format!("{node}.pacemaker.log"))).unwrap();
    let lines: Vec<&str> = rec.lines().collect();
    let text: String = lines
        .iter()
        .cycle()
        .take(LINES)
        .map(|l| format!("{l}\n"))
        .collect();
    Text {
        node: node.into(),
        file: format!("{node}.pacemaker.log"),
        text,
    }
}

fn main() {
    let texts = vec![node_text("pm01"), node_text("pm02")];
    let o = Options {
        roles: Roles::any_profile(),
        clock: Clock::fixed_utc("2026-12-01T09:00:00Z".parse().unwrap()),
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut events = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        events = convert(&texts, &o).len();
        times.push(t.elapsed());
    }
    times.sort();
    let med = times[RUNS / 2];
    println!(
        "pgrex log: {} lines ({} per node, 2 nodes) → {events} events: median {:.1} ms over {RUNS} runs ({:.0} lines/s)",
        2 * LINES,
        LINES,
        med.as_secs_f64() * 1e3,
        (2 * LINES) as f64 / med.as_secs_f64()
    );
}
