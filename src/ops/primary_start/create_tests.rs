//! `primary-start XMLFILE` on a node without a cluster, on recorded fake nodes (the
//! recordings of `tests.rs`): refused without pcs, with the peer's stack running, or without
//! an answer — each changing nothing; a dry run describes the creation; a real run writes
//! pcs's corosync.conf and the new authkey on the peer first and here last, removes both
//! saved CIBs, and only then starts Pacemaker.

use super::create::{AUTHKEY, CIB_DIR, COROSYNC_CONF, NEW_CONF, NEW_KEY};
use super::tests::{pm01, pm02, Case};
use crate::node::fake::{fixture_path, Call, FakeNode};
use crate::node::Node;
use crate::report::Answer;
use crate::ExitCode;
use std::path::PathBuf;

/// pcs's corosync.conf as pcs 0.11.5 wrote it for the lab's addresses (`pcs cluster setup
/// pgrex_cluster pm01 addr=203.0.113.11 addr=203.0.113.139 pm02 addr=203.0.113.12
/// addr=203.0.113.140 --corosync_conf PATH`, run from Debian 12's package without pcsd).
const PCS_CONF: &str = "totem {\n    version: 2\n    cluster_name: pgrex_cluster\n    transport: knet\n}\nquorum {\n    provider: corosync_votequorum\n    two_node: 1\n}\n";

/// A directory holding a program named `pcs` (the tools seam's override must exist).
fn pcs_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("pcs"), "").unwrap();
    d
}

fn case(local: FakeNode, peer: FakeNode, pcs: Option<&tempfile::TempDir>) -> Case {
    let mut c = Case::new(local, peer);
    c.xmlfile = Some(fixture_path("status/pgrex17/healthy.cib.xml"));
    c.tools.set(
        "pcs",
        pcs.map_or(PathBuf::from("/nonexistent/pcs"), |d| d.path().join("pcs")),
    );
    c
}

fn pm01_ready() -> FakeNode {
    pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt")
        .answer("pcs cluster setup", 0, "")
        .answer("corosync-keygen", 0, "")
        .file(NEW_CONF, PCS_CONF)
        .file(NEW_KEY, vec![7u8; 256])
}

#[test]
fn without_pcs_it_is_refused_with_a_hint() {
    let e = case(pm01_ready(), pm02(None), None).refused();
    assert!(
        e.contains("/etc/corosync/corosync.conf does not exist")
            && e.contains("creating a cluster needs pcs, which is not installed"),
        "{e}"
    );
}

#[test]
fn the_peers_running_stack_is_refused() {
    let pcs = pcs_dir();
    let peer = pm02(None).answer("systemctl is-active", 0, "active\n");
    let e = case(pm01_ready(), peer, Some(&pcs)).refused();
    assert!(
        e.contains("Pacemaker or Corosync is running on pm02") && e.contains("pgrex stop"),
        "{e}"
    );
}

#[test]
fn no_answer_is_a_refusal_and_a_cluster_on_the_peer_asks_to_recreate() {
    let pcs = pcs_dir();
    let e = case(pm01_ready(), pm02(None), Some(&pcs));
    let (r, text) = e.run();
    assert_eq!(r.unwrap_err().exit_code(), ExitCode::Refused, "{text}");
    assert!(text.contains("no cluster exists on pm01: the HA cluster pgrex_cluster is created (pm01 and pm02, interconnect 203.0.113.11 / 203.0.113.12, 203.0.113.139 / 203.0.113.140)"), "{text}");
    assert!(text.contains("? Create the HA cluster?"), "{text}");
    let peer = pm02(None).file(COROSYNC_CONF, "old");
    let mut c = case(pm01_ready(), peer, Some(&pcs));
    c.answer = Answer::No;
    let (r, text) = c.run();
    assert_eq!(r.unwrap_err().exit_code(), ExitCode::Declined, "{text}");
    assert!(text.contains("HA cluster already exists on pm02"), "{text}");
    assert!(
        text.contains("? HA cluster already exists. Recreate?"),
        "{text}"
    );
    assert_eq!(c.local.changes(), [], "{text}");
    assert_eq!(c.peer.changes(), [], "{text}");
}

#[test]
fn a_dry_run_describes_the_creation_and_changes_nothing() {
    let pcs = pcs_dir();
    let mut c = case(pm01_ready(), pm02(None), Some(&pcs));
    c.answer = Answer::Yes;
    c.dry_run = true;
    let (r, text) = c.run();
    assert!(r.is_ok(), "{text}");
    assert!(
        text.contains("Creating the HA cluster pgrex_cluster (pm01, pm02)\n...[SKIP] (dry run) would write corosync.conf"),
        "{text}"
    );
    assert_eq!(c.local.changes(), [], "{text}");
    assert_eq!(c.peer.changes(), [], "{text}");
    assert!(
        !c.local.commands().iter().any(|l| l.contains("pcs")),
        "{text}"
    );
}

#[test]
fn the_creation_writes_the_peer_first_then_here_then_starts() {
    let pcs = pcs_dir();
    let cib = format!("{CIB_DIR}/cib-3.raw");
    let peer = pm02(None).file(&cib, "old").file(COROSYNC_CONF, "old");
    let mut c = case(pm01_ready(), peer, Some(&pcs));
    c.answer = Answer::Yes;
    let (r, text) = c.run();
    // Starting Pacemaker is not recorded: the run stops there, after the creation.
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Partial, "{e}\n{text}");
    let cmds = c.local.commands();
    let setup = cmds.iter().find(|l| l.contains("cluster setup")).unwrap();
    assert_eq!(
        setup,
        &format!("pcs cluster setup pgrex_cluster pm01 addr=203.0.113.11 addr=203.0.113.139 pm02 addr=203.0.113.12 addr=203.0.113.140 --corosync_conf {NEW_CONF} --overwrite")
    );
    assert!(
        cmds.iter()
            .any(|l| l == &format!("corosync-keygen -k {NEW_KEY}")),
        "{cmds:?}"
    );
    let writes = |n: &FakeNode| -> Vec<Call> { n.changes() };
    assert_eq!(
        writes(&c.peer),
        [
            Call::Write(AUTHKEY.into()),
            Call::Write(COROSYNC_CONF.into()),
            Call::Remove(cib.clone().into()),
        ]
    );
    assert_eq!(
        c.peer
            .read_file(std::path::Path::new(COROSYNC_CONF))
            .unwrap(),
        PCS_CONF.as_bytes()
    );
    assert_eq!(
        c.peer.read_file(std::path::Path::new(AUTHKEY)).unwrap(),
        vec![7u8; 256]
    );
    let local = writes(&c.local);
    assert!(
        local.contains(&Call::Write(COROSYNC_CONF.into())),
        "{local:?}"
    );
    assert!(
        local.contains(&Call::Remove(crate::ops::cluster::CIB_FILE.into())),
        "{local:?}"
    );
    assert!(local.contains(&Call::Remove(NEW_CONF.into())), "{local:?}");
    assert!(local.contains(&Call::Remove(NEW_KEY.into())), "{local:?}");
    let start = cmds
        .iter()
        .position(|l| l.contains("systemctl start"))
        .unwrap();
    let setup_at = cmds
        .iter()
        .position(|l| l.contains("cluster setup"))
        .unwrap();
    assert!(setup_at < start, "{cmds:?}");
    assert!(text.contains("root@192.0.2.2: wrote /etc/corosync/corosync.conf and /etc/corosync/authkey, removed 1 saved CIB file(s)"), "{text}");
}

/// pm01 with a cluster of its own: corosync.conf, authkey and a saved CIB.
fn pm01_with_cluster() -> FakeNode {
    pm01_ready()
        .file(COROSYNC_CONF, "old here")
        .file(AUTHKEY, "old key")
        .file(format!("{CIB_DIR}/cib-7.raw"), "old cib")
}

#[test]
fn a_cluster_here_asks_to_recreate_and_no_changes_nothing() {
    let pcs = pcs_dir();
    for answer in [Answer::No, Answer::Refused] {
        let mut c = case(
            pm01_with_cluster(),
            pm02(None).file(COROSYNC_CONF, "old"),
            Some(&pcs),
        );
        c.answer = answer;
        let (r, text) = c.run();
        let code = r.unwrap_err().exit_code();
        assert!(
            matches!(code, ExitCode::Declined | ExitCode::Refused),
            "{code:?}\n{text}"
        );
        assert!(
            text.contains("HA cluster already exists on pm01 (/etc/corosync/corosync.conf): it is destroyed on pm01 and pm02")
                && text.contains("? HA cluster already exists. Recreate?"),
            "{text}"
        );
        assert_eq!(c.local.changes(), [], "{text}");
        assert_eq!(c.peer.changes(), [], "{text}");
        assert!(
            !c.local.commands().iter().any(|l| l.contains("pcs")),
            "{text}"
        );
    }
}

#[test]
fn a_cluster_here_without_pcs_is_refused_and_nothing_changes() {
    let e = case(pm01_with_cluster(), pm02(None), None).refused();
    assert!(
        e.contains("HA cluster already exists on pm01: recreating it from")
            && e.contains("needs pcs, which is not installed"),
        "{e}"
    );
}

#[test]
fn yes_destroys_here_then_on_the_peer_then_creates_then_starts() {
    let pcs = pcs_dir();
    let peer_cib = format!("{CIB_DIR}/cib-3.raw");
    let peer = pm02(None)
        .file(&peer_cib, "old")
        .file(COROSYNC_CONF, "old")
        .file(AUTHKEY, "old key");
    let mut c = case(pm01_with_cluster(), peer, Some(&pcs));
    c.answer = Answer::Yes;
    let (r, text) = c.run();
    // Starting Pacemaker is not recorded: the run stops there, after the recreation.
    assert_eq!(r.unwrap_err().exit_code(), ExitCode::Partial, "{text}");
    let destroy = text
        .find("Destroying the HA cluster (pm01, pm02)")
        .expect(&text);
    let create = text
        .find("Creating the HA cluster pgrex_cluster (pm01, pm02)")
        .expect(&text);
    let start = text.find("Starting Pacemaker").expect(&text);
    assert!(destroy < create && create < start, "{text}");
    // pm01: corosync.conf, authkey, cib.xml and cib-7.raw.
    assert!(
        text.contains("local: removed 4 file(s) of the old cluster"),
        "{text}"
    );
    assert!(
        text.contains("root@192.0.2.2: removed 3 file(s) of the old cluster"),
        "{text}"
    );
    // The peer: the old files removed, then the new ones written.
    assert_eq!(
        c.peer.changes(),
        [
            Call::Remove(COROSYNC_CONF.into()),
            Call::Remove(AUTHKEY.into()),
            Call::Remove(peer_cib.into()),
            Call::Write(AUTHKEY.into()),
            Call::Write(COROSYNC_CONF.into()),
        ]
    );
    assert_eq!(
        c.peer
            .read_file(std::path::Path::new(COROSYNC_CONF))
            .unwrap(),
        PCS_CONF.as_bytes()
    );
    // Here: removed before the peer was touched, written last.
    let local = c.local.changes();
    assert_eq!(local[0], Call::Remove(COROSYNC_CONF.into()), "{local:?}");
    assert_eq!(
        c.local
            .read_file(std::path::Path::new(COROSYNC_CONF))
            .unwrap(),
        PCS_CONF.as_bytes()
    );
    assert!(
        !c.local.has_file(format!("{CIB_DIR}/cib-7.raw")),
        "{local:?}"
    );
}

#[test]
fn a_dry_run_of_a_recreation_describes_both_and_changes_nothing() {
    let pcs = pcs_dir();
    let mut c = case(pm01_with_cluster(), pm02(None), Some(&pcs));
    c.answer = Answer::Yes;
    c.dry_run = true;
    let (r, text) = c.run();
    assert!(r.is_ok(), "{text}");
    assert!(
        text.contains("Destroying the HA cluster (pm01, pm02)\n...[SKIP] (dry run) would remove corosync.conf")
            && text.contains("Creating the HA cluster pgrex_cluster (pm01, pm02)\n...[SKIP] (dry run)"),
        "{text}"
    );
    assert_eq!(c.local.changes(), [], "{text}");
    assert_eq!(c.peer.changes(), [], "{text}");
}
