//! `PGREX_LAB_FULL=1` lab tests of `pgrex resume` and `pgrex abort` after the lifecycle
//! operations (`stop`, `standby-start`, `primary-start`, `cleanup`) were interrupted, on a
//! real cluster in their own lab instance (`lifetest`, or `PGREX_LAB_LIFECYCLE_INSTANCE`).
//!
//! Each case interrupts the operation with SIGINT when its NDJSON stream reports a
//! meaningful step finished (the support's `interrupted_at`; no test hook in the product),
//! checks the run stopped part-way (exit 6, the journal unfinished), runs `resume` — and,
//! in a second interrupted run, `abort` —, asserts the state commands/<op>.md documents for
//! each, and brings the cluster back to HEALTHY (by hand where the safe state leaves a node
//! stopped). `PGREX_LAB_LIFECYCLE_CASES` (a comma list of `stop`, `standby-start`,
//! `primary-start`, `cleanup`; default all) and `PGREX_LAB_PROFILES` (`pgrex17,seed`, the
//! default order) choose the shard.

use super::support::{enabled, Lab, ONE_AT_A_TIME};
use std::sync::LazyLock;

static LAB: LazyLock<Lab> =
    LazyLock::new(|| Lab::from_env("PGREX_LAB_LIFECYCLE_INSTANCE", "lifetest"));

fn pgrex(node: &str, args: &str) -> (i32, String) {
    LAB.sh(node, &format!("/usr/local/sbin/pgrex {args}"))
}

#[track_caller]
fn pgrex_ok(node: &str, args: &str) -> String {
    let (code, out) = pgrex(node, args);
    assert_eq!(code, 0, "pgrex {args} on {node}:\n{out}");
    out
}

fn status(node: &str) -> serde_json::Value {
    let (_, out) = LAB.sh(
        node,
        "/usr/local/sbin/pgrex status --output-format json 2>/dev/null",
    );
    serde_json::from_str(&out).unwrap_or_else(|_| panic!("status JSON:\n{out}"))
}

fn healthy(primary: &str, standby: &str) {
    LAB.eventually("HEALTHY on both nodes", 180, || {
        ["pm01", "pm02"].iter().all(|n| {
            let s = status(n);
            s["verdict"] == "HEALTHY"
                && s["reason"].as_str().unwrap_or_default().contains(&format!(
                    "{primary} is primary, {standby} is a synchronous standby"
                ))
        })
    });
}

fn pacemaker_active(node: &str) -> bool {
    LAB.on(node, "systemctl is-active pacemaker").0
}

fn unfinished(node: &str) -> bool {
    pgrex(node, "journal").1.contains("(unfinished)")
}

/// `pgrex ARGS` on `node` interrupted once a step whose title matches `title` finished: it
/// must have stopped part-way (exit 6, naming the step, the journal unfinished).
#[track_caller]
fn stopped_part_way(node: &str, args: &str, title: &str) -> String {
    let (rc, stream) = LAB.interrupted_at(node, args, &format!("\"title\":\"{title}"));
    eprintln!("{args} on {node}, SIGINT after {title:?}: exit {rc}");
    assert_eq!(rc, 6, "{args}: exit 6 expected:\n{stream}");
    assert!(stream.contains("interrupted after step "), "{stream}");
    assert!(unfinished(node), "{}", pgrex(node, "journal").1);
    stream
}

/// `mode --yes` on `node`: exit 0, the journal closed.
#[track_caller]
fn take_up(node: &str, mode: &str) -> String {
    let out = pgrex_ok(node, &format!("{mode} --yes"));
    eprintln!("pgrex {mode} on {node}:\n{out}");
    assert!(!unfinished(node), "{}", pgrex(node, "journal").1);
    out
}

/// The standby's stop, interrupted while Pacemaker stops (SIGINT when its CHECKPOINT step
/// finished; before it nothing has changed, exit 130): the stop step runs to its end. Resume finds the stack stopped (nothing
/// left); abort leaves a stopped stack as it is (its safe state: fully stopped or fully
/// running, never half). The standby is started again by hand.
fn stop(mode: &str) {
    stopped_part_way("pm02", "stop", "Running CHECKPOINT and sync");
    let out = take_up("pm02", mode);
    assert!(!pacemaker_active("pm02"), "{out}");
    assert!(
        !LAB.on("pm02", "systemctl is-active corosync").0,
        "half-stopped after {mode}: {out}"
    );
    pgrex_ok("pm02", "standby-start -n --yes");
    healthy("pm01", "pm02");
}

/// The standby's start, interrupted during the wait for HS:sync (SIGINT when Pacemaker's
/// start finished; the wait stops at once). Resume: only the wait is left, and the standby
/// is HS:sync. Abort: its safe state — Pacemaker stopped on this node, the primary
/// untouched; started again by hand.
fn standby_start(mode: &str) {
    pgrex_ok("pm02", "stop");
    stopped_part_way("pm02", "standby-start -n --yes", "Starting Pacemaker");
    let out = take_up("pm02", mode);
    if mode == "resume" {
        assert!(out.contains("standby-start complete"), "{out}");
    } else {
        assert!(!pacemaker_active("pm02"), "{out}");
        assert_eq!(status("pm01")["primary"], "pm01");
        pgrex_ok("pm02", "standby-start -n --yes");
    }
    healthy("pm01", "pm02");
}

/// The primary's start on a stopped cluster, interrupted during the wait for the primary
/// (SIGINT when Pacemaker's start finished). Resume: the wait, then pm01 the primary.
/// Abort: pm01 the primary with its VIPs (left running), or its stack stopped when it was
/// not the primary yet (then started again by hand). Then the standby is started.
fn primary_start(mode: &str) {
    pgrex_ok("pm02", "stop");
    pgrex_ok("pm01", "stop --yes");
    stopped_part_way(
        "pm01",
        "primary-start --yes --clear-fence-history",
        "Starting Pacemaker",
    );
    let out = take_up("pm01", mode);
    if mode == "abort" && !pacemaker_active("pm01") {
        assert!(out.contains("its Pacemaker is stopped"), "{out}");
        pgrex_ok("pm01", "primary-start --yes --clear-fence-history");
    } else {
        assert!(pacemaker_active("pm01"), "{out}");
    }
    LAB.eventually("pm01 the primary", 180, || {
        status("pm01")["primary"] == "pm01"
    });
    pgrex_ok("pm02", "standby-start -n --yes");
    healthy("pm01", "pm02");
}

/// A cleanup of the fail-count a vip-rep failure left, interrupted while the fail-count
/// is cleared (SIGINT when the cause check finished; the clearing step runs to its end).
/// Resume: the plan made again, nothing left to clear. Abort: changes nothing, names
/// what is still to clear. HEALTHY either way.
fn cleanup(mode: &str) {
    LAB.ok(&["inject", "vip-rep-failure"]);
    LAB.eventually("a fail-count on pm01", 120, || {
        LAB.on("pm01", "crm_mon -1 -rf").1.contains("fail-count=")
    });
    LAB.eventually("the replication VIP back", 120, || {
        LAB.on("pm01", "ip -o addr show | grep -q 198.51.100.10").0
    });
    stopped_part_way(
        "pm01",
        "cleanup --yes",
        "Checking that the cause of the failure is gone",
    );
    let out = take_up("pm01", mode);
    if mode == "abort" {
        // Abort changes nothing: it names what is still to clear (the interrupted run's
        // clearing step ran to its end, so nothing), which is cleared now.
        assert!(
            out.contains("cleanup aborted") || out.contains("nothing of it is left to clear"),
            "{out}"
        );
        pgrex_ok("pm01", "cleanup --yes");
    }
    let (_, m) = LAB.sh("pm01", "crm_mon -1 -rf");
    assert!(!m.contains("fail-count="), "{m}");
    healthy("pm01", "pm02");
}

/// One case, run with `resume` and with `abort`.
type Case = fn(&str);

#[test]
fn full_lifecycle_resume_abort() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to interrupt the lifecycle operations and resume/abort them");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let only = std::env::var("PGREX_LAB_LIFECYCLE_CASES").unwrap_or_default();
    let wanted = |c: &str| only.is_empty() || only.split(',').any(|x| x == c);
    let profiles = std::env::var("PGREX_LAB_PROFILES").unwrap_or("pgrex17,seed".into());
    for profile in ["pgrex17", "seed"] {
        if !profiles.contains(profile) {
            continue;
        }
        LAB.ok(&["up", "--profile", profile]);
        healthy("pm01", "pm02");
        LAB.ok(&["probe", "start"]);
        let cases: [(&str, Case); 4] = [
            ("stop", stop),
            ("standby-start", standby_start),
            ("primary-start", primary_start),
            ("cleanup", cleanup),
        ];
        for (name, case) in cases {
            if wanted(name) {
                for mode in ["resume", "abort"] {
                    eprintln!("{profile}: {name}, {mode}");
                    case(mode);
                }
            }
        }
        let probe = LAB.ok(&["probe", "stop"]);
        eprintln!("{probe}");
        assert!(
            probe.contains("acknowledged rows are on the current primary"),
            "{probe}"
        );
        LAB.ok(&["down"]);
    }
}
