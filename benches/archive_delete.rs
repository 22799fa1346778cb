//! Benchmark: `archive-delete` over an archive of 100 000 files — a `--dry-run` (every read,
//! the classification, the plan and its listing of every file rendered) and a real `-r`
//! (the same, then the batch removal and the listing that proves it) — against the issue's
//! target of at most 1 s each.
//!
//! `cargo bench --bench archive_delete` (as root: the batch runs as root, as on a node). The
//! operation runs through the library on this machine's file system with this machine as
//! both nodes; pg_controldata and psql are two small scripts that print a recorded
//! `pg_controldata` (tests/fixtures/postgres/controldata_pg15_promoted_tli2.txt: REDO on
//! timeline 2, so every timeline-1 file goes) and `0` (no base backup running).
//! `PGREX_BENCH_FILES` (default 100000) and `PGREX_BENCH_RUNS` (default 5) change the size and
//! the number of runs; `PGREX_BENCH_DIR` where the archive is generated (default `/dev/shm`
//! when it exists, else the temporary directory: creating 100 000 files on this machine's
//! ext4 takes minutes, which is not what is measured). Each run gets a freshly generated
//! archive (not timed). `PGREX_BENCH_BATCH=1` removes with the batch command an SSH node
//! uses (`xargs -0 rm -f`) instead of this machine's in-process `unlinkat`, for comparison.
//! Prints Markdown tables for docs/benchmarks.md: the totals, and each step's wall time.

use pgrex::node::{DirEntry, FileMode, FileStat, LocalNode, Node, NodeError, RunAs};
use pgrex::ops::archive_delete::{self, ArchiveDeleteOptions, Mode, Report};
use pgrex::ops::OpContext;
use pgrex::profile::{ExplicitIds, Names, ProfileChoice};
use pgrex::report::{Answer, Choice, Level, Outcome, Reporter};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Renders every event as the text reporter would, into memory (the terminal is not
/// measured), and times each step (where the wall time goes).
struct Render(Mutex<Vec<u8>>, Mutex<Vec<(String, Instant, Option<f64>)>>);

impl Render {
    fn put(&self, s: &str) {
        let mut b = self.0.lock().unwrap();
        b.extend_from_slice(s.as_bytes());
        b.push(b'\n');
    }
}

impl Reporter for Render {
    fn step_started(&self, step: usize, title: &str) {
        // The title's first words name the step (up to its counts and paths, which vary).
        let name: Vec<&str> = title
            .split(' ')
            .take_while(|w| !w.contains('/') && !w.starts_with(|c: char| c.is_ascii_digit()))
            .take(3)
            .collect();
        self.1
            .lock()
            .unwrap()
            .push((name.join(" "), Instant::now(), None));
        self.put(&format!("{step}. {title}"));
    }
    fn progress(&self, _: usize, _: u64, _: Option<u64>, _: &str) {}
    fn detail(&self, _: usize, line: &str) {
        self.put(line);
    }
    fn step_finished(&self, _: usize, _: &str, o: Outcome, d: Option<&str>) {
        if let Some(last) = self.1.lock().unwrap().last_mut() {
            last.2 = Some(last.1.elapsed().as_secs_f64());
        }
        self.put(&format!("...[{}] {}", o.word(), d.unwrap_or_default()));
    }
    fn step_described(&self, _: usize, _: &str, would: &str) {
        self.put(would);
    }
    fn waiting(&self, _: usize, _: &str, _: Duration, _: Duration) {}
    fn message(&self, _: Level, text: &str) {
        self.put(&format!("   {text}"));
    }
    fn confirm(&self, _: &str) -> Answer {
        Answer::Yes
    }
    fn choose(&self, _: &str, _: &[Choice]) -> Option<char> {
        None
    }
}

/// This machine with the default batch removal (`xargs -0 rm -f`, as on an SSH node)
/// instead of [`LocalNode`]'s in-process `unlinkat`: `PGREX_BENCH_BATCH=1`, for comparison.
struct Batch;

impl Node for Batch {
    fn describe(&self) -> String {
        LocalNode.describe()
    }
    fn is_local(&self) -> bool {
        true
    }
    fn output(
        &self,
        cmd: &pgrex::exec::Cmd,
        as_user: &RunAs,
    ) -> Result<pgrex::exec::Output, NodeError> {
        LocalNode.output(cmd, as_user)
    }
    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError> {
        LocalNode.stat(path)
    }
    fn read_to(&self, path: &Path, sink: &mut dyn Write) -> Result<u64, NodeError> {
        LocalNode.read_to(path, sink)
    }
    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError> {
        LocalNode.write_file(path, data, mode)
    }
    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        LocalNode.remove_file(path)
    }
    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        LocalNode.list_dir(path)
    }
}

fn generate(dir: &Path, n: u64) {
    for i in 1..=n {
        let suffix = if i % 5 == 0 { ".gz" } else { "" };
        let name = format!("00000001{:08X}{:08X}{suffix}", i / 256, i % 256);
        std::fs::File::create(dir.join(name)).unwrap();
    }
}

fn tools(dir: &Path) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/postgres/controldata_pg15_promoted_tli2.txt");
    let script = |name: &str, body: String| {
        let p = dir.join(name);
        let mut f = std::fs::File::create(&p).unwrap();
        writeln!(f, "#!/bin/sh\n{body}").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    script(
        "pg_controldata",
        format!("exec cat '{}'", fixture.display()),
    );
    script("psql", "echo 0".into());
}

/// CPU seconds (user + system) of this process and its waited-for children so far, from
/// `/proc/self/stat` (the machine is shared: wall time alone measures the neighbours too).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<f64> = after.split(' ').map(|x| x.parse().unwrap_or(0.0)).collect();
    // Fields 14–17 of stat(5) (utime, stime, cutime, cstime) are 11–14 after the name.
    (f[11] + f[12] + f[13] + f[14]) / 100.0
}

/// One run's step times (name, seconds).
type Steps = Vec<(String, f64)>;

/// One run: (wall seconds, CPU seconds, files that went, step times).
fn once(
    base: &Path,
    bin: &Path,
    n: u64,
    dry_run: bool,
    local: &dyn Node,
) -> (f64, f64, usize, Steps) {
    let arch = tempfile::tempdir_in(base).unwrap();
    generate(arch.path(), n);
    let rep = Render(Mutex::new(Vec::with_capacity(4 << 20)), Mutex::default());
    let ctx = OpContext {
        reporter: &rep,
        tools: pgrex::exec::Tools::new(),
        local,
        processes: &pgrex::ops::in_use::LiveProcesses,
        me: "pm01".into(),
        interrupted: Arc::new(AtomicBool::new(false)),
        late_said: Default::default(),
        journal_dir: None,
        journal_keep: Default::default(),
        dry_run,
    };
    let names = |ids: &[&str]| {
        Names::resolve(
            &ExplicitIds::default(),
            ProfileChoice::Auto,
            "default",
            ids.iter().copied(),
        )
    };
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(LocalNode)) };
    let connect_backup = |_: &str| -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(LocalNode)) };
    let o = ArchiveDeleteOptions {
        mode: Mode::Remove,
        archive_dir: arch.path().to_path_buf(),
        pgdata: Some(arch.path().join("no-such-data")),
        pgdata_env: None,
        pgpath: Some(bin.to_path_buf()),
        backup: None,
        both: false,
        force: true,
        owner: RunAs::Root,
        stamp: "20261201_000000".into(),
        names: &names,
        connect: &connect,
        connect_backup: &connect_backup,
    };
    let mut report = Report::default();
    let (t0, c0) = (Instant::now(), cpu());
    archive_delete::archive_delete(&ctx, &o, &mut report).expect("archive-delete runs");
    let (secs, cpu_secs) = (t0.elapsed().as_secs_f64(), cpu() - c0);
    let went = report.directories[0].plan.go.len();
    let left = std::fs::read_dir(arch.path()).unwrap().count();
    assert_eq!(left, if dry_run { n as usize } else { 0 });
    let steps = rep
        .1
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|(name, _, s)| (name, s.unwrap_or_default()))
        .collect();
    (secs, cpu_secs, went, steps)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skipped: run as root (the batch runs as root, as on a node)");
        return;
    }
    let n: u64 = std::env::var("PGREX_BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = std::env::var("PGREX_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let base = std::env::var("PGREX_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            let shm = Path::new("/dev/shm");
            if shm.is_dir() {
                shm.to_path_buf()
            } else {
                std::env::temp_dir()
            }
        });
    let bin = tempfile::tempdir().unwrap();
    tools(bin.path());
    let batch = std::env::var("PGREX_BENCH_BATCH").is_ok_and(|v| v == "1");
    let local: &dyn Node = if batch { &Batch } else { &LocalNode };
    let (mut dry, mut dry_cpu, mut real, mut real_cpu) = (vec![], vec![], vec![], vec![]);
    let mut steps: Vec<Steps> = Vec::new();
    for _ in 0..runs {
        let (s, c, went, _) = once(&base, bin.path(), n, true, local);
        assert_eq!(went as u64, n);
        dry.push(s);
        dry_cpu.push(c);
        let (s, c, _, st) = once(&base, bin.path(), n, false, local);
        real.push(s);
        real_cpu.push(c);
        steps.push(st);
    }
    let fmt = |v: &[f64]| {
        let mut s = v.to_vec();
        s.sort_by(|a, b| a.partial_cmp(b).unwrap());
        format!(
            "{:.0} ms (min {:.0}, max {:.0})",
            median(s.clone()) * 1e3,
            s[0] * 1e3,
            s[s.len() - 1] * 1e3
        )
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average (1 min) after the runs: {}",
        load.split(' ').next().unwrap_or("?")
    );
    println!("| archive of {n} files in {} ({runs} runs) | wall: median (min, max) | CPU, user + system with children: median (min, max) | target |", base.display());
    println!("|---|---|---|---|");
    println!(
        "| `--dry-run` (all {n} listed) | {} | {} | ≤ 1000 ms |",
        fmt(&dry),
        fmt(&dry_cpu)
    );
    let how = if batch {
        "one `xargs -0 rm -f` batch"
    } else {
        "in-process `unlinkat`"
    };
    println!(
        "| `-r` (all {n} removed by {how}, then verified) | {} | {} | ≤ 1000 ms |",
        fmt(&real),
        fmt(&real_cpu)
    );
    println!("\nWall time per step of `-r`, median of the runs:\n");
    println!("| step | wall |\n|---|---|");
    for (i, (name, _)) in steps[0].iter().enumerate() {
        let v: Vec<f64> = steps.iter().filter_map(|s| s.get(i).map(|x| x.1)).collect();
        println!("| {name} … | {:.0} ms |", median(v) * 1e3);
    }
}
