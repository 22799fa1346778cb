//! `pgrex status --input` on the recorded fixtures (tests/fixtures/status/README.md says how
//! each was recorded). Each case asserts the verdict, exit code and the deviations that make it,
//! and snapshots the whole output (exit code, stdout, stderr).

use crate::{fixture, pgrex, run};
use serde_json::Value;

fn json_of(rel: &str) -> (i32, Value) {
    let path = fixture(rel);
    let (code, out, err) = run(&[
        "status",
        "--output-format",
        "json",
        "--input",
        path.to_str().unwrap(),
    ]);
    assert!(err.is_empty(), "stderr: {err}");
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{rel}: invalid JSON: {e}\n{out}")),
    )
}

fn node<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap()
}

fn deviation_ids(v: &Value) -> Vec<String> {
    v["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

fn snapshot(rel: &str) -> String {
    let path = fixture(rel);
    let (code, out, err) = run(&[
        "status",
        "--color",
        "never",
        "--input",
        path.to_str().unwrap(),
    ]);
    format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}")
}

macro_rules! status_case {
    ($name:ident, $rel:literal, $verdict:literal, $code:literal, [$($dev:literal),*]) => {
        #[test]
        fn $name() {
            let (code, v) = json_of($rel);
            assert_eq!(v["schema_version"], 1);
            assert_eq!(v["verdict"], $verdict, "{}", v["reason"]);
            assert_eq!(code, $code);
            let ids = deviation_ids(&v);
            let _ = &ids;
            $( assert!(ids.iter().any(|i| i == $dev), "{} lacks deviation {}: {:?}", $rel, $dev, ids); )*
            insta::assert_snapshot!(stringify!($name), snapshot($rel));
        }
    };
}

// The service down or doubled (recorded by `record.sh verdicts`): FAULT with the deviation
// that says so; no standby at all: DEGRADED. STATUS_0032 two primaries.
status_case!(
    pgrex17_no_primary,
    "status/pgrex17/no-primary.xml",
    "FAULT",
    1,
    ["STATUS_0031"]
);
status_case!(
    seed_no_primary,
    "status/seed/no-primary.xml",
    "FAULT",
    1,
    ["STATUS_0031"]
);
status_case!(
    pgrex17_no_standby,
    "status/pgrex17/no-standby.xml",
    "DEGRADED",
    1,
    ["STATUS_0033"]
);
status_case!(
    pgrex17_both_offline,
    "status/pgrex17/both-offline.xml",
    "FAULT",
    1,
    ["STATUS_0031", "STATUS_0026"]
);
status_case!(
    pgrex17_promoted_both,
    "status/pgrex17/promoted-both.xml",
    "FAULT",
    1,
    ["STATUS_0032"]
);
status_case!(
    seed_promoted_both,
    "status/seed/promoted-both.xml",
    "FAULT",
    1,
    ["STATUS_0032"]
);
status_case!(
    seed_both_offline,
    "status/seed/both-offline.xml",
    "FAULT",
    1,
    ["STATUS_0031", "STATUS_0026"]
);
status_case!(
    seed_no_standby,
    "status/seed/no-standby.xml",
    "DEGRADED",
    1,
    ["STATUS_0033"]
);
// The service VIP banned from every node while pgsql stays promoted on pm01: the service is
// unreachable. STATUS_0061 service VIP nowhere · 0062 replication VIP nowhere.
status_case!(
    pgrex17_vip_nowhere,
    "status/pgrex17/vip-nowhere.xml",
    "FAULT",
    1,
    ["STATUS_0061", "STATUS_0062"]
);
status_case!(
    seed_vip_nowhere,
    "status/seed/vip-nowhere.xml",
    "FAULT",
    1,
    ["STATUS_0061", "STATUS_0062"]
);

// primary-alone is FAULT from a file: with no fencing history in it, the diagnosis cannot
// rule out that pm02 was fenced (node-failure, likely), and status judges with it.
// STATUS_0031 no primary · 0033 standby missing · 0025 node fenced · 0026 node offline ·
// 0044 replication lost · 0046 fail-count · 0047 failed action · 0051 maintenance mode ·
// 0024 unclean.
status_case!(
    pgrex17_healthy,
    "status/pgrex17/healthy.xml",
    "HEALTHY",
    0,
    []
);
status_case!(seed_healthy, "status/seed/healthy.xml", "HEALTHY", 0, []);
status_case!(
    pgrex17_primary_alone,
    "status/pgrex17/primary-alone.xml",
    "FAULT",
    1,
    ["STATUS_0026"]
);
status_case!(
    seed_primary_alone,
    "status/seed/primary-alone.xml",
    "FAULT",
    1,
    ["STATUS_0026"]
);
status_case!(
    pgrex17_failed_over,
    "status/pgrex17/failed-over.xml",
    "FAULT",
    1,
    ["STATUS_0047", "STATUS_0046", "STATUS_0033"]
);
status_case!(
    seed_failed_over,
    "status/seed/failed-over.xml",
    "FAULT",
    1,
    ["STATUS_0047", "STATUS_0046"]
);
status_case!(
    pgrex17_fenced,
    "status/pgrex17/fenced.xml",
    "FAULT",
    1,
    ["STATUS_0025"]
);
status_case!(
    seed_fenced,
    "status/seed/fenced.xml",
    "FAULT",
    1,
    ["STATUS_0025"]
);
status_case!(
    pgrex17_standby_alone,
    "status/pgrex17/standby-alone.xml",
    "FAULT",
    1,
    ["STATUS_0044"]
);
status_case!(
    seed_standby_alone,
    "status/seed/standby-alone.xml",
    "FAULT",
    1,
    ["STATUS_0044"]
);
status_case!(
    pgrex17_maintenance,
    "status/pgrex17/maintenance.xml",
    "DEGRADED",
    1,
    ["STATUS_0051"]
);
status_case!(
    seed_maintenance,
    "status/seed/maintenance.xml",
    "DEGRADED",
    1,
    ["STATUS_0051"]
);
status_case!(
    pgrex17_unclean,
    "status/pgrex17/unclean.xml",
    "FAULT",
    1,
    ["STATUS_0024"]
);
status_case!(
    seed_unclean,
    "status/seed/unclean.xml",
    "FAULT",
    1,
    ["STATUS_0024"]
);

#[test]
fn healthy_json_names_roles_and_meanings() {
    let (_, v) = json_of("status/pgrex17/healthy.xml");
    assert_eq!(v["primary"], "pm01");
    assert_eq!(v["standby"], "pm02");
    assert_eq!(v["profile"], "pgrex17");
    assert_eq!(v["profile_source"], "detected");
    let pm02 = node(&v, "pm02");
    assert_eq!(pm02["pgsql_status"]["value"], "HS:sync");
    assert_eq!(
        pm02["pgsql_status"]["meaning"],
        "standby, synchronous replication, may be promoted"
    );
    assert_eq!(pm02["role"], "standby");
}

#[test]
fn disconnect_is_explained() {
    let (_, v) = json_of("status/pgrex17/standby-alone.xml");
    let pm02 = node(&v, "pm02");
    assert_eq!(pm02["data_status"]["value"], "DISCONNECT");
    assert_eq!(
        pm02["data_status"]["meaning"],
        "replication lost: data may be old, must not be promoted"
    );
}

#[test]
fn forced_profile_that_does_not_match_is_a_fault_with_a_hint() {
    let path = fixture("status/seed/healthy.xml");
    let (code, out, _) = run(&[
        "status",
        "--profile",
        "pgrex17",
        "--output-format",
        "json",
        "--input",
        path.to_str().unwrap(),
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "FAULT");
    assert_eq!(deviation_ids(&v)[0], "STATUS_0030");
    assert!(v["next"].as_str().unwrap().contains("--profile"));
}

#[test]
fn color_never_and_no_color_mean_no_escape_codes() {
    let path = fixture("status/pgrex17/failed-over.xml");
    let out = pgrex()
        .args(["status", "--color", "always", "--input"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains('\x1b'),
        "--color always colours"
    );
    let out = pgrex()
        .args(["status", "--input"])
        .arg(&path)
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains('\x1b'),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    let out = pgrex()
        .args(["status", "--input"])
        .arg(&path)
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains('\x1b'),
        "CLICOLOR_FORCE colours a pipe"
    );
}

// STATUS_0042 disk monitor failure.
status_case!(
    pgrex17_storage_red,
    "status/pgrex17/storage-red.xml",
    "FAULT",
    1,
    ["STATUS_0042"]
);
// seed has no node-health strategy: crm_mon shows nothing, only the CIB holds the red attribute,
// so the crm_mon recording alone is (rightly) healthy and the cib.xml is not.
status_case!(
    seed_storage_red_crm_mon_only,
    "status/seed/storage-red.xml",
    "HEALTHY",
    0,
    []
);
status_case!(
    seed_storage_red,
    "status/seed/storage-red.cib.xml",
    "FAULT",
    1,
    ["STATUS_0042"]
);
// Pacemaker 1.1 `crm_mon --as-xml`, converted from 2.1 recordings (see the fixtures' README).
status_case!(
    crm_mon11_healthy,
    "status/seed/crm_mon-1.1/healthy.xml",
    "HEALTHY",
    0,
    []
);
status_case!(
    crm_mon11_failed_over,
    "status/seed/crm_mon-1.1/failed-over.xml",
    "FAULT",
    1,
    ["STATUS_0047", "STATUS_0046"]
);
status_case!(
    crm_mon11_fenced,
    "status/seed/crm_mon-1.1/fenced.xml",
    "FAULT",
    1,
    ["STATUS_0025"]
);

#[test]
fn cib_input_goes_through_crm_mon() {
    // A cib.xml with its status section gives the same verdict as the crm_mon XML recorded from
    // it. (Not `fenced`: the fencing history lives in the fencer, not in the CIB.)
    for state in [
        "healthy",
        "failed-over",
        "standby-alone",
        "maintenance",
        "unclean",
    ] {
        let (code_xml, from_xml) = json_of(&format!("status/pgrex17/{state}.xml"));
        let (code_cib, from_cib) = json_of(&format!("status/pgrex17/{state}.cib.xml"));
        assert_eq!(from_xml["verdict"], from_cib["verdict"], "{state}");
        assert_eq!(code_xml, code_cib, "{state}");
        assert_eq!(
            deviation_ids(&from_xml),
            deviation_ids(&from_cib),
            "{state}"
        );
    }
}

#[test]
fn cib_input_without_crm_mon_is_a_usage_error_with_a_hint() {
    let path = fixture("status/pgrex17/healthy.cib.xml");
    let out = pgrex()
        .args(["status", "--input"])
        .arg(&path)
        .env("PGREX_CRM_MON", "/nonexistent/crm_mon")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("crm_mon"), "{err}");
    assert!(err.contains("hint:"), "{err}");
}

// STATUS_0050 fencing failed (the node stays UNCLEAN, STATUS_0024).
status_case!(
    pgrex17_fence_failed,
    "status/pgrex17/fence-failed.xml",
    "FAULT",
    1,
    ["STATUS_0050", "STATUS_0024"]
);
status_case!(
    seed_fence_failed,
    "status/seed/fence-failed.xml",
    "FAULT",
    1,
    ["STATUS_0050", "STATUS_0024"]
);

#[test]
fn every_lab_fault_recording_is_seen_as_a_fault() {
    // tests/fixtures/lab/<profile>/<fault>/crm_mon.xml: recorded in the practice lab after
    // `pgrex-lab inject <fault>` (README beside each). crm_mon alone cannot show a degraded
    // interconnect (corosync-cfgtool does, live) or a respawned pacemakerd (only logs do).
    let healthy_from_crm_mon_alone = ["heartbeat-link-degraded", "pacemakerd-failure"];
    let mut seen = 0;
    for profile in ["pgrex17", "seed"] {
        let dir = fixture(&format!("lab/{profile}"));
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let fault_dir = e.unwrap().path();
            let fault = fault_dir.file_name().unwrap().to_string_lossy().to_string();
            let xml = fault_dir.join("crm_mon.xml");
            if !xml.exists() {
                continue;
            }
            seen += 1;
            let rel = xml
                .strip_prefix(fixture(""))
                .unwrap()
                .to_string_lossy()
                .to_string();
            let (code, v) = json_of(&rel);
            if healthy_from_crm_mon_alone.contains(&fault.as_str()) {
                assert_eq!(
                    v["verdict"], "HEALTHY",
                    "{profile}/{fault}: {}",
                    v["reason"]
                );
                assert_eq!(code, 0);
            } else {
                assert_ne!(
                    v["verdict"], "HEALTHY",
                    "{profile}/{fault} must not look healthy"
                );
                assert_eq!(code, 1, "{profile}/{fault}");
                assert!(
                    v["diagnosis"]["id"].is_string(),
                    "{profile}/{fault}: a top finding is named"
                );
            }
        }
    }
    assert!(seen >= 15, "only {seen} lab recordings found");
}
