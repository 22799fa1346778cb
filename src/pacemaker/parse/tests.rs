//! The parsers on the recorded fixtures of `tests/fixtures/status/` (see its README for the
//! commands that produced them), and on broken input.

use super::*;
use crate::pacemaker::model::*;
use crate::Error;

fn fixture(rel: &str) -> String {
    let path = format!("{}/tests/fixtures/status/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn state(rel: &str) -> ClusterState {
    crm_mon(&fixture(rel), rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (promotable clone, primary VIP, ping attribute, ping normal value) per profile.
const PROFILES: [(&str, &str, &str, &str, &str); 2] = [
    (
        "seed",
        "msPostgresql",
        "vip-master",
        "default_ping_set",
        "100",
    ),
    (
        "pgrex17",
        "pgsql-clone",
        "ipaddr-primary",
        "ping-status",
        "1",
    ),
];

fn role_on(s: &ClusterState, prim: &str, node: &str) -> Option<Role> {
    s.primitives(prim)
        .into_iter()
        .find(|p| p.nodes.iter().any(|n| n == node))
        .map(|p| p.role.clone())
}

fn attr<'a>(s: &'a ClusterState, node: &str, name: &str) -> Option<&'a str> {
    s.attr(node, name).map(|a| a.value.as_str())
}

#[test]
fn healthy_both_profiles() {
    for (profile, clone, vip, ping, ping_ok) in PROFILES {
        let s = state(&format!("{profile}/healthy.xml"));
        assert_eq!(s.dialect, XmlDialect::PacemakerResult);
        assert_eq!(s.api_version.as_deref(), Some("2.25"));
        assert_eq!(s.summary.dc.as_deref(), Some("pm01"), "{profile}");
        assert!(s.summary.dc_present);
        assert_eq!(s.summary.dc_version.as_deref(), Some("2.1.5-a3f44794f94"));
        assert_eq!(s.summary.with_quorum, Some(true));
        assert_eq!(s.summary.stack.as_deref(), Some("corosync"));
        assert!(s.summary.stonith_enabled);
        assert!(!s.summary.maintenance_mode);
        assert_eq!(s.summary.no_quorum_policy.as_deref(), Some("ignore"));
        assert_eq!(s.summary.nodes_configured, Some(2));

        assert_eq!(s.nodes.len(), 2);
        for n in &s.nodes {
            assert!(
                n.online && !n.standby && !n.maintenance && !n.unclean && !n.pending,
                "{n:?}"
            );
            assert_eq!(n.health.as_deref(), Some("green"));
        }
        assert!(s.node("pm01").unwrap().is_dc);
        assert!(!s.node("pm02").unwrap().is_dc);

        match s.find(clone) {
            Some(Resource::Clone(c)) => {
                assert!(c.promotable && c.managed && !c.failed);
                assert_eq!(c.instances.len(), 2);
            }
            other => panic!("{profile}: {clone} is {other:?}"),
        }
        assert_eq!(
            role_on(&s, "pgsql", "pm01"),
            Some(Role::Promoted),
            "{profile}"
        );
        assert_eq!(
            role_on(&s, "pgsql", "pm02"),
            Some(Role::Unpromoted),
            "{profile}"
        );
        assert_eq!(s.primitives("pgsql")[0].agent, "ocf:heartbeat:pgsql");
        assert_eq!(s.running_on(vip), vec!["pm01"]);
        assert_eq!(s.running_on(clone), vec!["pm01", "pm02"]);
        assert_eq!(s.running_on("storage-mon-clone"), vec!["pm01", "pm02"]);
        let stonith: Vec<_> = s
            .stonith_primitives()
            .iter()
            .map(|p| (p.nodes[0].as_str(), p.id.as_str()))
            .collect();
        assert_eq!(stonith.len(), 2, "{profile}: {stonith:?}");

        assert_eq!(attr(&s, "pm01", "pgsql-status"), Some("PRI"));
        assert_eq!(attr(&s, "pm01", "pgsql-data-status"), Some("LATEST"));
        assert_eq!(attr(&s, "pm01", "master-pgsql"), Some("1000"));
        assert_eq!(
            attr(&s, "pm01", "pgsql-master-baseline"),
            Some("0000000005000060")
        );
        assert_eq!(attr(&s, "pm02", "pgsql-status"), Some("HS:sync"));
        assert_eq!(
            attr(&s, "pm02", "pgsql-data-status"),
            Some("STREAMING|SYNC")
        );
        assert_eq!(attr(&s, "pm02", "master-pgsql"), Some("100"));
        assert_eq!(attr(&s, "pm02", "pgsql-master-baseline"), None);
        let p = s.attr("pm02", ping).unwrap();
        assert_eq!(
            (p.value.as_str(), p.expected.as_deref()),
            (ping_ok, Some(ping_ok))
        );
        // crm_mon hides `#health-storage-mon`.
        assert_eq!(attr(&s, "pm01", "#health-storage-mon"), None);

        assert!(s.failures.is_empty());
        assert!(s.node_history.iter().all(|h| h.fail_count == 0));
        let rep = if profile == "seed" {
            "vip-rep"
        } else {
            "ipaddr-replication"
        };
        let h = s.node_history.iter().find(|h| h.resource == rep).unwrap();
        assert_eq!(
            h.migration_threshold,
            Some(0),
            "{profile}: {rep} never migrates"
        );
        // A CIB-file rendering has no fencer: no fencing section at all.
        assert_eq!(s.fence_history, None);
    }
}

#[test]
fn primary_alone() {
    for (profile, clone, vip, ..) in PROFILES {
        let s = state(&format!("{profile}/primary-alone.xml"));
        let pm02 = s.node("pm02").unwrap();
        assert!(!pm02.online && !pm02.unclean, "{profile}: {pm02:?}");
        assert_eq!(role_on(&s, "pgsql", "pm01"), Some(Role::Promoted));
        assert_eq!(s.running_on(clone), vec!["pm01"]);
        assert_eq!(s.running_on(vip), vec!["pm01"]);
        let stopped = s
            .primitives("pgsql")
            .into_iter()
            .filter(|p| p.role == Role::Stopped)
            .count();
        assert_eq!(stopped, 1, "{profile}: one stopped instance");
        assert!(
            !s.node_attributes.contains_key("pm02"),
            "{profile}: offline nodes show no attributes"
        );
    }
}

#[test]
fn failed_over_has_fail_count_and_failure() {
    for (profile, clone, vip, ..) in PROFILES {
        let s = state(&format!("{profile}/failed-over.xml"));
        assert_eq!(
            role_on(&s, "pgsql", "pm02"),
            Some(Role::Promoted),
            "{profile}"
        );
        assert_eq!(s.running_on(clone), vec!["pm02"]);
        assert_eq!(s.running_on(vip), vec!["pm02"]);
        assert_eq!(attr(&s, "pm01", "pgsql-status"), Some("STOP"));
        assert_eq!(attr(&s, "pm01", "pgsql-data-status"), Some("DISCONNECT"));
        assert_eq!(attr(&s, "pm01", "master-pgsql"), Some("-INFINITY"));
        assert_eq!(attr(&s, "pm02", "pgsql-status"), Some("PRI"));

        let fc: Vec<_> = s.node_history.iter().filter(|h| h.fail_count > 0).collect();
        assert_eq!(fc.len(), 1, "{profile}: {fc:?}");
        assert_eq!(
            (fc[0].node.as_str(), fc[0].resource.as_str()),
            ("pm01", "pgsql")
        );
        assert_eq!((fc[0].fail_count, fc[0].migration_threshold), (1, Some(1)));
        assert!(fc[0].last_failure.is_some());

        assert_eq!(s.failures.len(), 1);
        let f = &s.failures[0];
        assert_eq!(f.op_key, "pgsql_monitor_9000");
        assert_eq!(f.resource, "pgsql");
        assert_eq!(f.node, "pm01");
        assert_eq!(f.task, "monitor");
        assert_eq!(f.interval_ms, 9000);
        assert_eq!(f.exitstatus, "not running");
        assert_eq!(f.exitcode, Some(7));
        assert_eq!(f.exitreason.as_deref(), Some("Simulated action result"));
        assert_eq!(f.status.as_deref(), Some("complete"));
        assert!(f.last_rc_change.is_some());
        assert!(f.call.is_some());
    }
}

#[test]
fn fenced_node_is_offline_with_fence_event() {
    for (profile, clone, ..) in PROFILES {
        let s = state(&format!("{profile}/fenced.xml"));
        let pm01 = s.node("pm01").unwrap();
        assert!(!pm01.online && !pm01.unclean, "{profile}: {pm01:?}");
        assert_eq!(s.summary.dc.as_deref(), Some("pm02"));
        assert_eq!(s.running_on(clone), vec!["pm02"]);
        assert_eq!(role_on(&s, "pgsql", "pm02"), Some(Role::Promoted));
        let ev = s.fence_history.as_ref().expect("fence_history section");
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].action, "reboot");
        assert_eq!(ev[0].target, "pm01");
        assert_eq!(ev[0].status, "success");
        assert_eq!(ev[0].delegate.as_deref(), Some("pm02"));
        assert_eq!(ev[0].origin.as_deref(), Some("pm02"));
        assert!(ev[0].completed.is_some());
    }
}

#[test]
fn unclean_node() {
    for (profile, ..) in PROFILES {
        let s = state(&format!("{profile}/unclean.xml"));
        let pm01 = s.node("pm01").unwrap();
        assert!(!pm01.online && pm01.unclean, "{profile}: {pm01:?}");
        // Pacemaker still counts the lost Primary as Promoted on pm01 until it is fenced.
        assert_eq!(role_on(&s, "pgsql", "pm01"), Some(Role::Promoted));
    }
}

#[test]
fn standby_alone() {
    for (profile, ..) in PROFILES {
        let s = state(&format!("{profile}/standby-alone.xml"));
        assert_eq!(attr(&s, "pm02", "pgsql-status"), Some("HS:alone"));
        assert_eq!(attr(&s, "pm02", "pgsql-data-status"), Some("DISCONNECT"));
        assert_eq!(attr(&s, "pm02", "master-pgsql"), Some("-INFINITY"));
        assert_eq!(
            role_on(&s, "pgsql", "pm02"),
            Some(Role::Unpromoted),
            "{profile}"
        );
    }
    // pgrex17: ipaddr-standby follows the location rules to the Primary.
    let s = state("pgrex17/standby-alone.xml");
    assert_eq!(s.running_on("ipaddr-standby"), vec!["pm01"]);
    let s = state("pgrex17/healthy.xml");
    assert_eq!(s.running_on("ipaddr-standby"), vec!["pm02"]);
}

#[test]
fn maintenance_mode_unmanages_everything() {
    for (profile, clone, ..) in PROFILES {
        let s = state(&format!("{profile}/maintenance.xml"));
        assert!(s.summary.maintenance_mode, "{profile}");
        match s.find(clone) {
            Some(Resource::Clone(c)) => assert!(!c.managed),
            other => panic!("{other:?}"),
        }
        assert!(s.primitives("pgsql").iter().all(|p| !p.managed));
    }
}

#[test]
fn crm_mon_11_converted() {
    let s = state("seed/crm_mon-1.1/healthy.xml");
    assert_eq!(s.dialect, XmlDialect::CrmMon11);
    assert_eq!(s.version.as_deref(), Some("1.1.16"));
    assert_eq!(s.api_version, None);
    assert_eq!(s.summary.dc.as_deref(), Some("pm01"));
    assert_eq!(role_on(&s, "pgsql", "pm01"), Some(Role::Promoted), "Master");
    assert_eq!(
        role_on(&s, "pgsql", "pm02"),
        Some(Role::Unpromoted),
        "Slave"
    );
    assert_eq!(
        s.primitives("pgsql")[0].agent,
        "ocf:heartbeat:pgsql",
        "ocf:: normalised"
    );
    assert_eq!(s.node("pm01").unwrap().health, None);
    assert_eq!(attr(&s, "pm01", "default_ping_set"), Some("100"));
    let ping = s.attr("pm02", "default_ping_set").unwrap();
    assert_eq!(ping.expected, None, "1.1 has no `expected`");
    assert_eq!(s.running_on("master-group"), vec!["pm01"]);
    assert!(s.failures.is_empty());
    assert_eq!(s.fence_history, None);

    let s = state("seed/crm_mon-1.1/failed-over.xml");
    assert_eq!(role_on(&s, "pgsql", "pm02"), Some(Role::Promoted));
    let f = &s.failures[0];
    assert_eq!(
        (
            f.resource.as_str(),
            f.task.as_str(),
            f.interval_ms,
            f.exitcode
        ),
        ("pgsql", "monitor", 9000, Some(7))
    );
    assert_eq!(f.exitreason, None, "empty exitreason is none");
    let h = s.node_history.iter().find(|h| h.fail_count > 0).unwrap();
    assert_eq!((h.node.as_str(), h.fail_count), ("pm01", 1));
    let vip_rep = s
        .node_history
        .iter()
        .find(|h| h.resource == "vip-rep")
        .unwrap();
    assert_eq!(vip_rep.migration_threshold, Some(0));
    assert_eq!(s.fence_history, None, "1.1.16 has no fencing section");

    // 1.1.18+ writes fence events with `state=`.
    let s = state("seed/crm_mon-1.1/fenced.xml");
    assert_eq!(s.version.as_deref(), Some("1.1.19"));
    let ev = s.fence_history.as_ref().unwrap();
    assert_eq!(
        (ev[0].target.as_str(), ev[0].status.as_str()),
        ("pm01", "success")
    );
    assert!(!s.node("pm01").unwrap().online);
}

#[test]
fn infinity_fail_count() {
    let x = r#"<pacemaker-result api-version="2.25"><node_history><node name="pm01">
        <resource_history id="pgsql" orphan="false" migration-threshold="1000000" fail-count="INFINITY" last-failure="x"/>
        </node>
        </node_history><status code="0" message="OK"/></pacemaker-result>"#;
    let s = crm_mon(x, "t").unwrap();
    assert_eq!(s.node_history[0].fail_count, u32::MAX);
    assert_eq!(s.node_history[0].migration_threshold, Some(u32::MAX));
}

#[test]
fn failure_without_task_derives_it() {
    let x = r#"<crm_mon version="1.1.16"><failures>
        <failure op_key="ipaddr-primary_stop_0" node="pm01" exitstatus="error" exitcode="1" call="9" status="Timed Out"/>
        </failures></crm_mon>"#;
    let f = &crm_mon(x, "t").unwrap().failures[0];
    assert_eq!(
        (f.resource.as_str(), f.task.as_str(), f.interval_ms),
        ("ipaddr-primary", "stop", 0)
    );
    assert_eq!(f.status.as_deref(), Some("Timed Out"));
}

#[test]
fn unknown_elements_and_attributes_are_tolerated() {
    let x = r#"<pacemaker-result api-version="9.99" future="x"><pacemakerd state="running"/>
        <summary><stack type="corosync" x="y"/><wibble/></summary>
        <nodes><node name="pm01" online="true" brand_new="1"><extra/></node></nodes>
        <resources><bundle id="b1" type="podman"/><gizmo id="g"/>
        <resource id="r" role="Started" resource_agent="ocf:x:y" active="true" colour="blue"><node name="pm01"/></resource></resources>
        <status code="0" message="OK"/></pacemaker-result>"#;
    let s = crm_mon(x, "t").unwrap();
    assert_eq!(s.nodes[0].name, "pm01");
    assert_eq!(s.resources.len(), 2);
    assert!(
        matches!(&s.resources[0], Resource::Other { id, element } if id == "b1" && element == "bundle")
    );
    assert_eq!(s.running_on("r"), vec!["pm01"]);
}

fn input_err(xml: &str) -> String {
    match crm_mon(xml, "in.xml") {
        Err(e @ Error::Input { .. }) => {
            assert_eq!(e.exit_code(), crate::ExitCode::Usage);
            e.to_string()
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn missing_required_attribute_is_named() {
    let e =
        input_err(r#"<pacemaker-result><nodes><node online="true"/></nodes></pacemaker-result>"#);
    assert_eq!(e, "in.xml: <node> has no `name` attribute");
    let e = input_err(r#"<crm_mon><resources><resource id="x"/></resources></crm_mon>"#);
    assert_eq!(e, "in.xml: <resource> has no `role` attribute");
    let e = input_err(r#"<crm_mon><nodes><node name="a" online="maybe"/></nodes></crm_mon>"#);
    assert!(
        e.contains("online=\"maybe\"") && e.contains("true or false"),
        "{e}"
    );
    let e = input_err(
        r#"<crm_mon><node_history><node name="a"><resource_history id="p" fail-count="lots"/></node></node_history></crm_mon>"#,
    );
    assert!(e.contains("fail-count"), "{e}");
}

#[test]
fn broken_documents_are_input_errors() {
    let healthy = fixture("pgrex17/healthy.xml");
    let truncated = &healthy[..healthy.len() / 2];
    assert!(
        input_err(truncated).contains("is closed (truncated"),
        "truncated"
    );
    assert!(input_err("").contains("empty"));
    assert!(input_err("   \n").contains("empty"));
    assert!(
        input_err("<pacemaker-result><nodes></summary></pacemaker-result>")
            .contains("not well-formed")
    );
    assert!(input_err("Connection to cluster failed").contains("not well-formed"));
    assert!(input_err("{\"schema_version\": 1}").contains("not well-formed"));
    let e = input_err("<html><body/></html>");
    assert!(e.contains("root element is <html>"), "{e}");
    let e = input_err(&fixture("pgrex17/healthy.cib.xml"));
    assert!(e.contains("root element is <cib>"), "{e}");
    // Every prefix of a real document is handled without panicking.
    for cut in (0..healthy.len()).step_by(97) {
        let _ = crm_mon(&healthy[..cut], "cut");
    }
}

#[test]
fn failed_result_carries_crm_mon_message() {
    let xml = fixture("errors/not-running.xml");
    let e = input_err(&xml);
    assert!(e.contains("102"), "{e}");
    assert!(e.contains("Not connected"), "{e}");
    assert!(
        e.contains("Could not connect to launcher: Connection refused"),
        "{e}"
    );
    let st = result_status(&xml, "t").unwrap().unwrap();
    assert_eq!((st.code, st.message.as_str()), (102, "Not connected"));
    assert_eq!(st.errors.len(), 2);
}

#[test]
fn cib_facts_from_recorded_cibs() {
    for (profile, _, _, ping, ping_ok) in PROFILES {
        let c = cib(&fixture(&format!("{profile}/healthy.cib.xml")), "cib").unwrap();
        assert!(c.has_status);
        assert_eq!(c.nodes.len(), 2);
        assert_eq!(c.persistent("pm01", "pgsql-data-status"), Some("LATEST"));
        assert_eq!(
            c.persistent("pm02", "pgsql-data-status"),
            Some("STREAMING|SYNC")
        );
        assert_eq!(c.transient("pm01", "pgsql-status"), Some("PRI"));
        assert_eq!(c.transient("pm02", "master-pgsql"), Some("100"));
        assert_eq!(c.transient("pm02", ping), Some(ping_ok));
        assert_eq!(
            c.transient("pm01", "#health-storage-mon"),
            Some("green"),
            "{profile}: hidden attribute"
        );
        assert_eq!(c.param("pgsql", "pgdata"), Some("/var/lib/pgsql/data"));
        assert_eq!(c.param("pgsql", "tmpdir"), Some("/var/lib/pgsql/tmp"));
        assert_eq!(c.param("pgsql", "repuser"), Some("repuser"));
        assert_eq!(c.param("pgsql", "rep_mode"), Some("sync"));
        assert_eq!(
            c.properties.get("stonith-enabled").map(String::as_str),
            Some("true")
        );
        assert_eq!(
            c.properties.get("no-quorum-policy").map(String::as_str),
            Some("ignore")
        );

        // The fenced node keeps its persistent attribute while its transient ones are gone.
        let c = cib(&fixture(&format!("{profile}/fenced.cib.xml")), "cib").unwrap();
        assert_eq!(
            c.persistent("pm01", "pgsql-data-status"),
            Some("DISCONNECT")
        );
        assert_eq!(c.transient("pm01", "pgsql-status"), None);
        assert_eq!(c.transient("pm02", "pgsql-status"), Some("PRI"));

        let c = cib(&fixture(&format!("{profile}/maintenance.cib.xml")), "cib").unwrap();
        assert_eq!(
            c.properties.get("maintenance-mode").map(String::as_str),
            Some("true")
        );
    }
    let c = cib(&fixture("pgrex17/healthy.cib.xml"), "cib").unwrap();
    assert_eq!(c.param("ping", "name"), Some("ping-status"));
    assert_eq!(
        c.properties.get("node-health-strategy").map(String::as_str),
        Some("only-green")
    );
}

#[test]
fn cib_errors() {
    let e = cib(&fixture("pgrex17/healthy.xml"), "x.xml").unwrap_err();
    assert!(
        e.to_string().contains("root element is <pacemaker-result>"),
        "{e}"
    );
    assert!(cib("", "x").unwrap_err().to_string().contains("empty"));
    let e = cib(
        r#"<cib><configuration><nodes><node uname="pm01"/></nodes></configuration></cib>"#,
        "x",
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "x: <node> has no `id` attribute");
    let c = cib("<cib/>", "x").unwrap();
    assert!(!c.has_status && c.nodes.is_empty());
}

#[test]
fn fence_history_that_could_not_be_read_is_not_available() {
    let x = r#"<pacemaker-result><fence_history status="107"/><status code="0" message="OK"/></pacemaker-result>"#;
    assert_eq!(crm_mon(x, "t").unwrap().fence_history, None);
    let x =
        r#"<pacemaker-result><fence_history/><status code="0" message="OK"/></pacemaker-result>"#;
    assert_eq!(crm_mon(x, "t").unwrap().fence_history, Some(vec![]));
}

#[test]
fn old_summary_without_options_keeps_pacemaker_defaults() {
    let x = r#"<crm_mon version="1.1.12"><summary><current_dc present="true" name="a" with_quorum="true"/></summary></crm_mon>"#;
    let s = crm_mon(x, "t").unwrap().summary;
    assert!(s.stonith_enabled && !s.maintenance_mode);
    assert_eq!(s.dc.as_deref(), Some("a"));
}

#[test]
fn storage_red() {
    // pgrex17 has node-health-strategy=only-green: the node's health turns red and the
    // Primary moves away; crm_mon still hides the attribute itself.
    let s = state("pgrex17/storage-red.xml");
    assert_eq!(s.node("pm01").unwrap().health.as_deref(), Some("red"));
    assert_eq!(s.node("pm02").unwrap().health.as_deref(), Some("green"));
    assert_eq!(role_on(&s, "pgsql", "pm02"), Some(Role::Promoted));
    assert_eq!(attr(&s, "pm01", "#health-storage-mon"), None);
    let c = cib(&fixture("pgrex17/storage-red.cib.xml"), "cib").unwrap();
    assert_eq!(c.transient("pm01", "#health-storage-mon"), Some("red"));
    // seed: no health strategy, so only the CIB tells.
    let s = state("seed/storage-red.xml");
    assert_eq!(s.node("pm01").unwrap().health.as_deref(), Some("green"));
    assert_eq!(role_on(&s, "pgsql", "pm01"), Some(Role::Promoted));
    let c = cib(&fixture("seed/storage-red.cib.xml"), "cib").unwrap();
    assert_eq!(c.transient("pm01", "#health-storage-mon"), Some("red"));
}

#[test]
fn failed_and_pending_fencing() {
    for (profile, ..) in PROFILES {
        let s = state(&format!("{profile}/fence-failed.xml"));
        assert!(s.node("pm01").unwrap().unclean);
        let ev = s.fence_history.as_ref().unwrap();
        let statuses: Vec<_> = ev.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(statuses, ["pending", "failed"], "{profile}");
        assert_eq!(ev[0].completed, None);
        assert_eq!(ev[1].exit_reason.as_deref(), Some("Agent returned error"));
    }
}

/// `has` finds a VIP inside the primary group, where `find` does not look (the waits of
/// switchover, primary-start and standby-start ask `has`: with `find` they took a promoted
/// node for ready before its grouped VIPs had started); an unknown id is not there.
#[test]
fn has_sees_group_members_find_does_not() {
    let s = state("pgrex17/healthy.xml");
    assert!(s.find("ipaddr-primary").is_none());
    assert!(s.has("ipaddr-primary"));
    assert!(s.has("primary-group"));
    assert!(s.has("pgsql"));
    assert!(!s.has("no-such-resource"));
}
