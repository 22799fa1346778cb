//! The recover run over recorded fake nodes (seen from pm02, the survivor, as the lab's
//! recordings are): a dry run walks the whole playbook in order, describes every change and
//! changes nothing on either node; the fence confirmation is refused without the operator's
//! `--confirm-fenced` (also under `--yes`) and described with it.

use super::*;
use crate::node::fake::FakeNode;
use crate::ops::testing::{ctx, Rec};
use crate::profile::Profile;
use crate::report::Answer;
use crate::testkit::Cluster;
use crate::ExitCode;
use std::path::PathBuf;
use std::sync::Arc;

pub(super) fn judged(rec: &str) -> Judged {
    judged_of(&Cluster::lab(Profile::Pgrex17, rec))
}

pub(super) fn judged_of(c: &Cluster) -> Judged {
    let snap = c.snapshot();
    Judged {
        diagnosis: crate::judge::diagnosis(&snap, &c.names),
        state: snap.view().cloned(),
        names: c.names.clone(),
    }
}

fn peer() -> FakeNode {
    FakeNode::peer("192.168.2.1")
        .answer("crm_node -n", 0, "pm01\n")
        // No operation runs there; the lock is taken and given back.
        .answer("[ -s \"$f\" ] || exit 0", 0, "")
        .answer("setsid flock", 0, "4242\n")
        .answer("kill 4242", 0, "")
}

/// The peer the run connects to, shared with the test so it can read what was asked.
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
        u: &crate::node::RunAs,
    ) -> std::result::Result<crate::exec::Output, crate::node::NodeError> {
        self.0.output(cmd, u)
    }
    fn stat(
        &self,
        p: &std::path::Path,
    ) -> std::result::Result<Option<crate::node::FileStat>, crate::node::NodeError> {
        self.0.stat(p)
    }
    fn read_to(
        &self,
        p: &std::path::Path,
        w: &mut dyn std::io::Write,
    ) -> std::result::Result<u64, crate::node::NodeError> {
        self.0.read_to(p, w)
    }
    fn write_file(
        &self,
        p: &std::path::Path,
        d: &[u8],
        m: crate::node::FileMode,
    ) -> std::result::Result<(), crate::node::NodeError> {
        self.0.write_file(p, d, m)
    }
    fn remove_file(
        &self,
        p: &std::path::Path,
    ) -> std::result::Result<bool, crate::node::NodeError> {
        self.0.remove_file(p)
    }
    fn list_dir(
        &self,
        p: &std::path::Path,
    ) -> std::result::Result<Vec<crate::node::DirEntry>, crate::node::NodeError> {
        self.0.list_dir(p)
    }
}

#[derive(Default)]
pub(super) struct Case {
    pub(super) rec: &'static str,
    pub(super) confirm_fenced: Option<String>,
    pub(super) fault: Option<FaultId>,
    /// More recorded answers of the other node (pm01).
    pub(super) answers: Vec<(&'static str, i32, &'static str)>,
    /// `pgrex resume` / `pgrex abort` of a stopped recover instead of a new one.
    pub(super) mode: Option<resume::Mode>,
    pub(super) original_primary: Option<String>,
    /// A hand-built cluster instead of the recording `rec` (judged the same every time).
    pub(super) cluster: Option<fn() -> Cluster>,
    /// More recorded answers of this node (pm02).
    pub(super) local_answers: Vec<(&'static str, i32, &'static str)>,
}

pub(super) fn run(
    c: Case,
    dry_run: bool,
) -> (Result<String>, String, Vec<crate::node::fake::Call>) {
    let (r, text, changes, _) = run_full(c, dry_run);
    (r, text, changes)
}

type Ran4 = (
    Result<String>,
    String,
    Vec<crate::node::fake::Call>,
    RecoverResult,
);

fn run_full(c: Case, dry_run: bool) -> Ran4 {
    let rep = Rec::new(Answer::Yes);
    let mut local = FakeNode::local();
    for (k, code, out) in &c.local_answers {
        local = local.answer(k, *code, *out);
    }
    let mut cx = ctx(&rep, &local, dry_run);
    cx.me = "pm02".into();
    let mut fake = peer();
    for (k, code, out) in &c.answers {
        fake = fake.answer(k, *code, *out);
    }
    let p = Arc::new(fake);
    let names = |_: &[&str]| Cluster::healthy(Profile::Pgrex17).names.clone();
    let connect = || -> Result<Box<dyn Node>> { Ok(Box::new(Shared(p.clone()))) };
    let cluster = || match c.cluster {
        Some(f) => f(),
        None => Cluster::lab(Profile::Pgrex17, c.rec),
    };
    let judge = || Ok(judged_of(&cluster()));
    let status = || Ok(cluster().snapshot());
    let o = RecoverOptions {
        fault: c.fault,
        node: None,
        switchback: false,
        allow_base_backup: false,
        confirm_fenced: c.confirm_fenced,
        original_primary: c.original_primary.clone(),
        life: Lifecycle {
            // An operator-action wait looks once, then times out (exit 5).
            timeouts: crate::config::Timeouts {
                recover_wait: std::time::Duration::ZERO,
                ..Default::default()
            },
            pgpath: None,
            archive_dir: PathBuf::from("/var/lib/pgsql/archive"),
            standby_vip: true,
            mine: "192.168.2.2".parse().unwrap(),
            peer: "192.168.2.1".parse().unwrap(),
            ic: vec![],
            lock_path: PathBuf::from("/var/run/pg-rex_tools.pid"),
            max_lag: 0,
            rewind_via: crate::config::RewindVia::Auto,
            cluster_name: "pgrex_cluster".into(),
            names: &names,
            connect: &connect,
        },
        judge: &judge,
        status_snapshot: &status,
    };
    let mut out = RecoverResult::default();
    let r = match c.mode {
        None => recover(&cx, &o, &mut out),
        Some(mode) => resume::continue_recover(&cx, &o, mode, &mut out),
    };
    // Writes and removals, and every command that is not a read.
    let mut changes = local.changes();
    changes.extend(p.changes());
    let reads = [
        "crm_node",
        "[ -s",
        "setsid flock",
        "kill 4242",
        "crm_mon",
        "systemctl is-active",
        // The operator steps' checks.
        "cat /sys/class/net/",
        "ping -n -c 1",
        "dd if=",
    ];
    for c in local.commands().into_iter().chain(p.commands()) {
        if !reads.iter().any(|r| c.contains(r)) {
            changes.push(crate::node::fake::Call::Run(c));
        }
    }
    (r, rep.text(), changes, out)
}

#[test]
fn a_dry_run_walks_the_failover_playbook_in_order_and_changes_nothing() {
    let (r, text, changes) = run(
        Case {
            rec: "pgsql-failure",
            confirm_fenced: None,
            fault: None,
            ..Default::default()
        },
        true,
    );
    let msg = r.unwrap();
    assert!(msg.contains("dry run"), "{msg}");
    assert!(changes.is_empty(), "{changes:?}");
    // The plan is shown, then each step in the playbook's order.
    let order = [
        "playbook for pgsql-failure on pm01",
        "[wait] On pm02: pgrex status",
        "[stop] On pm01: stop Pacemaker",
        "[wait] On pm02: pgrex status shows pm01 OFFLINE",
        "operator action: Find and repair the cause on pm01",
        "[note] On pm01: if /",
        "[standby-start] On pm01",
        "[verify] Verify",
        "[switchover] Optional",
    ];
    let mut at = 0;
    for o in order {
        let i = text[at..]
            .find(o)
            .unwrap_or_else(|| panic!("{o:?} not after {at} in\n{text}"));
        at += i + o.len();
    }
    assert!(
        text.contains("would run: On pm01: stop Pacemaker"),
        "{text}"
    );
    assert!(
        text.contains("the switch back runs at the end, with --switchback"),
        "{text}"
    );
    // A dry run asks nothing.
    assert!(!text.contains("? Run this step now"), "{text}");
}

#[test]
fn the_fence_is_confirmed_only_on_the_operators_flag_never_on_yes() {
    let (r, text, changes) = run(
        Case {
            rec: "fencing-failure",
            confirm_fenced: None,
            fault: Some(FaultId::FencingFailure),
            ..Default::default()
        },
        false,
    );
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Refused, "{e}");
    assert!(
        e.hint().unwrap().contains("--confirm-fenced pm01"),
        "{:?}",
        e.hint()
    );
    assert!(text.contains("[confirm-fence]"), "{text}");
    assert!(changes.is_empty(), "{changes:?}");

    let (r, text, _) = run(
        Case {
            rec: "fencing-failure",
            confirm_fenced: Some("pm01".into()),
            fault: Some(FaultId::FencingFailure),
            ..Default::default()
        },
        true,
    );
    r.unwrap();
    assert!(
        text.contains("would run: stonith_admin --confirm pm01"),
        "{text}"
    );
}

#[test]
fn a_named_fault_the_cluster_does_not_show_changes_nothing() {
    let (r, _, changes) = run(
        Case {
            rec: "vip-rep-failure",
            confirm_fenced: None,
            fault: Some(FaultId::RouterFailure),
            ..Default::default()
        },
        false,
    );
    assert_eq!(r.unwrap_err().exit_code(), ExitCode::Refused);
    assert!(changes.is_empty(), "{changes:?}");
}

/// A numbered step of the run (not a line of the plan shown before it) is of this kind.
fn ran(text: &str, kind: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(&format!(". {kind}")))
}

#[test]
fn a_repair_waits_on_pgrexs_own_check_and_times_out_naming_what_is_still_seen() {
    // vip-rep-failure: the replication VIP's NIC on pm01 is down: no confirmation under
    // --yes passes it; the wait ends in exit 5 naming the NIC, and the cleanup never ran.
    let (r, text, changes) = run(
        Case {
            rec: "vip-rep-failure",
            answers: vec![("cat /sys/class/net/eth2/operstate", 0, "down\n")],
            ..Default::default()
        },
        false,
    );
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Timeout, "{e}");
    assert!(
        e.to_string().contains("eth2 on pm01 is down, not up"),
        "{e}"
    );
    assert!(!text.contains("Is the cause repaired"), "{text}");
    assert!(!ran(&text, "[cleanup]"), "{text}");
    assert!(changes.is_empty(), "{changes:?}");

    // The NIC up: the check passes without a question and the cleanup step is next.
    let (_, text, _) = run(
        Case {
            rec: "vip-rep-failure",
            answers: vec![("cat /sys/class/net/eth2/operstate", 0, "up\n")],
            ..Default::default()
        },
        false,
    );
    let op = text.find("[operator]").expect(&text);
    let after = &text[op..];
    assert!(after.contains("...[OK]"), "{text}");
    assert!(ran(after, "[cleanup]"), "{text}");
    assert!(!text.contains("Is the cause repaired"), "{text}");
}

#[test]
fn a_service_lan_repair_waits_until_the_node_reaches_the_ping_target() {
    // Seen from pm02: pm01 is stopped over SSH first (not recorded here: the dry run shows
    // the wait's words), then the operator step pings the target from pm01.
    let (r, text, _) = run(
        Case {
            rec: "service-lan-failure",
            ..Default::default()
        },
        true,
    );
    r.unwrap();
    assert!(
        text.contains("pgrex then waits until pm01 reaches 192.0.2.254 (ping)"),
        "{text}"
    );
    let pm01 = FakeNode::peer("192.168.2.1").answer("ping -n -c 1 -W 2 192.0.2.254", 1, "");
    let check = crate::diagnose::playbook::Check::Reaches {
        addr: "192.0.2.254".into(),
    };
    assert_eq!(
        operator::look_on(&pm01, "pm01", &check).as_deref(),
        Some("pm01 does not reach 192.0.2.254 (ping)")
    );
    let pm01 = FakeNode::peer("192.168.2.1").answer("ping -n -c 1 -W 2 192.0.2.254", 0, "");
    assert_eq!(operator::look_on(&pm01, "pm01", &check), None);
}

#[test]
fn a_disk_is_read_back_before_the_node_rejoins() {
    let check = crate::diagnose::playbook::Check::DiskReads {
        drives: vec!["/run/lab-disk0".into()],
    };
    // The lab's failed disk: capacity 0, dd reads nothing (and exits 0).
    let failed = FakeNode::peer("192.168.2.1").answer(
        "dd if=/run/lab-disk0",
        0,
        "0+0 records in\n0+0 records out\n",
    );
    assert_eq!(
        operator::look_on(&failed, "pm01", &check).as_deref(),
        Some("/run/lab-disk0 on pm01 cannot be read")
    );
    let ok = FakeNode::peer("192.168.2.1").answer(
        "dd if=/run/lab-disk0",
        0,
        "1+0 records in\n1+0 records out\n4096 bytes copied\n",
    );
    assert_eq!(operator::look_on(&ok, "pm01", &check), None);
}

#[test]
fn never_as_is_withholds_only_the_start_as_it_is() {
    use crate::diagnose::playbook::MethodPolicy as P;
    let r = steps::request(P::NeverAsIs, false);
    assert!(!r.normal && r.rewind && !r.basebackup && !r.interactive());
    assert!(steps::request(P::NeverAsIs, true).basebackup);
    let r = steps::request(P::AsFactsAllow, false);
    assert!(r.normal && r.rewind && !r.basebackup);
}

#[test]
fn abort_judges_changes_nothing_and_names_the_command_that_continues() {
    let (r, text, changes, out) = run_full(
        Case {
            rec: "pgsql-failure",
            mode: Some(resume::Mode::Abort),
            ..Default::default()
        },
        false,
    );
    let msg = r.unwrap();
    assert!(msg.contains("recovery aborted"), "{msg}");
    assert!(
        msg.contains("pgrex recover pgsql-failure --node pm01"),
        "{msg}"
    );
    assert!(
        text.contains("Leaving the cluster where the recovery stopped"),
        "{text}"
    );
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(out.primary.as_deref(), Some("pm02"));
    assert!(out.playbooks.is_empty());
}

#[test]
fn resume_judges_again_and_keeps_the_recorded_original_primary() {
    // The cluster now shows pgsql-failure on pm01: resume runs that playbook (described,
    // dry run) and keeps the journal's original primary for --switchback, even when the
    // judgement would name another.
    let (r, text, changes, out) = run_full(
        Case {
            rec: "pgsql-failure",
            mode: Some(resume::Mode::Resume),
            original_primary: Some("pm02".into()),
            ..Default::default()
        },
        true,
    );
    r.unwrap();
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(out.original_primary.as_deref(), Some("pm02"));
    assert_eq!(out.playbooks.len(), 1);
    assert_eq!(out.playbooks[0].id, FaultId::PgsqlFailure);
    assert!(
        text.contains("playbook for pgsql-failure on pm01"),
        "{text}"
    );
}

/// `--switchback` goes back to the node that was primary before the fault: the failed node
/// of a failover, but the primary now when the fault struck the standby (the lab ran
/// `vip-standby-failure` with pm01 primary: pm02's standby VIP failed and moved to pm01;
/// before the fix `--switchback` switched over to pm02, seen in the lab). The recorded
/// `heartbeat-lan-failure` is not among them: seen from pm02's recording its top finding
/// is not `heartbeat-lan-failure` itself (the siblings of a fenced node), so the id rule
/// does not decide it (docs/faults.md).
#[test]
fn the_switch_back_target_is_the_primary_before_the_fault() {
    for (rec, want) in [
        ("vip-master-failure", "pm01"),
        ("node-failure", "pm01"),
        ("vip-standby-failure", "pm01"),
    ] {
        let j = judged(rec);
        assert_eq!(original_primary(&j).as_deref(), Some(want), "{rec}");
    }
}

/// A fault that is still there (or came back) after its playbook ran: the run stops with
/// the finding (exit 6) and names what to do, instead of running the playbook again.
#[test]
fn a_finding_shown_again_after_its_playbook_stops_the_run() {
    fn fenced_history() -> Cluster {
        let mut c = Cluster::healthy(Profile::Pgrex17);
        c.fence("pm01", "success");
        c
    }
    let (r, text, changes) = run(
        Case {
            cluster: Some(fenced_history),
            local_answers: vec![("stonith_admin", 0, "")],
            answers: vec![("stonith_admin", 0, "")],
            ..Default::default()
        },
        false,
    );
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Partial, "{e:?}\n{text}");
    let msg = e.chain_text();
    assert!(
        msg.contains("the same finding is shown again after its playbook ran"),
        "{msg}"
    );
    assert!(
        e.hint().is_some_and(|h| h.contains("pgrex resume")),
        "{e:?}"
    );
    // The playbook ran once: one clear of the fencing history (each node clears both
    // nodes' entries: 2 × 2 commands), no second run of it.
    let clears = changes
        .iter()
        .filter(|c| matches!(c, crate::node::fake::Call::Run(l) if l.contains("stonith_admin")))
        .count();
    assert_eq!(clears, 4, "{changes:?}\n{text}");
    assert_eq!(
        text.matches("Judging the cluster again").count(),
        1,
        "{text}"
    );
}

/// A cib-failure on the primary (the daemon respawned, the node stayed) that still ended in
/// a failover: the old primary, restarted as a standby by its agent, has diverged (seen from
/// the new primary: its walsender at `startup`, the standby replayed past what it sent).
/// That standby is the node `--switchback` returns to, not the primary now (the lab's seed
/// `cib-failure --switchback`, 2026-12-01, whose journal named the new primary).
#[test]
fn the_switch_back_target_after_an_unannounced_failover_is_the_diverged_standby() {
    let mut c = Cluster::healthy(Profile::Seed);
    c.log("Nov 24 10:00:00 pm02 pacemakerd[77]:  error: pacemaker-based[80] terminated with signal 9 (Killed)")
        .standby_restarted("startup", Some(0x1620));
    let j = judged_of(&c);
    assert_eq!(
        j.diagnosis
            .findings
            .first()
            .map(|f| (f.id, f.node.as_deref())),
        Some((FaultId::CibFailure, Some("pm02"))),
        "{:?}",
        j.diagnosis.findings
    );
    assert_eq!(original_primary(&j).as_deref(), Some("pm02"));
    // Not diverged (only catching up): the primary now.
    c.standby_restarted("startup", None);
    assert_eq!(original_primary(&judged_of(&c)).as_deref(), Some("pm01"));
}
