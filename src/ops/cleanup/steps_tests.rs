//! The cleanup steps against built cluster states: what runs, in which order, and how each
//! ending is reported (a reporter that records and answers yes; `crm_resource` runs on a
//! fake node that records it and answers success).

use super::*;
use crate::exec::Tools;
use crate::node::fake::FakeNode;
use crate::profile::Profile;
use crate::report::{Answer, Choice, Reporter};
use crate::testkit::Cluster;
use std::cell::Cell;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// Records `N. title [OUTCOME]` per step; answers confirmations with `answer`.
struct Rec {
    answer: Answer,
    lines: Mutex<Vec<String>>,
}

impl Reporter for Rec {
    fn step_started(&self, _: usize, _: &str) {}
    fn progress(&self, _: usize, _: u64, _: Option<u64>, _: &str) {}
    fn detail(&self, _: usize, _: &str) {}
    fn step_finished(&self, step: usize, title: &str, outcome: Outcome, _: Option<&str>) {
        let line = format!("{step}. {title} [{}]", outcome.word());
        self.lines.lock().unwrap().push(line);
    }
    fn step_described(&self, step: usize, title: &str, _: &str) {
        self.step_finished(step, title, Outcome::Skip, None);
    }
    fn waiting(&self, _: usize, _: &str, _: Duration, _: Duration) {}
    fn message(&self, _: Level, _: &str) {}
    fn confirm(&self, _: &str) -> Answer {
        self.answer
    }
    fn choose(&self, _: &str, _: &[Choice]) -> Option<char> {
        None
    }
}

struct Case {
    rec: Rec,
    tools: Tools,
    node: FakeNode,
    /// The cluster before the cleanup, and after `crm_resource` ran.
    before: Cluster,
    after: Cluster,
    reads: Cell<usize>,
}

impl Case {
    fn new(before: Cluster, after: Cluster, answer: Answer) -> Case {
        let tools = Tools::new();
        Case {
            rec: Rec {
                answer,
                lines: Mutex::new(Vec::new()),
            },
            tools,
            node: FakeNode::local().answer("crm_resource --cleanup", 0, ""),
            before,
            after,
            reads: Cell::new(0),
        }
    }

    fn run(&self, force: bool, dry_run: bool) -> (Result<String>, Report, Vec<String>) {
        let ctx = OpContext {
            reporter: &self.rec,
            tools: self.tools.clone(),
            local: &self.node,
            processes: &self.node,
            me: "pm01".into(),
            interrupted: Arc::new(AtomicBool::new(false)),
            late_said: Default::default(),
            journal_dir: None,
            journal_keep: Default::default(),
            dry_run,
        };
        let observe = || -> Result<Reading> {
            let n = self.reads.get();
            self.reads.set(n + 1);
            let c = if n == 0 { &self.before } else { &self.after };
            Ok((c.state.clone(), Some(c.cib.clone())))
        };
        let names = |_: &[&str]| self.before.names.clone();
        let o = CleanupOptions {
            resource: None,
            node: None,
            force,
            observe: &observe,
            names: &names,
        };
        let mut report = Report::default();
        let r = cleanup(&ctx, &o, &mut report);
        let lines = self.rec.lines.lock().unwrap().clone();
        (r, report, lines)
    }
}

fn vip_rep_failed(p: Profile) -> Cluster {
    let mut c = Cluster::healthy(p);
    let vr = c.vip_rep();
    c.fail(&vr, "monitor", 10000, "pm01", Some(0));
    c
}

#[test]
fn clears_each_target_then_verifies() {
    let case = Case::new(
        vip_rep_failed(Profile::Pgrex17),
        Cluster::healthy(Profile::Pgrex17),
        Answer::Yes,
    );
    let (r, report, lines) = case.run(false, false);
    assert_eq!(
        r.unwrap(),
        "cleared: no fail-count or failed action remains"
    );
    assert_eq!(
        lines,
        [
            "1. Reading the cluster [OK]",
            "2. Checking that the cause of the failure is gone [OK]",
            "3. Clearing ipaddr-replication on pm01 [OK]",
            "4. Re-reading the cluster [OK]",
        ]
    );
    assert_eq!(report.targets.len(), 1);
    assert!(report.remaining.is_empty() && report.unsettled.is_empty());
    assert_eq!(
        case.node.commands(),
        ["crm_resource --cleanup --resource ipaddr-replication --node pm01"]
    );
}

#[test]
fn a_dry_run_skips_the_changes_and_the_reread() {
    let case = Case::new(
        vip_rep_failed(Profile::Seed),
        Cluster::healthy(Profile::Seed),
        Answer::Refused,
    );
    let (r, _, lines) = case.run(false, true);
    assert_eq!(r.unwrap(), "dry run: nothing was changed");
    assert_eq!(
        lines[2..],
        [
            "3. Clearing vip-rep on pm01 [SKIP]",
            "4. Re-reading the cluster [SKIP]"
        ]
    );
    assert_eq!(case.reads.get(), 1, "a dry run reads the cluster once");
    assert_eq!(case.node.commands(), Vec::<String>::new(), "nothing is run");
}

#[test]
fn a_visible_cause_refuses_before_the_question() {
    let mut before = vip_rep_failed(Profile::Pgrex17);
    let vr = before.vip_rep();
    before.place(&vr, &[]);
    let case = Case::new(before, Cluster::healthy(Profile::Pgrex17), Answer::Yes);
    let (r, report, lines) = case.run(false, false);
    let e = r.unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{e}");
    assert_eq!(report.blockers.len(), 1);
    assert_eq!(
        lines.last().unwrap(),
        "2. Checking that the cause of the failure is gone [NG]"
    );
}

#[test]
fn no_way_to_ask_refuses_and_a_no_declines_with_nothing_run() {
    for (answer, code) in [
        (Answer::Refused, crate::ExitCode::Refused),
        (Answer::No, crate::ExitCode::Declined),
    ] {
        let case = Case::new(
            vip_rep_failed(Profile::Pgrex17),
            Cluster::healthy(Profile::Pgrex17),
            answer,
        );
        let (r, _, lines) = case.run(false, false);
        assert_eq!(r.unwrap_err().exit_code(), code);
        assert_eq!(lines.len(), 2, "{lines:?}");
    }
}

#[test]
fn forced_past_a_visible_cause_reports_the_unsettled_cluster() {
    let mut before = vip_rep_failed(Profile::Pgrex17);
    let vr = before.vip_rep();
    before.place(&vr, &[]);
    // The fail-count is gone, the VIP still does not run.
    let mut after = Cluster::healthy(Profile::Pgrex17);
    after.place(&vr, &[]);
    let case = Case::new(before, after, Answer::Yes);
    let (r, report, lines) = case.run(true, false);
    let msg = r.unwrap();
    assert!(msg.contains("has not settled"), "{msg}");
    assert_eq!(
        lines[1],
        "2. Checking that the cause of the failure is gone [SKIP]"
    );
    assert_eq!(lines[3], "4. Re-reading the cluster [OK]");
    assert_eq!(report.unsettled.len(), 1);
    assert_eq!(case.reads.get(), 2, "forced: one re-read is enough");
}
