//! Bad input, broken configuration and an unobservable cluster: a one-screen error naming the
//! problem, the documented exit code, never a panic.

use crate::{fixture, pgrex, run_cmd};
use std::os::unix::fs::PermissionsExt;

fn run_status(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = pgrex();
    c.arg("status").args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    run_cmd(c)
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn assert_one_screen_error(code: i32, out: &str, err: &str, needle: &str) {
    assert_eq!(code, 2, "stderr: {err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains(needle),
        "stderr should mention {needle:?}: {err}"
    );
    assert!(err.lines().count() <= 24, "one screen: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn missing_input_file() {
    let (c, o, e) = run_status(&["--input", "/nonexistent/crm_mon.xml"], &[]);
    assert_one_screen_error(c, &o, &e, "/nonexistent/crm_mon.xml");
}

#[test]
fn malformed_xml() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        &d,
        "bad.xml",
        "<pacemaker-result><summary><nodes_configured number=\"2\"</summary>",
    );
    let (c, o, e) = run_status(&["--input", &f], &[]);
    assert_one_screen_error(c, &o, &e, "bad.xml");
}

#[test]
fn truncated_recording() {
    let d = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(fixture("status/pgrex17/healthy.xml")).unwrap();
    let f = write(&d, "cut.xml", &full[..full.len() / 2]);
    let (c, o, e) = run_status(&["--input", &f], &[]);
    assert_one_screen_error(c, &o, &e, "cut.xml");
}

#[test]
fn xml_that_is_not_pacemaker() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        &d,
        "pom.xml",
        "<?xml version=\"1.0\"?><project><modelVersion>4.0.0</modelVersion></project>",
    );
    let (c, o, e) = run_status(&["--input", &f], &[]);
    assert_one_screen_error(c, &o, &e, "pom.xml");
}

#[test]
fn empty_file() {
    let d = tempfile::tempdir().unwrap();
    let f = write(&d, "empty.xml", "");
    let (c, o, e) = run_status(&["--input", &f], &[]);
    assert_one_screen_error(c, &o, &e, "empty.xml");
}

#[test]
fn broken_config_names_file_line_and_key() {
    let conf = fixture("config/broken-dlan-three.conf");
    let (c, o, e) = run_status(&["--config", conf.to_str().unwrap()], &[]);
    assert_one_screen_error(c, &o, &e, "broken-dlan-three.conf:1");
    assert!(e.contains("D_LAN_IPAddress"), "{e}");
    assert!(e.contains("hint: "), "{e}");
}

#[test]
fn explicit_config_that_does_not_exist() {
    let (c, o, e) = run_status(&[], &[("PGREX_CONFIG", "/nonexistent/pg-rex_tools.conf")]);
    assert_one_screen_error(c, &o, &e, "/nonexistent/pg-rex_tools.conf");
}

#[test]
fn no_pacemaker_installed_says_so() {
    let (c, o, e) = run_status(&[], &[("PGREX_CRM_MON", "/nonexistent/crm_mon")]);
    assert_one_screen_error(c, &o, &e, "crm_mon");
    assert!(
        e.contains("--input"),
        "the hint offers offline analysis: {e}"
    );
}

/// A stand-in for crm_mon that replays a recording: the real output of
/// `crm_mon --output-as=xml -1 --inactive` where Pacemaker is installed but not running.
pub(crate) fn replaying_crm_mon(dir: &tempfile::TempDir, fixture_rel: &str, rc: i32) -> String {
    let xml = fixture(fixture_rel);
    let p = dir.path().join("crm_mon");
    std::fs::write(
        &p,
        format!("#!/bin/sh\ncat '{}'\nexit {rc}\n", xml.display()),
    )
    .unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn pacemaker_not_running_is_unknown_with_why() {
    let d = tempfile::tempdir().unwrap();
    let rc: i32 = std::fs::read_to_string(fixture("status/errors/not-running.rc"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let crm_mon = replaying_crm_mon(&d, "status/errors/not-running.xml", rc);
    let (c, o, e) = run_status(&[], &[("PGREX_CRM_MON", &crm_mon)]);
    assert_eq!(c, 1, "UNKNOWN exits 1: {o}{e}");
    assert!(o.starts_with("UNKNOWN"), "{o}");
    assert!(
        o.contains("Connection refused") || o.contains("not running"),
        "says why: {o}"
    );
    let (c, o, _) = run_status(&["--output-format", "json"], &[("PGREX_CRM_MON", &crm_mon)]);
    assert_eq!(c, 1);
    let v: serde_json::Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["verdict"], "UNKNOWN");
}

/// A stand-in for any program that prints a recorded file and exits 0.
fn replaying(dir: &tempfile::TempDir, name: &str, fixture_rel: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(
        &p,
        format!("#!/bin/sh\ncat '{}'\n", fixture(fixture_rel).display()),
    )
    .unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn live_view_through_crm_mon() {
    let d = tempfile::tempdir().unwrap();
    let crm_mon = replaying_crm_mon(&d, "status/pgrex17/healthy.xml", 0);
    let links = replaying(
        &d,
        "corosync-cfgtool",
        "live/corosync-cfgtool-s.healthy.txt",
    );
    let fencer = replaying(&d, "stonith_admin", "live/stonith_admin-history.empty.xml");
    let envs = [
        ("PGREX_CRM_MON", crm_mon.as_str()),
        ("PGREX_COROSYNC_CFGTOOL", links.as_str()),
        ("PGREX_STONITH_ADMIN", fencer.as_str()),
        ("PGREX_CIBADMIN", "/nonexistent/cibadmin"),
        ("PGREX_SYSTEMD_ROOT", "/nonexistent"),
    ];
    let (c, o, e) = run_status(&[], &envs);
    assert_eq!(c, 0, "{o}{e}");
    assert!(o.starts_with("HEALTHY"), "{o}");
    assert!(
        o.contains("link 1   203.0.113.139    pm02 connected"),
        "{o}"
    );
    let (_, o, _) = run_status(&["--output-format", "json"], &envs);
    let v: serde_json::Value = serde_json::from_str(&o).unwrap();
    assert_eq!(v["links"].as_array().unwrap().len(), 2);
    assert_eq!(v["links"][0]["peers"][1]["node"], "pm02");
    assert_eq!(v["fence_history"], serde_json::json!([]));
    assert!(
        v["daemons"].is_null(),
        "systemctl unavailable: unknown, not guessed"
    );
}

/// A snapshot saved by an editor that writes a UTF-8 byte-order mark reads as the same
/// snapshot: one detection decides what an input is, and it skips the mark.
#[test]
fn snapshot_with_a_byte_order_mark_loads() {
    let d = tempfile::tempdir().unwrap();
    let snap = fixture("diagnose/lab/pgrex17/node-failure.json");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(&snap).unwrap());
    let bom = d.path().join("bom.json");
    std::fs::write(&bom, bytes).unwrap();
    let plain = run_status(&["--input", snap.to_str().unwrap()], &[]);
    let marked = run_status(&["--input", bom.to_str().unwrap()], &[]);
    assert_ne!(marked.0, 2, "{}", marked.2);
    assert_eq!(marked.0, plain.0);
    assert_eq!(marked.1, plain.1);
}

/// JSON that is not a snapshot gets a JSON error, never an XML one.
#[test]
fn json_that_is_not_a_snapshot() {
    let d = tempfile::tempdir().unwrap();
    for text in ["[1,2]", "\u{feff}{\"a\": 1}"] {
        let f = write(&d, "x.json", text);
        let (c, o, e) = run_status(&["--input", &f], &[]);
        assert_one_screen_error(c, &o, &e, "not a pgrex snapshot");
        assert!(!e.contains("XML"), "{e}");
    }
}

/// Another Pacemaker tool's result is refused (exit 2) by every `--input`, naming what it is
/// and what to pass instead; it is not a cluster with no nodes.
#[test]
fn a_pacemaker_result_that_is_not_crm_mon() {
    let f = fixture("live/stonith_admin-history.empty.xml");
    let f = f.to_str().unwrap();
    for cmd in ["status", "diagnose", "cleanup"] {
        let mut c = pgrex();
        c.args([cmd, "--input", f]);
        let (c, o, e) = run_cmd(c);
        // cleanup is an operation: its numbered step goes to stdout, failing.
        let o = if cmd == "cleanup" { String::new() } else { o };
        assert_one_screen_error(c, &o, &e, "result of `stonith_admin`");
        assert!(e.contains("crm_mon --output-as=xml"), "{e}");
    }
}

/// UNKNOWN read from a saved snapshot advises about the file (when and where it was taken,
/// what else it holds), not about starting Pacemaker on this machine.
#[test]
fn unknown_from_a_saved_snapshot_fits_the_file() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("diagnose/lab/pgrex17/node-failure.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let why = serde_json::json!({"unknown": {"why": "Pacemaker is not running on this node"}});
    v["cluster"] = why.clone();
    v["peer"] = why;
    let f = write(&d, "down.json", &v.to_string());
    let (c, o, e) = run_status(&["--input", &f], &[]);
    assert_eq!(c, 1, "UNKNOWN exits 1: {o}{e}");
    assert!(o.starts_with("UNKNOWN"), "{o}");
    assert!(!o.contains("systemctl start pacemaker"), "{o}");
    assert!(o.contains("2026-11-24T22:42:56Z on pm02"), "{o}");
    assert!(o.contains(&format!("pgrex diagnose --input {f}")), "{o}");
    let (_, o, _) = run_status(&["--input", &f, "--output-format", "json"], &[]);
    let j: serde_json::Value = serde_json::from_str(&o).unwrap();
    assert!(j["next"].as_str().unwrap().contains("was taken"), "{o}");
}

/// A crm_mon that fails without a word: the reason says "cannot be observed" once.
#[test]
fn failing_crm_mon_says_it_once() {
    let (c, o, e) = run_status(&[], &[("PGREX_CRM_MON", "/bin/false")]);
    assert_eq!(c, 1, "{o}{e}");
    assert_eq!(o.matches("cannot").count(), 1, "{o}");
    assert!(o.contains("crm_mon failed: exit code 1"), "{o}");
}

/// `/dev/zero` as `--input` used to fill memory, a FIFO hung, and the same for `--config`,
/// `diagnose --log` and `pgrex log --input`: each is refused at once with exit 2.
#[test]
fn devices_and_fifos_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    let fifo = fifo.to_str().unwrap();
    let xml = fixture("status/pgrex17/healthy.xml");
    let xml = xml.to_str().unwrap();
    let cases: [&[&str]; 6] = [
        &["status", "--input", "/dev/zero"],
        &["status", "--input", fifo],
        &["--config", "/dev/zero", "status", "--input", xml],
        &["--config", fifo, "status", "--input", xml],
        &["diagnose", "--input", xml, "--log", "/dev/zero"],
        &["log", "--input", fifo],
    ];
    for args in cases {
        let mut c = pgrex();
        c.args(args).timeout(std::time::Duration::from_secs(60));
        let (code, out, err) = run_cmd(c);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty() || args[0] == "log", "{args:?}: {out}");
        assert!(
            err.contains("not a regular file"),
            "{args:?} names the refusal: {err}"
        );
    }
}
