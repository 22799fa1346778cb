//! Lab tests: a real two-node PG-REX cluster, faults injected, the cluster's reaction checked.
//!
//! Gated: `PGREX_LAB=1` runs the smoke set (pgrex17: up, healthy — also Japanese under
//! `LANG=ja_JP.UTF-8` and `pgrex check` as a haclient user —, commits blocked by a cut D-LAN
//! are not HEALTHY within 10 s, vip-rep-failure ①, pgsql-failure ② + standby rejoin, node-failure ③
//! with check CRITICAL, check UNKNOWN on the failed node, down). `PGREX_LAB_FULL=1` adds every
//! injectable fault in both profiles (a fresh lab per fault). `PGREX_LAB_RECORD=1` saves the
//! settled state of each fault into `tests/fixtures/lab/<profile>/<fault>/`. Each fault also
//! checks that `pgrex diagnose` on the live cluster names it (first, or among the leading
//! `likely` siblings with the deciding check), and the smoke set clears the vip-rep-failure
//! fail-count with `pgrex cleanup`. `pgrex log --both` is checked after pgsql-failure in the
//! smoke set (the deck's slide: monitor failure, failover start, moves, success), and after
//! vip-rep-failure, pgsql-failure and node-failure in the full set (both profiles). With
//! `PGREX_LAB_RECORD=1` the recording also holds both nodes' Pacemaker and Corosync logs of
//! the fault's window, which `src/oplog/lab_tests.rs` converts.
//! The smoke set also stops and starts the standby through the Perl tools' names
//! (`pg-rex_stop`, `pg-rex_standby_start -n`).
//! The tests use their own lab instance (`labtest`), so a developer's lab is left alone. They
//! run one at a time (one lock), as the machine has room for one lab test at a time.

use pgrex::diagnose::FaultId as F;
use std::path::PathBuf;
use std::sync::LazyLock;
use std::time::{Duration, Instant};
use support::{enabled, Lab, ONE_AT_A_TIME};

mod support;

/// The lab instance of these tests: `labtest`, or `PGREX_LAB_TEST_INSTANCE`.
static LAB: LazyLock<Lab> = LazyLock::new(|| Lab::from_env("PGREX_LAB_TEST_INSTANCE", "labtest"));

fn failcount(from: &str, node: &str, rsc: &str) -> u64 {
    let (_, out) = LAB.on(
        from,
        &format!("crm_failcount -G -r {rsc} -N {node} 2>/dev/null"),
    );
    out.split("value=")
        .nth(1)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

fn crm_mon_xml(from: &str) -> String {
    LAB.on(from, "crm_mon --output-as=xml -1 --inactive 2>/dev/null")
        .1
}

fn node_online(xml: &str, node: &str) -> bool {
    xml.lines()
        .any(|l| l.contains(&format!("<node name=\"{node}\"")) && l.contains("online=\"true\""))
}

struct Names {
    vip_primary: &'static str,
    vip_rep: &'static str,
    vip_standby: Option<&'static str>,
    ping_attr: &'static str,
    ping_ok: &'static str,
}

fn names(profile: &str) -> Names {
    if profile == "seed" {
        Names {
            vip_primary: "vip-master",
            vip_rep: "vip-rep",
            vip_standby: None,
            ping_attr: "default_ping_set",
            ping_ok: "100",
        }
    } else {
        Names {
            vip_primary: "ipaddr-primary",
            vip_rep: "ipaddr-replication",
            vip_standby: Some("ipaddr-standby"),
            ping_attr: "ping-status",
            ping_ok: "1",
        }
    }
}

/// The PG-REX normal state (spec §5.3) with `p` primary: through `pgrex status` when it can
/// report JSON, else checked from crm_mon XML and the attributes.
fn assert_healthy(p: &str, s: &str, profile: &str) {
    let (ok, json) = LAB.on(p, "pgrex status --output-format json 2>/dev/null");
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&json) {
        if v.get("verdict").is_some() {
            assert_eq!(
                v["verdict"], "HEALTHY",
                "pgrex status (exit ok={ok}): {json}"
            );
            return;
        }
    }
    let n = names(profile);
    let x = crm_mon_xml(p);
    assert!(
        node_online(&x, p) && node_online(&x, s),
        "both nodes online:\n{x}"
    );
    assert_eq!(LAB.attr(p, p, "pgsql-status").as_deref(), Some("PRI"));
    assert_eq!(LAB.attr(p, s, "pgsql-status").as_deref(), Some("HS:sync"));
    assert_eq!(LAB.attr(p, p, "master-pgsql").as_deref(), Some("1000"));
    assert_eq!(LAB.attr(p, s, "master-pgsql").as_deref(), Some("100"));
    assert_eq!(LAB.attr(p, p, n.ping_attr).as_deref(), Some(n.ping_ok));
    assert_eq!(LAB.attr(p, s, n.ping_attr).as_deref(), Some(n.ping_ok));
    assert!(!x.contains("<failure "), "no failed actions:\n{x}");
    let (_, hist) = LAB.on(p, "stonith_admin -H '*' 2>&1");
    assert!(hist.contains("0 events"), "empty fencing history: {hist}");
}

/// The logs `pgrex log` reads, per node: Pacemaker's `PCMK_logfile` and Corosync's logfile.
const LOGS: [(&str, &str); 2] = [
    ("pacemaker", "pacemaker/pacemaker.log"),
    ("corosync", "corosync/corosync.log"),
];

/// Where each node's logs ended just before a fault was injected (bytes), so the recording
/// holds the fault's window only.
struct LogMarks(Vec<(String, &'static str, u64)>);

fn log_marks() -> LogMarks {
    let mut v = Vec::new();
    for node in ["pm01", "pm02"] {
        for (name, rel) in LOGS {
            let len = std::fs::metadata(LAB.node_log(node, rel)).map_or(0, |m| m.len());
            v.push((node.to_string(), name, len));
        }
    }
    LogMarks(v)
}

/// Saves `pmNN.pacemaker.log` and `pmNN.corosync.log` into `dir`: what each log gained
/// since `marks`, whole lines only, read from the node's disk (a fenced or frozen node too).
fn record_logs(dir: &std::path::Path, marks: &LogMarks) {
    for (node, name, from) in &marks.0 {
        let rel = LOGS.iter().find(|(n, _)| n == name).expect("a log").1;
        let all = std::fs::read(LAB.node_log(node, rel)).unwrap_or_default();
        let start = if (*from as usize) <= all.len() {
            *from as usize
        } else {
            0
        };
        let tail = &all[start..];
        let end = tail.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        std::fs::write(dir.join(format!("{node}.{name}.log")), &tail[..end]).expect("write log");
    }
}

fn record(profile: &str, fault: F, from: &str, inject_cmd: &str, marks: &LogMarks) {
    if !enabled("PGREX_LAB_RECORD") {
        return;
    }
    // Settled: the resource and attribute sections unchanged over 4 s (at most 90 s; a state
    // that keeps changing is recorded as it is). crm_mon's "(Monitoring)" marks are not a
    // reliable signal: a recurring monitor's first run can stay marked pending.
    let view = || {
        let x = crm_mon_xml(from);
        let a = x.find("<nodes>").unwrap_or(0);
        let b = x.find("<node_history>").unwrap_or(x.len());
        x[a..b.max(a)].to_string()
    };
    let t0 = Instant::now();
    let mut last = view();
    let mut same_since = Instant::now();
    while t0.elapsed() < Duration::from_secs(90) && same_since.elapsed() < Duration::from_secs(4) {
        std::thread::sleep(Duration::from_secs(1));
        let now = view();
        if now != last {
            last = now;
            same_since = Instant::now();
        }
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/lab")
        .join(profile)
        .join(fault.as_str());
    LAB.ok(&[
        "snapshot",
        dir.to_str().expect("utf-8 path"),
        "--node",
        from,
    ]);
    record_logs(&dir, marks);
    let readme = format!(
        "# {fault} ({profile} profile)\n\nRecorded by `PGREX_LAB=1 PGREX_LAB_RECORD=1 cargo test -p pgrex-lab --test lab` on a healthy\nlab (`pgrex-lab up --profile {profile}`, pm01 primary, pm02 sync standby) after\n\n    {inject_cmd}\n\nonce the cluster had settled, read on {from} (the surviving node):\n\n- `crm_mon.xml`: `crm_mon --output-as=xml -1 --inactive`\n- `crm_mon.txt`: `crm_mon -1 -rfA --inactive`\n- `cib.xml`: `cibadmin -Q`\n\nand from both nodes' disks (a fenced node's too), the lines each log gained from just before\nthe injection until then:\n\n- `pmNN.pacemaker.log`: `/var/log/pacemaker/pacemaker.log` (`PCMK_logfile`)\n- `pmNN.corosync.log`: `/var/log/corosync/corosync.log`\n\n`log.txt` is the reviewed snapshot of `pgrex log` over the four logs (src/oplog/lab_tests.rs).\n"
    );
    std::fs::write(dir.join("README.md"), readme).expect("write README");
}

/// `pgrex diagnose` on `from` (the live cluster) names `fault`: first, or in the leading
/// group of `likely` findings with the deciding check named (FAULTS.md, "What diagnosed
/// means"). Asked until it does (the cluster may still be settling), at most 90 s.
fn diagnosed(fault: F, from: &str) {
    let t0 = Instant::now();
    let mut last = String::new();
    while t0.elapsed() < Duration::from_secs(90) {
        let (_, out) = LAB.on(from, "pgrex diagnose --output-format json 2>/dev/null");
        if names_fault(&out, fault) {
            return;
        }
        last = out;
        std::thread::sleep(Duration::from_secs(2));
    }
    panic!("pgrex diagnose on {from} never named {fault}; last answer:\n{last}");
}

fn names_fault(json: &str, fault: F) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
        return false;
    };
    let Some(fs) = v["findings"].as_array() else {
        return false;
    };
    let Some(first) = fs.first() else {
        return false;
    };
    let fault = fault.as_str();
    if first["id"] == fault {
        return true;
    }
    fs.iter()
        .take_while(|f| f["certainty"] == "likely" && f["severity"] == first["severity"])
        .any(|f| f["id"] == fault && f["decide_with"].as_str().is_some_and(|d| !d.is_empty()))
}

/// The primary's pgsql monitor after `pg_ctl -m immediate stop`: "not running" (rc 7, the
/// deck's slide), or, when the monitor runs while PostgreSQL is going down, the RA's generic
/// error (rc 1) — both seen in the lab.
const PGSQL_MONITOR_FAILED: &str = "pm01   error: Resource pgsql does not work. (rc=7) not running || pm01   error: Resource pgsql failed to monitor. (rc=1) error";

/// `pgrex log --both` on `from` shows `want` in this order (other lines may come between),
/// each a `NODE PRIORITY: message` tail of a line, or one of several written `A || B`; asked
/// until it does (the failover summary is written when the last transition completes), at
/// most 60 s.
fn logged(from: &str, want: &[&str]) {
    let t0 = Instant::now();
    let mut last = String::new();
    while t0.elapsed() < Duration::from_secs(60) {
        let (ok, out) = LAB.on(from, "pgrex log --both --since 15m 2>/dev/null");
        let mut lines = out.lines();
        let is = |l: &str, w: &str| w.split(" || ").any(|w| l.ends_with(w));
        if ok && want.iter().all(|w| lines.any(|l| is(l, w))) {
            return;
        }
        last = out;
        std::thread::sleep(Duration::from_secs(2));
    }
    panic!("pgrex log --both on {from} never showed {want:#?} in order; last answer:\n{last}");
}

fn up(profile: &str) {
    let out = LAB.run(&["up", "--profile", profile]);
    assert!(
        out.status.success(),
        "up failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    LAB.eventually("fencing history empty", 30, || {
        LAB.on("pm01", "stonith_admin -H '*' 2>&1")
            .1
            .contains("0 events")
    });
    assert_healthy("pm01", "pm02", profile);
}

fn down() {
    LAB.ok(&["down"]);
    let o = LAB.run(&["status"]);
    assert!(
        !o.status.success(),
        "status after down must say no lab is up"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("no lab"));
}

/// Standby rejoin by hand (what `pgrex standby-start -b` automates).
fn rejoin(node: &str, primary: &str) {
    if !LAB.powered_on(node) {
        LAB.ok(&["power-on", node]);
    }
    let (ok, out) = LAB.on(
        node,
        "systemctl stop pacemaker && rm -f /var/lib/pgsql/tmp/PGSQL.lock && rm -rf /var/lib/pgsql/data && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_basebackup -h 198.51.100.10 -U repuser -D /var/lib/pgsql/data -X stream -c fast && systemctl start pacemaker",
    );
    assert!(ok, "rejoin of {node}: {out}");
    LAB.eventually(&format!("{node} HS:sync"), 120, || {
        LAB.attr(primary, node, "pgsql-status").as_deref() == Some("HS:sync")
    });
}

/// A synchronous write through the service VIP is acknowledged (asked on `node`).
fn write_ok(node: &str) -> bool {
    let (_, out) = LAB.on(
        node,
        "timeout 5 runuser -u postgres -- /usr/lib/postgresql/15/bin/psql -h 192.0.2.10 -X -Atq -v ON_ERROR_STOP=1 -c \"SET synchronous_commit = on; INSERT INTO pgrex_lab_probe(id) VALUES ((extract(epoch from clock_timestamp())*1000000)::bigint); SELECT 'acked'\" 2>&1",
    );
    out.trim() == "acked"
}

fn failed_over(p: &str, s: &str) {
    LAB.eventually(&format!("{s} promoted"), 120, || {
        LAB.attr(s, s, "pgsql-status").as_deref() == Some("PRI")
    });
    let _ = p;
}

fn fenced(p: &str, s: &str) {
    LAB.eventually(&format!("{p} fenced (offline)"), 120, || {
        let x = crm_mon_xml(s);
        !x.is_empty()
            && !node_online(&x, p)
            && LAB
                .on(s, "stonith_admin -H '*' 2>&1")
                .1
                .contains("reboot of")
    });
}

/// The node's `systemctl is-enabled` and its `/etc/systemd/system/*.wants/` links give one
/// answer (what pgrex status reads): both units disabled after `up`, whatever the host's
/// packages enabled, and `enable`/`disable` move both answers together.
fn enablement_is_the_wants_links(node: &str) {
    let links = |unit: &str| {
        LAB.on(
            node,
            &format!("ls /etc/systemd/system/*.wants/{unit}.service 2>/dev/null"),
        )
        .1
        .trim()
        .to_string()
    };
    let is_enabled = |unit: &str| LAB.on(node, &format!("systemctl is-enabled {unit}"));
    for unit in ["pacemaker", "corosync"] {
        assert_eq!(
            is_enabled(unit),
            (false, "disabled\n".into()),
            "{node} {unit}"
        );
        assert_eq!(links(unit), "", "{node}: no wants link for {unit}");
    }
    assert!(LAB.on(node, "systemctl enable corosync").0);
    assert_eq!(is_enabled("corosync"), (true, "enabled\n".into()));
    assert!(
        !links("corosync").is_empty(),
        "{node}: enable made the link"
    );
    assert!(LAB.on(node, "systemctl disable corosync").0);
    assert_eq!(is_enabled("corosync"), (false, "disabled\n".into()));
    assert_eq!(links("corosync"), "");
}

/// Inject one fault on a healthy lab (pm01 primary) and check the reaction the cluster shows.
fn scenario(profile: &str, fault: F) {
    let (p, s) = ("pm01", "pm02");
    let n = names(profile);
    let inject = format!("pgrex-lab inject {fault}");
    let marks = log_marks();
    if fault != F::FencingFailure {
        LAB.ok(&["inject", fault.as_str()]);
    }
    match fault {
        F::FencingFailure => {
            LAB.ok(&["inject", F::FencingFailure.as_str()]);
            LAB.ok(&["inject", F::NodeFailure.as_str(), "--node", p]);
            // stonith_admin -H shows nothing while a fencing action is pending: read crm_mon's history.
            LAB.eventually("fencing of pm01 failed", 180, || {
                crm_mon_xml(s).lines().any(|l| {
                    l.contains("<fence_event")
                        && l.contains("target=\"pm01\"")
                        && l.contains("status=\"failed\"")
                })
            });
            let x = crm_mon_xml(s);
            assert_ne!(
                LAB.attr(s, s, "pgsql-status").as_deref(),
                Some("PRI"),
                "no failover without fencing"
            );
            record(
                profile,
                fault,
                s,
                &format!(
                    "pgrex-lab inject {} && pgrex-lab inject {}",
                    F::FencingFailure,
                    F::NodeFailure
                ),
                &marks,
            );
            assert!(x.contains("unclean=\"true\""), "pm01 UNCLEAN:\n{x}");
            diagnosed(fault, s);
            LAB.ok(&["heal", F::FencingFailure.as_str()]);
            LAB.ok(&["heal", F::NodeFailure.as_str()]);
            return;
        }
        F::VipRepFailure => {
            LAB.eventually("vip-rep fail-count on the primary", 60, || {
                failcount(p, p, n.vip_rep) >= 1
            });
            LAB.eventually("vip-rep running again", 60, || {
                LAB.on(p, "ip -4 addr show eth2")
                    .1
                    .contains("198.51.100.10/")
            });
            assert_eq!(
                LAB.attr(p, p, "pgsql-status").as_deref(),
                Some("PRI"),
                "roles unchanged"
            );
            assert_eq!(
                LAB.attr(p, s, "pgsql-status").as_deref(),
                Some("HS:sync"),
                "roles unchanged"
            );
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
            if enabled("PGREX_LAB_FULL") {
                let r = n.vip_rep;
                logged(
                    s,
                    &[
                        &format!("pm01   error: Resource {r} does not work. (rc=7) not running"),
                        &format!("pm01    info: Resource {r} tries to stop."),
                        &format!("pm01    info: Resource {r} started. (rc=0) ok"),
                    ],
                );
            }
        }
        F::VipMasterFailure
        | F::PgsqlFailure
        | F::ServiceLanFailure
        | F::DiskFailure
        | F::VipRepStopFailure => {
            failed_over(p, s);
            LAB.eventually("old primary STOP", 60, || {
                LAB.attr(s, p, "pgsql-status").as_deref() == Some("STOP")
            });
            match fault {
                F::VipMasterFailure => assert!(failcount(s, p, n.vip_primary) >= 1),
                F::PgsqlFailure => assert!(failcount(s, p, "pgsql") >= 1),
                F::ServiceLanFailure => {
                    assert_eq!(LAB.attr(s, p, n.ping_attr).as_deref(), Some("0"))
                }
                _ => {}
            }
            record(profile, fault, s, &inject, &marks);
            diagnosed(fault, s);
            if fault == F::PgsqlFailure && enabled("PGREX_LAB_FULL") {
                let v = n.vip_primary;
                logged(
                    s,
                    &[
                        PGSQL_MONITOR_FAILED,
                        "pm01   error: Start to fail-over.",
                        "pm02    info: Resource pgsql promoted. (rc=0) ok",
                        &format!("pm02    info: Resource {v} started. (rc=0) ok"),
                        &format!("pm01    info: Resource {v} : Started on pm02"),
                        "pm01    info: fail-over succeeded.",
                    ],
                );
            }
        }
        F::VipStandbyFailure => {
            let vs = n.vip_standby.expect("pgrex17 only");
            LAB.eventually("standby VIP fail-count on the standby", 60, || {
                failcount(p, s, vs) >= 1
            });
            LAB.eventually("standby VIP on the primary", 60, || {
                LAB.on(p, "ip -4 addr show eth1").1.contains("192.0.2.20/")
            });
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
        }
        F::ReplicationLanFailure => {
            LAB.eventually("standby not in sync", 120, || {
                matches!(
                    LAB.attr(p, s, "pgsql-status").as_deref(),
                    Some("HS:alone") | Some("HS:async") | Some("HS:connected")
                )
            });
            assert_eq!(LAB.attr(p, p, "pgsql-status").as_deref(), Some("PRI"));
            LAB.eventually("standby DISCONNECT", 60, || {
                LAB.on(
                    p,
                    "crm_attribute -l forever -N pm02 -n pgsql-data-status -G -q",
                )
                .1
                .trim()
                    == "DISCONNECT"
            });
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
        }
        F::RouterFailure => {
            LAB.eventually("no primary anywhere", 120, || {
                LAB.attr(p, p, n.ping_attr).as_deref() == Some("0")
                    && LAB.attr(p, s, n.ping_attr).as_deref() == Some("0")
                    && LAB.attr(p, p, "pgsql-status").as_deref() != Some("PRI")
                    && LAB.attr(p, s, "pgsql-status").as_deref() != Some("PRI")
            });
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
        }
        F::HeartbeatLanFailure => {
            // priority-fencing-delay: the primary's side wins the fencing race.
            fenced(s, p);
            assert_eq!(LAB.attr(p, p, "pgsql-status").as_deref(), Some("PRI"));
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
        }
        F::HeartbeatLinkDegraded => {
            LAB.eventually("one corosync link disconnected", 60, || {
                LAB.on(p, "corosync-cfgtool -s").1.contains("disconnected")
            });
            let x = crm_mon_xml(p);
            assert!(node_online(&x, p) && node_online(&x, s));
            assert_eq!(LAB.attr(p, p, "pgsql-status").as_deref(), Some("PRI"));
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
        }
        F::PacemakerdFailure => {
            LAB.eventually("pacemakerd respawned", 30, || {
                LAB.on(p, "systemctl is-active pacemaker").0
            });
            std::thread::sleep(Duration::from_secs(15));
            assert_healthy(p, s, profile);
            record(profile, fault, p, &inject, &marks);
            diagnosed(fault, p);
        }
        F::CibFailure => {
            // Pacemaker 2.1 respawns pacemaker-based (attrd and controld exit and are respawned
            // with it). Seen twice, two ways: a role swap without fencing, and pm01 offline.
            // Either way the standby is promoted (docs/faults.md).
            failed_over(p, s);
            record(profile, fault, s, &inject, &marks);
            // Named from pm01's own log (read over SSH): pacemaker-based killed, respawned.
            diagnosed(fault, s);
        }
        F::NodeFailure
        | F::CorosyncFailure
        | F::VipMasterStopFailure
        | F::PgsqlDemoteFailure
        | F::PgsqlStopFailure => {
            fenced(p, s);
            failed_over(p, s);
            record(profile, fault, s, &inject, &marks);
            diagnosed(fault, s);
            if fault == F::NodeFailure && enabled("PGREX_LAB_FULL") {
                // The survivor's side (the fenced node is off: --both notes it and goes on).
                logged(
                    s,
                    &[
                        "pm02 warning: Node pm01 is lost",
                        "pm02    info: Try to STONITH (reboot) pm01.",
                        "pm02    info: Succeeded to STONITH (reboot) pm01 by pm02.",
                        "pm02    info: fail-over succeeded.",
                    ],
                );
            }
        }
        F::FailcountRemaining
        | F::FenceHistoryRemaining
        | F::LockFilePresent
        | F::MaintenanceModeOn
        | F::StandbyNotSync
        | F::StandbyAbsent => panic!("{fault} is a condition: the lab does not inject it"),
    }
    LAB.ok(&["heal", fault.as_str()]);
}

#[test]
fn smoke_pgrex17() {
    if !enabled("PGREX_LAB") {
        eprintln!(
            "skipped: set PGREX_LAB=1 to run the lab tests (they build a real cluster as root)"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let p = "pgrex17";
    up(p);
    for n in ["pm01", "pm02"] {
        enablement_is_the_wants_links(n);
    }
    monitor::healthy(&LAB, "pm01");
    japanese::healthy(&LAB, "pm01", "pm02");
    monitor::hung_postgres(&LAB, "pm01");
    commits::blocked_commits_are_not_healthy(&LAB, "pm01", "pm02");
    scenario(p, F::VipRepFailure);
    // The seed's recovery (`crm_resource -C -r vip-rep -N pm01`) through pgrex cleanup: no
    // terminal here, so it refuses without --yes and changes nothing; with --yes it clears.
    let (ok, out) = LAB.on("pm01", "pgrex cleanup ipaddr-replication --node pm01 2>&1");
    assert!(
        !ok && out.contains("PGREX_YES"),
        "refusal off a terminal: {out}"
    );
    assert!(failcount("pm01", "pm01", "ipaddr-replication") >= 1);
    let (ok, out) = LAB.on(
        "pm01",
        "pgrex cleanup ipaddr-replication --node pm01 --yes 2>&1",
    );
    assert!(ok, "pgrex cleanup: {out}");
    assert!(out.contains("cleared"), "{out}");
    LAB.eventually("fail-count cleared", 30, || {
        failcount("pm01", "pm01", "ipaddr-replication") == 0
    });
    // The standby's replication connection to the VIP recovers by TCP retransmission.
    LAB.eventually("synchronous writes acknowledged again", 180, || {
        write_ok("pm01")
    });
    assert_healthy("pm01", "pm02", p);

    // The Perl tools' names (lab/tests/perl/): the standby stopped and started again by the
    // runbook's own lines through `pgrex links`, with the Perl layout on stdout.
    let d = perl::make_links(&LAB);
    let (c, out) = perl::line(&LAB, "pm02", &d, "", "pg-rex_stop");
    assert_eq!(c, 0, "pg-rex_stop: {out}");
    perl::assert_stop_layout(&out, "Standby", "pm02");
    let (c, out) = perl::line(&LAB, "pm02", &d, "", "pg-rex_standby_start -n");
    assert_eq!(c, 0, "pg-rex_standby_start -n: {out}");
    perl::assert_standby_layout(&out, "Starting the database as it is.\n", "pm02");
    LAB.eventually("pm02 HS:sync again", 180, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    assert_healthy("pm01", "pm02", p);

    LAB.ok(&["probe", "start"]);
    std::thread::sleep(Duration::from_secs(2));
    scenario(p, F::PgsqlFailure);
    LAB.eventually("writes acknowledged by the new primary", 120, || {
        write_ok("pm02")
    });
    let report = LAB.run(&["probe", "stop"]);
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(
        report.status.success()
            && text.contains("all ")
            && text.contains("acknowledged rows are on the current primary"),
        "{text}"
    );
    // The deck's pgsql-failure slide, both nodes, from the new primary (the DC was pm01).
    logged(
        "pm02",
        &[
            PGSQL_MONITOR_FAILED,
            "pm01   error: Start to fail-over.",
            "pm02    info: Resource pgsql promoted. (rc=0) ok",
            "pm02    info: Resource ipaddr-primary started. (rc=0) ok",
            "pm01    info: Resource ipaddr-primary : Started on pm02",
            "pm01    info: fail-over succeeded.",
        ],
    );

    // pm02 is primary now; pm01 rejoins as standby, then pm02 (primary) fails as a node.
    LAB.on("pm02", "crm_resource --cleanup >/dev/null");
    rejoin("pm01", "pm02");
    LAB.ok(&["inject", F::NodeFailure.as_str(), "--node", "pm02"]);
    fenced("pm02", "pm01");
    failed_over("pm02", "pm01");
    diagnosed(F::NodeFailure, "pm01");
    monitor::fault(&LAB, "pm01");
    LAB.ok(&["heal", F::NodeFailure.as_str()]);
    // The failed node back on: its Pacemaker is not started at boot, nothing to observe.
    if !LAB.powered_on("pm02") {
        LAB.ok(&["power-on", "pm02"]);
    }
    monitor::unobservable(&LAB, "pm02");
    down();
    // down twice is fine
    LAB.ok(&["down"]);
}

#[test]
fn full_every_fault_both_profiles() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to inject every fault in both profiles (~40 min)");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (only, profiles) = crate::support::shard();
    let mut failed = Vec::new();
    for profile in &profiles {
        for fault in F::faults() {
            if only.as_ref().is_some_and(|o| !o.contains(&fault)) {
                continue;
            }
            if fault == F::VipStandbyFailure && profile == "seed" {
                continue; // the seed profile has no standby VIP
            }
            eprintln!("=== {profile}: {fault}");
            let r = std::panic::catch_unwind(|| {
                up(profile);
                scenario(profile, fault);
            });
            eprintln!(
                "=== {profile}: {fault}: {}",
                if r.is_ok() { "ok" } else { "FAILED" }
            );
            if r.is_err() {
                failed.push(format!("{profile}/{fault}"));
            }
        }
    }
    down();
    assert!(
        failed.is_empty(),
        "faults whose reaction differed: {failed:?}"
    );
}

/// Japanese on a live cluster on its own (the smoke set does it on its healthy start too).
#[test]
fn japanese_pgrex17() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 (the smoke set covers it)");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    up("pgrex17");
    japanese::healthy(&LAB, "pm01", "pm02");
    down();
}

// Japanese under LANG=ja_JP.UTF-8: lab/tests/japanese/.
mod japanese;
// archive-delete on a real archive (PGREX_LAB_FULL, a lab of its own): lab/tests/archive/.
mod archive;
// Node lifecycle commands (stop, standby-start, primary-start): lab/tests/ops/.
// `pgrex check` and the monitoring renderings as a haclient user: lab/tests/monitor/.
mod monitor;
// Commits waiting for a cut-off sync standby are not HEALTHY: lab/tests/commits/.
mod commits;
// standby-start and primary-start killed part-way (PGREX_LAB_FULL): lab/tests/interrupt/.
mod interrupt;
mod ops;
// The Perl tools' names through `pgrex links`: lab/tests/perl/.
mod perl;
// `pgrex recover` (one fault of each reaction class): lab/tests/recover/.
mod recover;
#[path = "switchover/mod.rs"]
mod switchover;
// resume/abort of stop, standby-start, primary-start and cleanup (PGREX_LAB_FULL):
// lab/tests/lifecycle/.
mod lifecycle;
// A closed stdout or stderr (not gated): lab/tests/streams/.
mod streams;
