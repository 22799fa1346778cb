//! Lab tests of `pgrex recover` on a real cluster, in their own lab instance (`rectest`, or
//! `PGREX_LAB_RECOVER_INSTANCE`).
//!
//! Gated like the rest. `PGREX_LAB=1` (the smoke set): one fault of each reaction class in
//! the pgrex17 profile on one lab, the write probe running throughout: vip-rep-failure ①,
//! pgsql-failure ② (recovered from the survivor: the failed node is stopped and rewound
//! over SSH), node-failure ③ of the new primary (fenced, healed, powered on, recovered from
//! the survivor) — each `pgrex recover --yes` ends HEALTHY, and the probe reports every
//! acknowledged row on the primary. The full set (every fault in both profiles, and
//! `--switchback` for ② and ③, `PGREX_LAB_FULL=1`, sharded): `all_faults.rs`.

mod special;

use super::support::{enabled, Lab, ONE_AT_A_TIME};
use std::sync::LazyLock;
use std::time::Instant;

mod all_faults;

static LAB: LazyLock<Lab> =
    LazyLock::new(|| Lab::from_env("PGREX_LAB_RECOVER_INSTANCE", "rectest"));

fn pgrex(node: &str, args: &str) -> (i32, String) {
    LAB.sh(node, &format!("/usr/local/sbin/pgrex {args} 2>&1"))
}

fn verdict(node: &str) -> String {
    let (_, out) = LAB.sh(node, "/usr/local/sbin/pgrex status 2>&1 | head -1");
    out
}

/// `pgrex recover --yes` on `from` ends HEALTHY with `primary` primary; its seconds.
fn recover(from: &str, primary: &str) -> u64 {
    let t = Instant::now();
    let (code, out) = pgrex(from, "recover --yes");
    let secs = t.elapsed().as_secs();
    assert_eq!(code, 0, "recover on {from}:\n{out}");
    assert!(out.contains("recovered: the cluster is HEALTHY"), "{out}");
    let v = verdict(from);
    assert!(
        v.starts_with("HEALTHY") && v.contains(&format!("{primary} is primary")),
        "{v}"
    );
    secs
}

fn primary_is(from: &str, node: &str) -> bool {
    LAB.attr(from, node, "pgsql-status").as_deref() == Some("PRI")
}

#[test]
fn recover_one_fault_of_each_reaction_class() {
    if !enabled("PGREX_LAB") {
        eprintln!(
            "skipped: set PGREX_LAB=1 to run the lab tests (they build a real cluster as root)"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    LAB.ok(&["up", "--profile", "pgrex17"]);
    LAB.eventually("pm02 HS:sync", 180, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    LAB.ok(&["probe", "start"]);

    // ①: the fail-count cleared once the cause is gone; roles unchanged.
    let t = Instant::now();
    LAB.ok(&["inject", "vip-rep-failure"]);
    LAB.eventually("vip-rep fail-count", 60, || {
        LAB.sh("pm01", "crm_mon -1 -rf")
            .1
            .contains("ipaddr-replication: migration-threshold")
    });
    let r = recover("pm02", "pm01");
    eprintln!(
        "vip-rep-failure: recover {r} s, fault to HEALTHY {} s",
        t.elapsed().as_secs()
    );

    // ②: failover; the old primary stopped and rejoined from the survivor over SSH.
    let t = Instant::now();
    LAB.ok(&["inject", "pgsql-failure"]);
    LAB.eventually("pm02 promoted", 120, || primary_is("pm02", "pm02"));
    LAB.ok(&["heal", "pgsql-failure"]);
    let r = recover("pm02", "pm02");
    eprintln!(
        "pgsql-failure: recover {r} s, fault to HEALTHY {} s",
        t.elapsed().as_secs()
    );

    // ③: the new primary fenced; powered on again; rejoined and the fencing history cleared.
    let t = Instant::now();
    LAB.ok(&["inject", "node-failure", "--node", "pm02"]);
    LAB.eventually("pm01 promoted", 120, || primary_is("pm01", "pm01"));
    LAB.ok(&["heal", "node-failure", "--node", "pm02"]);
    if !LAB.powered_on("pm02") {
        LAB.ok(&["power-on", "pm02"]);
    }
    let r = recover("pm01", "pm01");
    eprintln!(
        "node-failure: recover {r} s, fault to HEALTHY {} s",
        t.elapsed().as_secs()
    );

    let probe = LAB.ok(&["probe", "stop"]);
    eprintln!("{probe}");
    assert!(
        probe.contains("acknowledged rows are on the current primary"),
        "{probe}"
    );
    LAB.ok(&["down"]);
}
