//! Collection from replayed programs and files: what each command's sources read.

use super::*;

#[test]
fn log_directory_from_postgresql_conf() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("postgresql.conf"),
        "log_directory = 'log' # default\n#log_directory = 'x'\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("postgresql.auto.conf"),
        "log_directory = '/var/log/pgsql'\n",
    )
    .unwrap();
    assert_eq!(
        log_directory(d.path()),
        Some(PathBuf::from("/var/log/pgsql"))
    );
    assert_eq!(log_directory(Path::new("/nonexistent")), None);
}

#[test]
fn explicit_logs_are_read_and_missing_ones_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("messages");
    std::fs::write(
        &f,
        "Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost\n",
    )
    .unwrap();
    let set = CollectSettings {
        tools: Tools::new(),
        log_files: vec![f.clone()],
        ..Default::default()
    };
    let Source::Known(v) = read_logs(&set, Some("pm02"), None, None) else {
        panic!("log not read")
    };
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].host.as_deref(), Some("pm02"));
    let set = CollectSettings {
        tools: Tools::new(),
        log_files: vec![dir.path().join("absent")],
        ..Default::default()
    };
    let why = read_logs(&set, None, None, None);
    assert!(why.why().unwrap().contains("absent"), "{why:?}");
}

/// A script that prints `out` (a file, or nothing) and notes each run in `ran`.
fn script(dir: &Path, name: &str, out: Option<&str>) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    let cat = out.map(|f| format!("cat '{f}'\n")).unwrap_or_default();
    let body = format!(
        "#!/bin/sh\necho {name} >> '{}'\n{cat}",
        dir.join("ran").display()
    );
    std::fs::write(&p, body).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

fn replayed(dir: &Path, sources: Sources) -> (Snapshot, String) {
    let fx = |f: &str| format!("{}/tests/fixtures/{f}", env!("CARGO_MANIFEST_DIR"));
    let mut tools = Tools::new();
    let healthy = fx("status/pgrex17/healthy.xml");
    let cib = fx("status/pgrex17/healthy.cib.xml");
    let links = fx("live/corosync-cfgtool-s.healthy.txt");
    tools.set("crm_mon", script(dir, "crm_mon", Some(&healthy)));
    tools.set("cibadmin", script(dir, "cibadmin", Some(&cib)));
    tools.set(
        "corosync-cfgtool",
        script(dir, "corosync-cfgtool", Some(&links)),
    );
    for p in ["crm_node", "stonith_admin", "journalctl"] {
        tools.set(p, script(dir, p, None));
    }
    let set = CollectSettings {
        tools,
        log_files: vec![dir.join("no-such-log")],
        sources,
        systemd_root: dir.join("no-systemd"),
        pg: None,
    };
    let names = |ids: &[&str]| {
        crate::profile::Names::resolve(
            &Default::default(),
            crate::profile::ProfileChoice::Auto,
            "default",
            ids.iter().copied(),
        )
    };
    let s = collect(&set, &names, || Err("no peer in this test".into())).unwrap();
    let ran = std::fs::read_to_string(dir.join("ran")).unwrap_or_default();
    (s, ran)
}

#[test]
fn status_reads_the_lean_set_and_diagnose_every_source() {
    let d = tempfile::tempdir().unwrap();
    let (s, ran) = replayed(d.path(), Sources::STATUS);
    let mut ran: Vec<&str> = ran.lines().collect();
    ran.sort();
    // A healthy cluster whose disk health crm_mon shows: no CIB, no crm_node, no logs.
    assert_eq!(ran, ["corosync-cfgtool", "crm_mon"]);
    assert!(s.cluster.known().is_some());
    assert!(s.corosync.known().is_some());
    assert!(
        s.units.why().unwrap().contains("no unit file"),
        "{:?}",
        s.units
    );
    assert!(s.peer.why().is_some() && s.logs.why().is_some());

    let d = tempfile::tempdir().unwrap();
    let (s, ran) = replayed(d.path(), Sources::DIAGNOSE);
    for p in ["cibadmin", "crm_mon", "corosync-cfgtool", "crm_node"] {
        assert!(ran.lines().any(|l| l == p), "{p} not run: {ran}");
    }
    assert!(s.cib.known().is_some());
    assert_eq!(s.peer.why(), Some("no peer in this test"));
}
