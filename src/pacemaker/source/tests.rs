//! Input detection, file observation, and the live readers. The live readers run the real
//! `crm_mon` where Pacemaker's CLI is installed (skipped, saying so, where it is not), and
//! recorded-output scripts through the `Tools` seam to replay what a live crm_mon printed.

use super::*;
use crate::exec::Tools;
use crate::pacemaker::model::Role;
use crate::ExitCode;
use std::os::unix::fs::PermissionsExt;

fn fixture_path(rel: &str) -> PathBuf {
    crate::node::fake::fixture_path(&format!("status/{rel}"))
}

/// [`read_input`] of a file that must be XML.
fn observe_file(path: &Path, tools: &Tools) -> Result<Observation> {
    match read_input(path, tools)? {
        Input::Cluster(o) => Ok(*o),
        Input::Json(_) => panic!("{} read as JSON", path.display()),
    }
}

fn fixture(rel: &str) -> String {
    crate::node::fake::fixture(&format!("status/{rel}"))
}

fn have_crm_mon() -> bool {
    let ok = Tools::new().available("crm_mon");
    if !ok {
        eprintln!("skipped: crm_mon (pacemaker-cli-utils) is not installed");
    }
    ok
}

/// A stand-in program that prints a recorded output and exits with a recorded code.
fn replay(dir: &Path, name: &str, stdout_file: Option<&Path>, stderr: &str, code: i32) -> PathBuf {
    let p = dir.join(name);
    let cat = stdout_file
        .map(|f| format!("cat '{}'\n", f.display()))
        .unwrap_or_default();
    std::fs::write(
        &p,
        format!("#!/bin/sh\n{cat}printf '%s' '{stderr}' >&2\nexit {code}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

fn out(stdout: &str, stderr: &str, code: i32) -> Output {
    Output {
        status: Status::Exited(code),
        stdout: stdout.into(),
        stderr: stderr.into(),
        elapsed: Duration::ZERO,
    }
}

#[test]
fn detects_every_kind() {
    assert_eq!(
        detect(&fixture("pgrex17/healthy.xml"), "f").unwrap(),
        InputKind::CrmMon2
    );
    assert_eq!(
        detect(&fixture("seed/crm_mon-1.1/healthy.xml"), "f").unwrap(),
        InputKind::CrmMon11
    );
    assert_eq!(
        detect(&fixture("seed/healthy.cib.xml"), "f").unwrap(),
        InputKind::Cib
    );
    assert_eq!(
        detect("\u{feff}  {\"schema_version\": 1}", "f").unwrap(),
        InputKind::Snapshot
    );
    assert_eq!(
        detect("<?xml version=\"1.0\"?>\n<!-- c -->\n<cib/>", "f").unwrap(),
        InputKind::Cib
    );
    let e = detect("<html/>", "f").unwrap_err();
    assert!(e.to_string().contains("root element is <html>"), "{e}");
    assert!(e.hint().is_some());
    assert!(detect(" \n", "f")
        .unwrap_err()
        .to_string()
        .contains("empty"));
    assert!(detect("crm_mon: command not found", "f").is_err());
    assert_eq!(detect("[1,2]", "f").unwrap(), InputKind::Snapshot);
}

/// Another Pacemaker tool's result is not a cluster view; crm_mon's failures still are
/// crm_mon's (they carry why the cluster cannot be seen).
#[test]
fn only_crm_mon_results_are_cluster_views() {
    let stonith = crate::node::fake::fixture("live/stonith_admin-history.empty.xml");
    let e = detect(&stonith, "f").unwrap_err();
    assert!(e.to_string().contains("result of `stonith_admin`"), "{e}");
    assert!(e.hint().unwrap().contains("crm_mon --output-as=xml"));
    assert_eq!(e.exit_code(), ExitCode::Usage);
    let e = detect("<pacemaker-result><list/></pacemaker-result>", "f").unwrap_err();
    assert!(e.to_string().contains("names no program"), "{e}");
    assert_eq!(
        detect(&fixture("errors/not-running.xml"), "f").unwrap(),
        InputKind::CrmMon2
    );
    assert_eq!(
        detect("<pacemaker-result><summary/></pacemaker-result>", "f").unwrap(),
        InputKind::CrmMon2
    );
}

#[test]
fn recorded_not_running_is_unobservable() {
    let xml = fixture("errors/not-running.xml");
    let st = parse::result_status(&xml, "t").unwrap().unwrap();
    let e = classify(Some(&st), &out(&xml, "", 102));
    match &e {
        Error::Unobservable { message, hint, .. } => {
            assert_eq!(
                message,
                "Pacemaker is not running on this node (Could not connect to launcher: Connection refused)"
            );
            assert!(hint
                .as_deref()
                .unwrap()
                .contains("systemctl start pacemaker"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(e.exit_code(), ExitCode::Failed);
}

#[test]
fn pacemaker_11_connection_failure_is_not_running() {
    let e = classify(
        None,
        &out(
            "",
            "Connection to cluster failed: Transport endpoint is not connected\n",
            107,
        ),
    );
    assert!(
        matches!(&e, Error::Unobservable { message, .. } if message.starts_with("Pacemaker is not running")),
        "{e:?}"
    );
}

#[test]
fn other_failures_keep_crm_mon_words() {
    let st = ResultStatus {
        code: 105,
        message: "Error occurred".into(),
        errors: vec!["error: CIB is broken".into()],
    };
    let e = classify(Some(&st), &out("", "", 105));
    assert_eq!(
        e.to_string(),
        "crm_mon reported error 105 (Error occurred): error: CIB is broken"
    );
    let e = classify(None, &out("", "", 1));
    assert_eq!(e.to_string(), "crm_mon failed: exit code 1");
}

#[test]
fn file_of_each_dialect() {
    let tools = Tools::new();
    let o = observe_file(&fixture_path("pgrex17/failed-over.xml"), &tools).unwrap();
    assert_eq!(o.kind, Some(InputKind::CrmMon2));
    assert!(o.cib.is_none());
    assert_eq!(o.state.failures.len(), 1);
    let o = observe_file(&fixture_path("seed/crm_mon-1.1/healthy.xml"), &tools).unwrap();
    assert_eq!(o.kind, Some(InputKind::CrmMon11));
    assert!(o.source.ends_with("healthy.xml"));
}

#[test]
fn bad_files_are_input_errors() {
    let tools = Tools::new();
    let dir = tempfile::tempdir().unwrap();
    let e = observe_file(&dir.path().join("nope.xml"), &tools).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("nope.xml: cannot read the file: no such file"),
        "{e}"
    );
    assert_eq!(e.exit_code(), ExitCode::Usage);

    let bin = dir.path().join("bin.xml");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0x3c]).unwrap();
    assert!(observe_file(&bin, &tools)
        .unwrap_err()
        .to_string()
        .contains("not UTF-8"));

    let snap = dir.path().join("snap.json");
    std::fs::write(&snap, "\u{feff}{\"schema_version\": 1}").unwrap();
    match read_input(&snap, &tools).unwrap() {
        Input::Json(text) => assert_eq!(text, "{\"schema_version\": 1}"),
        Input::Cluster(_) => panic!("JSON read as a cluster"),
    }

    let trunc = dir.path().join("t.xml");
    let full = fixture("seed/healthy.xml");
    std::fs::write(&trunc, &full[..full.len() - 40]).unwrap();
    let e = observe_file(&trunc, &tools).unwrap_err();
    assert!(e.to_string().contains("truncated"), "{e}");

    // A recorded failure result is an input error carrying crm_mon's message.
    let e = observe_file(&fixture_path("errors/not-running.xml"), &tools).unwrap_err();
    assert!(
        e.to_string().contains("Could not connect to launcher"),
        "{e}"
    );
    assert_eq!(e.exit_code(), ExitCode::Usage);
}

#[test]
fn cib_file_is_rendered_by_crm_mon() {
    if !have_crm_mon() {
        return;
    }
    let o = observe_file(&fixture_path("pgrex17/fenced.cib.xml"), &Tools::new()).unwrap();
    assert_eq!(o.kind, Some(InputKind::Cib));
    assert!(!o.state.node("pm01").unwrap().online);
    let promoted: Vec<_> = o
        .state
        .primitives("pgsql")
        .into_iter()
        .filter(|p| p.role == Role::Promoted)
        .collect();
    assert_eq!(promoted[0].nodes, vec!["pm02"]);
    let cib = o.cib.unwrap();
    assert_eq!(
        cib.persistent("pm01", "pgsql-data-status"),
        Some("DISCONNECT")
    );
    assert_eq!(cib.transient("pm02", "#health-storage-mon"), Some("green"));

    // A relative path works too (crm_mon gets an absolute one).
    let rel = Path::new("tests/fixtures/status/seed/healthy.cib.xml");
    if rel.exists() {
        let o = observe_file(rel, &Tools::new()).unwrap();
        assert_eq!(o.state.nodes.len(), 2);
    }
}

#[test]
fn cib_file_without_crm_mon_is_a_usage_error_with_hint() {
    let mut tools = Tools::new();
    tools.set("crm_mon", "/nonexistent/crm_mon");
    let e = observe_file(&fixture_path("seed/healthy.cib.xml"), &tools).unwrap_err();
    assert!(
        matches!(&e, Error::MissingProgram { program, .. } if program == "crm_mon"),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), ExitCode::Usage);
    assert!(e.hint().unwrap().contains("CIB_file=FILE crm_mon"));
}

#[test]
fn broken_cib_file_is_reported_before_crm_mon_runs() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("cib.xml");
    std::fs::write(
        &f,
        "<cib><configuration><nodes><node uname=\"pm01\"/></nodes></configuration></cib>",
    )
    .unwrap();
    let mut tools = Tools::new();
    tools.set("crm_mon", "/nonexistent/crm_mon");
    let e = observe_file(&f, &tools).unwrap_err();
    assert!(
        e.to_string().contains("<node> has no `id` attribute"),
        "{e}"
    );
}

#[test]
fn live_without_crm_mon_is_missing_program() {
    let mut tools = Tools::new();
    tools.set("crm_mon", "/nonexistent/crm_mon");
    tools.set("cibadmin", "/nonexistent/cibadmin");
    let e = observe_live(&tools).unwrap_err();
    assert!(
        matches!(&e, Error::MissingProgram { program, .. } if program == "crm_mon"),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), ExitCode::Usage);
}

#[test]
fn live_replayed_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut tools = Tools::new();
    // A healthy cluster: crm_mon's XML and cibadmin's CIB.
    tools.set(
        "crm_mon",
        replay(
            dir.path(),
            "mon-ok",
            Some(&fixture_path("pgrex17/healthy.xml")),
            "",
            0,
        ),
    );
    tools.set(
        "cibadmin",
        replay(
            dir.path(),
            "cib-ok",
            Some(&fixture_path("pgrex17/healthy.cib.xml")),
            "",
            0,
        ),
    );
    let o = observe_live(&tools).unwrap();
    assert_eq!(o.kind, None);
    assert_eq!(o.state.summary.dc.as_deref(), Some("pm01"));
    assert_eq!(
        o.cib
            .as_ref()
            .unwrap()
            .persistent("pm02", "pgsql-data-status"),
        Some("STREAMING|SYNC")
    );
    assert!(
        o.source
            .ends_with("mon-ok '--output-as=xml' -1 --inactive '--fence-history=3'"),
        "{}",
        o.source
    );

    // cibadmin failing does not hide the cluster view; the reason is kept.
    tools.set(
        "cibadmin",
        replay(
            dir.path(),
            "cib-bad",
            None,
            "Could not connect to the CIB: Transport endpoint is not connected",
            102,
        ),
    );
    let o = observe_live(&tools).unwrap();
    assert!(o.cib.is_none());
    assert!(o.cib_error.unwrap().contains("Transport endpoint"));

    // crm_mon printing its recorded "not running" result with exit 102.
    tools.set(
        "crm_mon",
        replay(
            dir.path(),
            "mon-down",
            Some(&fixture_path("errors/not-running.xml")),
            "",
            102,
        ),
    );
    let e = observe_live(&tools).unwrap_err();
    assert!(
        matches!(&e, Error::Unobservable { message, .. } if message.contains("not running")),
        "{e:?}"
    );

    // crm_mon exiting 0 with garbage: an input error naming the command.
    tools.set("crm_mon", replay(dir.path(), "mon-garbage", None, "", 0));
    let e = observe_live_with(&tools, DEFAULT_TIMEOUT, false).unwrap_err();
    assert!(
        e.to_string().contains(
            "mon-garbage '--output-as=xml' -1 --inactive '--fence-history=3': the input is empty"
        ),
        "{e}"
    );

    // crm_mon hanging: unobservable, with the timeout named.
    let slow = dir.path().join("mon-slow");
    std::fs::write(&slow, "#!/bin/sh\nexec sleep 30\n").unwrap();
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    tools.set("crm_mon", &slow);
    let e = observe_live_with(&tools, Duration::from_millis(200), false).unwrap_err();
    assert!(
        matches!(&e, Error::Unobservable { message, .. } if message.contains("did not answer within 200ms")),
        "{e:?}"
    );
}

#[test]
fn live_real_crm_mon_is_observed_or_unobservable() {
    if !have_crm_mon() {
        return;
    }
    // Whatever this machine runs, the answer is a state or a reason, never an input error.
    match observe_live_with(&Tools::new(), DEFAULT_TIMEOUT, false) {
        Ok(o) => assert!(!o.state.nodes.is_empty()),
        Err(Error::Unobservable { message, .. }) => assert!(!message.is_empty()),
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn pacemaker_tools_are_found_in_sbin_without_path() {
    let mut tools = Tools::new();
    let on_path = which::which("crm_mon").is_ok();
    let sbin = Path::new("/usr/sbin/crm_mon").exists();
    let want = if !on_path && sbin {
        "/usr/sbin/crm_mon"
    } else {
        "crm_mon"
    };
    assert_eq!(
        pacemaker_cmd(&tools, "crm_mon").program(),
        std::ffi::OsStr::new(want)
    );
    tools.set("crm_mon", "/opt/x/crm_mon");
    assert_eq!(
        pacemaker_cmd(&tools, "crm_mon").program(),
        std::ffi::OsStr::new("/opt/x/crm_mon")
    );
}

#[test]
fn daemons_shutting_down_is_not_called_not_running() {
    let st = ResultStatus {
        code: 102,
        message: "Not connected".into(),
        errors: vec!["crm_mon: Pacemaker daemons are shutting down".into()],
    };
    let e = classify(Some(&st), &out("", "", 102));
    assert_eq!(
        e.to_string(),
        "crm_mon reported error 102 (Not connected): \
         crm_mon: Pacemaker daemons are shutting down"
    );
    assert_eq!(e.exit_code(), ExitCode::Failed);
}
