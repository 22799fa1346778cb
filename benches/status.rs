//! Benchmark: what `pgrex status` costs next to the `crm_mon` call it makes.
//!
//! Run with `cargo bench --bench status`. It measures, as medians over repeated runs:
//! * offline: `CIB_file=<cib.xml> crm_mon --output-as=xml -1 --inactive` against
//!   `pgrex status --input <cib.xml>` (which runs that same crm_mon, then parses and renders);
//! * live, when `PGREX_BENCH_LAB=1` and a practice lab is up: `crm_mon --output-as=xml -1
//!   --inactive` against `pgrex status` inside node pm01 (timed inside the node, so the cost
//!   of entering the namespaces is not counted).
//!
//! The results replace the section between the markers in `docs/benchmarks.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 30;
const BEGIN: &str = "<!-- status-bench:begin -->";
const END: &str = "<!-- status-bench:end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_local(mut make: impl FnMut() -> Command) -> Duration {
    // A benchmark of a failing command measures nothing: check the first run.
    let first = make().output().expect("benchmark command runs");
    assert!(
        first.status.success(),
        "{:?} failed: {}",
        make(),
        String::from_utf8_lossy(&first.stderr)
    );
    let mut v = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let mut c = make();
        let t = Instant::now();
        let out = c.output().expect("benchmark command runs");
        v.push(t.elapsed());
        assert!(out.status.code().is_some(), "{c:?} was killed");
    }
    median(v)
}

/// Time a shell command inside the lab node pm01: the loop runs in the node and reports
/// each run's duration in nanoseconds.
fn time_in_lab(lab: &Path, cmd: &str) -> Option<Duration> {
    let script = format!(
        "for i in $(seq {RUNS}); do s=$(date +%s%N); {cmd} >/dev/null 2>&1; e=$(date +%s%N); echo $((e-s)); done"
    );
    let out = Command::new(lab)
        .args(["exec", "pm01", "--", "sh", "-c", &script])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!("lab run failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let v: Vec<Duration> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.trim().parse::<u64>().ok())
        .map(Duration::from_nanos)
        .collect();
    (v.len() == RUNS).then(|| median(v))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let pgrex = PathBuf::from(env!("CARGO_BIN_EXE_pgrex"));
    let cib = root().join("tests/fixtures/status/pgrex17/healthy.cib.xml");
    let xml = root().join("tests/fixtures/status/pgrex17/healthy.xml");
    let mut rows = Vec::new();

    let crm_mon = time_local(|| {
        let mut c = Command::new("crm_mon");
        c.args(["--output-as=xml", "-1", "--inactive"])
            .env("CIB_file", &cib);
        c
    });
    let status_cib = time_local(|| {
        let mut c = Command::new(&pgrex);
        c.args(["status", "--color", "never", "--input"]).arg(&cib);
        c
    });
    let status_xml = time_local(|| {
        let mut c = Command::new(&pgrex);
        c.args(["status", "--color", "never", "--input"]).arg(&xml);
        c
    });
    rows.push(format!(
        "| offline (cib.xml of a healthy pgrex17 cluster) | `CIB_file=… crm_mon --output-as=xml -1 --inactive` {} | `pgrex status --input healthy.cib.xml` {} | **{:.2}×** |",
        ms(crm_mon),
        ms(status_cib),
        status_cib.as_secs_f64() / crm_mon.as_secs_f64()
    ));
    rows.push(format!(
        "| offline, saved crm_mon XML (parse and render only) | — | `pgrex status --input healthy.xml` {} | — |",
        ms(status_xml)
    ));

    if std::env::var("PGREX_BENCH_LAB").is_ok_and(|v| v == "1") {
        let lab = pgrex.with_file_name("pgrex-lab");
        let base = time_in_lab(&lab, "crm_mon --output-as=xml -1 --inactive");
        let cand = time_in_lab(&lab, &format!("{} status --color never", pgrex.display()));
        let pcs = time_in_lab(&lab, "crm_mon -1 -r -f -A --include=fencing-history");
        match (base, cand) {
            (Some(b), Some(c)) => {
                rows.push(format!(
                    "| live, inside lab node pm01 | `crm_mon --output-as=xml -1 --inactive` {} | `pgrex status` {} | **{:.2}×** |",
                    ms(b),
                    ms(c),
                    c.as_secs_f64() / b.as_secs_f64()
                ));
                if let Some(p) = pcs {
                    rows.push(format!(
                        "| live, text view for comparison | — | `crm_mon -1 -rfA --include=fencing-history` {} | {:.2}× |",
                        ms(p),
                        p.as_secs_f64() / b.as_secs_f64()
                    ));
                }
            }
            _ => eprintln!("PGREX_BENCH_LAB=1 but the lab did not answer: is `pgrex-lab up` done?"),
        }
    }

    let when = String::from_utf8(
        Command::new("date")
            .args(["-u", "+%Y-%m-%d"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let section = format!(
        "{BEGIN}\nMeasured {} on {} ({} cores), medians of {RUNS} runs, release build (`cargo bench --bench status`{}).\n\n| view | baseline | pgrex | ratio |\n|---|---|---|---|\n{}\n{END}",
        when.trim(),
        cpu,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        if rows.len() > 2 { ", `PGREX_BENCH_LAB=1`" } else { "" },
        rows.join("\n")
    );
    for r in &rows {
        println!("{r}");
    }
    let path = root().join("docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let new = match (doc.find(BEGIN), doc.find(END)) {
        (Some(a), Some(b)) if b > a => format!("{}{}{}", &doc[..a], section, &doc[b + END.len()..]),
        _ => format!("{doc}\n## pgrex status vs crm_mon\n\nTarget: `pgrex status` ≤ 1.5× `crm_mon --output-as=xml -1` for the local view (`pcs status --full`, what PG-REX 17 operators run today, costs about 21× crm_mon).\n\n{section}\n"),
    };
    std::fs::write(&path, new).unwrap();
    println!("written to {}", path.display());
}
