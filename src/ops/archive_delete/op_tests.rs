//! The whole operation on recorded nodes: PostgreSQL's answers (pg_controldata, psql) come
//! from recordings through [`FakeNode`], the archive directory is a real one, so a test
//! proves which files a run leaves — and that every refusal leaves all of them.

use super::super::{archive_delete, ArchiveDeleteOptions, BackupPath, Mode, Report};
use super::{generate, names, ARCHIVE};
use crate::exec::{Cmd, Output};
use crate::node::fake::{command_line, FakeNode};
use crate::node::{DirEntry, FileMode, FileStat, LocalNode, Node, NodeError, RunAs};
use crate::ops::testing::Rec;
use crate::ops::OpContext;
use crate::profile::Names;
use crate::report::Answer;
use crate::{Error, ExitCode};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

const ARCH: &str = "/var/lib/pgsql/archive";
const PGDATA: &str = "/var/lib/pgsql/data";
const STANDBY: &str = "postgres/controldata_pg15_in_archive_recovery.txt"; // REDO …03
const PROMOTED: &str = "postgres/controldata_pg15_promoted_tli2.txt"; // REDO 2/…03
const OTHER: &str = "postgres/controldata_pg15_walseg64.txt"; // another cluster

/// A node whose PostgreSQL is recorded and whose archive directory ([`ARCH`]) is a real
/// directory: `sh` batches and file access below it go to this machine, the rest to the fake.
struct Mixed {
    fake: FakeNode,
    real: PathBuf,
}

impl Mixed {
    fn map(&self, p: &Path) -> Option<PathBuf> {
        p.strip_prefix(ARCH).ok().map(|rest| self.real.join(rest))
    }
    fn map_arg(&self, a: &str) -> String {
        match self.map(Path::new(a)) {
            Some(p) => p.to_string_lossy().into_owned(),
            None => a.to_string(),
        }
    }
}

#[derive(Clone)]
struct Shared(Arc<Mixed>);

impl Node for Shared {
    fn describe(&self) -> String {
        self.0.fake.describe()
    }
    fn is_local(&self) -> bool {
        self.0.fake.is_local()
    }
    fn output(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError> {
        let argv = cmd.argv();
        if argv[0] != "sh" {
            return self.0.fake.output(cmd, as_user);
        }
        self.0
            .fake
            .output(&Cmd::new("true").arg(command_line(cmd)), as_user)?;
        let mut c = Cmd::new("sh").args(argv[1..].iter().map(|a| self.0.map_arg(a)));
        if let Some(d) = cmd.stdin_data() {
            c = c.stdin(d.to_vec());
        }
        LocalNode.output(&c, as_user)
    }
    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError> {
        match self.0.map(path) {
            Some(p) => LocalNode.stat(&p),
            None => self.0.fake.stat(path),
        }
    }
    fn read_to(&self, path: &Path, sink: &mut dyn Write) -> Result<u64, NodeError> {
        match self.0.map(path) {
            Some(p) => LocalNode.read_to(&p, sink),
            None => self.0.fake.read_to(path, sink),
        }
    }
    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError> {
        self.0.fake.write_file(path, data, mode)
    }
    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        self.0.fake.remove_file(path)
    }
    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        match self.0.map(path) {
            Some(p) => LocalNode.list_dir(&p),
            None => self.0.fake.list_dir(path),
        }
    }
}

/// A node with a generated archive in `dir`, answering pg_controldata from `control`.
fn node(fake: FakeNode, dir: &Path, control: &str) -> Shared {
    generate(dir);
    Shared(Arc::new(Mixed {
        fake: fake
            .answer_fixture("pg_controldata", 0, control)
            .answer("psql", 0, "0\n"),
        real: dir.to_path_buf(),
    }))
}

struct Case {
    local: Shared,
    peer: Option<Shared>,
    mode: Mode,
    both: bool,
    backup: Option<BackupPath>,
    answer: Answer,
    dry_run: bool,
}

fn case(local: Shared, peer: Shared) -> Case {
    Case {
        local,
        peer: Some(peer),
        mode: Mode::Remove,
        both: false,
        backup: None,
        answer: Answer::Yes,
        dry_run: false,
    }
}

fn run(c: &Case) -> (crate::Result<String>, String, Report) {
    let rep = Rec::new(c.answer);
    let processes = FakeNode::local();
    let ctx = OpContext {
        reporter: &rep,
        tools: crate::exec::Tools::new(),
        local: &c.local,
        processes: &processes,
        me: "pm01".into(),
        interrupted: Arc::new(AtomicBool::new(false)),
        late_said: Default::default(),
        journal_dir: None,
        journal_keep: Default::default(),
        dry_run: c.dry_run,
    };
    let names = |ids: &[&str]| {
        Names::resolve(
            &Default::default(),
            crate::profile::ProfileChoice::Auto,
            "default",
            ids.iter().copied(),
        )
    };
    let peer = c.peer.clone();
    let connect = move || -> crate::Result<Box<dyn Node>> {
        match &peer {
            Some(p) => Ok(Box::new(p.clone())),
            None => Err(Error::other("connection refused", None)),
        }
    };
    let local = c.local.clone();
    let connect_backup =
        move |_: &str| -> crate::Result<Box<dyn Node>> { Ok(Box::new(local.clone())) };
    let o = ArchiveDeleteOptions {
        mode: c.mode,
        archive_dir: ARCH.into(),
        pgdata: Some(PGDATA.into()),
        pgdata_env: None,
        pgpath: None,
        backup: c.backup.clone(),
        both: c.both,
        force: false,
        owner: RunAs::postgres(),
        stamp: "20261201_101500".into(),
        names: &names,
        connect: &connect,
        connect_backup: &connect_backup,
    };
    let mut report = Report::default();
    let r = archive_delete(&ctx, &o, &mut report);
    (r, rep.text(), report)
}

fn all(dir: &Path) -> BTreeSet<String> {
    names(dir)
}

#[test]
fn dry_run_lists_in_order_and_changes_nothing() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(FakeNode::peer("192.0.2.2"), b.path(), STANDBY),
    );
    c.dry_run = true;
    c.both = true;
    let before = (all(a.path()), all(b.path()));
    let (r, text, report) = run(&c);
    let msg = r.unwrap();
    assert!(msg.contains("dry run"), "{msg}");
    assert_eq!((all(a.path()), all(b.path())), before);
    // Boundary …03 from both checkpoints; the two files before it, in order, on each node.
    assert!(text.contains("000000010000000000000003, from the latest checkpoint's REDO WAL file of pm01, latest checkpoint's REDO WAL file of root@192.0.2.2"), "{text}");
    let listed = "000000010000000000000001\n     000000010000000000000002\n     000000010000000000000002.00000028.backup";
    assert_eq!(text.matches(listed).count(), 2, "{text}");
    assert!(text.contains("not touched (6):"), "{text}");
    assert!(text.contains("(dry run) would remove 3 file(s)"), "{text}");
    assert!(!text.contains("? "), "a dry run asks nothing:\n{text}");
    assert_eq!(report.directories.len(), 2);
    assert_eq!(
        report.boundary.unwrap().wal.name(),
        "000000010000000000000003"
    );
}

#[test]
fn remove_on_both_nodes_keeps_what_the_oldest_reader_needs() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // This node promoted (REDO 2/…03), the peer a standby still at 1/…03: the peer's wins.
    let mut c = case(
        node(FakeNode::local(), a.path(), PROMOTED),
        node(FakeNode::peer("192.0.2.2"), b.path(), STANDBY),
    );
    c.both = true;
    let (r, text, report) = run(&c);
    assert!(
        r.unwrap()
            .starts_with("removed 6 archive file(s) older than 000000010000000000000003"),
        "{text}"
    );
    for d in [a.path(), b.path()] {
        let left = all(d);
        assert!(!left.contains("000000010000000000000002"));
        assert!(left.contains("000000010000000000000003"));
        assert_eq!(left.len(), ARCHIVE.len() - 3 + 6);
    }
    assert!(report.directories.iter().all(|d| d.done));
}

#[test]
fn move_creates_the_stamped_directory() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut c = case(
        node(FakeNode::local(), a.path(), PROMOTED),
        node(FakeNode::peer("192.0.2.2"), b.path(), PROMOTED),
    );
    c.mode = Mode::Move;
    let (r, text, _) = run(&c);
    assert!(r.is_ok(), "{text}");
    // Boundary 2/…03: all of timeline 1 moves; the peer's archive (no --both) stays whole.
    let moved = all(&a.path().join("20261201_101500"));
    assert_eq!(moved.len(), 11, "{moved:?}");
    assert_eq!(all(b.path()).len(), ARCHIVE.len() + 6);
}

#[test]
fn a_named_backup_older_than_both_checkpoints_is_the_boundary() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let bk = a.path().join("base");
    std::fs::create_dir(&bk).unwrap();
    std::fs::copy(
        crate::node::fake::fixture_path("postgres/backup_label_pg15.txt"),
        bk.join("backup_label"),
    )
    .unwrap();
    let mut c = case(
        node(FakeNode::local(), a.path(), PROMOTED),
        node(FakeNode::peer("192.0.2.2"), b.path(), PROMOTED),
    );
    c.backup = Some(BackupPath::parse(&format!("pm03:{ARCH}/base")).unwrap());
    c.dry_run = true;
    let (r, text, report) = run(&c);
    assert!(r.is_ok(), "{text}");
    let b = report.boundary.unwrap();
    assert_eq!(b.wal.name(), "000000010000000000000002");
    assert!(
        text.contains(&format!(
            "START WAL LOCATION of the base backup pm03:{ARCH}/base"
        )),
        "{text}"
    );
    assert_eq!(report.directories[0].plan.go, ["000000010000000000000001"]);
}

/// A refusal: exit 3 (or `code`), the archive whole, no batch command run.
fn refused(c: &Case, code: ExitCode, says: &str, dirs: &[&Path]) {
    let before: Vec<_> = dirs.iter().map(|d| all(d)).collect();
    let (r, text, _) = run(c);
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), code, "{}\n{text}", e.chain_text());
    let told = format!("{}\n{}", e.chain_text(), e.hint().unwrap_or_default());
    assert!(told.contains(says), "{told}");
    let after: Vec<_> = dirs.iter().map(|d| all(d)).collect();
    assert_eq!(before, after);
    assert!(!c
        .local
        .0
        .fake
        .commands()
        .iter()
        .any(|l| l.contains("xargs")));
}

#[test]
fn refusals_touch_nothing() {
    let tmp = || tempfile::tempdir().unwrap();
    let (a, b) = (tmp(), tmp());
    let peer = || FakeNode::peer("192.0.2.2");

    // The peer cannot be asked.
    let mut c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(peer(), b.path(), STANDBY),
    );
    c.peer = None;
    refused(&c, ExitCode::Refused, "cannot ask the peer", &[a.path()]);

    // The peer's control data cannot be read.
    let (a, b) = (tmp(), tmp());
    let broken = peer().answer("pg_controldata", 1, "");
    let c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        Shared(Arc::new(Mixed {
            fake: broken,
            real: b.path().into(),
        })),
    );
    refused(
        &c,
        ExitCode::Refused,
        "cannot read the control data of root@192.0.2.2",
        &[a.path()],
    );

    // Another cluster on the peer.
    let (a, b) = (tmp(), tmp());
    let c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(peer(), b.path(), OTHER),
    );
    refused(
        &c,
        ExitCode::Refused,
        "another database cluster",
        &[a.path()],
    );

    // This node's data directory is a base backup not yet started.
    let (a, b) = (tmp(), tmp());
    let local = FakeNode::local().file(
        format!("{PGDATA}/backup_label"),
        "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\n",
    );
    let c = case(
        node(local, a.path(), STANDBY),
        node(peer(), b.path(), STANDBY),
    );
    refused(&c, ExitCode::Refused, "backup_label", &[a.path()]);

    // The peer is serving a base backup.
    let (a, b) = (tmp(), tmp());
    let serving = peer().answer("pg_stat_activity", 0, "1\n");
    let c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(serving, b.path(), STANDBY),
    );
    refused(&c, ExitCode::Refused, "serving 1 base backup", &[a.path()]);

    // The peer's server runs (postmaster.pid) but psql fails: cannot tell.
    let (a, b) = (tmp(), tmp());
    let mute = peer()
        .answer("pg_stat_activity", 2, "")
        .file(format!("{PGDATA}/postmaster.pid"), "4242\n");
    let c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(mute, b.path(), STANDBY),
    );
    refused(
        &c,
        ExitCode::Refused,
        "cannot tell whether root@192.0.2.2",
        &[a.path()],
    );

    // No terminal and no --yes: refused after the plan was shown.
    let (a, b) = (tmp(), tmp());
    let mut c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(peer(), b.path(), STANDBY),
    );
    c.answer = Answer::Refused;
    refused(&c, ExitCode::Refused, "--yes", &[a.path()]);

    // The operator says no.
    let (a, b) = (tmp(), tmp());
    let mut c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(peer(), b.path(), STANDBY),
    );
    c.answer = Answer::No;
    refused(&c, ExitCode::Declined, "", &[a.path()]);

    // The move directory exists already.
    let (a, b) = (tmp(), tmp());
    let mut c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(peer(), b.path(), STANDBY),
    );
    std::fs::create_dir(a.path().join("20261201_101500")).unwrap();
    c.mode = Mode::Move;
    refused(&c, ExitCode::Refused, "already exists", &[a.path()]);
}

#[test]
fn a_server_that_does_not_run_serves_no_base_backup() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let stopped = FakeNode::peer("192.0.2.2").answer("pg_stat_activity", 2, "");
    let mut c = case(
        node(FakeNode::local(), a.path(), STANDBY),
        node(stopped, b.path(), STANDBY),
    );
    c.dry_run = true;
    let (r, text, _) = run(&c);
    assert!(r.is_ok(), "{text}");
}
