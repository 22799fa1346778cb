//! The lab's cluster configuration per naming profile, as CIB XML sections.
//!
//! `pgrex17` follows PG-REX's own sheet output (`PG-REX_pm_pcsgen_env.xml` in
//! mikecaat/pgrex-for-dev): same resources, parameters, constraints and defaults, except the
//! addresses, the fence agent (`fence_lab`), Debian's `ocf:heartbeat:pgsql` and the added
//! `storage-mon` disk monitor. `seed` uses the deck's names (msPostgresql, master-group,
//! vip-master, vip-rep, clnPing/default_ping_set ×100, prmStonith1/2).

use crate::topo::{self, ARCHIVE_DIR, DISK_PATH, GATEWAY, PGDATA, PG_TMPDIR};

/// Resource names of a profile, as the lab needs them.
pub struct Names {
    pub clone: &'static str,
    pub group: &'static str,
    pub vip_primary: &'static str,
    pub vip_rep: &'static str,
    pub vip_standby: Option<&'static str>,
    pub ping_clone: &'static str,
    pub ping: &'static str,
    pub ping_attr: &'static str,
    pub stonith: [&'static str; 2],
    pub promoted_role: &'static str,
}

pub fn names(profile: &str) -> Names {
    if profile == "seed" {
        Names {
            clone: "msPostgresql",
            group: "master-group",
            vip_primary: "vip-master",
            vip_rep: "vip-rep",
            vip_standby: None,
            ping_clone: "clnPing",
            ping: "prmPing",
            ping_attr: "default_ping_set",
            stonith: ["prmStonith1", "prmStonith2"],
            promoted_role: "Promoted",
        }
    } else {
        Names {
            clone: "pgsql-clone",
            group: "primary-group",
            vip_primary: "ipaddr-primary",
            vip_rep: "ipaddr-replication",
            vip_standby: Some("ipaddr-standby"),
            ping_clone: "ping-clone",
            ping: "ping",
            ping_attr: "ping-status",
            stonith: ["fence1-lab", "fence2-lab"],
            promoted_role: "Master",
        }
    }
}

fn nvs(owner: &str, kind: &str, pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let mut s = format!("<{kind} id=\"{owner}-{kind}\">");
    for (k, v) in pairs {
        s += &format!(
            "<nvpair id=\"{owner}-{kind}-{k}\" name=\"{k}\" value=\"{}\"/>",
            esc(v)
        );
    }
    s + &format!("</{kind}>")
}

fn esc(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// One op: (name, interval, timeout, on-fail, role).
type Op<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

fn ops(owner: &str, list: &[Op]) -> String {
    let mut s = String::from("<operations>");
    for (name, interval, timeout, on_fail, role) in list {
        s += &format!("<op id=\"{owner}-{name}-interval-{interval}\" interval=\"{interval}\" name=\"{name}\" timeout=\"{timeout}\"");
        if let Some(f) = on_fail {
            s += &format!(" on-fail=\"{f}\"");
        }
        if let Some(r) = role {
            s += &format!(" role=\"{r}\"");
        }
        s += "/>";
    }
    s + "</operations>"
}

fn primitive(
    id: &str,
    class: &str,
    provider: Option<&str>,
    ty: &str,
    params: &[(&str, &str)],
    meta: &[(&str, &str)],
    o: &[Op],
) -> String {
    let prov = provider
        .map(|p| format!(" provider=\"{p}\""))
        .unwrap_or_default();
    format!(
        "<primitive class=\"{class}\" id=\"{id}\"{prov} type=\"{ty}\">{}{}{}</primitive>",
        nvs(id, "instance_attributes", params),
        nvs(id, "meta_attributes", meta),
        ops(id, o)
    )
}

fn vip(
    id: &str,
    ip: &str,
    nic: &str,
    meta: &[(&str, &str)],
    start_fail: &str,
    stop_fail: &str,
) -> String {
    primitive(
        id,
        "ocf",
        Some("heartbeat"),
        "IPaddr2",
        &[("cidr_netmask", "24"), ("ip", ip), ("nic", nic)],
        meta,
        &[
            ("monitor", "10s", "60s", Some("restart"), None),
            ("start", "0s", "60s", Some(start_fail), None),
            ("stop", "0s", "60s", Some(stop_fail), None),
        ],
    )
}

/// The cluster properties (`crm_config` section content).
pub fn crm_config(profile: &str) -> String {
    let mut p: Vec<(&str, &str)> = vec![
        (
            "priority-fencing-delay",
            if profile == "seed" { "5s" } else { "10s" },
        ),
        ("node-health-strategy", "only-green"),
        // Lab only: a lone node waits dc-deadtime (default 20 s) before its first transition.
        ("dc-deadtime", "2s"),
        // Lab only: both nodes share the host's CPU, and /proc/loadavg is the host's (other
        // labs and builds): at the default 80 % the controller throttles to one action per
        // node whenever the host is busy, serialising what real nodes run in parallel.
        ("load-threshold", "10000%"),
    ];
    if profile == "seed" {
        p.push(("no-quorum-policy", "ignore"));
        p.push(("stonith-timeout", "60s"));
    }
    let mut s = String::from("<cluster_property_set id=\"cib-bootstrap-options\">");
    for (k, v) in p {
        s += &format!("<nvpair id=\"cib-bootstrap-options-{k}\" name=\"{k}\" value=\"{v}\"/>");
    }
    s + "</cluster_property_set>"
}

/// The `resources`, `constraints` and `rsc_defaults` sections.
pub fn sections(profile: &str, pg_bin: &str) -> (String, String, String) {
    let n = names(profile);
    let seed = profile == "seed";
    let node_list = topo::NODES.join(" ");
    let pgctl = format!("{pg_bin}/pg_ctl");
    let psql = format!("{pg_bin}/psql");
    let restore = format!("/bin/cp {ARCHIVE_DIR}/%f %p");
    let mut pgsql_params: Vec<(&str, &str)> = vec![
        ("master_ip", topo::VIP_REPLICATION),
        ("node_list", &node_list),
        ("pgctl", &pgctl),
        ("pgdata", PGDATA),
        ("pgdb", "template1"),
        ("pgdba", "postgres"),
        ("pgport", "5432"),
        (
            "primary_conninfo_opt",
            "keepalives_idle=60 keepalives_interval=5 keepalives_count=5",
        ),
        ("psql", &psql),
        ("rep_mode", "sync"),
        ("repuser", "repuser"),
        ("restore_command", &restore),
        ("stop_escalate", "0"),
        ("tmpdir", PG_TMPDIR),
        ("xlog_check_count", "0"),
    ];
    // The wheel's psql looks for the server in /tmp (its compiled-in socket directory), not
    // in Debian's /var/run/postgresql where the lab's server listens: the agent's psql is
    // told (docs/faults.md, PostgreSQL 18). Debian's PostgreSQL 15 needs nothing.
    if pg_bin != topo::PG_BIN {
        pgsql_params.push(("socketdir", "/var/run/postgresql"));
        pgsql_params.sort();
    }
    let pgsql = primitive(
        "pgsql",
        "ocf",
        Some("heartbeat"),
        "pgsql",
        &pgsql_params,
        &[],
        &[
            ("demote", "0s", "300s", Some("fence"), None),
            ("methods", "0s", "5s", None, None),
            ("monitor", "10s", "60s", Some("restart"), None),
            (
                "monitor",
                "9s",
                "60s",
                Some("restart"),
                Some(n.promoted_role),
            ),
            ("notify", "0s", "60s", None, None),
            ("promote", "0s", "300s", Some("restart"), None),
            ("start", "0s", "300s", Some("restart"), None),
            ("stop", "0s", "300s", Some("fence"), None),
        ],
    );
    let clone_meta = nvs(
        n.clone,
        "meta_attributes",
        &[
            ("promotable", "true"),
            ("promoted-max", "1"),
            ("promoted-node-max", "1"),
            ("clone-max", "2"),
            ("clone-node-max", "1"),
            ("notify", "true"),
            ("priority", if seed { "10" } else { "1" }),
        ],
    );
    let mut ping_params = vec![
        ("attempts", "2"),
        ("host_list", GATEWAY),
        ("name", n.ping_attr),
        ("timeout", "2"),
    ];
    if seed {
        ping_params.push(("multiplier", "100"));
    } else {
        ping_params.push(("debug", "true"));
    }
    let ping = primitive(
        n.ping,
        "ocf",
        Some("pacemaker"),
        "ping",
        &ping_params,
        &[],
        &[
            ("monitor", "10s", "60s", Some("restart"), None),
            ("start", "0s", "60s", Some("restart"), None),
            ("stop", "0s", "60s", Some("fence"), None),
        ],
    );
    let storage = primitive(
        "storage-mon",
        "ocf",
        Some("heartbeat"),
        "storage-mon",
        &[("drives", DISK_PATH), ("io_timeout", "10")],
        &[("allow-unhealthy-nodes", "true")],
        &[
            ("monitor", "10s", "120s", Some("restart"), None),
            ("start", "0s", "60s", Some("restart"), None),
            ("stop", "0s", "60s", Some("fence"), None),
        ],
    );
    let stonith = |i: usize| {
        primitive(
            n.stonith[i],
            "stonith",
            None,
            "fence_lab",
            &[("pcmk_host_list", topo::NODES[i])],
            &[],
            &[
                ("monitor", "3600s", "60s", Some("restart"), None),
                ("start", "0s", "60s", Some("restart"), None),
                ("stop", "0s", "60s", Some("ignore"), None),
            ],
        )
    };
    let mut res = format!(
        "<group id=\"{}\">{}{}</group>",
        n.group,
        vip(
            n.vip_primary,
            topo::VIP_PRIMARY,
            topo::SERVICE.nic,
            &[],
            "restart",
            "fence"
        ),
        vip(
            n.vip_rep,
            topo::VIP_REPLICATION,
            topo::DLAN.nic,
            &[("migration-threshold", "0")],
            if seed { "restart" } else { "stop" },
            "ignore"
        ),
    );
    if let Some(vs) = n.vip_standby {
        res += &vip(
            vs,
            topo::VIP_STANDBY,
            topo::SERVICE.nic,
            &[("resource-stickiness", "1")],
            "restart",
            "fence",
        );
    }
    res += &format!("<clone id=\"{}\">{pgsql}{clone_meta}</clone>", n.clone);
    res += &format!("<clone id=\"{}\">{ping}</clone>", n.ping_clone);
    res += &format!(
        "<clone id=\"storage-mon-clone\">{storage}{}</clone>",
        nvs(
            "storage-mon-clone",
            "meta_attributes",
            &[("allow-unhealthy-nodes", "true")]
        )
    );
    res += &stonith(0);
    res += &stonith(1);

    let mut c = String::new();
    for i in 0..2 {
        let (s, node) = (n.stonith[i], topo::NODES[i]);
        c += &format!("<rsc_location id=\"location-{s}-{node}--INFINITY\" node=\"{node}\" rsc=\"{s}\" score=\"-INFINITY\"/>");
    }
    if let Some(vs) = n.vip_standby {
        c += &format!("<rsc_location id=\"location-{vs}\" rsc=\"{vs}\"><rule id=\"location-{vs}-rule\" score=\"200\"><expression attribute=\"pgsql-status\" id=\"location-{vs}-rule-expr\" operation=\"eq\" value=\"HS:sync\"/></rule></rsc_location>");
        c += &format!("<rsc_location id=\"location-{vs}-1\" rsc=\"{vs}\"><rule id=\"location-{vs}-1-rule\" score=\"100\"><expression attribute=\"pgsql-status\" id=\"location-{vs}-1-rule-expr\" operation=\"eq\" value=\"PRI\"/></rule></rsc_location>");
        c += &format!("<rsc_location id=\"location-{vs}-2\" rsc=\"{vs}\"><rule id=\"location-{vs}-2-rule\" score=\"-INFINITY\"><expression attribute=\"pgsql-status\" id=\"location-{vs}-2-rule-expr\" operation=\"not_defined\"/></rule></rsc_location>");
        c += &format!("<rsc_location id=\"location-{vs}-3\" rsc=\"{vs}\"><rule boolean-op=\"and\" id=\"location-{vs}-3-rule\" score=\"-INFINITY\"><expression attribute=\"pgsql-status\" id=\"location-{vs}-3-rule-expr\" operation=\"ne\" value=\"HS:sync\"/><expression attribute=\"pgsql-status\" id=\"location-{vs}-3-rule-expr-1\" operation=\"ne\" value=\"PRI\"/></rule></rsc_location>");
    }
    let (cl, pa) = (n.clone, n.ping_attr);
    let min = if seed { "100" } else { "1" };
    c += &format!("<rsc_location id=\"location-{cl}\" rsc=\"{cl}\"><rule boolean-op=\"or\" id=\"location-{cl}-rule\" score=\"-INFINITY\"><expression attribute=\"{pa}\" id=\"location-{cl}-rule-expr\" operation=\"not_defined\"/><expression attribute=\"{pa}\" id=\"location-{cl}-rule-expr-1\" operation=\"lt\" value=\"{min}\"/><expression attribute=\"#health-storage-mon\" id=\"location-{cl}-rule-expr-2\" operation=\"not_defined\"/></rule></rsc_location>");
    c += &format!("<rsc_colocation id=\"colocation-{cl}-{}-INFINITY\" rsc=\"{cl}\" score=\"INFINITY\" with-rsc=\"{}\"/>", n.ping_clone, n.ping_clone);
    c += &format!("<rsc_colocation id=\"colocation-{g}-{cl}-INFINITY\" rsc=\"{g}\" rsc-role=\"Started\" score=\"INFINITY\" with-rsc=\"{cl}\" with-rsc-role=\"{r}\"/>", g = n.group, r = n.promoted_role);
    c += &format!("<rsc_order first=\"{p}\" first-action=\"start\" id=\"order-{p}-{cl}-mandatory\" symmetrical=\"false\" then=\"{cl}\" then-action=\"start\"/>", p = n.ping_clone);
    c += &format!("<rsc_order first=\"{cl}\" first-action=\"promote\" id=\"order-{cl}-{g}-mandatory\" symmetrical=\"false\" then=\"{g}\" then-action=\"start\"/>", g = n.group);
    c += &format!("<rsc_order first=\"{cl}\" first-action=\"demote\" id=\"order-{cl}-{g}-Optional\" kind=\"Optional\" symmetrical=\"false\" then=\"{g}\" then-action=\"stop\"/>", g = n.group);

    let defaults = format!(
        "<meta_attributes id=\"rsc_defaults-meta_attributes\"><nvpair id=\"rsc_defaults-meta_attributes-resource-stickiness\" name=\"resource-stickiness\" value=\"{}\"/><nvpair id=\"rsc_defaults-meta_attributes-migration-threshold\" name=\"migration-threshold\" value=\"1\"/></meta_attributes>",
        if seed { "INFINITY" } else { "200" }
    );
    (res, c, defaults)
}

/// A minimal `cib.xml` for a node's first start: only the properties (dc-deadtime above all),
/// so the lone first node does not wait 20 s. Resources are loaded afterwards with cibadmin.
pub fn bootstrap(profile: &str) -> String {
    format!(
        "<cib crm_feature_set=\"3.16.1\" validate-with=\"pacemaker-3.9\" epoch=\"1\" num_updates=\"0\" admin_epoch=\"0\"><configuration><crm_config>{}</crm_config><nodes/><resources/><constraints/></configuration><status/></cib>\n",
        crm_config(profile)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgrex17_has_pgrex_resource_ids_and_parameters() {
        let (res, cons, defs) = sections("pgrex17", topo::PG_BIN);
        for id in [
            "primary-group",
            "ipaddr-primary",
            "ipaddr-replication",
            "ipaddr-standby",
            "pgsql-clone",
            "ping-clone",
            "storage-mon-clone",
            "fence1-lab",
            "fence2-lab",
        ] {
            assert!(res.contains(&format!("id=\"{id}\"")), "{id} missing");
        }
        assert!(res.contains("name=\"xlog_check_count\" value=\"0\""));
        assert!(res.contains("name=\"rep_mode\" value=\"sync\""));
        assert!(
            !res.contains("restart_on_promote"),
            "PG-REX keeps the default (false)"
        );
        assert!(res.contains("name=\"name\" value=\"ping-status\""));
        assert!(cons.contains("with-rsc-role=\"Master\""));
        assert!(defs.contains("value=\"200\""));
    }

    /// PostgreSQL 18 from the wheel: the agent runs its pg_ctl and psql, and is told the
    /// socket directory (the wheel's psql would look in /tmp); 15 is left as recorded.
    #[test]
    fn pg18_points_the_agent_at_the_wheel_and_its_socket() {
        let (res, _, _) = sections("pgrex17", topo::pg_bin(18));
        assert!(res.contains(&format!(
            "name=\"pgctl\" value=\"{}/pg_ctl\"",
            topo::PG18_BIN
        )));
        assert!(res.contains(&format!("name=\"psql\" value=\"{}/psql\"", topo::PG18_BIN)));
        assert!(res.contains("name=\"socketdir\" value=\"/var/run/postgresql\""));
        let (res, _, _) = sections("pgrex17", topo::pg_bin(15));
        assert!(res.contains("value=\"/usr/lib/postgresql/15/bin/pg_ctl\""));
        assert!(!res.contains("socketdir"));
    }

    #[test]
    fn seed_uses_the_deck_names() {
        let (res, cons, _) = sections("seed", topo::PG_BIN);
        for id in [
            "msPostgresql",
            "master-group",
            "vip-master",
            "vip-rep",
            "clnPing",
            "prmPing",
            "prmStonith1",
            "prmStonith2",
        ] {
            assert!(res.contains(&format!("id=\"{id}\"")), "{id} missing");
        }
        assert!(res.contains("name=\"multiplier\" value=\"100\""));
        assert!(!res.contains("ipaddr-standby"));
        assert!(
            cons.contains("value=\"100\""),
            "ping rule: default_ping_set lt 100"
        );
    }
}
