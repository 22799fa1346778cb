//! The one judgement. Status and diagnose both come here with a [`Snapshot`]: the deviations
//! of the PG-REX normal-state table and the findings of the diagnosis rules are computed from
//! it once, and one function ([`verdict`]) turns both into the verdict. So on the same
//! snapshot the two commands cannot disagree (a cluster whose service is down is FAULT in
//! both), and a diagnosis that read more sources can only add findings — except that a
//! `likely` finding is replaced by its sibling when its named deciding check decides
//! (`judge_lean_tests.rs` holds every recording to that).
//!
//! This module sits above `status` and `diagnose` (it imports both, neither imports it), and
//! it is pure: the snapshot is collected or loaded elsewhere (`crate::snapshot`).

use crate::diagnose::{self, Diagnosis, Finding};
use crate::profile::Names;
use crate::snapshot::Snapshot;
use crate::status::{self, Deviation, Observed, Severity, StatusReport, Unobserved, Verdict};
use serde::Serialize;

/// Everything judged in one snapshot.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub verdict: Verdict,
    /// Why the cluster could not be judged (verdict UNKNOWN).
    pub unknown_why: Option<String>,
    pub deviations: Vec<Deviation>,
    /// Most likely first.
    pub findings: Vec<Finding>,
}

impl Judgement {
    /// The first finding of severity fault or warning.
    pub fn top(&self) -> Option<&Finding> {
        self.findings
            .first()
            .filter(|f| f.severity != Severity::Info)
    }

    /// The most severe deviation (the first of them when several are as severe).
    pub fn first_deviation(&self) -> Option<&Deviation> {
        self.deviations.iter().min_by_key(|d| d.severity)
    }
}

/// The verdict of a set of severities: any fault is FAULT, else any warning DEGRADED, else
/// HEALTHY. The only place a verdict is decided from what was found.
pub fn verdict(severities: impl IntoIterator<Item = Severity>) -> Verdict {
    let worst = severities.into_iter().min();
    match worst {
        Some(Severity::Fault) => Verdict::Fault,
        Some(Severity::Warning) => Verdict::Degraded,
        Some(Severity::Info) | None => Verdict::Healthy,
    }
}

/// Judge a snapshot: the normal-state deviations and the diagnosis of the cluster as seen
/// (this node's view, else the peer's), and the verdict of both together.
pub fn judge(s: &Snapshot, names: &Names) -> Judgement {
    let Some(state) = s.view() else {
        let why = s.cluster.why().unwrap_or("?").to_string();
        return Judgement {
            verdict: Verdict::Unknown,
            unknown_why: Some(why),
            deviations: Vec::new(),
            findings: Vec::new(),
        };
    };
    let o = Observed::new(state, names, s.cib.known());
    let deviations = status::deviations(&o, &extras(s));
    let findings = diagnose::diagnose(s, names);
    let verdict = verdict(
        deviations
            .iter()
            .map(|d| d.severity)
            .chain(findings.iter().map(|f| f.severity)),
    );
    Judgement {
        verdict,
        unknown_why: None,
        deviations,
        findings,
    }
}

/// The live-only rows a snapshot can answer.
fn extras(s: &Snapshot) -> status::Extras<'_> {
    status::Extras {
        links: s.corosync.known(),
        units: s.units.known().map(Vec::as_slice),
        cluster_name: s.cluster_name.as_deref(),
        postgres: s.postgres.known().and_then(Option::as_ref),
        // Only a live collection tried to read it; an input file says nothing about it.
        postgres_why: s.taken_at.as_ref().and(s.postgres.why()),
    }
}

/// What `pgrex status` shows: the view of the observed cluster, or UNKNOWN with why.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum StatusDoc {
    Observed(Box<StatusReport>),
    Unobserved(Unobserved),
}

impl StatusDoc {
    pub fn verdict(&self) -> Verdict {
        match self {
            StatusDoc::Observed(r) => r.verdict,
            StatusDoc::Unobserved(u) => u.verdict,
        }
    }
}

/// The status view of a snapshot, with the verdict of [`judge`].
pub fn status(s: &Snapshot, names: &Names) -> StatusDoc {
    let j = judge(s, names);
    let Some(state) = s.view() else {
        let why = j.unknown_why.as_deref().unwrap_or("?");
        let saved = s
            .loaded_from
            .as_deref()
            .map(|f| (f, s.taken_at.as_deref(), s.local_node.as_deref()));
        return StatusDoc::Unobserved(Unobserved::of(why, s.saved_cib.known(), names, saved));
    };
    let o = Observed::new(state, names, s.cib.known());
    let top = j.top().map(|f| status::TopFinding {
        id: f.id.to_string(),
        node: f.node.clone(),
        certainty: f.certainty.as_str().to_string(),
        headline: diagnose::headline(f),
    });
    let judged = status::Judged {
        verdict: j.verdict,
        deviations: j.deviations,
        top,
    };
    StatusDoc::Observed(Box::new(status::build(&o, extras(s), judged)))
}

/// The diagnosis document of a snapshot, with the verdict of [`judge`].
pub fn diagnosis(s: &Snapshot, names: &Names) -> Diagnosis {
    let j = judge(s, names);
    let reason = reason(&j);
    diagnose::document(s, names, j.verdict, reason, j.findings, j.deviations)
}

/// The diagnosis' one line: the top finding, else the most severe deviation, else none.
fn reason(j: &Judgement) -> String {
    use crate::msg::diag as m;
    if let Some(why) = &j.unknown_why {
        return crate::t!(m::REASON_UNKNOWN, why = why);
    }
    if let Some(f) = j.top() {
        return diagnose::headline(f);
    }
    match j.first_deviation() {
        Some(d) if d.severity != Severity::Info => d.message.clone(),
        _ => crate::t!(m::REASON_NONE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_severity_decides() {
        use Severity::*;
        assert_eq!(verdict([]), Verdict::Healthy);
        assert_eq!(verdict([Info]), Verdict::Healthy);
        assert_eq!(verdict([Info, Warning]), Verdict::Degraded);
        assert_eq!(verdict([Warning, Fault, Info]), Verdict::Fault);
    }

    /// The case that once disagreed: nothing promoted is FAULT in both documents, with the
    /// same deviations, and the diagnosis says why even though no rule fired.
    #[test]
    fn nothing_promoted_is_a_fault_for_status_and_diagnose() {
        use crate::profile::Profile;
        for p in [Profile::Pgrex17, Profile::Seed] {
            let (state, cib) = crate::testkit::recorded(p, "no-primary");
            let s = Snapshot::from_state(state, Some(cib), "test");
            let names = Names::defaults(p);
            let StatusDoc::Observed(st) = status(&s, &names) else {
                panic!("observed")
            };
            let d = diagnosis(&s, &names);
            assert_eq!(st.verdict, Verdict::Fault);
            assert_eq!(d.verdict, Verdict::Fault);
            assert_eq!(st.deviations, d.deviations);
            assert!(d.reason.contains("no node is primary"), "{}", d.reason);
        }
    }

    /// PostgreSQL's reading lands on the right node even when the host name is not the
    /// node name (an FQDN): a server not in recovery is the primary's.
    #[test]
    fn the_local_server_is_placed_by_its_role_when_the_host_name_is_no_node() {
        use crate::profile::Profile;
        use crate::snapshot::pg::{PgServer, StandbyLag};
        let (state, cib) = crate::testkit::recorded(Profile::Pgrex17, "healthy");
        let mut s = Snapshot::from_state(state, Some(cib), "test");
        s.postgres = crate::snapshot::Source::Known(Some(PgServer {
            node: Some("pm01.example.com".into()),
            in_recovery: false,
            timeline: 5,
            server_version_num: 150004,
            standbys: vec![StandbyLag {
                name: "pm02".into(),
                state: "streaming".into(),
                sync_state: "sync".into(),
                lag_bytes: Some(7),
                replayed_beyond_sent: None,
            }],
            replay_lag_bytes: None,
            sync: None,
        }));
        let StatusDoc::Observed(r) = status(&s, &Names::defaults(Profile::Pgrex17)) else {
            panic!("observed")
        };
        let node = |n: &str| r.nodes.iter().find(|x| x.name == n).unwrap();
        assert_eq!(node("pm01").timeline, Some(5));
        assert_eq!(node("pm01").lag_bytes, None);
        assert_eq!(node("pm02").timeline, Some(5));
        assert_eq!(node("pm02").lag_bytes, Some(7));
        assert_eq!(r.postgres.as_ref().unwrap().node.as_deref(), Some("pm01"));
    }

    #[test]
    fn an_unobservable_cluster_is_unknown_in_both() {
        let s = Snapshot::empty("Pacemaker is not running here");
        let names = Names::defaults(crate::profile::Profile::Pgrex17);
        assert_eq!(status(&s, &names).verdict(), Verdict::Unknown);
        let d = diagnosis(&s, &names);
        assert_eq!(d.verdict, Verdict::Unknown);
        assert!(d.reason.contains("not running here"), "{}", d.reason);
    }
}

#[cfg(test)]
#[path = "judge_lean_tests.rs"]
mod lean_tests;
