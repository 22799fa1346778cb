//! `pgrex cleanup`: the plan, the refusal while a cause is visible (recorded fixtures via
//! `--input`), and the live flow through the exec seam with recorded crm_mon output:
//! `PGREX_CRM_MON` replays the fault state until the (recording) `crm_resource` has been run,
//! then the healthy state, so the confirmation rules, the exact cleanup command and the
//! re-read are checked without a cluster (the lab tests cover a real one).

use crate::{fixture, pgrex};
use serde_json::Value;
use std::path::Path;

fn run_cmd(mut c: assert_cmd::Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn input(rel: &str, extra: &[&str]) -> (i32, String, String) {
    let mut c = pgrex();
    c.args(["cleanup", "--color", "never", "--input"])
        .arg(fixture(rel))
        .args(extra);
    run_cmd(c)
}

#[test]
fn refuses_while_the_vip_is_still_failed() {
    for p in ["seed", "pgrex17"] {
        let (code, out, err) = input(&format!("diagnose/{p}/vip-rep-stopped.xml"), &[]);
        assert_eq!(code, 3, "{out}{err}");
        assert!(
            out.contains("will clear:") && out.contains("on pm01  fail-count 2"),
            "{out}"
        );
        assert!(out.contains("still FAILED on pm01"), "{out}");
        assert!(
            err.contains("refusing to clean up") && err.contains("--force"),
            "{err}"
        );
        // --force lets the plan through (and --input never changes anything).
        let (code, out, _) = input(&format!("diagnose/{p}/vip-rep-stopped.xml"), &["--force"]);
        assert_eq!(code, 0);
        assert!(out.contains("dry run"), "{out}");
    }
}

#[test]
fn refusal_in_json_is_ndjson_ending_with_the_result() {
    let (code, out, err) = input(
        "diagnose/pgrex17/vip-rep-stopped.xml",
        &["--output-format", "json"],
    );
    assert_eq!(code, 3);
    assert!(err.is_empty(), "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["event"], "step_started");
    let last = lines.last().unwrap();
    assert_eq!(last["event"], "result");
    assert_eq!(last["exit_code"], 3);
    let check = lines
        .iter()
        .find(|l| l["step"] == "check" && l["event"] == "step_finished")
        .unwrap();
    assert_eq!(check["ok"], false);
    assert_eq!(check["blockers"][0]["resource"], "ipaddr-replication");
}

#[test]
fn plan_only_nothing_and_unknown_names() {
    let (code, out, _) = input("diagnose/pgrex17/vip-rep-failure.xml", &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "ipaddr-replication on pm01  fail-count 1  failed: ipaddr-replication_monitor_10000"
        ),
        "{out}"
    );
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    let (code, out, _) = input("status/seed/healthy.xml", &[]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to clean up"), "{out}");
    let (code, _, err) = input("status/seed/healthy.xml", &["no-such-rsc"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no resource no-such-rsc") && err.contains("vip-rep"),
        "{err}"
    );
}

/// Scripts standing in for crm_mon, cibadmin and crm_resource (see the module doc).
fn replay(dir: &Path, fault: &str, healthy: &str) -> assert_cmd::Command {
    let w = |name: &str, body: String| {
        let p = dir.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    };
    let d = dir.display();
    let mon = w(
        "crm_mon",
        format!(
            "if [ -e {d}/cleaned ]; then cat '{}'; else cat '{}'; fi",
            fixture(healthy).display(),
            fixture(fault).display()
        ),
    );
    let cib = w("cibadmin", "echo 'not recorded' >&2; exit 1".into());
    let res = w(
        "crm_resource",
        format!("echo \"$@\" >> {d}/calls; touch {d}/cleaned"),
    );
    let mut c = pgrex();
    c.env("PGREX_CRM_MON", mon)
        .env("PGREX_CIBADMIN", cib)
        .env("PGREX_CRM_RESOURCE", res)
        .args(["cleanup", "--color", "never"]);
    c
}

fn calls(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("calls")).unwrap_or_default()
}

#[test]
fn off_a_terminal_without_yes_it_refuses_and_names_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let c = replay(
        dir.path(),
        "diagnose/pgrex17/vip-rep-failure.xml",
        "status/pgrex17/healthy.xml",
    );
    let (code, _, err) = run_cmd(c);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("--yes") && err.contains("PGREX_YES"), "{err}");
    assert_eq!(calls(dir.path()), "", "nothing may be run");
}

#[test]
fn dry_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = replay(
        dir.path(),
        "diagnose/pgrex17/vip-rep-failure.xml",
        "status/pgrex17/healthy.xml",
    );
    c.args(["--dry-run", "--yes"]);
    let (code, out, err) = run_cmd(c);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dry run"), "{out}");
    assert_eq!(calls(dir.path()), "");
}

#[test]
fn with_yes_it_clears_through_crm_resource_and_verifies() {
    for how in ["flag", "env"] {
        let dir = tempfile::tempdir().unwrap();
        let mut c = replay(
            dir.path(),
            "diagnose/pgrex17/vip-rep-failure.xml",
            "status/pgrex17/healthy.xml",
        );
        match how {
            "flag" => c.args(["ipaddr-replication", "--node", "pm01", "--yes"]),
            _ => c.env("PGREX_YES", "1"),
        };
        let (code, out, err) = run_cmd(c);
        assert_eq!(code, 0, "{how}: {out}{err}");
        assert_eq!(
            calls(dir.path()),
            "--cleanup --resource ipaddr-replication --node pm01\n"
        );
        assert!(
            out.contains("cleared: no fail-count or failed action remains"),
            "{out}"
        );
    }
}

#[test]
fn json_mode_never_prompts() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = replay(
        dir.path(),
        "diagnose/seed/vip-rep-failure.xml",
        "status/seed/healthy.xml",
    );
    c.args(["--output-format", "json"]);
    let (code, out, _) = run_cmd(c);
    assert_eq!(code, 3);
    assert!(out.contains("\"event\":\"prompt_refused\""), "{out}");
    assert_eq!(calls(dir.path()), "");
}
