//! `standby-start` on recorded fake nodes: pm01, the old primary after a failover
//! (tests/fixtures/status/pgrex17/failed-over*: pm02 primary, pm01's data-status
//! DISCONNECT), joins pm02. The refusals of the checks change nothing; a lock file is
//! removed only with a method that justifies it, and a dry run describes every change.

use super::*;
use crate::node::fake::{fixture, FakeNode};
use crate::ops::testing::{ctx, Rec};
use crate::profile::Profile;
use crate::report::Answer;
use crate::ExitCode;
use std::sync::Arc;

const LOCK: &str = "/var/lib/pgsql/tmp/PGSQL.lock";
const ARCHIVE: &str = "/var/lib/pgsql/archive";

/// pm01 stopped, its data a standby's that shut down on timeline 1 (recorded pg_control),
/// nothing in pg_wal or the archive.
fn pm01() -> FakeNode {
    FakeNode::local()
        .answer("systemctl is-active", 3, "inactive\n")
        .file(COROSYNC_CONF, "totem {}\n")
        .file("/var/lib/pgsql/data/PG_VERSION", "15\n")
        .file("/var/lib/pgsql/data/global/pg_control", "")
        .dir("/var/lib/pgsql/data/pg_wal")
        .answer_fixture(
            "pg_controldata",
            0,
            "postgres/controldata_pg15_shut_down_in_recovery.txt",
        )
}

/// What `psql` prints for the facts query on pm02: a primary on timeline 2 (fields
/// separated by U+001F, as psql_facts_cmd asks), no standby connected.
/// The psql facts of the recorded primary (PostgreSQL 15, timeline 2), shared with the
/// signal files' tests.
pub(super) fn psql_facts() -> String {
    [
        "false",
        "0/301A2D0",
        "000000020000000000000003",
        "",
        "",
        "2",
        "",
        "on",
        "on",
        "on",
        "5432",
        "150004",
        "16777216",
        "",
    ]
    .join("\u{1f}")
        + "\n"
}

/// pm02, the primary after the failover (promoted to timeline 2, recorded history file).
fn pm02() -> FakeNode {
    pm02_with_cib(fixture("status/pgrex17/failed-over.cib.xml"))
}

fn pm02_with_cib(cib: String) -> FakeNode {
    pm02_without_history(cib).file(
        format!("{ARCHIVE}/00000002.history"),
        fixture("postgres/00000002.history"),
    )
}

/// [`pm02_with_cib`] before its archive got the timeline history file.
fn pm02_without_history(cib: String) -> FakeNode {
    FakeNode::peer("192.0.2.2")
        .answer_fixture("crm_mon", 0, "status/pgrex17/failed-over.xml")
        .answer("cibadmin -Q", 0, cib)
        .answer("psql", 0, psql_facts())
        .answer_fixture(
            "pg_controldata",
            0,
            "postgres/controldata_pg15_promoted_tli2.txt",
        )
}

struct Case {
    local: FakeNode,
    peer: Arc<FakeNode>,
    request: Request,
    dry_run: bool,
}

impl Case {
    fn new(local: FakeNode, request: Request) -> Case {
        Case {
            local,
            peer: Arc::new(pm02()),
            request,
            dry_run: false,
        }
    }

    fn run(&self) -> (Result<(String, StandbyResult)>, String) {
        let rep = Rec::new(Answer::Yes);
        let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
        let connect = || -> Result<Box<dyn Node>> { Ok(Box::new(self.peer.clone())) };
        let o = StandbyOptions {
            request: self.request,
            check_only: false,
            timeouts: Timeouts::default(),
            pgpath: None,
            archive_dir: ARCHIVE.into(),
            peer_addr: "192.0.2.2".into(),
            rewind_via: crate::config::RewindVia::Auto,
            peer_ic: vec!["203.0.113.12".parse().unwrap()],
            standby_vip: true,
            names: &names,
            connect: &connect,
        };
        let r = standby_start(&ctx(&rep, &self.local, self.dry_run), &o);
        (r, rep.text())
    }

    /// A refusal (exit 3) that changed nothing on either node; its message.
    fn refused(&self) -> String {
        let (r, text) = self.run();
        let e = r.map(|(m, _)| m).expect_err(&text);
        assert_eq!(e.exit_code(), ExitCode::Refused, "{e}\n{text}");
        assert_eq!(self.local.changes(), [], "{text}");
        assert_eq!(self.peer.changes(), [], "{text}");
        let acted =
            self.local.commands().into_iter().any(|c| {
                c.contains("start") || c.contains("pg_rewind") || c.contains("pg_basebackup")
            });
        assert!(!acted, "nothing may be run that changes: {text}");
        format!("{e}\n{text}")
    }
}

fn normal() -> Request {
    Request {
        normal: true,
        ..Request::default()
    }
}

#[test]
fn a_process_using_pgdata_is_refused() {
    let e = Case::new(pm01().holder(777, "bash"), normal()).refused();
    assert!(
        e.contains("/var/lib/pgsql/data is in use by: PID 777 (bash"),
        "{e}"
    );
}

#[test]
fn a_lock_file_without_a_justifying_method_is_refused() {
    // -n alone: pm01's data-status DISCONNECT cannot prove its data is not ahead.
    let case = Case::new(pm01().file(LOCK, ""), normal());
    let e = case.refused();
    assert!(e.contains("no way to start this node as a standby"), "{e}");
    assert!(
        e.contains("as it is (n): not possible: PGSQL.lock exists and starting as it is cannot be proven safe (data-status DISCONNECT)"),
        "{e}"
    );
    // The same data without the lock file may start as it is (a dry run shows it).
    assert!(case.local.has_file(LOCK));
    let mut clean = Case::new(pm01(), normal());
    clean.dry_run = true;
    let (r, text) = clean.run();
    assert!(r.is_ok(), "{text}");
    assert!(text.contains("as it is (n): possible"), "{text}");
}

#[test]
fn a_dry_run_with_a_justifying_method_describes_the_removal() {
    // -b replaces the data: the lock may go. The dry run shows it and removes nothing.
    let mut case = Case::new(
        pm01().file(LOCK, ""),
        Request {
            basebackup: true,
            ..Request::default()
        },
    );
    case.dry_run = true;
    let (r, text) = case.run();
    let (msg, result) = r.expect(&text);
    assert!(msg.starts_with("dry run complete"), "{msg}");
    assert_eq!(result.method, Some(Method::BaseBackup));
    assert!(!result.lock_removed, "a dry run removes no lock");
    assert!(
        text.contains(
            "(dry run) would replace /var/lib/pgsql/data with a base backup taken from 192.0.2.2"
        ) && text.contains(&format!("(dry run) would remove {LOCK}"))
            && text.contains("(dry run) would wait until pm01 is the synchronous standby of pm02"),
        "{text}"
    );
    assert_eq!(case.local.changes(), []);
    assert!(case.local.has_file(LOCK));
    assert!(!case.local.commands().iter().any(|c| c.contains("ping")));
}

#[test]
fn a_lock_file_and_a_missing_data_status_cannot_start_as_it_is() {
    // pm01's data-status was never persisted in the primary's CIB: nothing proves the data.
    let cib = fixture("status/pgrex17/failed-over.cib.xml");
    let recorded =
        r#"<nvpair id="nodes-1-pgsql-data-status" name="pgsql-data-status" value="DISCONNECT"/>"#;
    assert!(cib.contains(recorded));
    let mut case = Case::new(pm01().file(LOCK, ""), normal());
    case.peer = Arc::new(pm02_with_cib(cib.replace(recorded, "")));
    let e = case.refused();
    assert!(
        e.contains("cannot be proven safe (data-status -)")
            && e.contains("persisted data-status is -"),
        "{e}"
    );
}

#[test]
fn pacemaker_running_here_is_refused() {
    let local = pm01().answer("systemctl is-active pacemaker", 0, "active\n");
    let case = Case::new(local, normal());
    let e = case.refused();
    assert!(
        e.contains("Pacemaker or Corosync is running on pm01"),
        "{e}"
    );
    assert_eq!(case.peer.commands(), Vec::<String>::new());
}

#[test]
fn no_corosync_conf_is_refused() {
    let local = FakeNode::local()
        .answer("systemctl is-active", 3, "inactive\n")
        .file("/var/lib/pgsql/data/PG_VERSION", "15\n");
    let e = Case::new(local, normal()).refused();
    assert!(
        e.contains(&format!("{COROSYNC_CONF} does not exist")),
        "{e}"
    );
}

#[test]
fn no_primary_on_the_peer_is_refused() {
    // Pacemaker is not running on pm02 (crm_mon's "not connected"): nothing to replicate from.
    let mut case = Case::new(pm01(), normal());
    case.peer = Arc::new(FakeNode::peer("192.0.2.2").answer_fixture(
        "crm_mon",
        102,
        "status/errors/not-running.xml",
    ));
    let e = case.refused();
    assert!(
        e.contains("no primary runs on the other node (192.0.2.2)"),
        "{e}"
    );
}

#[test]
fn no_timeline_history_in_the_peers_archive_is_refused() {
    let mut case = Case::new(pm01(), normal());
    case.peer = Arc::new(pm02_without_history(fixture(
        "status/pgrex17/failed-over.cib.xml",
    )));
    let e = case.refused();
    assert!(
        e.contains(&format!(
            "no timeline history file in the primary's archive {ARCHIVE}"
        )),
        "{e}"
    );
}

#[test]
fn a_stale_timeline_history_in_the_peers_archive_is_refused() {
    // The primary is on timeline 2, its archive's newest history file is timeline 1's.
    let mut case = Case::new(pm01(), normal());
    case.peer = Arc::new(
        pm02_without_history(fixture("status/pgrex17/failed-over.cib.xml")).file(
            format!("{ARCHIVE}/00000001.history"),
            fixture("postgres/00000002.history"),
        ),
    );
    let e = case.refused();
    assert!(
        e.contains(&format!(
            "the primary's archive lacks 00000002.history in {ARCHIVE}"
        )),
        "{e}"
    );
}

#[test]
fn the_menu_without_a_terminal_is_refused() {
    // No method flag: the menu is needed, and the recording reporter has no terminal.
    let menu = Request {
        check_all: true,
        ..Request::default()
    };
    let e = Case::new(pm01(), menu).refused();
    assert!(
        e.contains("no method flag given and no terminal for the menu"),
        "{e}"
    );
}

/// pm01 after `kill -9` during `standby-start -b`: pg_basebackup had copied PG_VERSION but
/// not yet global/pg_control (it copies that last); the archive holds what earlier starts
/// synced. pg_controldata would fail on it, so it is never asked.
fn pm01_half_filled() -> FakeNode {
    FakeNode::local()
        .answer("systemctl is-active", 3, "inactive\n")
        .file(COROSYNC_CONF, "totem {}\n")
        .file("/var/lib/pgsql/data/PG_VERSION", "15\n")
        .dir("/var/lib/pgsql/data/base")
        .file(format!("{ARCHIVE}/000000010000000000000002"), "")
}

/// The journal a standby-start killed in its base backup leaves: running, a change begun,
/// the step in progress.
fn killed_journal(dir: &std::path::Path) {
    let mut j = crate::ops::journal::Journal::create(dir, "standby-start", "pm01").unwrap();
    j.set_arguments(serde_json::json!({ "method": Method::BaseBackup }));
    j.step(6, "Checking the interconnect", Outcome::Ok, false);
    j.start_step(7, "Taking a base backup from 192.0.2.2", true);
}

#[test]
fn a_half_filled_data_directory_is_no_cluster_to_keep_or_rewind() {
    let case = Case::new(
        pm01_half_filled(),
        Request {
            normal: true,
            rewind: true,
            ..Request::default()
        },
    );
    let e = case.refused();
    assert!(
        e.contains("the data directory is incomplete (PG_VERSION without global/pg_control"),
        "{e}"
    );
    assert!(
        !case
            .local
            .commands()
            .iter()
            .any(|c| c.contains("pg_controldata")),
        "{:?}",
        case.local.commands()
    );
}

#[test]
fn after_a_killed_base_backup_the_next_run_says_so_and_starts_over_with_b() {
    let b = Request {
        basebackup: true,
        ..Request::default()
    };
    // Without the journal nothing explains the half-filled directory beside a full archive.
    let e = Case::new(pm01_half_filled(), b).refused();
    assert!(e.contains("the local archive is not empty"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    killed_journal(dir.path());
    let local = pm01_half_filled();
    let rep = Rec::new(Answer::Yes);
    let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
    let peer = Arc::new(pm02());
    let connect = || -> Result<Box<dyn Node>> { Ok(Box::new(peer.clone())) };
    let o = StandbyOptions {
        request: b,
        check_only: false,
        timeouts: Timeouts::default(),
        pgpath: None,
        archive_dir: ARCHIVE.into(),
        peer_addr: "192.0.2.2".into(),
        peer_ic: vec!["203.0.113.12".parse().unwrap()],
        standby_vip: true,
        rewind_via: crate::config::RewindVia::Auto,
        names: &names,
        connect: &connect,
    };
    let mut c = ctx(&rep, &local, true);
    c.journal_dir = Some(dir.path().to_path_buf());
    let (msg, result) = standby_start(&c, &o).unwrap_or_else(|e| panic!("{e}\n{}", rep.text()));
    let text = rep.text();
    assert!(msg.starts_with("dry run complete"), "{msg}");
    assert_eq!(result.method, Some(Method::BaseBackup));
    assert!(
        text.contains(
            "the previous standby-start on this node did not finish (journal standby-start-"
        ) && text.contains(
            "left running): it was interrupted during step 7 (Taking a base backup from 192.0.2.2)"
        ),
        "{text}"
    );
    assert!(
        text.contains("(dry run) would replace /var/lib/pgsql/data with a base backup"),
        "{text}"
    );
    // A dry run closes nothing: the killed run stays unfinished.
    let all = crate::ops::journal::list(dir.path()).unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].1.unfinished());
}

/// The peer's CIB is not trusted blindly: a `pgdata` that would send `install -d` and
/// `find -delete` elsewhere, or a `repuser` that would add conninfo keywords, is refused
/// before anything runs.
#[test]
fn bad_values_in_the_peers_cib_are_refused_before_use() {
    let cib = fixture("status/pgrex17/failed-over.cib.xml");
    let pgdata = r#"<nvpair name="pgdata" value="/var/lib/pgsql/data" id="pgsql-instance_attributes-pgdata"/>"#;
    let repuser =
        r#"<nvpair name="repuser" value="repuser" id="pgsql-instance_attributes-repuser"/>"#;
    assert!(cib.contains(pgdata) && cib.contains(repuser));
    for (from, to, key) in [
        (
            pgdata,
            pgdata.replace("/var/lib/pgsql/data", "/var/lib/pgsql/../.."),
            "pgdata",
        ),
        (pgdata, pgdata.replace("/var/lib/pgsql/data", "/"), "pgdata"),
        (
            pgdata,
            pgdata.replace("/var/lib/pgsql/data", "/var/lib/pgsql"),
            "ARCHIVE_DIR",
        ),
        (
            repuser,
            repuser.replace(r#"value="repuser""#, r#"value="rep password=x""#),
            "repuser",
        ),
    ] {
        let mut case = Case::new(
            pm01(),
            Request {
                basebackup: true,
                ..normal()
            },
        );
        case.peer = Arc::new(pm02_with_cib(cib.replace(from, &to)));
        let e = case.refused();
        assert!(e.contains(&format!("{key} is `")), "{key}: {e}");
    }
}

/// The recording the Perl layout's CLI test replays (cli/perl/layout_tests.rs): what a dry
/// run of `-b` reports on the recorded nodes, step by step (`PGREX_BLESS=1` rewrites it:
/// review the diff).
#[test]
fn the_data_step_reports_one_line_per_method_in_the_order_n_r_b() {
    let mut case = Case::new(
        pm01(),
        Request {
            basebackup: true,
            ..Request::default()
        },
    );
    case.dry_run = true;
    let (r, text) = case.run();
    r.expect(&text);
    // The layout makes sub-steps 4.1–4.3 of these lines: one per method, in this order.
    let data = text
        .split_once(&format!(". {}\n", m::STEP_DATA.text()))
        .map(|(_, rest)| rest)
        .expect(&text);
    let methods: Vec<&str> = data
        .lines()
        .take_while(|l| l.starts_with("   "))
        .filter_map(|l| l.trim_start().split_once(": ").map(|(m, _)| m))
        .collect();
    assert_eq!(
        methods,
        [m::METHOD_N.text(), m::METHOD_R.text(), m::METHOD_B.text()],
        "{text}"
    );
    let rel = "perl/standby-start-b-dry-run.txt";
    let path = crate::node::fake::fixture_path(rel);
    if std::env::var("PGREX_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("{text}\n")).unwrap();
    }
    assert_eq!(
        fixture(rel),
        format!("{text}\n"),
        "PGREX_BLESS=1 rewrites {rel}"
    );
}
