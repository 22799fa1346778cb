//! CLI tests of the operation commands that need no cluster: the lock, the "already
//! stopped" path through a scripted `systemctl` (PGREX_SYSTEMCTL), the NDJSON stream, the
//! aliases, which stream carries the steps. The paths that act on a cluster are lab tests
//! (lab/tests/ops).

use crate::{fixture, pgrex};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The pgrex17 fixture with one of this host's addresses as "mine" on the D-LAN and the
/// (single) interconnect ring.
pub(crate) fn config(dir: &Path) -> std::path::PathBuf {
    let me = pgrex::config::local_addresses()
        .unwrap()
        .into_iter()
        .find(|a| a.is_ipv4())
        .expect("an IPv4 address on this host");
    let text = std::fs::read_to_string(fixture("config/pgrex17.conf"))
        .unwrap()
        .replace(
            "198.51.100.11 , 198.51.100.12",
            &format!("{me} , 198.51.100.12"),
        )
        .replace(
            "(203.0.113.11, 203.0.113.12) , (203.0.113.139, 203.0.113.140)",
            &format!("({me}, 203.0.113.12)"),
        );
    let p = dir.join("pg-rex_tools.conf");
    std::fs::write(&p, text).unwrap();
    p
}

/// A `systemctl` that says every unit is inactive.
pub(crate) fn systemctl_inactive(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("systemctl");
    std::fs::write(&p, "#!/bin/sh\necho inactive\nexit 3\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

pub(crate) fn is_root() -> bool {
    nix_free_euid() == 0
}

/// The effective uid from /proc (no extra dev-dependency).
fn nix_free_euid() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(str::to_string))
        })
        .and_then(|u| u.parse().ok())
        .unwrap_or(u32::MAX)
}

/// `pgrex [ARGS] stop` on a node whose Pacemaker is already stopped (a replayed systemctl),
/// with the lock file and the journals under `dir`.
fn stop_stopped(dir: &Path, args: &[&str]) -> std::process::Output {
    pgrex()
        .args(args)
        .arg("--config")
        .arg(config(dir))
        .arg("stop")
        .env("PGREX_SYSTEMCTL", systemctl_inactive(dir))
        .env("PGREX_LOCK_FILE", dir.join("lock.pid"))
        .env("PGREX_JOURNAL_DIR", dir.join("journal"))
        .output()
        .unwrap()
}

#[test]
fn stop_when_pacemaker_is_stopped_says_so_and_exits_0_with_a_json_result() {
    if !is_root() {
        eprintln!("skipped: operations refuse to run as non-root (tested by non_root_is_refused)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = stop_stopped(dir.path(), &["--output-format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let events: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["event"], "step_started");
    assert_eq!(events[1]["event"], "step_finished");
    assert_eq!(events[1]["outcome"], "OK");
    let last = events.last().unwrap();
    assert_eq!(last["event"], "result");
    assert_eq!(last["exit_code"], 0);
    assert_eq!(last["stopped"], "already_stopped");
    assert_eq!(last["schema_version"], 1);
    // The lock is released (its file stays, emptied: never unlinked) and the journal says done.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("lock.pid")).unwrap(),
        ""
    );
    let j = std::fs::read_dir(dir.path().join("journal"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(j).unwrap()).unwrap();
    assert_eq!(j["state"], "done");
    assert_eq!(j["operation"], "stop");
}

#[test]
fn the_numbered_steps_and_the_closing_line_go_to_stdout() {
    if !is_root() {
        eprintln!("skipped: operations refuse to run as non-root (tested by non_root_is_refused)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = stop_stopped(dir.path(), &["--color", "never"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("1. Checking Pacemaker and Corosync are running\n...[OK]\n")
            && stdout.contains("already stopped"),
        "{stdout}"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "CONTRACTS: the run's record is stdout"
    );
}

#[test]
fn a_held_lock_refuses_with_the_holder_named() {
    if !is_root() {
        eprintln!("skipped: needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("lock.pid");
    let _held = pgrex::ops::lock::PidLock::acquire(&lock).unwrap();
    let out = pgrex()
        .arg("--config")
        .arg(config(dir.path()))
        .arg("stop")
        .env("PGREX_SYSTEMCTL", systemctl_inactive(dir.path()))
        .env("PGREX_LOCK_FILE", &lock)
        .env("PGREX_JOURNAL_DIR", dir.path().join("journal"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("(PID {})", std::process::id())),
        "{err}"
    );
    assert!(!dir.path().join("journal").exists(), "nothing was started");
}

#[test]
fn a_missing_configuration_is_a_usage_error() {
    if !is_root() {
        return;
    }
    let out = pgrex()
        .args([
            "--config",
            "/nonexistent/pg-rex_tools.conf",
            "standby-start",
            "-c",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_perl_era_names_are_aliases() {
    for (alias, flag) in [
        ("slave-start", "--basebackup"),
        ("master-start", "--remove-lock"),
    ] {
        let out = pgrex().args([alias, "--help"]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(flag),
            "{alias}"
        );
    }
}

#[test]
fn combined_short_flags_parse() {
    // The Perl tools did not bundle (-nr was an unknown option); clap does.
    let out = pgrex()
        .args(["standby-start", "-nrb", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn journal_lists_an_operation_and_shows_it_step_by_step() {
    if !is_root() {
        eprintln!("skipped: operations refuse to run as non-root (tested by non_root_is_refused)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let journals = dir.path().join("journal");
    let out = stop_stopped(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let list = pgrex()
        .arg("journal")
        .env("PGREX_JOURNAL_DIR", &journals)
        .output()
        .unwrap();
    assert_eq!(list.status.code(), Some(0), "{list:?}");
    let text = String::from_utf8_lossy(&list.stdout);
    let line = text.lines().next().unwrap();
    let name = line.split_whitespace().next().unwrap();
    assert!(
        name.starts_with("stop-") && name.ends_with(".json"),
        "{text}"
    );
    assert!(
        line.contains("  stop  ") && line.contains("  done  last: 1. "),
        "{text}"
    );
    assert!(!line.contains("unfinished"), "{text}");
    let one = pgrex()
        .args(["journal", name])
        .env("PGREX_JOURNAL_DIR", &journals)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(text.starts_with(&format!("{name}: stop on ")), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("  1. ") && l.contains("[OK]")),
        "{text}"
    );
    let json = pgrex()
        .args(["--output-format", "json", "journal"])
        .env("PGREX_JOURNAL_DIR", &journals)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["journals"][0]["journal"], name);
    assert_eq!(doc["journals"][0]["unfinished"], false);
    let missing = pgrex()
        .args(["journal", "nope.json"])
        .env("PGREX_JOURNAL_DIR", &journals)
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2), "{missing:?}");
}
