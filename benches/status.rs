//! Benchmark: what `pgrex status` costs next to the `crm_mon` call it makes.
//!
//! Run with `cargo bench --bench status`. It measures, as medians over repeated runs:
//! * offline: `CIB_file=<cib.xml> crm_mon --output-as=xml -1 --inactive` against
//!   `pgrex status --input <cib.xml>` (which runs that same crm_mon, then parses and renders);
//! * live, when `PGREX_BENCH_LAB=1` and a practice lab is up: `crm_mon --output-as=xml -1
//!   --inactive` against `pgrex status` inside node pm01, alternated pair by pair (timed
//!   inside the node, so the cost of entering the namespaces is not counted); the ratio is the
//!   median of the per-pair ratios; and `pgrex check` against the same crm_mon call. The lab
//!   instance is `PGREX_LAB_INSTANCE` (default `lab`).
//!
//! The results replace the section between the markers in `docs/benchmarks.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 30;
/// Alternating pairs for the live comparison (the issue asks for at least 15).
const PAIRS: usize = 21;
const BEGIN: &str = "<!-- status-bench:begin -->";
const END: &str = "<!-- status-bench:end -->";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Run each command once (a benchmark of a failing command measures nothing), then PAIRS
/// alternating pairs: the medians of each and the median of the per-pair ratios.
fn pairs_local(
    mut base: impl FnMut() -> Command,
    mut cand: impl FnMut() -> Command,
) -> (Duration, Duration, f64) {
    for make in [&mut base as &mut dyn FnMut() -> Command, &mut cand] {
        let first = make().output().expect("benchmark command runs");
        assert!(
            first.status.success(),
            "{:?} failed: {}",
            make(),
            String::from_utf8_lossy(&first.stderr)
        );
    }
    let time = |c: &mut Command| {
        let t = Instant::now();
        let out = c.output().expect("benchmark command runs");
        assert!(out.status.code().is_some(), "{c:?} was killed");
        t.elapsed()
    };
    let (mut b, mut c, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..PAIRS {
        let x = time(&mut base());
        let y = time(&mut cand());
        ratios.push(y.as_secs_f64() / x.as_secs_f64());
        b.push(x);
        c.push(y);
    }
    ratios.sort_by(|x, y| x.total_cmp(y));
    (median(b), median(c), ratios[PAIRS / 2])
}

fn time_local(mut make: impl FnMut() -> Command) -> Duration {
    let first = make().output().expect("benchmark command runs");
    assert!(first.status.success(), "{:?} failed", make());
    let mut v = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        make().output().expect("benchmark command runs");
        v.push(t.elapsed());
    }
    median(v)
}

/// Pairs of runs alternated inside the lab node pm01 (baseline, then candidate, PAIRS
/// times), so that the lab's own activity weighs on both alike. Returns the medians of each
/// and the median of the per-pair ratios.
fn pairs_in_lab(lab: &Path, base: &str, cand: &str) -> Option<(Duration, Duration, f64)> {
    let t = |cmd: &str| {
        format!("s=$(date +%s%N); {cmd} >/dev/null 2>&1; e=$(date +%s%N); printf '%s ' $((e-s))")
    };
    let script = format!(
        "{base} >/dev/null 2>&1; {cand} >/dev/null 2>&1; for i in $(seq {PAIRS}); do {}; {}; echo; done",
        t(base),
        t(cand)
    );
    let out = match Command::new(lab)
        .args(["exec", "pm01", "--", "sh", "-c", &script])
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{} cannot run: {e}", lab.display());
            return None;
        }
    };
    if !out.status.success() {
        eprintln!("lab run failed: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let mut b = Vec::new();
    let mut c = Vec::new();
    let mut ratios = Vec::new();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        let v: Vec<u64> = l
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if let [x, y] = v[..] {
            b.push(Duration::from_nanos(x));
            c.push(Duration::from_nanos(y));
            ratios.push(y as f64 / x as f64);
        }
    }
    if b.len() != PAIRS {
        return None;
    }
    ratios.sort_by(|x, y| x.total_cmp(y));
    Some((median(b), median(c), ratios[PAIRS / 2]))
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

    let (crm_mon, status_cib, ratio) = pairs_local(
        || {
            let mut c = Command::new("crm_mon");
            c.args(["--output-as=xml", "-1", "--inactive"])
                .env("CIB_file", &cib);
            c
        },
        || {
            let mut c = Command::new(&pgrex);
            c.args(["status", "--color", "never", "--input"]).arg(&cib);
            c
        },
    );
    let status_xml = time_local(|| {
        let mut c = Command::new(&pgrex);
        c.args(["status", "--color", "never", "--input"]).arg(&xml);
        c
    });
    rows.push(format!(
        "| offline (cib.xml of a healthy pgrex17 cluster, {PAIRS} alternating pairs) | `CIB_file=… crm_mon --output-as=xml -1 --inactive` {} | `pgrex status --input healthy.cib.xml` {} | **{ratio:.2}×** |",
        ms(crm_mon),
        ms(status_cib),
    ));
    rows.push(format!(
        "| offline, saved crm_mon XML (parse and render only) | — | `pgrex status --input healthy.xml` {} | — |",
        ms(status_xml)
    ));

    if std::env::var("PGREX_BENCH_LAB").is_ok_and(|v| v == "1") {
        // `cargo bench` builds this package's binaries only: use whichever pgrex-lab exists.
        let lab = ["release", "debug"]
            .iter()
            .map(|p| root().join("target").join(p).join("pgrex-lab"))
            .find(|p| p.exists())
            .expect("build pgrex-lab first: cargo build -p pgrex-lab");
        let status = format!("{} status --color never", pgrex.display());
        let live = pairs_in_lab(&lab, "crm_mon --output-as=xml -1 --inactive", &status);
        let pcs = pairs_in_lab(
            &lab,
            "crm_mon --output-as=xml -1 --inactive",
            "crm_mon -1 -r -f -A --include=fencing-history",
        );
        let no_pg = pairs_in_lab(
            &lab,
            &format!("PGREX_PG_SOCKET_DIR=/nonexistent {status}"),
            &status,
        );
        let check = pairs_in_lab(
            &lab,
            "crm_mon --output-as=xml -1 --inactive",
            &format!("{} check", pgrex.display()),
        );
        match live {
            Some((b, c, ratio)) => {
                rows.push(format!(
                    "| live, inside lab node pm01 ({PAIRS} alternating pairs) | `crm_mon --output-as=xml -1 --inactive` {} | `pgrex status` {} | **{ratio:.2}×** |",
                    ms(b),
                    ms(c),
                ));
                if let Some((b, _, r)) = no_pg {
                    rows.push(format!(
                        "| live, the PostgreSQL reading's share | `pgrex status` without it (`PGREX_PG_SOCKET_DIR=/nonexistent`) {} | `pgrex status` | {r:.2}× |",
                        ms(b),
                    ));
                }
                if let Some((_, k, r)) = check {
                    rows.push(format!(
                        "| live, the monitoring plugin | `crm_mon --output-as=xml -1 --inactive` | `pgrex check` {} | **{r:.2}×** |",
                        ms(k),
                    ));
                }
                if let Some((_, p, r)) = pcs {
                    rows.push(format!(
                        "| live, text view for comparison | — | `crm_mon -1 -rfA --include=fencing-history` {} | {r:.2}× |",
                        ms(p),
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
        "{BEGIN}\nMeasured {} on {} ({} cores), medians of {PAIRS} alternating pairs (the ratio: the median of the per-pair ratios; the saved-XML row: of {RUNS} runs), release build (`cargo bench --bench status`{}).\n\n| view | baseline | pgrex | ratio |\n|---|---|---|---|\n{}\n{END}",
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
        _ => format!("{doc}\n## pgrex status vs crm_mon\n\nTarget: `pgrex status` ≤ 1.3× `crm_mon --output-as=xml -1 --inactive` for the local view (issue 8; 1.5× before) (`pcs status --full`, what PG-REX 17 operators run today, costs about 21× crm_mon).\n\n{section}\n"),
    };
    std::fs::write(&path, new).unwrap();
    println!("written to {}", path.display());
}
