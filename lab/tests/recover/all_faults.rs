//! The full recover set (issue 10): every fault `pgrex-lab inject` knows, in both profiles,
//! recovered by `pgrex recover --yes` on a node that is up, and once more with
//! `--switchback` for each fault of reaction ② and ③ — the write probe running throughout.
//!
//! Gated by `PGREX_LAB=1 PGREX_LAB_FULL=1`. Sharded (CONTRACTS "Lab tests"):
//! `PGREX_LAB_PROFILES=pgrex17,seed` and `PGREX_LAB_FAULTS=id,id,…` choose the profiles and
//! faults (run in that order), `PGREX_LAB_RECOVER_INSTANCE` the lab instance (default `rectest`, as the smoke test), so shards run
//! side by side on their own labs. One lab per profile per shard: each case starts from
//! whatever HEALTHY state the case before left (roles may be swapped), and strikes the
//! primary of that moment (P; S is the other node). Per case: probe start → inject → the
//! cluster's reaction → the human repair (`heal`; `power-on` after a fence; a disk replaced
//! with the node powered off; for `fencing-failure` the BMC repaired, the node powered off
//! and `--confirm-fenced P`) → `pgrex recover --yes` → verdict HEALTHY, no fail-count, no
//! fencing history, no `cli-` constraint, the probe's acknowledged rows all on the primary,
//! and with `--switchback` P primary again. Each case prints one `RESULT` line with both
//! times (fault → HEALTHY, `recover` alone); a failed case is reported, the lab rebuilt, and
//! the run goes on; the test fails at the end naming every failed case.

use crate::support::{enabled, Lab, ONE_AT_A_TIME};
use pgrex::diagnose::{info, FaultId as F, Reaction};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

static LAB: LazyLock<Lab> =
    LazyLock::new(|| Lab::from_env("PGREX_LAB_RECOVER_INSTANCE", "rectest"));

fn other(n: &str) -> &'static str {
    if n == "pm01" {
        "pm02"
    } else {
        "pm01"
    }
}

fn attr(from: &str, node: &str, name: &str) -> Option<String> {
    LAB.attr(from, node, name)
}

fn is_pri(from: &str, node: &str) -> bool {
    attr(from, node, "pgsql-status").as_deref() == Some("PRI")
}

fn crm_xml(from: &str) -> String {
    LAB.on(from, "crm_mon --output-as=xml -1 --inactive 2>/dev/null")
        .1
}

fn online(xml: &str, node: &str) -> bool {
    xml.lines()
        .any(|l| l.contains(&format!("<node name=\"{node}\"")) && l.contains("online=\"true\""))
}

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

/// The node `pgrex status` calls primary, asked on `from` (`None`: no primary or no answer).
fn primary(from: &str) -> Option<&'static str> {
    ["pm01", "pm02"].into_iter().find(|n| is_pri(from, n))
}

fn fenced(victim: &str, from: &str) {
    LAB.eventually(&format!("{victim} fenced"), 180, || {
        let x = crm_xml(from);
        !x.is_empty()
            && !online(&x, victim)
            && LAB
                .on(from, "stonith_admin -H '*' 2>&1")
                .1
                .contains("reboot of")
    });
}

/// The profile's resource names the waits need.
struct Names {
    vip_rep: &'static str,
    vip_standby: &'static str,
    ping: &'static str,
}

fn names(profile: &str) -> Names {
    if profile == "seed" {
        Names {
            vip_rep: "vip-rep",
            vip_standby: "",
            ping: "default_ping_set",
        }
    } else {
        Names {
            vip_rep: "ipaddr-replication",
            vip_standby: "ipaddr-standby",
            ping: "ping-status",
        }
    }
}

/// Inject `fault` on P and wait for the cluster's reaction (FAULTS.md / docs/faults.md).
fn inject_and_react(profile: &str, fault: F, p: &str) {
    let s = other(p);
    let n = names(profile);
    match fault {
        F::FencingFailure => {
            LAB.ok(&["inject", fault.as_str()]);
            LAB.ok(&["inject", F::NodeFailure.as_str(), "--node", p]);
            LAB.eventually(&format!("fencing of {p} failed"), 180, || {
                crm_xml(s).lines().any(|l| {
                    l.contains("<fence_event")
                        && l.contains(&format!("target=\"{p}\""))
                        && l.contains("status=\"failed\"")
                })
            });
            assert!(!is_pri(s, s), "no failover without fencing");
            return;
        }
        F::VipStandbyFailure => {
            LAB.ok(&["inject", fault.as_str(), "--node", s]);
        }
        // Both nodes: the ping target unreachable from each.
        F::RouterFailure => {
            LAB.ok(&["inject", fault.as_str()]);
        }
        _ => {
            LAB.ok(&["inject", fault.as_str(), "--node", p]);
        }
    }
    match fault {
        F::VipRepFailure => {
            LAB.eventually("vip-rep fail-count", 60, || failcount(p, p, n.vip_rep) >= 1)
        }
        F::VipStandbyFailure => LAB.eventually("standby VIP fail-count", 60, || {
            failcount(p, s, n.vip_standby) >= 1
        }),
        // ①: the primary goes on alone (the walsender ends at wal_sender_timeout, ~60 s),
        // no failover. Asserted on the way: a failover here is a wrong reaction (the probe's
        // hung writes once filled max_connections and failed the agent's monitor).
        F::ReplicationLanFailure => LAB.eventually("standby DISCONNECT", 180, || {
            assert!(
                is_pri(p, p) && failcount(p, p, "pgsql") == 0,
                "{p} still primary with no pgsql fail-count while {s} is cut off:\n{}",
                LAB.status()
            );
            LAB.on(
                p,
                &format!("crm_attribute -l forever -N {s} -n pgsql-data-status -G -q"),
            )
            .1
            .trim()
                == "DISCONNECT"
        }),
        F::RouterFailure => LAB.eventually("no primary anywhere", 120, || {
            attr(p, p, n.ping).as_deref() == Some("0")
                && attr(p, s, n.ping).as_deref() == Some("0")
                && !is_pri(p, p)
                && !is_pri(p, s)
        }),
        F::HeartbeatLanFailure => {
            fenced(s, p);
            assert!(is_pri(p, p), "the primary's side wins the fencing race");
        }
        F::HeartbeatLinkDegraded => LAB.eventually("a corosync link down", 60, || {
            LAB.on(p, "corosync-cfgtool -s").1.contains("disconnected")
        }),
        F::PacemakerdFailure => {
            LAB.eventually("pacemakerd respawned", 30, || {
                LAB.on(p, "systemctl is-active pacemaker").0
            });
            std::thread::sleep(Duration::from_secs(15));
        }
        F::NodeFailure
        | F::CorosyncFailure
        | F::VipMasterStopFailure
        | F::PgsqlDemoteFailure
        | F::PgsqlStopFailure => {
            fenced(p, s);
            LAB.eventually(&format!("{s} promoted"), 180, || is_pri(s, s));
        }
        // ② and cib-failure (seen with and without a fence): the other node promoted.
        _ => LAB.eventually(&format!("{s} promoted"), 180, || is_pri(s, s)),
    }
    // The reaction complete: no transition pending (the new primary's VIPs started too).
    let on = if LAB.powered_on(s) && is_pri(s, s) {
        s
    } else {
        p
    };
    let (code, out) = LAB.sh(on, "crm_resource --wait --timeout=180s");
    assert_eq!(code, 0, "the cluster settled after {fault}: {out}");
}

/// The human repair after the reaction: `heal`, a disk replaced with the node off, every
/// powered-off node powered on.
fn human_repair(fault: F, p: &str) {
    let mut booted = Vec::new();
    if fault == F::DiskFailure && LAB.powered_on(p) {
        LAB.ok(&["power-off", p]);
        // P left the cluster uncleanly (its Pacemaker ran): the survivor fences it, and the
        // lab's fence is a reboot (BMC off, then on). The human waits for that fence: a
        // power-on before it is undone by it — P power-cycled again under recover's SSH
        // session ("transport read", "Unable to send channel-open request": 2026-12-01).
        // Then P, booted by the fence with Pacemaker not started, is powered off for the
        // disk, which fences nothing more.
        fenced(p, other(p));
        if LAB.powered_on(p) {
            LAB.ok(&["power-off", p]);
        }
    }
    LAB.ok(&["heal", fault.as_str()]);
    for n in ["pm01", "pm02"] {
        if !LAB.powered_on(n) {
            LAB.ok(&["power-on", n]);
            booted.push(n);
        }
    }
    // The human runs recover once the node has booted (its sshd answers).
    for n in booted {
        LAB.eventually(&format!("{n}'s sshd up"), 120, || {
            LAB.on(n, "systemctl is-active sshd").0
        });
    }
}

/// `pgrex recover` on `from`: (exit code, output, seconds).
fn recover(from: &str, args: &str) -> (i32, String, u64) {
    let t = Instant::now();
    let (code, out) = LAB.sh(from, &format!("/usr/local/sbin/pgrex recover --yes {args}"));
    (code, out, t.elapsed().as_secs())
}

/// The node to run recover on: the primary if there is one, else P (both up).
fn survivor(p: &str) -> &'static str {
    let s = other(p);
    for n in [s, p] {
        if LAB.powered_on(n) && is_pri(n, n) {
            return if n == "pm01" { "pm01" } else { "pm02" };
        }
    }
    if p == "pm01" {
        "pm01"
    } else {
        "pm02"
    }
}

/// What a recovered cluster must show, asked on `from`.
fn assert_recovered(from: &str, want_primary: Option<&str>) {
    let (_, json) = LAB.sh(from, "/usr/local/sbin/pgrex status --output-format json");
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("status JSON ({e}): {json}"));
    assert_eq!(v["verdict"], "HEALTHY", "pgrex status: {json}");
    if let Some(p) = want_primary {
        assert!(is_pri(from, p), "{p} primary again: {json}");
    }
    for n in ["pm01", "pm02"] {
        let (_, mon) = LAB.sh(n, "crm_mon -1 -rf");
        assert!(
            !mon.contains("fail-count="),
            "no fail-count left on {n}:\n{mon}"
        );
        let (_, hist) = LAB.sh(n, "stonith_admin -H '*'");
        assert!(
            hist.contains("0 events"),
            "no fencing history on {n}: {hist}"
        );
    }
    let (_, cons) = LAB.sh(from, "cibadmin -Q -o constraints");
    assert!(!cons.contains("id=\"cli-"), "no constraint left: {cons}");
}

/// One case: the fault on the primary of the moment, recovered; `switchback` asks for the
/// primary back. Returns the `RESULT` line.
fn case(profile: &str, fault: F, switchback: bool) -> String {
    let p = primary("pm01").expect("a primary before the fault");
    LAB.ok(&["probe", "start"]);
    let t0 = Instant::now();
    inject_and_react(profile, fault, p);
    let (code, out, secs) = if fault == F::FencingFailure {
        // The human repairs the BMC (the lab powers nodes only through it) and powers P
        // off; recover confirms the fence (--confirm-fenced P; skipped when Pacemaker's own
        // retry fenced it first), the standby is promoted, then waits for P to answer: the
        // human powers it on.
        LAB.ok(&["heal", fault.as_str()]);
        LAB.ok(&["power-off", p]);
        let s = other(p);
        let args = format!("--confirm-fenced {p}{}", sb(switchback));
        let h = std::thread::spawn(move || recover(s, &args));
        LAB.eventually(&format!("{s} promoted after the confirmation"), 300, || {
            is_pri(s, s)
        });
        LAB.ok(&["power-on", p]);
        let (code, out, secs) = h.join().expect("recover thread");
        // P answered only after the run began without it (SSH refused at the start): recover
        // stops at the power-on step saying to resume, which reaches it (as special.rs).
        if code == 6 && out.contains("run `pgrex resume`") {
            let t = Instant::now();
            let (c2, o2) = LAB.sh(s, "/usr/local/sbin/pgrex resume --yes");
            (
                c2,
                format!("{out}\nresume:\n{o2}"),
                secs + t.elapsed().as_secs(),
            )
        } else {
            (code, out, secs)
        }
    } else {
        human_repair(fault, p);
        let from = survivor(p);
        let r = recover(from, sb(switchback));
        if r.0 == 3 && r.1.contains("--allow-base-backup") {
            // The operator's decision the playbook cannot take: asked, and given.
            eprintln!(
                "{profile}/{fault}: recover asked for --allow-base-backup:\n{}",
                r.1
            );
            let r2 = recover(from, &format!("--allow-base-backup{}", sb(switchback)));
            (r2.0, format!("{}\n{}", r.1, r2.1), r.2 + r2.2)
        } else {
            r
        }
    };
    // Printed on success too: what recover chose and how long each wait took is the record.
    eprintln!("{profile}/{fault}: recover exit {code}:\n{out}");
    assert_eq!(code, 0, "{profile}/{fault}: recover exit {code}");
    let healthy_s = t0.elapsed().as_secs();
    let from = primary("pm01").or(primary("pm02")).unwrap_or("pm01");
    assert_recovered(from, switchback.then_some(p));
    let probe = LAB.run(&["probe", "stop"]);
    let report = String::from_utf8_lossy(&probe.stdout);
    assert!(
        probe.status.success() && report.contains("acknowledged rows are on the current primary"),
        "{profile}/{fault}: probe:\n{report}"
    );
    let outage = report
        .lines()
        .find(|l| l.starts_with("write outage"))
        .unwrap_or("write outage: none");
    format!(
        "RESULT {profile} {fault}{} fault-to-HEALTHY {healthy_s} s recover {secs} s ({outage})",
        if switchback { " --switchback" } else { "" }
    )
}

fn sb(switchback: bool) -> &'static str {
    if switchback {
        " --switchback"
    } else {
        ""
    }
}

fn up(profile: &str) {
    let _ = LAB.run(&["down"]);
    LAB.ok(&["up", "--profile", profile]);
    LAB.eventually("pm02 HS:sync", 180, || {
        attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
}

/// Faults of reaction ② and ③ are run twice: the second time with `--switchback`.
fn runs(fault: F) -> &'static [bool] {
    match info(fault).reaction {
        Reaction::Failover | Reaction::FenceFailover => &[false, true],
        _ => &[false],
    }
}

#[test]
fn recover_every_fault_both_profiles() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!(
            "skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to recover every fault in both profiles"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (only, profiles) = crate::support::shard();
    let mut failed = Vec::new();
    for profile in &profiles {
        up(profile);
        // In PGREX_LAB_FAULTS's order when given (a shard runs its never-run cases first).
        for fault in only.clone().unwrap_or_else(|| F::faults().collect()) {
            if fault == F::VipStandbyFailure && profile == "seed" {
                continue; // the seed profile has no standby VIP
            }
            for &switchback in runs(fault) {
                let name = format!("{profile}/{fault}{}", sb(switchback));
                eprintln!("=== {name} ({})", now());
                match std::panic::catch_unwind(|| case(profile, fault, switchback)) {
                    Ok(line) => eprintln!("{line}"),
                    Err(_) => {
                        eprintln!("=== {name}: FAILED; the lab is rebuilt");
                        failed.push(name);
                        let _ = LAB.run(&["probe", "stop"]);
                        up(profile);
                    }
                }
            }
        }
    }
    LAB.ok(&["down"]);
    assert!(failed.is_empty(), "cases that did not recover: {failed:?}");
}

fn now() -> String {
    std::process::Command::new("date")
        .arg("-u")
        .arg("+%F %T")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
