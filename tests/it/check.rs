//! `pgrex check`, the monitoring plugin: its exit code (0 OK, 1 WARNING, 2 CRITICAL,
//! 3 UNKNOWN), its one stdout line and its performance data, on the recorded fixtures
//! (tests/fixtures/status/README.md) and on failures before any judgement.

use crate::inputs::replaying_crm_mon;
use crate::{fixture, pgrex, run, run_cmd};

fn check_input(rel: &str) -> (i32, String, String) {
    let path = fixture(rel);
    run(&["check", "--input", path.to_str().unwrap()])
}

/// One line, the plugin's shape, every perfdata label present.
fn assert_plugin_line(out: &str, state: &str) {
    assert_eq!(out.lines().count(), 1, "one line: {out}");
    assert!(out.starts_with(&format!("PGREX {state} - ")), "{out}");
    let (_, perf) = out.split_once(" | ").expect("perfdata after ` | `");
    for label in [
        "nodes_online=",
        "lag_bytes=",
        "failcounts=",
        "fence_events=",
    ] {
        assert!(perf.contains(label), "{label} missing: {perf}");
    }
    assert_eq!(out.matches('|').count(), 1, "{out}");
}

#[test]
fn healthy_is_ok_with_perfdata() {
    let (c, o, e) = check_input("status/pgrex17/healthy.xml");
    assert_eq!(c, 0, "{o}{e}");
    assert_plugin_line(&o, "OK");
    assert!(o.contains("HEALTHY: PG-REX normal state"), "{o}");
    assert!(o.contains("nodes_online=2;;;0;2 "), "{o}");
    assert!(o.contains("failcounts=0;;;0"), "{o}");
    // An input file has no PostgreSQL reading: the lag cannot be determined.
    assert!(o.contains("lag_bytes=U;;;0"), "{o}");
    assert!(e.is_empty(), "{e}");
}

#[test]
fn degraded_is_a_warning() {
    for rel in [
        "status/pgrex17/no-standby.xml",
        "status/pgrex17/maintenance.xml",
        "status/seed/no-standby.xml",
    ] {
        let (c, o, _) = check_input(rel);
        assert_eq!(c, 1, "{rel}: {o}");
        assert_plugin_line(&o, "WARNING");
        assert!(o.contains("DEGRADED: "), "{o}");
    }
}

#[test]
fn a_fault_is_critical_and_counts_what_it_saw() {
    let (c, o, _) = check_input("status/pgrex17/fenced.xml");
    assert_eq!(c, 2, "{o}");
    assert_plugin_line(&o, "CRITICAL");
    assert!(o.contains("nodes_online=1;;;0;2 "), "{o}");
    assert!(o.contains("fence_events=1;;;0"), "{o}");
    let (c, o, _) = check_input("status/pgrex17/failed-over.xml");
    assert_eq!(c, 2, "{o}");
    assert!(o.contains("failcounts=1;;;0"), "{o}");
    let (c, o, _) = check_input("status/pgrex17/no-primary.xml");
    assert_eq!(c, 2, "{o}");
    assert!(o.contains("FAULT: no node is primary"), "{o}");
}

/// The plugin's verdict is status's: the same fixture, the same verdict word.
#[test]
fn the_verdict_is_the_one_of_status() {
    for state in [
        "healthy",
        "no-standby",
        "unclean",
        "promoted-both",
        "storage-red",
    ] {
        let path = fixture(&format!("status/pgrex17/{state}.xml"));
        let p = path.to_str().unwrap();
        let (_, st, _) = run(&["status", "--output-format", "json", "--input", p]);
        let v: serde_json::Value = serde_json::from_str(&st).unwrap();
        let (_, o, _) = run(&["check", "--input", p]);
        let word = v["verdict"].as_str().unwrap();
        assert!(o.contains(&format!(" - {word}: ")), "{state}: {o}");
    }
}

#[test]
fn a_usage_error_is_unknown() {
    let (c, o, e) = run(&["check", "--no-such-flag"]);
    assert_eq!(c, 3, "{o}{e}");
    assert_plugin_line(&o, "UNKNOWN");
    assert!(o.contains("--no-such-flag"), "{o}");
    assert!(e.contains("Usage: pgrex check"), "{e}");
    // The same mistake elsewhere keeps pgrex's own usage code.
    assert_eq!(run(&["status", "--no-such-flag"]).0, 2);
}

#[test]
fn an_unreadable_input_is_unknown() {
    let (c, o, e) = run(&["check", "--input", "/nonexistent/cluster.xml"]);
    assert_eq!(c, 3, "{o}{e}");
    assert_plugin_line(&o, "UNKNOWN");
    assert!(e.contains("error: /nonexistent/cluster.xml"), "{e}");
}

#[test]
fn a_cluster_that_cannot_be_observed_is_unknown() {
    let d = tempfile::tempdir().unwrap();
    let rc: i32 = std::fs::read_to_string(fixture("status/errors/not-running.rc"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let crm_mon = replaying_crm_mon(&d, "status/errors/not-running.xml", rc);
    let mut c = pgrex();
    c.args(["check"]).env("PGREX_CRM_MON", &crm_mon);
    let (code, o, e) = run_cmd(c);
    assert_eq!(code, 3, "{o}{e}");
    assert_plugin_line(&o, "UNKNOWN");
    assert!(o.contains("UNKNOWN: the cluster cannot be observed"), "{o}");
    // Without crm_mon at all: UNKNOWN too (status says exit 2, a plugin says 3).
    let mut c = pgrex();
    c.args(["check"])
        .env("PGREX_CRM_MON", "/nonexistent/crm_mon");
    let (code, o, _) = run_cmd(c);
    assert_eq!(code, 3, "{o}");
    assert_plugin_line(&o, "UNKNOWN");
}

#[test]
fn json_carries_the_state_and_the_line() {
    let path = fixture("status/pgrex17/no-standby.xml");
    let (c, o, _) = run(&[
        "check",
        "--output-format",
        "json",
        "--input",
        path.to_str().unwrap(),
    ]);
    assert_eq!(c, 1);
    let v: serde_json::Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["state"], "WARNING");
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["verdict"], "DEGRADED");
    assert_eq!(v["perf"]["nodes_online"], 2);
    assert!(v["line"].as_str().unwrap().starts_with("PGREX WARNING"));
}

/// A snapshot saved on the lab's primary carries PostgreSQL's reading: the lag is known.
#[test]
fn the_lag_comes_from_postgresql() {
    let (c, o, _) = check_input("live/snapshot.healthy.pm01.json");
    assert_eq!(c, 0, "{o}");
    assert!(o.contains("lag_bytes=0B;;;0"), "{o}");
    assert!(o.contains("fence_events=0;;;0"), "{o}");
}
