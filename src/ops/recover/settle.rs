//! The judgement after a playbook, given the time Pacemaker takes to finish what the last
//! step started. A fail-count cleared lets Pacemaker move a resource back (the standby VIP
//! from the primary to the standby, seen in the lab: judged at once, the cluster still read
//! "ipaddr-standby should run on pm01 but runs on pm02" and recover stopped DEGRADED).
//! While the verdict is DEGRADED and shows nothing a playbook acts on — only deviations, a
//! transition under way — it is judged again every poll interval, up to [`SETTLE`] (and
//! never longer than `RECOVER_WAIT_TIMEOUT`); a finding or HEALTHY ends the wait at once,
//! and so does the limit: the last judgement is the answer either way.
//!
//! The service down on both nodes ([`crate::diagnose::down_on_both`]) is acted on only once
//! the cluster has stopped moving: after a router's repair Pacemaker starts and promotes on
//! its own (seen in the lab: both stopped, then pm01's start refused by its PGSQL.lock,
//! then pm02 promoted, within 25 s of the repair). Recover's first judgement and the one
//! after each playbook wait until the same picture (roles, node attributes, failures) has
//! held for [`QUIET`] — whatever the cluster shows by then (the first lab run after this
//! change met pm01's refused start shown as a failed promoted instance, 2 s before pm02's
//! promotion): what is left to recover once it stopped moving is the answer.

use super::{actionable, Judged};
use crate::ops::wait::sleep_interruptible;
use crate::ops::{Done, StepCx};
use crate::status::Verdict;
use crate::Result;
use std::time::{Duration, Instant};

/// How long a cluster with only deviations left is given to settle.
pub const SETTLE: Duration = Duration::from_secs(120);

/// How long the picture of a service down on both nodes must stay the same before recover
/// acts on it: a few monitor intervals (Pacemaker's reaction to a repaired ping target came
/// within 25 s in the lab).
pub const QUIET: Duration = Duration::from_secs(30);

/// What to wait for, and how long.
pub struct Settle {
    /// The longest wait.
    pub limit: Duration,
    pub interval: Duration,
    /// How long a service down on both must look the same.
    pub quiet: Duration,
    /// Whether DEGRADED by deviations alone is waited out too (after a playbook).
    pub deviations: bool,
}

/// Still settling: DEGRADED by deviations alone, no finding to act on.
fn settling(j: &Judged) -> bool {
    j.diagnosis.verdict == Verdict::Degraded && actionable(&j.diagnosis).is_none()
}

/// The picture of a service down on both nodes (`None`: it is not): what Pacemaker changes
/// while it still acts — roles, node attributes, failures.
fn down_on_both(j: &Judged) -> Option<String> {
    let st = j.state.as_ref()?;
    crate::diagnose::down_on_both(st, &j.names).then(|| picture(j))
}

fn picture(j: &Judged) -> String {
    j.state
        .as_ref()
        .and_then(|st| {
            serde_json::to_string(&(&st.resources, &st.node_attributes, &st.failures)).ok()
        })
        .unwrap_or_default()
}

/// Judge (with `judged`) until the cluster is not [`settling`] (with `deviations`) nor a
/// service down on both that changed within `quiet`, or `limit` has passed.
pub fn judged_settled(
    cx: &StepCx,
    judged: &dyn Fn() -> Result<Done<Judged>>,
    s: &Settle,
) -> Result<Done<Judged>> {
    let start = Instant::now();
    let mut same: Option<(String, Instant)> = None;
    loop {
        let d = judged()?;
        let elapsed = start.elapsed();
        // Once the service was seen down on both, every picture counts: the way out of
        // it (a start refused, the other node promoted) is a transition of its own.
        let picture = match (down_on_both(&d.value), &same) {
            (Some(p), _) => Some(p),
            (None, Some(_)) => Some(picture(&d.value)),
            (None, None) => None,
        };
        let unstable = match picture {
            Some(p) => match &same {
                Some((q, since)) if *q == p => since.elapsed() < s.quiet,
                _ => {
                    same = Some((p, Instant::now()));
                    true
                }
            },
            None => false,
        };
        let moving = unstable || (s.deviations && settling(&d.value));
        if !moving || elapsed >= s.limit {
            return Ok(d);
        }
        cx.rep()
            .waiting(cx.step, &d.value.diagnosis.reason, elapsed, s.limit);
        sleep_interruptible(cx, s.interval)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::FakeNode;
    use crate::ops::testing::{ctx, Rec};
    use crate::profile::Profile;
    use crate::report::Answer;
    use crate::testkit::Cluster;
    use std::cell::Cell;

    fn healthy() -> Judged {
        let c = Cluster::healthy(Profile::Pgrex17);
        let snap = c.snapshot();
        Judged {
            diagnosis: crate::judge::diagnosis(&snap, &c.names),
            state: snap.view().cloned(),
            names: c.names.clone(),
        }
    }

    /// What the lab showed right after the standby VIP's cleanup: only a deviation.
    fn moving_back() -> Judged {
        let mut j = healthy();
        j.diagnosis.verdict = Verdict::Degraded;
        j.diagnosis.reason = "ipaddr-standby should run on pm01 but runs on pm02".into();
        j
    }

    /// Judge the answers in turn (the last one again and again); the result, the number of
    /// judgements and what the operator saw.
    fn settle(answers: Vec<Judged>, limit: Duration) -> (Verdict, usize, String) {
        let rep = Rec::new(Answer::Yes);
        let local = FakeNode::local();
        let cx_ = ctx(&rep, &local, false);
        let cx = StepCx { ctx: &cx_, step: 9 };
        let calls = Cell::new(0usize);
        let judged = || {
            let i = calls.get().min(answers.len() - 1);
            calls.set(calls.get() + 1);
            Ok(Done::ok(clone_of(&answers[i])))
        };
        let s = Settle {
            limit,
            interval: Duration::ZERO,
            quiet: Duration::ZERO,
            deviations: true,
        };
        let d = judged_settled(&cx, &judged, &s).unwrap();
        (d.value.diagnosis.verdict, calls.get(), rep.text())
    }

    fn clone_of(j: &Judged) -> Judged {
        Judged {
            diagnosis: j.diagnosis.clone(),
            state: j.state.clone(),
            names: j.names.clone(),
        }
    }

    #[test]
    fn a_resource_moving_back_is_judged_again_until_healthy() {
        let (v, calls, text) = settle(
            vec![moving_back(), moving_back(), healthy()],
            Duration::from_secs(3600),
        );
        assert_eq!((v, calls), (Verdict::Healthy, 3), "{text}");
        assert!(
            text.contains("waiting for ipaddr-standby should run on pm01 but runs on pm02"),
            "{text}"
        );
    }

    #[test]
    fn healthy_or_a_finding_ends_at_once_and_the_limit_ends_the_wait() {
        assert_eq!(settle(vec![healthy()], SETTLE).1, 1);
        let mut fault = moving_back();
        fault.diagnosis.verdict = Verdict::Fault;
        assert_eq!(settle(vec![fault], SETTLE).1, 1, "a FAULT is not settling");
        // RECOVER_WAIT_TIMEOUT = 0 (or the limit passed): the first judgement is the answer.
        let (v, calls, _) = settle(vec![moving_back(), healthy()], Duration::ZERO);
        assert_eq!((v, calls), (Verdict::Degraded, 1));
    }
}
