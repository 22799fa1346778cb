//! Test-only builders of cluster states in both naming profiles: the PG-REX normal state
//! (pm01 primary, pm02 synchronous standby) and the changes each fault leaves, written the
//! way crm_mon reports them. Used by the rule and cleanup unit tests until recorded
//! fixtures of every fault exist.

use crate::pacemaker::cib::{CibFacts, CibNode};
use crate::pacemaker::*;
use crate::profile::{Names, Profile};
use crate::snapshot::{
    CorosyncStatus, Link, LinkPeer, LinkState, LockFact, LogLine, Snapshot, Source,
};
use std::collections::BTreeMap;

pub struct Cluster {
    pub state: ClusterState,
    pub names: Names,
    pub cib: CibFacts,
    pub snap: Snapshot,
}

fn prim(id: &str, agent: &str, role: Role, nodes: &[&str]) -> Primitive {
    Primitive {
        id: id.into(),
        agent: agent.into(),
        role,
        target_role: None,
        active: !nodes.is_empty(),
        orphaned: false,
        blocked: false,
        managed: true,
        failed: false,
        failure_ignored: false,
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        pending: None,
    }
}

fn clone(id: &str, promotable: bool, instances: Vec<Primitive>) -> Resource {
    Resource::Clone(CloneSet {
        id: id.into(),
        promotable,
        unique: false,
        managed: true,
        disabled: false,
        failed: false,
        failure_ignored: false,
        instances: instances.into_iter().map(Resource::Primitive).collect(),
    })
}

fn node(name: &str, id: &str) -> Node {
    Node {
        name: name.into(),
        id: Some(id.into()),
        online: true,
        expected_up: true,
        ..Default::default()
    }
}

impl Cluster {
    /// The PG-REX normal state.
    pub fn healthy(p: Profile) -> Cluster {
        let names = Names::defaults(p);
        let vp = names.vip_primary.clone().unwrap();
        let vr = names.vip_replication.clone().unwrap();
        let vs = names.vip_standby.clone().unwrap();
        let pg = "ocf:heartbeat:pgsql";
        let ip = "ocf:heartbeat:IPaddr2";
        let (ping_prim, disk_clone, disk_prim, disk_agent, f1, f2) = match p {
            Profile::Pgrex17 => (
                "ping",
                "storage-mon-clone",
                "storage-mon",
                "ocf:heartbeat:storage-mon",
                "fence1-ipmilan",
                "fence2-ipmilan",
            ),
            Profile::Seed => (
                "prmPing",
                "clnDiskd1",
                "prmDiskd1",
                "ocf:pacemaker:diskd",
                "prmStonith1",
                "prmStonith2",
            ),
        };
        let resources = vec![
            clone(
                &names.promotable,
                true,
                vec![
                    prim("pgsql", pg, Role::Promoted, &["pm01"]),
                    prim("pgsql", pg, Role::Unpromoted, &["pm02"]),
                ],
            ),
            Resource::Group(Group {
                id: names.primary_group.clone(),
                managed: true,
                disabled: false,
                resources: vec![
                    prim(&vp, ip, Role::Started, &["pm01"]),
                    prim(&vr, ip, Role::Started, &["pm01"]),
                ],
            }),
            Resource::Primitive(prim(&vs, ip, Role::Started, &["pm02"])),
            clone(
                &names.ping[0],
                false,
                vec![
                    prim(ping_prim, "ocf:pacemaker:ping", Role::Started, &["pm01"]),
                    prim(ping_prim, "ocf:pacemaker:ping", Role::Started, &["pm02"]),
                ],
            ),
            clone(
                disk_clone,
                false,
                vec![
                    prim(disk_prim, disk_agent, Role::Started, &["pm01"]),
                    prim(disk_prim, disk_agent, Role::Started, &["pm02"]),
                ],
            ),
            Resource::Primitive(prim(f1, "stonith:fence_ipmilan", Role::Started, &["pm02"])),
            Resource::Primitive(prim(f2, "stonith:fence_ipmilan", Role::Started, &["pm01"])),
        ];
        let ping_ok = match p {
            Profile::Pgrex17 => "1",
            Profile::Seed => "100",
        };
        let a = |n: &str, v: &str| Attribute {
            name: n.into(),
            value: v.into(),
            expected: None,
        };
        let mut attrs = vec![
            (
                "pm01",
                vec![
                    a("master-pgsql", "1000"),
                    a("pgsql-data-status", "LATEST"),
                    a("pgsql-master-baseline", "0000000005000060"),
                    a("pgsql-status", "PRI"),
                    a(&names.ping_attr, ping_ok),
                ],
            ),
            (
                "pm02",
                vec![
                    a("master-pgsql", "100"),
                    a("pgsql-data-status", "STREAMING|SYNC"),
                    a("pgsql-status", "HS:sync"),
                    a(&names.ping_attr, ping_ok),
                ],
            ),
        ];
        if p == Profile::Seed {
            for (_, v) in attrs.iter_mut() {
                v.push(a("diskcheck_status", "normal"));
            }
        }
        let state = ClusterState {
            dialect: XmlDialect::PacemakerResult,
            version: Some("2.1.5".into()),
            api_version: None,
            summary: Summary {
                dc: Some("pm01".into()),
                dc_present: true,
                with_quorum: Some(true),
                stonith_enabled: true,
                ..Default::default()
            },
            nodes: vec![node("pm01", "1"), node("pm02", "2")],
            resources,
            node_attributes: attrs.into_iter().map(|(n, v)| (n.to_string(), v)).collect(),
            node_history: vec![],
            failures: vec![],
            fence_history: Some(vec![]),
        };
        let mut transient = BTreeMap::new();
        for n in ["pm01", "pm02"] {
            let mut m = BTreeMap::new();
            if p == Profile::Pgrex17 {
                m.insert("#health-storage-mon".to_string(), "green".to_string());
            }
            transient.insert(n.to_string(), m);
        }
        let cib = CibFacts {
            nodes: vec![
                CibNode {
                    id: "1".into(),
                    uname: "pm01".into(),
                    attributes: [("pgsql-data-status".to_string(), "LATEST".to_string())].into(),
                },
                CibNode {
                    id: "2".into(),
                    uname: "pm02".into(),
                    attributes: [(
                        "pgsql-data-status".to_string(),
                        "STREAMING|SYNC".to_string(),
                    )]
                    .into(),
                },
            ],
            transient,
            primitive_params: BTreeMap::new(),
            properties: BTreeMap::new(),
            has_status: true,
        };
        let mut snap = Snapshot::empty("not in this test");
        snap.local_node = Some("pm02".into());
        snap.corosync = Source::Known(links(&[true, true]));
        snap.logs = Source::Known(vec![]);
        snap.fencing = Source::Known(vec![]);
        for n in ["pm01", "pm02"] {
            snap.locks.insert(
                n.into(),
                Source::Known(LockFact {
                    path: "/var/lib/pgsql/tmp/PGSQL.lock".into(),
                    present: n == "pm01",
                }),
            );
        }
        Cluster {
            state,
            names,
            cib,
            snap,
        }
    }

    /// The snapshot of the current state.
    pub fn snapshot(&self) -> Snapshot {
        let mut s = self.snap.clone();
        s.cluster = Source::Known(self.state.clone());
        s.cib = Source::Known(self.cib.clone());
        s
    }

    pub fn vip_primary(&self) -> String {
        self.names.vip_primary.clone().unwrap()
    }
    pub fn vip_rep(&self) -> String {
        self.names.vip_replication.clone().unwrap()
    }
    pub fn vip_standby(&self) -> String {
        self.names.vip_standby.clone().unwrap()
    }

    fn prims_mut(&mut self) -> Vec<&mut Primitive> {
        let mut out = Vec::new();
        for r in self.state.resources.iter_mut() {
            match r {
                Resource::Primitive(p) => out.push(p),
                Resource::Group(g) => out.extend(g.resources.iter_mut()),
                Resource::Clone(c) => {
                    for i in c.instances.iter_mut() {
                        if let Resource::Primitive(p) = i {
                            out.push(p)
                        }
                    }
                }
                Resource::Other { .. } => {}
            }
        }
        out
    }

    /// Put a primitive (every instance with the id) on these nodes (empty: stopped).
    pub fn place(&mut self, id: &str, on: &[&str]) -> &mut Self {
        for p in self.prims_mut().into_iter().filter(|p| p.id == id) {
            p.nodes = on.iter().map(|s| s.to_string()).collect();
            p.role = if on.is_empty() {
                Role::Stopped
            } else {
                Role::Started
            };
            p.active = !on.is_empty();
        }
        self
    }

    /// Set the pgsql instance roles: `(node, role)`; other instances stopped.
    pub fn pgsql(&mut self, roles: &[(&str, Role)]) -> &mut Self {
        for (i, p) in self
            .prims_mut()
            .into_iter()
            .filter(|p| p.id == "pgsql")
            .enumerate()
        {
            match roles.get(i) {
                Some((n, r)) => {
                    p.nodes = vec![n.to_string()];
                    p.role = r.clone();
                    p.active = true;
                }
                None => {
                    p.nodes = vec![];
                    p.role = Role::Stopped;
                    p.active = false;
                }
            }
        }
        self
    }

    pub fn attr(&mut self, node: &str, name: &str, value: &str) -> &mut Self {
        let v = self.state.node_attributes.entry(node.into()).or_default();
        v.retain(|a| a.name != name);
        v.push(Attribute {
            name: name.into(),
            value: value.into(),
            expected: None,
        });
        if name == "pgsql-data-status" {
            if let Some(n) = self.cib.nodes.iter_mut().find(|n| n.uname == node) {
                n.attributes.insert(name.into(), value.into());
            }
        }
        self
    }

    pub fn clear_attrs(&mut self, node: &str) -> &mut Self {
        self.state.node_attributes.remove(node);
        self.cib.transient.remove(node);
        self
    }

    pub fn transient(&mut self, node: &str, name: &str, value: &str) -> &mut Self {
        self.cib
            .transient
            .entry(node.into())
            .or_default()
            .insert(name.into(), value.into());
        self
    }

    pub fn offline(&mut self, node: &str) -> &mut Self {
        let n = self
            .state
            .nodes
            .iter_mut()
            .find(|n| n.name == node)
            .unwrap();
        n.online = false;
        self
    }

    pub fn unclean(&mut self, node: &str) -> &mut Self {
        let n = self
            .state
            .nodes
            .iter_mut()
            .find(|n| n.name == node)
            .unwrap();
        n.online = false;
        n.unclean = true;
        self
    }

    pub fn fence(&mut self, target: &str, status: &str) -> &mut Self {
        let by = if target == "pm01" { "pm02" } else { "pm01" };
        let e = FenceEvent {
            action: "reboot".into(),
            target: target.into(),
            client: Some("pacemaker-controld.1".into()),
            origin: Some(by.into()),
            delegate: Some(by.into()),
            status: status.into(),
            exit_reason: None,
            completed: Some("2026-11-24 10:00:05Z".into()),
        };
        if let Some(h) = self.state.fence_history.as_mut() {
            h.push(e.clone());
        }
        if let Source::Known(v) = &mut self.snap.fencing {
            v.push(e);
        }
        self
    }

    /// A failed action and (for non-ignored failures) a fail-count of 1.
    pub fn fail(
        &mut self,
        rsc: &str,
        task: &str,
        interval: u64,
        node: &str,
        threshold: Option<u32>,
    ) -> &mut Self {
        let (status, rc) = if task == "monitor" {
            ("not running", 7)
        } else {
            ("error", 1)
        };
        self.state.failures.push(FailedAction {
            op_key: format!("{rsc}_{task}_{interval}"),
            node: node.into(),
            resource: rsc.into(),
            task: task.into(),
            interval_ms: interval,
            exitstatus: status.into(),
            exitcode: Some(rc),
            exitreason: None,
            call: Some(42),
            status: Some("complete".into()),
            last_rc_change: None,
        });
        self.state.node_history.push(ResourceHistory {
            node: node.into(),
            resource: rsc.into(),
            fail_count: 1,
            migration_threshold: threshold,
            last_failure: None,
            orphan: false,
        });
        self
    }

    /// The failover of the primary role from pm01 to pm02 as crm_mon shows it afterwards.
    pub fn failed_over(&mut self) -> &mut Self {
        let (vp, vr, vs) = (self.vip_primary(), self.vip_rep(), self.vip_standby());
        self.pgsql(&[("pm02", Role::Promoted)]);
        self.place(&vp, &["pm02"])
            .place(&vr, &["pm02"])
            .place(&vs, &["pm02"]);
        self.attr("pm01", "pgsql-status", "STOP")
            .attr("pm01", "pgsql-data-status", "DISCONNECT")
            .attr("pm01", "master-pgsql", "-INFINITY")
            .attr("pm02", "pgsql-status", "PRI")
            .attr("pm02", "pgsql-data-status", "LATEST")
            .attr("pm02", "master-pgsql", "1000")
    }

    /// pm01 lost and fenced: pm02 promoted, pm01's transient attributes gone.
    pub fn pm01_fenced(&mut self) -> &mut Self {
        self.failed_over();
        self.offline("pm01")
            .clear_attrs("pm01")
            .fence("pm01", "success");
        let f2 = self.names.profile == Profile::Seed;
        let id = if f2 { "prmStonith2" } else { "fence2-ipmilan" };
        self.place(id, &[]);
        self.lines_mut().clear();
        self.snap.corosync = Source::Known(links(&[false, false]));
        self
    }

    pub fn lines_mut(&mut self) -> &mut Vec<LogLine> {
        if !matches!(self.snap.logs, Source::Known(_)) {
            self.snap.logs = Source::Known(vec![]);
        }
        match &mut self.snap.logs {
            Source::Known(v) => v,
            Source::Unknown { .. } => unreachable!(),
        }
    }

    /// Add a log line as the scanner would classify it (panics if it is not relevant).
    pub fn log(&mut self, line: &str) -> &mut Self {
        let v = crate::snapshot::logs::scan(line, "/var/log/messages", Some("pm02"));
        assert_eq!(v.len(), 1, "not a relevant log line: {line}");
        self.lines_mut().extend(v);
        self
    }
}

/// `corosync-cfgtool -s` on pm02 (node 2) with one link per entry: peer connected or not.
pub fn links(up: &[bool]) -> CorosyncStatus {
    CorosyncStatus {
        local_nodeid: Some(2),
        transport: Some("knet".into()),
        links: up
            .iter()
            .enumerate()
            .map(|(i, u)| Link {
                id: i as u32,
                addr: Some(format!("192.0.2.{}", 10 + i)),
                peers: vec![
                    LinkPeer {
                        nodeid: 1,
                        state: if *u {
                            LinkState::Connected
                        } else {
                            LinkState::Disconnected
                        },
                    },
                    LinkPeer {
                        nodeid: 2,
                        state: LinkState::Localhost,
                    },
                ],
                faulty: None,
            })
            .collect(),
    }
}
