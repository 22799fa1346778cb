//! pcs installed in the lab's nodes (issue 11 items 3 and 4; `PGREX_LAB=1 PGREX_LAB_FULL=1
//! PGREX_LAB_PCS=PATH`, see commands/lab.md): `pcs` on both nodes' `PATH` (their private
//! `/usr/local/sbin`) with `pcsd.service` in their `/etc` and enabled, as on a PG-REX node —
//! the host stays without pcs. Then:
//!
//! - `pgrex status` is HEALTHY with nothing extra reported (the pcsd row: enabled, as
//!   expected), on both nodes;
//! - `pg-rex_standby_start --normal` through the link prints the data check's sub-steps
//!   4.1–4.3;
//! - `primary-start XMLFILE` with corosync.conf on this node asks "Recreate?": refused off a
//!   terminal without `--yes`, nothing changed; with `--yes` the cluster is destroyed on both
//!   nodes and created again (a new authkey on both), this node starts as the primary with
//!   the XML's configuration, the other joins as the standby, and status is HEALTHY again.

use super::{assert_healthy, pgrex, pgrex_ok, LAB};
use crate::support::{enabled, ONE_AT_A_TIME};

/// pcs (the `PGREX_LAB_PCS` wrapper) on the node's PATH and pcsd's unit enabled, inside the
/// node only. The unit file comes from the pcs package unpacked beside the wrapper.
fn install_pcs(node: &str, pcs: &str) {
    let unit = std::path::Path::new(pcs).with_file_name("root/lib/systemd/system/pcsd.service");
    assert!(
        unit.exists(),
        "{} is missing (commands/lab.md)",
        unit.display()
    );
    let (c, out) = LAB.sh(
        node,
        &format!(
            "ln -sfn {pcs} /usr/local/sbin/pcs && install -m 644 {} /etc/systemd/system/pcsd.service && systemctl enable pcsd && systemctl is-enabled pcsd && command -v pcs",
            unit.display()
        ),
    );
    assert_eq!(c, 0, "{out}");
    assert!(
        out.contains("enabled") && out.contains("/usr/local/sbin/pcs"),
        "{out}"
    );
}

/// `pgrex status` on `node`: HEALTHY with nothing reported beyond the normal state (no
/// deviation, no finding), and the daemons row read with pcsd enabled, as PG-REX expects.
fn assert_healthy_with_pcs(node: &str, primary: &str, standby: &str) {
    let (_, out) = pgrex(node, "status --output-format json 2>&1");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["verdict"], "HEALTHY", "{out}");
    assert_eq!(
        (v["primary"].as_str(), v["standby"].as_str()),
        (Some(primary), Some(standby))
    );
    assert_eq!(v["deviations"], serde_json::json!([]), "{out}");
    assert!(v["diagnosis"].is_null(), "{out}");
    let daemons = v["daemons"].as_array().cloned().unwrap_or_default();
    assert!(
        daemons
            .iter()
            .any(|d| d["unit"] == "pcsd" && d["enabled"] == "enabled"),
        "the pcsd row must be read and be as expected: {out}"
    );
}

#[test]
fn ops_pcs_in_the_nodes() {
    let pcs = std::env::var("PGREX_LAB_PCS").unwrap_or_default();
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") || pcs.is_empty() {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 PGREX_LAB_PCS=<pcs runnable inside the nodes> to run pgrex with pcs installed in the nodes");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    LAB.ok(&["up"]);
    LAB.eventually("pm02 HS:sync", 120, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    for n in ["pm01", "pm02"] {
        install_pcs(n, &pcs);
    }
    assert_healthy("pm01", "pm02");
    for n in ["pm01", "pm02"] {
        assert_healthy_with_pcs(n, "pm01", "pm02");
    }

    // Item 2 once in the lab: the sub-steps through the link.
    let d = crate::perl::make_links(&LAB);
    pgrex_ok("pm02", "stop");
    let (code, out) = crate::perl::line(&LAB, "pm02", &d, "", "pg-rex_standby_start --normal");
    assert_eq!(code, 0, "{out}");
    crate::perl::assert_standby_layout(&out, "Starting the database as it is.\n", "pm02");
    crate::perl::assert_sub_steps(&out);
    assert!(
        out.contains("4.1 Checking if this node can start without change\n...[OK]\n"),
        "{out}"
    );
    LAB.eventually("pm02 HS:sync", 180, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });

    // Item 3: XMLFILE with corosync.conf here.
    let (c, out) = LAB.sh("pm01", "cibadmin -Q > /root/cluster.xml");
    assert_eq!(c, 0, "{out}");
    pgrex_ok("pm02", "stop");
    pgrex_ok("pm01", "stop --yes");
    let files =
        "md5sum /etc/corosync/corosync.conf /etc/corosync/authkey; ls /var/lib/pacemaker/cib";
    let before = (LAB.sh("pm01", files).1, LAB.sh("pm02", files).1);
    let (c, out) = pgrex("pm01", "primary-start /root/cluster.xml 2>&1");
    assert_eq!(c, 3, "no terminal and no --yes: refused\n{out}");
    assert!(
        out.contains("HA cluster already exists on pm01 (/etc/corosync/corosync.conf)")
            && out.contains("HA cluster already exists. Recreate?"),
        "{out}"
    );
    assert_eq!((LAB.sh("pm01", files).1, LAB.sh("pm02", files).1), before);
    assert_ne!(LAB.sh("pm01", "systemctl is-active pacemaker").0, 0);

    let out = pgrex_ok(
        "pm01",
        "primary-start --yes --clear-fence-history /root/cluster.xml 2>&1",
    );
    let destroy = out
        .find("Destroying the HA cluster (pm01, pm02)")
        .expect(&out);
    let create = out
        .find("Creating the HA cluster pgrex_cluster (pm01, pm02)")
        .expect(&out);
    assert!(destroy < create, "{out}");
    assert!(
        out.contains("Primary has started on the node (pm01)"),
        "{out}"
    );
    let key = |n| LAB.sh(n, "md5sum < /etc/corosync/authkey").1;
    assert_eq!(key("pm01"), key("pm02"));
    assert!(
        !before.0.contains(&key("pm01").trim().replace("  -", "")),
        "a new authkey"
    );
    let conf = LAB.sh("pm02", "cat /etc/corosync/corosync.conf").1;
    assert!(conf.contains("two_node: 1"), "pcs wrote it: {conf}");
    if !LAB
        .ok(&["status"])
        .lines()
        .any(|l| l.starts_with("pm02: power on"))
    {
        LAB.ok(&["power-on", "pm02"]);
    }
    pgrex_ok("pm02", "standby-start -n");
    assert_healthy("pm01", "pm02");
    assert_healthy_with_pcs("pm01", "pm01", "pm02");
    LAB.ok(&["down"]);
}
