//! HEALTHY only when commits can complete (issue 13, item 11), on the real cluster: with the
//! write probe committing through the service VIP, the replication LAN of the standby is cut;
//! Pacemaker's attributes still say `HS:sync` for a while (the pgsql agent notices at its next
//! monitor), but `pgrex status` on the primary sees the commits waiting for the standby and is
//! no longer HEALTHY within the 10 s — polled, the bound is the issue's, not a speed
//! measurement. Part of the smoke set (it costs about 30 s on the lab already up).

use super::support::Lab;
use pgrex::diagnose::FaultId as F;
use std::time::{Duration, Instant};

/// `pgrex status --output-format json` on `node`, parsed (Null when it printed no JSON).
fn status(lab: &Lab, node: &str) -> serde_json::Value {
    let (_, out) = lab.on(node, "pgrex status --output-format json 2>/dev/null");
    serde_json::from_str(&out).unwrap_or(serde_json::Value::Null)
}

/// `primary` healthy with `standby` its sync standby and the probe writing: cut the
/// standby's D-LAN, see status leave HEALTHY within 10 s, naming the commits waiting and
/// replication-lan-failure on the standby (diagnose too), then heal and wait for healthy.
pub fn blocked_commits_are_not_healthy(lab: &Lab, primary: &str, standby: &str) {
    lab.ok(&["probe", "start"]);
    std::thread::sleep(Duration::from_secs(2));
    let v = status(lab, primary);
    assert_eq!(v["verdict"], "HEALTHY", "before the cut: {v:#}");
    let t0 = Instant::now();
    lab.ok(&[
        "inject",
        F::ReplicationLanFailure.as_str(),
        "--node",
        standby,
    ]);
    let mut last = serde_json::Value::Null;
    let seen = loop {
        let v = status(lab, primary);
        if v["verdict"].is_string() && v["verdict"] != "HEALTHY" {
            break Some(v);
        }
        last = v;
        if t0.elapsed() > Duration::from_secs(10) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    let attr = lab.attr(primary, standby, "pgsql-status");
    let elapsed = t0.elapsed();
    lab.ok(&["heal", F::ReplicationLanFailure.as_str()]);
    let Some(v) = seen else {
        panic!("10 s after the D-LAN cut status still said HEALTHY (pgsql-status of {standby}: {attr:?}):\n{last:#}")
    };
    eprintln!(
        "commits blocked: status {} after {} ms (pgsql-status of {standby} then: {attr:?}): {}",
        v["verdict"],
        elapsed.as_millis(),
        v["reason"]
    );
    assert_eq!(
        v["verdict"], "DEGRADED",
        "a warning, not yet a fault: {v:#}"
    );
    let top = &v["diagnosis"];
    assert_eq!(top["id"], F::ReplicationLanFailure.as_str(), "{v:#}");
    assert_eq!(top["node"], standby, "{v:#}");
    let headline = top["headline"].as_str().unwrap_or_default();
    assert!(
        headline.contains(&format!(
            "commits are waiting for the synchronous standby {standby} since"
        )) || headline.contains(&format!(
            "the synchronous standby {standby} has not replied"
        )),
        "{headline}"
    );
    assert!(
        v["postgres"]["sync"]["waiting"].as_u64().is_some(),
        "the reading is in the JSON: {v:#}"
    );
    // Healed: the standby's connection resumes and every acknowledged row is on the primary.
    lab.eventually("healthy again after the heal", 120, || {
        status(lab, primary)["verdict"] == "HEALTHY"
    });
    let report = lab.run(&["probe", "stop"]);
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(
        report.status.success() && text.contains("acknowledged rows are on the current primary"),
        "{text}"
    );
}
