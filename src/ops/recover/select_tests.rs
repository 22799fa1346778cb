//! Which finding recover takes, from the lab's recordings: a certain one; likely siblings
//! whose plans agree; refusals (exit 3) when the named fault is not shown, when siblings'
//! plans differ, and when the named fault is on both nodes without `--node`.

use super::*;
use crate::diagnose::playbook::Action;
use crate::profile::Profile;
use crate::testkit::Cluster;
use crate::ExitCode;
use FaultId as F;

fn diag(p: Profile, rec: &str) -> Diagnosis {
    let c = Cluster::lab(p, rec);
    crate::judge::diagnosis(&c.snapshot(), &c.names)
}

#[test]
fn a_certain_top_finding_is_taken_in_both_profiles() {
    for p in [Profile::Seed, Profile::Pgrex17] {
        for (rec, id) in [
            ("vip-rep-failure", F::VipRepFailure),
            ("pgsql-failure", F::PgsqlFailure),
            ("vip-master-failure", F::VipMasterFailure),
            ("replication-lan-failure", F::ReplicationLanFailure),
        ] {
            let d = diag(p, rec);
            let f = pick(&d, None, None).unwrap().unwrap();
            assert_eq!(f.id, id, "{p} {rec}");
        }
    }
}

#[test]
fn likely_siblings_with_one_plan_run_it_without_the_deciding_check() {
    let d = diag(Profile::Pgrex17, "node-failure");
    assert_eq!(d.findings[0].certainty, crate::diagnose::Certainty::Likely);
    let f = pick(&d, None, None).unwrap().unwrap();
    assert_eq!((f.id, f.node.as_deref()), (F::NodeFailure, Some("pm01")));
}

#[test]
fn likely_siblings_whose_plans_differ_are_refused_with_each_command() {
    let mut d = diag(Profile::Pgrex17, "node-failure");
    // A sibling whose playbook would stop a node the others do not.
    let mut extra = d.findings[1].plan[0].clone();
    extra.action = Action::Stop;
    d.findings[1].plan.push(extra);
    let e = pick(&d, None, None).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Refused);
    let text = e.to_string();
    assert!(
        text.contains("pgrex recover node-failure --node pm01"),
        "{text}"
    );
    assert!(text.contains(&d.findings[1].recover), "{text}");
    assert!(e.hint().unwrap().contains("decide with"), "{:?}", e.hint());
}

#[test]
fn a_named_fault_the_cluster_does_not_show_is_refused_naming_what_it_shows() {
    let d = diag(Profile::Pgrex17, "vip-rep-failure");
    let e = pick(&d, Some(F::NodeFailure), None).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Refused);
    assert!(e.to_string().contains("does not show node-failure"), "{e}");
    assert!(e.to_string().contains("vip-rep-failure"), "{e}");
    // Named and shown: taken, also when it is not the top finding.
    let d = diag(Profile::Pgrex17, "pgsql-failure");
    let f = pick(&d, Some(F::LockFilePresent), None).unwrap().unwrap();
    assert_eq!(f.id, F::LockFilePresent);
    // On another node than the one named: not shown.
    assert!(pick(&d, Some(F::PgsqlFailure), Some("pm02")).is_err());
    assert!(pick(&d, Some(F::PgsqlFailure), Some("pm01")).is_ok());
}

#[test]
fn a_named_fault_on_both_nodes_needs_the_node() {
    let mut d = diag(Profile::Pgrex17, "pgsql-failure");
    let mut twin = d.findings[0].clone();
    twin.node = Some("pm02".into());
    twin.recover = crate::diagnose::recover_command(&twin);
    d.findings.push(twin);
    let e = pick(&d, Some(F::PgsqlFailure), None).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Refused);
    assert!(e.to_string().contains("--node pm02"), "{e}");
    assert_eq!(
        pick(&d, Some(F::PgsqlFailure), Some("pm02"))
            .unwrap()
            .unwrap()
            .node
            .as_deref(),
        Some("pm02")
    );
}

#[test]
fn a_healthy_cluster_and_an_info_finding_need_nothing() {
    let c = Cluster::healthy(Profile::Pgrex17);
    let d = crate::judge::diagnosis(&c.snapshot(), &c.names);
    assert!(pick(&d, None, None).unwrap().is_none());
    let mut d = d;
    let mut info = diag(Profile::Pgrex17, "vip-rep-failure").findings.remove(0);
    info.severity = Severity::Info;
    d.findings.push(info);
    assert!(pick(&d, None, None).unwrap().is_none());
}
