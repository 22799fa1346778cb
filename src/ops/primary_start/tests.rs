//! `primary-start` on recorded fake nodes: every refusal of the checks, each proven to
//! change nothing (no file written or removed, no Pacemaker started), the `--remove-lock`
//! evidence accepted and refused, and the pure judgements on their own.
//!
//! The recordings: crm_mon XML and the CIBs of tests/fixtures/status/pgrex17 (the data
//! directory `/var/lib/pgsql/data`, `tmpdir` `/var/lib/pgsql/tmp`), pg_controldata and
//! pg_waldump output of tests/fixtures/postgres.

use super::plan::{self, Action, WalEnd};
use super::*;
use crate::node::fake::{fixture, Call, FakeNode};
use crate::ops::testing::{ctx, Rec};
use crate::postgres::Lsn;
use crate::profile::Profile;
use crate::report::Answer;
use crate::ExitCode;
use std::sync::Arc;
use std::time::Duration;

const LOCK: &str = "/var/lib/pgsql/tmp/PGSQL.lock";
const PG_WAL: &str = "/var/lib/pgsql/data/pg_wal";

/// The saved CIB of the healthy cluster with pm01's persisted data-status set to `status`
/// (`None`: not persisted at all).
fn cib(status: Option<&str>) -> String {
    let text = fixture("status/pgrex17/healthy.cib.xml");
    let recorded =
        r#"<nvpair id="nodes-1-pgsql-data-status" name="pgsql-data-status" value="LATEST"/>"#;
    assert!(text.contains(recorded));
    let now = match status {
        Some(s) => format!(
            r#"<nvpair id="nodes-1-pgsql-data-status" name="pgsql-data-status" value="{s}"/>"#
        ),
        None => String::new(),
    };
    text.replace(recorded, &now)
}

/// pm01 with Pacemaker stopped, its saved CIB, and a data directory whose pg_control is
/// `controldata` (a fixture) and whose pg_wal holds no segment.
pub(super) fn pm01(status: Option<&str>, controldata: &str) -> FakeNode {
    FakeNode::local()
        .answer("systemctl is-active", 3, "inactive\n")
        .file(cluster::CIB_FILE, cib(status))
        .file("/var/lib/pgsql/data/PG_VERSION", "15\n")
        .file("/var/lib/pgsql/data/postgresql.conf", "port = 5432\n")
        .dir(PG_WAL)
        .answer_fixture("pg_controldata", 0, controldata)
}

/// `node` with one WAL segment in pg_wal, whose last record pg_waldump reads (the recorded
/// tail: 0/D17C900).
fn with_wal(node: FakeNode) -> FakeNode {
    let waldump = fixture("postgres/pg_waldump_tail_pg15.txt");
    let last = waldump.lines().last().unwrap().to_string();
    node.file(format!("{PG_WAL}/000000010000000000000003"), "")
        .answer("pg_waldump", 0, last + "\n")
}

/// pm02 reached over SSH: Pacemaker not running there, named pm02, its data `controldata`.
pub(super) fn pm02(controldata: Option<&str>) -> FakeNode {
    let peer = FakeNode::peer("192.0.2.2")
        .answer("crm_mon", 102, "")
        .answer("uname -n", 0, "pm02\n");
    match controldata {
        None => peer,
        Some(c) => peer
            .file("/var/lib/pgsql/data/PG_VERSION", "15\n")
            .dir(PG_WAL)
            .answer_fixture("pg_controldata", 0, c),
    }
}

pub(super) struct Case {
    pub local: FakeNode,
    pub peer: Arc<FakeNode>,
    pub remove_lock: bool,
    pub newest_by_wal: bool,
    pub dry_run: bool,
    pub xmlfile: Option<std::path::PathBuf>,
    pub tools: crate::exec::Tools,
    pub journal_dir: Option<std::path::PathBuf>,
    pub answer: Answer,
}

impl Case {
    pub fn new(local: FakeNode, peer: FakeNode) -> Case {
        Case {
            local,
            peer: Arc::new(peer),
            remove_lock: false,
            newest_by_wal: false,
            dry_run: false,
            xmlfile: None,
            tools: crate::exec::Tools::new(),
            journal_dir: None,
            answer: Answer::Refused,
        }
    }

    pub fn run(&self) -> (Result<String>, String) {
        let rep = Rec::new(self.answer);
        let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
        let connect = || -> Result<Box<dyn Node>> { Ok(Box::new(self.peer.clone())) };
        let o = PrimaryOptions {
            xmlfile: self.xmlfile.clone(),
            remove_lock: self.remove_lock,
            clear_fence_history: false,
            timeouts: Timeouts {
                monitor_delay: Duration::ZERO,
                monitor_interval: Duration::from_millis(10),
                start: Duration::from_secs(1),
                ..Timeouts::default()
            },
            pgpath: None,
            peer_addr: "192.0.2.2".into(),
            cluster_name: "pgrex_cluster".into(),
            ic: vec![
                crate::config::IcPair {
                    mine: "203.0.113.11".parse().unwrap(),
                    peer: "203.0.113.12".parse().unwrap(),
                },
                crate::config::IcPair {
                    mine: "203.0.113.139".parse().unwrap(),
                    peer: "203.0.113.140".parse().unwrap(),
                },
            ],
            newest_by_wal: self.newest_by_wal,
            names: &names,
            connect: &connect,
        };
        let mut cx = ctx(&rep, &self.local, self.dry_run);
        cx.tools = self.tools.clone();
        cx.journal_dir = self.journal_dir.clone();
        let r = primary_start(&cx, &o);
        (r, rep.text())
    }

    /// A refusal (exit 3) that changed nothing on either node; its message.
    pub fn refused(&self) -> String {
        let (r, text) = self.run();
        let e = r.expect_err(&text);
        assert_eq!(e.exit_code(), ExitCode::Refused, "{e}\n{text}");
        assert_eq!(self.local.changes(), [], "{text}");
        assert_eq!(self.peer.changes(), [], "{text}");
        let started = self
            .local
            .commands()
            .into_iter()
            .any(|c| c.contains("start"));
        assert!(!started, "Pacemaker must not be started: {text}");
        format!("{e}\n{}", e.hint().unwrap_or_default())
    }
}

#[test]
fn a_stale_data_status_is_refused() {
    let case = Case::new(
        pm01(
            Some("DISCONNECT"),
            "postgres/controldata_pg15_shut_down.txt",
        ),
        pm02(None),
    );
    let e = case.refused();
    assert!(
        e.contains("the persisted data-status of pm01 is DISCONNECT") && e.contains("pm02"),
        "{e}"
    );
}

/// recover's service-down-on-both playbook (`newest_by_wal`): a stale data-status is
/// proven by where both nodes' WAL ends — pm01 promoted on timeline 2, pm02 still on 1.
#[test]
fn a_stale_data_status_proven_newest_by_the_wal_starts() {
    let local = with_wal(pm01(
        Some("DISCONNECT"),
        "postgres/controldata_pg15_promoted_tli2.txt",
    ))
    .answer("systemctl start", 0, "")
    .answer_fixture("crm_mon", 0, "status/pgrex17/primary-alone.xml");
    let peer = with_wal(pm02(Some(
        "postgres/controldata_pg15_shut_down_in_recovery.txt",
    )));
    let mut case = Case::new(local, peer);
    case.newest_by_wal = true;
    let (r, text) = case.run();
    assert_eq!(r.expect(&text), "Primary has started on the node (pm01)");
    assert!(
        text.contains("data-status DISCONNECT, but this node's data is the newest by where both nodes' WAL ends: this node timeline 2, ")
            && text.contains("the other node timeline 1, 0/D17C900 (not ahead)"),
        "{text}"
    );
}

/// The same with the other node's WAL ahead: refused, nothing changed — and without
/// `newest_by_wal` the stale data-status alone refuses (the Perl tool's rule).
#[test]
fn a_stale_data_status_with_the_other_nodes_wal_ahead_is_refused() {
    let local = with_wal(pm01(
        Some("DISCONNECT"),
        "postgres/controldata_pg15_shut_down_in_recovery.txt",
    ));
    let peer = with_wal(pm02(Some("postgres/controldata_pg15_promoted_tli2.txt")));
    let mut case = Case::new(local, peer);
    case.newest_by_wal = true;
    let e = case.refused();
    assert!(
        e.contains(
            "the persisted data-status is DISCONNECT and this node's data is not proven the newest"
        ) && e.contains("the other node's at timeline 2"),
        "{e}"
    );
    case.newest_by_wal = false;
    let e = case.refused();
    assert!(
        e.contains("the persisted data-status of pm01 is DISCONNECT"),
        "{e}"
    );
}

#[test]
fn the_peer_already_primary_is_refused() {
    let peer = pm02(None).answer_fixture("crm_mon", 0, "status/pgrex17/failed-over.xml");
    let case = Case::new(
        pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt"),
        peer,
    );
    let e = case.refused();
    assert!(e.contains("pm02 is already the primary"), "{e}");
    assert!(e.contains("pgrex standby-start"), "{e}");
}

#[test]
fn a_process_using_pgdata_is_refused() {
    let local =
        pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt").holder(4242, "postgres");
    let e = Case::new(local, pm02(None)).refused();
    assert!(
        e.contains("/var/lib/pgsql/data is in use by: PID 4242 (postgres"),
        "{e}"
    );
}

#[test]
fn a_lock_file_without_remove_lock_is_refused() {
    let local = pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt").file(LOCK, "");
    let case = Case::new(local, pm02(None));
    let e = case.refused();
    assert!(
        e.contains(&format!("{LOCK} exists")) && e.contains("--remove-lock"),
        "{e}"
    );
    assert!(case.local.has_file(LOCK));
}

#[test]
fn remove_lock_without_a_persisted_data_status_is_refused() {
    let local = pm01(None, "postgres/controldata_pg15_shut_down.txt").file(LOCK, "");
    let mut case = Case::new(local, pm02(None));
    case.remove_lock = true;
    let e = case.refused();
    assert!(
        e.contains("the persisted data-status of this node is -, not LATEST"),
        "{e}"
    );
    // Refused on the data-status alone: no WAL was read for evidence.
    assert!(!case
        .local
        .commands()
        .iter()
        .any(|c| c.contains("pg_controldata")));
}

#[test]
fn remove_lock_is_refused_when_the_peer_is_on_a_newer_timeline() {
    let local = with_wal(pm01(
        Some("LATEST"),
        "postgres/controldata_pg15_shut_down_in_recovery.txt",
    ))
    .file(LOCK, "");
    let mut case = Case::new(
        local,
        with_wal(pm02(Some("postgres/controldata_pg15_promoted_tli2.txt"))),
    );
    case.remove_lock = true;
    let e = case.refused();
    assert!(
        e.contains("is not safe: the other node's WAL (timeline 2"),
        "{e}"
    );
    assert!(case.local.has_file(LOCK));
}

#[test]
fn remove_lock_compares_where_the_wal_ends_not_the_checkpoints() {
    // Both stopped at the same checkpoint, but the peer's pg_wal goes on (recorded
    // pg_waldump output): its data is ahead.
    let control = "postgres/controldata_pg15_shut_down_in_recovery.txt";
    let waldump = fixture("postgres/pg_waldump_tail_pg15.txt");
    let last = waldump.lines().last().unwrap().to_string();
    let peer = pm02(Some(control))
        .file(format!("{PG_WAL}/000000010000000000000003"), "")
        .answer("pg_waldump", 0, last + "\n");
    let local = pm01(Some("STREAMING|SYNC"), control)
        .file(LOCK, "")
        .file(format!("{PG_WAL}/000000010000000000000003"), "")
        .answer("pg_waldump", 0, "rmgr: XLOG len (rec/tot): 114/114, tx: 0, lsn: 0/3000028, prev 0/2000060, desc: CHECKPOINT_SHUTDOWN\n");
    let mut case = Case::new(local, peer);
    case.remove_lock = true;
    let e = case.refused();
    assert!(
        e.contains("other node's WAL (timeline 1, ends at 0/D17C900)"),
        "{e}"
    );
}

#[test]
fn remove_lock_with_evidence_removes_it_then_starts() {
    let local = with_wal(pm01(
        Some("LATEST"),
        "postgres/controldata_pg15_promoted_tli2.txt",
    ))
    .file(LOCK, "")
    .answer("systemctl start", 0, "")
    // What crm_mon shows once started: pm01 the primary with every VIP, alone.
    .answer_fixture("crm_mon", 0, "status/pgrex17/primary-alone.xml");
    let peer = with_wal(pm02(Some(
        "postgres/controldata_pg15_shut_down_in_recovery.txt",
    )));
    let mut case = Case::new(local, peer);
    case.remove_lock = true;
    let dir = tempfile::tempdir().unwrap();
    case.journal_dir = Some(dir.path().to_path_buf());
    let (r, text) = case.run();
    assert_eq!(r.expect(&text), "Primary has started on the node (pm01)");
    // The journal keeps the arguments `pgrex resume` rebuilds the run from, past the steps
    // that start Pacemaker (they once replaced them with progress markers: the lab's resume
    // after a SIGINT in "Starting Pacemaker" found none).
    let (_, rec) = crate::ops::journal::list(dir.path()).unwrap().remove(0);
    let a: resume::PrimaryArguments = crate::ops::resume::arguments(&rec.arguments)
        .unwrap_or_else(|| panic!("arguments: {}", rec.arguments));
    assert!(a.remove_lock && !a.clear_fence_history, "{a:?}");
    assert!(
        text.contains(
            "removing PGSQL.lock is safe: data-status LATEST; the other node's WAL (timeline 1"
        ) && text.contains("...[OK] (present: will be removed (--remove-lock))"),
        "{text}"
    );
    let changes = case.local.changes();
    assert!(changes.contains(&Call::Remove(LOCK.into())), "{changes:?}");
    assert!(!case.local.has_file(LOCK));
    let cmds = case.local.commands();
    assert!(
        cmds.iter().any(|c| c == "systemctl start pacemaker"),
        "{cmds:?}"
    );
}

#[test]
fn a_dry_run_with_evidence_describes_the_removal_and_removes_nothing() {
    let local = pm01(
        Some("LATEST"),
        "postgres/controldata_pg15_promoted_tli2.txt",
    )
    .file(LOCK, "");
    let peer = pm02(None);
    let mut case = Case::new(local, peer);
    case.remove_lock = true;
    case.dry_run = true;
    let (r, text) = case.run();
    assert!(r.expect(&text).starts_with("dry run complete"), "{text}");
    assert!(
        text.contains("the other node holds no database cluster")
            && text.contains(&format!(
                "Removing PGSQL lock file\n...[SKIP] (dry run) would remove {LOCK}"
            ))
            && text
                .contains("Starting Pacemaker\n...[SKIP] (dry run) would remove recovery.signal"),
        "{text}"
    );
    assert_eq!(case.local.changes(), []);
    assert!(case.local.has_file(LOCK));
    let started = case
        .local
        .commands()
        .into_iter()
        .any(|c| c.contains("start"));
    assert!(!started);
}

#[test]
fn the_lock_judgement_on_its_own() {
    let at = |tli, end| WalEnd {
        system_id: 7,
        tli,
        end: Lsn(end),
    };
    assert!(plan::lock_removal(Some("LATEST"), false, at(2, 10), Some(at(2, 10))).is_ok());
    assert!(plan::lock_removal(Some("LATEST"), false, at(2, 10), Some(at(2, 11))).is_err());
    assert!(plan::lock_removal(Some("LATEST"), false, at(2, 10), Some(at(3, 1))).is_err());
    let other = WalEnd {
        system_id: 8,
        ..at(1, 1)
    };
    assert!(plan::lock_removal(Some("LATEST"), false, at(2, 10), Some(other)).is_err());
    assert!(plan::lock_removal(Some("DISCONNECT"), false, at(2, 10), None).is_err());
    assert!(plan::lock_removal(Some("STREAMING|SYNC"), false, at(2, 10), None).is_ok());
    // Proven newest by the WAL instead (recover's service-down-on-both playbook): the
    // data-status no longer refuses, the WAL comparison still does.
    assert!(plan::lock_removal(Some("DISCONNECT"), true, at(2, 10), Some(at(2, 10))).is_ok());
    assert!(plan::lock_removal(Some("DISCONNECT"), true, at(2, 10), Some(at(3, 1))).is_err());
    assert!(plan::newest_by_wal("DISCONNECT", at(2, 10), Some(at(2, 9))).is_ok());
    assert!(plan::newest_by_wal("DISCONNECT", at(2, 10), None).is_ok());
    assert!(plan::newest_by_wal("DISCONNECT", at(2, 10), Some(at(2, 11))).is_err());
    assert!(plan::newest_by_wal("DISCONNECT", at(2, 10), Some(at(3, 1))).is_err());
    assert!(plan::newest_by_wal("-", at(2, 10), Some(other)).is_err());
    assert!(plan::data_status("pm01", "pm02", None).is_ok());
    assert!(plan::data_status("pm01", "pm02", Some("STREAMING|ASYNC")).is_err());
}

#[test]
fn the_changes_in_order() {
    assert_eq!(
        plan::actions(true, true, plan::Cluster::Recreate, true),
        [
            Action::RemoveLock,
            Action::DestroyCluster,
            Action::CreateCluster,
            Action::StartPacemaker,
            Action::LoadXml,
            Action::UnblockQuorum,
            Action::WaitPrimary,
            Action::ClearFenceHistory
        ]
    );
    assert_eq!(
        plan::actions(false, false, plan::Cluster::Existing, false)[0],
        Action::StartPacemaker
    );
    let create = plan::actions(false, true, plan::Cluster::Create, false);
    assert_eq!(create[..2], [Action::CreateCluster, Action::StartPacemaker]);
}

#[test]
fn a_missing_data_status_without_a_lock_file_may_start() {
    // A new cluster has persisted no data-status yet; the Perl tool allows it too.
    let mut case = Case::new(
        pm01(None, "postgres/controldata_pg15_shut_down.txt"),
        pm02(None),
    );
    case.dry_run = true;
    let (r, text) = case.run();
    assert!(r.is_ok(), "{text}");
    assert!(
        text.contains("4. Checking to be able to start up as a primary\n...[OK]\n"),
        "{text}"
    );
}

#[test]
fn pacemaker_already_running_is_refused() {
    let local = pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt").answer(
        "systemctl is-active pacemaker",
        0,
        "active\n",
    );
    let case = Case::new(local, pm02(None));
    let e = case.refused();
    assert!(
        e.contains("Pacemaker or Corosync is already running on pm01"),
        "{e}"
    );
    // Refused before the peer is even asked.
    assert_eq!(case.peer.commands(), Vec::<String>::new());
}

#[test]
fn no_saved_cib_and_no_xmlfile_is_refused() {
    let local = FakeNode::local()
        .answer("systemctl is-active", 3, "inactive\n")
        .file("/var/lib/pgsql/data/PG_VERSION", "15\n");
    let e = Case::new(local, pm02(None)).refused();
    assert!(
        e.contains(&format!("{} does not exist", cluster::CIB_FILE)),
        "{e}"
    );
}

#[test]
fn the_standby_marker_of_an_interrupted_standby_start_is_refused() {
    let local = pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt").file(
        "/var/lib/pgsql/data/postgresql.conf",
        "port = 5432\nprimary_conninfo = 'host=x' # added by pg-rex_standby_start\n",
    );
    let e = Case::new(local, pm02(None)).refused();
    assert!(e.contains("# added by pg-rex_standby_start"), "{e}");
}

/// `kill -9` after Pacemaker was started and before the promotion was seen: the next run
/// says what was interrupted and goes on from the wait (the checks held then; the lock the
/// agent writes when it promotes would refuse them now), never starting Pacemaker again.
#[test]
fn a_run_killed_after_starting_pacemaker_is_taken_over_from_the_wait() {
    let dir = tempfile::tempdir().unwrap();
    let mut j = crate::ops::journal::Journal::create(dir.path(), "primary-start", "pm01").unwrap();
    j.step(6, "Starting Pacemaker", crate::report::Outcome::Ok, true);
    j.set_arguments(serde_json::json!({ "started": true }));
    j.start_step(7, "Waiting", false);
    std::fs::rename(j.path(), dir.path().join("primary-start-killed-1.json")).unwrap();
    let local = pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt")
        .answer("systemctl is-active pacemaker", 0, "active\n")
        .file("/var/lib/pgsql/tmp/PGSQL.lock", "");
    let mut case = Case::new(local, pm02(None));
    case.dry_run = true;
    case.journal_dir = Some(dir.path().to_path_buf());
    let (r, text) = case.run();
    assert!(r.is_ok(), "{text}");
    assert!(
        text.contains("the previous primary-start on this node did not finish")
            && text.contains("it was interrupted during step 7 (Waiting)"),
        "{text}"
    );
    assert!(
        text.contains("the interrupted primary-start started it"),
        "{text}"
    );
    assert!(
        text.contains("(dry run) would wait until pm01 is the primary"),
        "{text}"
    );
    assert!(!text.contains("would remove"), "{text}");
    assert!(!text.contains("then start Pacemaker"), "{text}");
    // Without the killed run's journal the same node is refused, as before.
    let local = pm01(Some("LATEST"), "postgres/controldata_pg15_shut_down.txt").answer(
        "systemctl is-active pacemaker",
        0,
        "active\n",
    );
    let e = Case::new(local, pm02(None)).refused();
    assert!(e.contains("already running on pm01"), "{e}");
    assert_eq!(
        plan::resumed_actions(true, true),
        [
            Action::LoadXml,
            Action::UnblockQuorum,
            Action::WaitPrimary,
            Action::ClearFenceHistory
        ]
    );
}

/// pg_waldump failing on the peer (here: its WAL unreadable) no longer lets `--remove-lock`
/// fall back to the peer's checkpoint, which understates its data: refused, lock kept.
#[test]
fn remove_lock_is_refused_when_the_peer_wal_cannot_be_read() {
    let control = "postgres/controldata_pg15_shut_down_in_recovery.txt";
    let peer = pm02(Some(control))
        .file(format!("{PG_WAL}/000000010000000000000003"), "")
        .answer(
            "pg_waldump",
            0,
            "pg_waldump: error: could not open file \"000000010000000000000003\": Permission denied\n",
        );
    let local = with_wal(pm01(Some("LATEST"), control)).file(LOCK, "");
    let mut case = Case::new(local, peer);
    case.remove_lock = true;
    let e = case.refused();
    assert!(e.contains("cannot tell where the WAL of"), "{e}");
    assert!(e.contains("Permission denied"), "{e}");
    assert!(case.local.has_file(LOCK));
}

/// A peer whose pg_wal holds no segment: its WAL end is unknown, not its checkpoint.
#[test]
fn remove_lock_is_refused_when_the_peer_has_no_wal() {
    let control = "postgres/controldata_pg15_shut_down_in_recovery.txt";
    let local = with_wal(pm01(Some("LATEST"), control)).file(LOCK, "");
    let mut case = Case::new(local, pm02(Some(control)));
    case.remove_lock = true;
    let e = case.refused();
    assert!(e.contains("holds no WAL segment"), "{e}");
    assert!(case.local.has_file(LOCK));
}
