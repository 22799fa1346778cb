//! `pgrex log` through the binary: the recorded lab logs as `--input` (text and NDJSON), the
//! window, and bad input (exit 2, one-screen error with a hint, nothing on stdout).

use crate::{pgrex, run_cmd};
use std::path::PathBuf;

fn logs(case: &str) -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/log")
        .join(case);
    [
        "pm01.pacemaker.log",
        "pm01.corosync.log",
        "pm02.pacemaker.log",
        "pm02.corosync.log",
    ]
    .iter()
    .flat_map(|f| ["--input".to_string(), dir.join(f).display().to_string()])
    .collect()
}

fn log(args: &[String]) -> (i32, String, String) {
    let mut c = pgrex();
    c.arg("log").args(args).env("TZ", "UTC");
    run_cmd(c)
}

#[test]
fn both_nodes_of_a_recorded_failover() {
    let (code, out, err) = log(&logs("pgsql-failure"));
    assert_eq!(code, 0, "{err}");
    let expected = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/log/pgsql-failure/expected.txt"),
    )
    .unwrap();
    pretty_assertions::assert_eq!(out, expected);
    assert!(out.contains("pm01   error: Start to fail-over.\n"));
    assert!(out.contains("pm02    info: Resource pgsql promoted. (rc=0) ok\n"));
}

#[test]
fn ndjson_one_event_per_line() {
    let mut a = logs("node-failure");
    a.extend(["--output-format".into(), "json".into()]);
    let (code, out, err) = log(&a);
    assert_eq!(code, 0, "{err}");
    let v: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(v.iter().all(|e| e["schema_version"] == 1));
    let lost = v.iter().find(|e| e["event"] == "node-lost").unwrap();
    assert_eq!(lost["node"], "pm02");
    assert_eq!(lost["target"], "pm01");
    assert_eq!(lost["fault"], "node-failure");
    assert_eq!(lost["priority"], "warning");
    assert!(lost["file"]
        .as_str()
        .unwrap()
        .ends_with("pm02.pacemaker.log"));
    assert!(lost["line"].as_u64().unwrap() > 0);
    assert!(v
        .iter()
        .any(|e| e["event"] == "failover-ok" && e["node"] == "pm02"));
}

#[test]
fn the_window_and_the_raw_lines() {
    let mut a = logs("vip-rep-failure");
    a.extend(
        [
            "--since",
            "2026-12-01T08:28:48.8Z",
            "--until",
            "2026-12-01 08:28:48.95",
            "--raw",
        ]
        .map(String::from),
    );
    let (code, out, err) = log(&a);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0]
        .contains("Requesting local execution of stop operation for ipaddr-replication on pm01"));
    let mut a = logs("vip-rep-failure");
    a.extend(["--node", "pm02"].map(String::from));
    let (_, out, err) = log(&a);
    assert!(out.is_empty(), "pm02 wrote no event: {out}");
    assert!(err.contains("no cluster event"), "{err}");
}

#[test]
fn bad_times_and_files() {
    let mut a = logs("vip-rep-failure");
    a.extend(["--since", "yesterday"].map(String::from));
    let (code, out, err) = log(&a);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.starts_with("error: ") && err.contains("\"yesterday\"") && err.contains("hint: "),
        "{err}"
    );
    let (code, out, err) = log(&["--input".into(), "/nonexistent/pacemaker.log".into()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("/nonexistent/pacemaker.log") && err.contains("hint: "),
        "{err}"
    );
}
