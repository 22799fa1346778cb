//! Lab tests of `pgrex switchover` on a real cluster, in their own lab instance (`swtest`,
//! or `PGREX_LAB_SWITCHOVER_INSTANCE`).
//!
//! Gated like the rest. `PGREX_LAB=1` (CI's smoke set): one run pm01 → pm02 → pm01 in the
//! pgrex17 profile with the write probe running — HEALTHY after each with the roles
//! swapped, the LSN proof held (no rewind, no base backup), the ban gone, no fail-count, 0
//! acknowledged writes lost. The first switch runs on the old primary, the second on the
//! old standby (the other node's steps go over SSH). Then one run interrupted (SIGINT when the
//! NDJSON stream reports the ban step finished) and taken up by `pgrex resume`.
//! `PGREX_LAB_FULL=1` adds each refusal
//! (maintenance mode, a leftover ban, the lock held on the peer, the standby absent: exit 3,
//! nothing changed on either node) and the same run in the seed profile.
//! `PGREX_LAB_PROFILES=seed` with `PGREX_LAB_FULL=1` runs the seed shard alone (no pgrex17
//! smoke run before it).

mod interrupt;

use super::support::{enabled, Lab, ONE_AT_A_TIME};
use std::sync::LazyLock;

static LAB: LazyLock<Lab> =
    LazyLock::new(|| Lab::from_env("PGREX_LAB_SWITCHOVER_INSTANCE", "swtest"));

fn pgrex(node: &str, args: &str) -> (i32, String) {
    LAB.sh(node, &format!("/usr/local/sbin/pgrex {args}"))
}

/// The JSON result line of an operation run with `--output-format json`.
fn result_of(out: &str) -> serde_json::Value {
    out.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["event"] == "result")
        .unwrap_or_else(|| panic!("no result line in:\n{out}"))
}

fn status(node: &str) -> serde_json::Value {
    let (_, out) = LAB.sh(
        node,
        "/usr/local/sbin/pgrex status --output-format json 2>/dev/null",
    );
    serde_json::from_str(&out).unwrap_or_else(|_| panic!("status JSON:\n{out}"))
}

fn assert_healthy(primary: &str, standby: &str) {
    for node in ["pm01", "pm02"] {
        let s = status(node);
        assert_eq!(s["verdict"], "HEALTHY", "{node}: {s}");
        let reason = s["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains(&format!(
                "{primary} is primary, {standby} is a synchronous standby"
            )),
            "{reason}"
        );
    }
}

/// What neither a refusal nor a switchover may leave: a cli- constraint, a fail-count.
fn assert_nothing_left(node: &str) {
    let (_, c) = LAB.sh(node, "cibadmin -Q -o constraints");
    assert!(!c.contains("cli-ban") && !c.contains("cli-prefer"), "{c}");
    let (_, m) = LAB.sh(node, "crm_mon -1 -rf");
    assert!(!m.contains("fail-count="), "{m}");
    assert!(!m.contains("Failed Resource Actions"), "{m}");
}

/// One switchover from `from`, which must succeed with the proof held.
fn switch(from: &str, old: &str, new: &str) {
    let (code, out) = pgrex(from, "switchover --yes --output-format json");
    assert_eq!(code, 0, "switchover on {from}:\n{out}");
    let r = result_of(&out);
    assert_eq!(r["roles"]["old"], old, "{r}");
    assert_eq!(r["roles"]["new"], new, "{r}");
    assert_eq!(r["proof"]["proven"], true, "{r}");
    assert_eq!(r["rejoin"], "as_it_is", "no rewind, no base backup: {r}");
    assert_eq!(r["constraint_removed"], true, "{r}");
    eprintln!(
        "switchover {old} -> {new} from {from}: move {} s, window {}",
        r["move_seconds"], r["window"]["write_outage_ms"]
    );
    assert_healthy(new, old);
    assert_nothing_left(from);
}

fn up(profile: &str) {
    up_pg(profile, "15");
}

fn up_pg(profile: &str, pg: &str) {
    LAB.ok(&["up", "--profile", profile, "--pg", pg]);
    LAB.eventually("pm02 HS:sync", 180, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
}

fn there_and_back() {
    LAB.ok(&["probe", "start"]);
    switch("pm01", "pm01", "pm02");
    switch("pm01", "pm02", "pm01");
    let probe = LAB.ok(&["probe", "stop"]);
    eprintln!("{probe}");
    assert!(
        probe.contains("acknowledged rows are on the current primary"),
        "{probe}"
    );
}

/// A switchover from pm01 interrupted (SIGINT) as soon as the NDJSON stream reports the ban
/// step finished: exit 6, the ban removed; then `pgrex resume` brings it to the end from
/// what the cluster shows, and `pgrex journal` shows both runs.
fn interrupted_and_resumed(old: &str, new: &str) {
    let script = "/usr/local/sbin/pgrex switchover --yes --output-format json > /tmp/so.ndjson 2>/tmp/so.err & pid=$!; \
        i=0; until grep -q '\"event\":\"step_finished\".*Moving the primary role' /tmp/so.ndjson; do \
        sleep 0.05; i=$((i+1)); [ $i -gt 1200 ] && break; done; kill -INT $pid; wait $pid; echo rc=$?";
    let (_, out) = LAB.sh(old, script);
    let (_, stream) = LAB.sh(old, "cat /tmp/so.ndjson");
    assert!(
        out.contains("rc=6"),
        "interrupted after the ban: exit 6 expected:\n{out}\n{stream}"
    );
    assert!(stream.contains("Removing the ban"), "{stream}");
    let (_, c) = LAB.sh(old, "cibadmin -Q -o constraints");
    assert!(
        !c.contains("cli-ban"),
        "the ban must be gone after the interruption: {c}"
    );
    let (_, list) = pgrex(old, "journal");
    assert!(list.contains("(unfinished)"), "{list}");
    let (code, out) = pgrex(old, "resume --yes");
    eprintln!("interrupted run:\n{stream}\npgrex resume:\n{out}");
    assert_eq!(code, 0, "resume:\n{out}");
    assert!(
        out.contains(&format!("switchover complete: {new} is the primary")),
        "{out}"
    );
    assert_healthy(new, old);
    assert_nothing_left(old);
    let (_, list) = pgrex(old, "journal");
    assert!(
        !list.contains("(unfinished)") && list.contains("switchover-resume"),
        "{list}"
    );
}

#[test]
fn switchover_there_and_back() {
    if !enabled("PGREX_LAB") {
        eprintln!(
            "skipped: set PGREX_LAB=1 to run the lab tests (they build a real cluster as root)"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let full = enabled("PGREX_LAB_FULL");
    // `PGREX_LAB_PROFILES=pgrex17` (or `seed`) runs that shard only (CONTRACTS "Lab tests");
    // a seed-only shard of the full set skips the pgrex17 smoke run too.
    let profiles = std::env::var("PGREX_LAB_PROFILES").unwrap_or("pgrex17,seed".into());
    if !full || profiles.contains("pgrex17") {
        up("pgrex17");
        there_and_back();
        if full {
            refusals();
        }
        LAB.ok(&["probe", "start"]);
        interrupted_and_resumed("pm01", "pm02");
        let probe = LAB.ok(&["probe", "stop"]);
        assert!(
            probe.contains("acknowledged rows are on the current primary"),
            "{probe}"
        );
        if full {
            full_set();
        }
    }
    if full && profiles.contains("seed") {
        LAB.ok(&["down"]);
        up("seed");
        there_and_back();
        full_set();
    }
    LAB.ok(&["down"]);
}

/// The smoke run (there and back, interrupted and resumed) on PostgreSQL 18 (`up --pg 18`):
/// `PGREX_LAB_FULL=1` only.
#[test]
fn full_switchover_pg18() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to switch over on PostgreSQL 18");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    up_pg("pgrex17", "18");
    there_and_back();
    LAB.ok(&["probe", "start"]);
    interrupted_and_resumed("pm01", "pm02");
    let probe = LAB.ok(&["probe", "stop"]);
    assert!(
        probe.contains("acknowledged rows are on the current primary"),
        "{probe}"
    );
    LAB.ok(&["down"]);
}

/// `PGREX_LAB_FULL=1`, in each profile (`PGREX_LAB_SWITCHOVER_CASES`: a comma list of
/// `boundaries`, `remote-rewind`, `ssh`, `power-off` runs only those, in the order given;
/// default all, in that order).
fn full_set() {
    let only = std::env::var("PGREX_LAB_SWITCHOVER_CASES").unwrap_or_default();
    let all = "ssh,remote-rewind,boundaries,power-off";
    let list = if only.trim().is_empty() {
        all
    } else {
        only.as_str()
    };
    for case in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        eprintln!("switchover full set: case {case}");
        match case {
            "ssh" => interrupt::ssh_unreachable(),
            "remote-rewind" => interrupt::remote_rewind(),
            "boundaries" => interrupt::every_boundary(),
            "power-off" => interrupt::peer_powered_off(),
            other => panic!(
                "PGREX_LAB_SWITCHOVER_CASES: unknown case {other:?} (use a comma list of {all})"
            ),
        }
    }
}

/// A fingerprint of both nodes that a refusal must leave alone (pg_control itself changes
/// with every restartpoint on the standby: its state and timeline do not).
fn both() -> String {
    let one = |n: &str| {
        LAB.sh(n, &format!("systemctl is-active pacemaker; ls /var/lib/pgsql/tmp; runuser -u postgres -- env LANG=C {}/pg_controldata /var/lib/pgsql/data | grep -E 'cluster state|TimeLineID'; cibadmin -Q -o constraints | md5sum", LAB.pg_bin()))
            .1
    };
    format!("{}{}", one("pm01"), one("pm02"))
}

fn refused(why: &str, says: &str) {
    let before = both();
    let (code, out) = pgrex("pm01", "switchover --yes");
    assert_eq!(code, 3, "{why}: exit 3 expected:\n{out}");
    assert!(out.contains(says), "{why}: {says:?} expected in:\n{out}");
    assert_eq!(both(), before, "{why}: the refusal changed something");
}

fn refusals() {
    // Maintenance mode.
    LAB.sh(
        "pm01",
        "crm_attribute -t crm_config -n maintenance-mode -v true",
    );
    refused("maintenance", "maintenance mode");
    LAB.sh("pm01", "crm_attribute -t crm_config -n maintenance-mode -D");
    LAB.eventually("out of maintenance", 60, || {
        status("pm01")["verdict"] == "HEALTHY"
    });
    // A leftover ban of an earlier switchover, on the standby (harmless to the cluster: the
    // promoted role only, as pgrex writes it, its role on the rule — `crm_resource --ban
    // --promoted --lifetime` would ban, and so stop, the whole instance there, Pacemaker
    // ignoring a rule-bearing constraint's own role).
    let xml = pgrex::ops::switchover::act::ban_xml(
        "pgsql-clone",
        "pm02",
        std::time::Duration::from_secs(600),
    );
    let (code, out) = LAB.sh(
        "pm01",
        &format!("cibadmin --create -o constraints -X '{xml}' 2>&1"),
    );
    assert_eq!(code, 0, "the leftover ban: {out}");
    refused(
        "leftover ban",
        "crm_resource --clear -r pgsql-clone -N pm02 --promoted",
    );
    LAB.sh(
        "pm01",
        "crm_resource --clear --promoted -r pgsql-clone -N pm02",
    );
    LAB.eventually("healthy after the clear", 60, || {
        status("pm01")["verdict"] == "HEALTHY"
    });
    // Another PG-REX operation on the peer (a Perl tool's PID in the lock file).
    LAB.sh("pm02", "setsid sh -c 'echo $$ > /var/run/pg-rex_tools.pid; exec sleep 120' </dev/null >/dev/null 2>&1 &");
    refused("lock on the peer", "another PG-REX operation");
    LAB.sh(
        "pm02",
        "kill $(cat /var/run/pg-rex_tools.pid); rm -f /var/run/pg-rex_tools.pid",
    );
    // The standby absent.
    let (c, out) = pgrex("pm02", "stop");
    assert_eq!(c, 0, "{out}");
    refused("standby absent", "not online");
    let (c, out) = pgrex("pm02", "standby-start -n");
    assert_eq!(c, 0, "{out}");
    assert_healthy("pm01", "pm02");
}
