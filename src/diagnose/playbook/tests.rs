//! Each fault's playbook as the diagnosis builds it from the lab's recordings
//! (`tests/fixtures/lab/<profile>/<fault>/`, seen from pm02): which steps, in which order, on
//! which node — in both profiles.

use crate::diagnose::{diagnose, FaultId, Finding};
use crate::profile::Profile;
use crate::testkit::Cluster;
use FaultId as F;

/// `kind:node` of each step, joined by spaces.
pub(super) fn shape(f: &Finding) -> String {
    f.plan
        .iter()
        .map(|s| format!("{}:{}", s.action.name(), s.node.as_deref().unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn finding(p: Profile, fault: F, id: F) -> Finding {
    let c = Cluster::lab(p, fault.as_str());
    diagnose(&c.snapshot(), &c.names)
        .into_iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("{p} {fault}: no {id} finding"))
}

const FAILOVER: &str = "wait:pm02 stop:pm01 wait:pm01 operator:pm01 note:pm01 \
     standby-start:pm01 verify:- switchover:pm01";
const FENCED: &str = "operator:pm01 wait:pm02 operator:pm01 operator:pm01 note:pm01 \
     standby-start:pm01 verify:- clear-fence-history:- switchover:pm01";

/// (recording, the finding whose playbook runs, its steps).
const CASES: &[(F, F, &str)] = &[
    (
        F::VipRepFailure,
        F::VipRepFailure,
        "operator:pm01 cleanup:pm01 verify:-",
    ),
    (F::VipMasterFailure, F::VipMasterFailure, FAILOVER),
    (F::PgsqlFailure, F::PgsqlFailure, FAILOVER),
    (F::ServiceLanFailure, F::ServiceLanFailure, FAILOVER),
    (F::VipRepStopFailure, F::VipRepStopFailure, FAILOVER),
    (
        F::ReplicationLanFailure,
        F::ReplicationLanFailure,
        "note:pm01 stop:pm02 wait:pm02 operator:pm02 standby-start:pm02 verify:-",
    ),
    (
        F::RouterFailure,
        F::RouterFailure,
        "note:pm01 stop:pm02 stop:pm01 operator:- primary-start:pm01 wait:pm02 standby-start:pm02 verify:-",
    ),
    (F::NodeFailure, F::NodeFailure, FENCED),
    (F::CorosyncFailure, F::CorosyncFailure, FENCED),
    (F::PgsqlStopFailure, F::PgsqlStopFailure, FENCED),
    (F::PgsqlDemoteFailure, F::PgsqlDemoteFailure, FENCED),
    (F::VipMasterStopFailure, F::VipMasterStopFailure, FENCED),
    (
        F::DiskFailure,
        F::DiskFailure,
        "operator:pm01 wait:pm02 stop:pm01 operator:pm01 note:pm01 standby-start:pm01 \
         verify:- clear-fence-history:-",
    ),
    (
        F::FencingFailure,
        F::FencingFailure,
        "operator:pm01 confirm-fence:pm01 verify:-",
    ),
    // The old primary's lock after a failover: standby-start decides (never `-n` without
    // its evidence); Pacemaker still runs on pm01, so it is stopped first (standby-start
    // refuses while it runs).
    (
        F::PgsqlFailure,
        F::LockFilePresent,
        "stop:pm01 wait:pm01 standby-start:pm01 verify:-",
    ),
    (
        F::NodeFailure,
        F::LockFilePresent,
        "standby-start:pm01 verify:-",
    ),
];

#[test]
fn every_recorded_fault_has_its_steps_in_order_in_both_profiles() {
    for p in [Profile::Seed, Profile::Pgrex17] {
        for (rec, id, want) in CASES {
            let f = finding(p, *rec, *id);
            let want = want.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(shape(&f), want, "{p} {rec} → {id}");
            assert_eq!(f.steps.len(), f.plan.len());
            let want_cmd = match &f.node {
                Some(n) => format!("pgrex recover {id} --node {n}"),
                None => format!("pgrex recover {id}"),
            };
            assert_eq!(f.recover, want_cmd);
        }
    }
}

/// The lab's vip-master-failure a moment earlier: pm02 promoted, its service VIP not started
/// yet (seen by `pgrex recover` run while the failover still ran). A failover in progress,
/// not the VIP banned from every node: the takeover playbook, which waits for the VIPs.
#[test]
fn a_service_vip_not_started_yet_after_the_promotion_is_a_failover_not_a_ban() {
    for p in [Profile::Seed, Profile::Pgrex17] {
        let mut c = Cluster::lab(p, F::VipMasterFailure.as_str());
        let vip = c.vip_primary();
        c.place(&vip, &[]);
        let f = diagnose(&c.snapshot(), &c.names)
            .into_iter()
            .find(|f| f.id == F::VipMasterFailure)
            .unwrap_or_else(|| panic!("{p}: no vip-master-failure"));
        assert_eq!(f.node.as_deref(), Some("pm01"), "{p}");
        assert_eq!(f.reaction, crate::diagnose::Reaction::Failover, "{p}");
        let want = FAILOVER.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(shape(&f), want, "{p}");
    }
}

#[test]
fn the_standby_vip_relocation_is_cleared_on_the_standby() {
    let f = finding(Profile::Pgrex17, F::VipStandbyFailure, F::VipStandbyFailure);
    assert_eq!(shape(&f), "operator:pm02 cleanup:pm02 verify:-");
}

#[test]
fn the_fenced_nodes_siblings_share_one_plan_except_the_switch_back() {
    // The survivor's view alone cannot tell them apart; their plans agree, so recover can
    // run it without the deciding check (heartbeat-lan-failure's has no switch back).
    let p = Profile::Pgrex17;
    let base = shape(&finding(p, F::NodeFailure, F::NodeFailure));
    for id in [F::CorosyncFailure, F::CibFailure, F::PgsqlStopFailure] {
        assert_eq!(shape(&finding(p, F::NodeFailure, id)), base, "{id}");
    }
    let hb = shape(&finding(p, F::NodeFailure, F::HeartbeatLanFailure));
    assert_eq!(format!("{hb} switchover:pm01"), base);
}

#[test]
fn every_step_says_before_after_and_how_to_undo_and_no_text_is_stale() {
    for p in [Profile::Seed, Profile::Pgrex17] {
        for (rec, id, _) in CASES {
            for s in finding(p, *rec, *id).plan {
                assert!(!s.precondition.is_empty() && !s.postcondition.is_empty());
                assert!(!s.rollback.is_empty());
                for stale in ["pg-rex_", "does not exist yet", "once available"] {
                    assert!(!s.text.contains(stale), "{rec}: {}", s.text);
                }
                // Only the operator's flag confirms a fence.
                if s.action == super::Action::ConfirmFence {
                    assert!(s.text.contains("--confirm-fenced"), "{}", s.text);
                }
            }
        }
    }
}

#[test]
fn the_json_step_carries_its_kind_node_and_words() {
    let f = finding(Profile::Pgrex17, F::PgsqlFailure, F::PgsqlFailure);
    let v = serde_json::to_value(&f).unwrap();
    let step = &v["plan"][5];
    assert_eq!(step["kind"], "standby-start");
    assert_eq!(step["method"], "as-facts-allow");
    assert_eq!(step["node"], "pm01");
    assert!(step["precondition"]
        .as_str()
        .unwrap()
        .contains("PGSQL.lock"));
    assert_eq!(v["recover"], "pgrex recover pgsql-failure --node pm01");
}

/// The check each repair step waits on, as `what(detail)`.
fn checks(f: &Finding) -> Vec<String> {
    use super::{Action, Check as C};
    f.plan
        .iter()
        .filter_map(|s| match &s.action {
            Action::Operator { check, .. } => Some(match check {
                C::NicUp { nic } => format!("nic-up({nic})"),
                C::Reaches { addr } => format!("reaches({addr})"),
                C::DiskReads { drives } => format!("disk-reads({})", drives.join(",")),
                other => serde_json::to_value(other).unwrap()["what"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            }),
            _ => None,
        })
        .collect()
}

#[test]
fn every_operator_step_waits_on_a_check_of_pgrexs_own_or_says_it_has_none() {
    let vip_rep = ["nic-up(eth2)"];
    let cases: &[(F, &[&str])] = &[
        (F::VipRepFailure, &vip_rep),
        (F::VipMasterFailure, &["nic-up(eth1)"]),
        (F::ServiceLanFailure, &["reaches(192.0.2.254)"]),
        (F::RouterFailure, &["reaches(192.0.2.254)"]),
        (F::ReplicationLanFailure, &["reaches(198.51.100.10)"]),
        (F::DiskFailure, &["offline", "disk-reads(/run/lab-disk0)"]),
        (F::PgsqlFailure, &["unobservable"]),
        (F::VipRepStopFailure, &["unobservable"]),
        (F::NodeFailure, &["offline", "unobservable", "answers"]),
        (F::FencingFailure, &["unobservable"]),
    ];
    for p in [Profile::Seed, Profile::Pgrex17] {
        for (rec, want) in cases {
            let f = finding(p, *rec, *rec);
            assert_eq!(checks(&f), *want, "{p} {rec}");
            for s in &f.plan {
                let super::Action::Operator { check, .. } = &s.action else {
                    continue;
                };
                // The text says what pgrex waits for, or that it has nothing to look at.
                let says = match check {
                    super::Check::Unobservable => {
                        s.text.contains("no check of its own") || s.text.contains("cannot see")
                    }
                    super::Check::NicUp { .. }
                    | super::Check::Reaches { .. }
                    | super::Check::DiskReads { .. } => s.text.contains("pgrex then waits until"),
                    _ => true,
                };
                assert!(says, "{p} {rec}: {}", s.text);
            }
        }
    }
    let f = finding(Profile::Pgrex17, F::VipStandbyFailure, F::VipStandbyFailure);
    assert_eq!(checks(&f), ["nic-up(eth1)"]);
    let f = finding(Profile::Pgrex17, F::RouterFailure, F::RouterFailure);
    let s = f
        .plan
        .iter()
        .find(|s| s.action.name() == "operator")
        .unwrap();
    assert!(
        s.text.contains("each node reaches 192.0.2.254"),
        "{}",
        s.text
    );
    // JSON: the check beside the cause.
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["plan"][3]["cause"], "repair");
    assert_eq!(v["plan"][3]["check"]["what"], "reaches");
    assert_eq!(v["plan"][3]["check"]["addr"], "192.0.2.254");
}

#[test]
fn leave_maintenance_clears_what_the_finding_names_cluster_nodes_and_resources() {
    use super::Action;
    use crate::pacemaker::Resource;
    let plan_of = |c: &Cluster| {
        diagnose(&c.snapshot(), &c.names)
            .into_iter()
            .find(|f| f.id == F::MaintenanceModeOn)
            .expect("maintenance-mode-on")
            .plan
    };
    let leave = |plan: &[super::Step]| {
        let s = plan
            .iter()
            .find(|s| s.action.name() == "leave-maintenance")
            .unwrap();
        let cmds: Vec<String> = s
            .action
            .leave_maintenance_commands()
            .iter()
            .map(|a| a.join(" "))
            .collect();
        (s.action.clone(), cmds, s.text.clone())
    };

    // Cluster-wide only: one command (every resource shows unmanaged then, none is named).
    let mut c = Cluster::healthy(Profile::Pgrex17);
    c.state.summary.maintenance_mode = true;
    let (a, cmds, text) = leave(&plan_of(&c));
    assert_eq!(
        cmds,
        ["crm_attribute --type crm_config --name maintenance-mode --delete"]
    );
    assert!(text.contains("maintenance-mode --delete"), "{text}");
    assert!(matches!(a, Action::LeaveMaintenance { cluster: true, .. }));

    // A node in maintenance: its resources show unmanaged because of it (crm_mon cannot
    // tell that from their own meta: the lab's standby VIP on pm02 is both), so they are
    // listed too; a resource unmanaged of its own on the other node: its meta.
    let mut c = Cluster::healthy(Profile::Pgrex17);
    c.state
        .nodes
        .iter_mut()
        .find(|n| n.name == "pm02")
        .unwrap()
        .maintenance = true;
    let mut on_pm02 = Vec::new();
    for r in c.state.resources.iter_mut() {
        if let Resource::Clone(cl) = r {
            for i in cl.instances.iter_mut() {
                if let Resource::Primitive(p) = i {
                    if p.nodes == ["pm02"] {
                        p.managed = false;
                        on_pm02.push(cl.id.clone());
                    }
                }
            }
        }
        if let Resource::Group(g) = r {
            g.resources[0].managed = false;
        }
    }
    assert!(!on_pm02.is_empty());
    let plan = plan_of(&c);
    let (_, cmds, text) = leave(&plan);
    let group = Cluster::healthy(Profile::Pgrex17)
        .names
        .primary_group
        .clone();
    let first = c
        .state
        .resources
        .iter()
        .find_map(|r| match r {
            Resource::Group(g) if g.id == group => Some(g.resources[0].id.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        cmds[0],
        "crm_attribute --type nodes --node pm02 --name maintenance --delete"
    );
    let del = |r: &str, meta: &str| {
        format!("crm_resource --resource {r} --meta --delete-parameter {meta}")
    };
    for r in on_pm02.iter().chain([&first]) {
        for meta in ["is-managed", "maintenance"] {
            assert!(cmds.contains(&del(r, meta)), "{r} {meta}: {cmds:?}");
        }
    }
    // Never the cluster-wide property when it is off, never a managed resource.
    assert!(!cmds.iter().any(|c| c.contains("crm_config")), "{cmds:?}");
    assert!(!cmds.iter().any(|c| c.contains(&group)), "{cmds:?}");
    assert!(
        text.contains("--node pm02 --name maintenance --delete"),
        "{text}"
    );
    let shape: Vec<&str> = plan.iter().map(|s| s.action.name()).collect();
    assert_eq!(shape, ["leave-maintenance", "verify"]);
}

/// A standby stopped with Pacemaker still running on it (the recorded `no-standby`: pgsql
/// banned from pm02, pm02 online): stopped first, then started as the standby — the order
/// `pgrex standby-start` needs (the lab's vip-master-failure, recovered while the failover
/// still ran, left pm02 so).
#[test]
fn a_standby_absent_where_pacemaker_runs_is_stopped_before_standby_start() {
    for p in [Profile::Seed, Profile::Pgrex17] {
        let c = Cluster::recording(p, "status", "no-standby");
        let f = diagnose(&c.snapshot(), &c.names)
            .into_iter()
            .find(|f| f.id == F::StandbyAbsent)
            .unwrap_or_else(|| panic!("{p}: no standby-absent"));
        assert_eq!(
            shape(&f),
            "stop:pm02 wait:pm02 standby-start:pm02 verify:-",
            "{p}"
        );
    }
}

/// A standby that replayed past the end of the WAL its primary can send it (the lab's seed
/// `cib-failure --switchback`, 2026-12-01: the old primary, restarted as a standby by its
/// agent after a failover without a fence, looped on "new timeline forked off … before
/// current recovery point"): waiting for it to catch up never ends, so its playbook stops
/// it and rejoins it with a rewind — never as it is. Seen from the primary; the same
/// cluster without the walsender's reading keeps the wait.
#[test]
fn a_diverged_standby_is_rewound_not_waited_for() {
    use crate::diagnose::playbook::{Action, MethodPolicy};
    for p in [Profile::Seed, Profile::Pgrex17] {
        let mut c = Cluster::healthy(p);
        let not_sync = |c: &Cluster| {
            diagnose(&c.snapshot(), &c.names)
                .into_iter()
                .find(|f| f.id == F::StandbyNotSync)
                .unwrap_or_else(|| panic!("{p}: no standby-not-sync"))
        };
        c.standby_restarted("startup", Some(0x1620));
        let f = not_sync(&c);
        assert_eq!(
            shape(&f),
            "stop:pm02 wait:pm02 standby-start:pm02 verify:-",
            "{p}"
        );
        assert!(
            f.plan.iter().any(|s| matches!(
                s.action,
                Action::StandbyStart {
                    method: MethodPolicy::NeverAsIs
                }
            )),
            "{p}: never as-is"
        );
        assert!(f.title.contains("diverged"), "{p}: {}", f.title);
        assert!(
            f.evidence.iter().any(|e| e.detail.contains("5664 bytes")),
            "{p}: {:?}",
            f.evidence
        );
        // Catching up after a reconnect (ahead of what was sent for a moment): the wait.
        c.standby_restarted("catchup", Some(0x1620));
        assert_eq!(shape(&not_sync(&c)), "wait:- verify:-", "{p}");
        c.standby_restarted("startup", None);
        assert_eq!(shape(&not_sync(&c)), "wait:- verify:-", "{p}");
    }
}
