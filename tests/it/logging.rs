//! `-v` / `PGREX_LOG`: one tracing event per external command on stderr, stdout untouched;
//! and an error's cause printed as a `caused by:` line.

use crate::{fixture, pgrex, run_cmd};
use std::os::unix::fs::PermissionsExt;

/// `pgrex ARGS` with `envs` set, through the shared [`run_cmd`].
fn run(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = pgrex();
    c.args(args).envs(envs.iter().copied());
    run_cmd(c)
}

#[test]
fn verbose_logs_the_crm_mon_run_on_stderr_only() {
    let cib = fixture("status/pgrex17/healthy.cib.xml");
    let cib = cib.to_str().unwrap();
    let (code, quiet_out, quiet_err) = run(&["status", "--input", cib], &[]);
    assert_eq!(code, 0, "{quiet_out}{quiet_err}");
    assert!(
        !quiet_err.contains("command finished"),
        "no event without -v: {quiet_err}"
    );

    let (code, out, err) = run(&["-v", "status", "--input", cib], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, quiet_out, "-v leaves stdout as it was");
    let event = err
        .lines()
        .find(|l| l.contains("command finished") && l.contains("crm_mon"))
        .unwrap_or_else(|| panic!("a crm_mon event on stderr: {err}"));
    assert!(event.contains("DEBUG"), "{event}");
    assert!(event.contains("elapsed_ms="), "{event}");
    assert!(event.contains("status=exit code 0"), "{event}");
    assert!(
        event.contains("CIB_file="),
        "the command line as run: {event}"
    );

    let (_, out, err) = run(&["status", "--input", cib], &[("PGREX_LOG", "pgrex=debug")]);
    assert_eq!(out, quiet_out);
    assert!(err.contains("command finished"), "PGREX_LOG alone: {err}");
}

#[test]
fn a_failed_child_prints_its_cause() {
    let d = tempfile::tempdir().unwrap();
    // A crm_mon that exists but cannot be executed: spawning it fails with EACCES.
    let crm_mon = d.path().join("crm_mon");
    std::fs::write(&crm_mon, "not a program\n").unwrap();
    std::fs::set_permissions(&crm_mon, std::fs::Permissions::from_mode(0o644)).unwrap();
    let cib = fixture("status/pgrex17/healthy.cib.xml");
    let (code, out, err) = run(
        &["status", "--input", cib.to_str().unwrap()],
        &[("PGREX_CRM_MON", crm_mon.to_str().unwrap())],
    );
    assert_eq!(code, 2, "unreadable input: {out}{err}");
    assert!(out.is_empty(), "{out}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains("healthy.cib.xml"),
        "{err}"
    );
    assert!(
        !lines[0].contains("could not be started"),
        "the cause is not in the message: {err}"
    );
    let caused: Vec<&&str> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("caused by: "))
        .collect();
    assert!(
        caused.iter().any(|l| l.contains("could not be started")),
        "{err}"
    );
    assert_eq!(
        err.matches("Permission denied").count(),
        1,
        "the OS error once, not repeated per level: {err}"
    );
}

#[test]
fn an_unreadable_configuration_prints_its_cause() {
    let (code, out, err) = run(
        &["status"],
        &[("PGREX_CONFIG", "/nonexistent/pg-rex_tools.conf")],
    );
    assert_eq!(code, 2, "{out}{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0], "error: /nonexistent/pg-rex_tools.conf: cannot read the configuration file",
        "{err}"
    );
    assert_eq!(
        lines[1].trim_start(),
        "caused by: No such file or directory (os error 2)",
        "{err}"
    );
    assert!(lines[2].starts_with("hint: "), "{err}");
}
