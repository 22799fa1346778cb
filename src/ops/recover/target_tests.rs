//! Which node `--switchback` goes back to, and which node is "the other one", from
//! recorded states: the cases the lab found (a fenced old primary read as a lost standby's
//! siblings; a peer that did not answer for its own name).

use super::tests::{judged, judged_of};
use super::*;
use crate::profile::Profile;
use crate::testkit::Cluster;

#[test]
fn the_other_node_is_named_by_the_clusters_node_list_too() {
    assert_eq!(
        other_node(&judged("node-failure"), "pm02").as_deref(),
        Some("pm01")
    );
    assert_eq!(
        other_node(&judged("node-failure"), "pm01").as_deref(),
        Some("pm02")
    );
}

/// A fenced node read as the likely siblings of a lost *standby* (the survivor was not
/// promoted after the loss) was the primary all the same when its `PGSQL.lock` is there:
/// the lab's `disk-failure` — the failover first, then the old primary powered off for its
/// disk and fenced — showed exactly this (2026-12-01), and `--switchback` stayed on the
/// survivor. Without the lock the fenced node was the standby: the primary stays.
#[test]
fn a_fenced_node_holding_the_lock_was_the_primary_before_the_fault() {
    let mut c = Cluster::healthy(Profile::Pgrex17);
    c.pm01_fenced().log(
        "Dec 01 16:48:07 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost | nodeid=1 previous=member",
    );
    let j = judged_of(&c);
    let top = &j.diagnosis.findings[0];
    assert_eq!(
        (top.id, top.certainty, top.node.as_deref()),
        (
            FaultId::HeartbeatLanFailure,
            Certainty::Likely,
            Some("pm01")
        ),
        "{:?}",
        j.diagnosis
            .findings
            .iter()
            .map(|f| f.id)
            .collect::<Vec<_>>()
    );
    assert!(j
        .diagnosis
        .findings
        .iter()
        .any(|f| f.id == FaultId::LockFilePresent && f.node.as_deref() == Some("pm01")));
    assert_eq!(j.primary().as_deref(), Some("pm02"));
    assert_eq!(original_primary(&j).as_deref(), Some("pm01"));

    c.snap.locks.insert(
        "pm01".into(),
        crate::snapshot::Source::Known(crate::snapshot::LockFact {
            path: "/var/lib/pgsql/tmp/PGSQL.lock".into(),
            present: false,
        }),
    );
    assert_eq!(original_primary(&judged_of(&c)).as_deref(), Some("pm02"));
}
