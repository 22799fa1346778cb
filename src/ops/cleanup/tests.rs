//! The cleanup plan: what it clears, and the refusal while a cause is still visible.

use super::*;
use crate::profile::Profile;
use crate::testkit::Cluster;

const BOTH: [Profile; 2] = [Profile::Seed, Profile::Pgrex17];

fn plan_of(c: &Cluster, r: Option<&str>, n: Option<&str>) -> Plan {
    plan(&c.state, &c.names, Some(&c.cib), r, n).unwrap()
}

#[test]
fn vip_rep_failure_is_cleared_once_the_vip_runs_again() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let vr = c.vip_rep();
        c.fail(&vr, "monitor", 10000, "pm01", Some(0));
        let pl = plan_of(&c, Some(&vr), Some("pm01"));
        assert_eq!(
            pl.targets,
            vec![Target {
                resource: vr.clone(),
                node: "pm01".into(),
                fail_count: Some(1),
                failed_ops: vec![format!("{vr}_monitor_10000")],
            }]
        );
        assert!(pl.blockers.is_empty(), "{:?}", pl.blockers);
        let cmd = command(&crate::exec::Tools::new(), &pl.targets[0]).to_string();
        assert_eq!(
            cmd,
            format!("crm_resource --cleanup --resource {vr} --node pm01")
        );
        // Without filters the same target is found.
        assert_eq!(plan_of(&c, None, None).targets.len(), 1);
    }
}

#[test]
fn refuses_while_the_vip_is_still_not_running_on_the_primary() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let vr = c.vip_rep();
        c.fail(&vr, "monitor", 10000, "pm01", Some(0))
            .place(&vr, &[]);
        let pl = plan_of(&c, None, None);
        assert_eq!(pl.blockers.len(), 1, "{:?}", pl.blockers);
        assert!(
            pl.blockers[0].message.contains("still not running"),
            "{}",
            pl.blockers[0].message
        );
    }
}

#[test]
fn refuses_while_ping_disk_or_node_are_still_failed() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        let ping = c.names.ping_attr.clone();
        c.failed_over()
            .attr("pm01", &ping, "0")
            .fail("pgsql", "monitor", 9000, "pm01", Some(1));
        let pl = plan_of(&c, None, Some("pm01"));
        assert!(
            pl.blockers
                .iter()
                .any(|b| b.message.contains(&format!("{ping} = 0"))),
            "{:?}",
            pl.blockers
        );

        let mut c = Cluster::healthy(p);
        c.fail("pgsql", "monitor", 9000, "pm01", Some(1))
            .offline("pm01");
        let pl = plan_of(&c, None, None);
        assert!(
            pl.blockers
                .iter()
                .any(|b| b.message.contains("pm01 is OFFLINE")),
            "{:?}",
            pl.blockers
        );

        let mut c = Cluster::healthy(p);
        c.failed_over()
            .fail("pgsql", "monitor", 9000, "pm01", Some(1));
        match p {
            Profile::Pgrex17 => c.transient("pm01", "#health-storage-mon", "red"),
            Profile::Seed => c.attr("pm01", "diskcheck_status", "ERROR"),
        };
        let pl = plan_of(&c, Some("pgsql"), None);
        assert!(
            pl.blockers
                .iter()
                .any(|b| b.message.contains("disk monitor")),
            "{:?}",
            pl.blockers
        );
    }
}

#[test]
fn a_failover_that_completed_does_not_block_the_old_primarys_cleanup() {
    for p in BOTH {
        let mut c = Cluster::healthy(p);
        c.failed_over()
            .fail("pgsql", "monitor", 9000, "pm01", Some(1));
        let pl = plan_of(&c, Some(&c.names.promotable.clone()), Some("pm01"));
        assert_eq!(pl.targets.len(), 1, "a clone id stands for its primitive");
        assert!(pl.blockers.is_empty(), "{:?}", pl.blockers);
    }
}

#[test]
fn filters_and_unknown_names() {
    let mut c = Cluster::healthy(Profile::Pgrex17);
    let vr = c.vip_rep();
    let vs = c.vip_standby();
    c.fail(&vr, "monitor", 10000, "pm01", Some(0))
        .fail(&vs, "monitor", 10000, "pm02", Some(1));
    assert_eq!(plan_of(&c, None, None).targets.len(), 2);
    assert_eq!(plan_of(&c, None, Some("pm02")).targets[0].resource, vs);
    // A group id stands for its members.
    let g = c.names.primary_group.clone();
    assert_eq!(plan_of(&c, Some(&g), None).targets[0].resource, vr);
    let e = plan(&c.state, &c.names, None, Some("nope"), None).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Usage);
    assert!(e.to_string().contains("resources present"), "{e}");
    let e = plan(&c.state, &c.names, None, None, Some("pm09")).unwrap_err();
    assert!(e.to_string().contains("pm01, pm02"), "{e}");
    assert!(plan_of(&Cluster::healthy(Profile::Seed), None, None)
        .targets
        .is_empty());
}
