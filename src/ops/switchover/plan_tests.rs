//! The pure plan on recorded crm_mon XML (tests/fixtures/status/pgrex17, recorded in the
//! lab) and the constraint reader on the XML `crm_resource --ban` writes.

use super::*;
use crate::pacemaker::parse;
use crate::profile::Profile;
use crate::snapshot::{Snapshot, Source};

fn state(rel: &str) -> ClusterState {
    let text = std::fs::read_to_string(crate::node::fake::fixture_path(rel)).unwrap();
    parse::crm_mon(&text, rel).unwrap()
}

fn judged(st: &ClusterState) -> Judgement {
    let mut s = Snapshot::empty("not recorded");
    s.cluster = Source::Known(st.clone());
    crate::judge::judge(&s, &names())
}

fn names() -> Names {
    Names::defaults(Profile::Pgrex17)
}

fn plan_of(rel: &str, constraints: &[Constraint]) -> std::result::Result<Roles, Vec<String>> {
    let st = state(rel);
    let j = judged(&st);
    roles(&Facts {
        state: &st,
        judgement: &j,
        names: &names(),
        constraints,
    })
}

#[test]
fn a_healthy_pair_switches_from_the_primary_to_the_sync_standby() {
    let r = plan_of("status/pgrex17/healthy.xml", &[]).unwrap();
    assert_eq!(
        r,
        Roles {
            old: "pm01".into(),
            new: "pm02".into()
        }
    );
}

#[test]
fn every_unfit_cluster_is_refused_with_its_reason() {
    for (rel, word) in [
        ("status/pgrex17/maintenance.xml", "maintenance"),
        ("status/pgrex17/primary-alone.xml", "not online"),
        (
            "status/pgrex17/standby-alone.xml",
            "not a synchronous standby",
        ),
        ("status/pgrex17/no-primary.xml", "no node is the primary"),
        ("status/pgrex17/failed-over.xml", ""),
        ("status/pgrex17/no-standby.xml", ""),
        ("status/pgrex17/storage-red.xml", ""),
    ] {
        let why = plan_of(rel, &[]).expect_err(rel);
        assert!(!why.is_empty(), "{rel}");
        assert!(why.join(" ").contains(word), "{rel}: {why:?}");
    }
}

#[test]
fn a_leftover_ban_is_named_with_the_command_that_clears_it() {
    let c = Constraint {
        id: "cli-ban-pgsql-clone-on-pm01".into(),
        resource: "pgsql-clone".into(),
        node: Some("pm01".into()),
        role: Some("Promoted".into()),
    };
    let why = plan_of("status/pgrex17/healthy.xml", &[c]).unwrap_err();
    assert_eq!(why.len(), 1, "{why:?}");
    assert!(why[0].contains("cli-ban-pgsql-clone-on-pm01"), "{why:?}");
    assert!(
        why[0].contains("crm_resource --clear -r pgsql-clone -N pm01 --promoted"),
        "{why:?}"
    );
}

#[test]
fn ban_constraints_are_read_with_and_without_a_lifetime() {
    // The shapes crm_resource 2.1.5 writes (`--ban --promoted`, with and without
    // `--lifetime`), pgrex switchover's (the role on the rule), and a constraint of the
    // cluster's own that is not ours.
    let xml = r##"<constraints>
  <rsc_location id="cli-ban-pgsql-clone-on-pm01" rsc="pgsql-clone" role="Promoted" node="pm01" score="-INFINITY"/>
  <rsc_location id="cli-ban-pgsql-clone-on-pm02" rsc="pgsql-clone" role="Promoted">
    <rule id="cli-ban-pgsql-clone-on-pm02-rule" score="-INFINITY" boolean-op="and">
      <expression id="cli-ban-pgsql-clone-on-pm02-expr" attribute="#uname" operation="eq" value="pm02" type="string"/>
      <date_expression id="cli-ban-pgsql-clone-on-pm02-lifetime" operation="lt" end="2026-12-01 09:00:00 Z"/>
    </rule>
  </rsc_location>
  <rsc_location id="cli-ban-pgsql-clone-on-pm03" rsc="pgsql-clone">
    <rule id="cli-ban-pgsql-clone-on-pm03-rule" role="Promoted" score="-INFINITY" boolean-op="and">
      <expression id="cli-ban-pgsql-clone-on-pm03-expr" attribute="#uname" operation="eq" value="pm03" type="string"/>
      <date_expression id="cli-ban-pgsql-clone-on-pm03-lifetime" operation="lt" end="2026-12-01 09:00:00 Z"/>
    </rule>
  </rsc_location>
  <rsc_location id="rsc_location-primary-group-1" rsc="primary-group"/>
</constraints>"##;
    let c = cli_constraints(xml, "t").unwrap();
    assert_eq!(c.len(), 3);
    // pgrex switchover's own ban: the role on the rule (see act::ban_command).
    assert_eq!(
        c[2].clear_command(),
        "crm_resource --clear -r pgsql-clone -N pm03 --promoted"
    );
    assert_eq!(c[1].node.as_deref(), Some("pm02"));
    assert_eq!(
        c[1].clear_command(),
        "crm_resource --clear -r pgsql-clone -N pm02 --promoted"
    );
}
