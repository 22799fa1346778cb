//! `pgrex check`, `status --brief` and `status --output-format prometheus` on the real
//! cluster, run by a non-root monitoring user in the `haclient` group (commands/check.md
//! documents what such a user can read). Called from the smoke set at its healthy start,
//! after the node failure (a fault) and on the powered-on failed node whose Pacemaker is
//! not running (the cluster cannot be observed there).

use super::support::Lab;

/// The monitoring user the tests create on a node (uid not 0, supplementary group haclient).
pub const USER: &str = "pgrexmon";

/// Create [`USER`] on `node` (each node has its own /etc) unless it exists.
pub fn add_user(lab: &Lab, node: &str) {
    let (code, out) = lab.sh(
        node,
        &format!(
            "id {USER} >/dev/null 2>&1 || useradd -M -G haclient -s /bin/sh {USER}; id {USER}"
        ),
    );
    assert_eq!(code, 0, "useradd on {node}: {out}");
    assert!(out.contains("(haclient)"), "{out}");
}

/// `pgrex ARGS` as the monitoring user: (exit code, output).
pub fn as_user(lab: &Lab, node: &str, args: &str) -> (i32, String) {
    lab.sh(node, &format!("runuser -u {USER} -- pgrex {args}"))
}

/// The plugin line's perfdata value of `label` (`U` when unknown).
fn perf<'a>(line: &'a str, label: &str) -> &'a str {
    let (_, perf) = line
        .split_once(" | ")
        .unwrap_or_else(|| panic!("no perfdata: {line}"));
    perf.split_whitespace()
        .find_map(|kv| kv.strip_prefix(&format!("{label}=")))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no {label}: {line}"))
}

/// On a healthy cluster: OK (0), both nodes online, the lag read from PostgreSQL, no
/// fail-count, no fencing; the brief view and the metrics agree.
pub fn healthy(lab: &Lab, node: &str) {
    add_user(lab, node);
    let (code, out) = as_user(lab, node, "check");
    assert_eq!(code, 0, "check as {USER} on {node}: {out}");
    let line = out.lines().next().unwrap_or_default();
    assert!(line.starts_with("PGREX OK - HEALTHY: "), "{out}");
    assert_eq!(perf(line, "nodes_online"), "2", "{line}");
    assert_eq!(perf(line, "failcounts"), "0", "{line}");
    assert_eq!(perf(line, "fence_events"), "0", "{line}");
    let lag = perf(line, "lag_bytes");
    assert!(lag.ends_with('B') && lag != "U", "the lag is read: {line}");
    let (code, brief) = as_user(lab, node, "status --brief");
    assert_eq!(code, 0, "{brief}");
    assert!(brief.lines().all(|l| l.chars().count() <= 80), "{brief}");
    assert!(brief.starts_with("HEALTHY"), "{brief}");
    let (code, prom) = as_user(lab, node, "status --output-format prometheus");
    assert_eq!(code, 0, "{prom}");
    assert!(
        prom.contains("pgrex_verdict{verdict=\"HEALTHY\"} 1"),
        "{prom}"
    );
    assert!(prom.contains("pgrex_timeline "), "{prom}");
}

/// After a node failure seen from the survivor: CRITICAL (2), one node online, the fencing
/// counted.
pub fn fault(lab: &Lab, node: &str) {
    add_user(lab, node);
    let (code, out) = as_user(lab, node, "check");
    assert_eq!(code, 2, "check as {USER} on {node}: {out}");
    let line = out.lines().next().unwrap_or_default();
    assert!(line.starts_with("PGREX CRITICAL - FAULT: "), "{out}");
    assert_eq!(perf(line, "nodes_online"), "1", "{line}");
    assert_ne!(perf(line, "fence_events"), "0", "{line}");
}

/// On a node whose Pacemaker is not running: UNKNOWN (3), nothing measured.
pub fn unobservable(lab: &Lab, node: &str) {
    add_user(lab, node);
    let (code, out) = as_user(lab, node, "check");
    assert_eq!(code, 3, "check as {USER} on {node}: {out}");
    assert!(out.contains("PGREX UNKNOWN - UNKNOWN: "), "{out}");
    assert!(out.contains("nodes_online=U"), "{out}");
}

/// A primary whose server is frozen (SIGSTOP on the postmaster) holds no view: `check`
/// answers with the lag unknown — WARNING: a primary that takes no work is a finding — and
/// `status` says PostgreSQL did not answer in time.
pub fn hung_postgres(lab: &Lab, node: &str) {
    let script = "pid=$(head -1 /var/lib/pgsql/data/postmaster.pid); kill -STOP $pid; \
         pgrex check; echo \"check=$?\"; pgrex status --output-format json; kill -CONT $pid";
    let (code, out) = lab.sh(node, script);
    assert_eq!(code, 0, "{out}");
    let line = out.lines().next().unwrap_or_default();
    assert_eq!(perf(line, "lag_bytes"), "U", "{out}");
    // The primary's server taking no work is itself a warning (issue 13, item 11).
    assert!(out.contains("check=1"), "{out}");
    assert!(out.contains("\"postgres_unread\": \""), "{out}");
    assert!(out.contains("no answer within 2000 ms"), "{out}");
    assert!(
        out.contains("PostgreSQL on the primary pm01 takes no work"),
        "{out}"
    );
}
