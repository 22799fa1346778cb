//! Benchmark: `pgrex status --input` on a crm_mon document with thousands of nodes (issue
//! 13: node handling must be linear; 8 000 nodes took 0.9 s and 32 000 took 18 s when every
//! rule looked each node up by a linear scan).
//!
//! Run with `cargo bench --bench nodes`: builds the documents from the recorded healthy
//! pgrex17 crm_mon XML (tests/fixtures/status/pgrex17/healthy.xml) with N extra online
//! members, runs the release binary on each (median of 5) and prints a table; the figures go
//! into `docs/benchmarks.md` by hand.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn document(n: usize) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let xml = std::fs::read_to_string(root.join("tests/fixtures/status/pgrex17/healthy.xml"))
        .expect("the recorded healthy crm_mon XML");
    let extra: String = (0..n)
        .map(|i| {
            format!(
                "    <node name=\"n{i:05}\" id=\"{}\" online=\"true\" standby=\"false\" \
                 standby_onfail=\"false\" maintenance=\"false\" pending=\"false\" \
                 unclean=\"false\" health=\"green\" shutdown=\"false\" expected_up=\"true\" \
                 is_dc=\"false\" resources_running=\"0\" type=\"member\"/>\n",
                i + 10
            )
        })
        .collect();
    xml.replacen("  </nodes>", &format!("{extra}  </nodes>"), 1)
}

fn main() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_pgrex"));
    let dir = tempfile::tempdir().unwrap();
    println!("| nodes | input | median of {RUNS} |");
    println!("|---|---|---|");
    for n in [2_000, 8_000, 32_000] {
        let path = dir.path().join(format!("nodes-{n}.xml"));
        let doc = document(n);
        std::fs::write(&path, &doc).unwrap();
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let out = Command::new(&bin)
                    .args(["status", "--input"])
                    .arg(&path)
                    .env("PGREX_PG_SOCKET_DIR", "/nonexistent/pgrex-bench")
                    .output()
                    .expect("pgrex runs");
                assert!(
                    out.status.code().is_some_and(|c| c <= 1),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "| {n} | {:.1} MiB | {:.2} s |",
            doc.len() as f64 / (1 << 20) as f64,
            times[RUNS / 2].as_secs_f64()
        );
    }
}
