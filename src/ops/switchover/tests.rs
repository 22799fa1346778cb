//! The operation on recorded fake nodes (pm01 the primary of the recorded healthy pgrex17
//! cluster, pm02 its peer): every refusal, a declined prompt and a dry run change nothing
//! on either node (no crm_resource, no CHECKPOINT, no file written or removed).

use super::*;
use crate::node::fake::{fixture_path, FakeNode};
use crate::node::{DirEntry, FileMode, FileStat, NodeError};
use crate::ops::testing::{ctx, Rec};
use crate::profile::Profile;
use crate::report::Answer;
use std::sync::Arc;

/// The peer as a `Box<dyn Node>` the test can still inspect.
struct Shared(Arc<FakeNode>);

impl Node for Shared {
    fn describe(&self) -> String {
        self.0.describe()
    }
    fn is_local(&self) -> bool {
        false
    }
    fn output(
        &self,
        cmd: &crate::exec::Cmd,
        as_user: &RunAs,
    ) -> std::result::Result<crate::exec::Output, NodeError> {
        self.0.output(cmd, as_user)
    }
    fn stat(&self, path: &std::path::Path) -> std::result::Result<Option<FileStat>, NodeError> {
        self.0.stat(path)
    }
    fn read_to(
        &self,
        path: &std::path::Path,
        sink: &mut dyn std::io::Write,
    ) -> std::result::Result<u64, NodeError> {
        self.0.read_to(path, sink)
    }
    fn write_file(
        &self,
        path: &std::path::Path,
        data: &[u8],
        mode: FileMode,
    ) -> std::result::Result<(), NodeError> {
        self.0.write_file(path, data, mode)
    }
    fn remove_file(&self, path: &std::path::Path) -> std::result::Result<bool, NodeError> {
        self.0.remove_file(path)
    }
    fn list_dir(&self, path: &std::path::Path) -> std::result::Result<Vec<DirEntry>, NodeError> {
        self.0.list_dir(path)
    }
}

const NO_CONSTRAINTS: &str = "<constraints/>";
const A_BAN: &str = r#"<constraints><rsc_location id="cli-ban-pgsql-clone-on-pm02" rsc="pgsql-clone" role="Promoted" node="pm02" score="-INFINITY"/></constraints>"#;

fn pm01(constraints: &str) -> FakeNode {
    FakeNode::local()
        .answer_fixture("cibadmin -Q", 0, "status/pgrex17/healthy.cib.xml")
        .answer("cibadmin -Q -o constraints", 0, constraints)
        .answer("pg_current_wal_flush_lsn", 0, "0/5000060\n")
}

fn pm02(lock_holder: &str) -> Arc<FakeNode> {
    Arc::new(
        FakeNode::peer("198.51.100.12")
            .answer("pg_last_wal_replay_lsn", 0, "0/5000060\n")
            .answer("kill -0", 0, lock_holder),
    )
}

struct Case {
    local: FakeNode,
    peer: Arc<FakeNode>,
}

/// The recorded healthy pgrex17 cluster, as `pgrex status` would observe it.
fn healthy() -> Result<Snapshot> {
    Snapshot::load(
        &fixture_path("status/pgrex17/healthy.xml"),
        &crate::exec::Tools::new(),
    )
}

/// The lab's settings (pgrex17, D-LAN peer 198.51.100.12) around the given seams.
fn options<'a>(
    names: &'a dyn Fn(&[&str]) -> Names,
    observe: &'a dyn Fn() -> Result<Snapshot>,
    connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
) -> SwitchoverOptions<'a> {
    SwitchoverOptions {
        timeouts: Timeouts::default(),
        max_lag: 0,
        pgpath: None,
        archive_dir: "/var/lib/pgsql/archive".into(),
        standby_vip: true,
        peer_addr: "198.51.100.12".into(),
        rewind_via: crate::config::RewindVia::Auto,
        local_addr: "198.51.100.11".into(),
        lock_path: "/var/run/pg-rex_tools.pid".into(),
        names,
        observe,
        connect,
    }
}

fn run(c: &Case, answer: Answer, dry_run: bool) -> (Result<String>, String, SwitchoverResult) {
    let rep = Rec::new(answer);
    let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
    let observe = healthy;
    let peer = c.peer.clone();
    let connect = move || -> Result<Box<dyn Node>> { Ok(Box::new(Shared(peer.clone()))) };
    let o = options(&names, &observe, &connect);
    let mut out = SwitchoverResult::default();
    let r = switchover(&ctx(&rep, &c.local, dry_run), &o, &mut out);
    (r, rep.text(), out)
}

fn assert_nothing_changed(c: &Case) {
    for cmds in [c.local.commands(), c.peer.commands()] {
        assert!(!cmds.iter().any(|l| l.contains("crm_resource")), "{cmds:?}");
        assert!(!cmds.iter().any(|l| l.contains("CHECKPOINT")), "{cmds:?}");
        assert!(!cmds.iter().any(|l| l.contains("flock")), "{cmds:?}");
    }
    assert!(c.local.changes().is_empty() && c.peer.changes().is_empty());
}

#[test]
fn a_leftover_ban_is_refused_with_its_clear_command_and_nothing_changes() {
    let c = Case {
        local: pm01(A_BAN),
        peer: pm02(""),
    };
    let (r, text, _) = run(&c, Answer::Yes, false);
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    let msg = e.to_string();
    assert!(msg.contains("cli-ban-pgsql-clone-on-pm02"), "{msg}");
    assert!(
        msg.contains("crm_resource --clear -r pgsql-clone -N pm02 --promoted"),
        "{msg}"
    );
    assert!(!text.contains("Primary: pm01 -> pm02"), "{text}");
    assert_nothing_changed(&c);
}

#[test]
fn an_operation_running_on_the_peer_is_refused_naming_its_pid() {
    let c = Case {
        local: pm01(NO_CONSTRAINTS),
        peer: pm02("4242\n"),
    };
    let e = run(&c, Answer::Yes, false).0.unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    assert!(e.to_string().contains("PID 4242"), "{e}");
    assert_nothing_changed(&c);
}

#[test]
fn a_lagging_standby_is_refused_with_both_lsns() {
    let c = Case {
        local: pm01(NO_CONSTRAINTS).answer("pg_current_wal_flush_lsn", 0, "0/6000000\n"),
        peer: pm02(""),
    };
    let e = run(&c, Answer::Yes, false).0.unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("0/6000000") && msg.contains("0/5000060") && msg.contains("16777120 bytes"),
        "{msg}"
    );
    assert_nothing_changed(&c);
}

#[test]
fn a_declined_prompt_shows_the_roles_and_changes_nothing() {
    let c = Case {
        local: pm01(NO_CONSTRAINTS),
        peer: pm02(""),
    };
    let (r, text, out) = run(&c, Answer::No, false);
    assert_eq!(r.unwrap_err().exit_code(), crate::ExitCode::Declined);
    assert!(
        text.contains("Primary: pm01 -> pm02") && text.contains("Standby: pm02 -> pm01"),
        "{text}"
    );
    assert_eq!(
        out.roles,
        Some(Roles {
            old: "pm01".into(),
            new: "pm02".into()
        })
    );
    assert_nothing_changed(&c);
}

#[test]
fn a_dry_run_runs_every_check_and_describes_the_move() {
    let c = Case {
        local: pm01(NO_CONSTRAINTS),
        peer: pm02(""),
    };
    let (r, text, out) = run(&c, Answer::Refused, true);
    assert!(r.unwrap().starts_with("dry run complete"), "{text}");
    // The ban: crm_resource's id (so --clear removes it), the role on the rule (honoured,
    // unlike a rule-bearing rsc_location's own role), and its lifetime.
    let ban = text
        .lines()
        .find(|l| l.contains("would run `cibadmin --create -o constraints -X"))
        .unwrap_or_else(|| panic!("no ban in {text}"));
    for want in [
        r#"<rsc_location id="cli-ban-pgsql-clone-on-pm01" rsc="pgsql-clone">"#,
        r#"role="Promoted" score="-INFINITY""#,
        r##"attribute="#uname" operation="eq" value="pm01""##,
        r#"<date_expression id="cli-ban-pgsql-clone-on-pm01-lifetime" operation="lt" end=""#,
    ] {
        assert!(ban.contains(want), "{want} in {ban}");
    }
    assert!(
        text.contains("would run `crm_resource --clear --promoted -r pgsql-clone -N pm01`"),
        "{text}"
    );
    assert!(
        text.contains("would compare pm01's shutdown checkpoint"),
        "{text}"
    );
    assert!(!out.constraint_removed && out.proof.is_none());
    assert_nothing_changed(&c);
}

/// `pgrex abort` of a switchover that never moved (pm01, the old primary, still answers as
/// the primary): the ban is removed (harmless when there is none) and nothing else runs.
#[test]
fn abort_before_the_move_only_removes_the_ban() {
    let local = pm01(NO_CONSTRAINTS)
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml")
        .answer("crm_resource --clear", 0, "")
        .answer("SELECT 1", 0, "1\n");
    let c = Case {
        local,
        peer: pm02(""),
    };
    let rep = Rec::new(Answer::Yes);
    let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
    let observe = healthy;
    let peer = c.peer.clone();
    let connect = move || -> Result<Box<dyn Node>> { Ok(Box::new(Shared(peer.clone()))) };
    let o = options(&names, &observe, &connect);
    let roles = Roles {
        old: "pm01".into(),
        new: "pm02".into(),
    };
    let mut out = SwitchoverResult::default();
    let msg = resume::continue_switchover(
        &ctx(&rep, &c.local, false),
        &o,
        &roles,
        resume::Mode::Abort,
        &mut out,
    )
    .unwrap();
    assert!(
        msg.contains("nothing had moved; pm01 is still the primary"),
        "{msg}"
    );
    // The other node is in the cluster: one wait for a primary, no settling after a loss.
    let text = rep.text();
    assert_eq!(text.matches("Waiting for a primary").count(), 1, "{text}");
    assert!(!text.contains("after losing"), "{text}");
    let cmds = c.local.commands();
    let changing: Vec<_> = cmds.iter().filter(|l| l.contains("crm_resource")).collect();
    assert_eq!(
        changing,
        ["crm_resource --clear --promoted -r pgsql-clone -N pm01"],
        "{cmds:?}"
    );
    assert!(c.local.changes().is_empty() && c.peer.changes().is_empty());
    assert!(!c
        .peer
        .commands()
        .iter()
        .any(|l| l.contains("pg_ctl") || l.contains("flock")));
}

/// Abort with the other node powered off: no SSH session, yet the ban is removed and this
/// node, still the primary, is the safe state; the other node is named for standby-start.
#[test]
fn abort_without_the_peer_removes_the_ban_and_names_the_lost_node() {
    let local = pm01(NO_CONSTRAINTS)
        .answer_fixture("crm_mon", 0, "status/pgrex17/healthy.xml")
        .answer("crm_resource --clear", 0, "")
        .answer("SELECT 1", 0, "1\n");
    let rep = Rec::new(Answer::Yes);
    let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
    let observe = healthy;
    let connect =
        || -> Result<Box<dyn Node>> { Err(Error::other("connection timed out".to_string(), None)) };
    let o = options(&names, &observe, &connect);
    let roles = Roles {
        old: "pm01".into(),
        new: "pm02".into(),
    };
    let mut out = SwitchoverResult::default();
    let msg = resume::continue_switchover(
        &ctx(&rep, &local, false),
        &o,
        &roles,
        resume::Mode::Abort,
        &mut out,
    )
    .unwrap();
    assert!(msg.contains("pm02 is not in the cluster"), "{msg}");
    assert!(
        rep.text().contains("only this node's side"),
        "{}",
        rep.text()
    );
    let cmds = local.commands();
    assert!(
        cmds.iter()
            .any(|l| l == "crm_resource --clear --promoted -r pgsql-clone -N pm01"),
        "{cmds:?}"
    );
    // Resume needs the other node: refused at once, nothing run.
    let local = pm01(NO_CONSTRAINTS);
    let e = resume::continue_switchover(
        &ctx(&rep, &local, false),
        &o,
        &roles,
        resume::Mode::Resume,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    assert!(local.commands().is_empty(), "{:?}", local.commands());
}

#[test]
fn a_node_offline_or_unclean_has_left_the_cluster() {
    let st = |f: &str| crate::pacemaker::parse::crm_mon(&crate::node::fake::fixture(f), f).unwrap();
    let healthy = st("status/pgrex17/healthy.xml");
    assert!(!act::node_lost(&healthy, "pm02"));
    assert!(act::node_lost(&healthy, "pm03"));
    let alone = st("status/pgrex17/primary-alone.xml");
    assert!(act::node_lost(&alone, "pm02"));
    assert!(!act::node_lost(&alone, "pm01"));
    let unclean = st("status/pgrex17/unclean.xml");
    assert!(act::node_lost(&unclean, "pm01"));
}

/// The recording of a switchover pm02 → pm01 cut short by pm01's power-off: pm02's
/// PostgreSQL already stopped (fast, before the ban), pm01 fenced, no primary. Abort starts
/// pm02 again: its PGSQL.lock removed (saying why) and its fail-count cleared.
#[test]
fn abort_starts_a_stranded_old_primary_again() {
    let st = crate::pacemaker::parse::crm_mon(
        &crate::node::fake::fixture("switchover/peer_lost_old_stopped.xml"),
        "t",
    )
    .unwrap();
    let names = Names::defaults(Profile::Pgrex17);
    assert!(act::old_primary_stranded(&st, &names, "pm02", "pm01"));
    assert!(!act::old_primary_stranded(&st, &names, "pm01", "pm02"));
    let healthy = crate::pacemaker::parse::crm_mon(
        &crate::node::fake::fixture("status/pgrex17/healthy.xml"),
        "t",
    )
    .unwrap();
    assert!(!act::old_primary_stranded(&healthy, &names, "pm01", "pm02"));

    let local = FakeNode::local()
        .answer_fixture("cibadmin -Q", 0, "status/pgrex17/healthy.cib.xml")
        .answer_fixture("crm_mon", 0, "switchover/peer_lost_old_stopped.xml")
        .answer("crm_resource", 0, "")
        .file("/var/lib/pgsql/tmp/PGSQL.lock", "");
    let rep = Rec::new(Answer::Yes);
    let n = |_: &[&str]| Names::defaults(Profile::Pgrex17);
    let observe = healthy_snapshot;
    let connect =
        || -> Result<Box<dyn Node>> { Err(Error::other("connection timed out".to_string(), None)) };
    let mut o = options(&n, &observe, &connect);
    o.timeouts.switchover = std::time::Duration::from_millis(50);
    let roles = Roles {
        old: "pm02".into(),
        new: "pm01".into(),
    };
    let mut c = ctx(&rep, &local, false);
    c.me = "pm02".into();
    let mut out = SwitchoverResult::default();
    // The recording never changes: no primary appears, so the wait times out afterwards.
    let e = resume::continue_switchover(&c, &o, &roles, resume::Mode::Abort, &mut out).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Timeout, "{e}");
    assert!(!local.has_file("/var/lib/pgsql/tmp/PGSQL.lock"));
    let text = rep.text();
    assert!(
        text.contains("pm02's data-status is still LATEST"),
        "{text}"
    );
    let cmds = local.commands();
    assert!(
        cmds.iter()
            .any(|l| l.contains("crm_resource --cleanup") && l.contains("pm02")),
        "{cmds:?}"
    );
}

fn healthy_snapshot() -> Result<Snapshot> {
    healthy()
}

/// Resume's "how the old primary stands": Unpromoted counts as a running standby only with
/// a server in recovery — in the seed lab a resume once took the failed start Pacemaker was
/// recovering (refused for PGSQL.lock, still shown Unpromoted) for a standby, skipped the
/// proof and the lock's removal, and waited 300 s for an HS:sync that could not come.
#[test]
fn the_old_primary_runs_as_a_standby_only_when_its_server_is_in_recovery() {
    use super::resume::old_settled;
    use crate::pacemaker::Role;
    assert_eq!(old_settled(Some(Role::Unpromoted), true, false), Some(true));
    // The failed start, shut down and still Unpromoted: not settled yet.
    assert_eq!(old_settled(Some(Role::Unpromoted), false, true), None);
    assert_eq!(old_settled(Some(Role::Unpromoted), false, false), None);
    // Recovered by Pacemaker: stopped cleanly, the proof decides.
    assert_eq!(old_settled(Some(Role::Stopped), false, true), Some(false));
    assert_eq!(old_settled(None, false, true), Some(false));
    // Stopping or starting: wait.
    assert_eq!(old_settled(Some(Role::Stopping), false, true), None);
    assert_eq!(old_settled(None, false, false), None);
}

/// The wait for the new primary on recorded crm_mon output of both profiles: promoted
/// with the primary group (a group: the VIPs are its members) started is ready; promoted
/// with the group stopped (`vip-nowhere`: pgsql promoted on pm01, both VIPs stopped) is
/// still pending on the service VIP — removing the ban then would abort the transition
/// that starts it.
#[test]
fn the_new_primary_is_ready_only_with_its_vips_started() {
    for profile in [Profile::Pgrex17, Profile::Seed] {
        let dir = if profile == Profile::Seed {
            "seed"
        } else {
            "pgrex17"
        };
        let names = Names::defaults(profile);
        let st = |f: &str| {
            let rel = format!("status/{dir}/{f}");
            let text = std::fs::read_to_string(fixture_path(&rel)).unwrap();
            crate::pacemaker::parse::crm_mon(&text, &rel).unwrap()
        };
        let healthy = st("healthy.xml");
        assert!(
            matches!(
                act::new_primary_ready(&healthy, &names, "pm01"),
                Poll::Ready
            ),
            "{dir}: healthy, pm01 promoted with its VIPs"
        );
        match act::new_primary_ready(&st("vip-nowhere.xml"), &names, "pm01") {
            Poll::Pending(why) => assert!(
                why.contains(names.vip_primary.as_deref().unwrap()),
                "{dir}: {why}"
            ),
            Poll::Ready => panic!("{dir}: promoted without its VIPs is not ready"),
        }
        match act::new_primary_ready(&healthy, &names, "pm02") {
            Poll::Pending(why) => assert!(why.contains("pm02"), "{dir}: {why}"),
            Poll::Ready => panic!("{dir}: pm02 is not the primary"),
        }
    }
}
