//! `pgrex cleanup`: the plan, the refusal while a cause is visible (recorded fixtures via
//! `--input`), and the live flow through the exec seam with recorded crm_mon output:
//! `PGREX_CRM_MON` replays the fault state until the (recording) `crm_resource` has been run,
//! then the healthy state, so the confirmation rules, the exact cleanup command, the re-read
//! and the journal are checked without a cluster (the lab tests cover a real one). Output is
//! the operations' shared format: numbered steps on stderr, NDJSON events with `--output-format
//! json` (docs/json.md, "Operation events"). The numbered steps and the plan go to stdout;
//! warnings, prompts and errors to stderr (CONTRACTS "Output streams").

use crate::{fixture, pgrex, run_cmd};
use serde_json::Value;
use std::path::Path;

fn input(rel: &str, extra: &[&str]) -> (i32, String, String) {
    let mut c = pgrex();
    c.args(["cleanup", "--color", "never", "--input"])
        .arg(fixture(rel))
        .args(extra);
    run_cmd(c)
}

/// Every stdout line is one JSON event with the stream's schema version.
fn events(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            assert_eq!(v["schema_version"], 1, "{l}");
            v
        })
        .collect()
}

fn finished<'a>(ev: &'a [Value], title: &str) -> &'a Value {
    ev.iter()
        .find(|e| e["event"] == "step_finished" && e["title"] == title)
        .unwrap_or_else(|| panic!("no step {title}"))
}

#[test]
fn refuses_while_the_vip_is_still_failed() {
    for p in ["seed", "pgrex17"] {
        let (code, out, err) = input(&format!("diagnose/{p}/vip-rep-stopped.xml"), &[]);
        assert_eq!(code, 3, "{err}");
        assert!(
            out.contains("will clear:") && out.contains("on pm01  fail-count 2"),
            "{out}"
        );
        assert!(
            err.contains("warning: the cause is still visible:\n     ")
                && err.contains("still FAILED on pm01"),
            "the causes go with their warning: {err}"
        );
        assert!(
            out.contains("2. Checking that the cause of the failure is gone\n")
                && out.ends_with("...[NG]\n"),
            "{out}"
        );
        assert!(
            err.contains("warning: the cause is still visible")
                && err.contains("error: refusing to clean up")
                && err.contains("--force")
                && !err.contains("[NG]"),
            "{err}"
        );
        // --force lets the plan through (and --input never changes anything).
        let (code, out, err) = input(&format!("diagnose/{p}/vip-rep-stopped.xml"), &["--force"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("...[SKIP] (--force)"), "{out}");
        assert!(out.ends_with("dry run: nothing was changed\n"), "{out}");
    }
}

#[test]
fn refusal_human_output() {
    let (code, out, err) = input("diagnose/pgrex17/vip-rep-stopped.xml", &[]);
    insta::assert_snapshot!(format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}"));
}

#[test]
fn refusal_in_json_is_ndjson_ending_with_the_result() {
    let (code, out, _) = input(
        "diagnose/pgrex17/vip-rep-stopped.xml",
        &["--output-format", "json"],
    );
    assert_eq!(code, 3);
    let ev = events(&out);
    assert_eq!(ev[0]["event"], "step_started");
    assert_eq!(ev[0]["step"], 1);
    let check = finished(&ev, "Checking that the cause of the failure is gone");
    assert_eq!(check["step"], 2);
    assert_eq!(check["outcome"], "NG");
    let last = ev.last().unwrap();
    assert_eq!(last["event"], "result");
    assert_eq!(last["exit_code"], 3);
    assert_eq!(last["blockers"][0]["resource"], "ipaddr-replication");
    assert_eq!(last["targets"][0]["fail_count"], 2);
}

#[test]
fn plan_only_nothing_and_unknown_names() {
    let (code, out, err) = input("diagnose/pgrex17/vip-rep-failure.xml", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "ipaddr-replication on pm01  fail-count 1  failed: ipaddr-replication_monitor_10000"
        ),
        "{out}"
    );
    assert!(
        out.contains("3. Clearing ipaddr-replication on pm01\n...[SKIP] (dry run) would run crm_resource --cleanup --resource ipaddr-replication --node pm01\n"),
        "{out}"
    );
    assert!(out.ends_with("dry run: nothing was changed\n"), "{out}");
    // In JSON the described step says what it would do in a field of its own.
    let (_, out, _) = input(
        "diagnose/pgrex17/vip-rep-failure.xml",
        &["--output-format", "json"],
    );
    let clear = finished(&events(&out), "Clearing ipaddr-replication on pm01").clone();
    assert_eq!(clear["outcome"], "SKIP");
    assert_eq!(clear["detail"], "dry run");
    assert_eq!(
        clear["would"],
        "run crm_resource --cleanup --resource ipaddr-replication --node pm01"
    );
    let (code, out, _) = input("status/seed/healthy.xml", &[]);
    assert_eq!(code, 0);
    assert!(out.contains("nothing to clean up"), "{out}");
    assert!(!out.contains("2. "), "no step after the read: {out}");
    let (code, out, err) = input("status/seed/healthy.xml", &["no-such-rsc"]);
    assert_eq!(code, 2);
    assert!(out.ends_with("...[NG]\n"), "{out}");
    assert!(
        err.starts_with("error: ")
            && err.contains("no resource no-such-rsc")
            && err.contains("vip-rep"),
        "{err}"
    );
}

/// Scripts standing in for crm_mon, cibadmin and crm_resource (see the module doc) that
/// replay `vip-rep-failure` of `profile` until `crm_resource` (exiting `resource_exit`) has
/// run; the lock and the journal go to `dir` too.
pub(crate) fn replay(dir: &Path, profile: &str, resource_exit: u8) -> assert_cmd::Command {
    let fault = format!("diagnose/{profile}/vip-rep-failure.xml");
    let healthy = format!("status/{profile}/healthy.xml");
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
            fixture(&healthy).display(),
            fixture(&fault).display()
        ),
    );
    let cib = w("cibadmin", "echo 'not recorded' >&2; exit 1".into());
    let res = w(
        "crm_resource",
        if resource_exit == 0 {
            format!("echo \"$@\" >> {d}/calls; touch {d}/cleaned")
        } else {
            format!("echo \"$@\" >> {d}/calls; echo 'could not connect' >&2; exit {resource_exit}")
        },
    );
    let mut c = pgrex();
    c.env("PGREX_CRM_MON", mon)
        .env("PGREX_CIBADMIN", cib)
        .env("PGREX_CRM_RESOURCE", res)
        .env("PGREX_LOCK_FILE", dir.join("lock"))
        .env("PGREX_JOURNAL_DIR", dir.join("journal"))
        .args(["cleanup", "--color", "never"]);
    c
}

pub(crate) fn calls(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("calls")).unwrap_or_default()
}

/// `pgrex cleanup ARGS` against the replay (with `PGREX_YES` set when `yes_env`).
fn live(
    profile: &str,
    resource_exit: u8,
    args: &[&str],
    yes_env: bool,
) -> (tempfile::TempDir, i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = replay(dir.path(), profile, resource_exit);
    c.args(args);
    if yes_env {
        c.env("PGREX_YES", "1");
    }
    let (code, out, err) = run_cmd(c);
    (dir, code, out, err)
}

/// The journals written under `dir`.
pub(crate) fn journals(dir: &Path) -> Vec<Value> {
    let Ok(rd) = std::fs::read_dir(dir.join("journal")) else {
        return Vec::new();
    };
    rd.map(|e| {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        serde_json::from_str(&text).unwrap()
    })
    .collect()
}

/// `dir` stands in the output (the replay scripts' paths): make it stable for snapshots.
fn redact(s: &str, dir: &Path) -> String {
    s.replace(&dir.display().to_string(), "[DIR]")
}

#[test]
fn off_a_terminal_without_yes_it_refuses_and_names_the_flag() {
    let (dir, code, _, err) = live("pgrex17", 0, &[], false);
    assert_eq!(code, 3, "{err}");
    assert!(
        err.contains("confirmation needed but no terminal to ask on: Clear these")
            && err.contains("--yes")
            && err.contains("PGREX_YES"),
        "{err}"
    );
    assert_eq!(calls(dir.path()), "", "nothing may be run");
    let j = journals(dir.path());
    assert_eq!(j.len(), 1);
    assert_eq!(j[0]["state"], "failed");
    assert_eq!(j[0]["change_begun"], false);
}

#[test]
fn dry_run_changes_nothing() {
    let (dir, code, out, err) = live("pgrex17", 0, &["--dry-run", "--yes"], false);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("dry run: nothing was changed\n"), "{out}");
    assert_eq!(calls(dir.path()), "");
    assert!(
        journals(dir.path()).is_empty(),
        "a dry run writes no journal"
    );
}

#[test]
fn with_yes_it_clears_through_crm_resource_and_verifies() {
    for how in ["flag", "env"] {
        let (dir, code, out, err) = match how {
            "flag" => live(
                "pgrex17",
                0,
                &["ipaddr-replication", "--node", "pm01", "--yes"],
                false,
            ),
            _ => live("pgrex17", 0, &[], true),
        };
        assert_eq!(code, 0, "{how}: {out}{err}");
        assert_eq!(
            calls(dir.path()),
            "--cleanup --resource ipaddr-replication --node pm01\n"
        );
        assert!(
            out.contains("4. Re-reading the cluster\n...[OK]\ncleared: no fail-count or failed action remains"),
            "{out}"
        );
        assert!(
            err.contains("? yes (--yes)") && !err.contains("...["),
            "only the prompt's echo on stderr ({how}): {err}"
        );
        let j = journals(dir.path());
        assert_eq!(j.len(), 1, "{how}");
        assert_eq!(j[0]["operation"], "cleanup");
        assert_eq!(j[0]["state"], "done");
        assert_eq!(j[0]["last_completed_step"], 4);
        assert_eq!(j[0]["steps"][2]["changed"], true);
    }
}

#[test]
fn live_run_human_output() {
    let (dir, code, out, err) = live("pgrex17", 0, &["--yes"], false);
    let (out, err) = (redact(&out, dir.path()), redact(&err, dir.path()));
    insta::assert_snapshot!(format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}"));
}

#[test]
fn live_run_json_events() {
    let (dir, code, out, err) = live("seed", 0, &["--yes", "--output-format", "json"], false);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let ev = events(&out);
    let last = ev.last().unwrap();
    assert_eq!(last["event"], "result");
    assert_eq!(last["remaining"], serde_json::json!([]));
    insta::assert_snapshot!(redact(&out, dir.path()));
}

#[test]
fn a_failed_crm_resource_stops_part_way_naming_the_journal() {
    let (dir, code, out, err) = live("pgrex17", 1, &["--yes"], false);
    assert_eq!(code, 6, "{err}");
    assert!(
        out.contains("3. Clearing ipaddr-replication on pm01") && out.ends_with("...[NG]\n"),
        "{out}"
    );
    assert!(
        err.contains("error: stopped at step 3")
            && err.contains("could not connect")
            && err.contains("pgrex diagnose")
            && err.contains(&dir.path().join("journal").display().to_string()),
        "{err}"
    );
    let j = journals(dir.path());
    assert_eq!(j[0]["state"], "failed");
    assert_eq!(j[0]["change_begun"], true);
    assert_eq!(j[0]["last_completed_step"], 2);
}

#[test]
fn json_mode_never_prompts() {
    let (dir, code, out, _) = live("seed", 0, &["--output-format", "json"], false);
    assert_eq!(code, 3);
    let ev = events(&out);
    let refused = ev.iter().find(|e| e["event"] == "prompt_refused").unwrap();
    assert_eq!(
        refused["question"],
        "Clear these fail-counts and failed actions?"
    );
    assert_eq!(ev.last().unwrap()["exit_code"], 3);
    assert_eq!(calls(dir.path()), "");
}
